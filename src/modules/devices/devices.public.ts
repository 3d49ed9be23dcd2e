// The public list of fixed devices (L1 Art.16: fixed-device locations are published): every
// announced, active, fixed device with its location, type, the violations it captures and the day
// it was announced — nothing else (no documents, no reviewers, no certificates, no unit).
import { sql } from 'kysely';
import { DEVICE_TYPE_RULES, DEVICE_TYPES, type DeviceState, type PublicDevice } from '../../contracts/devices.ts';
import type { Db } from '../../platform/db/database.ts';
import { loadCatalogue } from '../catalogue/catalogue.service.ts';
import { statusOn } from '../rules/checks/device-lawful.ts';
import { beijingDay } from '../rules/time.ts';
import { asJson } from './devices.repo.ts';

const FIXED_TYPES = Object.entries(DEVICE_TYPE_RULES).filter(([, r]) => r.fixed).map(([t]) => t);

export async function publicDevices(db: Db, now = Date.now()): Promise<{ items: PublicDevice[]; total: number }> {
  const today = beijingDay(now);
  // Announced and fixed in SQL; "active today" from the status history (a suspension dated today
  // counts at once, whatever the status column said when it was written).
  const { rows } = await sql<{ id: string; type: string; road: string; direction: string | null; km: number | null; lat: number | null; lon: number | null; location_description: string | null; allowed_codes: string[]; announced_on: string; status_history: unknown }>`
    SELECT id, type, road, direction, km, lat, lon, location_description, allowed_codes,
           to_char(announcement_date, 'YYYY-MM-DD') AS announced_on, status_history
      FROM devices
     WHERE announcement_date IS NOT NULL AND announcement_date <= ${today}::date
       AND type = ANY(${FIXED_TYPES}::text[]) AND status <> 'removed'
     ORDER BY road, km NULLS LAST, id`.execute(db);
  const catalogue = await loadCatalogue(db);
  const items = rows
    .filter((r) => statusOn({ statusHistory: asJson<DeviceState['statusHistory']>(r.status_history) }, today)?.status === 'active')
    .map((r) => ({
      type: r.type as PublicDevice['type'],
      typeLabel: DEVICE_TYPES[r.type as PublicDevice['type']],
      road: r.road,
      direction: r.direction,
      km: r.km === null ? null : Number(r.km),
      lat: r.lat === null ? null : Number(r.lat),
      lon: r.lon === null ? null : Number(r.lon),
      description: r.location_description,
      violations: r.allowed_codes.map((code) => ({ code, name: catalogue.entryAt(code, now)?.description ?? code })),
      announcedOn: r.announced_on,
    }));
  return { items, total: items.length };
}
