// 导入违法代码: template download, file, a dry run (校验) with the per-row report, then the import.
// All or nothing: a file with any bad row is not imported; a clean file becomes the next version.
import { useState } from 'react';
import { Alert, Button, Col, Form, Input, Modal, Row, Space, Statistic, Table, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { CatalogueImportReport } from '@contracts/catalogue.ts';
import { ApiError } from '../../api/client.ts';
import { t } from '../../locales/zh-CN.ts';
import { catalogueApi } from './api.ts';

type RowError = CatalogueImportReport['errors'][number];

const errorColumns = [
  { title: '行号', dataIndex: 'row', width: 80 },
  { title: '字段', dataIndex: 'field', width: 140 },
  { title: '原因', dataIndex: 'message' },
];

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [label, setLabel] = useState('');
  const [note, setNote] = useState('');
  const [report, setReport] = useState<CatalogueImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const reset = () => {
    setFile(null);
    setReport(null);
    setFailure(null);
  };
  const close = () => {
    const changed = !!report?.version;
    reset();
    setLabel('');
    setNote('');
    onClose(changed);
  };
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      setReport(await catalogueApi.importFile(file, { dryRun, label: label.trim() || undefined, note: note.trim() || undefined }));
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : '导入失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  const fileList: UploadFile[] = file ? [{ uid: 'import', name: file.name, status: 'done' }] : [];
  const canImport = !!report && report.dryRun && report.errors.length === 0 && !report.sameAsCurrent;

  let action = (
    <Button type="primary" disabled={!file} loading={busy} onClick={() => void run(true)}>
      校验
    </Button>
  );
  if (report && canImport) {
    action = (
      <Button type="primary" loading={busy} onClick={() => void run(false)}>
        确认导入
      </Button>
    );
  } else if (report) {
    action = <Button onClick={reset}>{report.version ? '继续导入' : '重新选择文件'}</Button>;
  }

  return (
    <Modal
      title="导入违法代码"
      open={open}
      onCancel={close}
      width={760}
      footer={
        <Space>
          <Button onClick={close}>{t.close}</Button>
          {action}
        </Space>
      }
    >
      {!report && (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="导入的文件将作为新版本整体替换当前目录"
            description="请导入本省完整的违法代码清单。全部行校验通过才会生成新版本，有任一行错误则不导入任何内容；已生成的版本不可修改。"
          />
          <Space style={{ marginBottom: 16 }} wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void catalogueApi.template('xlsx').catch(() => undefined)}>
              下载模板（Excel）
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => void catalogueApi.template('csv').catch(() => undefined)}>
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
            <p className="ant-upload-hint">支持 .xlsx 和 .csv，请按模板填写；同一违法代码的多个有效期不得重叠</p>
          </Upload.Dragger>
          <Form layout="vertical" style={{ marginTop: 16 }}>
            <Form.Item label="版本名称" extra="留空时使用“导入：文件名”">
              <Input value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} placeholder="如：2024年江苏省违法代码" />
            </Form.Item>
            <Form.Item label="备注">
              <Input.TextArea value={note} maxLength={500} rows={2} onChange={(e) => setNote(e.target.value)} />
            </Form.Item>
          </Form>
          {failure && <Alert type="error" showIcon title="文件未导入" description={failure} style={{ marginTop: 16 }} role="alert" />}
        </>
      )}
      {report && <ReportView report={report} />}
      {report && failure && <Alert type="error" showIcon title="文件未导入" description={failure} style={{ marginTop: 16 }} role="alert" />}
    </Modal>
  );
}

function summary(report: CatalogueImportReport): { type: 'success' | 'info' | 'warning'; title: string } {
  if (report.errors.length > 0) return { type: 'warning', title: `有 ${report.rejected} 行有误，整个文件未导入。请按下表修改后重新校验` };
  if (report.sameAsCurrent) return { type: 'info', title: `文件内容与当前目录（第 ${report.baseVersion} 版）完全相同，无需导入` };
  if (report.version) return { type: 'success', title: `导入完成：已生成第 ${report.version.version} 版，现为当前目录` };
  return { type: 'success', title: '校验通过，可以导入。导入后将生成新版本' };
}

function ReportView({ report }: { report: CatalogueImportReport }) {
  const { type, title } = summary(report);
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
    <div data-testid="catalogue-import-report">
      <Alert type={type} showIcon title={title} style={{ marginBottom: 16 }} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {stats.map(([name, value]) => (
          <Col key={name} span={6}>
            <Statistic title={name} value={value} />
          </Col>
        ))}
      </Row>
      {clean && report.baseVersion !== null && !report.sameAsCurrent && (
        <p style={{ color: '#8c8c8c' }}>以上为与第 {report.baseVersion} 版相比的变化。文件 SHA-256：{report.sha256}</p>
      )}
      {!clean && (
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
