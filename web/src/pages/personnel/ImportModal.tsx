// 导入人员: template download, file upload, then the server's per-row report.
import type { ImportReport } from '@contracts/org.ts';
import { ReportCounts, SheetImportModal, rejectedVerdict } from '../../components/SheetImportModal.tsx';
import { personnelApi } from './api.ts';

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  return (
    <SheetImportModal<ImportReport>
      title="导入人员"
      open={open}
      onClose={onClose}
      width={720}
      hint="支持 .xlsx 和 .csv，请按模板填写"
      template={personnelApi.template}
      upload={(file) => personnelApi.importFile(file)}
      changed={(report) => report.created + report.updated > 0}
      summary={(report) => (
        <ReportCounts
          {...rejectedVerdict(report.rejected)}
          col={{ span: 4 }}
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
