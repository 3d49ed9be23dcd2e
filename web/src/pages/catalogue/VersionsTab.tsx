// 版本: every catalogue version (newest first) and the comparison of any two.
import { useEffect, useState } from 'react';
import { Button, Card, Col, Empty, Form, Row, Select, Space, Statistic, Table, Tabs, Typography } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { CATALOGUE_FIELD_LABELS, type CatalogueDiff, type CatalogueVersion } from '@contracts/catalogue.ts';
import { catalogueApi } from './api.ts';
import { catalogueColumns, rowKey, versionColumns, versionLabel } from './columns.tsx';

type Changed = CatalogueDiff['changed'][number];

const changedColumns = [
  { title: '违法代码', dataIndex: 'code', width: 100 },
  { title: '违法行为', dataIndex: 'description', width: 260, ellipsis: true },
  {
    title: '变更内容',
    key: 'changes',
    render: (_: unknown, c: Changed) => (
      <Space orientation="vertical" size={2}>
        {c.changes.map((ch, i) => (
          <span key={i}>
            <Typography.Text strong>{CATALOGUE_FIELD_LABELS[ch.field]}</Typography.Text>
            {ch.effectiveFrom && <Typography.Text type="secondary">（{ch.effectiveFrom} 起的有效期）</Typography.Text>}：
            <Typography.Text delete type="secondary">{ch.before}</Typography.Text> → <Typography.Text mark>{ch.after}</Typography.Text>
          </span>
        ))}
      </Space>
    ),
  },
];

export function VersionsTab({ versions, loading }: { versions: CatalogueVersion[]; loading: boolean }) {
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const [diff, setDiff] = useState<CatalogueDiff | null>(null);
  const [comparing, setComparing] = useState(false);

  // default pair: the previous version against the current one
  useEffect(() => {
    const current = versions[0];
    if (!current) return;
    setTo((v) => v ?? current.version);
    setFrom((v) => v ?? versions[1]?.version);
  }, [versions]);

  const compare = (a: number | undefined, b: number | undefined) => {
    if (a === undefined || b === undefined) return;
    setFrom(a);
    setTo(b);
    setComparing(true);
    catalogueApi
      .diff(a, b)
      .then(setDiff)
      .catch(() => setDiff(null)) // the client has shown the error
      .finally(() => setComparing(false));
  };

  const options = versions.map((v) => ({ value: v.version, label: versionLabel(v) }));
  const rowColumns = catalogueColumns();

  return (
    <>
      <Table<CatalogueVersion>
        rowKey="version"
        size="middle"
        columns={versionColumns((v) => compare(v.version - 1, v.version))}
        dataSource={versions}
        loading={loading}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 1300 }}
      />
      <Card title="版本对比" size="small" style={{ marginTop: 16 }}>
        <Form layout="inline" style={{ rowGap: 12, marginBottom: 16 }}>
          <Form.Item label="原版本">
            <Select value={from} onChange={setFrom} options={options} placeholder="选择版本" style={{ width: 240 }} />
          </Form.Item>
          <Form.Item>
            <SwapOutlined />
          </Form.Item>
          <Form.Item label="新版本">
            <Select value={to} onChange={setTo} options={options} placeholder="选择版本" style={{ width: 240 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" disabled={from === undefined || to === undefined} loading={comparing} onClick={() => compare(from, to)}>
              对比
            </Button>
          </Form.Item>
        </Form>
        {!diff && <Empty description={versions.length < 2 ? '只有一个版本，导入新版本后可对比' : '选择两个版本后点击“对比”'} />}
        {diff && (
          <div data-testid="catalogue-diff">
            <Typography.Paragraph>
              {versionLabel(diff.from)} → {versionLabel(diff.to)}
            </Typography.Paragraph>
            <Row gutter={16} style={{ marginBottom: 16 }}>
              <Col span={6}>
                <Statistic title="新增代码" value={new Set(diff.added.map((r) => r.code)).size} styles={{ content: { color: '#389e0d' } }} />
              </Col>
              <Col span={6}>
                <Statistic title="变更代码" value={diff.changed.length} styles={{ content: { color: '#d48806' } }} />
              </Col>
              <Col span={6}>
                <Statistic title="删除代码" value={new Set(diff.removed.map((r) => r.code)).size} styles={{ content: { color: '#cf1322' } }} />
              </Col>
            </Row>
            <Tabs
              items={[
                {
                  key: 'changed',
                  label: `变更（${diff.changed.length}）`,
                  children: <Table<Changed> rowKey="code" size="small" columns={changedColumns} dataSource={diff.changed} pagination={{ pageSize: 20, hideOnSinglePage: true }} />,
                },
                {
                  key: 'added',
                  label: `新增（${diff.added.length} 条）`,
                  children: <Table rowKey={rowKey} size="small" columns={rowColumns} dataSource={diff.added} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 1400 }} />,
                },
                {
                  key: 'removed',
                  label: `删除（${diff.removed.length} 条）`,
                  children: <Table rowKey={rowKey} size="small" columns={rowColumns} dataSource={diff.removed} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 1400 }} />,
                },
              ]}
            />
          </div>
        )}
      </Card>
    </>
  );
}
