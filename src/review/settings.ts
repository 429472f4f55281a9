import { z } from 'zod';
import type { HealthSettings } from '../health/settings.ts';
import { costCapSetting, modelSetting } from '../settings/llm.ts';
import { expecting, flag, oneOf, stringList, strictMap, wholeNumber } from '../settings/kit.ts';
import { PACK_DEFAULTS } from './model/pack.ts';
import { FOCUS_AREAS, type FocusArea } from './model/types.ts';
import { SEVERITIES, type Severity } from './severity.ts';

/** The `review:` section of `.github/steward.yml`, declared beside the code it steers. */

export interface ReviewConfig {
  /** The Anthropic model that reviews pull requests. */
  model: string;
  /** Most model calls one review makes; a diff that needs more is cut, the rest listed unreviewed. */
  maxCalls: number;
  /** Cap in US dollars on the worst-case cost of one review, summed over its calls. */
  maxCostUsd: number;
  /** Estimated input tokens one call may carry: system prompt, instructions and diff. */
  perCallInputTokens: number;
  /** What the model looks for; every area by default, each listed once. */
  focus: FocusArea[];
  /** The project's own instructions added to the model's prompt, trimmed; '' for none. */
  instructions: string;
  /** Path globs to review; empty reviews every file that is not excluded. */
  include: string[];
  /** Path globs never reviewed (on top of lockfiles, generated and vendored files). */
  exclude: string[];
  /** Most inline comments posted on a pull request; 0 posts the summary only. */
  maxComments: number;
  /** The check fails when a finding is at least this severe; null never fails it. */
  failOn: Severity | null;
  /** Whether draft pull requests are reviewed. */
  drafts: boolean;
}

const focusSchema = z
  .array(oneOf(FOCUS_AREAS), expecting(`a list of focus areas (${FOCUS_AREAS.join(', ')})`))
  .min(1, {
    error: `list at least one focus area (${FOCUS_AREAS.join(', ')}), or remove the key for all of them`,
  })
  .transform((areas): FocusArea[] => [...new Set(areas)]);

const instructionsSchema = z
  .string(expecting('text, or an empty value for none'))
  .nullable()
  .transform((text) => (text ?? '').trim());

export const reviewSettings = strictMap('review', {
  model: modelSetting,
  'max-calls': wholeNumber(PACK_DEFAULTS.maxCalls),
  'max-cost-usd': costCapSetting('one review', PACK_DEFAULTS.maxCostUsd),
  'max-input-tokens-per-call': wholeNumber(PACK_DEFAULTS.perCallInputTokens, 4000),
  focus: focusSchema.default(() => [...FOCUS_AREAS]),
  instructions: instructionsSchema.default(''),
  include: stringList.default(() => []),
  exclude: stringList.default(() => []),
  'max-comments': wholeNumber(20, 0),
  'fail-on': oneOf(SEVERITIES).nullable().default(null),
  drafts: flag(false),
})
  .transform((v): ReviewConfig => ({
    model: v.model,
    maxCalls: v['max-calls'],
    maxCostUsd: v['max-cost-usd'],
    perCallInputTokens: v['max-input-tokens-per-call'],
    focus: v.focus,
    instructions: v.instructions,
    include: v.include,
    exclude: v.exclude,
    maxComments: v['max-comments'],
    failOn: v['fail-on'],
    drafts: v.drafts,
  }))
  .prefault({});

/** The review settings of a repository that sets none (a fresh copy each call). */
export function defaultReviewConfig(): ReviewConfig {
  return reviewSettings.parse(undefined);
}

/** What a review reads of the config: its own section and the health settings of hotspots. */
export interface ReviewRunConfig {
  review: ReviewConfig;
  /** Code health's settings (the `hotspots:` section): exclude, thresholds, health floor. */
  hotspots: HealthSettings;
}
