// Pick a person by name or badge number (server-side search of /api/org/personnel?q=).
import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import type { Page } from '@contracts/common.ts';
import type { Person } from '@contracts/org.ts';
import { api } from '../api/client.ts';

interface Props {
  id?: string;
  value?: number;
  onChange?: (id: number | undefined, person: Person | undefined) => void;
  /** people who already have an account cannot get a second one */
  disableWithAccount?: boolean;
}

export function PersonPicker({ id, value, onChange, disableWithAccount }: Props) {
  const [people, setPeople] = useState<Person[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const search = (q: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const mine = ++seq.current;
      setLoading(true);
      api
        .get<Page<Person>>('/api/org/personnel', { q: q.trim() || undefined, status: 'active', pageSize: 20 })
        .then((page) => mine === seq.current && setPeople(page.items))
        .catch(() => undefined)
        .finally(() => mine === seq.current && setLoading(false));
    }, 250);
  };

  useEffect(() => {
    search('');
    return () => clearTimeout(timer.current);
  }, []); // the first page, once

  return (
    <Select<number>
      id={id}
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      placeholder="输入姓名或警号搜索"
      notFoundContent={loading ? <Spin size="small" /> : '未找到人员'}
      loading={loading}
      onChange={(v) => onChange?.(v, people.find((p) => p.id === v))}
      options={people.map((p) => ({
        value: p.id,
        label: `${p.name}（${p.badgeNo}，${p.unitName}）${p.hasAccount ? ' · 已有账号' : ''}`,
        disabled: disableWithAccount && p.hasAccount,
      }))}
      allowClear
    />
  );
}
