import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { RECORD_KINDS, VEHICLE_TYPES, type RecordKind, type RecordSummary } from '@contracts/enforcement.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import { fineText } from './labels.ts';
import { OutcomeTag, RuleTag } from './tags.tsx';

/** 违法代码 and its description, one cell. */
export function violationCell(r: Pick<RecordSummary, 'violationCode' | 'violationDescription'>) {
  return (
    <>
      <Typography.Text code>{r.violationCode}</Typography.Text>
      <Typography.Text type={r.violationDescription ? undefined : 'secondary'}>
        {r.violationDescription ?? '代码未收录'}
      </Typography.Text>
    </>
  );
}

/** Who or what made the record: the camera's device id, or the deciding officer. */
export function sourceCell(r: Pick<RecordSummary, 'kind' | 'deviceId' | 'decidingOfficer' | 'decidingOfficerName'>) {
  if (r.kind === 'camera') return r.deviceId ? <>设备 {r.deviceId}</> : t.empty;
  if (!r.decidingOfficer) return t.empty;
  return (
    <>
      {r.decidingOfficerName ?? '未登记人员'} <Typography.Text type="secondary">{r.decidingOfficer}</Typography.Text>
    </>
  );
}

/** Short form in tables (the full label in the tooltip). */
export function kindTag(kind: RecordKind) {
  return (
    <Tooltip title={RECORD_KINDS[kind]}>
      <Tag color={kind === 'camera' ? 'geekblue' : 'blue'}>{kind === 'camera' ? '非现场' : '现场'}</Tag>
    </Tooltip>
  );
}

export function rulesCell(rules: string[]) {
  if (rules.length === 0) return t.empty;
  return (
    <Space size={[0, 4]} wrap>
      {rules.map((rule) => (
        <RuleTag key={rule} rule={rule} />
      ))}
    </Space>
  );
}

/** The plate, fixed on the left, opening the record's detail: the first column of every record list. */
export function plateColumn<T extends RecordSummary>(onDetail: (id: number) => void): TableColumnsType<T>[number] {
  return {
    title: '号牌',
    dataIndex: 'plate',
    width: 110,
    fixed: 'left',
    render: (plate: string, r: T) => (
      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onDetail(r.id)}>
        {plate}
      </Button>
    ),
  };
}

/** Code and description, the description also as a tooltip. */
export function violationColumn<T extends RecordSummary>(width: number): TableColumnsType<T>[number] {
  return {
    title: '违法行为',
    key: 'violation',
    width,
    ellipsis: { showTitle: false },
    render: (_: unknown, r: T) => <Tooltip title={r.violationDescription}>{violationCell(r)}</Tooltip>,
  };
}

/** `narrow` (a phone): no fixed action column, so the scrolled columns stay readable. */
export function recordColumns(onDetail: (id: number) => void, narrow = false): TableColumnsType<RecordSummary> {
  return [
    plateColumn(onDetail),
    { title: '违法时间', dataIndex: 'occurredAt', width: 165, render: fmtTime },
    { title: '类型', dataIndex: 'kind', width: 80, render: (k: RecordSummary['kind']) => kindTag(k) },
    {
      title: '结果',
      dataIndex: 'outcome',
      width: 100,
      render: (_, r) => <OutcomeTag outcome={r.outcome} decided={r.decidedOutcome} />,
    },
    violationColumn(260),
    { title: '罚款/记分', key: 'fine', width: 115, render: (_, r) => fineText(r.fineYuan, r.points) },
    { title: '触发规则', dataIndex: 'rules', width: 200, render: rulesCell },
    { title: '车辆类型', dataIndex: 'vehicleType', width: 110, render: (v: RecordSummary['vehicleType']) => VEHICLE_TYPES[v] },
    { title: '地点', dataIndex: 'road', width: 140, ellipsis: true },
    { title: '民警/设备', key: 'source', width: 160, ellipsis: true, render: (_, r) => sourceCell(r) },
    {
      title: t.actions,
      key: 'actions',
      width: 70,
      fixed: narrow ? undefined : 'right',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => onDetail(r.id)}>
          详情
        </Button>
      ),
    },
  ];
}
