// A signed checkpoint note shown verbatim (copyable, downloadable), with its signature checked here
// in the browser against the published key.
import { useEffect, useState } from 'react';
import { Button, Modal, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { LedgerCheckpoint } from '@contracts/ledger.ts';
import { t } from '../../locales/zh-CN.ts';
import { downloadNote, ledgerApi } from './api.ts';
import { mono } from './columns.tsx';
import { toBase64 } from './verify/bytes.ts';
import { verifyCheckpointNote } from './verify/note.ts';

type Check = { state: 'checking' } | { state: 'ok'; text: string } | { state: 'bad'; text: string };

/** Checks a note's signature with the published key, and that it says what its row says. */
export function useNoteCheck(cp: LedgerCheckpoint | null): Check {
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  useEffect(() => {
    if (!cp) return;
    let live = true;
    setCheck({ state: 'checking' });
    (async (): Promise<Check> => {
      const key = await ledgerApi.publicKey({ silent: true });
      const v = await verifyCheckpointNote(cp.note, key.verifierKey, key.origin);
      if (v.size !== cp.size || toBase64(v.rootHash) !== cp.rootHash) return { state: 'bad', text: '签名文本与列表中的大小或根哈希不一致' };
      return { state: 'ok', text: `Ed25519 签名有效（密钥 ${v.key.name}，编号 ${v.keyIdHex}，由浏览器本地核验）` };
    })()
      .catch((e: unknown): Check => ({ state: 'bad', text: e instanceof Error ? e.message : String(e) }))
      .then((c) => live && setCheck(c));
    return () => {
      live = false;
    };
  }, [cp]);
  return check;
}

export function NoteModal({ checkpoint, onClose }: { checkpoint: LedgerCheckpoint | null; onClose: () => void }) {
  const check = useNoteCheck(checkpoint);
  return (
    <Modal
      title={checkpoint ? `检查点签名文本（大小 ${checkpoint.size}）` : ''}
      open={checkpoint !== null}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      footer={
        <Space>
          <Button icon={<DownloadOutlined />} onClick={() => checkpoint && downloadNote(checkpoint)}>
            下载
          </Button>
          <Button type="primary" onClick={onClose}>
            {t.close}
          </Button>
        </Space>
      }
    >
      {checkpoint && (
        <>
          <NoteText note={checkpoint.note} />
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="note-check" data-state={check.state}>
            {check.state === 'checking' && '正在浏览器本地验签…'}
            {check.state === 'ok' && <Typography.Text type="success">✓ {check.text}</Typography.Text>}
            {check.state === 'bad' && <Typography.Text type="danger">✗ 验签未通过：{check.text}</Typography.Text>}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            请原样保存此文本（含末尾换行）。日后可在“核验”中粘贴，证明账本仍延续该检查点、未被改写。
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}

/** The note verbatim in a box, with a copy button that copies exactly these bytes. */
export function NoteText({ note }: { note: string }) {
  return (
    <div style={{ position: 'relative' }}>
      <pre data-testid="note-text" style={{ ...mono, margin: 0, padding: 12, background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {note}
      </pre>
      <Typography.Text copyable={{ text: note, tooltips: ['复制签名文本', '已复制'] }} style={{ position: 'absolute', top: 6, right: 10 }} />
    </div>
  );
}
