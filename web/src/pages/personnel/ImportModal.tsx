// 导入人员: template download, file upload, then the server's per-row report.
import { useState } from 'react';
import { Alert, Button, Col, Modal, Row, Space, Statistic, Table, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { ImportReport } from '@contracts/org.ts';
import { ApiError } from '../../api/client.ts';
import { t } from '../../locales/zh-CN.ts';
import { personnelApi } from './api.ts';

type RowError = ImportReport['errors'][number];

const errorColumns = [
  { title: '行号', dataIndex: 'row', width: 80 },
  { title: '字段', dataIndex: 'field', width: 120 },
  { title: '原因', dataIndex: 'message' },
];

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const reset = () => {
    setFile(null);
    setReport(null);
    setFailure(null);
  };
  const close = () => {
    const changed = !!report && report.created + report.updated > 0;
    reset();
    onClose(changed);
  };
  const start = async () => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      setReport(await personnelApi.importFile(file));
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : '导入失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  const fileList: UploadFile[] = file ? [{ uid: 'import', name: file.name, status: 'done' }] : [];

  return (
    <Modal
      title="导入人员"
      open={open}
      onCancel={close}
      width={720}
      footer={
        <Space>
          <Button onClick={close}>{t.close}</Button>
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
            <Button icon={<DownloadOutlined />} onClick={() => void personnelApi.template('xlsx').catch(() => undefined)}>
              下载模板（Excel）
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => void personnelApi.template('csv').catch(() => undefined)}>
              下载模板（CSV）
            </Button>
          </Space>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            fileList={fileList}
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
            <p className="ant-upload-hint">支持 .xlsx 和 .csv，请按模板填写</p>
          </Upload.Dragger>
          {failure && <Alert type="error" showIcon title="文件未导入" description={failure} style={{ marginTop: 16 }} role="alert" />}
        </>
      )}
      {report && <ReportView report={report} />}
    </Modal>
  );
}

function ReportView({ report }: { report: ImportReport }) {
  const stats: [string, number][] = [
    ['总行数', report.total],
    ['新增', report.created],
    ['更新', report.updated],
    ['未变化', report.unchanged],
    ['未导入', report.rejected],
  ];
  return (
    <div data-testid="import-report">
      <Alert
        type={report.rejected ? 'warning' : 'success'}
        showIcon
        title={report.rejected ? `有 ${report.rejected} 行未导入，请按下表修改后重新导入` : '导入完成'}
        style={{ marginBottom: 16 }}
      />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {stats.map(([title, value]) => (
          <Col key={title} span={4}>
            <Statistic title={title} value={value} />
          </Col>
        ))}
      </Row>
      {report.errors.length > 0 && (
        <Table<RowError>
          rowKey={(e) => `${e.row}:${e.field}:${e.message}`}
          size="small"
          columns={errorColumns}
          dataSource={report.errors}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
        />
      )}
    </div>
  );
}
