// 调整规则参数: the current parameters in an edit form, grouped; saving writes a new rule-set version
// (with the required note saying why) — earlier decisions keep the version that made them.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Drawer, Flex, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ruleParams, type RuleParams, type RuleSet } from '@contracts/rules.ts';
import { ApiError } from '../../api/client.ts';
import { errorText } from '../records/useLoad.ts';
import { rulesApi } from './api.ts';
import { PARAM_GROUPS, paramInput, paramLabel, type ParamKey } from './groups.ts';

type FieldValue = number | boolean | string[] | Dayjs[] | null;
type FormValues = Record<ParamKey, FieldValue> & { note?: string };

const DATE = 'YYYY-MM-DD';
const PARAM_KEYS = PARAM_GROUPS.flatMap((g) => [...g.params]) as ParamKey[];

function toForm(params: RuleParams): FormValues {
  const values = {} as FormValues;
  for (const key of PARAM_KEYS) {
    const input = paramInput(key);
    const v = params[key];
    values[key] = input.kind === 'dates' ? (v as string[]).map((d) => dayjs(d, DATE)) : (v as FieldValue);
  }
  return values;
}

/** One field's value as the contract wants it (dates as YYYY-MM-DD, sorted, no repeats). */
function fromField(key: ParamKey, value: FieldValue | undefined): unknown {
  if (paramInput(key).kind === 'dates') {
    return [...new Set(((value ?? []) as Dayjs[]).map((d) => d.format(DATE)))].sort();
  }
  if (paramInput(key).kind === 'texts') return ((value ?? []) as string[]).map((s) => s.trim().toUpperCase());
  return value ?? undefined;
}

/** The contract's own check of one parameter: the same message the server would give. */
function validateParam(key: ParamKey) {
  return async (_: unknown, value: FieldValue | undefined) => {
    const raw = fromField(key, value);
    if (raw === undefined) throw new Error(`请填写${paramLabel(key)}`);
    const result = ruleParams.shape[key].safeParse(raw);
    if (!result.success) throw new Error(result.error.issues[0]?.message ?? '取值无效');
  };
}

function ParamField({ name }: { name: ParamKey }) {
  const input = paramInput(name);
  const common = { name, label: paramLabel(name), rules: [{ validator: validateParam(name) }] };
  switch (input.kind) {
    case 'boolean':
      return (
        <Form.Item {...common} valuePropName="checked">
          <Switch checkedChildren="是" unCheckedChildren="否" />
        </Form.Item>
      );
    case 'number':
      return (
        <Form.Item {...common} extra={input.min !== undefined && input.max !== undefined ? `${input.min} – ${input.max}` : undefined}>
          <InputNumber
            min={input.min}
            max={input.max}
            step={input.integer ? 1 : name === 'flatAmountShare' ? 0.01 : 0.1}
            precision={input.integer ? 0 : undefined}
            style={{ width: 160 }}
          />
        </Form.Item>
      );
    case 'dates':
      return (
        <Form.Item {...common} extra="可多选；在日历中点选或取消日期">
          <DatePicker multiple maxTagCount="responsive" format={DATE} style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'texts':
      return (
        <Form.Item {...common} extra="输入后按回车，如 苏A">
          <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} suffixIcon={null} style={{ width: '100%' }} />
        </Form.Item>
      );
  }
}

interface Props {
  current: RuleSet | null;
  open: boolean;
  onClose: () => void;
  onSaved: (saved: RuleSet) => void;
}

export function RuleSetForm({ current, open, onClose, onSaved }: Props) {
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (open && current) {
      form.setFieldsValue({ ...toForm(current.params), note: '' });
      setFailure(null);
    }
  }, [open, current, form]);

  const submit = async (values: FormValues) => {
    if (!current) return;
    const params = Object.fromEntries(PARAM_KEYS.map((k) => [k, fromField(k, values[k])])) as RuleParams;
    const changed = PARAM_KEYS.filter((k) => JSON.stringify(params[k]) !== JSON.stringify(current.params[k]));
    if (changed.length === 0) {
      setFailure('参数没有变化，无需保存新版本');
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onSaved(await rulesApi.create({ params, note: values.note?.trim() ?? '' }));
    } catch (e) {
      if (e instanceof ApiError && e.details.length) {
        // `params.holidays.0` → the holidays field; `note` → the note
        form.setFields(
          e.details.map((d) => {
            const [first, second] = d.path.split('.');
            const name = first === 'params' && second ? second : (first ?? 'note');
            return { name: name as ParamKey, errors: [d.message] };
          }),
        );
      }
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      title={current ? `调整规则参数（当前 v${current.version}，保存为 v${current.version + 1}）` : '调整规则参数'}
      open={open}
      onClose={onClose}
      size="min(760px, 100vw)"
      destroyOnHidden
      mask={{ closable: !busy }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose} disabled={busy}>
            取消
          </Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            保存为新版本
          </Button>
        </Flex>
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="保存后生成新的规则版本，此后接收的记录按新版本判定"
        description="已判定的记录保留原版本，不会被改动；可在执法记录详情中按任一版本重放比较。每次调整记入审计账本。"
      />
      <Form form={form} name="rules" layout="vertical" onFinish={(v) => void submit(v)} scrollToFirstError>
        {PARAM_GROUPS.map((group) => (
          <Card key={group.key} size="small" title={group.title} style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              {group.params.map((name) => {
                const wide = paramInput(name).kind === 'dates' || paramInput(name).kind === 'texts';
                return (
                  <Col key={name} xs={24} sm={wide ? 24 : 12}>
                    <ParamField name={name} />
                  </Col>
                );
              })}
            </Row>
          </Card>
        ))}
        <Form.Item
          name="note"
          label="调整理由"
          rules={[
            { required: true, whitespace: true, message: '请说明本次调整的理由' },
            { max: 500, message: '说明不能超过500字' },
          ]}
        >
          <Input.TextArea rows={3} showCount maxLength={500} placeholder="如：依据省厅通知调整首违警告回溯期" />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title="未保存" description={failure} role="alert" />}
    </Drawer>
  );
}
