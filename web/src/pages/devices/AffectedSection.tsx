// 设备不合法期间的抓拍: every record the device captured while the registry (as it stands now) says
// it was not lawful, by outcome — what the legal officer re-reviews, and whose penalties she voids.
import { useCallback, useMemo } from 'react';
import { Alert, Button, Empty, Flex, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { AffectedRecords } from '@contracts/devices.ts';
import type { Outcome } from '@contracts/enforcement.ts';
import { useCan } from '../../app/auth.tsx';
import { fmtTime } from '../../app/format.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { outcomeLabel } from '../records/labels.ts';
import { OutcomeTag } from '../records/tags.tsx';
import { useLoad } from '../records/useLoad.ts';
import { devicesApi } from './api.ts';
import { conditionLabel } from './tags.tsx';

type Item = AffectedRecords['items'][number];

export function AffectedSection({ deviceId, revision }: { deviceId: string; revision: number }) {
  const can = useCan();
  // the revision is part of the key: a change to the registry changes the window
  const load = useCallback(() => devicesApi.affected(deviceId), [deviceId, revision]);
  const { data, error, loading, reload } = useLoad(load);
  const found = data && data.deviceId === deviceId ? data : undefined;
  const canRecords = can('enforcement:view');
  // newest first: what came in since the change is what the officer looks for first
  const items = useMemo(() => [...(found?.items ?? [])].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt)), [found]);

  const columns = [
    {
      title: '记录',
      dataIndex: 'id',
      width: 100,
      render: (id: number) => (canRecords ? <Link to={`/enforcement/records?id=${id}`}>#{id}</Link> : `#${id}`),
    },
    { title: '违法时间', dataIndex: 'occurredAt', width: 170, render: fmtTime },
    { title: '号牌', dataIndex: 'plate', width: 110 },
    { title: '违法代码', dataIndex: 'violationCode', width: 90 },
    { title: '结果', dataIndex: 'outcome', width: 90, render: (o: string) => <OutcomeTag outcome={o as Outcome} /> },
    {
      title: '当时缺少的条件',
      dataIndex: 'missing',
      render: (m: string[]) => (
        <Space size={[4, 4]} wrap>
          {m.map((c) => (
            <Tag key={c} color="red" bordered={false}>
              {conditionLabel(c)}
            </Tag>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <DrawerSection title="设备不合法期间的抓拍" extra={<Button size="small" onClick={reload} loading={loading}>重新核查</Button>}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        按台账现状（第 {revision} 版）逐条核查本设备的全部抓拍：抓拍时设备不符合合法条件的记录不能作为处罚证据（《行政处罚法》第41条），已处罚的应复核并依法撤销。
      </Typography.Paragraph>
      {error && <Alert type="warning" showIcon title="无法核查" description={error} />}
      {found && (
        <div data-testid="device-affected">
          {found.total === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有设备不合法期间的抓拍" />
          ) : (
            <>
              <Flex wrap gap={24} style={{ marginBottom: 12 }}>
                <Statistic title="合计" value={found.total} />
                {Object.entries(found.byOutcome).map(([o, n]) => (
                  <Statistic key={o} title={outcomeLabel(o)} value={n} />
                ))}
              </Flex>
              <Table<Item>
                size="small"
                rowKey="id"
                dataSource={items}
                columns={columns}
                pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
                scroll={{ x: 720 }}
              />
              {found.items.length < found.total && (
                <Typography.Text type="secondary">
                  仅列出前 {found.items.length} 条；全部 {found.total} 条可在“执法记录”中按设备编号 {deviceId} 查询。
                </Typography.Text>
              )}
            </>
          )}
        </div>
      )}
    </DrawerSection>
  );
}
