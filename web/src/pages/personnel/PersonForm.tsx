// 新增人员 / 编辑人员 in a drawer; the server's per-field errors land on the fields.
import { Button, Drawer, Form, Input, Radio, Space } from 'antd';
import { BADGE_NO_PATTERN, PERSON_CATEGORIES, type Person, type PersonCategory } from '@contracts/org.ts';
import { useFormSave } from '../../api/forms.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { t } from '../../locales/zh-CN.ts';
import { personnelApi } from './api.ts';

/** null: closed; 'new': create; a person: edit */
export type PersonFormTarget = 'new' | Person | null;

interface Values {
  name: string;
  badgeNo: string;
  category: PersonCategory;
  unitId: number;
  position?: string;
  phone?: string;
}

const categoryOptions = Object.entries(PERSON_CATEGORIES).map(([value, label]) => ({ value, label }));
const blankToNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);

export function PersonForm({ target, onClose, onSaved }: { target: PersonFormTarget; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<Values>();
  const editing = target !== null && target !== 'new' ? target : null;

  const initialValues: Partial<Values> = editing
    ? { name: editing.name, badgeNo: editing.badgeNo, category: editing.category, unitId: editing.unitId, position: editing.position ?? '' }
    : { category: 'police' };

  const save = (v: Values) => {
    const phone = blankToNull(v.phone);
    const position = blankToNull(v.position);
    return editing
      ? personnelApi.update(editing.id, {
          name: v.name,
          category: v.category,
          unitId: v.unitId,
          position,
          // blank keeps the stored number: the form never sees the unmasked one
          ...(phone ? { phone } : {}),
        })
      : personnelApi.create({ name: v.name, badgeNo: v.badgeNo, category: v.category, unitId: v.unitId, position, phone });
  };
  const { saving, onFinish } = useFormSave(form, save, onSaved);

  return (
    <Drawer
      title={editing ? `编辑人员：${editing.name}` : '新增人员'}
      open={target !== null}
      onClose={onClose}
      size={480}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            {t.save}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={onFinish} preserve={false} initialValues={initialValues}>
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item
          name="badgeNo"
          label="警号"
          extra={editing ? '警号创建后不可修改' : '4-12位字母或数字'}
          rules={[
            { required: true, whitespace: true, message: '请填写警号' },
            { pattern: BADGE_NO_PATTERN, message: '警号应为4-12位字母或数字' },
          ]}
        >
          <Input maxLength={12} disabled={!!editing} />
        </Form.Item>
        <Form.Item name="category" label="人员类别" rules={[{ required: true, message: '请选择人员类别' }]}>
          <Radio.Group options={categoryOptions} />
        </Form.Item>
        <Form.Item name="unitId" label="所属单位" rules={[{ required: true, message: '请选择所属单位' }]}>
          <UnitTreeSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="position" label="职务">
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item
          name="phone"
          label="手机号"
          extra={editing ? `当前：${editing.phoneMasked ?? '未登记'}；不修改请留空` : undefined}
          rules={[{ pattern: /^1[3-9]\d{9}$/, message: '手机号应为11位中国大陆手机号' }]}
        >
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
