// The filter row above a table: inline form named `filter` (ids `filter_<field>`, so they never
// clash with the edit form's fields), 查询 and 重置, and the page's own buttons on the right.
import type { ReactNode } from 'react';
import { Button, Flex, Form, Space } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { t } from '../locales/zh-CN.ts';

interface Props<V> {
  onSearch: (values: V) => void;
  children: ReactNode;
  actions?: ReactNode;
}

export function FilterBar<V extends object>({ onSearch, children, actions }: Props<V>) {
  const [form] = Form.useForm<V>();
  return (
    <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
      <Form form={form} name="filter" layout="inline" onFinish={onSearch} style={{ rowGap: 12, flex: 1 }}>
        {children}
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t.search}
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                form.submit();
              }}
            >
              {t.reset}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {actions && <Space wrap>{actions}</Space>}
    </Flex>
  );
}
