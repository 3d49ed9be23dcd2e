import { Button, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { UNIT_KINDS, type Unit } from '@contracts/org.ts';
import { t } from '../../locales/zh-CN.ts';

export function unitStatusTag(active: boolean) {
  return active ? <Tag color="green">{t.active}</Tag> : <Tag>{t.inactive}</Tag>;
}

/** The sub-units of the selected unit. */
export function childColumns(onSelect: (unit: Unit) => void): TableColumnsType<Unit> {
  return [
    { title: '单位名称', dataIndex: 'name', render: (name: string, u) => <Button type="link" size="small" onClick={() => onSelect(u)}>{name}</Button> },
    { title: '类型', dataIndex: 'kind', width: 100, render: (k: Unit['kind']) => UNIT_KINDS[k] },
    { title: '机构代码', dataIndex: 'code', width: 140, render: (c: string | null) => c ?? t.empty },
    { title: '排序', dataIndex: 'sortOrder', width: 80 },
    { title: '状态', dataIndex: 'active', width: 100, render: unitStatusTag },
  ];
}
