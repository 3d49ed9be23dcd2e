// A server-paged table: filters, page and size in state, the page fetched whenever one changes.
import { useCallback, useEffect, useState } from 'react';
import type { TablePaginationConfig } from 'antd';
import type { Page } from '@contracts/common.ts';
import type { Query } from '../api/client.ts';

export type PageQuery = { page: number; pageSize: number };

export function usePagedList<T, F extends Query>(
  fetchPage: (query: F & PageQuery) => Promise<Page<T>>,
  initialFilters: F,
  initialPageSize = 20,
) {
  const [filters, setFilters] = useState<F>(initialFilters);
  const [paging, setPaging] = useState<PageQuery>({ page: 1, pageSize: initialPageSize });
  const [data, setData] = useState<Page<T> | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchPage({ ...filters, ...paging })
      .then((page) => live && setData(page))
      .catch(() => live && setData(null)) // the client has shown the error
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [fetchPage, filters, paging, version]);

  const search = useCallback((next: F) => {
    setFilters(next);
    setPaging((p) => ({ ...p, page: 1 }));
  }, []);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const pagination: TablePaginationConfig = {
    current: paging.page,
    pageSize: paging.pageSize,
    total: data?.total ?? 0,
    showSizeChanger: true,
    showTotal: (total) => `共 ${total} 条`,
    onChange: (page, pageSize) => setPaging({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
  };

  return { filters, search, reload, loading, items: data?.items ?? [], pagination };
}
