// The legal officer's conclusion on one or more held records: 确认处罚, 改为首违警告 or 作废
// (作废 needs a reason). A refusal is shown in the dialog, so nothing is lost.
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { REVIEW_DECISIONS, type ReviewDecision } from '@contracts/enforcement.ts';
import { errorText } from '../records/useLoad.ts';
import { reviewApi, type ReviewResult } from './api.ts';

export interface DecisionTarget {
  ids: number[];
  decision: ReviewDecision;
  /** the plate when one record is decided, for the title */
  plate?: string;
}

const EXPLAIN: Record<ReviewDecision, string> = {
  penalty: '确认后记录转为处罚，按判定的罚款和记分处理。',
  warning: '改为首违警告：不罚款、不记分，记录保留。',
  voided: '作废后记录不再作为处罚依据（如证据不清、号牌识别错误、已现场处理等），须写明理由。',
};

interface Props {
  target: DecisionTarget | null;
  onClose: () => void;
  onDone: (result: ReviewResult) => void;
}

export function DecisionModal({ target, onClose, onDone }: Props) {
  const [form] = Form.useForm<{ note?: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (target) {
      form.resetFields();
      setFailure(null);
    }
  }, [target, form]);

  if (!target) return null;
  const label = REVIEW_DECISIONS[target.decision];
  const what = target.ids.length === 1 && target.plate ? `记录（${target.plate}）` : `${target.ids.length} 条记录`;
  const noteRequired = target.decision === 'voided';

  const submit = async ({ note }: { note?: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      onDone(await reviewApi.decide(target.ids, target.decision, note?.trim() ?? ''));
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={`${label}：${what}`}
      okText={label}
      okButtonProps={{ danger: target.decision === 'voided', loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      onCancel={onClose}
      onOk={() => form.submit()}
      mask={{ closable: !busy }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{EXPLAIN[target.decision]}</Typography.Paragraph>
      <Form form={form} name="review" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="note"
          label={noteRequired ? '作废理由' : '审核意见（可选）'}
          rules={[
            { required: noteRequired, whitespace: true, message: '作废须填写理由' },
            { max: 500, message: '审核意见不能超过500字' },
          ]}
        >
          <Input.TextArea rows={3} showCount maxLength={500} />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title="审核未完成" description={failure} role="alert" />}
    </Modal>
  );
}
