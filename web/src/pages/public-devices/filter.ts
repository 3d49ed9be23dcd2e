// The public list's own search, in the browser: the list is one town's fixed devices, a few hundred at most.
import type { PublicDevice } from '@contracts/devices.ts';

/** Direction, kilometre post and description, as one line under the road. */
export function placeLine(d: Pick<PublicDevice, 'direction' | 'km' | 'description'>): string {
  const parts = [d.direction, d.km !== null ? `K${d.km}` : null, d.description].filter(Boolean);
  return parts.join('，') || '—';
}

export function filterPublicDevices(items: PublicDevice[], q: string, type: string | undefined): PublicDevice[] {
  const needle = q.trim().toLowerCase();
  return items.filter((d) => {
    if (type && d.type !== type) return false;
    if (!needle) return true;
    return [d.road, d.direction, d.description, d.typeLabel, ...d.violations.map((v) => v.name)].some((s) => s?.toLowerCase().includes(needle));
  });
}
