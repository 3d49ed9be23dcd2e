// Enforcement records as alert evidence, for every alert this module raises.
import { beijingDateTime } from '../rules/time.ts';

/** A record as alert evidence: one readable line, its id, a link to it in the console. */
export function recordEvidence(r: { id: number; plate: string; code: string; occurredAt: number; road?: string | null; officer?: string | null; deviceId?: string | null; fineYuan?: number | null }) {
  const parts = [beijingDateTime(r.occurredAt), r.plate, r.code, r.road, r.officer ? `警号${r.officer}` : null, r.deviceId ? `设备${r.deviceId}` : null, r.fineYuan != null ? `罚款${r.fineYuan}元` : null];
  return {
    kind: 'record',
    label: parts.filter(Boolean).join(' '),
    ref: String(r.id),
    at: new Date(r.occurredAt).toISOString(),
    url: `/enforcement/records?id=${r.id}`,
  };
}
