// 变更人员状态: 在职 / 离职 / 停职, always with a reason. Leaving or suspension ends the person's sessions.
import { Alert, Form, Input, Modal, Radio } from 'antd';
import { PERSON_STATUSES, type Person, type PersonStatus } from '@contracts/org.ts';
import { useFormSave } from '../../api/forms.ts';
import { t } from '../../locales/zh-CN.ts';
import { personnelApi } from './api.ts';

interface Values {
  status: PersonStatus;
  reason: string;
}

export function StatusModal({ person, onClose, onSaved }: { person: Person | null; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<Values>();
  const status = Form.useWatch('status', form);

  // the form exists only while the dialog is open, i.e. with a person
  const { saving, onFinish } = useFormSave(form, (v: Values) => personnelApi.changeStatus(person!.id, v), onSaved);

  const options = Object.entries(PERSON_STATUSES).map(([value, label]) => ({
    value,
    label,
    disabled: value === person?.status,
  }));

  return (
    <Modal
      title={person ? `变更状态：${person.name}（当前${PERSON_STATUSES[person.status]}）` : ''}
      open={person !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t.save}
      cancelText={t.cancel}
      destroyOnHidden
    >
      <Form
        form={form}
        onFinish={onFinish}
        layout="vertical"
        preserve={false}
        initialValues={{ status: person?.status === 'active' ? 'left' : 'active' }}
      >
        <Form.Item name="status" label="新状态" rules={[{ required: true, message: '请选择状态' }]}>
          <Radio.Group options={options} />
        </Form.Item>
        {status && status !== 'active' && (
          <Alert type="warning" showIcon title="离职或停职后，该人员的账号会话将被立即结束。" style={{ marginBottom: 16 }} />
        )}
        <Form.Item name="reason" label="原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }]}>
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
