// The text that goes with a status change or a verdict: the reason for dismissing (required), an
// optional comment for resolving and reopening, an optional note for a verdict.
import { useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { t } from '../../locales/zh-CN.ts';

export interface ActionRequest {
  title: string;
  label: string;
  required: boolean;
  placeholder?: string;
  submit: (text: string | undefined) => Promise<unknown>;
}

interface Values {
  text?: string;
}

export function ActionModal({ request, onClose }: { request: ActionRequest | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      title={request?.title}
      open={request !== null}
      onCancel={onClose}
      onOk={async () => {
        let text: string | undefined;
        try {
          ({ text } = await form.validateFields());
        } catch {
          return; // the form shows what is missing
        }
        setSaving(true);
        try {
          await request!.submit(text?.trim() || undefined);
          onClose();
        } catch {
          // the client has shown the server's message; the dialog stays open
        } finally {
          setSaving(false);
        }
      }}
      confirmLoading={saving}
      okText={t.confirm}
      cancelText={t.cancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="text"
          label={request?.label}
          rules={request?.required ? [{ required: true, whitespace: true, message: `请填写${request.label}` }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={request?.placeholder} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
