import { describe, expect, it } from 'vitest';
import { parseDurationHours } from '../../src/config/duration.ts';

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

  it.each(['', 'soon', '-3 days', '3 days ago', '1 day 12'])('rejects %j', (text) => {
    const result = parseDurationHours(text);
    expect(result.ok).toBe(false);
    expect(result.ok || result.message).toMatch(/cannot read .* as a duration/);
  });
});
