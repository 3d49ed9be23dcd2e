// 审计账本: the tamper-evident operation record. Entries (filtered, exportable, each verifiable in the
// browser), the signed checkpoints, and for the auditor the verify-now action. The tab and the
// entry open in the drawer live in the URL (?tab=…&seq=…), so a link shows the same view.
import { useCallback, useState } from 'react';
import { Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useCan } from '../../app/auth.tsx';
import { CheckpointsTab } from './CheckpointsTab.tsx';
import { EntriesTab } from './EntriesTab.tsx';
import { EntryDrawer } from './EntryDrawer.tsx';
import { VerifyTab } from './VerifyTab.tsx';

type TabKey = 'entries' | 'checkpoints' | 'verify';

export default function LedgerPage() {
  const can = useCan();
  const canVerify = can('ledger:verify');
  const [params, setParams] = useSearchParams();
  const [checkpointVersion, setCheckpointVersion] = useState(0);

  const requested = params.get('tab');
  const tab: TabKey = requested === 'checkpoints' || (requested === 'verify' && canVerify) ? requested : 'entries';
  const seqParam = Number(params.get('seq'));
  const seq = Number.isSafeInteger(seqParam) && seqParam > 0 ? seqParam : null;

  const update = useCallback(
    (change: Record<string, string | null>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(change)) {
            if (v === null) next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const issued = useCallback(() => setCheckpointVersion((v) => v + 1), []);

  const items = [
    { key: 'entries', label: '账本条目', children: <EntriesTab onDetail={(s) => update({ seq: String(s) })} /> },
    { key: 'checkpoints', label: '检查点', children: <CheckpointsTab version={checkpointVersion} onIssued={issued} /> },
    ...(canVerify ? [{ key: 'verify', label: '核验', children: <VerifyTab onIssued={issued} /> }] : []),
  ];

  return (
    <>
      <Tabs activeKey={tab} onChange={(k) => update({ tab: k === 'entries' ? null : k })} items={items} />
      <EntryDrawer seq={seq} onClose={() => update({ seq: null })} />
    </>
  );
}
