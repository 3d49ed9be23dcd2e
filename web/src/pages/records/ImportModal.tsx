// 导入执法记录: template download, file upload, then the server's report — how many became what
// outcome, duplicates, and each rejected row with its field and reason.
import { useState } from 'react';
import { Alert, Button, Col, Modal, Row, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { MAX_REPORTED_ROW_ERRORS, type Outcome, type RecordImportReport } from '@contracts/enforcement.ts';
import { t } from '../../locales/zh-CN.ts';
import { recordsApi } from './api.ts';
import { OUTCOME_STYLE, outcomeLabel } from './labels.ts';
import { errorText } from './useLoad.ts';

type RowError = RecordImportReport['errors'][number];

const errorColumns = [
  { title: '行号', dataIndex: 'row', width: 80 },
  { title: '字段', dataIndex: 'field', width: 140 },
  { title: '原因', dataIndex: 'message' },
];

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<RecordImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const reset = () => {
    setFile(null);
    setReport(null);
    setFailure(null);
  };
  const close = () => {
    const changed = !!report && report.created > 0;
    reset();
    onClose(changed);
  };
  const start = async () => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      setReport(await recordsApi.importFile(file));
    } catch (e) {
      setFailure(errorText(e) || '导入失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  const fileList: UploadFile[] = file ? [{ uid: 'import', name: file.name, status: 'done' }] : [];

  return (
    <Modal
      title="导入执法记录"
      open={open}
      onCancel={close}
      width={760}
      mask={{ closable: !busy }}
      footer={
        <Space>
          <Button onClick={close} disabled={busy}>
            {t.close}
          </Button>
          {report ? (
            <Button onClick={reset}>继续导入</Button>
          ) : (
            <Button type="primary" disabled={!file} loading={busy} onClick={() => void start()}>
              开始导入
            </Button>
          )}
        </Space>
      }
    >
      {!report && (
        <>
          <Space style={{ marginBottom: 16 }} wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void recordsApi.template('xlsx').catch(() => undefined)}>
              下载模板（Excel）
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => void recordsApi.template('csv').catch(() => undefined)}>
              下载模板（CSV）
            </Button>
          </Space>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            fileList={fileList}
            disabled={busy}
            beforeUpload={(f) => {
              setFile(f);
              setFailure(null);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setFailure(null);
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或拖拽文件到此处</p>
            <p className="ant-upload-hint">支持 .xlsx 和 .csv，请按模板填写；每行按规则判定，已接收过的外部编号不会重复导入</p>
          </Upload.Dragger>
          {failure && <Alert type="error" showIcon title="文件未导入" description={failure} style={{ marginTop: 16 }} role="alert" />}
        </>
      )}
      {report && <ReportView report={report} />}
    </Modal>
  );
}

function ReportView({ report }: { report: RecordImportReport }) {
  const stats: [string, number][] = [
    ['总行数', report.total],
    ['新增', report.created],
    ['重复（未再导入）', report.duplicates],
    ['未导入', report.rejected],
  ];
  const outcomes = Object.entries(report.outcomes).filter(([, n]) => n > 0);
  return (
    <div data-testid="import-report">
      <Alert
        type={report.rejected ? 'warning' : 'success'}
        showIcon
        title={report.rejected ? `有 ${report.rejected} 行未导入，请按下表修改后重新导入` : '导入完成'}
        style={{ marginBottom: 16 }}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {stats.map(([title, value]) => (
          <Col key={title} xs={12} sm={6}>
            <Statistic title={title} value={value} />
          </Col>
        ))}
      </Row>
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
      {report.errorsTruncated && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`错误较多，下表只列出前 ${Math.min(report.errors.length, MAX_REPORTED_ROW_ERRORS)} 条；请先修改这些行，重新导入后再看其余错误`}
        />
      )}
      {report.errors.length > 0 && (
        <Table<RowError>
          rowKey={(e) => `${e.row}:${e.field}:${e.message}`}
          size="small"
          columns={errorColumns}
          dataSource={report.errors}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        />
      )}
    </div>
  );
}
