// One ledger entry: its fields, its canonical leaf, its inclusion proof against the latest signed
// checkpoint, and the verification of all of it computed here in the browser.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Empty, Flex, Input, Spin, Tabs, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { InclusionProof, LedgerEntryWithLeaf } from '@contracts/ledger.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { ApiError } from '../../api/client.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import { ledgerApi } from './api.ts';
import { mono } from './columns.tsx';
import { IssueCheckpointButton } from './IssueCheckpointButton.tsx';
import { NoteText } from './NoteView.tsx';
import { VerificationPanel } from './VerificationPanel.tsx';
import { fromBase64, fromUtf8 } from './verify/bytes.ts';
import { verifyEntryInBrowser, type EntryVerification, type PublicKeyInfo } from './verify/entry.ts';

interface Loaded {
  entry: LedgerEntryWithLeaf;
  proof: InclusionProof | null;
  pendingReason?: string;
  proofError?: string;
  publicKey: PublicKeyInfo | null;
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const quiet = { silent: true }; // failures are shown in the drawer itself

async function load(seq: number): Promise<Loaded> {
  const [entry, latest, publicKey] = await Promise.all([
    ledgerApi.entry(seq, quiet),
    ledgerApi.latestCheckpoint(quiet),
    ledgerApi.publicKey(quiet).catch(() => null), // the signature step says so
  ]);
  if (!latest) return { entry, proof: null, publicKey, pendingReason: '尚未签发任何检查点，暂不能核验包含证明与签名' };
  if (latest.size < seq) {
    return { entry, proof: null, publicKey, pendingReason: `本条目晚于最新检查点（大小 ${latest.size}），尚未被已签名的检查点覆盖` };
  }
  try {
    // against the latest checkpoint, whose signed note comes with the proof
    return { entry, proof: await ledgerApi.inclusion(seq, quiet), publicKey };
  } catch (e) {
    return { entry, proof: null, publicKey, proofError: e instanceof ApiError ? e.message : errText(e) };
  }
}

function leafTexts(leaf: string): { raw: string; pretty: string } | { error: string } {
  try {
    const raw = fromUtf8(fromBase64(leaf));
    let pretty: string;
    try {
      pretty = JSON.stringify(JSON.parse(raw), null, 2);
    } catch {
      pretty = raw;
    }
    return { raw, pretty };
  } catch (e) {
    return { error: errText(e) };
  }
}

const pre = { ...mono, margin: 0, padding: 12, background: '#fafafa', borderRadius: 6, maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' } as const;


export function EntryDrawer({ seq, onClose }: { seq: number | null; onClose: () => void }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<EntryVerification | null>(null);
  const [ownKey, setOwnKey] = useState('');
  const [usedKey, setUsedKey] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (seq === null) return;
    let live = true;
    setData(null);
    setError(null);
    setResult(null);
    load(seq)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errText(e)));
    return () => {
      live = false;
    };
  }, [seq, version]);

  // The verification itself: recomputed whenever the data or the chosen key changes.
  useEffect(() => {
    if (!data) return;
    let live = true;
    setResult(null);
    const key = usedKey ? { verifierKey: usedKey } : data.publicKey;
    verifyEntryInBrowser({ entry: data.entry, proof: data.proof, key, pendingReason: data.pendingReason, proofError: data.proofError })
      .then((r) => live && setResult(r))
      .catch((e: unknown) =>
        // never a silent pass: an unexpected error is a failed verification
        live && setResult({ ok: false, steps: [{ key: 'leaf', title: '本地核验出错', status: 'fail', summary: errText(e), details: [] }] }),
      );
    return () => {
      live = false;
    };
  }, [data, usedKey]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const e = data?.entry.entry;
  const leaf = data ? leafTexts(data.entry.leaf) : null;
  const proof = data?.proof ?? null;

  return (
    <Drawer
      title={seq !== null ? `账本条目 #${seq}` : ''}
      open={seq !== null}
      onClose={onClose}
      size={880}
      destroyOnHidden
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload}>
          重新核验
        </Button>
      }
    >
      {error && <Alert type="error" showIcon title="无法读取该条目" description={error} />}
      {!error && !data && <Spin style={{ display: 'block', margin: 48 }} />}
      {data && e && (
        <>
          <DrawerSection title="浏览器本地核验">
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title="以下核验由浏览器本地计算，不依赖服务器的结论"
              description="页面用 WebCrypto 在本机重算规范叶、叶哈希、沿审计路径推算树根，并用 Ed25519 公钥验证检查点签名；任何一项不符都会显示为未通过。"
            />
            {result ? <VerificationPanel result={result} /> : <Spin description="正在本地计算…"><div style={{ height: 80 }} /></Spin>}
            {data.pendingReason && (
              <div style={{ marginTop: 8 }}>
                <IssueCheckpointButton onIssued={reload} />
              </div>
            )}
            <div style={{ marginTop: 12 }}>
              <Typography.Text type="secondary">
                验签公钥{usedKey ? '（您提供的）' : '（取自服务器 /api/ledger/public-key，请与纪检部门留存的公钥核对）'}：
              </Typography.Text>
              <Typography.Paragraph copyable style={{ ...mono, marginBottom: 8 }} data-testid="verifier-key">
                {usedKey ?? data.publicKey?.verifierKey ?? '未取得'}
              </Typography.Paragraph>
              <Flex gap={8}>
                <Input
                  allowClear
                  placeholder="改用自行保存的公钥核验：名称+密钥编号+base64 公钥"
                  value={ownKey}
                  onChange={(ev) => setOwnKey(ev.target.value)}
                  style={mono}
                />
                <Button disabled={!ownKey.trim()} onClick={() => setUsedKey(ownKey.trim())}>
                  用此公钥核验
                </Button>
                {usedKey && (
                  <Button
                    onClick={() => {
                      setUsedKey(null);
                      setOwnKey('');
                    }}
                  >
                    改回服务器公钥
                  </Button>
                )}
              </Flex>
            </div>
          </DrawerSection>

          <DrawerSection title="条目">
            <Descriptions
              bordered
              size="small"
              column={2}
              items={[
                { key: 'seq', label: '序号', children: e.seq },
                { key: 'idx', label: '叶索引', children: data.entry.leafIndex },
                {
                  key: 'at',
                  label: '时间',
                  span: 2,
                  children: (
                    <>
                      {fmtTime(e.at)} <Typography.Text type="secondary" style={mono}>{e.at}</Typography.Text>
                    </>
                  ),
                },
                { key: 'actor', label: '操作人', children: e.actorName || t.empty },
                { key: 'ids', label: '账号 / 人员编号', children: `${e.actorAccountId ?? t.empty} / ${e.actorPersonId ?? t.empty}` },
                { key: 'action', label: '动作', children: <Typography.Text code>{e.action}</Typography.Text> },
                { key: 'subject', label: '对象', children: `${e.subjectType} ${e.subjectId}` },
                { key: 'ip', label: 'IP 地址', children: e.clientIp || t.empty },
                { key: 'req', label: '请求编号', children: <span style={mono}>{e.requestId}</span> },
                { key: 'payload', label: '内容', span: 2, children: <pre style={{ ...pre, maxHeight: 240 }}>{JSON.stringify(e.payload, null, 2)}</pre> },
              ]}
            />
          </DrawerSection>

          <DrawerSection title="规范叶（RFC 8785 规范 JSON，即被哈希的字节）">
            {leaf && 'error' in leaf ? (
              <Alert type="error" showIcon title="服务器给出的叶无法解码" description={leaf.error} />
            ) : (
              leaf && (
                <Tabs
                  size="small"
                  items={[
                    { key: 'pretty', label: '格式化', children: <pre style={pre}>{leaf.pretty}</pre> },
                    {
                      key: 'raw',
                      label: '原始',
                      children: (
                        <>
                          <pre style={pre} data-testid="leaf-raw">{leaf.raw}</pre>
                          <Typography.Text copyable={{ text: leaf.raw }} type="secondary">
                            复制原始叶（UTF-8）
                          </Typography.Text>
                        </>
                      ),
                    },
                    {
                      key: 'b64',
                      label: 'base64',
                      children: (
                        <Typography.Paragraph copyable style={{ ...mono, wordBreak: 'break-all' }}>
                          {data.entry.leaf}
                        </Typography.Paragraph>
                      ),
                    },
                  ]}
                />
              )
            )}
            <Typography.Text type="secondary">“格式化”仅便于阅读；被哈希的是“原始”中的紧凑字节。</Typography.Text>
          </DrawerSection>

          <DrawerSection title="包含证明（相对最新检查点）">
            {proof ? (
              <>
                <Descriptions
                  bordered
                  size="small"
                  column={1}
                  items={[
                    { key: 'size', label: '树大小', children: proof.treeSize },
                    { key: 'idx', label: '叶索引', children: proof.leafIndex },
                    { key: 'leaf', label: '叶哈希', children: <span style={mono}>{proof.leafHash}</span> },
                    { key: 'root', label: '树根', children: <span style={mono}>{proof.rootHash}</span> },
                    {
                      key: 'path',
                      label: `审计路径（${proof.proof.length} 个，叶到根）`,
                      children: proof.proof.length ? (
                        <ol style={{ ...mono, margin: 0, paddingInlineStart: 20 }}>
                          {proof.proof.map((h, i) => (
                            <li key={i}>{h}</li>
                          ))}
                        </ol>
                      ) : (
                        '（空：树中只有这一条）'
                      ),
                    },
                  ]}
                />
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  检查点
                </Typography.Title>
                {proof.checkpoint ? <NoteText note={proof.checkpoint} /> : <Empty description="没有该大小的已签名检查点" />}
              </>
            ) : (
              <Empty description={data.proofError ? `未取得包含证明：${data.proofError}` : data.pendingReason} />
            )}
          </DrawerSection>
        </>
      )}
    </Drawer>
  );
}
