import { quote } from './describe-value.ts';
import { suggest } from './suggest.ts';

const HOURS_PER_UNIT: Readonly<Record<string, number>> = {
  minute: 1 / 60,
  minutes: 1 / 60,
  min: 1 / 60,
  mins: 1 / 60,
  m: 1 / 60,
  hour: 1,
  hours: 1,
  hr: 1,
  hrs: 1,
  h: 1,
  day: 24,
  days: 24,
  d: 24,
  week: 168,
  weeks: 168,
  w: 168,
};

/** The spelled-out units offered when a unit is misspelt (never suggest "m" for "mo"). */
const SUGGESTED_UNITS = ['minutes', 'hours', 'days', 'weeks', 'minute', 'hour', 'day', 'week'];

const HOW_TO_WRITE = 'write a number of hours or a duration such as "3 days", "12 hours", "1 week"';

export type DurationResult =
  { ok: true; hours: number } | { ok: false; message: string; suggestion?: string };

/** One `<number> <unit>` part, optionally followed by a comma or "and" before the next part. */
const PART = /\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*(?:,|\band\b)?/iy;

/**
 * Hours in a duration as people write it in a config file: "3 days", "12h", "1 week 2 days",
 * "0", or a bare number of hours.
 */
export function parseDurationHours(text: string): DurationResult {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return { ok: true, hours: Number(trimmed) };
  const cannotRead = `cannot read ${quote(text)} as a duration`;
  if (trimmed === '') return { ok: false, message: `${cannotRead}; ${HOW_TO_WRITE}` };

  const part = new RegExp(PART.source, PART.flags);
  let hours = 0;
  while (part.lastIndex < trimmed.length) {
    const start = part.lastIndex;
    const match = part.exec(trimmed);
    if (!match) {
      return { ok: false, message: `${cannotRead}; ${HOW_TO_WRITE}` };
    }
    const [, amount = '', unit = ''] = match;
    if (unit === '') {
      return {
        ok: false,
        message: `${cannotRead}: ${quote(amount)} has no unit; ${HOW_TO_WRITE}`,
      };
    }
    const perUnit = HOURS_PER_UNIT[unit.toLowerCase()];
    if (perUnit === undefined) {
      const nearest = suggest(unit, SUGGESTED_UNITS);
      const result: DurationResult = {
        ok: false,
        message: `${cannotRead}: unknown unit ${quote(unit)}; use minutes, hours, days or weeks`,
      };
      if (nearest) {
        const unitAt = start + match[0].indexOf(unit, match[0].indexOf(amount) + amount.length);
        result.suggestion =
          trimmed.slice(0, unitAt) + nearest + trimmed.slice(unitAt + unit.length);
      }
      return result;
    }
    hours += Number(amount) * perUnit;
  }
  return { ok: true, hours };
}
