// Licence plates of civil motor vehicles (enforcement-law.md §8). Shared by the server (intake,
// look-up audit) and the console (search boxes), so a plate typed anywhere means the same thing.

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const L = 'A-HJ-NP-Z'; // letters without I and O
const X = `${L}0-9`;

const ORDINARY = new RegExp(`^[${PROVINCES}][${L}][${X}]{4}[${X}挂学警港澳领]$`);
const NEW_ENERGY_SMALL = new RegExp(`^[${PROVINCES}][${L}][DF][${X}]\\d{4}$`);
const NEW_ENERGY_LARGE = new RegExp(`^[${PROVINCES}][${L}]\\d{5}[DF]$`);
// GA 36-2018 reserves A–E (pure electric) and F–K (others) for the energy letter; some provinces
// already issue them, so a brigade may allow the wider set.
const NEW_ENERGY_SMALL_WIDE = new RegExp(`^[${PROVINCES}][${L}][A-HJK][${X}]\\d{4}$`);
const NEW_ENERGY_LARGE_WIDE = new RegExp(`^[${PROVINCES}][${L}]\\d{5}[A-HJK]$`);

export type PlateKind = 'ordinary' | 'newEnergySmall' | 'newEnergyLarge';
export type PlateResult = { ok: true; plate: string; kind: PlateKind } | { ok: false; message: string };

/** Trim, drop `·`, spaces and `-`, upper-case (§8.1). */
export function canonicalPlate(raw: string): string {
  return raw.replace(/[\s·•・\-－]/g, '').toUpperCase();
}

export function normalizePlate(raw: string, opts: { wideEnergyLetters?: boolean } = {}): PlateResult {
  const plate = canonicalPlate(raw);
  if (plate.length === 0) return { ok: false, message: '号牌不能为空' };
  if (!PROVINCES.includes(plate[0]!)) return { ok: false, message: `号牌“${plate}”的省份简称无效` };
  if (plate.length === 7 && ORDINARY.test(plate)) return { ok: true, plate, kind: 'ordinary' };
  if (plate.length === 8) {
    if (NEW_ENERGY_SMALL.test(plate) || (opts.wideEnergyLetters && NEW_ENERGY_SMALL_WIDE.test(plate))) return { ok: true, plate, kind: 'newEnergySmall' };
    if (NEW_ENERGY_LARGE.test(plate) || (opts.wideEnergyLetters && NEW_ENERGY_LARGE_WIDE.test(plate))) return { ok: true, plate, kind: 'newEnergyLarge' };
  }
  return { ok: false, message: `号牌“${plate}”格式无效（应为7位普通号牌或8位新能源号牌，字母不含I、O）` };
}

/** The 2-character issuing prefix (省份简称 + 发牌机关代号), e.g. `苏A`: what "local" is measured by. */
export function platePrefix(plate: string): string {
  return plate.slice(0, 2);
}
