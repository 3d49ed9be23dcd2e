import type { NewPerson, NewUnit } from '../modules/org/bulk.service.ts';
import type { RoleCode } from '../contracts/permissions.ts';
import type { Random } from './random.ts';

// Surnames weighted roughly by frequency (the common ones appear several times).
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤王李张刘陈杨';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉鹏飞斌宇浩凯健俊帆帅旭宁龙林阳波海峰亮成晨博磊鑫晓东雪梅琳玲婷慧颖倩';

export const DEMO_UNITS: NewUnit[] = [
  { key: 'detachment', parentKey: null, name: '清澜市公安局交通警察支队', kind: 'detachment', code: '320500', sortOrder: 0 },
  { key: 'brigade', parentKey: 'detachment', name: '城区大队', kind: 'brigade', code: '320501', sortOrder: 1 },
  { key: 'office', parentKey: 'brigade', name: '大队综合室', kind: 'office', code: '32050100', sortOrder: 0 },
  { key: 'sq1', parentKey: 'brigade', name: '一中队', kind: 'squadron', code: '32050101', sortOrder: 1 },
  { key: 'sq2', parentKey: 'brigade', name: '二中队', kind: 'squadron', code: '32050102', sortOrder: 2 },
  { key: 'sq3', parentKey: 'brigade', name: '三中队', kind: 'squadron', code: '32050103', sortOrder: 3 },
  { key: 'sq4', parentKey: 'brigade', name: '高速中队', kind: 'squadron', code: '32050104', sortOrder: 4 },
];

/** The people behind the demo accounts: one per role, each in the unit that role works from. */
export const DEMO_ACCOUNT_PEOPLE: Array<{ role: RoleCode; name: string; badgeNo: string; unitKey: string; position: string; category: 'police' | 'auxiliary' }> = [
  { role: 'admin', name: '陈思远', badgeNo: '050001', unitKey: 'office', position: '信息通信管理员', category: 'police' },
  { role: 'auditor', name: '林晓岚', badgeNo: '050002', unitKey: 'office', position: '审计管理员', category: 'police' },
  { role: 'leader', name: '赵建国', badgeNo: '050003', unitKey: 'brigade', position: '大队长', category: 'police' },
  { role: 'squadron_leader', name: '孙志强', badgeNo: '050004', unitKey: 'sq1', position: '中队长', category: 'police' },
  { role: 'legal', name: '周文静', badgeNo: '050005', unitKey: 'office', position: '法制员', category: 'police' },
  { role: 'inspector', name: '吴海峰', badgeNo: '050006', unitKey: 'office', position: '督察', category: 'police' },
  { role: 'officer', name: '郑宇航', badgeNo: '050007', unitKey: 'sq1', position: '民警', category: 'police' },
  { role: 'auxiliary', name: '王小磊', badgeNo: 'F50008', unitKey: 'sq1', position: '辅警', category: 'auxiliary' },
];

function chineseName(r: Random): string {
  const given = r.chance(0.6) ? r.pick([...GIVEN]) + r.pick([...GIVEN]) : r.pick([...GIVEN]);
  return r.pick([...SURNAMES]) + given;
}

function phone(r: Random): string {
  return `1${r.pick(['33', '35', '37', '38', '39', '50', '58', '59', '77', '80', '86', '89'])}${String(r.int(0, 99_999_999)).padStart(8, '0')}`;
}

/**
 * About 120 people across the four squadrons and the office, about 40% of them 辅警.
 * 民警 badge numbers are six digits; 辅警 numbers carry an F prefix, as many brigades do.
 */
export function demoPersonnel(r: Random, unitIds: Map<string, number>): NewPerson[] {
  const people: NewPerson[] = DEMO_ACCOUNT_PEOPLE.map((p) => ({
    name: p.name,
    badgeNo: p.badgeNo,
    category: p.category,
    unitId: unitIds.get(p.unitKey)!,
    position: p.position,
    phone: phone(r),
  }));
  const plan: Array<[string, number]> = [['office', 8], ['sq1', 26], ['sq2', 26], ['sq3', 26], ['sq4', 26]];
  let police = 100;
  let auxiliary = 100;
  for (const [unitKey, size] of plan) {
    for (let i = 0; i < size; i++) {
      // 12 of every 26 in a squadron: with the office all 民警, about 40% of the brigade.
      const isAux = unitKey !== 'office' && (i % 5 === 1 || i % 5 === 3 || i === 5 || i === 15);
      const position = isAux ? '辅警' : i === 0 && unitKey !== 'office' ? '副中队长' : unitKey === 'office' ? r.pick(['内勤', '宣传民警', '法制民警', '秩序民警']) : '民警';
      people.push({
        name: chineseName(r),
        badgeNo: isAux ? `F5${String(auxiliary++).padStart(4, '0')}` : `05${String(police++).padStart(4, '0')}`,
        category: isAux ? 'auxiliary' : 'police',
        unitId: unitIds.get(unitKey)!,
        position,
        phone: phone(r),
      });
    }
  }
  return people;
}
