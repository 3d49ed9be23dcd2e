// 查询画像: one person's look-ups in the period — volume per day against the median of their unit's
// other people, the hours of day they look things up, query types and purposes, subjects looked up
// again and again, the justification rate, and the look-ups themselves. The person is in the URL
// (?personId=), so a link from a list or an alert opens the same profile.
import { useCallback, useMemo, useState } from 'react';
import { Alert, Card, Col, Descriptions, Empty, Flex, Grid, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { DUTY_KINDS, type LookupProfile, type LookupSummary, type RosterEntry } from '@contracts/lookups.ts';
import { PERSON_CATEGORIES, PERSON_STATUSES } from '@contracts/org.ts';
import { fmtTime } from '../../../app/format.ts';
import { usePagedList } from '../../../hooks/usePagedList.ts';
import { useIdParam } from '../../../hooks/useIdParam.ts';
import { t } from '../../../locales/zh-CN.ts';
import { useLoad } from '../../records/useLoad.ts';
import { RequestModal, type ExplanationTarget } from '../../explanations/RequestModal.tsx';
import { lookupsApi, type LookupFilters } from '../api.ts';
import { countBars, heatmapOption, profileVolumeOption, purposeRows, queryTypeRows } from '../charts.ts';
import { lookupColumns } from '../columns.tsx';
import { lastDays, PeriodPicker, type Period } from '../PeriodPicker.tsx';
import { beijingDays } from '../../../app/format.ts';
import { percent, subjectText } from '../labels.tsx';
import { LookupChart } from '../LookupChart.tsx';
import { LookupDrawer } from '../LookupDrawer.tsx';
import { PersonField } from '../PersonField.tsx';

const label = (labels: Record<string, string>, code: string) => labels[code] ?? code;

export default function LookupProfilePage() {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('personId'));
  const personId = Number.isSafeInteger(raw) && raw > 0 ? raw : null;
  const [range, setRange] = useState<Period>(() => lastDays(30));
  const { from, to } = beijingDays(range);
  const load = useCallback(() => lookupsApi.profile(personId!, { from, to }), [personId, from, to]);
  const profile = useLoad(personId !== null ? load : null);
  const p = profile.data && profile.data.person.id === personId ? profile.data : undefined;

  const choose = (id: number | undefined) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.delete('id');
      if (id) next.set('personId', String(id));
      else next.delete('personId');
      return next;
    });

  return (
    <div data-testid="lookup-profile">
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Flex gap={8} align="center" wrap>
          <Typography.Text>人员：</Typography.Text>
          <PersonField value={personId ?? undefined} onChange={choose} width={260} />
        </Flex>
        <PeriodPicker value={range} onChange={setRange} />
      </Flex>
      {personId === null && <Empty description="请选择要查看的人员（也可从查询记录或告警中点击人员进入）" />}
      {personId !== null && profile.error && <Alert type="error" showIcon title="无法读取该人员的查询画像" description={profile.error} />}
      {personId !== null && !profile.error && !p && <Skeleton active paragraph={{ rows: 8 }} />}
      {p && <Profile p={p} />}
      {p && <Roster personId={p.person.id} from={from} to={to} />}
      {personId !== null && <PersonLookups personId={personId} from={from} to={to} />}
    </div>
  );
}

function Profile({ p }: { p: LookupProfile }) {
  const narrow = !Grid.useBreakpoint().sm;
  const volume = useMemo(() => profileVolumeOption(p), [p]);
  const heat = useMemo(() => heatmapOption(p), [p]);
  const types = useMemo(() => countBars(queryTypeRows(p.byQueryType), '#1f4e99', '查询次数', narrow), [p, narrow]);
  const purposes = useMemo(() => countBars(purposeRows(p.byPurpose), '#13a8a8', '查询次数', narrow), [p, narrow]);
  return (
    <>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'name', label: '姓名', children: <span data-testid="profile-name">{p.person.name}</span> },
          { key: 'badge', label: '警号', children: p.person.badgeNo },
          { key: 'unit', label: '单位', children: p.person.unitName ?? t.empty },
          {
            key: 'status',
            label: '类别/状态',
            children: `${label(PERSON_CATEGORIES, p.person.category)} · ${label(PERSON_STATUSES, p.person.status)}`,
          },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title="期间查询" value={p.total} suffix="次" />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title="有事由比例" value={percent(p.justificationRate)} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title="无正当事由" value={p.total - p.justified} suffix="次" styles={{ content: { color: p.total > p.justified ? '#cf1322' : undefined } }} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title="对比人员（同单位）" value={p.peers} suffix="人" />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title="每日查询量与同单位人员对比" data-testid="chart-profile-volume">
            {p.total === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所选期间没有查询" /> : <LookupChart option={volume} height={280} label="本人每日查询数与同单位其他人员的中位数" />}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title="查询时段分布（北京时间）" data-testid="chart-profile-heatmap">
            {p.heatmap.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所选期间没有查询" /> : <LookupChart option={heat} height={300} label="按星期与小时的查询次数热力图" />}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="查询类型" style={{ marginBottom: 16 }}>
            {p.byQueryType.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : <LookupChart option={types} height={130} label="按查询类型的查询次数" />}
          </Card>
          <Card size="small" title="查询事由">
            {p.byPurpose.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : <LookupChart option={purposes} height={130} label="按查询事由的查询次数" />}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title="反复查询的对象" data-testid="profile-repeated">
            <Table
              rowKey="lookupId"
              size="small"
              pagination={false}
              dataSource={p.repeatedSubjects}
              scroll={{ x: 560 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有反复查询的对象" /> }}
              columns={[
                { title: '查询对象', key: 'subject', render: (_, r) => subjectText(r.subject) },
                { title: '次数', dataIndex: 'count', width: 80 },
                { title: '首次', dataIndex: 'firstAt', width: 170, render: fmtTime },
                { title: '最近', dataIndex: 'lastAt', width: 170, render: fmtTime },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

function PersonLookups({ personId, from, to }: { personId: number; from: string; to: string }) {
  const screens = Grid.useBreakpoint();
  const fetchPage = useCallback((q: LookupFilters & { page: number; pageSize: number }) => lookupsApi.list({ ...q, personId, from, to }), [personId, from, to]);
  const list = usePagedList<LookupSummary, LookupFilters>(fetchPage, {}, 10);
  const [openId, setOpenId] = useIdParam();
  const [target, setTarget] = useState<ExplanationTarget | null>(null);
  return (
    <Card size="small" title="查询记录" style={{ marginTop: 16 }}>
      <Table<LookupSummary>
        rowKey="id"
        size="small"
        columns={lookupColumns({ onDetail: (l) => setOpenId(l.id), profileLinks: false, compact: !screens.md })}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: screens.md ? 1120 : 760 }}
      />
      <LookupDrawer id={openId} onClose={() => setOpenId(null)} onAsk={(l) => setTarget({ lookupIds: [l.id], who: `${l.personName}（${l.account}）` })} />
      <RequestModal target={target} onClose={() => setTarget(null)} />
    </Card>
  );
}

/** The person's shifts and leave in the period (imported 值班表): what 非工作时间 is measured by. */
function Roster({ personId, from, to }: { personId: number; from: string; to: string }) {
  const fetchPage = useCallback((q: { page: number; pageSize: number }) => lookupsApi.roster({ ...q, personId, from, to }), [personId, from, to]);
  const list = usePagedList<RosterEntry, Record<string, never>>(fetchPage, {}, 5);
  return (
    <Card size="small" title="值班与请假" style={{ marginTop: 16 }} data-testid="profile-roster">
      <Table<RosterEntry>
        rowKey="id"
        size="small"
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: 560 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所选期间没有导入值班表，按办公时间判断非工作时间查询" /> }}
        columns={[
          { title: '类型', dataIndex: 'kind', width: 90, render: (k: RosterEntry['kind']) => <Tag color={k === 'leave' ? 'orange' : 'blue'}>{DUTY_KINDS[k]}</Tag> },
          { title: '开始', dataIndex: 'startsAt', render: fmtTime },
          { title: '结束', dataIndex: 'endsAt', render: fmtTime },
          { title: '导入', key: 'imported', render: (_, r) => `${r.importedBy} · ${fmtTime(r.importedAt)}` },
        ]}
      />
    </Card>
  );
}
