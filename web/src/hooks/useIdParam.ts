import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The id of the row a drawer shows, kept in the URL (`?id=`): a link or a reload opens the same
 * row, and closing it drops the parameter without a new history entry.
 */
export function useIdParam(): [number | null, (id: number | null) => void] {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('id'));
  const id = Number.isSafeInteger(raw) && raw > 0 ? raw : null;
  const setId = useCallback(
    (next: number | null) =>
      setParams(
        (prev) => {
          const p = new URLSearchParams(prev);
          if (next === null) p.delete('id');
          else p.set('id', String(next));
          return p;
        },
        { replace: next === null },
      ),
    [setParams],
  );
  return [id, setId];
}
