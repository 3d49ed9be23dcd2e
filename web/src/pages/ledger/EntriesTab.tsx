// 账本条目: the ledger filtered by actor, action, subject and time; rows expand to the recorded
// payload; exportable; each row opens its detail with the in-browser verification.
import { Button, DatePicker, Form, Input, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { DownloadOutlined } from '@ant-design/icons';
import type { LedgerEntry } from '@contracts/ledger.ts';
import { rangeQuery } from '../../app/format.ts';
import { FilterBar } from '../../components/FilterBar.tsx';
import { useExport } from '../../hooks/useExport.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { t } from '../../locales/zh-CN.ts';
import { ledgerApi, type LedgerFilters } from './api.ts';
import { PayloadView, ledgerColumns } from './columns.tsx';

type FilterValues = Omit<LedgerFilters, 'from' | 'to'> & { range?: [Dayjs | null, Dayjs | null] | null };

export function EntriesTab({ onDetail }: { onDetail: (seq: number) => void }) {
  const list = usePagedList<LedgerEntry, LedgerFilters>(ledgerApi.list, {});
  const { exporting, exportFile } = useExport(() => ledgerApi.exportXlsx(list.filters));

  return (
    <>
      <FilterBar<FilterValues>
        onSearch={({ range, ...rest }) => list.search({ ...rest, ...rangeQuery(range) })}
        actions={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportFile}>
            {t.export}
          </Button>
        }
      >
        <Form.Item name="actor" label="操作人">
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="action" label="动作">
          <Input allowClear placeholder="如 org.person.create" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="subjectType" label="对象类型">
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="subjectId" label="对象编号">
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="range" label={t.timeRange}>
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
      </FilterBar>
      <Table<LedgerEntry>
        rowKey="seq"
        size="middle"
        columns={ledgerColumns(onDetail)}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        expandable={{ expandedRowRender: (entry) => <PayloadView entry={entry} /> }}
        scroll={{ x: 1400 }}
      />
    </>
  );
}
