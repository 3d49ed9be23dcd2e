// R-EVIDENCE. A camera record needs a photo or video with its SHA-256, so what was reviewed is what
// is kept (L1 Art.18; L4 Art.41). An on-site penalty needs body-cam footage (L4 Art.47).
import { ONSITE_EVIDENCE_BASIS } from '../basis.ts';
import { reason } from '../reason.ts';
import type { Reason, RecordFacts, RuleContext } from '../types.ts';

export function isPenalty(record: Pick<RecordFacts, 'fineYuan' | 'points'>): boolean {
  return (record.fineYuan ?? 0) > 0 || (record.points ?? 0) > 0;
}

export function evidenceCheck(record: RecordFacts, ctx: RuleContext): Reason | undefined {
  const { cameraRequiresMedia, onSitePenaltyRequiresBodyCam } = ctx.params;
  if (record.kind === 'camera') {
    if (!cameraRequiresMedia) return undefined;
    const media = record.evidence.filter((e) => e.kind === 'photo' || e.kind === 'video');
    const hashed = media.filter((e) => e.sha256 !== undefined);
    if (hashed.length > 0) return undefined;
    const message =
      media.length === 0
        ? '电子监控记录没有照片或视频证据，不能作为处罚依据。'
        : `电子监控记录的${media.length}项照片或视频均无SHA-256校验值，无法确认审核所见即为留存的证据。`;
    return reason('R-EVIDENCE', ctx, message, { mediaCount: media.length, hashedMediaCount: 0, cameraRequiresMedia }, { severity: 'medium' });
  }
  if (!onSitePenaltyRequiresBodyCam || !isPenalty(record)) return undefined;
  const bodyCam = record.evidence.filter((e) => e.kind === 'bodyCam');
  if (bodyCam.length > 0) return undefined;
  return reason(
    'R-EVIDENCE',
    ctx,
    `现场处罚（罚款${record.fineYuan ?? 0}元、记${record.points ?? 0}分）没有执法记录仪视频，执法过程未全程记录。`,
    { bodyCamCount: 0, evidenceCount: record.evidence.length, fineYuan: record.fineYuan ?? null, points: record.points ?? null, onSitePenaltyRequiresBodyCam },
    { severity: 'medium', basis: ONSITE_EVIDENCE_BASIS },
  );
}
