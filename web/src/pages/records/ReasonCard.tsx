// One reason of a decision: which rule, what it says, on what legal basis, the facts it used and the
// rule-set version that made it — what a legal officer needs to check the decision by hand.
import { Card, Descriptions, Empty, Flex, Space, Table, Tag, Typography } from 'antd';
import type { ReasonBody } from '@contracts/enforcement.ts';
import { fmtTime } from '../../app/format.ts';
import { RULE_NAMES } from './labels.ts';
import { SeverityTag } from './tags.tsx';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;

/** A fact's value as text: times (`…At` in epoch ms) as times, numbers and words as they are, lists joined, anything else as JSON. */
export function factText(value: unknown, key = ''): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && /At$/.test(key) && value > 1e11) return fmtTime(new Date(value).toISOString());
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join('、') || '（无）';
  return JSON.stringify(value);
}

export function FactsTable({ facts }: { facts: Record<string, unknown> }) {
  const rows = Object.entries(facts).map(([key, value]) => ({ key, value: factText(value, key) }));
  if (rows.length === 0) return <Typography.Text type="secondary">未记录事实</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: '事实', dataIndex: 'key', width: '40%', render: (k: string) => <span style={mono}>{k}</span> },
        { title: '值', dataIndex: 'value', render: (v: string) => <span style={{ ...mono, wordBreak: 'break-all' }}>{v}</span> },
      ]}
    />
  );
}

export function ReasonCard({ reason }: { reason: ReasonBody }) {
  const name = RULE_NAMES[reason.rule];
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={
        <Space wrap size={4}>
          <span>{name ?? reason.rule}</span>
          <Tag style={mono}>{reason.rule}</Tag>
          {reason.severity && <SeverityTag severity={reason.severity} />}
        </Space>
      }
      extra={<Typography.Text type="secondary">规则版本 v{reason.ruleSetVersion}</Typography.Text>}
    >
      <Typography.Paragraph style={{ marginBottom: 8 }}>{reason.message}</Typography.Paragraph>
      <Descriptions size="small" column={1} items={[{ key: 'basis', label: '法律依据', children: reason.basis || '-' }]} />
      <FactsTable facts={reason.facts} />
    </Card>
  );
}

export function ReasonList({ reasons }: { reasons: ReasonBody[] }) {
  if (reasons.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有规则说明" />;
  return (
    <Flex vertical>
      {reasons.map((r, i) => (
        <ReasonCard key={`${r.rule}:${i}`} reason={r} />
      ))}
    </Flex>
  );
}
