// The misconduct the enforcement demo injects, one block per case, and the ground truth of it.
import type { VehicleType } from '../contracts/enforcement.ts';
import { BEIJING_OFFSET, HOUR, MINUTE, beijingDay, beijingIso } from './beijing-time.ts';
import { DEMO_CAMERAS, type CameraType, type DemoCamera } from './cameras.demo.ts';
import type { EnforcementPerson } from './enforcement.demo.ts';
import type { GroundTruthCase } from './ground-truth.ts';
import { driverFor, FREIGHT_TYPES, platePools } from './plates.demo.ts';
import { seededRandom } from './random.ts';
import { cameraDraft, cameraEvidence, cameraPlace, catalogueEntry, onSiteDraft, round, sha256Hex, spotNear, variedFine, type Draft, type IntakeEvidence, type OnSiteSpec } from './rows.demo.ts';
import { streamSeed } from './sampling.ts';
import { byRoad, type World } from './world.demo.ts';

/**
 * The misconduct on top of the background, and its ground truth. Independent of the background
 * sizes. Every injected record breaks only the rule of its case; records that only support a case
 * (a first capture, the on-site half of a pair, a prior warning) are clean.
 */
export function planMisconduct(w: World): { drafts: Draft[]; cases: GroundTruthCase[]; idNumbers: Set<string> } {
  const r = seededRandom(streamSeed(w.seed, 3, 0));
  const idNumbers = new Set<string>();
  const pools = platePools();
  const drafts: Draft[] = [];
  const cases: GroundTruthCase[] = [];
  const { roles } = w;

  // ---- calendar
  const weekday = (d: number) => new Date(w.dayStart(d) + BEIJING_OFFSET).getUTCDay();
  const dayOfMonth = (d: number) => new Date(w.dayStart(d) + BEIJING_OFFSET).getUTCDate();
  const mid = Math.floor(w.days / 2);
  const capDay =
    Array.from({ length: w.days }, (_, k) => mid + (k % 2 ? -1 : 1) * Math.ceil(k / 2)).find(
      (d) => d > 0 && d < w.days - 3 && weekday(d) >= 1 && weekday(d) <= 5 && dayOfMonth(d) >= 10 && dayOfMonth(d) <= 20,
    ) ?? mid;
  /** days an officer's injected records may fall on: not a month's last 3 days, not the cap day */
  const safe = Array.from({ length: w.days - 4 }, (_, i) => i + 1).filter((d) => !w.monthEnd[d] && d !== capDay);
  const spread = (n: number, phase: number) => Array.from({ length: n }, (_, i) => safe[Math.floor(((i + phase) / n) * safe.length)]!);
  const at = (d: number, fromHour: number, toHour: number) => w.dayStart(d) + r.int(fromHour * 60, toHour * 60 - 1) * MINUTE + r.int(0, 59) * 1000;
  const lastDays = [w.days - 2, w.days - 1];

  // ---- people and places
  const squadOf = (badge: string) => w.squadOf.get(badge) ?? w.squads[0]!;
  const spot = (badge: string) => spotNear(r, r.pick(squadOf(badge).cameras), 1.5);
  // The flat-amount and non-local officers' freight work is spread over the brigade's roads (joint
  // operations), one record per road in turn, so no road inherits their pattern.
  const brigadeRoads = byRoad(w.squads.flatMap((sq) => sq.cameras));
  let brigadeTurn = 0;
  const brigadeSpot = () => spotNear(r, r.pick(brigadeRoads[brigadeTurn++ % brigadeRoads.length]!), 1.5);
  const policeHelper = (badge: string) => r.pick(squadOf(badge).police.filter((b) => b !== badge));
  let otherTurn = 0;
  const another = () => roles.others[otherTurn++ % roles.others.length]!;
  const carPlate = (nonLocal = false) => (nonLocal ? pools.injectedCarNonLocal : pools.injectedCarLocal).next();
  const freightPlate = (nonLocal = false) => (nonLocal ? pools.injectedFreightNonLocal : pools.injectedFreightLocal).next();
  const camerasOf = (type: CameraType) => DEMO_CAMERAS.filter((c) => c.type === type);
  let receiptSeq = 0;
  const receipt = (ms: number) => `SJ${beijingDay(ms)}9${String(++receiptSeq).padStart(5, '0')}`;

  type InjectedOnSite = Omit<OnSiteSpec, 'vehicleType' | 'place' | 'driver' | 'points'> & Partial<Pick<OnSiteSpec, 'vehicleType' | 'place' | 'driver' | 'points'>>;
  const onSite = (s: InjectedOnSite): string => {
    const party = s.party ?? 'motorVehicleDriver';
    const entry = catalogueEntry(s.code);
    const points = s.points ?? (s.fine > 0 ? entry.points : 0);
    drafts.push(onSiteDraft({ ...s, points, vehicleType: s.vehicleType ?? 'smallPassenger', place: s.place ?? spot(s.officer), driver: s.driver ?? driverFor(r, s.plate, party, idNumbers) }));
    return s.externalId;
  };
  const capture = (s: { externalId: string; ms: number; camera: DemoCamera; plate: string; vehicleType?: VehicleType; code: string; fineYuan?: number; evidence?: IntakeEvidence }): string => {
    drafts.push(cameraDraft({ ...s, vehicleType: s.vehicleType ?? 'smallPassenger', evidence: s.evidence ?? cameraEvidence(r, s.externalId, s.camera.deviceId, s.ms) }));
    return s.externalId;
  };
  const bank = () => ({ method: r.chance(0.5) ? ('bank' as const) : ('online' as const) });

  // ---- D-TRUCK-REPEAT at a checkpoint: 5 penalties in 19 days, 5 days, 5 codes (no R-REPEAT merge)
  {
    const cp = camerasOf('checkpoint').find((c) => c.owningUnitKey === 'sq3') ?? camerasOf('checkpoint')[0]!;
    const plate = freightPlate();
    const d0 = Math.floor(w.days * 0.25);
    ['6046', '1223', '1636', '6047', '1240'].forEach((code, i) =>
      capture({ externalId: `GT-TRUCK-CP-${i + 1}`, ms: at(d0 + [0, 4, 8, 13, 18][i]!, 9, 17), camera: cp, plate, vehicleType: 'heavyTruck', code }),
    );
    cases.push({
      id: 'D-TRUCK-REPEAT-1',
      rule: 'D-TRUCK-REPEAT',
      description: `重型货车${plate}在19天内于${cp.description}（${cp.deviceId}）被电子监控处罚5次（5个不同日期、5种违法行为）`,
      expect: { subjects: [{ kind: 'vehicle', id: plate }] },
    });
  }

  // ---- D-TRUCK-REPEAT by one officer: 4 penalties in under 20 days
  {
    const officer = roles.truckRepeat;
    const plate = freightPlate();
    const from = Math.floor(w.days * 0.55);
    const window = safe.filter((d) => d >= from && d < from + 19);
    const plan: Array<[string, number]> = [['6046', 300], ['1223', 100], ['1625', 150], ['1357', 100]];
    plan.forEach(([code, fine], i) =>
      onSite({
        externalId: `GT-TRUCK-OFF-${i + 1}`,
        ms: at(window[Math.floor((i * window.length) / 4)]!, 9, 17),
        officer,
        assistants: fine > 200 ? [policeHelper(officer)] : [],
        plate,
        vehicleType: 'mediumTruck',
        code,
        fine,
        payment: bank(),
      }),
    );
    cases.push({
      id: 'D-TRUCK-REPEAT-2',
      rule: 'D-TRUCK-REPEAT',
      description: `中型货车${plate}在20天内被民警${officer}现场处罚4次`,
      expect: { subjects: [{ kind: 'vehicle', id: plate }] },
    });
  }

  // ---- D-FLAT-AMOUNT: all of one officer's freight fines are ¥200, over 4 codes whose range holds 200
  {
    const officer = roles.flatAmount;
    const codes = ['1625', '1223', '1357', '6046'];
    spread(20, 0.3).forEach((d, i) =>
      onSite({
        externalId: `GT-FLAT-${i + 1}`,
        ms: at(d, 8, 18),
        officer,
        place: brigadeSpot(),
        plate: freightPlate(i % 4 === 3),
        vehicleType: FREIGHT_TYPES.pick(r),
        code: codes[i % codes.length]!,
        fine: 200,
        payment: bank(),
      }),
    );
    cases.push({
      id: 'D-FLAT-AMOUNT-1',
      rule: 'D-FLAT-AMOUNT',
      description: `民警${officer}对货车的20笔现场罚款均为200元，涉及4种违法代码（固定金额罚款）`,
      expect: { subjects: [{ kind: 'officer', id: officer }] },
    });
  }

  // ---- D-NONLOCAL: 26 of one officer's 30 freight penalties on non-local plates (87%, baseline ~25%)
  {
    const officer = roles.nonLocal;
    const codes = ['6046', '1223', '1625', '1357', '6047'];
    spread(30, 0.6).forEach((d, i) => {
      const code = codes[i % codes.length]!;
      const fine = variedFine(r, code);
      onSite({
        externalId: `GT-NONLOCAL-${i + 1}`,
        ms: at(d, 8, 18),
        officer,
        place: brigadeSpot(),
        assistants: fine > 200 ? [policeHelper(officer)] : [],
        plate: freightPlate(i % 9 !== 0),
        vehicleType: FREIGHT_TYPES.pick(r),
        code,
        fine,
        payment: bank(),
      });
    });
    cases.push({
      id: 'D-NONLOCAL-1',
      rule: 'D-NONLOCAL',
      description: `民警${officer}处罚的30起货车违法中26起为外地号牌（约87%，全大队约25%）`,
      expect: { subjects: [{ kind: 'officer', id: officer }] },
    });
  }

  // ---- D-PERIOD-END: 8 extra penalties a day on the last 3 days of each month, at one road (a
  // month-end "crackdown" spot), so the road spikes too, at any background size
  {
    const officer = roles.periodEnd;
    const camera = squadOf(officer).cameras[0]!;
    let n = 0;
    for (const triple of w.monthEndTriples)
      for (const d of triple)
        for (let k = 0; k < 8; k++) {
          const code = r.pick(['1223', '1625', '1357']);
          onSite({ externalId: `GT-PERIODEND-${++n}`, ms: at(d, 8, 19), officer, place: spotNear(r, camera, 0.8), plate: carPlate(r.chance(0.2)), code, fine: variedFine(r, code, 200), payment: bank() });
        }
    cases.push({
      id: 'D-PERIOD-END-1',
      rule: 'D-PERIOD-END',
      description: `民警${officer}在窗口内每月最后3天于${camera.road}每天多处罚8起（月末突击执法），共${n}起`,
      expect: { subjects: [{ kind: 'officer', id: officer }, { kind: 'checkpoint', id: camera.road }] },
    });
  }

  // ---- R-DAILY-CAP: 160 simple-procedure decisions by one officer on one day
  {
    const officer = roles.dailyCap;
    const codes = ['1223', '1240', '1625', '1345', '1357', '1042', '1039'];
    for (let i = 0; i < 160; i++) {
      const code = codes[i % codes.length]!;
      const warning = catalogueEntry(code).warningEligible; // fresh plates: a warning is the lawful outcome
      onSite({
        externalId: `GT-DAILYCAP-${i + 1}`,
        ms: w.dayStart(capDay) + 7 * HOUR + i * 5 * MINUTE + r.int(0, 240) * 1000,
        officer,
        plate: carPlate(r.chance(0.2)),
        code,
        fine: warning ? 0 : variedFine(r, code, 200),
        payment: warning ? null : bank(),
      });
    }
    cases.push({
      id: 'R-DAILY-CAP-1',
      rule: 'R-DAILY-CAP',
      description: `民警${officer}在${beijingIso(w.dayStart(capDay)).slice(0, 10)}一天作出160起简易程序处罚决定（上限150）`,
      expect: { subjects: [{ kind: 'officer', id: officer }] },
    });
  }

  // ---- R-DECIDER: 辅警 as the deciding officer; a person who has left or is suspended
  {
    const auxiliaries = w.squads.flatMap((s) => s.auxiliaries);
    const plan: Array<[string, number]> = [['1223', 100], ['1357', 50], ['1625', 200]];
    const days = spread(3, 0.15);
    const ids = auxiliaries.length
      ? plan.map(([code, fine], i) => {
          const aux = auxiliaries[(i * 7 + 3) % auxiliaries.length]!;
          return onSite({
            externalId: `GT-DECIDER-AUX-${i + 1}`,
            ms: at(days[i]!, 8, 18),
            officer: aux,
            assistants: i === 2 ? [r.pick(squadOf(aux).police)] : [],
            plate: carPlate(),
            code,
            fine,
            payment: bank(),
          });
        })
      : [];
    if (ids.length) cases.push({ id: 'R-DECIDER-1', rule: 'R-DECIDER', description: '辅警作为处罚决定人作出现场处罚决定（辅警不具有执法主体资格）', expect: { records: ids } });

    const rank = (p: EnforcementPerson) => (p.category === 'police' ? 0 : 1);
    const inactive = w.people.filter((p) => p.status !== 'active').sort((a, b) => rank(a) - rank(b) || a.badgeNo.localeCompare(b.badgeNo))[0];
    if (inactive) {
      const id = onSite({
        externalId: 'GT-DECIDER-INACTIVE-1',
        ms: at(spread(1, 0.45)[0]!, 9, 17),
        officer: inactive.badgeNo,
        place: spotNear(r, r.pick(w.squads[0]!.cameras), 1.5),
        plate: carPlate(),
        code: '1223',
        fine: 100,
        payment: bank(),
      });
      cases.push({
        id: 'R-DECIDER-2',
        rule: 'R-DECIDER',
        description: `${inactive.status === 'left' ? '已离职' : '停职'}人员${inactive.badgeNo}作为处罚决定人作出现场处罚决定`,
        expect: { records: [id] },
      });
    }
  }

  // ---- R-FINE-RANGE on-site: amounts outside the range, wrong points
  {
    const days = spread(4, 0.7);
    const plan: Array<{ code: string; fine: number; points: number; general?: boolean }> = [
      { code: '1636', fine: 150, points: 12 }, // range 200–2000
      { code: '1625', fine: 250, points: 6, general: true }, // range 20–200
      { code: '1625', fine: 200, points: 3 }, // 6 points
      { code: '1223', fine: 100, points: 0 }, // 3 points
    ];
    const ids = plan.map((p, i) => {
      const officer = another();
      return onSite({ externalId: `GT-RANGE-ONS-${i + 1}`, ms: at(days[i]!, 8, 18), officer, assistants: p.general ? [policeHelper(officer)] : [], plate: carPlate(), code: p.code, fine: p.fine, points: p.points, payment: bank() });
    });
    cases.push({ id: 'R-FINE-RANGE-1', rule: 'R-FINE-RANGE', description: '现场处罚罚款金额超出违法代码法定幅度或记分与违法代码不符', expect: { records: ids } });
  }

  // ---- R-FINE-RANGE camera: a fine outside the range comes with the capture → held (last days: not yet overdue)
  {
    const plan: Array<[DemoCamera, string, number]> = [
      [camerasOf('redLight')[1]!, '1625', 300],
      [camerasOf('speed')[2]!, '1636', 3000],
      [camerasOf('lane')[1]!, '1223', 500],
    ];
    const ids = plan.map(([camera, code, fineYuan], i) => capture({ externalId: `GT-RANGE-CAM-${i + 1}`, ms: at(lastDays[i % 2]!, 8, 20), camera, plate: carPlate(), code, fineYuan }));
    cases.push({ id: 'R-FINE-RANGE-2', rule: 'R-FINE-RANGE', description: '电子监控记录所附罚款金额超出违法代码法定幅度，应待审核', expect: { records: ids } });
  }

  // ---- R-CASH: cash on the spot from motor-vehicle drivers; cash with no receipt
  {
    const days = spread(3, 0.85);
    const plan: Array<[string, number]> = [['1223', 100], ['1357', 50], ['1625', 100]];
    const ids = plan.map(([code, fine], i) => {
      const ms = at(days[i]!, 8, 18);
      return onSite({ externalId: `GT-CASH-MOTOR-${i + 1}`, ms, officer: another(), plate: carPlate(), code, fine, payment: { method: 'cashOnSpot', receiptNo: receipt(ms) } });
    });
    cases.push({ id: 'R-CASH-1', rule: 'R-CASH', description: '对机动车驾驶人当场收缴罚款（机动车驾驶人应到银行或网上缴纳）', expect: { records: ids } });

    // A pedestrian met twice: warned first, fined the second time, cash taken without a receipt.
    const officer = another();
    const squad = squadOf(officer);
    const plate = carPlate();
    const driver = driverFor(r, plate, 'pedestrian', idNumbers);
    const d = safe.find((x) => x >= 20 && x <= w.days - 10)!;
    const [first, second] = [squad.cameras[0]!, squad.cameras.find((c) => c.road !== squad.cameras[0]!.road) ?? squad.cameras[0]!];
    onSite({ externalId: 'GT-CASH-PRIOR-1', ms: at(d - 12, 9, 17), officer, plate, vehicleType: 'other', code: '2001', party: 'pedestrian', fine: 0, payment: null, driver, place: spotNear(r, first, 0.5) });
    const id = onSite({ externalId: 'GT-CASH-NORECEIPT-1', ms: at(d, 9, 17), officer, plate, vehicleType: 'other', code: '2001', party: 'pedestrian', fine: 20, payment: { method: 'cashOnSpot' }, driver, place: spotNear(r, second, 0.5) });
    cases.push({ id: 'R-CASH-2', rule: 'R-CASH', description: '当场收缴行人罚款未开具收据（12天前已对其警告，非首违）', expect: { records: [id] } });
  }

  // ---- R-REPEAT: a parked car captured 6 times in 5 hours by one camera (1039, window 1440 min)
  const parking = camerasOf('parking');
  [parking[0]!, parking[2]!].forEach((camera, k) => {
    const plate = carPlate();
    const d = spread(2, 0.25)[k]!;
    const t0 = at(d, 8, 10);
    const ids = [0, 55, 110, 170, 235, 300].map((min, i) => capture({ externalId: `GT-REPEAT-${k + 1}-${i + 1}`, ms: t0 + min * MINUTE, camera, plate, code: '1039' }));
    cases.push({
      id: `R-REPEAT-${k + 1}`,
      rule: 'R-REPEAT',
      description: `${plate}在${camera.description}（${camera.deviceId}）连续违停5小时内被抓拍6次，后5次应合并为同一违法行为`,
      expect: { records: ids.slice(1) },
    });
  });

  // ---- R-ONSITE-HANDLED: an officer dealt with the parked car on the spot; the camera caught it minutes later
  {
    const days = spread(4, 0.55);
    const ids = parking.slice(4, 8).map((camera, i) => {
      const squad = w.squads.find((s) => s.key === camera.owningUnitKey) ?? w.squads[0]!;
      const officer = roles.others.find((b) => squad.police.includes(b)) ?? another();
      const plate = carPlate();
      const ms = at(days[i]!, 8, 18);
      const place = { ...cameraPlace(camera), km: round(camera.km + 0.1, 1), lat: round(camera.lat + 0.0004, 5), description: `${camera.description}（现场查处）` };
      onSite({ externalId: `GT-HANDLED-ONS-${i + 1}`, ms, officer, plate, code: '1039', fine: 0, payment: null, place });
      return capture({ externalId: `GT-HANDLED-${i + 1}`, ms: ms + r.int(3, 9) * MINUTE, camera, plate, code: '1039' });
    });
    cases.push({ id: 'R-ONSITE-HANDLED-1', rule: 'R-ONSITE-HANDLED', description: '民警已现场处理（警告）的违停车辆，10分钟内又被同一路段电子监控抓拍，抓拍记录应作废', expect: { records: ids } });
  }

  // ---- R-WARN-FIRST: warning-eligible first violations fined anyway
  {
    const days = spread(4, 0.05);
    const plan: Array<[string, number]> = [['1240', 50], ['1345', 100], ['1042', 100], ['1039', 200]];
    const ids = plan.map(([code, fine], i) => onSite({ externalId: `GT-WARN-${i + 1}`, ms: at(days[i]!, 8, 18), officer: another(), plate: carPlate(i === 3), code, fine, payment: bank() }));
    cases.push({ id: 'R-WARN-FIRST-1', rule: 'R-WARN-FIRST', description: '首次轻微违法（可首违警告）仍予罚款', expect: { records: ids } });
  }

  // ---- R-PROCEDURE: simple procedure above ¥200; general procedure with one 民警
  {
    const days = spread(4, 0.4);
    const simple = [500, 300].map((fine, i) =>
      onSite({ externalId: `GT-PROC-SIMPLE-${i + 1}`, ms: at(days[i]!, 8, 18), officer: another(), plate: carPlate(), code: '1636', fine, procedure: 'simple', payment: bank() }),
    );
    cases.push({ id: 'R-PROCEDURE-1', rule: 'R-PROCEDURE', description: '罚款超过200元仍适用简易程序', expect: { records: simple } });
    const general = [1000, 800].map((fine, i) => {
      const officer = another();
      const aux = squadOf(officer).auxiliaries;
      return onSite({
        externalId: `GT-PROC-GENERAL-${i + 1}`,
        ms: at(days[i + 2]!, 8, 18),
        officer,
        assistants: i === 0 && aux.length ? [r.pick(aux)] : [],
        plate: carPlate(),
        code: '1636',
        fine,
        procedure: 'general',
        payment: bank(),
      });
    });
    cases.push({ id: 'R-PROCEDURE-2', rule: 'R-PROCEDURE', description: '一般程序处罚仅有一名民警参与（另一人为辅警或无人）', expect: { records: general } });
  }

  // ---- R-EVIDENCE: captures without any hashed photo or video (→ held); on-site penalties without body-cam
  {
    const plan: Array<[DemoCamera, string, VehicleType, IntakeEvidence]> = [
      [camerasOf('checkpoint')[0]!, '6046', 'heavyTruck', []],
      [camerasOf('redLight')[3]!, '1625', 'smallPassenger', []],
      [camerasOf('lane')[2]!, '1223', 'smallPassenger', [{ kind: 'photo', ref: 'evidence://lost/GT-EVID-CAM-3.jpg' }]],
    ];
    const cams = plan.map(([camera, code, vehicleType, evidence], i) =>
      capture({ externalId: `GT-EVID-CAM-${i + 1}`, ms: at(lastDays[i % 2]!, 8, 20), camera, plate: vehicleType === 'heavyTruck' ? freightPlate() : carPlate(), vehicleType, code, evidence }),
    );
    cases.push({ id: 'R-EVIDENCE-1', rule: 'R-EVIDENCE', description: '电子监控记录无带哈希的照片或视频证据，应待审核', expect: { records: cams } });
    const days = spread(2, 0.9);
    const photo = (id: string) => [{ kind: 'photo' as const, ref: `evidence://phone/${id}.jpg`, sha256: sha256Hex(id) }];
    const ons = [
      ['1223', 100, []],
      ['1625', 150, photo('GT-EVID-ONS-2')],
    ].map(([code, fine, evidence], i) =>
      onSite({ externalId: `GT-EVID-ONS-${i + 1}`, ms: at(days[i]!, 8, 18), officer: another(), plate: carPlate(), code: code as string, fine: fine as number, evidence: evidence as IntakeEvidence, payment: bank() }),
    );
    cases.push({ id: 'R-EVIDENCE-2', rule: 'R-EVIDENCE', description: '现场处罚无执法记录仪视频', expect: { records: ons } });
  }

  return { drafts, cases, idNumbers };
}
