// Factories for the rules' tests: a small catalogue and personnel registry of their own (so the
// tests do not move when the sample catalogue does), records, history rows and contexts.
import type { DeviceState } from '../../contracts/devices.ts';
import { DEFAULT_RULE_PARAMS, type RuleParams } from '../../contracts/rules.ts';
import type { CatalogueEntry, HistoryRecord, PersonFacts, RecordFacts, RuleContext } from './types.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Monday 2026-03-02 10:00 Beijing time. */
export const T0 = Date.parse('2026-03-02T10:00:00+08:00');
export const at = (iso: string) => Date.parse(iso);

const entry = (e: Partial<CatalogueEntry> & Pick<CatalogueEntry, 'code'>): CatalogueEntry => ({
  description: `违法代码${e.code}`,
  basis: '《道路交通安全法》第90条',
  fineMin: 20,
  fineMax: 200,
  fineDefault: 100,
  points: 0,
  category: 'marking',
  warningEligible: false,
  continuingWindowMinutes: null,
  ...e,
});

export const CATALOGUE: Record<string, CatalogueEntry> = {
  // parking: warning-eligible, 24 h continuing window
  '1039': entry({ code: '1039', description: '机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的', basis: '《道路交通安全法》第93条', fineDefault: 200, category: 'parking', warningEligible: true, continuingWindowMinutes: 1440 }),
  // parking without a catalogue window: the rule set's continuing window applies
  '1040': entry({ code: '1040', description: '机动车违反规定临时停车的', basis: '《道路交通安全法》第93条', fineDefault: 100, category: 'parking', warningEligible: true }),
  // red light: not eligible, 6 points, not a continuing act
  '1625': entry({ code: '1625', description: '驾驶机动车违反道路交通信号灯通行的', fineDefault: 200, points: 6, category: 'signal' }),
  // prohibition marking: eligible, 1 point
  '1345': entry({ code: '1345', description: '机动车违反禁止标线指示的', points: 1, warningEligible: true }),
  // pedestrian: ¥5–50
  '2001': entry({ code: '2001', description: '行人不按交通信号灯指示通行的', basis: '《道路交通安全法》第89条', fineMin: 5, fineMax: 50, fineDefault: 10, category: 'pedestrian', warningEligible: true }),
  // freight overload: ¥200–500, general procedure territory
  '6046': entry({ code: '6046', description: '货车载物超过核定载质量30%以下的', basis: '《道路交通安全法》第92条', fineMin: 200, fineMax: 500, fineDefault: 200, points: 1, category: 'overload' }),
};

export const PEOPLE: Record<string, PersonFacts> = {
  '010001': { badgeNo: '010001', name: '张伟', category: 'police', status: 'active' },
  '010002': { badgeNo: '010002', name: '李强', category: 'police', status: 'active' },
  '010003': { badgeNo: '010003', name: '王军', category: 'police', status: 'left' },
  '010004': { badgeNo: '010004', name: '赵磊', category: 'police', status: 'suspended' },
  F10001: { badgeNo: 'F10001', name: '陈辅', category: 'auxiliary', status: 'active' },
};

/**
 * A device lawful since long before T0 for every code of CATALOGUE (and for 9999, a code the
 * catalogue does not know, so R-CODE-UNKNOWN shows on its own): reviewed, announced, signed,
 * verified through 2030, active since 2025-01-01.
 */
export function lawfulDevice(over: Partial<DeviceState> = {}): DeviceState {
  return {
    id: 'CAM-01',
    revision: 1,
    type: 'speedFixed',
    allowedCodes: [...Object.keys(CATALOGUE), '9999'],
    legalReview: { date: '2024-11-01', documentNo: '法审〔2024〕1号', reviewer: '法制大队' },
    technicalReview: { date: '2024-11-15', documentNo: '技审〔2024〕1号', reviewer: '科技科' },
    announcement: { date: '2024-12-02', channel: '市公安局交警支队官网' },
    signage: { present: true, distanceM: 200 },
    verification: { certificateNo: 'JD-2025-001', validFrom: '2025-01-01', validTo: '2030-12-31' },
    verificationHistory: [],
    policeOperated: false,
    statusHistory: [{ status: 'active', from: '2025-01-01', reason: '启用', documentNo: '启〔2025〕1号' }],
    ...over,
  };
}

/** The tests' device registry: the record factories' CAM-01 and CAM-02, both lawful. */
export const DEVICES: Record<string, DeviceState> = {
  'CAM-01': lawfulDevice(),
  'CAM-02': lawfulDevice({ id: 'CAM-02', type: 'redLight', verification: null }),
};

export function context(params: Partial<RuleParams> = {}, ruleSetVersion = 7, devices: Record<string, DeviceState> = DEVICES): RuleContext {
  return {
    ruleSetVersion,
    params: { ...DEFAULT_RULE_PARAMS, ...params },
    catalogue: (code) => CATALOGUE[code],
    people: (badge) => PEOPLE[badge],
    devices: (id) => devices[id],
  };
}

export const SHA = 'a'.repeat(64);
export const PLATE = '苏A12345';
export const ROAD = '中山路';

export function camera(over: Partial<RecordFacts> = {}): RecordFacts {
  return {
    kind: 'camera',
    plate: PLATE,
    vehicleType: 'smallPassenger',
    violationCode: '1345',
    occurredAt: T0,
    place: { road: ROAD, direction: '东向西', km: 10 },
    deviceId: 'CAM-01',
    assistants: [],
    remoteArea: false,
    evidence: [{ kind: 'photo', ref: 'oss://p/1.jpg', sha256: SHA }],
    ...over,
  };
}

/** A compliant simple-procedure fine by an active officer, with body-cam footage. */
export function onSite(over: Partial<RecordFacts> = {}): RecordFacts {
  return {
    kind: 'onSite',
    plate: PLATE,
    vehicleType: 'smallPassenger',
    violationCode: '1625',
    occurredAt: T0,
    place: { road: ROAD, direction: '东向西', km: 10 },
    decidingOfficer: '010001',
    assistants: [],
    procedure: 'simple',
    party: 'motorVehicleDriver',
    fineYuan: 200,
    points: 6,
    payment: { method: 'online' },
    remoteArea: false,
    evidence: [{ kind: 'bodyCam', ref: 'oss://b/1.mp4' }],
    ...over,
  };
}

let nextId = 1000;
/** A history row of the same plate; by default a handled camera penalty a year earlier. */
export function past(over: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    id: nextId++,
    kind: 'camera',
    plate: PLATE,
    violationCode: '1345',
    occurredAt: T0 - 365 * DAY,
    place: { road: ROAD, direction: '东向西', km: 10 },
    deviceId: 'CAM-01',
    outcome: 'penalty',
    handled: true,
    ...over,
  };
}
