// 检查点: the signed tree heads, newest first; each note can be read, copied and downloaded
// verbatim, so the discipline office can keep it and later prove the log still extends it.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Flex, Table, Typography } from 'antd';
import type { LedgerCheckpoint } from '@contracts/ledger.ts';
import { usePagedList, type PageQuery } from '../../hooks/usePagedList.ts';
import { downloadNote, ledgerApi } from './api.ts';
import { checkpointColumns, mono } from './columns.tsx';
import { IssueCheckpointButton } from './IssueCheckpointButton.tsx';
import { NoteModal } from './NoteView.tsx';
import type { PublicKeyInfo } from './verify/entry.ts';

const fetchCheckpoints = (q: Record<string, never> & PageQuery) => ledgerApi.checkpoints(q);

export function CheckpointsTab({ version, onIssued }: { version: number; onIssued: () => void }) {
  const list = usePagedList<LedgerCheckpoint, Record<string, never>>(fetchCheckpoints, {});
  const [viewing, setViewing] = useState<LedgerCheckpoint | null>(null);
  const [key, setKey] = useState<PublicKeyInfo | null>(null);
  const { reload } = list;

  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  useEffect(() => {
    ledgerApi.publicKey({ silent: true }).then(setKey, () => setKey(null));
  }, []);

  const columns = checkpointColumns({ onView: setViewing, onDownload: downloadNote });
  const issued = useCallback(() => onIssued(), [onIssued]);

  return (
    <>
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <Alert
          type="info"
          style={{ flex: 1, minWidth: 420 }}
          title="检查点是账本在某一时刻的签名快照（C2SP 签名文本，Ed25519）。"
          description={
            <>
              纪检部门可下载保存签名文本与下方公钥；日后用它们核验账本，任何对此前内容的改写、删除、插入都会被发现。
              最新检查点也可免登录获取：<Typography.Text code>/api/public/ledger/checkpoint</Typography.Text>。
              {key && (
                <div style={{ marginTop: 6 }}>
                  验签公钥：
                  <Typography.Text copyable style={mono} data-testid="ledger-verifier-key">
                    {key.verifierKey}
                  </Typography.Text>
                </div>
              )}
            </>
          }
        />
        <IssueCheckpointButton onIssued={issued} />
      </Flex>
      <Table<LedgerCheckpoint>
        rowKey="size"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        locale={{ emptyText: '尚未签发检查点' }}
      />
      <NoteModal checkpoint={viewing} onClose={() => setViewing(null)} />
    </>
  );
}
