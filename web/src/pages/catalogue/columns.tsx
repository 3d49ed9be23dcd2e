import { Button, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CATALOGUE_CATEGORIES, type CatalogueRow, type CatalogueVersion } from '@contracts/catalogue.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';

export const rowKey = (r: CatalogueRow) => `${r.code}@${r.effectiveFrom}`;

export function warningTag(eligible: boolean) {
  return eligible ? <Tag color="green">可首违警告</Tag> : <Typography.Text type="secondary">否</Typography.Text>;
}

export const fineText = (r: Pick<CatalogueRow, 'fineMin' | 'fineMax'>) => (r.fineMin === r.fineMax ? `${r.fineMin}` : `${r.fineMin}–${r.fineMax}`);

export function catalogueColumns(onCode?: (r: CatalogueRow) => void): TableColumnsType<CatalogueRow> {
  return [
    {
      title: '违法代码',
      dataIndex: 'code',
      width: 100,
      fixed: 'left',
      render: (code: string, r) =>
        onCode ? (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onCode(r)}>
            {code}
          </Button>
        ) : (
          code
        ),
    },
    { title: '违法行为', dataIndex: 'description', width: 300, ellipsis: { showTitle: true } },
    { title: '法律依据', dataIndex: 'basis', width: 220, ellipsis: { showTitle: true } },
    {
      title: '罚款（元）',
      key: 'fine',
      width: 150,
      render: (_, r) => (
        <span>
          {fineText(r)}
          <Typography.Text type="secondary">（默认 {r.fineDefault}）</Typography.Text>
        </span>
      ),
    },
    { title: '记分', dataIndex: 'points', width: 70, align: 'right' },
    { title: '类别', dataIndex: 'category', width: 110, render: (c: CatalogueRow['category']) => CATALOGUE_CATEGORIES[c] },
    { title: '首违警告', dataIndex: 'warningEligible', width: 110, render: warningTag },
    {
      title: '连续违法时长',
      dataIndex: 'continuingWindowMinutes',
      width: 120,
      render: (v: number | null) => (v === null ? <Tooltip title="按规则参数的默认值">默认</Tooltip> : `${v} 分钟`),
    },
    { title: '生效日期', dataIndex: 'effectiveFrom', width: 110 },
    { title: '失效日期', dataIndex: 'effectiveTo', width: 110, render: (v: string | null) => v ?? <Typography.Text type="secondary">长期</Typography.Text> },
  ];
}

export function versionLabel(v: Pick<CatalogueVersion, 'version' | 'label' | 'isSample'>) {
  return `第 ${v.version} 版 · ${v.label}${v.isSample ? '（样例）' : ''}`;
}

export function versionColumns(onCompare: (v: CatalogueVersion) => void): TableColumnsType<CatalogueVersion> {
  return [
    { title: '版本', dataIndex: 'version', width: 80, render: (v: number, r) => <>{`第 ${v} 版`}{r.isSample && <Tag color="orange" style={{ marginLeft: 8 }}>样例</Tag>}</> },
    { title: '名称', dataIndex: 'label', width: 200, ellipsis: true },
    { title: '条目数', dataIndex: 'entryCount', width: 90, align: 'right' },
    { title: '来源文件', dataIndex: 'sourceFilename', width: 200, ellipsis: true, render: (v: string | null) => v ?? t.empty },
    {
      title: '文件 SHA-256',
      dataIndex: 'sourceSha256',
      width: 140,
      render: (v: string | null) =>
        v ? (
          <Tooltip title={v}>
            <Typography.Text code copyable={{ text: v }}>
              {v.slice(0, 12)}…
            </Typography.Text>
          </Tooltip>
        ) : (
          t.empty
        ),
    },
    { title: '备注', dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? t.empty },
    { title: '创建人', dataIndex: 'createdByName', width: 140, ellipsis: true },
    { title: t.createdAt, dataIndex: 'createdAt', width: 170, render: fmtTime },
    {
      title: t.actions,
      key: 'actions',
      width: 120,
      render: (_, v) =>
        v.version > 1 ? (
          <Button type="link" size="small" onClick={() => onCompare(v)}>
            与上一版对比
          </Button>
        ) : null,
    },
  ];
}
