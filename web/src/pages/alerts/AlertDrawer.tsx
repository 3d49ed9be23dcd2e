// One alert: what was found and why (explanation, basis, facts, evidence), where it stands, its
// history, and — for handlers — the actions its status allows (the same table the server checks).
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Flex, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { CheckOutlined, DislikeOutlined, LikeOutlined, ReloadOutlined, RollbackOutlined, StopOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  ALERT_EVENT_ACTIONS,
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  ALERT_SUBJECT_TYPES,
  ALERT_VERDICTS,
  canAssign,
  canTransition,
  type AlertDetail,
  type AlertEvent,
  type AlertSeverity,
  type AlertStatus,
  type AlertVerdict,
} from '@contracts/alerts.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { ApiError } from '../../api/client.ts';
import { useCan, useMe } from '../../app/auth.tsx';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import { ActionModal, type ActionRequest } from './ActionModal.tsx';
import { alertsApi } from './api.ts';
import { severityTag, sourceLabel, statusTag } from './columns.tsx';
import { EvidenceTable, FactsList } from './FactsView.tsx';
import { ExplainButton } from '../explanations/ExplainButton.tsx';


const EVENT_COLORS: Partial<Record<AlertEvent['action'], string>> = { raise: 'red', resolve: 'green', dismiss: 'gray', reopen: 'red' };

/** What an event changed, in words. */
function eventText(e: AlertEvent): ReactNode {
  const parts: ReactNode[] = [];
  if (e.fromStatus && e.toStatus) parts.push(`${ALERT_STATUSES[e.fromStatus]} → ${ALERT_STATUSES[e.toStatus]}`);
  const d = e.details as { severity?: { before?: AlertSeverity; after?: AlertSeverity }; after?: { assigneeName?: string | null; verdict?: AlertVerdict } };
  if (e.action === 'refresh' && d.severity?.before && d.severity.after && d.severity.before !== d.severity.after) {
    parts.push(`等级 ${ALERT_SEVERITIES[d.severity.before]} → ${ALERT_SEVERITIES[d.severity.after]}`);
  }
  if (e.action === 'refresh') parts.push('检测再次发现，内容已更新');
  if (e.action === 'assign') parts.push(d.after?.assigneeName ? `分派给 ${d.after.assigneeName}` : '取消分派');
  if (e.action === 'verdict' && d.after?.verdict) parts.push(ALERT_VERDICTS[d.after.verdict]);
  return (
    <>
      {parts.length > 0 && <div>{parts.join('；')}</div>}
      {e.comment && <Typography.Text type="secondary">“{e.comment}”</Typography.Text>}
    </>
  );
}

function History({ events }: { events: AlertEvent[] }) {
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.id,
        color: EVENT_COLORS[e.action] ?? 'blue',
        title: fmtTime(e.at),
        content: (
          <>
            <Typography.Text strong>{ALERT_EVENT_ACTIONS[e.action]}</Typography.Text>
            <Typography.Text type="secondary"> · {e.actorName}</Typography.Text>
            {eventText(e)}
          </>
        ),
      }))}
    />
  );
}

function useAlert(id: number | null) {
  const [data, setData] = useState<AlertDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (id === null) return;
    let live = true;
    setData(null);
    setError(null);
    alertsApi
      .get(id)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [id, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, setData, error, reload };
}

export function AlertDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const { data, setData, error, reload } = useAlert(id);
  const [busy, setBusy] = useState(false);
  const [request, setRequest] = useState<ActionRequest | null>(null);

  const applied = (done: string) => (a: AlertDetail) => {
    setData(a);
    onChanged();
    void message.success(done);
  };
  const run = async (call: () => Promise<AlertDetail>, done: string) => {
    setBusy(true);
    try {
      applied(done)(await call());
    } catch {
      // the client has shown the message
    } finally {
      setBusy(false);
    }
  };
  const ask = (req: Omit<ActionRequest, 'submit'>, call: (text: string | undefined) => Promise<AlertDetail>, done: string) =>
    setRequest({ ...req, submit: async (text) => applied(done)(await call(text)) });

  const actions = (a: AlertDetail): ReactNode => {
    if (!can('alert:handle')) return null;
    const status: AlertStatus = a.status;
    return (
      <Space wrap>
        {canAssign(status) && a.assigneeAccountId !== me.accountId && (
          <Button icon={<UserAddOutlined />} loading={busy} onClick={() => run(() => alertsApi.assign(a.id, { accountId: me.accountId }), '已分派给您')}>
            分派给我
          </Button>
        )}
        {/* a look-up alert's person is asked to explain the look-ups in its evidence (说明核查) */}
        {a.source === 'lookups' && a.subjectType === 'person' && canAssign(status) && can('lookup:handle') && (
          <ExplainButton
            alert={a}
            onCreated={() => {
              reload();
              onChanged();
            }}
          />
        )}
        {canTransition('acknowledge', status) && (
          <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => run(() => alertsApi.acknowledge(a.id), '已确认处理')}>
            确认处理
          </Button>
        )}
        {canTransition('resolve', status) && (
          <Button
            icon={<CheckOutlined />}
            onClick={() => ask({ title: '办结告警', label: '办结说明', required: false, placeholder: '核查结论、整改情况（选填）' }, (c) => alertsApi.resolve(a.id, c), '已办结')}
          >
            办结
          </Button>
        )}
        {canTransition('dismiss', status) && (
          <Button
            danger
            icon={<StopOutlined />}
            onClick={() => ask({ title: '排除告警', label: '排除原因', required: true, placeholder: '如：经核实系设备时钟误差' }, (r) => alertsApi.dismiss(a.id, r ?? ''), '已排除')}
          >
            排除
          </Button>
        )}
        {canTransition('reopen', status) && (
          <Button
            icon={<RollbackOutlined />}
            onClick={() => ask({ title: '重新打开告警', label: '重新打开的原因', required: false }, (c) => alertsApi.reopen(a.id, c), '已重新打开')}
          >
            重新打开
          </Button>
        )}
        <Button
          icon={<LikeOutlined />}
          disabled={a.verdict === 'agree'}
          onClick={() => ask({ title: '评价：告警准确', label: '评价说明', required: false }, (n) => alertsApi.verdict(a.id, 'agree', n), '已评价')}
        >
          认同
        </Button>
        <Button
          icon={<DislikeOutlined />}
          disabled={a.verdict === 'disagree'}
          onClick={() => ask({ title: '评价：告警有误', label: '误报原因', required: false, placeholder: '如：号牌识别错误' }, (n) => alertsApi.verdict(a.id, 'disagree', n), '已评价')}
        >
          不认同
        </Button>
      </Space>
    );
  };

  return (
    <Drawer
      title={id !== null ? `告警 #${id}` : ''}
      open={id !== null}
      onClose={onClose}
      size={900}
      destroyOnHidden
      extra={<Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新" />}
    >
      {error && <Alert type="error" showIcon title="无法读取该告警" description={error} />}
      {!error && !data && <Skeleton active />}
      {data && (
        <>
          <Flex vertical gap={12} style={{ marginBottom: 24 }}>
            <Space wrap>
              {severityTag(data.severity)}
              {statusTag(data.status)}
              {data.escalated && <Tag color="magenta">已升级</Tag>}
              {data.verdict && <Tag color={data.verdict === 'agree' ? 'green' : 'volcano'}>{ALERT_VERDICTS[data.verdict]}</Tag>}
              <Typography.Title level={5} style={{ margin: 0 }}>
                {data.title}
              </Typography.Title>
            </Space>
            {actions(data)}
          </Flex>

          <DrawerSection title="告警说明">
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{data.explanation}</Typography.Paragraph>
            {data.basis && (
              <Alert type="info" showIcon title="依据" description={<span style={{ whiteSpace: 'pre-wrap' }}>{data.basis}</span>} />
            )}
          </DrawerSection>

          <DrawerSection title="基本信息">
            <Descriptions
              bordered
              size="small"
              column={2}
              items={[
                { key: 'rule', label: '规则', children: <Typography.Text code>{data.rule}</Typography.Text> },
                { key: 'source', label: '来源', children: sourceLabel(data.source) },
                { key: 'subject', label: '对象', children: `${ALERT_SUBJECT_TYPES[data.subjectType]}：${data.subjectLabel}（${data.subjectId}）` },
                { key: 'unit', label: '单位', children: data.unitName ?? t.empty },
                { key: 'occurred', label: '发生时间', children: fmtTime(data.occurredAt) },
                { key: 'version', label: '规则版本', children: data.ruleSetVersion ?? t.empty },
                { key: 'created', label: '首次告警', children: fmtTime(data.createdAt) },
                { key: 'raised', label: '最近检出', children: `${fmtTime(data.lastRaisedAt)}（共 ${data.raiseCount} 次）` },
                { key: 'status', label: '状态', children: <>{statusTag(data.status)}{fmtTime(data.statusChangedAt)}</> },
                { key: 'assignee', label: '处理人', children: data.assigneeName ?? '未分派' },
                ...(data.statusReason ? [{ key: 'reason', label: data.status === 'dismissed' ? '排除原因' : '处理说明', span: 2, children: data.statusReason }] : []),
                ...(data.verdict
                  ? [{ key: 'verdict', label: '评价', span: 2, children: `${ALERT_VERDICTS[data.verdict]}${data.verdictNote ? `：${data.verdictNote}` : ''}` }]
                  : []),
              ]}
            />
          </DrawerSection>

          <DrawerSection title="检测事实">
            <FactsList facts={data.facts} />
          </DrawerSection>

          <DrawerSection title={`证据（${data.evidence.length}）`}>
            <EvidenceTable rows={data.evidence} />
          </DrawerSection>

          <DrawerSection title="处理记录">
            <History events={data.events} />
          </DrawerSection>
        </>
      )}
      <ActionModal request={request} onClose={() => setRequest(null)} />
    </Drawer>
  );
}
