import { z } from 'zod';
import { quote } from '../settings/describe-value.ts';
import { parseCalendarDuration } from '../settings/duration.ts';
import type { CalendarDuration } from '../settings/duration.ts';
import { describeValue } from '../settings/describe-value.ts';
import {
  expecting,
  got,
  numberIn,
  section,
  stringList,
  strictMap,
  wholeNumber,
  rejectValue,
} from '../settings/kit.ts';
import { DEFAULT_HEALTH_FLOOR, thresholdsSchema, type HealthSettings } from '../health/settings.ts';
import { DEFAULT_BUG_FIX_RULE, invalidPattern } from './history/bug-fix.ts';
import type { BugFixRule } from './history/bug-fix.ts';

/** The `hotspots:` section of `.github/steward.yml`, declared beside the code it steers. */

export interface HotspotsConfig extends HealthSettings {
  /** How far back history is mined: calendar months (and years) plus exact hours. */
  since: CalendarDuration;
  /** Files listed by default, highest hotspot score first. */
  top: number;
  /** Commits touching more files than this are left out of change coupling (mass renames). */
  maxChangesetSize: number;
  coupling: {
    /** A file must have changed this often to be coupled to anything. */
    minRevisions: number;
    /** A pair must have changed together this often. */
    minShared: number;
    /** Shared revisions ÷ average revisions of the pair, 0–1. */
    minDegree: number;
  };
  /** Which commits are bug fixes, by their message (src/hotspots/history/bug-fix.ts). */
  bugFix: BugFixRule;
}

const sinceSchema = z
  .unknown()
  .meta({
    type: 'string',
    description: 'How far back history is mined: a duration such as "12 months" or "1 year".',
  })
  .transform((value, ctx): CalendarDuration => {
    if (typeof value !== 'string') {
      const bare = typeof value === 'number';
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `expected a duration such as "12 months" or "1 year", got ${bare ? `${value} with no unit` : describeValue(value)}`,
        params: bare ? { suggestion: `${value} months` } : {},
      });
      return z.NEVER;
    }
    const result = parseCalendarDuration(value);
    if (!result.ok) return rejectValue(ctx, value, result.message, result.suggestion);
    if (result.duration.months === 0 && result.duration.hours === 0) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `expected a duration longer than 0, such as "12 months", got ${quote(value)}`,
      });
      return z.NEVER;
    }
    return result.duration;
  });

/** The share of revisions a pair has in common; "30" is taken for a percentage and corrected. */
const degreeSchema = z
  .unknown()
  .meta({
    type: 'number',
    minimum: 0,
    maximum: 1,
    description: 'Shared revisions ÷ average revisions of the pair, from 0 to 1.',
  })
  .transform((value, ctx): number => {
    if (typeof value === 'number' && value >= 0 && value <= 1) return value;
    const percent = typeof value === 'number' && value > 1 && value <= 100;
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `expected a fraction from 0 to 1 such as 0.3, got ${got(value)}${percent ? `; write ${value / 100} for ${value}%` : ''}`,
      params: percent ? { suggestion: String(value / 100) } : {},
    });
    return z.NEVER;
  });

const couplingSchema = strictMap('hotspots.coupling', {
  'min-revisions': wholeNumber(5),
  'min-shared': wholeNumber(5),
  'min-degree': degreeSchema.default(0.3),
})
  .transform((v): HotspotsConfig['coupling'] => ({
    minRevisions: v['min-revisions'],
    minShared: v['min-shared'],
    minDegree: v['min-degree'],
  }))
  .prefault({});

/** A regular expression's source; an invalid one is an error naming what the engine rejects. */
const patternSchema = (fallback: string) =>
  z
    .string(expecting('a regular expression'))
    .superRefine((source, ctx) => {
      const reason = invalidPattern(source);
      if (reason !== null) ctx.addIssue({ code: 'custom', input: source, message: reason });
    })
    .default(fallback);

const bugFixSchema = strictMap('hotspots.bug-fix', {
  match: patternSchema(DEFAULT_BUG_FIX_RULE.match),
  ignore: patternSchema(DEFAULT_BUG_FIX_RULE.ignore),
})
  .transform((v): BugFixRule => ({ match: v.match, ignore: v.ignore }))
  .prefault({});

export const hotspotsSettings = strictMap('hotspots', {
  since: sinceSchema.default(() => ({ months: 36, hours: 0 })),
  top: wholeNumber(20),
  exclude: stringList.default(() => []),
  'max-changeset-size': wholeNumber(30),
  coupling: section(couplingSchema),
  thresholds: section(thresholdsSchema),
  'health-floor': numberIn('a code health from 1 to 10', (n) => n >= 1 && n <= 10).default(
    DEFAULT_HEALTH_FLOOR,
  ),
  'bug-fix': section(bugFixSchema),
})
  .transform((v): HotspotsConfig => ({
    since: v.since,
    top: v.top,
    exclude: v.exclude,
    maxChangesetSize: v['max-changeset-size'],
    coupling: v.coupling,
    thresholds: v.thresholds,
    healthFloor: v['health-floor'],
    bugFix: v['bug-fix'],
  }))
  .prefault({});

/** The hotspots settings of a repository that sets none (a fresh copy each call). */
export function defaultHotspotsConfig(): HotspotsConfig {
  return hotspotsSettings.parse(undefined);
}
