// A spreadsheet import dialog: template download (.xlsx/.csv), one file, the upload (optionally a
// 校验 dry run before the real import), then the server's report — the page's own summary above the
// rows it refused (行号/字段/原因). Closing resets the dialog, and a closed dialog is destroyed, so
// no report stays hidden in the page.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Col, Modal, Row, Space, Statistic, Table, Upload } from 'antd';
import type { AlertProps, ColProps, UploadFile } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { ImportReport } from '@contracts/org.ts';
import { ApiError } from '../api/client.ts';
import { t } from '../locales/zh-CN.ts';

type RowError = ImportReport['errors'][number];

const errorColumns = [
  { title: '行号', dataIndex: 'row', width: 80 },
  { title: '字段', dataIndex: 'field', width: 140 },
  { title: '原因', dataIndex: 'message' },
];

const defaultFailureText = (e: unknown) => (e instanceof ApiError ? e.message : '导入失败，请稍后重试');

interface Props<R extends { errors: RowError[] }> {
  title: string;
  open: boolean;
  width: number;
  /** under the drop zone: what the file must hold */
  hint: string;
  template: (format: 'xlsx' | 'csv') => Promise<void>;
  /** sends the file; `dryRun` is true only for the 校验 step of a dialog that has one */
  upload: (file: File, dryRun: boolean) => Promise<R>;
  /** the page's account of the report, shown above the table of refused rows */
  summary: (report: R) => ReactNode;
  reportTestId?: string;
  /** whether the import behind this report changed anything (the page then reloads) */
  changed: (report: R) => boolean;
  onClose: (changed: boolean) => void;
  /** above the template buttons */
  intro?: ReactNode;
  /** below the drop zone, sent along with the file by `upload` */
  options?: ReactNode;
  /** 校验 first; 确认导入 follows when the dry run's report allows it */
  dryRun?: { canImport: (report: R) => boolean };
  /** the footer button that starts over once a report is shown */
  againLabel?: (report: R) => string;
  /** while the file uploads, it cannot be changed and the dialog cannot be closed from the footer or mask */
  lockWhileBusy?: boolean;
  /** the message shown when the server refuses the whole file */
  failureText?: (e: unknown) => string;
  /** false: the refused rows' table never offers a page size (antd's default offers it past 50 rows) */
  pageSizeChanger?: false;
}

export function SheetImportModal<R extends { errors: RowError[] }>(props: Props<R>) {
  const { title, open, width, hint, template, upload, summary, reportTestId = 'import-report', changed, onClose, intro, options, dryRun } = props;
  const { againLabel = () => '继续导入', lockWhileBusy = false, failureText = defaultFailureText } = props;
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<R | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const locked = lockWhileBusy && busy;

  const reset = () => {
    setFile(null);
    setReport(null);
    setFailure(null);
  };
  const close = () => {
    const didChange = !!report && changed(report);
    reset();
    onClose(didChange);
  };
  const run = async (isDryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      setReport(await upload(file, isDryRun));
    } catch (e) {
      setFailure(failureText(e));
    } finally {
      setBusy(false);
    }
  };
  const pick = (f: File | null) => {
    setFile(f);
    setFailure(null);
  };

  const fileList: UploadFile[] = file ? [{ uid: 'import', name: file.name, status: 'done' }] : [];

  let action: ReactNode;
  if (!report) {
    action = (
      <Button type="primary" disabled={!file} loading={busy} onClick={() => void run(!!dryRun)}>
        {dryRun ? '校验' : '开始导入'}
      </Button>
    );
  } else if (dryRun?.canImport(report)) {
    action = (
      <Button type="primary" loading={busy} onClick={() => void run(false)}>
        确认导入
      </Button>
    );
  } else {
    action = <Button onClick={reset}>{againLabel(report)}</Button>;
  }

  return (
    <Modal
      title={title}
      open={open}
      onCancel={close}
      width={width}
      destroyOnHidden
      mask={{ closable: !locked }}
      footer={
        <Space>
          <Button onClick={close} disabled={locked}>
            {t.close}
          </Button>
          {action}
        </Space>
      }
    >
      {!report && (
        <>
          {intro}
          <Space style={{ marginBottom: 16 }} wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void template('xlsx').catch(() => undefined)}>
              下载模板（Excel）
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => void template('csv').catch(() => undefined)}>
              下载模板（CSV）
            </Button>
          </Space>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            fileList={fileList}
            disabled={locked}
            beforeUpload={(f) => {
              pick(f);
              return false;
            }}
            onRemove={() => pick(null)}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或拖拽文件到此处</p>
            <p className="ant-upload-hint">{hint}</p>
          </Upload.Dragger>
          {options}
        </>
      )}
      {report && (
        <div data-testid={reportTestId}>
          {summary(report)}
          {report.errors.length > 0 && (
            <Table<RowError>
              rowKey={(e) => `${e.row}:${e.field}:${e.message}`}
              size="small"
              columns={errorColumns}
              dataSource={report.errors}
              pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: props.pageSizeChanger }}
            />
          )}
        </div>
      )}
      {failure && <Alert type="error" showIcon title="文件未导入" description={failure} style={{ marginTop: 16 }} role="alert" />}
    </Modal>
  );
}

/** The verdict most imports give: every row in, or how many were refused. */
export function rejectedVerdict(rejected: number): Pick<AlertProps, 'type' | 'title'> {
  return rejected ? { type: 'warning', title: `有 ${rejected} 行未导入，请按下表修改后重新导入` } : { type: 'success', title: '导入完成' };
}

/** The head of a report: its verdict, then one Statistic per count. */
export function ReportCounts({ type, title, stats, col }: Pick<AlertProps, 'type' | 'title'> & { stats: [string, number][]; col: ColProps }) {
  return (
    <>
      <Alert type={type} showIcon title={title} style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {stats.map(([name, value]) => (
          <Col key={name} {...col}>
            <Statistic title={name} value={value} />
          </Col>
        ))}
      </Row>
    </>
  );
}

/** A report that lists only its first `max` refused rows says so, and what to do about the rest. */
export function TruncatedErrorsNote({ shown, max }: { shown: number; max: number }) {
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      title={`错误较多，下表只列出前 ${Math.min(shown, max)} 条；请先修改这些行，重新导入后再看其余错误`}
    />
  );
}
