import { describe, expect, it } from 'vitest';
import {
  calendarDurationBefore,
  parseCalendarDuration,
  parseDurationHours,
} from '../../src/settings/duration.ts';

describe('parseDurationHours', () => {
  it.each([
    ['0', 0],
    ['12', 12],
    ['3 days', 72],
    ['12 hours', 12],
    ['1 week', 168],
    ['1 day', 24],
    ['36h', 36],
    ['2d', 48],
    ['90 minutes', 1.5],
    ['1 week 2 days', 216],
    ['1 day, 12 hours', 36],
    ['1 day and 6 hours', 30],
    ['  3 Days ', 72],
  ])('reads %j as %d hours', (text, hours) => {
    expect(parseDurationHours(text)).toEqual({ ok: true, hours });
  });

  it('names an unknown unit and suggests the spelling it meant', () => {
    const result = parseDurationHours('3 dayz');
    expect(result).toMatchObject({ ok: false, suggestion: '3 days' });
    expect(result.ok || result.message).toContain('unknown unit "dayz"');
  });

  it('keeps the rest of the text when suggesting a unit', () => {
    expect(parseDurationHours('1 week 2 dyas')).toMatchObject({
      ok: false,
      suggestion: '1 week 2 days',
    });
  });

  it.each(['', 'soon', '-3 days', '3 days ago', '1 day 12', '3 constructor', '2 months'])(
    'rejects %j',
    (text) => {
      const result = parseDurationHours(text);
      expect(result.ok).toBe(false);
      expect(result.ok || result.message).toMatch(/cannot read .* as a duration/);
    },
  );
});

describe('parseCalendarDuration', () => {
  it.each([
    ['12 months', 12, 0],
    ['1 month', 1, 0],
    ['6 mo', 6, 0],
    ['1 year', 12, 0],
    ['2 yrs', 24, 0],
    ['1 year 6 months', 18, 0],
    ['1.5 months', 1.5, 0],
    ['90 days', 0, 2160],
    ['6 weeks', 0, 1008],
    ['1 year and 2 days', 12, 48],
  ])('reads %j as %d months and %d hours', (text, months, hours) => {
    expect(parseCalendarDuration(text)).toEqual({ ok: true, duration: { months, hours } });
  });

  it('suggests the calendar unit a typo meant', () => {
    const result = parseCalendarDuration('12 monhts');
    expect(result).toMatchObject({ ok: false, suggestion: '12 months' });
    expect(result.ok || result.message).toBe(
      'cannot read "12 monhts" as a duration: unknown unit "monhts"; use days, weeks, months or years',
    );
  });

  it.each(['', '12', 'a year', '1 year ago', '3 constructor'])('rejects %j', (text) => {
    const result = parseCalendarDuration(text);
    expect(result.ok).toBe(false);
    expect(result.ok || result.message).toMatch(/cannot read .* as a duration/);
  });
});

describe('calendarDurationBefore', () => {
  const at = (iso: string) => new Date(iso);

  it.each([
    ['2026-11-23T12:00:00Z', 12, 0, '2025-11-23T12:00:00.000Z'],
    ['2026-03-31T08:00:00Z', 1, 0, '2026-02-28T08:00:00.000Z'],
    ['2024-03-31T08:00:00Z', 1, 0, '2024-02-29T08:00:00.000Z'],
    ['2026-01-15T00:00:00Z', 2, 0, '2025-11-15T00:00:00.000Z'],
    ['2026-01-15T00:00:00Z', 0, 36, '2026-01-13T12:00:00.000Z'],
    ['2026-05-31T00:00:00Z', 1, 24, '2026-04-29T00:00:00.000Z'],
  ])('steps back from %s by %d months and %d hours', (from, months, hours, expected) => {
    expect(calendarDurationBefore(at(from), { months, hours }).toISOString()).toBe(expected);
  });

  it('turns the fraction of a month into average days', () => {
    const half = calendarDurationBefore(at('2026-06-01T00:00:00Z'), { months: 0.5, hours: 0 });
    expect(half.getTime()).toBeCloseTo(
      at('2026-06-01T00:00:00Z').getTime() - 15.22 * 86_400_000,
      -6,
    );
  });

  it('does not change the date it is given', () => {
    const from = at('2026-03-31T08:00:00Z');
    calendarDurationBefore(from, { months: 1, hours: 0 });
    expect(from.toISOString()).toBe('2026-03-31T08:00:00.000Z');
  });
});
