// 说明核查 (inspectors): every explanation request in scope with its status and overdue flag;
// each opens its detail, where the inspector accepts the answer (the alert is resolved) or escalates.
import { Form, Grid, Select, Table, Tabs } from 'antd';
import { useState } from 'react';
import { EXPLANATION_STATUSES, type Explanation, type ExplanationStatus } from '@contracts/lookups.ts';
import { FilterBar } from '../../components/FilterBar.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { useIdParam } from '../../hooks/useIdParam.ts';
import { PersonField } from '../lookups/PersonField.tsx';
import { explanationsApi, type ExplanationFilters } from './api.ts';
import { explanationColumns } from './columns.tsx';
import { ExplanationDrawer } from './ExplanationDrawer.tsx';

const TABS: Array<{ key: string; label: string; status?: ExplanationStatus }> = [
  { key: 'answered', label: '待认定', status: 'answered' },
  { key: 'requested', label: '待说明', status: 'requested' },
  { key: 'accepted', label: EXPLANATION_STATUSES.accepted, status: 'accepted' },
  { key: 'escalated', label: EXPLANATION_STATUSES.escalated, status: 'escalated' },
  { key: 'all', label: '全部' },
];

interface FilterValues {
  personId?: number;
  overdue?: 'true' | 'false';
}

export default function ExplanationsPage() {
  const screens = Grid.useBreakpoint();
  const [tab, setTab] = useState('answered');
  const list = usePagedList<Explanation, ExplanationFilters>(explanationsApi.list, { status: 'answered' });
  const [openId, setOpenId] = useIdParam();

  return (
    <div data-testid="explanations-inbox">
      <FilterBar<FilterValues> onSearch={(v) => list.search({ ...v, status: list.filters.status })}>
        <Form.Item name="personId" label="说明人">
          <PersonField />
        </Form.Item>
        <Form.Item name="overdue" label="逾期">
          <Select
            allowClear
            placeholder="全部"
            options={[
              { value: 'true', label: '仅逾期' },
              { value: 'false', label: '未逾期' },
            ]}
            style={{ width: 110 }}
          />
        </Form.Item>
      </FilterBar>
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          setTab(key);
          list.search({ ...list.filters, status: TABS.find((x) => x.key === key)?.status });
        }}
        items={TABS.map(({ key, label }) => ({ key, label }))}
      />
      <Table<Explanation>
        rowKey="id"
        size="middle"
        columns={explanationColumns((e) => setOpenId(e.id), true)}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: screens.md ? 1100 : 900 }}
      />
      <ExplanationDrawer id={openId} mode="inspector" onClose={() => setOpenId(null)} onChanged={list.reload} />
    </div>
  );
}
