// 审计规则: the look-up rules' parameters, rule by rule, in the version now in force. Inspectors save
// a new version (with a note saying why; every alert names the version that raised it) and run all
// rules over the stored look-ups on demand.
import { useCallback, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, InputNumber, Modal, Result, Row, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import { EditOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { DEFAULT_LOOKUP_RULE_PARAMS, LOOKUP_RULE_NAMES, LOOKUP_RULE_PARAM_LABELS, type LookupDetectionRunResult, type LookupRuleParams, type LookupRuleSet } from '@contracts/lookup-rules.ts';
import { ApiError } from '../../../api/client.ts';
import { applyFieldErrors } from '../../../api/forms.ts';
import { useCan } from '../../../app/auth.tsx';
import { fmtTime } from '../../../app/format.ts';
import { t } from '../../../locales/zh-CN.ts';
import { useLoad } from '../../records/useLoad.ts';
import { lookupsApi } from '../api.ts';
import { ruleLabel } from '../charts.ts';
import { paramGroups, type ParamKey } from './groups.ts';

const GROUPS = paramGroups();
const groupTitle = (rule: string) => (rule === 'other' ? '其他' : `${rule} ${(LOOKUP_RULE_NAMES as Record<string, string>)[rule] ?? ''}`);
const shown = (v: unknown) => (typeof v === 'boolean' ? (v ? t.yes : t.no) : String(v));

export default function LookupRulesPage() {
  const can = useCan();
  const { message } = App.useApp();
  const load = useCallback(() => lookupsApi.rules(), []);
  const current = useLoad(load);
  const [editing, setEditing] = useState(false);
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<LookupDetectionRunResult | null>(null);

  const runAll = async () => {
    setRunning(true);
    try {
      const result = await lookupsApi.runDetection();
      setRun(result);
      void message.success(`已运行全部规则，新增告警 ${result.created} 条`);
    } catch {
      // the client has shown the server's message
    } finally {
      setRunning(false);
    }
  };

  if (current.error && !current.data) return <Result status="warning" title="加载失败" subTitle={current.error} extra={<Button onClick={current.reload}>重试</Button>} />;
  if (!current.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const set = current.data;

  return (
    <div data-testid="lookup-rules">
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 3 }}
          style={{ flex: 1, minWidth: 280 }}
          items={[
            { key: 'v', label: '当前版本', children: <Tag color="blue">v{set.version}</Tag> },
            { key: 'at', label: '生效时间', children: fmtTime(set.createdAt) },
            { key: 'note', label: '说明', children: set.note || t.empty },
          ]}
        />
        {can('lookup:handle') && (
          <Space wrap>
            <Button icon={<PlayCircleOutlined />} loading={running} onClick={() => void runAll()}>
              全量运行规则
            </Button>
            <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)}>
              调整参数
            </Button>
          </Space>
        )}
      </Flex>
      {run && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setRun(null) }}
          style={{ marginBottom: 16 }}
          title={`按 v${run.ruleSetVersion} 运行完毕，用时 ${(run.tookMs / 1000).toFixed(1)} 秒，新增告警 ${run.created} 条`}
          description={Object.entries(run.byRule)
            .filter(([, n]) => n > 0)
            .map(([rule, n]) => `${ruleLabel(rule)}：${n}`)
            .join('；') || '没有发现'}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        告警是需要核实的线索，不是结论。调整参数会保存为新版本，此后的检测按新版本运行，已有告警保留当时的版本。
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {GROUPS.map((g) => (
          <Col key={g.rule} xs={24} md={12} xl={8}>
            <Card size="small" title={groupTitle(g.rule)} style={{ height: '100%' }}>
              <Descriptions
                size="small"
                column={1}
                items={g.keys.map((k) => ({ key: k, label: LOOKUP_RULE_PARAM_LABELS[k], children: k === 'randomKey' ? '（已设置）' : shown(set.params[k]) }))}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <EditModal open={editing} set={set} onClose={(saved) => {
        setEditing(false);
        if (saved) {
          void message.success(`已保存为查询审计规则 v${saved.version}`);
          current.reload();
        }
      }} />
    </div>
  );
}

type Values = Partial<LookupRuleParams> & { note: string };

function EditModal({ open, set, onClose }: { open: boolean; set: LookupRuleSet; onClose: (saved: LookupRuleSet | null) => void }) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const initial = useMemo(() => ({ ...set.params, note: '' }), [set]);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const { note, ...params } = values;
    setSaving(true);
    setFailure(null);
    try {
      onClose(await lookupsApi.saveRules({ ...set.params, ...params } as LookupRuleParams, note.trim()));
    } catch (e) {
      if (e instanceof ApiError && applyFieldErrors(form, e) > 0) return;
      setFailure(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const field = (k: ParamKey) => {
    const value = DEFAULT_LOOKUP_RULE_PARAMS[k];
    if (typeof value === 'boolean') {
      return (
        <Form.Item key={k} name={k} label={LOOKUP_RULE_PARAM_LABELS[k]} valuePropName="checked">
          <Switch />
        </Form.Item>
      );
    }
    if (typeof value === 'string') {
      return (
        <Form.Item key={k} name={k} label={LOOKUP_RULE_PARAM_LABELS[k]} extra="更换后抽查样本随之改变">
          <Input.Password autoComplete="off" />
        </Form.Item>
      );
    }
    return (
      <Form.Item key={k} name={k} label={LOOKUP_RULE_PARAM_LABELS[k]} rules={[{ required: true, message: `请填写${LOOKUP_RULE_PARAM_LABELS[k]}` }]}>
        <InputNumber style={{ width: '100%' }} step={Number.isInteger(value) ? 1 : 0.05} />
      </Form.Item>
    );
  };

  return (
    <Modal
      title={`调整查询审计规则参数（当前 v${set.version}）`}
      open={open}
      onCancel={() => onClose(null)}
      onOk={() => void submit()}
      okText={t.save}
      cancelText={t.cancel}
      confirmLoading={saving}
      width={820}
      destroyOnHidden
      afterClose={() => setFailure(null)}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={initial}>
        <Row gutter={16}>
          {GROUPS.map((g) => (
            <Col key={g.rule} xs={24} md={12}>
              <Typography.Title level={5}>{groupTitle(g.rule)}</Typography.Title>
              {g.keys.map(field)}
            </Col>
          ))}
        </Row>
        <Form.Item name="note" label="修改说明" rules={[{ required: true, whitespace: true, message: '请填写修改说明' }]}>
          <Input.TextArea rows={2} maxLength={500} showCount placeholder="如：经督察会议研究，批量查询阈值调整为20个对象" />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title="未能保存" description={failure} role="alert" />}
    </Modal>
  );
}
