// 组织机构: the unit tree on the left, the selected unit with its sub-units on the right.
import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Input, Popconfirm, Row, Space, Table, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { UNIT_KINDS, type Unit } from '@contracts/org.ts';
import { useCan } from '../../app/auth.tsx';
import { buildUnitForest, invalidateUnitTree, useUnitTree, type UnitNode } from '../../hooks/useUnitTree.ts';
import { t } from '../../locales/zh-CN.ts';
import { unitsApi } from './api.ts';
import { childColumns, unitStatusTag } from './columns.tsx';
import { UnitForm, type UnitFormTarget } from './UnitForm.tsx';

function toTreeData(nodes: UnitNode[], filter: string): TreeDataNode[] {
  const out: TreeDataNode[] = [];
  for (const { unit, children } of nodes) {
    const kids = toTreeData(children, filter);
    if (filter && !unit.name.includes(filter) && kids.length === 0) continue;
    const title = unit.active ? unit.name : <Typography.Text type="secondary">{unit.name}（已停用）</Typography.Text>;
    out.push({ key: unit.id, title, children: kids });
  }
  return out;
}

export default function UnitsPage() {
  const can = useCan();
  const { message } = App.useApp();
  const { units, loading } = useUnitTree();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [filter, setFilter] = useState('');
  const [formTarget, setFormTarget] = useState<UnitFormTarget | null>(null);
  const [busy, setBusy] = useState(false);

  const forest = useMemo(() => buildUnitForest(units), [units]);
  const treeData = useMemo(() => toTreeData(forest, filter.trim()), [forest, filter]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const selected = selectedId === null ? undefined : byId.get(selectedId);
  const children = useMemo(
    () => (selected ? units.filter((u) => u.parentId === selected.id).sort((a, b) => a.sortOrder - b.sortOrder) : []),
    [units, selected],
  );

  useEffect(() => {
    const first = forest[0];
    if (selectedId === null && first) setSelectedId(first.unit.id);
  }, [forest, selectedId]);

  const saved = (unit: Unit) => {
    message.success(t.saved);
    setFormTarget(null);
    setSelectedId(unit.id);
    invalidateUnitTree();
  };

  const toggleActive = async (unit: Unit) => {
    setBusy(true);
    try {
      await (unit.active ? unitsApi.deactivate(unit.id) : unitsApi.activate(unit.id));
      message.success(unit.active ? '单位已停用' : '单位已启用');
      invalidateUnitTree();
    } catch {
      // shown by the client (e.g. still has active members or sub-units)
    } finally {
      setBusy(false);
    }
  };

  const editable = can('org:unit:edit');

  return (
    <Row gutter={16}>
      <Col xs={24} md={9} lg={8}>
        <Card title="单位树" size="small" loading={loading && units.length === 0}>
          <Input.Search
            placeholder="搜索单位名称"
            allowClear
            onChange={(e) => setFilter(e.target.value)}
            style={{ marginBottom: 8 }}
            aria-label="搜索单位名称"
          />
          {treeData.length ? (
            <Tree
              key={filter ? `f:${filter}` : `all:${units.length}`}
              treeData={treeData}
              defaultExpandAll
              blockNode
              showLine
              selectedKeys={selectedId === null ? [] : [selectedId]}
              onSelect={(keys) => keys[0] !== undefined && setSelectedId(Number(keys[0]))}
            />
          ) : (
            <Empty description="无单位" />
          )}
        </Card>
      </Col>
      <Col xs={24} md={15} lg={16}>
        {selected ? (
          <Card
            title={selected.name}
            size="small"
            extra={
              editable && (
                <Space wrap>
                  <Button type="primary" icon={<PlusOutlined />} disabled={!selected.active} onClick={() => setFormTarget({ mode: 'create', parent: selected })}>
                    新增下级单位
                  </Button>
                  <Button icon={<EditOutlined />} onClick={() => setFormTarget({ mode: 'edit', unit: selected })}>
                    {t.edit}
                  </Button>
                  <Popconfirm
                    title={selected.active ? '确定停用该单位？' : '确定启用该单位？'}
                    description={selected.active ? '单位仍有在职人员或启用的下级单位时不能停用。' : undefined}
                    okText={t.confirm}
                    cancelText={t.cancel}
                    onConfirm={() => toggleActive(selected)}
                  >
                    <Button danger={selected.active} loading={busy}>
                      {selected.active ? t.disable : t.enable}
                    </Button>
                  </Popconfirm>
                </Space>
              )
            }
          >
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: 'name', label: '单位名称', children: selected.name },
                { key: 'kind', label: '单位类型', children: UNIT_KINDS[selected.kind] },
                { key: 'code', label: '机构代码', children: selected.code ?? t.empty },
                { key: 'parent', label: '上级单位', children: (selected.parentId !== null && byId.get(selected.parentId)?.name) || t.empty },
                { key: 'sort', label: '排序', children: selected.sortOrder },
                { key: 'active', label: '状态', children: unitStatusTag(selected.active) },
              ]}
            />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              下级单位
            </Typography.Title>
            <Table<Unit>
              rowKey="id"
              size="small"
              columns={childColumns((u) => setSelectedId(u.id))}
              dataSource={children}
              pagination={false}
              locale={{ emptyText: '无下级单位' }}
            />
          </Card>
        ) : (
          <Card size="small">
            <Empty description="请在左侧选择单位" />
          </Card>
        )}
      </Col>
      <UnitForm target={formTarget} units={units} onClose={() => setFormTarget(null)} onSaved={saved} />
    </Row>
  );
}
