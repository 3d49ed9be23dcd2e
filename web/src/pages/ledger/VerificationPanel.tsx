// The in-browser verification of one entry, shown step by step with ✓ / ✗ and what was compared.
import type { ReactNode } from 'react';
import { Alert, Flex, Tag, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import type { EntryVerification, StepStatus, VerificationStep } from './verify/entry.ts';
import { mono } from './columns.tsx';

const STATUS: Record<StepStatus, { mark: string; label: string; color: string; icon: ReactNode }> = {
  pass: { mark: '✓', label: '通过', color: 'success', icon: <CheckCircleFilled style={{ color: '#52c41a' }} /> },
  fail: { mark: '✗', label: '未通过', color: 'error', icon: <CloseCircleFilled style={{ color: '#ff4d4f' }} /> },
  pending: { mark: '…', label: '暂不能核验', color: 'warning', icon: <ClockCircleFilled style={{ color: '#faad14' }} /> },
};

function Step({ step, index }: { step: VerificationStep; index: number }) {
  const s = STATUS[step.status];
  return (
    <div
      data-testid={`verify-step-${step.key}`}
      data-status={step.status}
      style={{ borderLeft: `3px solid ${step.status === 'pass' ? '#52c41a' : step.status === 'fail' ? '#ff4d4f' : '#faad14'}`, padding: '6px 12px', marginBottom: 8, background: '#fafafa' }}
    >
      <Flex gap={8} align="center" wrap>
        {s.icon}
        <Typography.Text strong>
          {index + 1}. {step.title}
        </Typography.Text>
        <Tag color={s.color} style={{ marginInlineEnd: 0 }}>
          {s.mark} {s.label}
        </Tag>
      </Flex>
      <div style={{ marginTop: 4 }}>{step.summary}</div>
      {step.details.length > 0 && (
        <dl style={{ margin: '4px 0 0', display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 12, rowGap: 2 }}>
          {step.details.map((d) => (
            <div key={d.label} style={{ display: 'contents' }}>
              <dt style={{ color: '#8c8c8c' }}>{d.label}</dt>
              <dd style={{ margin: 0, ...mono, wordBreak: 'break-all' }}>
                {d.match === true && <span style={{ color: '#52c41a' }}>✓ </span>}
                {d.match === false && <span style={{ color: '#ff4d4f' }}>✗ </span>}
                {d.value}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

export function VerificationPanel({ result }: { result: EntryVerification }) {
  const failed = result.steps.filter((s) => s.status === 'fail').length;
  const pending = result.steps.filter((s) => s.status === 'pending').length;
  return (
    <div data-testid="browser-verification" data-ok={result.ok ? 'true' : 'false'}>
      {result.ok ? (
        <Alert type="success" showIcon title="✓ 浏览器本地核验全部通过" description="本条目的内容被包含在已签名的检查点中，签名有效。" />
      ) : failed > 0 ? (
        <Alert type="error" showIcon title={`✗ 浏览器本地核验未通过（${failed} 项不符）`} description="账本内容、证明或签名与本地计算结果不一致，请立即报告纪检部门，并保留本页截图与检查点。" />
      ) : (
        <Alert type="warning" showIcon title={`已核验的项目均通过，另有 ${pending} 项暂不能核验`} description="本条目尚未被已签名的检查点覆盖；签发检查点后可完成全部核验。" />
      )}
      <div style={{ marginTop: 12 }}>
        {result.steps.map((s, i) => (
          <Step key={s.key} step={s} index={i} />
        ))}
      </div>
    </div>
  );
}
