// What a detector found, shown as it sent it: the facts as key/value pairs, the evidence as a
// table whose columns are the keys of its rows. Known keys get zh-CN headings.
import { Descriptions, Empty, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ALERT_FIELD_LABELS, type AlertEvidence } from '@contracts/alerts.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const SAFE_URL = /^(https?:\/\/|\/(?!\/))/;
const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;

const heading = (key: string) => ALERT_FIELD_LABELS[key] ?? key;

/** jsonb keeps keys in its own order: show known keys in the labels' order, the rest after, links last. */
const KNOWN = Object.keys(ALERT_FIELD_LABELS);
const rank = (key: string) => (key === 'url' ? KNOWN.length + 1 : KNOWN.includes(key) ? KNOWN.indexOf(key) : KNOWN.length);
export const orderKeys = (keys: Iterable<string>) => [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

/** One value: times formatted, lists joined, objects as JSON, links only when safe. */
export function FieldValue({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined || value === '') return <>{t.empty}</>;
  if (typeof value === 'boolean') return <>{value ? t.yes : t.no}</>;
  if (typeof value === 'string') {
    if (name === 'url') {
      return SAFE_URL.test(value) ? (
        <Typography.Link href={value} target="_blank" rel="noreferrer noopener">
          打开
        </Typography.Link>
      ) : (
        <>{value}</>
      );
    }
    return <>{ISO_TIME.test(value) ? fmtTime(value) : value}</>;
  }
  if (typeof value === 'number') return <>{value}</>;
  if (Array.isArray(value) && value.every((v) => ['string', 'number'].includes(typeof v))) return <>{value.join('、')}</>;
  return (
    <Typography.Text style={{ ...mono, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(value, null, 2)}</Typography.Text>
  );
}

export function FactsList({ facts }: { facts: Record<string, unknown> }) {
  const entries = orderKeys(Object.keys(facts)).map((k) => [k, facts[k]] as const);
  if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="检测未附事实" />;
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      items={entries.map(([key, value]) => ({
        key,
        label: ALERT_FIELD_LABELS[key] ? (
          <>
            {ALERT_FIELD_LABELS[key]} <Typography.Text type="secondary" style={mono}>{key}</Typography.Text>
          </>
        ) : (
          <span style={mono}>{key}</span>
        ),
        children: <FieldValue name={key} value={value} />,
      }))}
    />
  );
}

type Row = AlertEvidence & { __row: number };

export function EvidenceTable({ rows }: { rows: AlertEvidence[] }) {
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="检测未附证据" />;
  const keys = orderKeys(rows.flatMap((r) => Object.keys(r)));
  const columns: TableColumnsType<Row> = keys.map((key) => ({
    key,
    title: heading(key),
    render: (_, r) => <FieldValue name={key} value={r[key]} />,
  }));
  return (
    <Table<Row>
      rowKey="__row"
      size="small"
      bordered
      pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
      columns={columns}
      dataSource={rows.map((r, i) => ({ ...r, __row: i }))}
      scroll={{ x: 'max-content' }}
    />
  );
}
