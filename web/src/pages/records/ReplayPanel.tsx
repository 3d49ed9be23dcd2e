// 按规则版本重放: decide the record again under a chosen rule-set version (the stored history and
// catalogue, nothing written) and say whether the result matches the stored decision.
import { useCallback, useState } from 'react';
import { Alert, Button, Descriptions, Flex, InputNumber, Select, Typography } from 'antd';
import { HistoryOutlined } from '@ant-design/icons';
import type { RecordDetail } from '@contracts/enforcement.ts';
import { fmtTime } from '../../app/format.ts';
import { rulesApi } from '../rules/api.ts';
import { recordsApi, type ReplayResult } from './api.ts';
import { fineText } from './labels.ts';
import { ReasonList } from './ReasonCard.tsx';
import { OutcomeTag } from './tags.tsx';
import { errorText, useLoad } from './useLoad.ts';

/** `canListVersions` (rules:view) offers the versions by name; without it the version is typed. */
export function ReplayPanel({ record, canListVersions }: { record: RecordDetail; canListVersions: boolean }) {
  const loadVersions = useCallback(() => rulesApi.versions({ silent: true }), []);
  const versions = useLoad(canListVersions ? loadVersions : null);
  const [version, setVersion] = useState<number>(record.ruleSetVersion);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      setResult(await recordsApi.replay(record.id, version));
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const options = (versions.data ?? []).map((v) => ({
    value: v.version,
    label: `v${v.version}${v.version === record.ruleSetVersion ? '（原判定所用）' : ''} · ${fmtTime(v.createdAt)} · ${v.note}`,
  }));

  return (
    <div data-testid="replay-panel">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Text>规则版本</Typography.Text>
        {canListVersions ? (
          <Select
            aria-label="规则版本"
            value={version}
            onChange={(v) => {
              setVersion(v);
              setResult(null);
            }}
            loading={versions.loading}
            options={options.length ? options : [{ value: record.ruleSetVersion, label: `v${record.ruleSetVersion}` }]}
            style={{ minWidth: 240, maxWidth: '100%', flex: '1 1 240px' }}
            popupMatchSelectWidth={false}
          />
        ) : (
          <InputNumber
            aria-label="规则版本"
            prefix="v"
            min={1}
            precision={0}
            value={version}
            onChange={(v) => {
              if (v) setVersion(v);
              setResult(null);
            }}
            style={{ width: 120 }}
          />
        )}
        <Button icon={<HistoryOutlined />} loading={busy} onClick={() => void run()}>
          重放
        </Button>
      </Flex>
      {versions.error && <Alert type="warning" showIcon title={`无法读取规则版本列表：${versions.error}`} style={{ marginBottom: 12 }} />}
      {failure && <Alert type="error" showIcon title="重放失败" description={failure} role="alert" />}
      {result && <ReplayResultView result={result} />}
    </div>
  );
}

function ReplayResultView({ result }: { result: ReplayResult }) {
  return (
    <div data-testid="replay-result" data-same={String(result.same)}>
      <Alert
        type={result.same ? 'success' : 'warning'}
        showIcon
        style={{ marginBottom: 12 }}
        title={
          result.same
            ? `按 v${result.ruleSetVersion} 重放的结果与原判定一致`
            : `按 v${result.ruleSetVersion} 重放的结果与原判定（v${result.storedRuleSetVersion}）不一致`
        }
      />
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2 }}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'stored', label: `原判定（v${result.storedRuleSetVersion}）`, children: <OutcomeTag outcome={result.storedOutcome} /> },
          { key: 'replayed', label: `重放结果（v${result.ruleSetVersion}）`, children: <OutcomeTag outcome={result.outcome} /> },
          { key: 'fine', label: '重放罚款/记分', children: fineText(result.fineYuan, result.points) },
          { key: 'linked', label: '重放关联记录', children: result.linkedRecordId ? `#${result.linkedRecordId}` : '-' },
        ]}
      />
      <ReasonList reasons={result.reasons} />
    </div>
  );
}
