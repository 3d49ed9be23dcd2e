// R-CASH: a fine is collected in cash on the spot only from pedestrians, passengers and non-motor
// riders (L3 Art.108; L1 Art.59), only up to ¥100 unless in a remote area (L4 Art.68, 69), and
// always against an official receipt (L4 Art.70). Motor-vehicle drivers pay at a bank or online:
// decision and collection are kept apart, so cash from a motorist is the graver finding.
import { PARTIES } from '../../../contracts/enforcement.ts';
import { reason, yuan } from '../reason.ts';
import type { Reason, RecordFacts, RuleContext } from '../types.ts';

const CASH_PARTIES = new Set(['pedestrian', 'passenger', 'nonMotor']);

export function cashCheck(record: RecordFacts, ctx: RuleContext): Reason | undefined {
  if (record.payment?.method !== 'cashOnSpot') return undefined;
  const { cashMaxYuan } = ctx.params;
  const fine = record.fineYuan ?? 0;
  const problems: { code: string; text: string }[] = [];
  if (!record.party) problems.push({ code: 'partyMissing', text: '未注明当事人类型' });
  else if (!CASH_PARTIES.has(record.party)) problems.push({ code: 'party', text: `当事人为${PARTIES[record.party]}，不得当场收缴罚款（应到银行或网上缴纳）` });
  if (fine > cashMaxYuan && !record.remoteArea) problems.push({ code: 'amount', text: `罚款${yuan(fine)}元超过当场收缴上限${cashMaxYuan}元，且不属于边远地区` });
  if (!record.payment.receiptNo) problems.push({ code: 'receipt', text: '未登记财政部门统一制发的罚款收据号' });
  if (problems.length === 0) return undefined;
  return reason(
    'R-CASH',
    ctx,
    `当场收缴罚款不合规：${problems.map((p) => p.text).join('；')}。`,
    {
      problems: problems.map((p) => p.code),
      party: record.party ?? null,
      fineYuan: record.fineYuan ?? null,
      cashMaxYuan,
      remoteArea: record.remoteArea,
      receiptNo: record.payment.receiptNo ?? null,
    },
    { severity: record.party === 'motorVehicleDriver' ? 'high' : 'medium' },
  );
}
