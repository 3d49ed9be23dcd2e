import { Button, Space, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DEVICE_TYPES, type Device } from '@contracts/devices.ts';
import type { DeviceCaptureSummary } from '@contracts/device-captures.ts';
import { t } from '../../locales/zh-CN.ts';
import { locationText } from './labels.ts';
import { DeviceStatusTag, LawfulTag } from './tags.tsx';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;

interface Actions {
  canEdit: boolean;
  onOpen: (d: Device) => void;
  onEdit: (d: Device) => void;
  onStatus: (d: Device) => void;
  /** a phone: fewer, narrower columns */
  narrow: boolean;
  /** recent captures by device id (absent while loading) */
  captures?: Map<string, DeviceCaptureSummary['items'][number]>;
  captureDays: number;
}

export function deviceColumns({ canEdit, onOpen, onEdit, onStatus, narrow, captures, captureDays }: Actions): TableColumnsType<Device> {
  const columns: TableColumnsType<Device> = [
    {
      title: '设备编号',
      dataIndex: 'id',
      width: 120,
      fixed: narrow ? undefined : 'left',
      render: (id: string, d) => (
        <Button type="link" size="small" style={{ padding: 0, ...mono }} onClick={() => onOpen(d)}>
          {id}
        </Button>
      ),
    },
    { title: '类型', dataIndex: 'type', width: 130, render: (v: Device['type']) => DEVICE_TYPES[v] },
    {
      title: '设置地点',
      key: 'location',
      width: 200,
      ellipsis: true,
      render: (_, d) => locationText(d.location),
    },
    { title: '管理单位', dataIndex: 'owningUnitName', width: 110, ellipsis: true },
    { title: '状态', key: 'status', width: 70, render: (_, d) => <DeviceStatusTag device={d} /> },
    { title: '今日合规', key: 'today', width: 250, render: (_, d) => <LawfulTag today={d.today} compact /> },
    {
      title: '检定有效期止',
      key: 'verification',
      width: 110,
      render: (_, d) => d.verification?.validTo ?? t.empty,
    },
    {
      title: `近${captureDays}日抓拍`,
      key: 'captures',
      width: 100,
      align: 'right',
      render: (_, d) => {
        const c = captures?.get(d.id);
        if (!captures) return t.empty;
        if (!c) return 0;
        if (c.disallowed === 0) return c.captures;
        return (
          <Tooltip title={`其中 ${c.disallowed} 起不在准许抓拍的违法代码范围内`}>
            <Typography.Text type="danger">{c.captures}*</Typography.Text>
          </Tooltip>
        );
      },
    },
  ];
  columns.push({
    title: t.actions,
    key: 'actions',
    width: canEdit ? 190 : 70,
    fixed: narrow ? undefined : 'right',
    render: (_, d) => (
      <Space size={4} wrap>
        <Button type="link" size="small" onClick={() => onOpen(d)}>
          详情
        </Button>
        {canEdit && (
          <Button type="link" size="small" onClick={() => onEdit(d)}>
            {t.edit}
          </Button>
        )}
        {canEdit && (
          <Button type="link" size="small" onClick={() => onStatus(d)}>
            变更状态
          </Button>
        )}
      </Space>
    ),
  });
  if (!narrow) return columns;
  // a phone: which device, whether it is lawful today, and the way into its detail (edits are there too)
  return [
    {
      title: '设备',
      key: 'device',
      width: 150,
      render: (_, d) => (
        <>
          <Button type="link" size="small" style={{ padding: 0, ...mono }} onClick={() => onOpen(d)}>
            {d.id}
          </Button>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {DEVICE_TYPES[d.type]}
            </Typography.Text>
          </div>
          <div style={{ fontSize: 12 }}>{locationText(d.location)}</div>
        </>
      ),
    },
    {
      title: '状态 / 今日合规',
      key: 'today',
      render: (_, d) => (
        <Space orientation="vertical" size={4}>
          <DeviceStatusTag device={d} />
          <LawfulTag today={d.today} compact />
        </Space>
      ),
    },
  ];
}
