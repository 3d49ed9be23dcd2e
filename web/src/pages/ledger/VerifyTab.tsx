// 核验: runs the server's full verifier (every leaf, node, checkpoint signature and consistency),
// optionally against a checkpoint kept outside; the result names the first bad entry in Chinese.
import { useState } from 'react';
import { Alert, Button, Descriptions, Divider, Flex, Form, Input, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { LEDGER_PROBLEMS, type LedgerVerifyResult } from '@contracts/ledger.ts';
import { ledgerApi } from './api.ts';
import { mono } from './columns.tsx';
import { IssueCheckpointButton } from './IssueCheckpointButton.tsx';

interface Values {
  checkpoint?: string;
  key?: string;
}

export function problemText(p: NonNullable<LedgerVerifyResult['problem']>): string {
  const label = LEDGER_PROBLEMS[p.kind] ?? p.kind;
  return p.seq !== null ? `第 ${p.seq} 条：${label}` : label;
}

function ResultView({ result, run }: { result: LedgerVerifyResult; run: number }) {
  // On a failure the verifier stopped early: its counts are what it got through, and its root is
  // not the log's current root, so it is not shown as such.
  const facts = (
    <Descriptions
      size="small"
      column={2}
      style={{ marginTop: 12 }}
      items={[
        { key: 'entries', label: result.ok ? '核验条目' : '停止前已核验条目', children: `${result.entries} 条` },
        { key: 'cps', label: result.ok ? '核验检查点' : '停止前已核验检查点', children: `${result.checkpoints} 个` },
        ...(result.ok ? [{ key: 'root', label: '当前树根', span: 2, children: <span style={mono}>{result.rootHash}</span> }] : []),
        ...(result.outsideSize !== null ? [{ key: 'outside', label: '外部检查点大小', children: result.outsideSize }] : []),
        { key: 'ms', label: '用时', children: `${result.durationMs} 毫秒` },
      ]}
    />
  );
  if (result.ok) {
    return (
      <Alert
        data-testid="ledger-verify-result"
        data-run={run}
        data-ok="true"
        type="success"
        showIcon
        title="✓ 核验通过：账本完整"
        description={
          <>
            每一条目的叶、每个树节点、每个检查点的签名及检查点之间的一致性均已由服务器重新计算核对。
            {result.outsideSize !== null && ` 外部检查点（大小 ${result.outsideSize}）签名有效，当前账本是它的延续。`}
            {facts}
          </>
        }
      />
    );
  }
  return (
    <Alert
      data-testid="ledger-verify-result"
      data-run={run}
      data-ok="false"
      type="error"
      showIcon
      title={`✗ 核验未通过：${result.problem ? problemText(result.problem) : '未知问题'}`}
      description={
        <>
          {result.problem && (
            <Typography.Paragraph style={{ marginBottom: 0 }}>
              {result.problem.seq !== null && <>首个不符的序号：<Typography.Text strong>{result.problem.seq}</Typography.Text>。</>}
              详情：{result.problem.message}
            </Typography.Paragraph>
          )}
          <Typography.Paragraph style={{ marginBottom: 0 }}>请立即报告纪检部门，并保留本结果与已保存的检查点。</Typography.Paragraph>
          {facts}
        </>
      }
    />
  );
}

export function VerifyTab({ onIssued }: { onIssued: () => void }) {
  const [form] = Form.useForm<Values>();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<LedgerVerifyResult | null>(null);
  const [runs, setRuns] = useState(0);

  const run = ({ checkpoint, key }: Values) => {
    setRunning(true);
    setResult(null);
    // a pasted note keeps its exact bytes; only line endings a text box may have changed are normalised
    const note = checkpoint?.replace(/\r\n/g, '\n');
    const body = {
      ...(note?.trim() ? { checkpoint: note.endsWith('\n') ? note : `${note}\n` } : {}),
      ...(key?.trim() ? { key: key.trim() } : {}),
    };
    ledgerApi
      .verify(body)
      .then((r) => {
        setRuns((n) => n + 1);
        setResult(r);
      })
      .catch(() => undefined) // the client has shown the error
      .finally(() => setRunning(false));
  };

  return (
    <div style={{ maxWidth: 900 }}>
      <Typography.Paragraph type="secondary">
        由服务器从账本条目重新计算全部叶哈希、树节点与树根，逐一核对每个检查点的签名及相邻检查点的一致性，报告第一处不符。
        可附上外部（如纪检部门）保存的检查点，证明当前账本仍延续它。核验本身也会记入账本。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={run}>
        <Form.Item name="checkpoint" label="外部保存的检查点（可选）" extra="粘贴完整的签名文本，含签名行">
          <Input.TextArea rows={5} maxLength={4000} style={mono} placeholder={'clearlane/operation-ledger\n123\n<base64 根哈希>\n\n— clearlane/operation-ledger <签名>'} />
        </Form.Item>
        <Form.Item name="key" label="验签公钥（可选）" extra="外部保存检查点时一并保存的公钥；留空则使用本服务器的公钥">
          <Input allowClear maxLength={500} style={mono} placeholder="名称+密钥编号+base64 公钥" />
        </Form.Item>
        <Flex gap={8} wrap>
          <Button type="primary" htmlType="submit" icon={<SafetyOutlined />} loading={running}>
            立即核验
          </Button>
          <IssueCheckpointButton onIssued={onIssued} />
        </Flex>
      </Form>
      {result && (
        <>
          <Divider />
          <ResultView result={result} run={runs} />
        </>
      )}
    </div>
  );
}
