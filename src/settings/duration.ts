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

/** One `<number> <unit>` part, optionally followed by a comma or "and" before the next part. */
const PART = /\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*(?:,|\band\b)?/iy;

type Failure = { ok: false; message: string; suggestion?: string };

/** A table's own entry only: "3 constructor" must not find Object.prototype.constructor. */
function lookUp(table: Readonly<Record<string, number>>, key: string): number | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

interface Grammar<Unit> {
  /** The unit a spelling stands for, or undefined when it is not a unit of this grammar. */
  unit(spelling: string): Unit | undefined;
  /** Spelled-out units to suggest for a misspelt one. */
  suggested: readonly string[];
  /** "use minutes, hours, days or weeks" */
  useUnits: string;
  /** How to write a duration, said after every error. */
  howToWrite: string;
}

/**
 * The `<number> <unit>` parts of a duration ("1 week 2 days", "1 day, 12 hours", "1 day and 6
 * hours"), each with the unit the grammar gives its spelling, or why the text cannot be read.
 */
function readParts<Unit>(
  text: string,
  grammar: Grammar<Unit>,
): { ok: true; parts: { amount: number; unit: Unit }[] } | Failure {
  const trimmed = text.trim();
  const cannotRead = `cannot read ${quote(text)} as a duration`;
  if (trimmed === '') return { ok: false, message: `${cannotRead}; ${grammar.howToWrite}` };

  const part = new RegExp(PART.source, PART.flags);
  const parts: { amount: number; unit: Unit }[] = [];
  while (part.lastIndex < trimmed.length) {
    const start = part.lastIndex;
    const match = part.exec(trimmed);
    if (!match) {
      return { ok: false, message: `${cannotRead}; ${grammar.howToWrite}` };
    }
    const [, amount = '', spelling = ''] = match;
    if (spelling === '') {
      return {
        ok: false,
        message: `${cannotRead}: ${quote(amount)} has no unit; ${grammar.howToWrite}`,
      };
    }
    const unit = grammar.unit(spelling.toLowerCase());
    if (unit === undefined) {
      const nearest = suggest(spelling, grammar.suggested);
      const result: Failure = {
        ok: false,
        message: `${cannotRead}: unknown unit ${quote(spelling)}; ${grammar.useUnits}`,
      };
      if (nearest) {
        const unitAt = start + match[0].indexOf(spelling, match[0].indexOf(amount) + amount.length);
        result.suggestion =
          trimmed.slice(0, unitAt) + nearest + trimmed.slice(unitAt + spelling.length);
      }
      return result;
    }
    parts.push({ amount: Number(amount), unit });
  }
  return { ok: true, parts };
}

const HOURS: Grammar<number> = {
  unit: (spelling) => lookUp(HOURS_PER_UNIT, spelling),
  suggested: SUGGESTED_UNITS,
  useUnits: 'use minutes, hours, days or weeks',
  howToWrite: HOW_TO_WRITE,
};

export type DurationResult = { ok: true; hours: number } | Failure;

/**
 * Hours in a duration as people write it in a config file: "3 days", "12h", "1 week 2 days",
 * "0", or a bare number of hours.
 */
export function parseDurationHours(text: string): DurationResult {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return { ok: true, hours: Number(trimmed) };
  const read = readParts(text, HOURS);
  if (!read.ok) return read;
  return { ok: true, hours: read.parts.reduce((sum, { amount, unit }) => sum + amount * unit, 0) };
}

/**
 * A look-back window such as "12 months": months and years are calendar months (a year is 12),
 * because "since 12 months" means the same day a year ago, not 8,760 hours back; shorter units are
 * exact hours.
 */
export interface CalendarDuration {
  months: number;
  hours: number;
}

const MONTHS_PER_UNIT: Readonly<Record<string, number>> = {
  month: 1,
  months: 1,
  mo: 1,
  mos: 1,
  year: 12,
  years: 12,
  yr: 12,
  yrs: 12,
  y: 12,
};

const CALENDAR: Grammar<CalendarDuration> = {
  unit: (spelling) => {
    const months = lookUp(MONTHS_PER_UNIT, spelling);
    if (months !== undefined) return { months, hours: 0 };
    const hours = lookUp(HOURS_PER_UNIT, spelling);
    return hours === undefined ? undefined : { months: 0, hours };
  },
  suggested: ['days', 'weeks', 'months', 'years', 'day', 'week', 'month', 'year', 'hours', 'hour'],
  useUnits: 'use days, weeks, months or years',
  howToWrite: 'write a duration such as "12 months", "1 year" or "90 days"',
};

export type CalendarDurationResult = { ok: true; duration: CalendarDuration } | Failure;

/** A look-back window as people write it: "12 months", "1 year", "6 weeks", "1 year 6 months". */
export function parseCalendarDuration(text: string): CalendarDurationResult {
  const read = readParts(text, CALENDAR);
  if (!read.ok) return read;
  const duration: CalendarDuration = { months: 0, hours: 0 };
  for (const { amount, unit } of read.parts) {
    duration.months += amount * unit.months;
    duration.hours += amount * unit.hours;
  }
  return { ok: true, duration };
}

/** Average days in a month, for the fraction of "1.5 months". */
const DAYS_PER_MONTH = 365.2425 / 12;

/**
 * The moment `duration` before `from`, in UTC: whole months step back on the calendar (the 31st
 * of a shorter month becomes its last day, as `git log --since` reads "1 month ago"), the rest is
 * exact hours.
 */
export function calendarDurationBefore(from: Date, duration: CalendarDuration): Date {
  const wholeMonths = Math.trunc(duration.months);
  const hours = duration.hours + (duration.months - wholeMonths) * DAYS_PER_MONTH * 24;
  const result = new Date(from.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() - wholeMonths);
  const lastDay = new Date(
    Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
  ).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return new Date(result.getTime() - hours * 3_600_000);
}
