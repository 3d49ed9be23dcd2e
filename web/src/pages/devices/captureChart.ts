// The device's daily captures by code as an ECharts option, with the detectors' anomaly days marked.
// A pure function of the API's answer (the marks come from the server's detectors, not from here).
import { DEVICE_DETECTORS, type DeviceCaptureSeries } from '@contracts/device-captures.ts';
import type { ChartOption } from '../dashboard/EChart.tsx';

/** Codes the device may not capture are drawn in reds so they stand out among the allowed ones. */
const ALLOWED_COLORS = ['#1f4e99', '#13c2c2', '#52c41a', '#faad14', '#722ed1', '#2f54eb', '#a0d911', '#eb2f96'];
const DISALLOWED_COLORS = ['#cf1322', '#ff7875', '#a8071a'];

export function detectorName(detector: string): string {
  return (DEVICE_DETECTORS as Record<string, string>)[detector] ?? detector;
}

export function captureOption(s: DeviceCaptureSeries): ChartOption {
  const labels = s.days.map((d) => d.slice(5));
  const index = new Map(s.days.map((d, i) => [d, i]));
  let allowedSeen = 0;
  let disallowedSeen = 0;
  const series = s.byCode.map((c) => {
    const color = c.allowed === false ? DISALLOWED_COLORS[disallowedSeen++ % DISALLOWED_COLORS.length] : ALLOWED_COLORS[allowedSeen++ % ALLOWED_COLORS.length];
    return {
      type: 'bar' as const,
      name: c.allowed === false ? `${c.code}（未准许）` : c.code,
      stack: 'captures',
      data: c.counts,
      itemStyle: { color },
      emphasis: { focus: 'series' as const },
    };
  });
  // the marks ride on the first series; an anomaly outside the shown days is left out
  const areas = s.anomalies
    .filter((a) => index.has(a.day) || index.has(a.lastDay))
    .map((a) => {
      const first = labels[index.get(a.day) ?? 0]!;
      const last = labels[index.get(a.lastDay) ?? s.days.length - 1]!;
      return [
        { name: detectorName(a.detector), xAxis: first, itemStyle: { color: 'rgba(245, 34, 45, 0.12)' } },
        { xAxis: last },
      ] as [{ name: string; xAxis: string; itemStyle: { color: string } }, { xAxis: string }];
    });
  if (series.length === 0) {
    series.push({ type: 'bar', name: '抓拍', stack: 'captures', data: s.total, itemStyle: { color: ALLOWED_COLORS[0] }, emphasis: { focus: 'series' } });
  }
  if (areas.length > 0) {
    Object.assign(series[0]!, {
      // unlabelled: neighbouring days' names would overlap; the tooltip and the table below name them
      markArea: { silent: false, label: { show: false }, tooltip: { show: true }, data: areas },
    });
  }
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  };
}
