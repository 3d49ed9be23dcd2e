// 新增下级单位 / 编辑单位 in one dialog.
import { useMemo } from 'react';
import { Form, Input, InputNumber, Modal, Select } from 'antd';
import { UNIT_KINDS, type Unit, type UnitKind } from '@contracts/org.ts';
import { useFormSave } from '../../api/forms.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { subtreeIds } from '../../hooks/useUnitTree.ts';
import { t } from '../../locales/zh-CN.ts';
import { unitsApi } from './api.ts';

export type UnitFormTarget = { mode: 'create'; parent: Unit } | { mode: 'edit'; unit: Unit };

interface Values {
  parentId?: number;
  name: string;
  kind: UnitKind;
  code?: string;
  sortOrder: number;
}

const KIND_UNDER: Partial<Record<UnitKind, UnitKind>> = { detachment: 'brigade', brigade: 'squadron' };
const kindOptions = Object.entries(UNIT_KINDS).map(([value, label]) => ({ value, label }));

interface Props {
  target: UnitFormTarget | null;
  units: Unit[];
  onClose: () => void;
  onSaved: (unit: Unit) => void;
}

export function UnitForm({ target, units, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();

  const save = (v: Values) => {
    const code = v.code?.trim() ? v.code.trim() : null;
    if (target?.mode === 'edit') {
      const { unit } = target;
      const move = unit.parentId !== null && v.parentId ? { parentId: v.parentId } : {};
      return unitsApi.update(unit.id, { ...move, name: v.name, kind: v.kind, code, sortOrder: v.sortOrder });
    }
    if (target?.mode === 'create') {
      return unitsApi.create({ parentId: v.parentId ?? target.parent.id, name: v.name, kind: v.kind, code, sortOrder: v.sortOrder });
    }
    return Promise.reject(new Error('unit form submitted while closed'));
  };
  const { saving, onFinish } = useFormSave(form, save, onSaved);

  const initialValues: Partial<Values> | undefined =
    target?.mode === 'create'
      ? { parentId: target.parent.id, kind: KIND_UNDER[target.parent.kind] ?? 'other', sortOrder: 0 }
      : target?.mode === 'edit'
        ? {
            parentId: target.unit.parentId ?? undefined,
            name: target.unit.name,
            kind: target.unit.kind,
            code: target.unit.code ?? '',
            sortOrder: target.unit.sortOrder,
          }
        : undefined;
  const isRoot = target?.mode === 'edit' && target.unit.parentId === null;
  const editingId = target?.mode === 'edit' ? target.unit.id : undefined;
  const exclude = useMemo(() => (editingId === undefined ? undefined : subtreeIds(units, editingId)), [units, editingId]);

  return (
    <Modal
      title={target?.mode === 'create' ? `新增下级单位（上级：${target.parent.name}）` : '编辑单位'}
      open={target !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t.save}
      cancelText={t.cancel}
      destroyOnHidden
    >
      <Form form={form} onFinish={onFinish} layout="vertical" preserve={false} initialValues={initialValues}>
        {!isRoot && (
          <Form.Item name="parentId" label="上级单位" rules={[{ required: true, message: '请选择上级单位' }]}>
            <UnitTreeSelect exclude={exclude} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="name" label="单位名称" rules={[{ required: true, whitespace: true, message: '请填写单位名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="kind" label="单位类型" rules={[{ required: true, message: '请选择单位类型' }]}>
          <Select options={kindOptions} />
        </Form.Item>
        <Form.Item name="code" label="机构代码" extra="1-20位字母或数字，可不填">
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="sortOrder" label="排序" rules={[{ required: true, message: '请填写排序号' }]}>
          <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
