// 待审核: the legal officer's queue of held camera records, oldest deadline first as the server
// orders it. Each row shows why it is held and how many working days are left (《道路交通安全违法
// 行为处理程序规定》第19条: review within the working days the rule set gives); rows are decided one
// by one or in a batch. `?overdue=true` (the dashboard's link) opens the overdue ones.
import { useEffect, useState, type Key } from 'react';
import { App, Button, Checkbox, Empty, Flex, Form, Grid, Input, Select, Table, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { REVIEW_DECISIONS, type ReviewDecision, type ReviewItem } from '@contracts/enforcement.ts';
import { canonicalPlate } from '@contracts/plate.ts';
import { FilterBar } from '../../components/FilterBar.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { RULE_OPTIONS } from '../records/labels.ts';
import { RecordDrawer, useRecordParam } from '../records/RecordDrawer.tsx';
import { reviewApi, type ReviewFilters, type ReviewResult } from './api.ts';
import { reviewColumns } from './columns.tsx';
import { DecisionModal, type DecisionTarget } from './DecisionModal.tsx';

interface FilterValues {
  code?: string;
  plate?: string;
  device?: string;
  rule?: string;
  overdue?: boolean;
}

function toFilters({ code, plate, device, rule, overdue }: FilterValues): ReviewFilters {
  return {
    code: code?.trim().toUpperCase() || undefined,
    plate: plate?.trim() ? canonicalPlate(plate) : undefined,
    device: device?.trim() || undefined,
    rule,
    overdue: overdue ? 'true' : undefined,
  };
}

export default function ReviewPage() {
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [params] = useSearchParams();
  const [overdueFromLink] = useState(() => params.get('overdue') === 'true');
  const list = usePagedList<ReviewItem, ReviewFilters>(reviewApi.list, overdueFromLink ? { overdue: 'true' } : {});
  const [recordId, setRecordId] = useRecordParam();
  const [selected, setSelected] = useState<Key[]>([]);
  const [target, setTarget] = useState<DecisionTarget | null>(null);

  // a page or filter change drops the selection of rows no longer shown
  useEffect(() => {
    setSelected((s) => {
      const next = s.filter((k) => list.items.some((i) => i.id === k));
      return next.length === s.length ? s : next;
    });
  }, [list.items]);

  const decideOne = (item: ReviewItem, decision: ReviewDecision) => setTarget({ ids: [item.id], decision, plate: item.plate });
  const decideSelected = (decision: ReviewDecision) => setTarget({ ids: selected.map(Number), decision });

  const done = (result: ReviewResult) => {
    const asked = target?.ids.length ?? result.reviewed;
    const decision = target ? `（${REVIEW_DECISIONS[target.decision]}）` : '';
    setTarget(null);
    setSelected([]);
    list.reload();
    message.success(`已审核 ${result.reviewed} 条记录${decision}`);
    if (result.reviewed < asked) {
      message.warning(`另有 ${asked - result.reviewed} 条记录已不在待审核状态（可能已被他人审核），未作处理`);
    }
  };

  return (
    <>
      <FilterBar<FilterValues> onSearch={(v) => list.search(toFilters(v))}>
        <Form.Item name="plate" label="号牌">
          <Input allowClear placeholder="如 苏A12345" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="code" label="违法代码">
          <Input allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="device" label="设备">
          <Input allowClear placeholder="设备编号" style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="rule" label="规则">
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部" options={RULE_OPTIONS} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="overdue" valuePropName="checked" initialValue={overdueFromLink}>
          <Checkbox>仅看已超期</Checkbox>
        </Form.Item>
      </FilterBar>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} data-testid="review-batch">
        <Typography.Text type={selected.length ? undefined : 'secondary'}>
          {selected.length ? `已选择 ${selected.length} 条` : '勾选记录后可批量审核'}
        </Typography.Text>
        <Button type="primary" disabled={!selected.length} onClick={() => decideSelected('penalty')}>
          确认处罚
        </Button>
        <Button disabled={!selected.length} onClick={() => decideSelected('warning')}>
          改为首违警告
        </Button>
        <Button danger disabled={!selected.length} onClick={() => decideSelected('voided')}>
          作废
        </Button>
        {selected.length > 0 && (
          <Button type="link" onClick={() => setSelected([])}>
            清除选择
          </Button>
        )}
      </Flex>
      <Table<ReviewItem>
        rowKey="id"
        size="middle"
        columns={reviewColumns({ narrow: !screens.md, onDetail: setRecordId, onDecide: decideOne })}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        rowSelection={{ selectedRowKeys: selected, onChange: setSelected, fixed: true }}
        scroll={{ x: 1980 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有待审核的记录" /> }}
      />
      <DecisionModal target={target} onClose={() => setTarget(null)} onDone={done} />
      <RecordDrawer id={recordId} onClose={() => setRecordId(null)} onOpen={setRecordId} />
    </>
  );
}
