import { describe, expect, it } from 'vitest';
import type { DeviceDetail } from '@contracts/devices.ts';
import { beijingDay, complianceTimeline, deviceDocuments, typeRequirements } from './labels.ts';

const device: DeviceDetail = {
  id: 'CS-001',
  type: 'speedFixed',
  location: { road: '中山路' },
  owningUnitId: 1,
  owningUnitName: '一中队',
  allowedCodes: ['1303'],
  legalReview: { date: '2026-01-03', documentNo: '法审〔2026〕1号', reviewer: '周文静' },
  technicalReview: { date: '2026-01-02', documentNo: '技审〔2026〕1号', reviewer: '李工' },
  announcement: { date: '2026-01-05', channel: '市公安局官网', url: 'https://example.gov.cn/a' },
  signage: { present: true, distanceM: 50 },
  verification: { certificateNo: 'JD-1', validFrom: '2025-06-01', validTo: '2026-05-31' },
  verificationHistory: [{ certificateNo: 'JD-0', validFrom: '2024-06-01', validTo: '2025-05-31' }],
  policeOperated: false,
  status: 'suspended',
  statusHistory: [
    { status: 'active', from: '2026-01-12', reason: '启用', documentNo: '启〔2026〕1号' },
    { status: 'suspended', from: '2026-03-01', reason: '检定证书存疑', documentNo: '停〔2026〕2号' },
  ],
  revision: 3,
  createdAt: '2026-01-01T02:00:00Z',
  updatedAt: '2026-03-01T17:00:00Z',
  today: { lawful: false, missing: [{ condition: 'status', message: '设备停用', basis: 'L1 Art.15' }] },
  // newest first, as the server lists them; 17:00 UTC is 01:00 the next day in Beijing
  revisions: [
    { revision: 3, changeKind: 'update', documentNo: '改〔2026〕3号', note: null, createdAt: '2026-03-02T03:00:00Z', createdByName: '周文静', changed: ['设置地点'] },
    { revision: 2, changeKind: 'status', documentNo: '停〔2026〕2号', note: '复核', createdAt: '2026-03-01T17:00:00Z', createdByName: '周文静', changed: ['状态'] },
    { revision: 1, changeKind: 'create', documentNo: '登〔2026〕1号', note: null, createdAt: '2026-01-01T02:00:00Z', createdByName: '周文静', changed: [] },
  ],
};

describe('complianceTimeline', () => {
  it('puts reviews, announcement, verification, status and registry changes in Beijing-day order', () => {
    const events = complianceTimeline(device, '2026-04-01');
    expect(events.map((e) => `${e.day} ${e.title}`)).toEqual([
      '2024-06-01 历史检定证书有效期起',
      '2025-05-31 历史检定证书有效期止',
      '2025-06-01 计量检定有效期起',
      '2026-01-01 台账登记（第 1 版）',
      '2026-01-02 技术审核通过',
      '2026-01-03 法制审核通过',
      '2026-01-05 向社会公布设置地点',
      '2026-01-12 状态：启用',
      '2026-03-01 状态：停用',
      '2026-03-02 台账状态变更（第 2 版）',
      '2026-03-02 台账修改（第 3 版）',
      '2026-05-31 计量检定有效期止',
    ]);
    expect(events.find((e) => e.title === '状态：停用')).toMatchObject({ tone: 'orange', documentNo: '停〔2026〕2号', detail: '原因：检定证书存疑' });
  });

  it('marks a verification that lapsed before today', () => {
    const lapsed = complianceTimeline(device, '2026-06-01').find((e) => e.day === '2026-05-31')!;
    expect(lapsed).toMatchObject({ title: '计量检定已过期', tone: 'red' });
  });
});

describe('deviceDocuments', () => {
  it('lists every document the device rests on, the announcement with its link', () => {
    const docs = deviceDocuments(device);
    expect(docs.map((d) => d.number)).toEqual(['法审〔2026〕1号', '技审〔2026〕1号', '市公安局官网', 'JD-1', 'JD-0', '启〔2026〕1号', '停〔2026〕2号', '登〔2026〕1号', '停〔2026〕2号', '改〔2026〕3号']);
    expect(docs.find((d) => d.key === 'announcement')!.url).toBe('https://example.gov.cn/a');
  });
});

describe('small helpers', () => {
  it('beijingDay reads the instant in UTC+8', () => {
    expect(beijingDay('2026-03-01T15:59:59Z')).toBe('2026-03-01');
    expect(beijingDay('2026-03-01T16:00:00Z')).toBe('2026-03-02');
  });
  it('typeRequirements follows the contract’s type rules', () => {
    expect(typeRequirements('speedMobile')).toContain('由民警操作');
    expect(typeRequirements('speedMobile')).not.toContain('设置警示标志');
    expect(typeRequirements('speedFixed')).toContain('有效的计量检定证书');
  });
});
