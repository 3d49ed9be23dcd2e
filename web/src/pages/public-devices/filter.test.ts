import { describe, expect, it } from 'vitest';
import type { PublicDevice } from '@contracts/devices.ts';
import { filterPublicDevices, placeLine } from './filter.ts';

const device = (over: Partial<PublicDevice>): PublicDevice => ({
  type: 'redLight',
  typeLabel: '闯红灯抓拍（电子警察）',
  road: '中山路',
  direction: '东向西',
  km: null,
  lat: null,
  lon: null,
  description: '与解放路交叉口',
  violations: [{ code: '1625', name: '驾驶机动车违反道路交通信号灯通行的' }],
  announcedOn: '2026-01-05',
  ...over,
});

describe('the public device list', () => {
  const items = [device({}), device({ type: 'speedFixed', typeLabel: '固定测速', road: 'G312国道', direction: null, km: 12.5, description: null, violations: [] })];

  it('searches road, place, type and violation names; filters by type', () => {
    expect(filterPublicDevices(items, '', undefined)).toHaveLength(2);
    expect(filterPublicDevices(items, ' 解放路 ', undefined).map((d) => d.road)).toEqual(['中山路']);
    expect(filterPublicDevices(items, 'g312', undefined).map((d) => d.road)).toEqual(['G312国道']);
    expect(filterPublicDevices(items, '信号灯', undefined)).toHaveLength(1);
    expect(filterPublicDevices(items, '', 'speedFixed').map((d) => d.road)).toEqual(['G312国道']);
    expect(filterPublicDevices(items, '中山路', 'speedFixed')).toEqual([]);
  });

  it('writes the place line from what is published, a dash when nothing is', () => {
    expect(placeLine(items[0]!)).toBe('东向西，与解放路交叉口');
    expect(placeLine(items[1]!)).toBe('K12.5');
    expect(placeLine({ direction: null, km: null, description: null })).toBe('—');
  });
});
