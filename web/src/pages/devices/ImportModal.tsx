// 导入设备台账: template, the document the whole import rests on, one file, then the server's
// per-row report (a bad row changes nothing for that row).
import { useState } from 'react';
import { Form, Input } from 'antd';
import type { DeviceImportReport } from '@contracts/devices.ts';
import { ReportCounts, SheetImportModal, rejectedVerdict } from '../../components/SheetImportModal.tsx';
import { devicesApi } from './api.ts';

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  const [documentNo, setDocumentNo] = useState('');
  return (
    <SheetImportModal<DeviceImportReport>
      title="导入设备台账"
      open={open}
      onClose={(changed) => {
        setDocumentNo('');
        onClose(changed);
      }}
      width={760}
      hint="支持 .xlsx 和 .csv，请按模板填写；已登记的设备编号按文件内容更新"
      template={devicesApi.template}
      upload={async (file) => {
        if (!documentNo.trim()) throw new Error('请先填写导入依据文号');
        return devicesApi.importFile(file, documentNo.trim());
      }}
      failureText={(e) => (e instanceof Error ? e.message : '导入失败，请稍后重试')}
      changed={(report) => report.created + report.updated > 0}
      reportTestId="device-import-report"
      options={
        <Form layout="vertical" style={{ marginTop: 16 }}>
          <Form.Item label="导入依据文号" required extra="本次导入的全部变更都以此文书为依据记入审计账本">
            <Input value={documentNo} maxLength={100} onChange={(e) => setDocumentNo(e.target.value)} placeholder="如 清公交〔2026〕12号" />
          </Form.Item>
        </Form>
      }
      summary={(report) => (
        <ReportCounts
          {...verdict(report)}
          col={{ xs: 8, sm: 4 }}
          stats={[
            ['总行数', report.total],
            ['新增', report.created],
            ['更新', report.updated],
            ['未变化', report.unchanged],
            ['未导入', report.rejected],
          ]}
        />
      )}
    />
  );
}

/** The server imports a file whole or not at all: a bad row means no row went in. */
function verdict(report: DeviceImportReport) {
  const applied = report.created + report.updated + report.unchanged;
  if (report.rejected > 0 && applied === 0) {
    return { type: 'warning' as const, title: `有 ${report.rejected} 行有误，整个文件未导入，请按下表修改后重新导入` };
  }
  return rejectedVerdict(report.rejected);
}
