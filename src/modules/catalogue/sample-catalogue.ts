// A SAMPLE violation catalogue (违法代码), built from ../shared/domain/enforcement-law.md §3 and §5.
// It is not any province's list: codes follow GA 408.1 where the domain notes name them (1039,
// 1625, 1345) and are otherwise illustrative; amounts sit inside the statutory ranges. A brigade
// imports its province's list (违法代码 → 导入), which becomes the current catalogue version.
import type { CatalogueRow } from '../../contracts/catalogue.ts';

/** A catalogue row as the import and the export carry it (the sample is one such file's content). */
export type SampleCatalogueRow = CatalogueRow;

const FROM = '2022-04-01'; // the 2022 point rules (L2) came into force; codes were revised then

export const SAMPLE_CATALOGUE: readonly SampleCatalogueRow[] = [
  { code: '1039', description: '机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的', basis: '《道路交通安全法》第93条', fineMin: 20, fineMax: 200, fineDefault: 200, points: 0, category: 'parking', warningEligible: true, continuingWindowMinutes: 1440, effectiveFrom: FROM, effectiveTo: null },
  { code: '1625', description: '驾驶机动车违反道路交通信号灯通行的', basis: '《道路交通安全法》第90条；《记分管理办法》第10条', fineMin: 20, fineMax: 200, fineDefault: 200, points: 6, category: 'signal', warningEligible: false, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1345', description: '机动车违反禁止标线指示的', basis: '《道路交通安全法》第90条；《记分管理办法》第12条', fineMin: 20, fineMax: 200, fineDefault: 100, points: 1, category: 'marking', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1344', description: '机动车违反禁令标志指示的', basis: '《道路交通安全法》第90条；《记分管理办法》第12条', fineMin: 20, fineMax: 200, fineDefault: 100, points: 1, category: 'marking', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1042', description: '不按规定车道行驶的', basis: '《道路交通安全法》第90条', fineMin: 20, fineMax: 200, fineDefault: 100, points: 0, category: 'marking', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1301', description: '驾驶机动车在高速公路以外的道路上超过规定时速未达20%的', basis: '《道路交通安全法》第90条', fineMin: 20, fineMax: 200, fineDefault: 50, points: 0, category: 'speed', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1636', description: '驾驶机动车超过规定时速50%以上的', basis: '《道路交通安全法》第99条', fineMin: 200, fineMax: 2000, fineDefault: 1000, points: 12, category: 'speed', warningEligible: false, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1240', description: '驾驶人未按规定使用安全带的', basis: '《道路交通安全法》第90条；《记分管理办法》第12条', fineMin: 20, fineMax: 200, fineDefault: 50, points: 1, category: 'equipment', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1223', description: '驾驶机动车时手持电话等妨碍安全驾驶的', basis: '《道路交通安全法》第90条；《记分管理办法》第11条', fineMin: 20, fineMax: 200, fineDefault: 100, points: 3, category: 'driving', warningEligible: false, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1357', description: '驾驶机动车行经人行横道不按规定减速、停车、避让行人的', basis: '《道路交通安全法》第90条；《记分管理办法》第11条', fineMin: 20, fineMax: 200, fineDefault: 100, points: 3, category: 'driving', warningEligible: false, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '1349', description: '在禁止鸣喇叭的区域或路段鸣喇叭的', basis: '《道路交通安全法》第90条', fineMin: 20, fineMax: 200, fineDefault: 50, points: 0, category: 'driving', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '6046', description: '货车载物超过核定载质量30%以下的', basis: '《道路交通安全法》第92条', fineMin: 200, fineMax: 500, fineDefault: 200, points: 1, category: 'overload', warningEligible: false, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '6047', description: '货车载物超过核定载质量30%以上的', basis: '《道路交通安全法》第92条', fineMin: 500, fineMax: 2000, fineDefault: 1000, points: 6, category: 'overload', warningEligible: false, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '2001', description: '行人不按交通信号灯指示通行的', basis: '《道路交通安全法》第89条', fineMin: 5, fineMax: 50, fineDefault: 10, points: 0, category: 'pedestrian', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '2002', description: '非机动车驾驶人违反交通信号通行的', basis: '《道路交通安全法》第89条', fineMin: 5, fineMax: 50, fineDefault: 20, points: 0, category: 'nonMotor', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
  { code: '2003', description: '乘车人违反规定妨碍驾驶人安全驾驶的', basis: '《道路交通安全法》第89条', fineMin: 5, fineMax: 50, fineDefault: 10, points: 0, category: 'pedestrian', warningEligible: true, continuingWindowMinutes: null, effectiveFrom: FROM, effectiveTo: null },
];
