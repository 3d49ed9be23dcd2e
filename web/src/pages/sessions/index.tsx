// 在线用户: live sessions, 强制下线 with confirmation.
import { App, Form, Input, Table } from 'antd';
import { useCan } from '../../app/auth.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { sessionsApi, type OnlineSession, type SessionFilters } from './api.ts';
import { sessionColumns } from './columns.tsx';

export default function SessionsPage() {
  const can = useCan();
  const { message } = App.useApp();
  const list = usePagedList<OnlineSession, SessionFilters>(sessionsApi.list, {});

  const revoke = (s: OnlineSession) =>
    sessionsApi.revoke(s.id).then(
      () => {
        message.success(`${s.username} 已被强制下线`);
        list.reload();
      },
      () => undefined, // shown by the client
    );

  return (
    <>
      <FilterBar<SessionFilters> onSearch={list.search}>
        <Form.Item name="username" label="用户名">
          <Input allowClear style={{ width: 160 }} />
        </Form.Item>
      </FilterBar>
      <Table<OnlineSession>
        rowKey="id"
        size="middle"
        columns={sessionColumns(can('auth:session:revoke'), revoke)}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
      />
    </>
  );
}
