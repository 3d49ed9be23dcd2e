// 违法代码: the current catalogue (or any version), filters, each code's periods, the versions with
// their comparison, and for the legal officer the import of the province's list.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, Select, Table, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { CATALOGUE_CATEGORIES, type CatalogueCategory, type CatalogueRow, type CatalogueVersion } from '@contracts/catalogue.ts';
import { useCan } from '../../app/auth.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { useExport } from '../../hooks/useExport.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { t } from '../../locales/zh-CN.ts';
import { catalogueApi, type CatalogueFilters } from './api.ts';
import { CodeDrawer } from './CodeDrawer.tsx';
import { catalogueColumns, rowKey, versionLabel } from './columns.tsx';
import { ImportModal } from './ImportModal.tsx';
import { VersionsTab } from './VersionsTab.tsx';

interface FilterValues {
  version?: number;
  q?: string;
  category?: CatalogueCategory;
  warningEligible?: 'true' | 'false';
  effectiveOn?: Dayjs | null;
}

const categoryOptions = Object.entries(CATALOGUE_CATEGORIES).map(([value, label]) => ({ value, label }));
const warningOptions = [
  { value: 'true', label: '可首违警告' },
  { value: 'false', label: '不可首违警告' },
];

function useVersions() {
  const [versions, setVersions] = useState<CatalogueVersion[]>([]);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    catalogueApi
      .versions()
      .then((page) => live && setVersions(page.items))
      .catch(() => undefined) // the client has shown the error
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { versions, loading, reload };
}

export default function CataloguePage() {
  const can = useCan();
  const canEdit = can('catalogue:edit');
  const versions = useVersions();
  const list = usePagedList<CatalogueRow, CatalogueFilters>(catalogueApi.list, {});
  const [tab, setTab] = useState('codes');
  const [importOpen, setImportOpen] = useState(false);
  const [codeTarget, setCodeTarget] = useState<{ code: string; version?: number } | null>(null);
  const { exporting, exportFile } = useExport(() => catalogueApi.exportFile(list.filters.version));

  const current = versions.versions[0];
  const shown = list.filters.version === undefined ? current : versions.versions.find((v) => v.version === list.filters.version);
  const versionOptions = versions.versions.map((v, i) => ({ value: v.version, label: `${versionLabel(v)}${i === 0 ? '（当前）' : ''}` }));
  const importButton = canEdit && (
    <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
      {t.import}
    </Button>
  );

  return (
    <>
      {current?.isSample && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="样例目录 — 请导入本省违法代码"
          description={`当前目录是内置样例（第 ${current.version} 版），只含少量示例代码，罚款金额与记分仅供演示。执法记录按当前目录校验，请法制员尽快导入本省违法代码。`}
          action={importButton || undefined}
        />
      )}
      {!versions.loading && !current && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title="尚无违法代码目录" description="执法记录无法校验违法代码，请导入本省违法代码。" action={importButton || undefined} />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'codes',
            label: '违法代码',
            children: (
              <>
                <FilterBar<FilterValues>
                  onSearch={({ effectiveOn, ...rest }) => list.search({ ...rest, effectiveOn: effectiveOn ? effectiveOn.format('YYYY-MM-DD') : undefined })}
                  actions={
                    <>
                      {importButton}
                      <Button icon={<DownloadOutlined />} loading={exporting} disabled={!current} onClick={exportFile}>
                        {t.export}
                      </Button>
                    </>
                  }
                >
                  <Form.Item name="version" label="版本">
                    <Select allowClear placeholder="当前版本" options={versionOptions} style={{ width: 240 }} />
                  </Form.Item>
                  <Form.Item name="q" label={t.keyword}>
                    <Input placeholder="违法代码或违法行为" allowClear style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name="category" label="类别">
                    <Select allowClear placeholder="全部" options={categoryOptions} style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name="warningEligible" label="首违警告">
                    <Select allowClear placeholder="全部" options={warningOptions} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name="effectiveOn" label="有效日期" tooltip="只看该日（北京时间）有效的条目">
                    <DatePicker />
                  </Form.Item>
                </FilterBar>
                {shown && list.filters.version !== undefined && shown !== current && (
                  <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`正在查看历史版本：${versionLabel(shown)}`} />
                )}
                <Table<CatalogueRow>
                  rowKey={rowKey}
                  size="middle"
                  columns={catalogueColumns((r) => setCodeTarget({ code: r.code, version: list.filters.version }))}
                  dataSource={list.items}
                  loading={list.loading}
                  pagination={list.pagination}
                  scroll={{ x: 1500 }}
                />
              </>
            ),
          },
          { key: 'versions', label: '版本与对比', children: <VersionsTab versions={versions.versions} loading={versions.loading} /> },
        ]}
      />
      <CodeDrawer target={codeTarget} onClose={() => setCodeTarget(null)} />
      <ImportModal
        open={importOpen}
        onClose={(changed) => {
          setImportOpen(false);
          if (changed) {
            versions.reload();
            list.reload();
          }
        }}
      />
    </>
  );
}
