// 导入执法记录: template download, file upload, then the server's report — how many became what
// outcome, duplicates, and each rejected row with its field and reason.
import { Space, Tag, Typography } from 'antd';
import { MAX_REPORTED_ROW_ERRORS, type Outcome, type RecordImportReport } from '@contracts/enforcement.ts';
import { ReportCounts, SheetImportModal, TruncatedErrorsNote, rejectedVerdict } from '../../components/SheetImportModal.tsx';
import { recordsApi } from './api.ts';
import { OUTCOME_STYLE, outcomeLabel } from './labels.ts';
import { errorText } from './useLoad.ts';

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  return (
    <SheetImportModal<RecordImportReport>
      title="导入执法记录"
      open={open}
      onClose={onClose}
      width={760}
      lockWhileBusy
      pageSizeChanger={false}
      hint="支持 .xlsx 和 .csv，请按模板填写；每行按规则判定，已接收过的外部编号不会重复导入"
      template={recordsApi.template}
      upload={(file) => recordsApi.importFile(file)}
      failureText={(e) => errorText(e) || '导入失败，请稍后重试'}
      changed={(report) => report.created > 0}
      summary={(report) => <Summary report={report} />}
    />
  );
}

function Summary({ report }: { report: RecordImportReport }) {
  const outcomes = Object.entries(report.outcomes).filter(([, n]) => n > 0);
  return (
    <>
      <ReportCounts
        {...rejectedVerdict(report.rejected)}
        col={{ xs: 12, sm: 6 }}
        stats={[
          ['总行数', report.total],
          ['新增', report.created],
          ['重复（未再导入）', report.duplicates],
          ['未导入', report.rejected],
        ]}
      />
      {outcomes.length > 0 && (
        <div style={{ marginBottom: 16 }}>
          <Typography.Text type="secondary">判定结果：</Typography.Text>
          <Space size={[4, 4]} wrap>
            {outcomes.map(([outcome, n]) => (
              <Tag key={outcome} color={OUTCOME_STYLE[outcome as Outcome]?.tag}>
                {outcomeLabel(outcome)} {n}
              </Tag>
            ))}
          </Space>
        </div>
      )}
      {report.errorsTruncated && <TruncatedErrorsNote shown={report.errors.length} max={MAX_REPORTED_ROW_ERRORS} />}
    </>
  );
}
