// 发起说明核查: the inspector asks the person behind flagged look-ups — chosen in 查询记录, or the
// evidence of a look-up alert — why they made them. The deadline defaults to the server's working
// days; the person answers under 我的说明.
import { useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { LOOKUP_PARAMS, type ExplanationDetail } from '@contracts/lookups.ts';
import { ApiError } from '../../api/client.ts';
import { applyFieldErrors } from '../../api/forms.ts';
import { t } from '../../locales/zh-CN.ts';
import { beijingEndOfDay, beijingToday } from '../../app/format.ts';
import { explanationsApi } from './api.ts';

/** What the request is about: look-ups picked in a list, or an alert whose evidence names them. */
export type ExplanationTarget = { lookupIds: number[]; alertId?: undefined; who: string } | { alertId: number; lookupIds?: undefined; who: string };

interface Values {
  question: string;
  deadline?: Dayjs | null;
}

const DEFAULT_QUESTION = '请说明以下查询的具体事由（所办理的案件、现场检查或业务编号），并说明查询结果的用途。';

export function RequestModal({ target, onClose }: { target: ExplanationTarget | null; onClose: (created: ExplanationDetail | null) => void }) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const { message } = App.useApp();

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setSaving(true);
    setFailure(null);
    try {
      const created = await explanationsApi.create({
        ...(target!.alertId !== undefined ? { alertId: target!.alertId } : { lookupIds: target!.lookupIds }),
        question: values.question.trim(),
        ...(values.deadline ? { deadline: beijingEndOfDay(values.deadline) } : {}),
      });
      void message.success(`已向${created.personName}发起说明核查`);
      onClose(created);
    } catch (e) {
      if (e instanceof ApiError && applyFieldErrors(form, e) > 0) return;
      setFailure(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title="发起说明核查"
      open={target !== null}
      onCancel={() => onClose(null)}
      onOk={() => void submit()}
      okText="发送"
      cancelText={t.cancel}
      confirmLoading={saving}
      destroyOnHidden
      afterClose={() => setFailure(null)}
    >
      {target && (
        <Typography.Paragraph type="secondary">
          对象：{target.who}
          {target.alertId !== undefined ? `（告警 #${target.alertId} 的证据查询记录）` : `（${target.lookupIds.length} 条查询记录）`}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ question: DEFAULT_QUESTION }}>
        <Form.Item name="question" label="需要说明的问题" rules={[{ required: true, whitespace: true, message: '请填写需要说明的问题' }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="deadline" label="答复期限" extra={`不填则为 ${LOOKUP_PARAMS.explanationDeadlineWorkingDays} 个工作日`}>
          <DatePicker disabledDate={(d) => d.isBefore(beijingToday(), 'day')} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title="未能发起" description={failure} role="alert" />}
    </Modal>
  );
}
