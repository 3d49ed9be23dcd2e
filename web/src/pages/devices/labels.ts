// How device values read on the device pages: the status colours, the Beijing calendar day, and
// the compliance timeline built from a device's registry entry. Plain data and pure functions.
import {
  DEVICE_CHANGE_KINDS,
  DEVICE_STATUSES,
  DEVICE_TYPE_RULES,
  type DeviceDetail,
  type DeviceLocation,
  type DeviceStatus,
} from '@contracts/devices.ts';

export const STATUS_COLORS: Record<DeviceStatus, string> = { active: 'green', suspended: 'orange', removed: 'default' };

/** The Beijing calendar day (UTC+8, no daylight saving) of an instant, whatever the browser's zone. */
export function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Today as a Beijing day. */
export const beijingToday = () => beijingDay(new Date().toISOString());

export function locationText(l: DeviceLocation): string {
  const parts = [l.road, l.direction, l.km !== undefined ? `K${l.km}` : undefined, l.description].filter(Boolean);
  return parts.join(' ');
}

export type TimelineTone = 'green' | 'blue' | 'red' | 'orange' | 'gray';

export interface TimelineEvent {
  /** Beijing day, YYYY-MM-DD */
  day: string;
  tone: TimelineTone;
  title: string;
  detail: string;
  /** a document number the event rests on, when there is one */
  documentNo?: string;
}

const STATUS_TONES: Record<DeviceStatus, TimelineTone> = { active: 'green', suspended: 'orange', removed: 'gray' };

/**
 * The device's compliance story in date order: reviews, announcement, verification validity, status
 * history, then the registry's own changes on the days they were made. `today` (a Beijing day) marks
 * a verification that has lapsed. Events of one day keep this order.
 */
export function complianceTimeline(d: DeviceDetail, today: string): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (d.legalReview) {
    events.push({ day: d.legalReview.date, tone: 'blue', title: '法制审核通过', detail: `审核人：${d.legalReview.reviewer}`, documentNo: d.legalReview.documentNo });
  }
  if (d.technicalReview) {
    events.push({ day: d.technicalReview.date, tone: 'blue', title: '技术审核通过', detail: `审核人：${d.technicalReview.reviewer}`, documentNo: d.technicalReview.documentNo });
  }
  if (d.announcement) {
    events.push({ day: d.announcement.date, tone: 'blue', title: '向社会公布设置地点', detail: `渠道：${d.announcement.channel}` });
  }
  for (const v of d.verificationHistory) {
    events.push({ day: v.validFrom, tone: 'gray', title: '历史检定证书有效期起', detail: `证书编号：${v.certificateNo}` });
    events.push({ day: v.validTo, tone: 'gray', title: '历史检定证书有效期止', detail: `证书编号：${v.certificateNo}` });
  }
  if (d.verification) {
    const v = d.verification;
    events.push({ day: v.validFrom, tone: 'blue', title: '计量检定有效期起', detail: `证书编号：${v.certificateNo}` });
    const lapsed = v.validTo < today;
    events.push({
      day: v.validTo,
      tone: lapsed ? 'red' : 'gray',
      title: lapsed ? '计量检定已过期' : '计量检定有效期止',
      detail: `证书编号：${v.certificateNo}`,
    });
  }
  for (const s of d.statusHistory) {
    events.push({ day: s.from, tone: STATUS_TONES[s.status], title: `状态：${DEVICE_STATUSES[s.status]}`, detail: `原因：${s.reason}`, documentNo: s.documentNo });
  }
  // the server lists revisions newest first; the timeline reads oldest first
  for (const r of [...d.revisions].sort((a, b) => a.revision - b.revision)) {
    const changed = r.changed.length ? `；变更：${r.changed.join('、')}` : '';
    events.push({
      day: beijingDay(r.createdAt),
      tone: 'gray',
      title: `台账${DEVICE_CHANGE_KINDS[r.changeKind]}（第 ${r.revision} 版）`,
      detail: `${r.createdByName}${changed}${r.note ? `；说明：${r.note}` : ''}`,
      documentNo: r.documentNo,
    });
  }
  // stable: same-day events keep the order above (documents before the registry's record of them)
  return events.map((e, i) => ({ e, i })).sort((a, b) => (a.e.day === b.e.day ? a.i - b.i : a.e.day < b.e.day ? -1 : 1)).map(({ e }) => e);
}

export interface DocumentRow {
  key: string;
  kind: string;
  number: string;
  day: string;
  note: string;
  url?: string;
}

/** Every document the device's lawfulness rests on, for the 相关文书 table. */
export function deviceDocuments(d: DeviceDetail): DocumentRow[] {
  const rows: DocumentRow[] = [];
  if (d.legalReview) rows.push({ key: 'legal', kind: '法制审核', number: d.legalReview.documentNo, day: d.legalReview.date, note: `审核人：${d.legalReview.reviewer}` });
  if (d.technicalReview) rows.push({ key: 'technical', kind: '技术审核', number: d.technicalReview.documentNo, day: d.technicalReview.date, note: `审核人：${d.technicalReview.reviewer}` });
  if (d.announcement) rows.push({ key: 'announcement', kind: '社会公告', number: d.announcement.channel, day: d.announcement.date, note: '', url: d.announcement.url });
  if (d.verification) {
    rows.push({
      key: 'verification',
      kind: '计量检定证书',
      number: d.verification.certificateNo,
      day: d.verification.validFrom,
      note: `有效期 ${d.verification.validFrom} 至 ${d.verification.validTo}`,
    });
  }
  d.verificationHistory.forEach((v, i) =>
    rows.push({ key: `verification-${i}`, kind: '历史检定证书', number: v.certificateNo, day: v.validFrom, note: `有效期 ${v.validFrom} 至 ${v.validTo}` }),
  );
  d.statusHistory.forEach((s, i) => rows.push({ key: `status-${i}`, kind: `状态变更（${DEVICE_STATUSES[s.status]}）`, number: s.documentNo, day: s.from, note: s.reason }));
  for (const r of [...d.revisions].sort((a, b) => a.revision - b.revision)) {
    rows.push({ key: `rev-${r.revision}`, kind: `台账${DEVICE_CHANGE_KINDS[r.changeKind]}依据`, number: r.documentNo, day: beijingDay(r.createdAt), note: r.note ?? '' });
  }
  return rows;
}

/** What the type requires, as the form and detail explain it. */
export function typeRequirements(type: keyof typeof DEVICE_TYPE_RULES): string[] {
  const r = DEVICE_TYPE_RULES[type];
  return [
    '法制审核与技术审核',
    ...(r.fixed ? ['向社会公布设置地点'] : []),
    ...(r.signage ? ['设置警示标志'] : []),
    ...(r.verification ? ['有效的计量检定证书'] : []),
    ...(r.policeOperator ? ['由民警操作'] : []),
  ];
}
