// 登录日志: every login attempt, filtered by user, result and time; exportable.
import { Button, DatePicker, Form, Input, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { DownloadOutlined } from '@ant-design/icons';
import { LOGIN_RESULTS } from '@contracts/auth.ts';
import { rangeQuery } from '../../app/format.ts';
import { FilterBar } from '../../components/FilterBar.tsx';
import { useExport } from '../../hooks/useExport.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { t } from '../../locales/zh-CN.ts';
import { loginLogApi, type LoginLogEntry, type LoginLogFilters } from './api.ts';
import { loginLogColumns } from './columns.tsx';

interface FilterValues {
  username?: string;
  result?: LoginLogEntry['result'];
  range?: [Dayjs | null, Dayjs | null] | null;
}

const resultOptions = Object.entries(LOGIN_RESULTS).map(([value, label]) => ({ value, label }));

export default function LoginLogPage() {
  const list = usePagedList<LoginLogEntry, LoginLogFilters>(loginLogApi.list, {});
  const { exporting, exportFile } = useExport(() => loginLogApi.exportXlsx(list.filters));

  return (
    <>
      <FilterBar<FilterValues>
        onSearch={({ username, result, range }) => list.search({ username, result, ...rangeQuery(range) })}
        actions={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportFile}>
            {t.export}
          </Button>
        }
      >
        <Form.Item name="username" label="用户名">
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="result" label="结果">
          <Select allowClear placeholder="全部" options={resultOptions} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="range" label={t.timeRange}>
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
      </FilterBar>
      <Table<LoginLogEntry>
        rowKey="id"
        size="middle"
        columns={loginLogColumns}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
      />
    </>
  );
}
