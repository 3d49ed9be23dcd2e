// The legal basis each rule and detector cites (source keys of ../shared/domain/enforcement-law.md
// in the comments). One place, so a citation is corrected once; a Reason carries the text it was
// decided under, so changing it here never rewrites an old decision.
import type { DetectorId, RuleId } from './types.ts';

const L1 = '《道路交通安全违法行为处理程序规定》';
const L2 = '《道路交通安全违法行为记分管理办法》';
const L3 = '《道路交通安全法》';
const L4 = '《行政处罚法》';
const L5 = '《交通警察道路执勤执法工作规范》';

export const BASIS: Record<RuleId, string> = {
  // minor first violation: warning, no points (L3 Art.87, L1 Art.42, L4 Art.33, L2 Art.28)
  'R-WARN-FIRST': `${L3}第87条；${L1}第42条；${L4}第33条；${L2}第28条`,
  // one act, one fine (L4 Art.29)
  'R-REPEAT': `${L4}第29条`,
  // capture already handled on the spot by an officer is deleted (L1 Art.22 (4))
  'R-ONSITE-HANDLED': `${L1}第22条第（四）项`,
  // fine within the statutory range the catalogue row carries; points by level (L2 Art.7, 13);
  // the catalogue row's own basis is prepended by fineRangeBasis()
  'R-FINE-RANGE': `${L2}第7条、第13条`,
  // a code the catalogue does not know cannot be reviewed as correct (L1 Art.19; L4 Art.41)
  'R-CODE-UNKNOWN': `${L1}第19条；${L4}第41条`,
  // simple procedure up to ¥200 by one officer, general procedure by ≥2 (L3 Art.107; L1 Art.43, 44, 48; L4 Art.42)
  'R-PROCEDURE': `${L3}第107条；${L1}第43条、第44条、第48条；${L4}第42条`,
  // penalties are decided by police officers; auxiliaries and wardens may not (L5 Art.5; L1 Art.44, 48)
  'R-DECIDER': `${L5}第5条；${L1}第44条、第48条`,
  // cash on the spot: pedestrians, passengers, non-motor riders; ≤¥100 or remote area; official receipt
  'R-CASH': `${L4}第68条、第69条、第70条；${L3}第108条；${L1}第59条`,
  // camera evidence must clearly show vehicle, plate, time, place, facts and be reviewed (L1 Art.18; L4 Art.41)
  'R-EVIDENCE': `${L1}第18条；${L4}第41条`,
  // review within 5 working days of capture (L1 Art.19, Art.81)
  'R-REVIEW-DUE': `${L1}第19条、第81条；${L4}第41条`,
  // no quotas, counts not used to assess officers (L3 Art.86; L1 Art.66); the cap itself is the brigade's rule
  'R-DAILY-CAP': `${L3}第86条；${L1}第66条；大队执法规则（简易程序每日上限）`,
  // a capture is evidence only from a reviewed, published, signed, verified, active device (L1 Art.15–17; L4 Art.41)
  'R-DEVICE-LAWFUL': `${L1}第15条、第16条、第17条；${L4}第41条`,
};

/** The article behind each condition of a device's lawfulness (enforcement-law.md §2). */
export const DEVICE_CONDITION_BASIS = {
  // an unregistered device has no review, announcement or verification on record (L4 Art.41)
  registered: `${L4}第41条`,
  // legal and technical review before use (L4 Art.41)
  legalReview: `${L4}第41条`,
  // standard devices, tested (L1 Art.15); technical review (L4 Art.41)
  technicalReview: `${L1}第15条；${L4}第41条`,
  // fixed-device locations published (L1 Art.16; L4 Art.41); switched on after the notice period (local practice)
  announcement: `${L1}第16条；${L4}第41条`,
  // captured behaviour clearly signed, speed-warning signs (L1 Art.16, 17; L4 Art.41)
  signage: `${L1}第16条、第17条；${L4}第41条`,
  // devices needing 检定 are evidence only after passing (L1 Art.15)
  verification: `${L1}第15条`,
  // mobile speed devices operated by police (L1 Art.17)
  operator: `${L1}第17条`,
  // a suspended or removed device is not a compliant device (L4 Art.41)
  status: `${L4}第41条`,
  // siting and signing are approved for the behaviour captured (L1 Art.16; L4 Art.41)
  code: `${L1}第16条；${L4}第41条`,
} as const;

/** On-site penalties are recorded end to end (L4 Art.47; L1 Art.15 allows 执法记录设备 as evidence). */
export const ONSITE_EVIDENCE_BASIS = `${L4}第47条；${L1}第15条`;

/** A warning carries no points (L2 Art.28). */
export const WARNING_NO_POINTS_BASIS = `${L2}第28条`;

export const DETECTOR_BASIS: Record<DetectorId, string> = {
  // the same truck fined again and again: one act fined twice (L4 Art.29), fines as revenue (L3 Art.86)
  'D-TRUCK-REPEAT': `${L4}第29条；${L3}第86条`,
  // one amount whatever the violation: charging per vehicle, fines as revenue (L3 Art.86; L4 Art.74)
  'D-FLAT-AMOUNT': `${L3}第86条；${L4}第74条`,
  // fair and proportionate handling (L1 Art.3, checked in the LawRefBook mirror), no revenue targets (L3 Art.86);
  // selective enforcement is one of the five problem kinds of the 2023 national campaign (enforcement-law.md §1)
  'D-NONLOCAL': `${L1}第3条；${L3}第86条`,
  // month-end spikes point to quotas (L3 Art.86; L1 Art.66; L4 Art.74)
  'D-PERIOD-END': `${L3}第86条；${L1}第66条；${L4}第74条`,
};

/** R-FINE-RANGE cites the catalogue row's own basis (the article giving the range) first. */
export function fineRangeBasis(catalogueBasis: string, warningWithPoints: boolean): string {
  return [catalogueBasis, BASIS['R-FINE-RANGE'], ...(warningWithPoints ? [WARNING_NO_POINTS_BASIS] : [])].join('；');
}
