// For tests that send camera records: register their devices, lawful since 2020 for every code of
// the current catalogue (or as the test says), so R-DEVICE-LAWFUL holds only what a test means it to.
import type { Db } from '../../platform/db/database.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { loadCatalogue } from '../catalogue/catalogue.service.ts';
import { topUnit } from '../org/bulk.service.ts';
import { saveRevisions, type DeviceRecord } from './devices.service.ts';

/** A lawful device record (type `other`: signage needed, no verification). */
export function lawfulDeviceRecord(id: string, owningUnitId: number, allowedCodes: string[], over: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    id,
    type: 'other',
    location: { road: '测试路' },
    owningUnitId,
    allowedCodes,
    legalReview: { date: '2020-01-02', documentNo: '法审〔2020〕1号', reviewer: '法制大队' },
    technicalReview: { date: '2020-01-02', documentNo: '技审〔2020〕1号', reviewer: '科技科' },
    announcement: { date: '2020-01-02', channel: '支队官网' },
    signage: { present: true, distanceM: 100 },
    verification: null,
    verificationHistory: [],
    policeOperated: false,
    statusHistory: [{ status: 'active', from: '2020-01-20', reason: '启用', documentNo: '启〔2020〕1号' }],
    ...over,
  };
}

/**
 * Registers devices in one transaction (revision 1, ledgered). A bare id is a lawful device of the
 * top unit allowed every code of the current catalogue.
 */
export async function registerDevices(db: Db, devices: ReadonlyArray<string | (Partial<DeviceRecord> & { id: string })>, unitId?: number): Promise<void> {
  const unit = unitId ?? (await topUnit(db))?.id;
  if (unit === undefined) throw new Error('registerDevices: no unit yet');
  const codes = (await loadCatalogue(db)).codes();
  const records = devices.map((d) => (typeof d === 'string' ? lawfulDeviceRecord(d, unit, codes) : lawfulDeviceRecord(d.id, d.owningUnitId ?? unit, d.allowedCodes ?? codes, d)));
  await db.transaction().execute((trx) =>
    saveRevisions(trx, bootstrapContext('测试设备'), records.map((record) => ({ record, revision: 1, kind: 'create', basis: { documentNo: '测试登记' }, changed: [] }))),
  );
}
