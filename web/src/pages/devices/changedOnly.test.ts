import { describe, expect, it } from 'vitest';
import type { Device } from '@contracts/devices.ts';
import { changedOnly, type DeviceFormBody } from './DeviceForm.tsx';

const before: Device = {
  id: 'SXJ-0001',
  type: 'redLight',
  // key order as jsonb returns it, not as the form builds it
  location: { km: 1.2, road: '中山路', description: '中山路与汉中路交叉口', direction: '由南向北' },
  owningUnitId: 3,
  owningUnitName: '一中队',
  allowedCodes: ['1625', '1357'],
  legalReview: { date: '2026-01-03', reviewer: '周文静', documentNo: '法审1' },
  technicalReview: null,
  announcement: { date: '2026-01-05', channel: '官网' },
  signage: { present: true, distanceM: 50 },
  verification: null,
  verificationHistory: [],
  policeOperated: false,
  status: 'active',
  statusHistory: [],
  revision: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  today: { lawful: true, missing: [] },
};

const unchanged: DeviceFormBody = {
  type: 'redLight',
  owningUnitId: 3,
  location: { road: '中山路', direction: '由南向北', km: 1.2, lat: undefined, lon: undefined, description: '中山路与汉中路交叉口' },
  allowedCodes: ['1625', '1357'],
  legalReview: { date: '2026-01-03', documentNo: '法审1', reviewer: '周文静' },
  technicalReview: null,
  announcement: { date: '2026-01-05', channel: '官网', url: undefined },
  signage: { present: true, distanceM: 50 },
  verification: null,
  policeOperated: false,
  basis: { documentNo: '改1', note: undefined },
};

describe('changedOnly (the PATCH body of 修改设备)', () => {
  it('sends only the basis when nothing changed, whatever the key order', () => {
    expect(changedOnly(before, unchanged)).toEqual({ basis: { documentNo: '改1', note: undefined } });
  });

  it('sends each changed field whole, and a cleared document as null', () => {
    const body = changedOnly(before, { ...unchanged, location: { ...unchanged.location, km: 1.3 }, announcement: null, allowedCodes: ['1625'] });
    expect(Object.keys(body).sort()).toEqual(['allowedCodes', 'announcement', 'basis', 'location']);
    expect(body.location).toMatchObject({ road: '中山路', km: 1.3 });
    expect(body.announcement).toBeNull();
  });
});
