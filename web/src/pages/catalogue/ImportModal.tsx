// 导入违法代码: template download, file, a dry run (校验) with the per-row report, then the import.
// All or nothing: a file with any bad row is not imported; a clean file becomes the next version.
import { useState } from 'react';
import { Alert, Form, Input } from 'antd';
import type { CatalogueImportReport } from '@contracts/catalogue.ts';
import { ReportCounts, SheetImportModal } from '../../components/SheetImportModal.tsx';
import { catalogueApi } from './api.ts';

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  const [label, setLabel] = useState('');
  const [note, setNote] = useState('');

  return (
    <SheetImportModal<CatalogueImportReport>
      title="导入违法代码"
      open={open}
      onClose={(changed) => {
        setLabel('');
        setNote('');
        onClose(changed);
      }}
      width={760}
      hint="支持 .xlsx 和 .csv，请按模板填写；同一违法代码的多个有效期不得重叠"
      template={catalogueApi.template}
      upload={(file, dryRun) => catalogueApi.importFile(file, { dryRun, label: label.trim() || undefined, note: note.trim() || undefined })}
      dryRun={{ canImport: (report) => report.dryRun && report.errors.length === 0 && !report.sameAsCurrent }}
      againLabel={(report) => (report.version ? '继续导入' : '重新选择文件')}
      changed={(report) => !!report.version}
      reportTestId="catalogue-import-report"
      summary={(report) => <Summary report={report} />}
      intro={
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="导入的文件将作为新版本整体替换当前目录"
          description="请导入本省完整的违法代码清单。全部行校验通过才会生成新版本，有任一行错误则不导入任何内容；已生成的版本不可修改。"
        />
      }
      options={
        <Form layout="vertical" style={{ marginTop: 16 }}>
          <Form.Item label="版本名称" extra="留空时使用“导入：文件名”">
            <Input value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} placeholder="如：2024年江苏省违法代码" />
          </Form.Item>
          <Form.Item label="备注">
            <Input.TextArea value={note} maxLength={500} rows={2} onChange={(e) => setNote(e.target.value)} />
          </Form.Item>
        </Form>
      }
    />
  );
}

function verdict(report: CatalogueImportReport): { type: 'success' | 'info' | 'warning'; title: string } {
  if (report.errors.length > 0) return { type: 'warning', title: `有 ${report.rejected} 行有误，整个文件未导入。请按下表修改后重新校验` };
  if (report.sameAsCurrent) return { type: 'info', title: `文件内容与当前目录（第 ${report.baseVersion} 版）完全相同，无需导入` };
  if (report.version) return { type: 'success', title: `导入完成：已生成第 ${report.version.version} 版，现为当前目录` };
  return { type: 'success', title: '校验通过，可以导入。导入后将生成新版本' };
}

function Summary({ report }: { report: CatalogueImportReport }) {
  const clean = report.errors.length === 0;
  const stats: [string, number][] = clean
    ? [
        ['总行数', report.total],
        ['新增代码', report.added],
        ['变更代码', report.changed],
        ['删除代码', report.removed],
      ]
    : [
        ['总行数', report.total],
        ['有效行', report.valid],
        ['错误行', report.rejected],
      ];
  return (
    <>
      <ReportCounts {...verdict(report)} col={{ span: 6 }} stats={stats} />
      {clean && report.baseVersion !== null && !report.sameAsCurrent && (
        <p style={{ color: '#8c8c8c' }}>以上为与第 {report.baseVersion} 版相比的变化。文件 SHA-256：{report.sha256}</p>
      )}
    </>
  );
}
