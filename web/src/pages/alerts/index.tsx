// 告警: every finding of every detector in one list — status tabs with counts, filters, and the
// detail drawer (its id kept in the URL, so a link opens the same alert) where handlers work it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge, DatePicker, Form, Input, Select, Table, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  type Alert,
  type AlertSeverity,
  type AlertStatus,
  type AlertStatusCounts,
} from '@contracts/alerts.ts';
import { useIdParam } from '../../hooks/useIdParam.ts';
import { useCan } from '../../app/auth.tsx';
import { rangeQuery } from '../../app/format.ts';
import { FilterBar } from '../../components/FilterBar.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { usePagedList, type PageQuery } from '../../hooks/usePagedList.ts';
import { t } from '../../locales/zh-CN.ts';
import { AlertDrawer } from './AlertDrawer.tsx';
import { alertsApi, joinValues, type AlertFilters } from './api.ts';
import { alertColumns } from './columns.tsx';

interface FilterValues {
  q?: string;
  rule?: string;
  severity?: AlertSeverity[];
  unitId?: number;
  assignee?: 'me' | 'none';
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** The tabs: 未结 (open + acknowledged, the default), each status, and everything. */
const TABS: Array<{ key: string; label: string; statuses: AlertStatus[] | undefined }> = [
  { key: 'unclosed', label: '未结', statuses: ['open', 'acknowledged'] },
  ...(Object.entries(ALERT_STATUSES) as Array<[AlertStatus, string]>).map(([key, label]) => ({ key, label, statuses: [key] })),
  { key: 'all', label: '全部', statuses: undefined },
];
const countOf = (counts: AlertStatusCounts | null, statuses: AlertStatus[] | undefined) =>
  counts ? (statuses ?? (Object.keys(counts) as AlertStatus[])).reduce((n, s) => n + counts[s], 0) : undefined;

const severityOptions = Object.entries(ALERT_SEVERITIES).map(([value, label]) => ({ value, label }));
const assigneeOptions = [
  { value: 'me', label: '分派给我' },
  { value: 'none', label: '未分派' },
];


export default function AlertsPage() {
  const can = useCan();
  const [tab, setTab] = useState('unclosed');
  const [counts, setCounts] = useState<AlertStatusCounts | null>(null);
  const [rules, setRules] = useState<string[]>([]);
  const [openId, setOpenId] = useIdParam();

  // The page comes with the count per status under the same filters: the tabs show them.
  const fetchPage = useCallback(async (query: AlertFilters & PageQuery) => {
    const page = await alertsApi.list(query);
    setCounts(page.statusCounts);
    return page;
  }, []);
  const list = usePagedList<Alert, AlertFilters>(fetchPage, { status: joinValues(TABS[0]!.statuses) });

  useEffect(() => {
    alertsApi
      .stats()
      .then((s) => setRules(s.items.map((r) => r.rule)))
      .catch(() => undefined); // the rule filter stays a free choice of none
  }, []);

  const columns = useMemo(() => alertColumns((a) => setOpenId(a.id)), [setOpenId]);
  const statusOf = (key: string) => joinValues(TABS.find((x) => x.key === key)?.statuses);

  return (
    <>
      <FilterBar<FilterValues>
        onSearch={({ range, severity, ...rest }) =>
          list.search({ ...rest, severity: joinValues(severity), status: list.filters.status, ...rangeQuery(range) })
        }
      >
        <Form.Item name="q" label={t.keyword}>
          <Input allowClear placeholder="标题、对象、号牌" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="rule" label="规则">
          <Select allowClear showSearch placeholder="全部" options={rules.map((r) => ({ value: r, label: r }))} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="severity" label="等级">
          <Select mode="multiple" allowClear placeholder="全部" options={severityOptions} style={{ minWidth: 120 }} />
        </Form.Item>
        {can('org:unit:view') && (
          <Form.Item name="unitId" label="单位" tooltip="包含下级单位">
            <UnitTreeSelect allowClear allowInactive placeholder="全部单位" />
          </Form.Item>
        )}
        <Form.Item name="assignee" label="处理人">
          <Select allowClear placeholder="全部" options={assigneeOptions} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="range" label="发生时间">
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
      </FilterBar>
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          setTab(key);
          list.search({ ...list.filters, status: statusOf(key) });
        }}
        items={TABS.map(({ key, label, statuses }) => ({
          key,
          label: (
            <>
              {label}
              <Badge count={countOf(counts, statuses)} showZero overflowCount={9999} color={key === 'open' ? 'red' : '#bfbfbf'} style={{ marginInlineStart: 6 }} />
            </>
          ),
        }))}
      />
      <Table<Alert>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: 1200 }}
      />
      <AlertDrawer id={openId} onClose={() => setOpenId(null)} onChanged={list.reload} />
    </>
  );
}
