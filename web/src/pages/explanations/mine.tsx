// 我的说明: the explanation requests sent to the signed-in person about their own look-ups, newest
// first; each opens its detail, where they answer before the deadline. On a phone — where many
// officers will read it — each request is a card instead of a table row.
import { useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Grid, Pagination, Space, Spin, Table, Tabs, Typography } from 'antd';
import type { Explanation, ExplanationStatus } from '@contracts/lookups.ts';
import { fmtTime } from '../../app/format.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { useIdParam } from '../../hooks/useIdParam.ts';
import { explanationsApi } from './api.ts';
import { explanationColumns } from './columns.tsx';
import { ExplanationDrawer } from './ExplanationDrawer.tsx';
import { explanationStatusTag, overdueTag } from './labels.tsx';

const TABS: Array<{ key: string; label: string; status?: ExplanationStatus }> = [
  { key: 'requested', label: '待我说明', status: 'requested' },
  { key: 'all', label: '全部' },
];

export default function MyExplanationsPage() {
  const screens = Grid.useBreakpoint();
  const [tab, setTab] = useState('requested');
  const list = usePagedList<Explanation, { status?: ExplanationStatus }>(explanationsApi.mine, { status: 'requested' });
  const [openId, setOpenId] = useIdParam();
  const overdue = list.items.filter((e) => e.status === 'requested' && e.overdue).length;
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tab === 'requested' ? '没有需要您说明的事项' : '没有说明核查'} />;

  return (
    <div data-testid="my-explanations">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="这里列出督察部门就您的数据查询发起的说明核查。请在答复期限内写明每次查询的具体事由，您的说明由督察人员认定。"
      />
      {overdue > 0 && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`有 ${overdue} 件已超过答复期限，请尽快说明`} />}
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          setTab(key);
          list.search({ status: TABS.find((x) => x.key === key)?.status });
        }}
        items={TABS.map(({ key, label }) => ({ key, label }))}
      />
      {screens.md ? (
        <Table<Explanation>
          rowKey="id"
          size="middle"
          columns={explanationColumns((e) => setOpenId(e.id), false)}
          dataSource={list.items}
          loading={list.loading}
          pagination={list.pagination}
          scroll={{ x: 1000 }}
          locale={{ emptyText: empty }}
        />
      ) : (
        <Spin spinning={list.loading}>
          {list.items.length === 0 && !list.loading && empty}
          {list.items.map((e) => (
            <Card key={e.id} size="small" style={{ marginBottom: 12 }} data-testid="my-explanation-card">
              <Flex vertical gap={8}>
                <Space wrap size={4}>
                  <Typography.Text strong>#{e.id}</Typography.Text>
                  {explanationStatusTag(e.status)}
                  {overdueTag(e)}
                </Space>
                <Typography.Paragraph ellipsis={{ rows: 3 }} style={{ margin: 0 }}>
                  {e.question}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.lookupIds.length} 条查询记录 · 期限 {fmtTime(e.deadline)}
                </Typography.Text>
                <Button type={e.status === 'requested' ? 'primary' : 'default'} block onClick={() => setOpenId(e.id)}>
                  {e.status === 'requested' ? '填写说明' : '查看'}
                </Button>
              </Flex>
            </Card>
          ))}
          {(list.pagination.total ?? 0) > (list.pagination.pageSize ?? 20) && (
            <Pagination simple align="center" current={list.pagination.current} pageSize={list.pagination.pageSize} total={list.pagination.total} onChange={list.pagination.onChange} />
          )}
        </Spin>
      )}
      <ExplanationDrawer id={openId} mode="answerer" onClose={() => setOpenId(null)} onChanged={list.reload} />
    </div>
  );
}
