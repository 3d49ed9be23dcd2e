// 立即签发检查点: signs the current tree now (ledger:verify only); the server answers with the latest
// checkpoint when nothing was added since.
import { useState } from 'react';
import { App, Button } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { LedgerCheckpoint } from '@contracts/ledger.ts';
import { useCan } from '../../app/auth.tsx';
import { ledgerApi } from './api.ts';

export function IssueCheckpointButton({ onIssued }: { onIssued?: (cp: LedgerCheckpoint) => void }) {
  const can = useCan();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (!can('ledger:verify')) return null;
  const issue = () => {
    setBusy(true);
    ledgerApi
      .createCheckpoint()
      .then(({ checkpoint, created }) => {
        void message.success(created ? `已签发检查点：大小 ${checkpoint.size}` : `没有新条目，最新检查点仍为大小 ${checkpoint.size}`);
        onIssued?.(checkpoint);
      })
      .catch(() => undefined) // the client has shown the error
      .finally(() => setBusy(false));
  };
  return (
    <Button icon={<SafetyCertificateOutlined />} loading={busy} onClick={issue}>
      立即签发检查点
    </Button>
  );
}
