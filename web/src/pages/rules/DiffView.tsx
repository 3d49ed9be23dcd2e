// 版本比较: what changed between two rule-set versions, one row per parameter; in a list (dates,
// plate prefixes) the removed items are marked red and the added ones green.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { fmtTime } from '../../app/format.ts';
import { useLoad } from '../records/useLoad.ts';
import { rulesApi, type RuleSetDiff, type RuleSetHead } from './api.ts';
import { paramLabel, paramText } from './groups.ts';

type Change = RuleSetDiff['changes'][number];

function ListCell({ items, other, mark }: { items: unknown[]; other: unknown; mark: 'removed' | 'added' }) {
  const others = new Set(Array.isArray(other) ? other.map(String) : []);
  if (items.length === 0) return <Typography.Text type="secondary">（无）</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {items.map((raw) => {
        const v = String(raw);
        const changed = !others.has(v);
        const color = changed ? (mark === 'removed' ? 'red' : 'green') : undefined;
        return (
          <Tag key={v} color={color} style={changed && mark === 'removed' ? { textDecoration: 'line-through' } : undefined}>
            {v}
          </Tag>
        );
      })}
    </Space>
  );
}

function ValueCell({ change, side }: { change: Change; side: 'before' | 'after' }) {
  const value = change[side];
  const other = side === 'before' ? change.after : change.before;
  if (Array.isArray(value)) return <ListCell items={value} other={other} mark={side === 'before' ? 'removed' : 'added'} />;
  return <>{paramText(change.key, value)}</>;
}

interface Props {
  versions: RuleSetHead[];
  /** a pair asked for from elsewhere (the versions table) */
  pair: { from: number; to: number } | null;
}

export function DiffView({ versions, pair }: Props) {
  const newest = versions[0]?.version;
  const previous = versions[1]?.version;
  const [from, setFrom] = useState<number | undefined>(pair?.from ?? previous);
  const [to, setTo] = useState<number | undefined>(pair?.to ?? newest);

  useEffect(() => {
    if (pair) {
      setFrom(pair.from);
      setTo(pair.to);
    }
  }, [pair]);
  useEffect(() => {
    // versions arrive after the first render
    setFrom((f) => f ?? previous);
    setTo((t) => t ?? newest);
  }, [previous, newest]);

  const load = useCallback(() => rulesApi.diff(from!, to!, { silent: true }), [from, to]);
  const diff = useLoad(from !== undefined && to !== undefined && from !== to ? load : null);

  const options = versions.map((v) => ({ value: v.version, label: `v${v.version} · ${fmtTime(v.createdAt)}` }));
  const shown = diff.data && diff.data.from === from && diff.data.to === to ? diff.data : undefined;

  if (versions.length < 2) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="只有一个规则版本，暂无可比较的版本" />;
  }

  return (
    <div data-testid="rules-diff">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
        <Typography.Text>比较</Typography.Text>
        <Select aria-label="原版本" value={from} onChange={setFrom} options={options} style={{ width: 220 }} />
        <Button
          icon={<SwapOutlined />}
          aria-label="交换两个版本"
          onClick={() => {
            setFrom(to);
            setTo(from);
          }}
        />
        <Select aria-label="新版本" value={to} onChange={setTo} options={options} style={{ width: 220 }} />
      </Flex>
      {from === to && <Alert type="info" showIcon title="请选择两个不同的版本" />}
      {diff.error && <Alert type="error" showIcon title="无法比较" description={diff.error} role="alert" />}
      {from !== to && !diff.error && (
        <Table<Change>
          rowKey="key"
          size="middle"
          loading={diff.loading}
          dataSource={shown?.changes ?? []}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={diff.loading ? '正在比较…' : '两个版本的参数相同'} /> }}
          columns={[
            { title: '参数', key: 'label', width: 240, render: (_, c) => c.label || paramLabel(c.key) },
            { title: `v${from}`, key: 'before', render: (_, c) => <ValueCell change={c} side="before" /> },
            { title: `v${to}`, key: 'after', render: (_, c) => <ValueCell change={c} side="after" /> },
          ]}
        />
      )}
    </div>
  );
}
