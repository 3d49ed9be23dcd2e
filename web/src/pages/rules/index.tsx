// 规则参数: the brigade's fair-enforcement parameters. The current version grouped, its edit form
// (rules:edit; every save is a new version with a note), the versions, and a comparison of two.
import { useCallback, useState } from 'react';
import { App, Button, Descriptions, Empty, Flex, Modal, Result, Skeleton, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import type { RuleSet } from '@contracts/rules.ts';
import { useCan } from '../../app/auth.tsx';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import { useLoad } from '../records/useLoad.ts';
import { rulesApi, type RuleSetHead } from './api.ts';
import { DiffView } from './DiffView.tsx';
import { ParamsView } from './ParamsView.tsx';
import { RuleSetForm } from './RuleSetForm.tsx';

type TabKey = 'current' | 'versions' | 'diff';

function LoadFailed({ error, onRetry }: { error: string; onRetry: () => void }) {
  return <Result status="warning" title="加载失败" subTitle={error} extra={<Button onClick={onRetry}>重试</Button>} />;
}

function VersionHead({ set }: { set: Pick<RuleSet, 'version' | 'createdAt' | 'createdBy' | 'note'> }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 4 }}
      items={[
        { key: 'v', label: '版本', children: <Tag color="blue">v{set.version}</Tag> },
        { key: 'at', label: '生效时间', children: fmtTime(set.createdAt) },
        { key: 'by', label: '调整人', children: set.createdBy ?? t.empty },
        { key: 'note', label: '说明', children: set.note || t.empty },
      ]}
    />
  );
}

export default function RulesPage() {
  const can = useCan();
  const { message } = App.useApp();
  const loadCurrent = useCallback(() => rulesApi.current({ silent: true }), []);
  const loadVersions = useCallback(() => rulesApi.versions({ silent: true }), []);
  const current = useLoad(loadCurrent);
  const versions = useLoad(loadVersions);
  const [tab, setTab] = useState<TabKey>('current');
  const [editing, setEditing] = useState(false);
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);

  const saved = (set: RuleSet) => {
    setEditing(false);
    message.success(`已保存为规则版本 v${set.version}`);
    current.reload();
    versions.reload();
  };

  const compareWithPrevious = (v: RuleSetHead) => {
    setPair({ from: v.version - 1, to: v.version });
    setTab('diff');
  };

  const currentTab = (
    <>
      {current.error && <LoadFailed error={current.error} onRetry={current.reload} />}
      {!current.error && !current.data && <Skeleton active paragraph={{ rows: 10 }} />}
      {current.data && !current.error && (
        <>
          <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
            <div style={{ flex: '1 1 480px' }}>
              <VersionHead set={current.data} />
            </div>
            {can('rules:edit') && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)}>
                调整参数
              </Button>
            )}
          </Flex>
          <ParamsView params={current.data.params} />
        </>
      )}
    </>
  );

  const versionsTab = versions.error ? (
    <LoadFailed error={versions.error} onRetry={versions.reload} />
  ) : (
    <Table<RuleSetHead>
      rowKey="version"
      size="middle"
      loading={versions.loading}
      dataSource={versions.data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: 860 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无规则版本" /> }}
      columns={[
        {
          title: '版本',
          dataIndex: 'version',
          width: 110,
          render: (v: number) => (
            <>
              v{v} {v === current.data?.version && <Tag color="blue">当前</Tag>}
            </>
          ),
        },
        { title: '生效时间', dataIndex: 'createdAt', width: 170, render: fmtTime },
        { title: '调整人', dataIndex: 'createdBy', width: 120, render: (v: string | null) => v ?? t.empty },
        { title: '说明', dataIndex: 'note', render: (v: string) => v || t.empty },
        {
          title: t.actions,
          key: 'actions',
          width: 190,
          fixed: 'right',
          render: (_, v) => (
            <Flex gap={4} wrap>
              <Button type="link" size="small" onClick={() => setViewing(v.version)}>
                查看参数
              </Button>
              {v.version > 1 && (
                <Button type="link" size="small" onClick={() => compareWithPrevious(v)}>
                  与上一版比较
                </Button>
              )}
            </Flex>
          ),
        },
      ]}
    />
  );

  return (
    <>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as TabKey)}
        items={[
          { key: 'current', label: '当前参数', children: currentTab },
          { key: 'versions', label: '版本记录', children: versionsTab },
          {
            key: 'diff',
            label: '版本比较',
            children: versions.error ? (
              <LoadFailed error={versions.error} onRetry={versions.reload} />
            ) : versions.data ? (
              <DiffView versions={versions.data} pair={pair} />
            ) : (
              <Skeleton active />
            ),
          },
        ]}
      />
      {can('rules:edit') && (
        <RuleSetForm current={current.data ?? null} open={editing} onClose={() => setEditing(false)} onSaved={saved} />
      )}
      <VersionModal version={viewing} onClose={() => setViewing(null)} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        每个规则版本一经保存不再修改；每条执法记录都注明判定所用的版本。
      </Typography.Paragraph>
    </>
  );
}

function VersionModal({ version, onClose }: { version: number | null; onClose: () => void }) {
  const load = useCallback(() => rulesApi.version(version ?? 0, { silent: true }), [version]);
  const set = useLoad(version === null ? null : load);
  const shown = set.data && set.data.version === version ? set.data : undefined;
  return (
    <Modal
      open={version !== null}
      title={version !== null ? `规则版本 v${version}` : ''}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t.close}</Button>}
      width="min(960px, 100vw)"
      destroyOnHidden
    >
      {set.error && <LoadFailed error={set.error} onRetry={set.reload} />}
      {!set.error && !shown && <Skeleton active paragraph={{ rows: 8 }} />}
      {shown && !set.error && (
        <>
          <VersionHead set={shown} />
          <ParamsView params={shown.params} />
        </>
      )}
    </Modal>
  );
}
