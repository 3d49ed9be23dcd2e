import { describe, expect, it } from 'vitest';
import { camera, context, onSite, SHA } from '../rules.testing.ts';
import { evidenceCheck } from './evidence.ts';

const ctx = context();

describe('R-EVIDENCE', () => {
  it('camera: a photo or video with its SHA-256 is enough', () => {
    expect(evidenceCheck(camera(), ctx)).toBeUndefined();
    expect(evidenceCheck(camera({ evidence: [{ kind: 'video', ref: 'v', sha256: SHA }] }), ctx)).toBeUndefined();
  });

  it('camera: no media, or media without SHA-256, fails', () => {
    const none = evidenceCheck(camera({ evidence: [] }), ctx)!;
    expect(none).toMatchObject({ rule: 'R-EVIDENCE', facts: { mediaCount: 0 } });
    expect(none.message).toContain('没有照片或视频');
    const unhashed = evidenceCheck(camera({ evidence: [{ kind: 'photo', ref: 'p' }] }), ctx)!;
    expect(unhashed.facts).toMatchObject({ mediaCount: 1, hashedMediaCount: 0 });
    expect(unhashed.message).toContain('SHA-256');
    // body-cam footage is not a capture's evidence
    expect(evidenceCheck(camera({ evidence: [{ kind: 'bodyCam', ref: 'b', sha256: SHA }] }), ctx)).toBeDefined();
  });

  it('camera: off when the rule set does not require media', () => {
    expect(evidenceCheck(camera({ evidence: [] }), context({ cameraRequiresMedia: false }))).toBeUndefined();
  });

  it('on-site: a penalty needs body-cam footage; a warning does not', () => {
    const noCam = onSite({ evidence: [{ kind: 'photo', ref: 'p', sha256: SHA }] });
    const r = evidenceCheck(noCam, ctx)!;
    expect(r).toMatchObject({ rule: 'R-EVIDENCE', severity: 'medium' });
    expect(r.basis).toContain('《行政处罚法》第47条');
    expect(evidenceCheck(onSite({ evidence: [], fineYuan: 0, points: 0 }), ctx)).toBeUndefined();
    expect(evidenceCheck(onSite({ evidence: [], fineYuan: 0, points: 1 }), ctx)).toBeDefined();
    expect(evidenceCheck(noCam, context({ onSitePenaltyRequiresBodyCam: false }))).toBeUndefined();
  });
});
