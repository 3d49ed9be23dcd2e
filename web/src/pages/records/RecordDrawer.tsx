// One enforcement record: every field, the driver (masked; the full values on a ledgered request),
// evidence with its hashes, the linked record, each reason of the decision, the review, and a
// replay under another rule-set version.
import { useCallback } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Empty, Result, Skeleton, Table, Typography } from 'antd';
import { EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { EVIDENCE_KINDS, VEHICLE_TYPES, type RecordDetail } from '@contracts/enforcement.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { useCan } from '../../app/auth.tsx';
import { fmtTime } from '../../app/format.ts';
import { revealPii } from '../../components/revealPii.tsx';
import { useIdParam } from '../../hooks/useIdParam.ts';
import { t } from '../../locales/zh-CN.ts';
import { recordsApi } from './api.ts';
import { kindTag, sourceCell, violationCell } from './columns.tsx';
import { fineText, lastDueDay, partyLabel, paymentLabel, procedureLabel } from './labels.ts';
import { ReasonList } from './ReasonCard.tsx';
import { ReplayPanel } from './ReplayPanel.tsx';
import { OutcomeTag } from './tags.tsx';
import { useLoad } from './useLoad.ts';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;


function placeText(p: RecordDetail['place']): string {
  const parts = [p.road, p.direction, p.km !== undefined ? `K${p.km}` : undefined, p.description].filter(Boolean);
  const coords = p.lat !== undefined && p.lon !== undefined ? `（${p.lat}, ${p.lon}）` : '';
  return parts.join(' ') + coords;
}

/** The drawer's record id, kept in the URL. */
export const useRecordParam = useIdParam;

interface Props {
  id: number | null;
  onClose: () => void;
  /** open another record in the drawer (the linked one) */
  onOpen: (id: number) => void;
}

export function RecordDrawer({ id, onClose, onOpen }: Props) {
  const load = useCallback(() => (id === null ? Promise.reject(new Error('no record')) : recordsApi.get(id, { silent: true })), [id]);
  const { data, error, loading, reload } = useLoad(id === null ? null : load);
  const record = data && data.id === id ? data : undefined;

  return (
    <Drawer
      title={id !== null ? `执法记录 #${id}` : ''}
      open={id !== null}
      onClose={onClose}
      size="min(880px, 100vw)"
      destroyOnHidden
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
          刷新
        </Button>
      }
    >
      {error && !loading && (
        <Result status="warning" title="无法读取该记录" subTitle={error} extra={<Button onClick={reload}>重试</Button>} />
      )}
      {!error && !record && <Skeleton active paragraph={{ rows: 12 }} />}
      {record && !error && <RecordView record={record} onOpen={onOpen} />}
    </Drawer>
  );
}

function RecordView({ record: r, onOpen }: { record: RecordDetail; onOpen: (id: number) => void }) {
  const can = useCan();
  const linkLabel = r.outcome === 'merged' ? '合并至' : r.outcome === 'voided' ? '现场已处理记录' : '关联记录';
  return (
    <div data-testid="record-detail">
      <DrawerSection title="基本信息">
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'outcome', label: '结果', children: <OutcomeTag outcome={r.outcome} decided={r.decidedOutcome} /> },
            {
              key: 'decided',
              label: '系统判定',
              children: <OutcomeTag outcome={r.decidedOutcome} />,
            },
            {
              key: 'linked',
              label: linkLabel,
              span: 'filled',
              children: r.linkedRecordId ? (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpen(r.linkedRecordId!)}>
                  执法记录 #{r.linkedRecordId}
                </Button>
              ) : (
                t.empty
              ),
            },
            { key: 'kind', label: '类型', children: kindTag(r.kind) },
            { key: 'externalId', label: '外部编号', children: <span style={mono}>{r.externalId}</span> },
            { key: 'plate', label: '号牌', children: r.plate },
            { key: 'vehicle', label: '车辆类型', children: VEHICLE_TYPES[r.vehicleType] },
            { key: 'code', label: '违法行为', span: 'filled', children: violationCell(r) },
            { key: 'at', label: '违法时间', children: fmtTime(r.occurredAt) },
            { key: 'ingested', label: '接收时间', children: fmtTime(r.ingestedAt) },
            { key: 'place', label: '地点', span: 'filled', children: placeText(r.place) },
            { key: 'source', label: r.kind === 'camera' ? '设备' : '处罚决定民警', children: r.kind === 'camera' ? (r.deviceId ?? t.empty) : sourceCell(r) },
            { key: 'unit', label: '所属单位', children: r.unitName },
            { key: 'assistants', label: '协助人员', children: r.assistants.length ? r.assistants.join('、') : t.empty },
            { key: 'procedure', label: '程序', children: procedureLabel(r.procedure) ?? t.empty },
            { key: 'party', label: '当事人', children: partyLabel(r.party) ?? t.empty },
            { key: 'remote', label: '偏远地区', children: r.remoteArea ? t.yes : t.no },
            { key: 'fine', label: '罚款/记分（判定）', children: fineText(r.fineYuan, r.points) },
            { key: 'given', label: '罚款/记分（报送）', children: fineText(r.givenFineYuan, r.givenPoints) },
            {
              key: 'payment',
              label: '缴款',
              span: 'filled',
              children: r.payment
                ? `${paymentLabel(r.payment.method)}${r.payment.receiptNo ? `，收据号 ${r.payment.receiptNo}` : ''}`
                : t.empty,
            },
            { key: 'ruleSet', label: '规则版本', children: `v${r.ruleSetVersion}` },
            { key: 'catalogue', label: '违法代码库版本', children: `v${r.catalogueVersion}` },
          ]}
        />
      </DrawerSection>

      <DriverSection record={r} canPii={can('enforcement:pii')} />

      <DrawerSection title={`证据（${r.evidence.length}）`}>
        {r.evidence.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未附证据" />
        ) : (
          <Table
            size="small"
            rowKey={(e) => `${e.kind}:${e.ref}`}
            pagination={false}
            dataSource={r.evidence}
            scroll={{ x: 640 }}
            columns={[
              { title: '类型', dataIndex: 'kind', width: 130, render: (k: string) => (EVIDENCE_KINDS as Record<string, string>)[k] ?? k },
              { title: '引用', dataIndex: 'ref', width: 200, render: (v: string) => <span style={{ ...mono, wordBreak: 'break-all' }}>{v}</span> },
              {
                title: 'SHA-256',
                dataIndex: 'sha256',
                render: (v?: string) =>
                  v ? (
                    <Typography.Text copyable style={{ ...mono, wordBreak: 'break-all' }}>
                      {v}
                    </Typography.Text>
                  ) : (
                    <Typography.Text type="secondary">未提供</Typography.Text>
                  ),
              },
            ]}
          />
        )}
      </DrawerSection>

      <DrawerSection title="判定理由">
        <ReasonList reasons={r.reasons} />
      </DrawerSection>

      {(r.heldAt || r.reviewedAt) && (
        <DrawerSection title="审核">
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'held', label: '转入待审核', children: fmtTime(r.heldAt) },
              { key: 'due', label: '审核期限', children: r.reviewDueAt ? `最迟 ${lastDueDay(r.reviewDueAt)}` : t.empty },
              { key: 'reviewedAt', label: '审核时间', children: r.reviewedAt ? fmtTime(r.reviewedAt) : '尚未审核' },
              { key: 'reviewedBy', label: '审核人', children: r.reviewedBy ?? t.empty },
              { key: 'note', label: '审核意见', span: 'filled', children: r.reviewNote || t.empty },
            ]}
          />
        </DrawerSection>
      )}

      <DrawerSection title="按规则版本重放">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          用所选版本的规则参数重新判定本记录（历史记录与违法代码库版本同原判定），结果不会保存。
        </Typography.Paragraph>
        <ReplayPanel key={r.id} record={r} canListVersions={can('rules:view')} />
      </DrawerSection>
    </div>
  );
}

function DriverSection({ record, canPii }: { record: RecordDetail; canPii: boolean }) {
  const { modal } = App.useApp();
  const d = record.driver;
  const driverItems = (v: { name: string | null; idNumber: string | null; licenceNo: string | null }) => [
    { key: 'name', label: '姓名', children: v.name ?? '未登记' },
    { key: 'id', label: '身份证号', children: v.idNumber ?? '未登记' },
    { key: 'licence', label: '驾驶证号', children: v.licenceNo ?? '未登记' },
  ];
  const showFull = () =>
    revealPii(modal, { confirmTitle: `查看记录 #${record.id} 驾驶人的完整信息`, title: '驾驶人完整信息', load: () => recordsApi.driver(record.id), items: driverItems });

  return (
    <DrawerSection
      title="驾驶人"
      extra={
        d && canPii ? (
          <Button size="small" icon={<EyeOutlined />} onClick={showFull}>
            查看完整信息
          </Button>
        ) : undefined
      }
    >
      {d ? (
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 3 }}
          items={driverItems(d)}
        />
      ) : (
        <Alert type="info" showIcon title="未登记驾驶人信息" />
      )}
    </DrawerSection>
  );
}
