import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PERSON_CATEGORIES, PERSON_STATUSES, type Person, type PersonStatus } from '@contracts/org.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';

const STATUS_COLORS: Record<PersonStatus, string> = { active: 'green', left: 'default', suspended: 'orange' };

export function personStatusTag(p: Pick<Person, 'status' | 'statusReason'>) {
  const tag = <Tag color={STATUS_COLORS[p.status]}>{PERSON_STATUSES[p.status]}</Tag>;
  return p.statusReason && p.status !== 'active' ? <Tooltip title={`原因：${p.statusReason}`}>{tag}</Tooltip> : tag;
}

interface Actions {
  canEdit: boolean;
  canPii: boolean;
  onEdit: (p: Person) => void;
  onStatus: (p: Person) => void;
  onPii: (p: Person) => void;
}

export function personColumns({ canEdit, canPii, onEdit, onStatus, onPii }: Actions): TableColumnsType<Person> {
  const columns: TableColumnsType<Person> = [
    { title: '姓名', dataIndex: 'name', width: 110, fixed: 'left' },
    { title: '警号', dataIndex: 'badgeNo', width: 110 },
    { title: '类别', dataIndex: 'category', width: 80, render: (c: Person['category']) => PERSON_CATEGORIES[c] },
    { title: '所属单位', dataIndex: 'unitName', width: 180, ellipsis: true },
    { title: '职务', dataIndex: 'position', width: 120, render: (v: string | null) => v ?? t.empty },
    { title: '手机号', dataIndex: 'phoneMasked', width: 130, render: (v: string | null) => v ?? t.empty },
    { title: '状态', key: 'status', width: 90, render: (_, p) => personStatusTag(p) },
    {
      title: '账号',
      dataIndex: 'hasAccount',
      width: 80,
      render: (v: boolean) => (v ? <Tag color="blue">已开通</Tag> : <Typography.Text type="secondary">未开通</Typography.Text>),
    },
    { title: t.updatedAt, dataIndex: 'updatedAt', width: 170, render: fmtTime },
  ];
  if (canEdit || canPii) {
    columns.push({
      title: t.actions,
      key: 'actions',
      width: 230,
      fixed: 'right',
      render: (_, p) => (
        <Space size={4} wrap>
          {canEdit && <Button type="link" size="small" onClick={() => onEdit(p)}>{t.edit}</Button>}
          {canEdit && <Button type="link" size="small" onClick={() => onStatus(p)}>变更状态</Button>}
          {canPii && <Button type="link" size="small" onClick={() => onPii(p)}>查看完整信息</Button>}
        </Space>
      ),
    });
  }
  return columns;
}
