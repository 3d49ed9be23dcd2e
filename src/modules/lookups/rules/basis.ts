// The legal basis and rationale of each look-up rule (source keys of
// ../shared/domain/enforcement-law.md §6 and lookup-audit.md in the comments). A flag is a lead
// for a human, never a verdict.
import type { LookupRuleId } from '../../../contracts/lookup-rules.ts';

const L1 = '《道路交通安全违法行为处理程序规定》';
const L5 = '《交通警察道路执勤执法工作规范》';
const L7 = '《个人信息保护法》';
const L8 = '《刑法》';
const L9 = '《最高人民法院、最高人民检察院关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》';

// L7 Art.34: state organs process personal data only within their powers and what the duty
// requires; Arts.51, 54: permissions and regular compliance audits; Art.68: correction, discipline.
const DUTY = `${L7}第34条、第51条、第54条、第68条`;

export const LOOKUP_BASIS: Record<LookupRuleId, string> = {
  // every look-up must be attributable to a person with operating permission (L7 Art.51)
  'L-UNKNOWN': `${L7}第51条、第54条`,
  // a look-up serves a stop, a case or an accident (L5 Art.42; L1 Art.9) or it exceeds the duty (L7 Art.34)
  'L-PURPOSE': `${L5}第42条；${L1}第9条；${DUTY}`,
  'L-SELF': DUTY,
  'L-KIN': DUTY,
  'L-COLLEAGUE': DUTY,
  'L-HOT': DUTY,
  'L-WATCH': DUTY,
  'L-SKEW': DUTY,
  'L-OFFDUTY': DUTY,
  // exfiltration for sale: L8 Art.253之一 (heavier when obtained on duty)
  'L-VOLUME': `${DUTY}；${L8}第253条之一`,
  'L-BULK': `${DUTY}；${L8}第253条之一`,
  // operating permissions are personal (L7 Art.51); the Luochuan and Wanning cases
  'L-SHARED': `${L7}第51条、第68条`,
  'L-LEAVER': `${L7}第51条、第68条`,
  // 50 location-track records are "serious", halved when obtained on duty (L9 Art.5; L8 Art.253之一)
  'L-CRIMINAL': `${L8}第253条之一；${L9}第5条`,
  // regular compliance audits (L7 Art.54); the UK PNC asks for a justification on a random sample
  'L-RANDOM': `${L7}第54条`,
};

/** Why each rule exists, for the explanation and the rule page. */
export const LOOKUP_RATIONALE: Record<LookupRuleId, string> = {
  'L-UNKNOWN': '查询账号在人员库中无对应人员，无法确定查询责任人。',
  'L-PURPOSE': '查询未填写事由，或事由未关联到本人参与的执法记录、案件或现场检查，可能超出履职需要。',
  'L-SELF': '查询本人身份或本人车辆信息，属于利用职权处理个人事务。',
  'L-KIN': '查询已登记亲属的身份或车辆信息，可能为私人目的使用执法数据。',
  'L-COLLEAGUE': '无事由查询同事本人或其车辆信息，可能为私人目的使用执法数据。',
  'L-HOT': '同一对象在短时间内被多人无事由查询，可能为公众人物或受害人被好奇或恶意查询。',
  'L-WATCH': '查询对象在重点关注名单中（公众人物、记者、投诉人等），需核实查询事由。',
  'L-SKEW': '查询对象的性别分布与同类人员明显不同，可能存在针对特定人群的私人查询。',
  'L-OFFDUTY': '在排班以外或非办公时间查询且无事由，与执勤执法需要不符。',
  'L-VOLUME': '查询量显著高于本人基线和同类人员，可能存在批量导出或出售信息。',
  'L-BULK': '短时间内查询大量不同对象或连号号牌，符合批量抓取信息出售的特征（每条5至7元的案例）。',
  'L-SHARED': '同一数字证书在不同终端同时使用、由多人使用或在其他单位终端使用，证书可能被共用（洛川、万宁案例）。',
  'L-LEAVER': '离职、停职或休假人员的账号仍在查询，账号可能未及时停用或被他人使用。',
  'L-CRIMINAL': '无事由查询行踪轨迹信息累计接近入罪标准（50条，履职中获取减半为25条）；标准按累计条数计，故按滚动时间窗统计，同一轮持续达到告警线只告警一次并随条数增加更新，回落到告警线以下后再次达到才另行告警。',
  'L-RANDOM': '按固定比例随机抽取查询要求说明事由，用于常态化合规审计。',
};
