// 执法记录: every enforcement record in the account's data scope, filtered; each opens its detail
// (the record id lives in the URL, ?id=…, so a link shows the same record); import for ingest.
import { useState } from 'react';
import { Button, DatePicker, Empty, Form, Grid, Input, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { UploadOutlined } from '@ant-design/icons';
import { CAMERA_OUTCOMES, ONSITE_OUTCOMES, RECORD_KINDS, type Outcome, type RecordKind, type RecordSummary } from '@contracts/enforcement.ts';
import { canonicalPlate } from '@contracts/plate.ts';
import { useCan } from '../../app/auth.tsx';
import { rangeQuery } from '../../app/format.ts';
import { FilterBar } from '../../components/FilterBar.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { t } from '../../locales/zh-CN.ts';
import { recordsApi, type RecordFilters } from './api.ts';
import { recordColumns } from './columns.tsx';
import { ImportModal } from './ImportModal.tsx';
import { optionsOf } from './labels.ts';
import { RecordDrawer, useRecordParam } from './RecordDrawer.tsx';

interface FilterValues {
  kind?: RecordKind;
  outcome?: Outcome;
  code?: string;
  plate?: string;
  officer?: string;
  device?: string;
  unitId?: number;
  range?: [Dayjs | null, Dayjs | null] | null;
  freight?: 'true' | 'false';
}

const outcomeOptions = [
  { label: RECORD_KINDS.camera, title: 'camera', options: optionsOf(CAMERA_OUTCOMES) },
  { label: RECORD_KINDS.onSite, title: 'onSite', options: optionsOf(ONSITE_OUTCOMES) },
];
const freightOptions = [
  { value: 'true', label: '仅货车' },
  { value: 'false', label: '非货车' },
];

const trimmed = (v: string | undefined) => v?.trim() || undefined;

function toRecordFilters({ range, plate, code, officer, device, ...rest }: FilterValues): RecordFilters {
  return {
    ...rest,
    plate: plate?.trim() ? canonicalPlate(plate) : undefined,
    code: trimmed(code)?.toUpperCase(),
    officer: trimmed(officer),
    device: trimmed(device),
    ...rangeQuery(range),
  };
}

export default function RecordsPage() {
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const list = usePagedList<RecordSummary, RecordFilters>(recordsApi.list, {});
  const [recordId, setRecordId] = useRecordParam();
  const [importOpen, setImportOpen] = useState(false);

  return (
    <>
      <FilterBar<FilterValues>
        onSearch={(v) => list.search(toRecordFilters(v))}
        actions={
          can('enforcement:ingest') && (
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
              {t.import}
            </Button>
          )
        }
      >
        <Form.Item name="kind" label="类型">
          <Select allowClear placeholder="全部" options={optionsOf(RECORD_KINDS)} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="outcome" label="结果">
          <Select allowClear placeholder="全部" options={outcomeOptions} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="plate" label="号牌">
          <Input allowClear placeholder="如 苏A12345" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="code" label="违法代码">
          <Input allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="officer" label="警号">
          <Input allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="device" label="设备">
          <Input allowClear placeholder="设备编号" style={{ width: 130 }} />
        </Form.Item>
        {can('org:unit:view') && (
          <Form.Item name="unitId" label="单位" tooltip="包含下级单位">
            <UnitTreeSelect allowClear allowInactive placeholder="全部单位" />
          </Form.Item>
        )}
        {/* never wider than a phone's screen: the filter row wraps, the picker must too */}
        <Form.Item name="range" label="违法时间">
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} style={{ maxWidth: 'calc(100vw - 140px)' }} />
        </Form.Item>
        <Form.Item name="freight" label="货车">
          <Select allowClear placeholder="全部" options={freightOptions} style={{ width: 100 }} />
        </Form.Item>
      </FilterBar>
      <Table<RecordSummary>
        rowKey="id"
        size="middle"
        columns={recordColumns(setRecordId, !screens.md)}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: 1510 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的执法记录" /> }}
      />
      <RecordDrawer id={recordId} onClose={() => setRecordId(null)} onOpen={setRecordId} />
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
