// Unit picker over the unit tree. Inactive units are shown but cannot be picked (unless
// `allowInactive`, for filters); `exclude` removes a subtree (a unit cannot become its own ancestor).
import { useMemo, type CSSProperties } from 'react';
import { TreeSelect } from 'antd';
import type { Unit } from '@contracts/org.ts';
import { buildUnitForest, useUnitTree, type UnitNode } from '../hooks/useUnitTree.ts';

interface TreeOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(nodes: UnitNode[], exclude: Set<number> | undefined, allowInactive: boolean): TreeOption[] {
  return nodes
    .filter((n) => !exclude?.has(n.unit.id))
    .map(({ unit, children }) => ({
      value: unit.id,
      title: unit.active ? unit.name : `${unit.name}（已停用）`,
      disabled: !unit.active && !allowInactive,
      children: toOptions(children, exclude, allowInactive),
    }));
}

type Props = {
  id?: string;
  placeholder?: string;
  exclude?: Set<number>;
  allowInactive?: boolean;
  allowClear?: boolean;
  style?: CSSProperties;
} & (
  | { multiple?: false; value?: number | null; onChange?: (value: number | undefined) => void }
  | { multiple: true; value?: number[]; onChange?: (value: number[]) => void }
);

export function UnitTreeSelect(props: Props) {
  const { units, loading } = useUnitTree();
  const { exclude, allowInactive = false } = props;
  const treeData = useMemo(() => toOptions(buildUnitForest(units), exclude, allowInactive), [units, exclude, allowInactive]);
  const common = {
    id: props.id,
    treeData,
    loading,
    allowClear: props.allowClear,
    placeholder: props.placeholder ?? '请选择单位',
    showSearch: true,
    treeNodeFilterProp: 'title',
    treeDefaultExpandAll: true,
    style: { minWidth: 200, ...props.style },
  };
  if (props.multiple) {
    return (
      <TreeSelect<number[]>
        {...common}
        multiple
        treeCheckable
        treeCheckStrictly={false}
        showCheckedStrategy={TreeSelect.SHOW_ALL}
        value={props.value}
        onChange={(v) => props.onChange?.(v ?? [])}
      />
    );
  }
  return (
    <TreeSelect<number>
      {...common}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? undefined)}
    />
  );
}
