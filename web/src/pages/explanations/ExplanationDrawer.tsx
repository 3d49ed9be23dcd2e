// One explanation request: what was asked, about which look-ups (masked), the answer, and the
// decision. The person asked answers here (我的说明); the inspector accepts the answer — which
// resolves the alert — or escalates it (处理 on 说明核查).
import { useCallback, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Skeleton, Space, Table, Typography } from 'antd';
import { CheckOutlined, RiseOutlined, SendOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { ExplanationDetail, LookupSummary } from '@contracts/lookups.ts';
import { fmtTime } from '../../app/format.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { t } from '../../locales/zh-CN.ts';
import { ActionModal, type ActionRequest } from '../alerts/ActionModal.tsx';
import { useLoad } from '../records/useLoad.ts';
import { purposeLabel, queryTypeTag, subjectText, justifiedTag } from '../lookups/labels.tsx';
import { explanationsApi } from './api.ts';
import { explanationStatusTag, overdueTag } from './labels.tsx';

type Mode = 'inspector' | 'answerer';

const lookupColumns = [
  { title: '查询时间', dataIndex: 'at', width: 170, render: fmtTime },
  { title: '类型', dataIndex: 'queryType', width: 120, render: queryTypeTag },
  { title: '查询对象', key: 'subject', width: 200, render: (_: unknown, l: LookupSummary) => subjectText(l.subject) },
  {
    title: '填报事由',
    key: 'purpose',
    render: (_: unknown, l: LookupSummary) => `${purposeLabel(l.purposeCategory)}${l.purposeText ? `：${l.purposeText}` : ''}${l.caseRef ? `（${l.caseRef}）` : ''}`,
  },
  { title: '事由核验', dataIndex: 'justified', width: 110, render: (j: boolean) => justifiedTag(j) },
];

export function ExplanationDrawer({ id, mode, onClose, onChanged }: { id: number | null; mode: Mode; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const load = useCallback(() => (mode === 'inspector' ? explanationsApi.get(id!) : explanationsApi.getMine(id!)), [id, mode]);
  const { data, error, reload } = useLoad(id !== null ? load : null);
  const e = data && data.id === id ? data : undefined;
  const [request, setRequest] = useState<ActionRequest | null>(null);
  const [form] = Form.useForm<{ answer: string }>();
  const [saving, setSaving] = useState(false);

  const changed = (done: string) => {
    void message.success(done);
    reload();
    onChanged();
  };

  const answer = async (d: ExplanationDetail) => {
    let v: { answer: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await explanationsApi.answer(d.id, v.answer.trim());
      changed('说明已提交');
    } catch {
      // the client has shown the server's message
    } finally {
      setSaving(false);
    }
  };

  const inspectorActions = (d: ExplanationDetail) => (
    <Space wrap>
      {d.status === 'answered' && (
        <Button
          type="primary"
          icon={<CheckOutlined />}
          onClick={() =>
            setRequest({
              title: '认可说明',
              label: '认定意见（选填）',
              required: false,
              placeholder: '如：经核实，查询系办理案件需要',
              submit: async (note) => {
                await explanationsApi.accept(d.id, note);
                changed(d.alertId !== null ? '已认可，关联告警已办结' : '已认可');
              },
            })
          }
        >
          认可说明
        </Button>
      )}
      {/* an unanswered request is escalated only once its deadline has passed */}
      {(d.status === 'answered' || (d.status === 'requested' && d.overdue)) && (
        <Button
          danger
          icon={<RiseOutlined />}
          onClick={() =>
            setRequest({
              title: '升级处理',
              label: '升级理由',
              required: true,
              placeholder: '如：说明与事实不符，需立案调查',
              submit: async (note) => {
                await explanationsApi.escalate(d.id, note ?? '');
                changed(d.alertId !== null ? '已升级，关联告警保持未结并标记为已升级' : '已升级');
              },
            })
          }
        >
          升级处理
        </Button>
      )}
    </Space>
  );

  return (
    <Drawer title={id !== null ? `说明核查 #${id}` : ''} open={id !== null} onClose={onClose} size={820} destroyOnHidden>
      {error && <Alert type="error" showIcon title="无法读取该说明核查" description={error} />}
      {!error && !e && <Skeleton active />}
      {e && (
        <div data-testid="explanation-detail">
          <Space wrap style={{ marginBottom: 16 }}>
            {explanationStatusTag(e.status)}
            {overdueTag(e)}
            {mode === 'inspector' && inspectorActions(e)}
          </Space>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 2 }}
            style={{ marginBottom: 24 }}
            items={[
              { key: 'person', label: '说明人', children: `${e.personName}（${e.badgeNo}）` },
              { key: 'unit', label: '单位', children: e.unitName ?? t.empty },
              { key: 'asked', label: '发起', children: `${e.askedBy} · ${fmtTime(e.askedAt)}` },
              { key: 'deadline', label: '答复期限', children: fmtTime(e.deadline) },
              ...(e.alertId !== null
                ? [
                    {
                      key: 'alert',
                      label: '关联告警',
                      children: mode === 'inspector' ? <Link to={`/alerts?id=${e.alertId}`}>#{e.alertId} {e.alertRule}</Link> : `#${e.alertId} ${e.alertRule ?? ''}`,
                    },
                  ]
                : []),
            ]}
          />
          <DrawerSection title="需要说明的问题">
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{e.question}</Typography.Paragraph>
          </DrawerSection>
          <DrawerSection title={`涉及的查询记录（${e.lookups.length}）`}>
            <Table<LookupSummary> rowKey="id" size="small" columns={lookupColumns} dataSource={e.lookups} pagination={{ pageSize: 10, hideOnSinglePage: true }} scroll={{ x: 720 }} />
          </DrawerSection>
          <DrawerSection title="说明">
            {e.answer !== null ? (
              <>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="explanation-answer">
                  {e.answer}
                </Typography.Paragraph>
                <Typography.Text type="secondary">提交于 {fmtTime(e.answeredAt)}</Typography.Text>
              </>
            ) : mode === 'answerer' && e.status === 'requested' ? (
              <Form form={form} layout="vertical">
                {e.overdue && <Alert type="warning" showIcon title="已超过答复期限，请尽快说明" style={{ marginBottom: 12 }} />}
                <Form.Item name="answer" label="您的说明" rules={[{ required: true, whitespace: true, message: '请填写说明' }, { min: 2, message: '请填写说明' }]}>
                  <Input.TextArea rows={5} maxLength={4000} showCount placeholder="请写明每次查询的具体事由：办理的案件或现场检查、业务编号、查询结果的用途" />
                </Form.Item>
                <Button type="primary" icon={<SendOutlined />} loading={saving} onClick={() => void answer(e)}>
                  提交说明
                </Button>
              </Form>
            ) : (
              <Typography.Text type="secondary">尚未说明</Typography.Text>
            )}
          </DrawerSection>
          {e.decidedAt && (
            <DrawerSection title="核查结论">
              <Descriptions
                bordered
                size="small"
                column={1}
                items={[
                  { key: 'result', label: '结论', children: explanationStatusTag(e.status) },
                  { key: 'by', label: '认定人', children: `${e.decidedBy ?? t.empty} · ${fmtTime(e.decidedAt)}` },
                  { key: 'note', label: '意见', children: e.decisionNote ?? t.empty },
                ]}
              />
            </DrawerSection>
          )}
        </div>
      )}
      <ActionModal request={request} onClose={() => setRequest(null)} />
    </Drawer>
  );
}
