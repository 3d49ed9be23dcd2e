import { describe, expect, it } from 'vitest';
import { columnWidth } from './columns.ts';
import {
  beijingDateTimeText,
  excelDateText,
  excelNumberText,
  excelSerialToDate,
  isDateFormat,
  plainNumber,
} from './text.ts';

describe('number text', () => {
  it('writes integers without exponent and drops binary noise the way Excel shows numbers', () => {
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(-0)).toBe('0');
    expect(plainNumber(Number.NaN)).toBe('');
    expect(excelNumberText(0.1 + 0.2)).toBe('0.3');
    expect(excelNumberText(13800138000)).toBe('13800138000');
    expect(excelNumberText(2.5e-7)).toBe('2.5e-7');
    expect(excelNumberText(Number.POSITIVE_INFINITY)).toBe('');
  });
});

describe('date text', () => {
  it('uses a date for whole days, local ISO date-time otherwise, and rounds away float noise', () => {
    expect(excelDateText(new Date('2024-03-01T00:00:00Z'))).toBe('2024-03-01');
    expect(excelDateText(new Date('2024-03-01T08:30:00Z'))).toBe('2024-03-01T08:30:00');
    expect(excelDateText(new Date('2024-03-01T08:29:59.9996Z'))).toBe('2024-03-01T08:30:00');
    expect(excelDateText(new Date('2024-02-29T23:59:59.7Z'))).toBe('2024-03-01');
    expect(excelDateText(new Date(Number.NaN))).toBe('');
  });

  it('reads serials of both date systems', () => {
    expect(excelDateText(excelSerialToDate(45352, false))).toBe('2024-03-01');
    expect(excelDateText(excelSerialToDate(45352 - 1462, true))).toBe('2024-03-01');
    expect(excelDateText(excelSerialToDate(0.5, false))).toBe('12:00:00');
  });

  it('recognises date formats, ignoring quoted text and [..] sections', () => {
    expect(isDateFormat('yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat('[$-F800]dddd')).toBe(true);
    expect(isDateFormat('h:mm')).toBe(true);
    expect(isDateFormat('0.00"天"')).toBe(false);
    expect(isDateFormat('[Red]#,##0')).toBe(false);
    expect(isDateFormat('General')).toBe(false);
    expect(isDateFormat(undefined)).toBe(false);
  });

  it('shows instants in Beijing time, cut to the second', () => {
    expect(beijingDateTimeText(new Date('2024-02-29T16:30:05.999Z'))).toBe('2024-03-01 00:30:05');
  });
});

describe('columnWidth', () => {
  it('counts CJK characters double, clamps, and lets an explicit width win', () => {
    expect(columnWidth({ key: 'a', header: '警号' })).toBe(8);
    expect(columnWidth({ key: 'a', header: '身份证号', example: '110101199003071234' })).toBe(20);
    expect(columnWidth({ key: 'a', header: '说明'.repeat(40) })).toBe(50);
    expect(columnWidth({ key: 'a', header: '警号', width: 30 })).toBe(30);
  });
});
