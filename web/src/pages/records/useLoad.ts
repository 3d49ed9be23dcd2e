// One request's state for views that are not server-paged tables (detail drawer, dashboard, rule
// parameters): data, the error to show in place, and a reload. The caller memoizes `load`; a new
// `load` fetches again. Data from the previous load stays while the next one runs, so a chart does
// not blink; callers that show a different object check what they got.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.requestId && e.status >= 500 ? `${e.message}（请求编号 ${e.requestId}）` : e.message;
  return e instanceof Error ? e.message : String(e);
}

/** `load` null: nothing to fetch (e.g. the drawer is closed). */
export function useLoad<T>(load: (() => Promise<T>) | null): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(load !== null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!load) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    load()
      .then((d) => {
        if (live) setData(d);
      })
      .catch((e: unknown) => {
        if (live) setError(errorText(e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [load, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}
