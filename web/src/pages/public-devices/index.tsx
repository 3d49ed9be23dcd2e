// 电子监控设备设置地点公示: the public list, no login. Every announced, active fixed device: where it
// is, what kind, which violations it captures and when it was announced (L1 Art.16 publishes
// fixed devices' locations) — nothing internal. Laid out as cards so it reads on a phone.
import { useCallback, useMemo, useState } from 'react';
import { Alert, Card, Col, Empty, Flex, Input, Layout, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { PublicDevice } from '@contracts/devices.ts';
import { t } from '../../locales/zh-CN.ts';
import { useLoad } from '../records/useLoad.ts';
import { publicDevicesApi } from './api.ts';
import { filterPublicDevices, placeLine } from './filter.ts';

export default function PublicDevicesPage() {
  const load = useCallback(() => publicDevicesApi.list(), []);
  const { data, error, loading } = useLoad(load);
  const [q, setQ] = useState('');
  const [type, setType] = useState<string | undefined>(undefined);
  const items = useMemo(() => filterPublicDevices(data?.items ?? [], q, type), [data, q, type]);
  const typeOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of data?.items ?? []) seen.set(d.type, d.typeLabel);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [data]);

  return (
    <Layout style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Layout.Header style={{ background: '#1f4e99', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography.Text style={{ color: '#fff', fontWeight: 600, fontSize: 16 }}>{t.appName}</Typography.Text>
        <Link to="/login" style={{ color: '#fff' }}>
          工作人员登录
        </Link>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1100, width: '100%', margin: '0 auto' }}>
        <Typography.Title level={3} style={{ marginTop: 8 }}>
          交通技术监控设备设置地点公示
        </Typography.Title>
        <Typography.Paragraph data-testid="public-devices-intro">
          依据《道路交通安全违法行为处理程序规定》第十六条，固定式交通技术监控设备的设置地点应当向社会公布；依据《中华人民共和国行政处罚法》第四十一条，电子技术监控设备应经法制和技术审核，设置地点应当向社会公布，未经审核或不符合要求的设备记录的违法事实不得作为处罚依据。
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          下表列出本辖区已公告、正在启用的固定式监控设备，以及各设备抓拍的违法行为。移动测速等非固定设备不在此列，由民警现场操作。
        </Typography.Paragraph>
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder="按道路或地点搜索" onSearch={setQ} onChange={(e) => !e.target.value && setQ('')} style={{ width: 260, maxWidth: '100%' }} aria-label="按道路或地点搜索" />
          <Select allowClear placeholder="全部设备类型" options={typeOptions} value={type} onChange={setType} style={{ width: 220, maxWidth: '100%' }} aria-label="设备类型" />
          {data && (
            <Typography.Text type="secondary" style={{ alignSelf: 'center' }} data-testid="public-devices-count">
              共 {items.length} 处{items.length !== data.total ? `（全部 ${data.total} 处）` : ''}
            </Typography.Text>
          )}
        </Flex>
        {error && <Alert type="error" showIcon title="暂时无法读取公示信息，请稍后再试" description={error} />}
        {loading && !data && <Skeleton active paragraph={{ rows: 6 }} />}
        {data && items.length === 0 && <Empty description={data.total ? '没有符合条件的设备' : '暂无公示的设备'} />}
        <Row gutter={[16, 16]} data-testid="public-devices">
          {items.map((d, i) => (
            <Col key={`${d.road}:${d.km ?? ''}:${d.direction ?? ''}:${i}`} xs={24} md={12} xl={8}>
              <DeviceCard device={d} />
            </Col>
          ))}
        </Row>
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: '#8c8c8c' }}>如对设备设置有意见或建议，可向当地公安交通管理部门反映。</Layout.Footer>
    </Layout>
  );
}

function DeviceCard({ device: d }: { device: PublicDevice }) {
  return (
    <Card
      size="small"
      className="public-device"
      title={
        <Space size={6}>
          <EnvironmentOutlined />
          <span>{d.road}</span>
        </Space>
      }
      extra={<Tag color="blue">{d.typeLabel}</Tag>}
      style={{ height: '100%' }}
    >
      <Typography.Paragraph style={{ marginBottom: 8 }}>{placeLine(d)}</Typography.Paragraph>
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">抓拍违法行为：</Typography.Text>
        {d.violations.map((v) => v.name).join('；') || '—'}
      </Typography.Paragraph>
      <Typography.Text type="secondary">公告日期：{d.announcedOn}</Typography.Text>
    </Card>
  );
}
