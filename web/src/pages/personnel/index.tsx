// 人员管理: server-paged list with filters, create/edit, status change, import, export, PII read.
import { useState } from 'react';
import { App, Button, Form, Input, Select, Table } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { PERSON_CATEGORIES, PERSON_STATUSES, type Person } from '@contracts/org.ts';
import { revealPii } from '../../components/revealPii.tsx';
import { useCan } from '../../app/auth.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useExport } from '../../hooks/useExport.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { t } from '../../locales/zh-CN.ts';
import { personnelApi, type PersonFilters } from './api.ts';
import { personColumns } from './columns.tsx';
import { ImportModal } from './ImportModal.tsx';
import { PersonForm, type PersonFormTarget } from './PersonForm.tsx';
import { StatusModal } from './StatusModal.tsx';

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export default function PersonnelPage() {
  const can = useCan();
  const { message, modal } = App.useApp();
  const list = usePagedList<Person, PersonFilters>(personnelApi.list, {});
  const [formTarget, setFormTarget] = useState<PersonFormTarget>(null);
  const [statusTarget, setStatusTarget] = useState<Person | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const { exporting, exportFile } = useExport(() => personnelApi.exportXlsx(list.filters));

  const showPii = (p: Person) =>
    revealPii(modal, {
      confirmTitle: `查看 ${p.name} 的完整信息`,
      title: '完整个人信息',
      load: () => personnelApi.pii(p.id),
      items: (pii) => [
        { key: 'name', label: '姓名', children: pii.name },
        { key: 'phone', label: '手机号', children: pii.phone ?? '未登记' },
      ],
    });


  const columns = personColumns({
    canEdit: can('org:person:edit'),
    canPii: can('org:person:pii'),
    onEdit: setFormTarget,
    onStatus: setStatusTarget,
    onPii: showPii,
  });

  return (
    <>
      <FilterBar<PersonFilters>
        onSearch={list.search}
        actions={
          <>
            {can('org:person:edit') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget('new')}>
                新增人员
              </Button>
            )}
            {can('org:person:import') && (
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
                {t.import}
              </Button>
            )}
            {can('org:person:export') && (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportFile}>
                {t.export}
              </Button>
            )}
          </>
        }
      >
        <Form.Item name="q" label={t.keyword}>
          <Input placeholder="姓名或警号" allowClear style={{ width: 160 }} />
        </Form.Item>
        {can('org:unit:view') && (
          <Form.Item name="unitId" label="单位" tooltip="包含下级单位">
            <UnitTreeSelect allowClear allowInactive placeholder="全部单位" />
          </Form.Item>
        )}
        <Form.Item name="category" label="类别">
          <Select allowClear placeholder="全部" options={options(PERSON_CATEGORIES)} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="status" label={t.status}>
          <Select allowClear placeholder="全部" options={options(PERSON_STATUSES)} style={{ width: 100 }} />
        </Form.Item>
      </FilterBar>
      <Table<Person>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: 1400 }}
      />
      <PersonForm
        target={formTarget}
        onClose={() => setFormTarget(null)}
        onSaved={() => {
          message.success(t.saved);
          setFormTarget(null);
          list.reload();
        }}
      />
      <StatusModal
        person={statusTarget}
        onClose={() => setStatusTarget(null)}
        onSaved={() => {
          message.success('状态已变更');
          setStatusTarget(null);
          list.reload();
        }}
      />
      <ImportModal
        open={importOpen}
        onClose={(changed) => {
          setImportOpen(false);
          if (changed) list.reload();
        }}
      />
    </>
  );
}
