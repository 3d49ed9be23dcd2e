// 关注名单: subjects inspectors watch — public figures, journalists, complainants (with the people
// they complained against), witnesses. A look-up of one raises L-WATCH. Entries are switched off,
// never deleted, so an alert's history keeps what it matched. The second tab, 人员身份信息, is the
// registry of the brigade's people's own and relatives' identifiers (PersonnelSubjectsTab).
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Form, Input, Modal, Select, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { WATCH_CATEGORIES, type WatchCategory, type WatchEntry } from '@contracts/lookups.ts';
import { canonicalPlate } from '@contracts/plate.ts';
import { ApiError } from '../../../api/client.ts';
import { applyFieldErrors } from '../../../api/forms.ts';
import { useCan } from '../../../app/auth.tsx';
import { fmtTime } from '../../../app/format.ts';
import { FilterBar } from '../../../components/FilterBar.tsx';
import { revealPii } from '../../../components/revealPii.tsx';
import { usePagedList } from '../../../hooks/usePagedList.ts';
import { t } from '../../../locales/zh-CN.ts';
import { lookupsApi, type WatchFilters } from '../api.ts';
import { optionsOf, subjectText } from '../labels.tsx';
import { PersonField } from '../PersonField.tsx';
import { PersonnelSubjectsTab } from './PersonnelSubjectsTab.tsx';

const activeOptions = [
  { value: 'true', label: '启用' },
  { value: 'false', label: '已停用' },
];

type TabKey = 'watch' | 'personnel';

export default function WatchListPage() {
  const [params, setParams] = useSearchParams();
  const tab: TabKey = params.get('tab') === 'personnel' ? 'personnel' : 'watch';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => setParams(k === 'personnel' ? { tab: k } : {}, { replace: true })}
      destroyOnHidden
      items={[
        { key: 'watch', label: '关注名单', children: <WatchListTab /> },
        { key: 'personnel', label: '人员身份信息', children: <PersonnelSubjectsTab /> },
      ]}
    />
  );
}

function WatchListTab() {
  const { modal, message } = App.useApp();
  const can = useCan();
  const list = usePagedList<WatchEntry, WatchFilters>(lookupsApi.watchList, { active: 'true' });
  const [adding, setAdding] = useState(false);

  const reveal = (w: WatchEntry) =>
    revealPii(modal, {
      confirmTitle: `查看关注对象 #${w.id} 的完整信息`,
      title: '关注对象完整信息',
      load: () => lookupsApi.watchSubject(w.id),
      items: (s) => [
        { key: 'plate', label: '号牌', children: s.plate ?? '未登记' },
        { key: 'idNumber', label: '身份证号', children: s.idNumber ?? '未登记' },
        { key: 'name', label: '姓名', children: s.name ?? '未登记' },
      ],
    });

  const toggle = (w: WatchEntry) =>
    modal.confirm({
      title: w.active ? `停用关注：${subjectText(w.subject)}` : `重新启用关注：${subjectText(w.subject)}`,
      content: w.active ? '停用后，查询该对象不再触发 L-WATCH 告警；已有告警不受影响。' : '启用后，查询该对象将触发 L-WATCH 告警。',
      okText: t.confirm,
      cancelText: t.cancel,
      onOk: async () => {
        await lookupsApi.watchUpdate(w.id, { active: !w.active });
        void message.success(w.active ? '已停用' : '已启用');
        list.reload();
      },
    });

  const columns: TableColumnsType<WatchEntry> = [
    { title: '关注对象', key: 'subject', render: (_, w) => subjectText(w.subject) },
    { title: '类别', dataIndex: 'category', width: 110, render: (c: WatchCategory) => <Tag>{WATCH_CATEGORIES[c]}</Tag> },
    { title: '关注原因', dataIndex: 'reason', ellipsis: true },
    {
      title: '被投诉人',
      key: 'against',
      width: 160,
      render: (_, w) => (w.against.length > 0 ? w.against.map((p) => `${p.name}（${p.badgeNo}）`).join('、') : t.empty),
    },
    { title: t.status, dataIndex: 'active', width: 90, render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>) },
    { title: '添加人', dataIndex: 'addedBy', width: 100 },
    { title: '添加时间', dataIndex: 'createdAt', width: 170, render: fmtTime },
    {
      title: t.actions,
      key: 'actions',
      width: 130,
      fixed: 'right',
      render: (_, w) => (
        <>
          {can('lookup:pii') && (
            <Button type="link" size="small" onClick={() => reveal(w)}>
              查看
            </Button>
          )}
          <Button type="link" size="small" danger={w.active} onClick={() => toggle(w)}>
            {w.active ? t.disable : t.enable}
          </Button>
        </>
      ),
    },
  ];

  return (
    <>
      <FilterBar<WatchFilters>
        onSearch={(v) => list.search(v)}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t.add}
          </Button>
        }
      >
        <Form.Item name="category" label="类别">
          <Select allowClear placeholder="全部" options={optionsOf(WATCH_CATEGORIES)} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="active" label={t.status} initialValue="true">
          <Select allowClear placeholder="全部" options={activeOptions} style={{ width: 110 }} />
        </Form.Item>
      </FilterBar>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        关注对象加密存储，列表只显示脱敏信息，查看完整信息将记入审计账本。查询名单内对象将触发 L-WATCH 告警；投诉人可登记被其投诉的人员。
      </Typography.Paragraph>
      <Table<WatchEntry> rowKey="id" size="middle" columns={columns} dataSource={list.items} loading={list.loading} pagination={list.pagination} scroll={{ x: 1100 }} />
      <AddModal
        open={adding}
        onClose={(added) => {
          setAdding(false);
          if (added) list.reload();
        }}
      />
    </>
  );
}

interface AddValues {
  plate?: string;
  idNumber?: string;
  name?: string;
  category: WatchCategory;
  reason: string;
  againstPersonId?: number;
}

function AddModal({ open, onClose }: { open: boolean; onClose: (added: boolean) => void }) {
  const [form] = Form.useForm<AddValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const { message } = App.useApp();
  const category = Form.useWatch('category', form);

  const submit = async () => {
    let v: AddValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const plate = v.plate?.trim();
    const idNumber = v.idNumber?.trim().toUpperCase();
    const name = v.name?.trim();
    if (!plate && !idNumber && !name) {
      form.setFields([{ name: 'plate', errors: ['号牌、身份证号、姓名至少填写一项'] }]);
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      await lookupsApi.watchAdd({
        subject: { ...(plate ? { plate: canonicalPlate(plate) } : {}), ...(idNumber ? { idNumber } : {}), ...(name ? { name } : {}) },
        category: v.category,
        reason: v.reason.trim(),
        againstPersonIds: v.againstPersonId ? [v.againstPersonId] : [],
      });
      void message.success('已加入关注名单');
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && applyFieldErrors(form, e) > 0) return;
      setFailure(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="加入关注名单" open={open} onCancel={() => onClose(false)} onOk={() => void submit()} confirmLoading={saving} okText={t.save} cancelText={t.cancel} destroyOnHidden afterClose={() => setFailure(null)}>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ category: 'publicFigure' }}>
        <Typography.Paragraph type="secondary">号牌、身份证号、姓名至少填写一项；填写多项时，查询其中任一项即视为查询该对象。</Typography.Paragraph>
          <Form.Item name="plate" label="号牌">
            <Input allowClear placeholder="如 苏A12345" />
          </Form.Item>
          <Form.Item name="idNumber" label="身份证号">
            <Input allowClear />
          </Form.Item>
          <Form.Item name="name" label="姓名">
            <Input allowClear />
          </Form.Item>
        <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
          <Select options={optionsOf(WATCH_CATEGORIES)} />
        </Form.Item>
        <Form.Item name="reason" label="关注原因" rules={[{ required: true, whitespace: true, message: '请填写关注原因' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        {category === 'complainant' && (
          <Form.Item name="againstPersonId" label="被投诉人（可选）">
            <PersonField width={400} />
          </Form.Item>
        )}
      </Form>
      {failure && <Alert type="error" showIcon title="未能保存" description={failure} role="alert" />}
    </Modal>
  );
}
