// "Same place" and "near" as the rules define them. Distances are rounded to metres before they
// are compared, so 10.1 km and 11.1 km are 1 km apart, as a legal officer reads them.
import type { Place } from '../../contracts/enforcement.ts';

const EARTH_RADIUS_KM = 6371.0088;

const roadKey = (p: Place) => p.road.replace(/\s+/g, '');

export function sameRoad(a: Place, b: Place): boolean {
  return roadKey(a) === roadKey(b);
}

/** |Δkm| of two 公里桩 readings, when both have one. */
export function kmApart(a: Place, b: Place): number | undefined {
  return a.km !== undefined && b.km !== undefined ? round3(Math.abs(a.km - b.km)) : undefined;
}

/** Great-circle distance in km, when both have coordinates. */
export function haversineKm(a: Place, b: Place): number | undefined {
  if (a.lat === undefined || a.lon === undefined || b.lat === undefined || b.lon === undefined) return undefined;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return round3(2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h))));
}

export type PlaceMatch =
  | { match: true; by: 'device'; deviceId: string }
  | { match: true; by: 'kilometre'; road: string; kmApart: number; limitKm: number }
  | { match: true; by: 'coordinates'; distanceKm: number; limitKm: number }
  | { match: true; by: 'roadDirection'; road: string; direction: string | null }
  | { match: true; by: 'road'; road: string }
  | { match: false };

interface Located {
  place: Place;
  deviceId?: string;
}

/**
 * R-REPEAT: the same device, or the same road with |Δkm| ≤ segmentKm; without 公里桩 on both,
 * the same road and direction.
 */
export function sameRepeatPlace(a: Located, b: Located, segmentKm: number): PlaceMatch {
  if (a.deviceId !== undefined && a.deviceId === b.deviceId) return { match: true, by: 'device', deviceId: a.deviceId };
  if (!sameRoad(a.place, b.place)) return { match: false };
  const km = kmApart(a.place, b.place);
  if (km !== undefined) return km <= segmentKm ? { match: true, by: 'kilometre', road: a.place.road, kmApart: km, limitKm: segmentKm } : { match: false };
  if ((a.place.direction ?? '') !== (b.place.direction ?? '')) return { match: false };
  return { match: true, by: 'roadDirection', road: a.place.road, direction: a.place.direction ?? null };
}

/**
 * R-ONSITE-HANDLED: within limitKm by coordinates (both have lat/lon), or on the same road with
 * |Δkm| ≤ limitKm; the same road alone when neither measure can be taken.
 */
export function nearPlace(a: Place, b: Place, limitKm: number): PlaceMatch {
  const d = haversineKm(a, b);
  if (d !== undefined && d <= limitKm) return { match: true, by: 'coordinates', distanceKm: d, limitKm };
  if (!sameRoad(a, b)) return { match: false };
  const km = kmApart(a, b);
  if (km !== undefined) return km <= limitKm ? { match: true, by: 'kilometre', road: a.road, kmApart: km, limitKm } : { match: false };
  if (d !== undefined) return { match: false };
  return { match: true, by: 'road', road: a.road };
}

/** How a match reads in a zh-CN message. */
export function describeMatch(m: PlaceMatch & { match: true }): string {
  switch (m.by) {
    case 'device':
      return `同一监控设备（${m.deviceId}）`;
    case 'kilometre':
      return `同在${m.road}，公里桩相差${m.kmApart}公里（不超过${m.limitKm}公里）`;
    case 'coordinates':
      return `两地相距${m.distanceKm}公里（不超过${m.limitKm}公里）`;
    case 'roadDirection':
      return `同在${m.road}${m.direction ? `（${m.direction}）` : ''}，无公里桩，按同一道路同一方向判定`;
    case 'road':
      return `同在${m.road}，无公里桩和坐标，按同一道路判定`;
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
