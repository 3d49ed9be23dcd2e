// 查询审计概览: look-ups of vehicle and driver data in the chosen period (default the last 30
// days) — per day with the unjustified part, the unjustified share, accounts matching nobody,
// look-up alerts by rule and by unit, open explanation requests. Inspectors import the query log
// and the duty roster here. Data scope is the server's: a squadron leader sees their squadron.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Empty, Flex, Grid, Result, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { CalendarOutlined, ReloadOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { LookupOverview } from '@contracts/lookups.ts';
import { useCan } from '../../../app/auth.tsx';
import { UnitTreeSelect } from '../../../components/UnitTreeSelect.tsx';
import { useLoad, type Loaded } from '../../records/useLoad.ts';
import { lookupsApi } from '../api.ts';
import { alertRuleRows, alertUnitRows, barsHeight, countBars, perDayOption, queryTypeRows, totalUnclosedBars } from '../charts.ts';
import { ImportModal, RosterImportModal } from '../ImportModal.tsx';
import { percent } from '../labels.tsx';
import { LookupChart } from '../LookupChart.tsx';
import { lastDays, PeriodPicker, type Period } from '../PeriodPicker.tsx';
import { beijingDays } from '../../../app/format.ts';


function ChartCard({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Card size="small" title={title} style={{ height: '100%' }} data-testid={testId}>
      {children}
    </Card>
  );
}

function Body({ loaded, isEmpty, empty, children }: { loaded: Loaded<LookupOverview>; isEmpty: (o: LookupOverview) => boolean; empty: string; children: (o: LookupOverview) => ReactNode }) {
  if (loaded.error && !loaded.data) return <Result status="warning" title="加载失败" subTitle={loaded.error} extra={<Button onClick={loaded.reload}>重试</Button>} />;
  if (loaded.data === undefined) return <Skeleton active paragraph={{ rows: 5 }} />;
  if (isEmpty(loaded.data)) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return <>{children(loaded.data)}</>;
}

export default function LookupOverviewPage() {
  const can = useCan();
  const [range, setRange] = useState<Period>(() => lastDays(30));
  const [unitId, setUnitId] = useState<number | undefined>(undefined);
  const [importOpen, setImportOpen] = useState(false);
  const [rosterOpen, setRosterOpen] = useState(false);
  const { from, to } = beijingDays(range);
  const load = useCallback(() => lookupsApi.overview({ from, to, unitId }), [from, to, unitId]);
  const overview = useLoad(load);
  const o = overview.data;

  return (
    <div data-testid="lookup-overview">
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          数据查询审计
        </Typography.Title>
        <Flex gap={8} wrap>
          {can('org:unit:view') && <UnitTreeSelect allowClear allowInactive placeholder="全部单位" value={unitId} onChange={(v: number | undefined) => setUnitId(v)} />}
          <PeriodPicker value={range} onChange={setRange} />
          <Button icon={<ReloadOutlined />} loading={overview.loading} onClick={overview.reload}>
            刷新
          </Button>
          {(can('lookup:ingest') || can('lookup:handle')) && (
            <Space wrap>
              {can('lookup:ingest') && (
                <Button type="primary" icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
                  导入查询日志
                </Button>
              )}
              {can('lookup:handle') && (
                <Button icon={<CalendarOutlined />} onClick={() => setRosterOpen(true)}>
                  导入值班表
                </Button>
              )}
            </Space>
          )}
        </Flex>
      </Flex>

      {overview.error && o && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`统计未能更新，下面仍是上次的数据：${overview.error}`} />}

      <Figures o={o} loading={o === undefined && !overview.error} canHandle={can('lookup:handle')} />

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24}>
          <ChartCard title="每日查询量（按事由核验结果）" testId="chart-lookups-per-day">
            <Body loaded={overview} isEmpty={(x) => x.total === 0} empty="所选期间没有查询记录">
              {(x) => <PerDay o={x} />}
            </Body>
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="查询审计告警（按规则）" testId="chart-lookup-alerts-rule">
            <Body loaded={overview} isEmpty={(x) => x.alertsByRule.length === 0} empty="所选期间没有查询审计告警">
              {(x) => <AlertBars rows={alertRuleRows(x)} label="所选期间的查询审计告警，按规则" />}
            </Body>
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="查询审计告警（按单位）" testId="chart-lookup-alerts-unit">
            <Body loaded={overview} isEmpty={(x) => x.alertsByUnit.length === 0} empty="所选期间没有查询审计告警">
              {(x) => <AlertBars rows={alertUnitRows(x)} label="所选期间的查询审计告警，按单位顺序排列" />}
            </Body>
          </ChartCard>
        </Col>
        <Col xs={24}>
          <ChartCard title="查询类型" testId="chart-lookup-types">
            <Body loaded={overview} isEmpty={(x) => x.byQueryType.length === 0} empty="所选期间没有查询记录">
              {(x) => <QueryTypes o={x} />}
            </Body>
          </ChartCard>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        注：告警是需要核实的线索，不是结论；按单位的统计按单位顺序排列，不作排名。
      </Typography.Paragraph>

      <ImportModal
        open={importOpen}
        onClose={(changed) => {
          setImportOpen(false);
          if (changed) overview.reload();
        }}
      />
      <RosterImportModal open={rosterOpen} onClose={() => setRosterOpen(false)} />
    </div>
  );
}

function Figures({ o, loading, canHandle }: { o: LookupOverview | undefined; loading: boolean; canHandle: boolean }) {
  const link = (to: string, text: string) => (
    <Link to={to}>
      {text} <RightOutlined />
    </Link>
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} lg={6}>
        <Card size="small" title="期间查询" data-testid="lookups-total">
          <Statistic value={o?.total ?? '-'} suffix="次" loading={loading} />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small" title="无正当事由占比" extra={link('/lookups/records', '查看')} data-testid="lookups-unjustified">
          <Statistic value={percent(o?.unjustifiedShare)} loading={loading} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o ? `${o.unjustified} 次` : ''}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small" title="账号无对应人员" data-testid="lookups-unknown">
          <Statistic value={o?.unknownAccounts ?? '-'} suffix="次" loading={loading} styles={{ content: { color: o && o.unknownAccounts > 0 ? '#cf1322' : undefined } }} />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small" title="待结说明核查" extra={canHandle ? link('/lookups/explanations', '处理') : undefined} data-testid="lookups-explanations">
          <Statistic value={o?.openExplanations ?? '-'} suffix="件" loading={loading} />
          <Typography.Text type={o && o.overdueExplanations > 0 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            {o ? `其中逾期 ${o.overdueExplanations} 件` : ''}
          </Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}

function PerDay({ o }: { o: LookupOverview }) {
  const option = useMemo(() => perDayOption(o), [o]);
  return <LookupChart option={option} height={300} label="每日查询量，有事由与无正当事由堆叠" />;
}

function AlertBars({ rows, label }: { rows: { name: string; total: number; unclosed: number }[]; label: string }) {
  const narrow = !Grid.useBreakpoint().sm;
  const option = useMemo(() => totalUnclosedBars(rows, narrow), [rows, narrow]);
  return <LookupChart option={option} height={barsHeight(rows.length)} label={label} />;
}

function QueryTypes({ o }: { o: LookupOverview }) {
  const narrow = !Grid.useBreakpoint().sm;
  const option = useMemo(() => countBars(queryTypeRows(o.byQueryType.map((q) => ({ queryType: q.queryType, count: q.total }))), '#1f4e99', '查询次数', narrow), [o, narrow]);
  return <LookupChart option={option} height={240} label="所选期间的查询，按查询类型" />;
}
