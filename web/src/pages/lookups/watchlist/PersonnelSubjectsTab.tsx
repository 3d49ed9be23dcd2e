// 人员身份信息: the ID numbers and plates of the brigade's people and their registered relatives.
// The personnel records hold neither, so without this registry L-SELF, L-KIN and L-COLLEAGUE can
// match nothing. Entries are stored as keyed hashes with a masked copy only — there is no clear
// text to reveal — and a wrong entry is removed with its reason in the ledger (the table has no active flag).
import { useCallback, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { personnelSubjectCreate, RELATIONS, type PersonnelRelation, type PersonnelSubject } from '@contracts/lookup-rules.ts';
import { ApiError } from '../../../api/client.ts';
import { applyFieldErrors } from '../../../api/forms.ts';
import { fmtTime } from '../../../app/format.ts';
import { FilterBar } from '../../../components/FilterBar.tsx';
import { PersonPicker } from '../../../components/PersonPicker.tsx';
import { t } from '../../../locales/zh-CN.ts';
import { errorText, useLoad } from '../../records/useLoad.ts';
import { PersonField } from '../PersonField.tsx';
import { personnelSubjectsApi } from './personnelApi.ts';

const FIELD_LABELS = { plate: '号牌', idNumber: '身份证号' } as const;

export function PersonnelSubjectsTab() {
  const [personId, setPersonId] = useState<number | undefined>();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<PersonnelSubject | null>(null);
  const load = useCallback(() => personnelSubjectsApi.list(personId), [personId]);
  const list = useLoad(load);

  const columns: TableColumnsType<PersonnelSubject> = [
    { title: '人员', key: 'person', width: 180, render: (_, s) => (s.personName ? `${s.personName}（${s.badgeNo}）` : `人员 #${s.personId}`) },
    { title: '关系', dataIndex: 'relation', width: 80, render: (r: PersonnelRelation) => <Tag color={r === 'self' ? 'blue' : 'purple'}>{RELATIONS[r]}</Tag> },
    { title: '类型', dataIndex: 'field', width: 100, render: (f: PersonnelSubject['field']) => FIELD_LABELS[f] },
    { title: '号码（脱敏）', dataIndex: 'masked', width: 200 },
    { title: '备注', dataIndex: 'note', ellipsis: true, render: (n: string) => n || t.empty },
    { title: '登记人', dataIndex: 'addedBy', width: 100 },
    { title: '登记时间', dataIndex: 'createdAt', width: 170, render: fmtTime },
    {
      title: t.actions,
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, s) => (
        <Button type="link" size="small" danger onClick={() => setRemoving(s)}>
          删除
        </Button>
      ),
    },
  ];

  return (
    <>
      <FilterBar<{ personId?: number }>
        onSearch={(v) => setPersonId(v.personId)}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t.add}
          </Button>
        }
      >
        <Form.Item name="personId" label="人员">
          <PersonField />
        </Form.Item>
      </FilterBar>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        人事档案不含身份证号和车辆，需在此登记本大队人员本人及其亲属的身份证号、号牌，审计规则才能发现查询本人（L-SELF）、查询亲属（L-KIN）和无事由查询同事（L-COLLEAGUE）的情况。号码只以不可逆的密钥摘要保存，列表仅显示脱敏信息，无法查看完整号码；登记有误的，删除后重新登记。
      </Typography.Paragraph>
      {list.error && <Alert type="error" showIcon title="加载失败" description={list.error} style={{ marginBottom: 16 }} action={<Button size="small" onClick={list.reload}>重试</Button>} />}
      <Table<PersonnelSubject>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => `共 ${n} 项` }}
        scroll={{ x: 1000 }}
      />
      <AddModal
        open={adding}
        onClose={(added) => {
          setAdding(false);
          if (added) list.reload();
        }}
      />
      <RemoveModal
        entry={removing}
        onClose={(removed) => {
          setRemoving(null);
          if (removed) list.reload();
        }}
      />
    </>
  );
}

function RemoveModal({ entry, onClose }: { entry: PersonnelSubject | null; onClose: (removed: boolean) => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const { message } = App.useApp();

  const submit = async () => {
    if (!entry) return;
    let v: { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      await personnelSubjectsApi.remove(entry.id, v.reason.trim());
      void message.success('已删除');
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && applyFieldErrors(form, e) > 0) return;
      setFailure(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={entry ? `删除登记：${entry.personName || `人员 #${entry.personId}`}的${FIELD_LABELS[entry.field]} ${entry.masked}` : ''}
      open={entry !== null}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      confirmLoading={saving}
      okText="删除"
      okButtonProps={{ danger: true }}
      cancelText={t.cancel}
      destroyOnHidden
      afterClose={() => setFailure(null)}
    >
      <Typography.Paragraph>删除后，查询该号码不再触发 L-SELF / L-KIN / L-COLLEAGUE 告警，已有告警不受影响。删除的登记项（脱敏）及原因记入审计账本。</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label="删除原因" rules={[{ required: true, whitespace: true, message: '请填写删除原因' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：号码登记错误" />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title="未能删除" description={failure} role="alert" />}
    </Modal>
  );
}

interface AddValues {
  personId?: number;
  relation: PersonnelRelation;
  plate?: string;
  idNumber?: string;
  note?: string;
}

function AddModal({ open, onClose }: { open: boolean; onClose: (added: boolean) => void }) {
  const [form] = Form.useForm<AddValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const { message } = App.useApp();

  const submit = async () => {
    let v: AddValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const input = {
      personId: v.personId,
      relation: v.relation,
      ...(v.plate?.trim() ? { plate: v.plate.trim() } : {}),
      ...(v.idNumber?.trim() ? { idNumber: v.idNumber.trim() } : {}),
      note: v.note?.trim() ?? '',
    };
    // The contract's own checks (plate format, 18-digit ID, at least one of the two) on the fields.
    const parsed = personnelSubjectCreate.safeParse(input);
    if (!parsed.success) {
      const byField = new Map<string, string[]>();
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'plate');
        byField.set(field, [...(byField.get(field) ?? []), issue.message]);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name: name as keyof AddValues, errors })));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const res = await personnelSubjectsApi.add([parsed.data]);
      void message.success(res.added > 0 ? `已登记 ${res.added} 项` : '该号码已登记，未重复添加');
      onClose(true);
    } catch (e) {
      const details = e instanceof ApiError ? e.details.map((d) => d.message) : [];
      setFailure([errorText(e), ...details].join('；'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="登记人员身份信息" open={open} onCancel={() => onClose(false)} onOk={() => void submit()} confirmLoading={saving} okText={t.save} cancelText={t.cancel} destroyOnHidden afterClose={() => setFailure(null)}>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ relation: 'self' }}
        onValuesChange={(changed: Partial<AddValues>) => form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof AddValues, errors: [] })))}
      >
        <Form.Item name="personId" label="人员" rules={[{ required: true, message: '请选择人员' }]}>
          <PersonPicker />
        </Form.Item>
        <Form.Item name="relation" label="关系" rules={[{ required: true, message: '请选择关系' }]} extra="亲属的号码登记在其亲属（本大队人员）名下。">
          <Radio.Group options={Object.entries(RELATIONS).map(([value, label]) => ({ value, label }))} optionType="button" />
        </Form.Item>
        <Typography.Paragraph type="secondary">身份证号和号牌至少填写一项；两项都填写时分别登记。</Typography.Paragraph>
        <Form.Item name="idNumber" label="身份证号">
          <Input allowClear maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item name="plate" label="号牌">
          <Input allowClear placeholder="如 苏A12345" autoComplete="off" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input allowClear maxLength={200} placeholder="如：配偶、父亲" />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title="未能保存" description={failure} role="alert" />}
    </Modal>
  );
}
