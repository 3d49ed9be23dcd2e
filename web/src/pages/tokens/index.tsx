// 接口令牌: tokens for integrations (never a person's session); the secret is shown once.
import { useState } from 'react';
import { App, Button, Flex, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../app/auth.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { tokensApi, type ApiToken, type ApiTokenCreated } from './api.ts';
import { tokenColumns } from './columns.tsx';
import { CreateTokenModal, SecretModal } from './TokenModals.tsx';

export default function TokensPage() {
  const can = useCan();
  const { message } = App.useApp();
  const list = usePagedList<ApiToken, Record<string, never>>(tokensApi.list, {});
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const canEdit = can('auth:token:edit');

  const revoke = (tok: ApiToken) =>
    tokensApi.revoke(tok.id).then(
      () => {
        message.success('令牌已吊销');
        list.reload();
      },
      () => undefined, // shown by the client
    );

  return (
    <>
      {canEdit && (
        <Flex justify="flex-end" style={{ marginBottom: 16 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建令牌
          </Button>
        </Flex>
      )}
      <Table<ApiToken>
        rowKey="id"
        size="middle"
        columns={tokenColumns(canEdit, revoke)}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: 1400 }}
      />
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          setCreated(c);
          list.reload();
        }}
      />
      <SecretModal created={created} onClose={() => setCreated(null)} />
    </>
  );
}
