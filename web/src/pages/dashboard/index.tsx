// 首页看板: enforcement supervision at a glance for the chosen period (default the last 30 days) —
// records per day by outcome, the camera warning share, the held backlog and what is overdue, on-site
// findings by rule, and (with alert:view) the unclosed alerts by rule and by unit.
//
// By law (《道路交通安全法》第86条; 《道路交通安全违法行为处理程序规定》第66条) fines collected and
// tickets written may not be used to assess officers: this page shows no per-officer or per-unit
// count of penalties or fines and ranks nobody; the footnote says so.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, Flex, Result, Row, Skeleton, Statistic, Typography } from 'antd';
import { ReloadOutlined, RightOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { Link } from 'react-router';
import type { AlertSummary } from '@contracts/alerts.ts';
import { useCan } from '../../app/auth.tsx';
import { useLoad, type Loaded } from '../records/useLoad.ts';
import { beijingDays, beijingToday, lastDays } from '../../app/format.ts';
import { dashboardApi, type Stats } from './api.ts';
import { alertRuleRows, alertUnitRows, barsHeight, cameraOutcomeOption, categoryBars, findingsRows, perDayOption } from './charts.ts';
import { EChart } from './EChart.tsx';

type Range = [Dayjs, Dayjs];

/** Computed when the picker opens, so a console left open overnight still means "today". */
const presets = (): { label: string; value: Range }[] => [
  { label: '近7天', value: lastDays(7) },
  { label: '近30天', value: lastDays(30) },
  { label: '近90天', value: lastDays(90) },
  { label: '本月', value: [beijingToday().startOf('month'), beijingToday()] },
  { label: '本年', value: [beijingToday().startOf('year'), beijingToday()] },
];

function ChartCard({ title, extra, children, testId }: { title: string; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card size="small" title={title} extra={extra} style={{ height: '100%' }} data-testid={testId}>
      {children}
    </Card>
  );
}

/** A card's body while its data loads, when it failed, or when there is nothing to draw. */
function Body<T>({ loaded, isEmpty, empty, children }: { loaded: Loaded<T>; isEmpty: (d: T) => boolean; empty: string; children: (d: T) => ReactNode }) {
  if (loaded.error) {
    return (
      <Result status="warning" title="加载失败" subTitle={loaded.error} extra={<Button onClick={loaded.reload}>重试</Button>} />
    );
  }
  if (loaded.data === undefined) return <Skeleton active paragraph={{ rows: 5 }} />;
  if (isEmpty(loaded.data)) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return <>{children(loaded.data)}</>;
}

export default function DashboardPage() {
  const can = useCan();
  const canAlerts = can('alert:view');
  const canReview = can('enforcement:review');
  const [range, setRange] = useState<Range>(() => lastDays(30));
  const { from, to } = beijingDays(range);

  const loadStats = useCallback(() => dashboardApi.stats(from, to), [from, to]);
  const stats = useLoad(loadStats);
  const loadAlerts = useCallback(() => dashboardApi.alerts(), []);
  const alerts = useLoad(canAlerts ? loadAlerts : null);

  const refresh = () => {
    stats.reload();
    if (canAlerts) alerts.reload();
  };

  return (
    <div data-testid="dashboard">
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          执法监督看板
        </Typography.Title>
        <Flex gap={8} wrap>
          <DatePicker.RangePicker
            aria-label="统计期间"
            value={range}
            presets={presets()}
            allowClear={false}
            disabledDate={(d) => d.isAfter(beijingToday(), 'day')}
            onChange={(v) => {
              if (v?.[0] && v[1]) setRange([v[0], v[1]]);
            }}
          />
          <Button icon={<ReloadOutlined />} loading={stats.loading} onClick={refresh}>
            刷新
          </Button>
        </Flex>
      </Flex>

      {stats.error && stats.data && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`统计未能更新，下面仍是上次的数据：${stats.error}`} />
      )}

      <Figures stats={stats} canReview={canReview} />

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24}>
          <ChartCard title="每日执法记录（按结果）" testId="chart-per-day">
            <Body loaded={stats} isEmpty={(s) => s.perDay.length === 0} empty="所选期间没有执法记录">
              {(s) => <PerDay stats={s} />}
            </Body>
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="非现场记录结果构成" testId="chart-camera">
            <Body loaded={stats} isEmpty={(s) => cameraOutcomeOption(s) === null} empty="所选期间没有非现场记录">
              {(s) => <CameraOutcomes stats={s} />}
            </Body>
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="现场执法发现的问题（按规则）" testId="chart-findings">
            <Body loaded={stats} isEmpty={(s) => s.onSiteFindingsByRule.length === 0} empty="所选期间现场执法未发现问题">
              {(s) => <Bars rows={findingsRows(s)} color="#f5222d" name="发现问题" label="现场执法发现的问题，按规则" />}
            </Body>
          </ChartCard>
        </Col>
        {canAlerts && <AlertCharts alerts={alerts} />}
      </Row>

      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }} data-testid="dashboard-footnote">
        注：依据《中华人民共和国道路交通安全法》第八十六条和《道路交通安全违法行为处理程序规定》第六十六条，罚款数额和处罚数量不得作为考核民警的依据。本看板仅用于执法监督，不显示任何民警或单位的处罚、罚款数量，也不对民警或中队作任何排名。
      </Typography.Paragraph>
    </div>
  );
}

function Figures({ stats, canReview }: { stats: Loaded<Stats>; canReview: boolean }) {
  const s = stats.data;
  const loading = s === undefined && !stats.error;
  const total = s?.totals.reduce((sum, t) => sum + t.count, 0);
  const share = s?.warningShare;
  const link = (to: string, text: string) =>
    canReview ? (
      <Link to={to}>
        {text} <RightOutlined />
      </Link>
    ) : undefined;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} sm={12} lg={6}>
        <Card size="small" extra={link('/enforcement/review', '去审核')} title="待审核积压" data-testid="held-backlog">
          <Statistic value={s?.heldBacklog ?? '-'} suffix="条" loading={loading} />
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        <Card size="small" extra={link('/enforcement/review?overdue=true', '查看')} title="已超审核期限" data-testid="held-overdue">
          <Statistic
            value={s?.heldOverdue ?? '-'}
            suffix="条"
            loading={loading}
            styles={{ content: { color: s && s.heldOverdue > 0 ? '#cf1322' : undefined } }}
          />
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        <Card size="small" title="非现场首违警告占比" data-testid="warning-share">
          <Statistic
            value={share === null || share === undefined ? '-' : Math.round(share * 1000) / 10}
            suffix={share === null || share === undefined ? undefined : '%'}
            loading={loading}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            首违警告 ÷（首违警告 + 处罚）
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        <Card size="small" title="期间执法记录" data-testid="records-total">
          <Statistic value={total ?? '-'} suffix="条" loading={loading} />
        </Card>
      </Col>
    </Row>
  );
}

function PerDay({ stats }: { stats: Stats }) {
  const option = useMemo(() => perDayOption(stats), [stats]);
  return <EChart option={option} height={320} label="每日执法记录数，按结果分色堆叠" />;
}

function CameraOutcomes({ stats }: { stats: Stats }) {
  const option = useMemo(() => cameraOutcomeOption(stats), [stats]);
  return option ? <EChart option={option} height={280} label="非现场记录的结果构成" /> : null;
}

function Bars({ rows, color, name, label }: { rows: { name: string; count: number }[]; color: string; name: string; label: string }) {
  const option = useMemo(() => categoryBars(rows, color, name), [rows, color, name]);
  return <EChart option={option} height={barsHeight(rows.length)} label={label} />;
}

function AlertCharts({ alerts }: { alerts: Loaded<AlertSummary> }) {
  const byRule = useMemo(() => (alerts.data ? alertRuleRows(alerts.data) : []), [alerts.data]);
  const byUnit = useMemo(() => (alerts.data ? alertUnitRows(alerts.data) : []), [alerts.data]);
  const extra = alerts.data ? <Typography.Text type="secondary">未办结 {alerts.data.unclosed} 条</Typography.Text> : undefined;
  return (
    <>
      <Col xs={24} lg={12}>
        <ChartCard title="未办结告警（按规则）" extra={extra} testId="chart-alerts-rule">
          <Body loaded={alerts} isEmpty={(a) => a.byRule.length === 0} empty="当前没有未办结的告警">
            {() => <Bars rows={byRule} color="#fa8c16" name="未办结告警" label="未办结告警，按规则" />}
          </Body>
        </ChartCard>
      </Col>
      <Col xs={24} lg={12}>
        <ChartCard title="未办结告警（按单位）" extra={extra} testId="chart-alerts-unit">
          <Body loaded={alerts} isEmpty={(a) => a.byUnit.length === 0} empty="当前没有未办结的告警">
            {() => <Bars rows={byUnit} color="#1f4e99" name="未办结告警" label="未办结告警，按单位（按单位顺序排列）" />}
          </Body>
        </ChartCard>
      </Col>
      <Col xs={24}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          告警统计为当前未办结的告警，不受上方统计期间限制。
        </Typography.Text>
      </Col>
    </>
  );
}
