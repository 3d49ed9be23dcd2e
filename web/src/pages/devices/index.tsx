// 设备台账: every electronic-monitoring device in the account's data scope, filtered, each with
// whether it is lawful today and why not (the server's judgement); the detail drawer (?device=…)
// with its compliance timeline, documents, captures and what it captured while not lawful; and for
// the legal officer registration, changes, status changes and import, each resting on a document.
import { useCallback, useMemo, useState } from 'react';
import { App, Button, Empty, Form, Grid, Input, Select, Table } from 'antd';
import { PlusOutlined, RadarChartOutlined, UploadOutlined } from '@ant-design/icons';
import { DEVICE_STATUSES, DEVICE_TYPES, type Device, type DeviceStatus, type DeviceType } from '@contracts/devices.ts';
import { useCan } from '../../app/auth.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { t } from '../../locales/zh-CN.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useLoad } from '../records/useLoad.ts';
import { detectorName } from './captureChart.ts';
import { devicesApi, type DeviceFilters } from './api.ts';
import { deviceColumns } from './columns.tsx';
import { DeviceDrawer, useDeviceParam } from './DeviceDrawer.tsx';
import { DeviceForm, type DeviceFormTarget } from './DeviceForm.tsx';
import { ImportModal } from './ImportModal.tsx';
import { StatusModal } from './StatusModal.tsx';

interface FilterValues {
  q?: string;
  type?: DeviceType;
  status?: DeviceStatus;
  unitId?: number;
  unlawfulToday?: 'true' | 'false';
}

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const CAPTURE_DAYS = 30;

const complianceOptions = [
  { value: 'false', label: '今日合法' },
  { value: 'true', label: '今日不合法' },
];

export default function DevicesPage() {
  const can = useCan();
  const canEdit = can('device:edit');
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const list = usePagedList<Device, DeviceFilters>(devicesApi.list, {});
  const [deviceId, setDeviceId] = useDeviceParam();
  const [drawerVersion, setDrawerVersion] = useState(0);
  const [formTarget, setFormTarget] = useState<DeviceFormTarget>(null);
  const [statusTarget, setStatusTarget] = useState<Device | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [detecting, setDetecting] = useState(false);
  const loadSummary = useCallback(() => devicesApi.captureSummary(CAPTURE_DAYS), []);
  const summary = useLoad(loadSummary);
  const captures = useMemo(() => (summary.data ? new Map(summary.data.items.map((i) => [i.deviceId, i])) : undefined), [summary.data]);

  const runDetectors = () => {
    setDetecting(true);
    devicesApi
      .runDetectors()
      .then((run) => {
        const found = Object.entries(run.findings)
          .filter(([, n]) => n > 0)
          .map(([rule, n]) => `${detectorName(rule)} ${n}`)
          .join('，');
        void message.success(`检测完成：新告警 ${run.alerts} 条${found ? `（发现：${found}）` : ''}`);
        summary.reload();
        setDrawerVersion((v) => v + 1);
      })
      .catch(() => undefined) // the client has shown the error
      .finally(() => setDetecting(false));
  };

  const changed = () => {
    list.reload();
    setDrawerVersion((v) => v + 1);
  };

  return (
    <>
      <FilterBar<FilterValues>
        onSearch={(v) => list.search({ ...v, q: v.q?.trim() || undefined })}
        actions={
          canEdit && (
            <>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget('new')}>
                登记设备
              </Button>
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
                {t.import}
              </Button>
              <Button icon={<RadarChartOutlined />} loading={detecting} onClick={runDetectors}>
                运行异常检测
              </Button>
            </>
          )
        }
      >
        <Form.Item name="q" label={t.keyword}>
          <Input placeholder="设备编号或道路" allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="type" label="类型">
          <Select allowClear placeholder="全部" options={options(DEVICE_TYPES)} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="status" label={t.status}>
          <Select allowClear placeholder="全部" options={options(DEVICE_STATUSES)} style={{ width: 100 }} />
        </Form.Item>
        {can('org:unit:view') && (
          <Form.Item name="unitId" label="管理单位" tooltip="包含下级单位">
            <UnitTreeSelect allowClear allowInactive placeholder="全部单位" />
          </Form.Item>
        )}
        <Form.Item name="unlawfulToday" label="今日合规">
          <Select allowClear placeholder="全部" options={complianceOptions} style={{ width: 120 }} />
        </Form.Item>
      </FilterBar>
      <Table<Device>
        rowKey="id"
        size="middle"
        columns={deviceColumns({ canEdit, captures, captureDays: CAPTURE_DAYS, narrow: !screens.md, onOpen: (d) => setDeviceId(d.id), onEdit: setFormTarget, onStatus: setStatusTarget })}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={screens.md ? { x: 1280 } : undefined}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的设备" /> }}
      />
      <DeviceDrawer id={deviceId} version={drawerVersion} onClose={() => setDeviceId(null)} onEdit={setFormTarget} onStatus={setStatusTarget} />
      <DeviceForm
        target={formTarget}
        onClose={() => setFormTarget(null)}
        onSaved={(d) => {
          message.success(t.saved);
          setFormTarget(null);
          changed();
          if (formTarget === 'new') setDeviceId(d.id);
        }}
      />
      <StatusModal
        device={statusTarget}
        onClose={() => setStatusTarget(null)}
        onSaved={() => {
          message.success('状态已变更');
          setStatusTarget(null);
          changed();
        }}
      />
      <ImportModal
        open={importOpen}
        onClose={(didChange) => {
          setImportOpen(false);
          if (didChange) changed();
        }}
      />
    </>
  );
}
