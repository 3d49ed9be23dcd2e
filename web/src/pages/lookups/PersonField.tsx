// The shared person picker at a filter bar's width (a Form.Item hands value and onChange to it).
import { PersonPicker } from '../../components/PersonPicker.tsx';

export function PersonField({ id, value, onChange, width = 220 }: { id?: string; value?: number; onChange?: (id: number | undefined) => void; width?: number }) {
  return (
    <div style={{ width, maxWidth: 'calc(100vw - 140px)' }}>
      <PersonPicker id={id} value={value} onChange={(v) => onChange?.(v)} />
    </div>
  );
}
