// One look-up: who, when, from where, about whom (masked; unmasked only through the ledgered
// read), the purpose given and how purpose binding judged it, with the facts it used.
import { useCallback } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Skeleton, Space, Typography } from 'antd';
import { EyeOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { LookupDetail } from '@contracts/lookups.ts';
import { useCan } from '../../app/auth.tsx';
import { fmtTime } from '../../app/format.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { revealPii } from '../../components/revealPii.tsx';
import { t } from '../../locales/zh-CN.ts';
import { useLoad } from '../records/useLoad.ts';
import { lookupsApi } from './api.ts';
import { reasonText } from './columns.tsx';
import { justifiedTag, purposeLabel, queryTypeTag, subjectText } from './labels.tsx';

const ROLE_LABELS = { decider: '处罚民警', assistant: '协助人员' } as const;

export function LookupDrawer({ id, onClose, onAsk }: { id: number | null; onClose: () => void; onAsk?: (l: LookupDetail) => void }) {
  const can = useCan();
  const { modal } = App.useApp();
  const load = useCallback(() => lookupsApi.get(id!), [id]);
  const { data, error } = useLoad(id !== null ? load : null);
  const l = data && data.id === id ? data : undefined;

  const reveal = (d: LookupDetail) =>
    revealPii(modal, {
      confirmTitle: `查看查询记录 #${d.id} 的查询对象完整信息`,
      title: '查询对象完整信息',
      load: () => lookupsApi.subject(d.id),
      items: (s) => [
        { key: 'plate', label: '号牌', children: s.plate ?? '未提供' },
        { key: 'idNumber', label: '身份证号', children: s.idNumber ?? '未提供' },
        { key: 'name', label: '姓名', children: s.name ?? '未提供' },
      ],
    });

  return (
    <Drawer title={id !== null ? `查询记录 #${id}` : ''} open={id !== null} onClose={onClose} size={760} destroyOnHidden>
      {error && <Alert type="error" showIcon title="无法读取该查询记录" description={error} />}
      {!error && !l && <Skeleton active />}
      {l && (
        <div data-testid="lookup-detail">
          <Space wrap style={{ marginBottom: 16 }}>
            {justifiedTag(l.justified)}
            {queryTypeTag(l.queryType)}
            {can('lookup:handle') && onAsk && l.personId !== null && (
              <Button icon={<QuestionCircleOutlined />} onClick={() => onAsk(l)}>
                发起说明核查
              </Button>
            )}
          </Space>
          <DrawerSection
            title="查询对象"
            extra={
              can('lookup:pii') ? (
                <Button size="small" icon={<EyeOutlined />} onClick={() => reveal(l)}>
                  查看完整信息
                </Button>
              ) : undefined
            }
          >
            <Typography.Text data-testid="lookup-subject">{subjectText(l.subject)}</Typography.Text>
          </DrawerSection>
          <DrawerSection title="查询情况">
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: 'at', label: '查询时间', children: fmtTime(l.at) },
                {
                  key: 'person',
                  label: '查询人',
                  children: l.personId !== null ? `${l.personName}（${l.account}）` : `${l.account}（无对应人员）`,
                },
                { key: 'unit', label: '单位', children: l.unitName ?? t.empty },
                { key: 'cert', label: '数字证书', children: l.certificateId },
                { key: 'terminal', label: '终端', children: `${l.terminalId}（${l.terminalIp}）` },
                { key: 'terminalUnit', label: '终端所属单位', children: l.terminalUnit ?? t.empty },
                { key: 'result', label: '返回条数', children: l.resultCount ?? t.empty },
                { key: 'external', label: '外部编号', children: l.externalId },
              ]}
            />
          </DrawerSection>
          <DrawerSection title="查询事由与核验">
            <Descriptions
              bordered
              size="small"
              column={1}
              styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}
              items={[
                { key: 'purpose', label: '事由', children: `${purposeLabel(l.purposeCategory)}${l.purposeText ? `：${l.purposeText}` : ''}` },
                { key: 'case', label: '关联编号', children: l.caseRef ?? t.empty },
                { key: 'verdict', label: '核验结果', children: <>{justifiedTag(l.justified)}{reasonText(l.justification.reason)}</> },
                ...(l.justification.recordId !== null
                  ? [
                      {
                        key: 'record',
                        label: '关联执法记录',
                        children: (
                          <>
                            <Link to={`/enforcement/records?id=${l.justification.recordId}`}>#{l.justification.recordId}</Link>
                            {l.justification.role && `（${ROLE_LABELS[l.justification.role]}）`}
                            {l.justification.minutesFromRecord !== null && `，相距 ${Math.round(l.justification.minutesFromRecord)} 分钟`}
                          </>
                        ),
                      },
                    ]
                  : []),
                { key: 'basis', label: '依据', children: <span style={{ whiteSpace: 'pre-wrap' }}>{l.justification.basis}</span> },
                { key: 'version', label: '参数版本', children: `${l.justification.rule} v${l.justification.paramsVersion}` },
              ]}
            />
          </DrawerSection>
          {l.explanationIds.length > 0 && (
            <DrawerSection title="说明核查">
              <Space wrap>
                {l.explanationIds.map((e) =>
                  can('lookup:handle') ? (
                    <Link key={e} to={`/lookups/explanations?id=${e}`}>
                      说明核查 #{e}
                    </Link>
                  ) : (
                    <span key={e}>说明核查 #{e}</span>
                  ),
                )}
              </Space>
            </DrawerSection>
          )}
        </div>
      )}
    </Drawer>
  );
}
