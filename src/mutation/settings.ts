import { z } from 'zod';
import { quote } from '../settings/describe-value.ts';
import {
  expecting,
  flag,
  got,
  nonEmptyString,
  rejectValue,
  strictMap,
  wholeNumber,
} from '../settings/kit.ts';

/** The `mutation:` section of `.github/steward.yml`, declared beside the code it steers. */

export interface MutationConfig {
  /** The step fails when the changed-lines mutation score is below this (0–100); null never. */
  failUnder: number | null;
  /** The step fails when any mutant on a changed line survives. */
  failOnSurvivors: boolean;
  /** Most inline comments on one line (the most useful survivors first). */
  maxCommentsPerLine: number;
  /** Most inline comments on one pull request; 0 posts the summary only. */
  maxComments: number;
  /** Calls whose mutants are arid and never reported, on top of logging and console calls. */
  ignore: string[];
  /** Globs of the files Stryker may mutate, instead of the project's own `mutate`; null keeps it. */
  mutate: string[] | null;
}

/** A score threshold from 0 to 100, or null (never fail); "80%" is answered with the bare 80. */
const scoreSchema = z
  .unknown()
  .meta({
    type: ['number', 'null'],
    minimum: 0,
    maximum: 100,
    description: 'Fail when the changed-lines mutation score is below this (0–100); null never.',
  })
  .transform((value, ctx): number | null => {
    if (value === null) return null;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100)
      return value;
    const percent = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
    const bare = percent !== null && Number(percent[1]) <= 100 ? percent[1] : undefined;
    const hint = bare === undefined ? '' : `; write the bare number ${bare}`;
    return rejectValue(
      ctx,
      value,
      `expected a mutation score from 0 to 100 such as 80, or null, got ${got(value)}${hint}`,
      bare,
    );
  });

/** One segment of a call pattern: an identifier, or `*` for any. */
const SEGMENT = String.raw`(?:[A-Za-z_$][\w$]*|\*)`;
const CALL_PATTERN = new RegExp(String.raw`^${SEGMENT}(?:\.${SEGMENT})*$`);

/** Why a call pattern is rejected, or null when it is a dotted callee such as `logger.*`. */
export function invalidCallPattern(pattern: string): string | null {
  if (!CALL_PATTERN.test(pattern))
    return `expected a call such as logger.* or metrics.increment (names and * joined by dots), got ${quote(pattern)}`;
  if (pattern.split('.').every((segment) => segment === '*'))
    return `${quote(pattern)} would match every call and leave nothing to mutate; name the callee, such as logger.*`;
  return null;
}

const callPatternSchema = nonEmptyString.superRefine((pattern, ctx) => {
  const reason = invalidCallPattern(pattern);
  if (reason !== null) ctx.addIssue({ code: 'custom', input: pattern, message: reason });
});

const ignoreSchema = z
  .array(callPatternSchema, expecting('a list of calls such as logger.*'))
  .transform((patterns) => [...new Set(patterns)]);

/** A Stryker range (`file:1-9`) rather than a glob: Steward writes those itself, from the diff. */
const RANGE = /:\d+(?::\d+)?-\d+(?::\d+)?$/;

const mutateSchema = z
  .array(
    nonEmptyString.superRefine((glob, ctx) => {
      if (RANGE.test(glob))
        ctx.addIssue({
          code: 'custom',
          input: glob,
          message: `expected a glob, got the line range ${quote(glob)}; Steward takes the lines from the diff`,
        });
    }),
    expecting('a list of globs such as src/**/*.ts'),
  )
  .min(1, {
    error: 'list at least one glob, or remove the key to use the project’s Stryker mutate',
  })
  .nullable();

export const mutationSettings = strictMap('mutation', {
  'fail-under': scoreSchema.default(null),
  'fail-on-survivors': flag(false),
  'max-comments-per-line': wholeNumber(1),
  'max-comments': wholeNumber(10, 0),
  ignore: ignoreSchema.default(() => []),
  mutate: mutateSchema.default(null),
})
  .transform((v): MutationConfig => ({
    failUnder: v['fail-under'],
    failOnSurvivors: v['fail-on-survivors'],
    maxCommentsPerLine: v['max-comments-per-line'],
    maxComments: v['max-comments'],
    ignore: v.ignore,
    mutate: v.mutate,
  }))
  .prefault({});

/** The mutation settings of a repository that sets none (a fresh copy each call). */
export function defaultMutationConfig(): MutationConfig {
  return mutationSettings.parse(undefined);
}
