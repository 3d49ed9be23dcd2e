// 查询记录: the look-ups in the account's data scope, filtered by person, unit, period, query type
// and purpose verdict. Subjects are masked; the detail drawer unmasks through the ledgered read.
// Inspectors pick unjustified look-ups of one person and ask them to explain.
import { useState } from 'react';
import { Button, DatePicker, Empty, Form, Grid, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { QUERY_TYPES, type LookupSummary, type QueryType } from '@contracts/lookups.ts';
import { useCan } from '../../../app/auth.tsx';
import { rangeQuery } from '../../../app/format.ts';
import { FilterBar } from '../../../components/FilterBar.tsx';
import { UnitTreeSelect } from '../../../components/UnitTreeSelect.tsx';
import { usePagedList } from '../../../hooks/usePagedList.ts';
import { useIdParam } from '../../../hooks/useIdParam.ts';
import { RequestModal, type ExplanationTarget } from '../../explanations/RequestModal.tsx';
import { lookupsApi, type LookupFilters } from '../api.ts';
import { lookupColumns } from '../columns.tsx';
import { optionsOf } from '../labels.tsx';
import { LookupDrawer } from '../LookupDrawer.tsx';
import { PersonField } from '../PersonField.tsx';

interface FilterValues {
  personId?: number;
  unitId?: number;
  range?: [Dayjs | null, Dayjs | null] | null;
  queryType?: QueryType;
  justified?: 'true' | 'false';
  unknown?: 'true' | 'false';
}

const justifiedOptions = [
  { value: 'false', label: '无正当事由' },
  { value: 'true', label: '有事由' },
];

export default function LookupRecordsPage() {
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const list = usePagedList<LookupSummary, LookupFilters>(lookupsApi.list, {});
  const [openId, setOpenId] = useIdParam();
  const [selected, setSelected] = useState<LookupSummary[]>([]);
  const [target, setTarget] = useState<ExplanationTarget | null>(null);
  const canAsk = can('lookup:handle');

  // one request goes to one person: the selection must be theirs alone
  const people = new Set(selected.map((l) => l.personId));
  const askable = selected.length > 0 && people.size === 1 && !people.has(null);

  return (
    <>
      <FilterBar<FilterValues>
        onSearch={({ range, ...rest }) => {
          setSelected([]);
          list.search({ ...rest, ...rangeQuery(range) });
        }}
        actions={
          canAsk && (
            <Button
              icon={<QuestionCircleOutlined />}
              disabled={!askable}
              title={selected.length > 0 && !askable ? '一次只能向同一名在册人员发起' : undefined}
              onClick={() => setTarget({ lookupIds: selected.map((l) => l.id), who: `${selected[0]!.personName}（${selected[0]!.account}）` })}
            >
              发起说明核查{selected.length > 0 ? `（${selected.length}）` : ''}
            </Button>
          )
        }
      >
        {can('org:person:view') && (
          <Form.Item name="personId" label="查询人">
            <PersonField />
          </Form.Item>
        )}
        {can('org:unit:view') && (
          <Form.Item name="unitId" label="单位" tooltip="包含下级单位">
            <UnitTreeSelect allowClear allowInactive placeholder="全部单位" />
          </Form.Item>
        )}
        <Form.Item name="range" label="查询时间">
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} style={{ maxWidth: 'calc(100vw - 140px)' }} />
        </Form.Item>
        <Form.Item name="queryType" label="类型">
          <Select allowClear placeholder="全部" options={optionsOf(QUERY_TYPES)} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="justified" label="事由核验">
          <Select allowClear placeholder="全部" options={justifiedOptions} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="unknown" label="查询账号" tooltip="账号与人员库中的警号对不上（L-UNKNOWN）">
          <Select
            allowClear
            placeholder="全部"
            options={[
              { value: 'true', label: '无对应人员' },
              { value: 'false', label: '在册人员' },
            ]}
            style={{ width: 120 }}
          />
        </Form.Item>
      </FilterBar>
      <Table<LookupSummary>
        rowKey="id"
        size="middle"
        columns={lookupColumns({ onDetail: (l) => setOpenId(l.id), profileLinks: true, compact: !screens.md })}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: screens.md ? 1120 : 760 }}
        rowSelection={canAsk ? { selectedRowKeys: selected.map((l) => l.id), onChange: (_, rows) => setSelected(rows), preserveSelectedRowKeys: true } : undefined}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的查询记录" /> }}
      />
      <LookupDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        onAsk={(l) => setTarget({ lookupIds: [l.id], who: `${l.personName}（${l.account}）` })}
      />
      <RequestModal
        target={target}
        onClose={(created) => {
          setTarget(null);
          if (created) {
            setSelected([]);
            list.reload();
          }
        }}
      />
    </>
  );
}
