import { describe, expect, it } from 'vitest';
import { camera, CATALOGUE, context, onSite } from '../rules.testing.ts';
import { codeUnknown, fineRange, penaltyAmount } from './fine-range.ts';

const ctx = context();
const redLight = CATALOGUE['1625']!; // ¥20–200, 6 points

describe('R-FINE-RANGE', () => {
  it('accepts the range ends and the catalogue points', () => {
    expect(fineRange(onSite({ fineYuan: 200, points: 6 }), redLight, ctx)).toBeUndefined();
    expect(fineRange(onSite({ fineYuan: 20, points: 6 }), redLight, ctx)).toBeUndefined();
  });

  it('¥201 and ¥19 are outside ¥20–200', () => {
    for (const fineYuan of [201, 19]) {
      const r = fineRange(onSite({ fineYuan, points: 6 }), redLight, ctx)!;
      expect(r).toMatchObject({ rule: 'R-FINE-RANGE', severity: 'medium', facts: { fineYuan, fineMin: 20, fineMax: 200 } });
      expect(r.message).toContain(`罚款${fineYuan}元超出目录幅度20至200元`);
      expect(r.basis.startsWith(redLight.basis)).toBe(true);
    }
  });

  it('points must be the catalogue’s', () => {
    expect(fineRange(onSite({ fineYuan: 200, points: 3 }), redLight, ctx)?.message).toContain('记分3分与目录规定的6分不符');
  });

  it('a warning (¥0) carries no points (L2 Art.28)', () => {
    const marking = CATALOGUE['1345']!; // on the warning list
    expect(fineRange(onSite({ violationCode: '1345', fineYuan: 0, points: 0 }), marking, ctx)).toBeUndefined();
    const r = fineRange(onSite({ violationCode: '1345', fineYuan: 0, points: 1 }), marking, ctx)!;
    expect(r.message).toContain('警告不得记分');
    expect(r.basis).toContain('《道路交通安全违法行为记分管理办法》第28条');
    // a red light is not on the warning list: a warning for it is a downgrade
    expect(fineRange(onSite({ fineYuan: 0, points: 0 }), redLight, ctx)?.message).toMatch(/不得以警告/);
  });

  it('a camera record without amounts has nothing to check', () => {
    expect(fineRange(camera({ violationCode: '1625' }), redLight, ctx)).toBeUndefined();
  });

  it('a penalty takes the given in-range fine, else the catalogue default', () => {
    expect(penaltyAmount(camera({ fineYuan: 150 }), redLight)).toEqual({ fineYuan: 150, points: 6, source: 'record' });
    expect(penaltyAmount(camera({ fineYuan: 0 }), redLight)).toEqual({ fineYuan: 200, points: 6, source: 'catalogue' });
    expect(penaltyAmount(camera(), redLight)).toEqual({ fineYuan: 200, points: 6, source: 'catalogue' });
  });
});

describe('R-CODE-UNKNOWN', () => {
  it('names the code and cites the review duty', () => {
    const r = codeUnknown(camera({ violationCode: '9999' }), ctx);
    expect(r).toMatchObject({ rule: 'R-CODE-UNKNOWN', facts: { violationCode: '9999' } });
    expect(r.message).toContain('违法代码9999');
    expect(r.basis).toContain('第19条');
  });
});
