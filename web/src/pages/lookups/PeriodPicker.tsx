// The period the look-up overview and profile report on: whole Beijing days up to today, with the
// usual presets, never empty.
import { DatePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { beijingToday, lastDays } from '../../app/format.ts';

export type Period = [Dayjs, Dayjs];

export { lastDays };

const presets = (): { label: string; value: Period }[] => [
  { label: '近7天', value: lastDays(7) },
  { label: '近30天', value: lastDays(30) },
  { label: '近90天', value: lastDays(90) },
];

export function PeriodPicker({ value, onChange }: { value: Period; onChange: (v: Period) => void }) {
  return (
    <DatePicker.RangePicker
      aria-label="统计期间"
      value={value}
      presets={presets()}
      allowClear={false}
      disabledDate={(d) => d.isAfter(beijingToday(), 'day')}
      onChange={(v) => {
        if (v?.[0] && v[1]) onChange([v[0], v[1]]);
      }}
      style={{ maxWidth: 'calc(100vw - 64px)' }}
    />
  );
}
