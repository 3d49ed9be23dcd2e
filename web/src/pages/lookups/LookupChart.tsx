// The dashboard's ECharts wrapper, with the two chart kinds the look-up pages add: lines (a person
// against their peers over time) and the hours-of-day heat map. echarts/core registers globally, so
// registering here once is enough, and the dashboard's own bundle stays as small as it was.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, type BarSeriesOption, type HeatmapSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import { EChart, type ChartOption } from '../dashboard/EChart.tsx';

echarts.use([BarChart, LineChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent]);

export type LookupChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export function LookupChart({ option, height, label, testId }: { option: LookupChartOption; height?: number; label: string; testId?: string }) {
  // EChart's option type names only the dashboard's chart kinds; those registered above work the
  // same at run time
  return <EChart option={option as ChartOption} height={height} label={label} testId={testId} />;
}
