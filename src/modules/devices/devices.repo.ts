// SQL over the devices module's own tables. The intake reads a batch's devices in one query;
// replays read one revision; writes go through devices.service.ts.
import { sql } from 'kysely';
import type { DeviceState } from '../../contracts/devices.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import type { DeviceTables } from './devices.tables.ts';

export const t = (db: Db | Tx) => db.withTables<DeviceTables>();

export const asJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** A registered device as the intake needs it: the rules' view and the unit its captures belong to. */
export interface RegisteredDevice {
  state: DeviceState;
  owningUnitId: number;
}

/** The current revision of each of `ids` that is registered — one query, whatever the number of ids. */
export async function registryFor(q: Db | Tx, ids: readonly string[]): Promise<Map<string, RegisteredDevice>> {
  const out = new Map<string, RegisteredDevice>();
  if (ids.length === 0) return out;
  const { rows } = await sql<{ id: string; owning_unit_id: number; state: unknown }>`
    SELECT d.id, d.owning_unit_id, r.state
      FROM devices d JOIN device_revisions r ON r.device_id = d.id AND r.revision = d.revision
     WHERE d.id = ANY(${[...new Set(ids)]}::text[])`.execute(q);
  for (const r of rows) out.set(r.id, { state: asJson<DeviceState>(r.state), owningUnitId: r.owning_unit_id });
  return out;
}

/** Given (device id, revision) pairs, the states they name — one query (replays, retroactive findings). */
export async function revisionStates(q: Db | Tx, pairs: ReadonlyArray<{ deviceId: string; revision: number }>): Promise<Map<string, DeviceState>> {
  const out = new Map<string, DeviceState>();
  if (pairs.length === 0) return out;
  const { rows } = await sql<{ device_id: string; revision: number; state: unknown }>`
    SELECT r.device_id, r.revision, r.state
      FROM device_revisions r
      JOIN unnest(${pairs.map((p) => p.deviceId)}::text[], ${pairs.map((p) => p.revision)}::int[]) AS k(device_id, revision)
        ON r.device_id = k.device_id AND r.revision = k.revision`.execute(q);
  for (const r of rows) out.set(`${r.device_id}#${r.revision}`, asJson<DeviceState>(r.state));
  return out;
}
