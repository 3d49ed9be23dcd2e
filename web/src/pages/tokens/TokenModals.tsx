// 新建接口令牌, then the secret — shown once, with a copy button.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Space } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useFormSave } from '../../api/forms.ts';
import { PermissionPicker } from '../../components/PermissionPicker.tsx';
import { t } from '../../locales/zh-CN.ts';
import { tokensApi, type ApiTokenCreate, type ApiTokenCreated } from './api.ts';

export function CreateTokenModal(props: { open: boolean; onClose: () => void; onCreated: (c: ApiTokenCreated) => void }) {
  const [form] = Form.useForm<ApiTokenCreate>();
  const { saving, onFinish } = useFormSave(form, tokensApi.create, props.onCreated);
  return (
    <Modal
      title="新建接口令牌"
      open={props.open}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText="创建"
      cancelText={t.cancel}
      width={760}
      destroyOnHidden
    >
      <Form form={form} onFinish={onFinish} layout="vertical" preserve={false} initialValues={{ expiresInDays: 365, permissions: [] }}>
        <Form.Item name="name" label="对接系统名称" rules={[{ required: true, whitespace: true, message: '请填写对接系统名称' }]}>
          <Input maxLength={60} placeholder="如：交通管理综合应用平台" />
        </Form.Item>
        <Form.Item name="expiresInDays" label="有效期（天）" rules={[{ required: true, message: '请填写有效期' }]}>
          <InputNumber min={1} max={730} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="permissions"
          label="权限"
          rules={[{ required: true, type: 'array', min: 1, message: '至少选择一项权限' }]}
        >
          <PermissionPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // no clipboard API (plain http): fall back to a selected textarea
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function SecretModal({ created, onClose }: { created: ApiTokenCreated | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  const close = () => {
    setCopied(false);
    onClose();
  };
  const copy = async () => {
    if (!created) return;
    const ok = await copyText(created.secret);
    setCopied(ok);
    if (ok) message.success('密钥已复制');
    else message.warning('无法自动复制，请手动选中复制');
  };
  return (
    <Modal
      title={`令牌已创建：${created?.token.name ?? ''}`}
      open={created !== null}
      onCancel={close}
      mask={{ closable: false }}
      footer={<Button type="primary" onClick={close}>我已保存密钥</Button>}
    >
      <Alert type="warning" showIcon title="密钥只显示这一次，关闭后无法再次查看，请立即复制并妥善保存。" style={{ marginBottom: 16 }} />
      <Space.Compact style={{ width: '100%' }}>
        <Input readOnly value={created?.secret ?? ''} aria-label="令牌密钥" onFocus={(e) => e.target.select()} />
        <Button icon={<CopyOutlined />} onClick={() => void copy()}>
          {copied ? '已复制' : '复制密钥'}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
