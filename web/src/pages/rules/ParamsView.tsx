// A rule set's parameters, grouped, read-only.
import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import type { RuleParams } from '@contracts/rules.ts';
import { DATE_LIST_PARAMS, PARAM_GROUPS, paramLabel, paramText, type ParamKey } from './groups.ts';

function DateList({ dates }: { dates: string[] }) {
  if (dates.length === 0) return <Typography.Text type="secondary">（无）</Typography.Text>;
  const sorted = [...dates].sort();
  return (
    <Space size={[4, 4]} wrap>
      <Typography.Text type="secondary">共 {dates.length} 天：</Typography.Text>
      {sorted.map((d) => (
        <Tag key={d}>{d}</Tag>
      ))}
    </Space>
  );
}

export function ParamValue({ name, value }: { name: ParamKey; value: unknown }) {
  if (DATE_LIST_PARAMS.has(name) && Array.isArray(value)) return <DateList dates={value as string[]} />;
  if (name === 'localPlatePrefixes' && Array.isArray(value)) {
    return (
      <Space size={[4, 4]} wrap>
        {(value as string[]).map((p) => (
          <Tag key={p}>{p}</Tag>
        ))}
      </Space>
    );
  }
  return <>{paramText(name, value)}</>;
}

export function ParamsView({ params }: { params: RuleParams }) {
  return (
    <Row gutter={[16, 16]}>
      {PARAM_GROUPS.map((group) => (
        <Col key={group.key} xs={24} xl={group.key === 'freight' || group.key === 'review' ? 24 : 12}>
          <Card size="small" title={group.title} style={{ height: '100%' }}>
            <Descriptions
              size="small"
              column={1}
              styles={{ label: { width: '42%' } }}
              items={group.params.map((name) => ({
                key: name,
                label: paramLabel(name),
                children: <ParamValue name={name} value={params[name]} />,
              }))}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
