// One device: its registry entry, whether it is lawful today and why not, the compliance timeline,
// the documents it rests on, daily captures by code with the detectors' anomaly days, and what it
// captured while it was not lawful. The device id lives in the URL (?device=…).
import { useCallback, useMemo } from 'react';
import { Button, Descriptions, Drawer, Grid, Empty, Result, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { EditOutlined, ReloadOutlined, SwapOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { DEVICE_TYPES, type DeviceDetail } from '@contracts/devices.ts';
import { useCan } from '../../app/auth.tsx';
import { fmtTime } from '../../app/format.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { t } from '../../locales/zh-CN.ts';
import { useLoad } from '../records/useLoad.ts';
import { devicesApi } from './api.ts';
import { AffectedSection } from './AffectedSection.tsx';
import { CaptureSection } from './CaptureSection.tsx';
import { beijingToday, complianceTimeline, deviceDocuments, locationText, typeRequirements, type DocumentRow, type TimelineTone } from './labels.ts';
import { DeviceStatusTag, LawfulTag } from './tags.tsx';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;

/** The drawer's device id, kept in the URL. */
export function useDeviceParam(): [string | null, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const id = params.get('device') || null;
  const setId = useCallback(
    (next: string | null) =>
      setParams(
        (prev) => {
          const p = new URLSearchParams(prev);
          if (next === null) p.delete('device');
          else p.set('device', next);
          return p;
        },
        { replace: next === null },
      ),
    [setParams],
  );
  return [id, setId];
}

interface Props {
  id: string | null;
  /** bumps when the device changed elsewhere (edit, status), so the drawer reloads */
  version: number;
  onClose: () => void;
  onEdit: (d: DeviceDetail) => void;
  onStatus: (d: DeviceDetail) => void;
}

export function DeviceDrawer({ id, version, onClose, onEdit, onStatus }: Props) {
  const load = useCallback(
    () => (id === null ? Promise.reject(new Error('no device')) : devicesApi.get(id)),
    // `version` is not read: a new value fetches the same id again (after an edit elsewhere)
    [id, version],
  );
  const { data, error, loading, reload } = useLoad(id === null ? null : load);
  const device = data && data.id === id ? data : undefined;
  const can = useCan();
  // on a phone the buttons keep their icons and lose their words, so the title keeps its line
  const wide = Grid.useBreakpoint().sm !== false;

  return (
    <Drawer
      title={id !== null ? (wide ? `设备 ${id}` : id) : ''}
      open={id !== null}
      onClose={onClose}
      size="min(960px, 100vw)"
      destroyOnHidden
      extra={
        <Space wrap>
          {device && can('device:edit') && (
            <>
              <Button icon={<EditOutlined />} onClick={() => onEdit(device)} aria-label={t.edit}>
                {wide && t.edit}
              </Button>
              <Button icon={<SwapOutlined />} onClick={() => onStatus(device)} aria-label="变更状态">
                {wide && '变更状态'}
              </Button>
            </>
          )}
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
            {wide && '刷新'}
          </Button>
        </Space>
      }
    >
      {error && !loading && <Result status="warning" title="无法读取该设备" subTitle={error} extra={<Button onClick={reload}>重试</Button>} />}
      {!error && !device && <Skeleton active paragraph={{ rows: 12 }} />}
      {device && !error && <DeviceView device={device} />}
    </Drawer>
  );
}

const TONE_COLORS: Record<TimelineTone, string> = { green: 'green', blue: 'blue', red: 'red', orange: 'orange', gray: 'gray' };

const documentColumns = [
  { title: '文书', dataIndex: 'kind', width: 150 },
  {
    title: '文号 / 编号',
    dataIndex: 'number',
    width: 200,
    render: (v: string, row: DocumentRow) =>
      row.url ? (
        <Typography.Link href={row.url} target="_blank" rel="noreferrer">
          {v}
        </Typography.Link>
      ) : (
        <span style={{ ...mono, wordBreak: 'break-all' }}>{v}</span>
      ),
  },
  { title: '日期', dataIndex: 'day', width: 110 },
  { title: '说明', dataIndex: 'note', render: (v: string) => v || t.empty },
];

function DeviceView({ device: d }: { device: DeviceDetail }) {
  const today = beijingToday();
  const timeline = useMemo(() => complianceTimeline(d, today), [d, today]);
  const documents = useMemo(() => deviceDocuments(d), [d]);
  const loc = d.location;
  return (
    <div data-testid="device-detail">
      <DrawerSection title="基本信息">
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'id', label: '设备编号', children: <span style={mono}>{d.id}</span> },
            { key: 'type', label: '设备类型', children: DEVICE_TYPES[d.type] },
            { key: 'status', label: '状态', children: <DeviceStatusTag device={d} /> },
            { key: 'unit', label: '管理单位', children: d.owningUnitName },
            { key: 'location', label: '设置地点', span: 'filled', children: locationText(loc) },
            {
              key: 'coords',
              label: '经纬度',
              children: loc.lat !== undefined && loc.lon !== undefined ? `${loc.lat}, ${loc.lon}` : t.empty,
            },
            {
              key: 'signage',
              label: '警示标志',
              children: d.signage.present ? `已设置${d.signage.distanceM !== undefined ? `（距设备 ${d.signage.distanceM} 米）` : ''}` : '未设置',
            },
            { key: 'operator', label: '民警操作', children: d.policeOperated ? t.yes : t.no },
            { key: 'revision', label: '台账版本', children: `第 ${d.revision} 版（${fmtTime(d.updatedAt)}）` },
            {
              key: 'codes',
              label: '准许抓拍的违法代码',
              span: 'filled',
              children: (
                <Space size={[4, 4]} wrap>
                  {d.allowedCodes.map((c) => (
                    <Tag key={c} style={mono}>
                      {c}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            { key: 'needs', label: '本类型须具备', span: 'filled', children: typeRequirements(d.type).join('、') },
          ]}
        />
      </DrawerSection>

      <DrawerSection title="今日合法性">
        <div data-testid="device-lawfulness">
          <LawfulTag today={d.today} />
        </div>
      </DrawerSection>

      <DrawerSection title="合规时间线">
        {timeline.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有审核、公告、检定或状态记录" />
        ) : (
          <div data-testid="device-timeline">
          <Timeline
            style={{ marginTop: 8 }}
            items={timeline.map((e, i) => ({
              key: `${e.day}:${i}`,
              color: TONE_COLORS[e.tone],
              content: (
                <>
                  <Typography.Text strong>
                    {e.day} {e.title}
                  </Typography.Text>
                  <div>
                    <Typography.Text type="secondary">
                      {e.detail}
                      {e.documentNo ? `；文号：${e.documentNo}` : ''}
                    </Typography.Text>
                  </div>
                </>
              ),
            }))}
          />
          </div>
        )}
      </DrawerSection>

      <DrawerSection title={`相关文书（${documents.length}）`}>
        <Table<DocumentRow> size="small" rowKey="key" pagination={false} dataSource={documents} columns={documentColumns} scroll={{ x: 640 }} />
      </DrawerSection>

      <CaptureSection deviceId={d.id} />

      <AffectedSection deviceId={d.id} revision={d.revision} />
    </div>
  );
}
