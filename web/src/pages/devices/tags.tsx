// The device tags: status (with its reason) and today's compliance as the server judged it.
import { Flex, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { DEVICE_CONDITIONS, DEVICE_STATUSES, type Device, type Lawfulness } from '@contracts/devices.ts';
import { STATUS_COLORS } from './labels.ts';

export function conditionLabel(condition: string): string {
  return (DEVICE_CONDITIONS as Record<string, string>)[condition] ?? condition;
}

export function DeviceStatusTag({ device }: { device: Pick<Device, 'status' | 'statusHistory'> }) {
  const tag = <Tag color={STATUS_COLORS[device.status]}>{DEVICE_STATUSES[device.status]}</Tag>;
  const last = device.statusHistory.at(-1);
  if (device.status === 'active' || !last) return tag;
  return <Tooltip title={`${last.from} 起：${last.reason}（${last.documentNo}）`}>{tag}</Tooltip>;
}

/**
 * 今日合法, or 今日不合法 with the missing conditions as the server's lawfulness function named them
 * (never worked out here: the browser does not know the notice period or the working-day calendar).
 */
export function LawfulTag({ today, compact = false }: { today: Lawfulness; compact?: boolean }) {
  if (today.lawful) {
    return (
      <Tag color="success" icon={<CheckCircleOutlined />} data-testid="lawful-tag">
        今日合法
      </Tag>
    );
  }
  const tag = (
    <Tag color="error" icon={<CloseCircleOutlined />} data-testid="lawful-tag">
      今日不合法
    </Tag>
  );
  if (compact) {
    return (
      <Flex wrap gap={4} align="center">
        <Tooltip title={today.missing.map((m) => m.message).join('；')}>{tag}</Tooltip>
        {today.missing.map((m) => (
          <Tag key={m.condition} color="red" bordered={false}>
            {conditionLabel(m.condition)}
          </Tag>
        ))}
      </Flex>
    );
  }
  return (
    <Flex vertical gap={4}>
      <span>{tag}</span>
      {today.missing.map((m) => (
        <Typography.Text key={m.condition} type="danger">
          {conditionLabel(m.condition)}：{m.message}
          <Typography.Text type="secondary">（{m.basis}）</Typography.Text>
        </Typography.Text>
      ))}
    </Flex>
  );
}
