// 变更设备状态: 启用 / 停用 / 撤除 from a day (which may lie in the past: a suspension found late
// applies retroactively), always with the reason and the document it rests on.
import { Alert, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { DEVICE_STATUSES, type Device, type DeviceStatus } from '@contracts/devices.ts';
import { useFormSave } from '../../api/forms.ts';
import { t } from '../../locales/zh-CN.ts';
import { devicesApi } from './api.ts';
import { beijingToday } from './labels.ts';

interface Values {
  status: DeviceStatus;
  from: Dayjs;
  reason: string;
  documentNo: string;
}

export function StatusModal({ device, onClose, onSaved }: { device: Device | null; onClose: () => void; onSaved: (d: Device) => void }) {
  const [form] = Form.useForm<Values>();
  const status = Form.useWatch('status', form);
  const from = Form.useWatch('from', form);

  // the form exists only while the dialog is open, i.e. with a device
  const { saving, onFinish } = useFormSave(
    form,
    (v: Values) => devicesApi.changeStatus(device!.id, { status: v.status, from: v.from.format('YYYY-MM-DD'), reason: v.reason.trim(), documentNo: v.documentNo.trim() }),
    onSaved,
  );

  const options = Object.entries(DEVICE_STATUSES).map(([value, label]) => ({ value, label, disabled: value === device?.status }));
  const retroactive = from && from.format('YYYY-MM-DD') < beijingToday();

  return (
    <Modal
      title={device ? `变更状态：${device.id}（当前${DEVICE_STATUSES[device.status]}）` : ''}
      open={device !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t.save}
      cancelText={t.cancel}
      destroyOnHidden
    >
      <Form
        form={form}
        name="device-status"
        onFinish={onFinish}
        layout="vertical"
        preserve={false}
        initialValues={{ status: device?.status === 'active' ? 'suspended' : 'active', from: dayjs(beijingToday()) }}
      >
        <Form.Item name="status" label="新状态" rules={[{ required: true, message: '请选择状态' }]}>
          <Radio.Group options={options} />
        </Form.Item>
        <Form.Item name="from" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker />
        </Form.Item>
        {status && status !== 'active' && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={`自生效日起，本设备的抓拍均转入待审核（${DEVICE_STATUSES[status]}的设备不能取证）。`}
            description={retroactive ? '生效日期早于今天：此前已收到的该期间抓拍将列入“设备不合法期间的抓拍”，请逐条复核。' : undefined}
          />
        )}
        <Form.Item name="reason" label="原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        <Form.Item name="documentNo" label="依据文号" rules={[{ required: true, whitespace: true, message: '请填写依据文号' }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
