// Permission checkboxes grouped by code prefix (`org:person:*` → 人员管理, `alert:*` → 告警), labelled from the
// contracts' permission table. Codes the console does not know are kept, not dropped.
import { Checkbox, Flex, Typography } from 'antd';
import { ALL_PERMISSIONS, PERMISSIONS, type Permission } from '@contracts/permissions.ts';
import { PERMISSION_GROUPS } from '../locales/zh-CN.ts';

const groups: [prefix: string, codes: Permission[]][] = [];
for (const code of ALL_PERMISSIONS) {
  const parts = code.split(':');
  const prefix = parts.slice(0, Math.max(1, parts.length - 1)).join(':');
  const group = groups.find(([p]) => p === prefix);
  if (group) group[1].push(code);
  else groups.push([prefix, [code]]);
}
const known = new Set<string>(ALL_PERMISSIONS);

interface Props {
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
}

export function PermissionPicker({ id, value = [], onChange }: Props) {
  const chosen = new Set(value);
  const set = (codes: string[], on: boolean) => {
    const next = new Set(value);
    for (const c of codes) {
      if (on) next.add(c);
      else next.delete(c);
    }
    onChange?.([...next]);
  };
  const unknown = value.filter((c) => !known.has(c));

  return (
    <div id={id}>
      {groups.map(([prefix, codes]) => {
        const count = codes.filter((c) => chosen.has(c)).length;
        return (
          <Flex key={prefix} gap={8} align="baseline" wrap style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
            <Checkbox
              style={{ width: 120, fontWeight: 500 }}
              checked={count === codes.length}
              indeterminate={count > 0 && count < codes.length}
              onChange={(e) => set(codes, e.target.checked)}
            >
              {PERMISSION_GROUPS[prefix] ?? (codes.length === 1 ? PERMISSIONS[codes[0]!] : prefix)}
            </Checkbox>
            <Flex gap={4} wrap style={{ flex: 1 }}>
              {codes.map((code) => (
                <Checkbox key={code} checked={chosen.has(code)} onChange={(e) => set([code], e.target.checked)}>
                  {PERMISSIONS[code]}
                </Checkbox>
              ))}
            </Flex>
          </Flex>
        );
      })}
      {unknown.length > 0 && (
        <Typography.Text type="secondary">其他权限（本控制台未识别，保存时保留）：{unknown.join('、')}</Typography.Text>
      )}
    </div>
  );
}
