// 每日抓拍: the device's daily captures by code over a chosen period, the detectors' anomaly days
// shaded on the chart and listed with their reasons (both from the server).
import { useCallback, useMemo, useState } from 'react';
import { Alert, DatePicker, Empty, Space, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import * as echarts from 'echarts/core';
import { MarkAreaComponent } from 'echarts/components';
import type { DeviceAnomaly } from '@contracts/device-captures.ts';
import { DrawerSection } from '../../components/DrawerSection.tsx';
import { EChart } from '../dashboard/EChart.tsx';
import { SeverityTag } from '../records/tags.tsx';
import { useLoad } from '../records/useLoad.ts';
import { devicesApi } from './api.ts';
import { captureOption, detectorName } from './captureChart.ts';
import { beijingToday } from './labels.ts';

// the shared chart wrapper registers bars and pies; the anomaly shading needs mark areas too
echarts.use([MarkAreaComponent]);

const DAYS_SHOWN = 90;

const anomalyColumns = [
  { title: '检测', dataIndex: 'detector', width: 150, render: (v: string) => detectorName(v) },
  {
    title: '日期',
    key: 'days',
    width: 190,
    render: (_: unknown, a: DeviceAnomaly) => (a.day === a.lastDay ? a.day : `${a.day} 至 ${a.lastDay}`),
  },
  { title: '严重程度', dataIndex: 'severity', width: 90, render: (v: DeviceAnomaly['severity']) => <SeverityTag severity={v} /> },
  { title: '说明', dataIndex: 'reason' },
];

/** `[from, to)` in Beijing days: the last DAYS_SHOWN days up to and including today by default. */
function defaultRange(): [Dayjs, Dayjs] {
  const today = dayjs(beijingToday());
  return [today.subtract(DAYS_SHOWN - 1, 'day'), today];
}

export function CaptureSection({ deviceId }: { deviceId: string }) {
  const [range, setRange] = useState<[Dayjs, Dayjs]>(defaultRange);
  const from = range[0].format('YYYY-MM-DD');
  // the picker's last day is inclusive, the API's `to` exclusive
  const to = range[1].add(1, 'day').format('YYYY-MM-DD');
  const load = useCallback(() => devicesApi.captures(deviceId, { from, to }), [deviceId, from, to]);
  const { data, error } = useLoad(load);
  const series = data && data.deviceId === deviceId && data.from === from ? data : undefined;
  const option = useMemo(() => (series ? captureOption(series) : null), [series]);
  const total = series?.total.reduce((a, b) => a + b, 0) ?? 0;
  const freight = series?.freight.reduce((a, b) => a + b, 0) ?? 0;

  return (
    <DrawerSection
      title="每日抓拍（按违法代码）"
      extra={
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          disabledDate={(d) => d.format('YYYY-MM-DD') > beijingToday()}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          style={{ maxWidth: 'calc(100vw - 48px)' }}
        />
      }
    >
      {error && <Alert type="warning" showIcon title="无法读取抓拍统计" description={error} />}
      {!error && !series && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="加载中…" />}
      {series && option && (
        <div data-testid="device-captures">
          <Space size="large" wrap style={{ marginBottom: 8 }}>
            <Statistic title="期间抓拍" value={total} />
            <Statistic title="其中货车" value={freight} />
            <Statistic title="异常" value={series.anomalies.length} styles={series.anomalies.length ? { content: { color: '#cf1322' } } : undefined} />
          </Space>
          <EChart option={option} height={300} label={`设备 ${deviceId} 每日抓拍量（按违法代码），异常日以红色底纹标出`} testId="chart-device-captures" />
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
            红色底纹为检测发现的异常日（规则版本 v{series.ruleSetVersion}）；图例中标“未准许”的违法代码不在本设备准许抓拍的范围内。
          </Typography.Paragraph>
          {series.anomalies.length > 0 && (
            <Table<DeviceAnomaly>
              size="small"
              rowKey={(a) => `${a.detector}:${a.dedupKey}`}
              pagination={false}
              dataSource={series.anomalies}
              columns={anomalyColumns}
              scroll={{ x: 640 }}
            />
          )}
        </div>
      )}
    </DrawerSection>
  );
}
