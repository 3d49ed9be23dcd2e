// 对象追查 (inspectors only): a plate, ID number or name → everyone in scope who looked it up, when
// and why. The subject typed in is matched by its keyed hash on the server; what comes back is masked.
import { useCallback, useState } from 'react';
import { Alert, Card, DatePicker, Empty, Form, Grid, Input, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { Page } from '@contracts/common.ts';
import type { LookupSummary, SubjectView } from '@contracts/lookups.ts';
import { canonicalPlate } from '@contracts/plate.ts';
import { Link } from 'react-router';
import { useCan } from '../../../app/auth.tsx';
import { fmtTime, rangeQuery } from '../../../app/format.ts';
import { FilterBar } from '../../../components/FilterBar.tsx';
import { usePagedList, type PageQuery } from '../../../hooks/usePagedList.ts';
import { useIdParam } from '../../../hooks/useIdParam.ts';
import { RequestModal, type ExplanationTarget } from '../../explanations/RequestModal.tsx';
import { lookupsApi, type SubjectFilters } from '../api.ts';
import { lookupColumns } from '../columns.tsx';
import { subjectText } from '../labels.tsx';
import { LookupDrawer } from '../LookupDrawer.tsx';

interface FilterValues {
  plate?: string;
  idNumber?: string;
  name?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const trimmed = (v: string | undefined) => v?.trim() || undefined;
const EMPTY: Page<LookupSummary> = { items: [], total: 0, page: 1, pageSize: 20 };

export default function SubjectPage() {
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const [view, setView] = useState<SubjectView | null>(null);
  const [openId, setOpenId] = useIdParam();
  const [target, setTarget] = useState<ExplanationTarget | null>(null);

  const fetchPage = useCallback(async (q: SubjectFilters & PageQuery) => {
    if (!q.plate && !q.idNumber && !q.name) {
      setView(null);
      return EMPTY; // nothing asked yet
    }
    const v = await lookupsApi.bySubject(q);
    setView(v);
    return v;
  }, []);
  const list = usePagedList<LookupSummary, SubjectFilters>(fetchPage, {});
  const asked = !!(list.filters.plate || list.filters.idNumber || list.filters.name);

  return (
    <div data-testid="lookup-subject">
      <FilterBar<FilterValues>
        onSearch={({ plate, idNumber, name, range }) =>
          list.search({
            plate: trimmed(plate) ? canonicalPlate(plate!) : undefined,
            idNumber: trimmed(idNumber)?.toUpperCase(),
            name: trimmed(name),
            ...rangeQuery(range),
          })
        }
      >
        <Form.Item name="plate" label="号牌">
          <Input allowClear placeholder="如 苏A12345" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="idNumber" label="身份证号">
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="name" label="姓名">
          <Input allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="range" label="查询时间">
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} style={{ maxWidth: 'calc(100vw - 140px)' }} />
        </Form.Item>
      </FilterBar>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        按号牌、身份证号或姓名追查谁查询过该对象（只列出您数据权限范围内的查询）。每次追查均记入审计账本。
      </Typography.Paragraph>

      {!asked && <Empty description="请输入号牌、身份证号或姓名后查询" />}
      {asked && view && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Typography.Text strong>对象：{subjectText(view.subject)}</Typography.Text>
            {view.watched && <Tag color="magenta">在关注名单中</Tag>}
            <Typography.Text type="secondary">共被查询 {view.total} 次，涉及 {view.people.length} 个账号</Typography.Text>
          </Space>
          {view.total === 0 && <Alert type="info" showIcon title="所选期间没有人查询过该对象" style={{ marginBottom: 12 }} />}
          {view.people.length > 0 && (
            <Card size="small" title="查询人" style={{ marginBottom: 16 }}>
              <Table
                rowKey="account"
                size="small"
                pagination={false}
                dataSource={view.people}
                scroll={{ x: 560 }}
                columns={[
                  {
                    title: '查询人',
                    key: 'person',
                    render: (_, r) =>
                      r.personId !== null ? (
                        <Link to={`/lookups/profile?personId=${r.personId}`}>
                          {r.personName}（{r.account}）
                        </Link>
                      ) : (
                        `${r.account}（无对应人员）`
                      ),
                  },
                  { title: '次数', dataIndex: 'count', width: 80 },
                  { title: '有事由', dataIndex: 'justified', width: 80 },
                  { title: '最近查询', dataIndex: 'lastAt', width: 170, render: fmtTime },
                ]}
              />
            </Card>
          )}
        </>
      )}
      {asked && (
        <Table<LookupSummary>
          rowKey="id"
          size="middle"
          columns={lookupColumns({ onDetail: (l) => setOpenId(l.id), profileLinks: can('lookup:view'), compact: !screens.md })}
          dataSource={list.items}
          loading={list.loading}
          pagination={list.pagination}
          scroll={{ x: screens.md ? 1120 : 760 }}
        />
      )}
      <LookupDrawer id={openId} onClose={() => setOpenId(null)} onAsk={(l) => setTarget({ lookupIds: [l.id], who: `${l.personName}（${l.account}）` })} />
      <RequestModal target={target} onClose={() => setTarget(null)} />
    </div>
  );
}
