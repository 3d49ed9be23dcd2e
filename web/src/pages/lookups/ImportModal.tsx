// 导入数据查询日志: template, file, then the server's report — created, repeated external ids,
// purpose-binding verdicts, accounts matching nobody, and each refused row with its field and reason.
import { MAX_REPORTED_LOOKUP_ERRORS, type LookupImportReport, type RosterImportReport } from '@contracts/lookups.ts';
import { ReportCounts, SheetImportModal, TruncatedErrorsNote, rejectedVerdict } from '../../components/SheetImportModal.tsx';
import { errorText } from '../records/useLoad.ts';
import { lookupsApi } from './api.ts';

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  return (
    <SheetImportModal<LookupImportReport>
      title="导入数据查询日志"
      open={open}
      onClose={onClose}
      width={760}
      lockWhileBusy
      pageSizeChanger={false}
      hint="支持 .xlsx 和 .csv，请按模板填写；每行核验查询事由，已接收过的外部编号不会重复导入，导入后即运行查询审计规则"
      template={lookupsApi.template}
      upload={(file) => lookupsApi.importFile(file)}
      failureText={(e) => errorText(e) || '导入失败，请稍后重试'}
      changed={(report) => report.created > 0}
      summary={(report) => (
        <>
          <ReportCounts
            {...rejectedVerdict(report.rejected)}
            col={{ xs: 12, sm: 8 }}
            stats={[
              ['总行数', report.total],
              ['新增', report.created],
              ['重复（未再导入）', report.duplicates],
              ['未导入', report.rejected],
              // verdict counts come only to those who may read look-ups
              ...(report.unjustified === undefined ? [] : [['无正当事由', report.unjustified] as [string, number]]),
              ...(report.unknownAccounts === undefined ? [] : [['账号无对应人员', report.unknownAccounts] as [string, number]]),
            ]}
          />
          {report.errorsTruncated && <TruncatedErrorsNote shown={report.errors.length} max={MAX_REPORTED_LOOKUP_ERRORS} />}
        </>
      )}
    />
  );
}

export function RosterImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  return (
    <SheetImportModal<RosterImportReport>
      title="导入值班表"
      open={open}
      onClose={onClose}
      width={720}
      lockWhileBusy
      pageSizeChanger={false}
      reportTestId="roster-import-report"
      hint="支持 .xlsx 和 .csv，每行一段值班或请假；未导入值班表的人员按办公时间判断非工作时间查询"
      template={lookupsApi.rosterTemplate}
      upload={(file) => lookupsApi.rosterImport(file)}
      failureText={(e) => errorText(e) || '导入失败，请稍后重试'}
      changed={(report) => report.created > 0}
      summary={(report) => (
        <ReportCounts
          {...rejectedVerdict(report.rejected)}
          col={{ xs: 12, sm: 6 }}
          stats={[
            ['总行数', report.total],
            ['新增', report.created],
            ['已有（未变）', report.unchanged],
            ['未导入', report.rejected],
          ]}
        />
      )}
    />
  );
}
