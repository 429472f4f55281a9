import { numberIn, strictMap, wholeNumber } from '../settings/kit.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import type { HealthThresholds } from './thresholds.ts';

/**
 * What code health is steered by. They are written in the `hotspots:` section of
 * `.github/steward.yml` (hotspots/settings.ts parses that section and composes these), and every
 * user of health (review, hotspots, `steward health`) is handed them.
 */
export interface HealthSettings {
  /** Path globs left out of the analysis (vendored, generated code). */
  exclude: string[];
  thresholds: HealthThresholds;
  /** Files with code health below this are called unhealthy (CodeScene's red is below 4). */
  healthFloor: number;
}

/** `hotspots.thresholds`: the smell thresholds, each defaulting to DEFAULT_THRESHOLDS. */
export const thresholdsSchema = strictMap('hotspots.thresholds', {
  'complex-method': wholeNumber(DEFAULT_THRESHOLDS.complexMethod),
  'large-method': wholeNumber(DEFAULT_THRESHOLDS.largeMethod),
  'deep-nesting': wholeNumber(DEFAULT_THRESHOLDS.deepNesting),
  'bumpy-road': wholeNumber(DEFAULT_THRESHOLDS.bumpyRoad),
  'complex-conditional': wholeNumber(DEFAULT_THRESHOLDS.complexConditional),
  'many-arguments': wholeNumber(DEFAULT_THRESHOLDS.manyArguments, 0),
  'constructor-arguments': wholeNumber(DEFAULT_THRESHOLDS.constructorArguments, 0),
  'large-file': wholeNumber(DEFAULT_THRESHOLDS.largeFile),
  // A mean, so it may have a fraction; below 1 every file with a function would be flagged.
  'overall-complexity': numberIn('a number of 1 or more', (n) => n >= 1).default(
    DEFAULT_THRESHOLDS.overallComplexity,
  ),
  'code-duplication': wholeNumber(DEFAULT_THRESHOLDS.codeDuplication),
})
  .transform((v): HealthThresholds => ({
    complexMethod: v['complex-method'],
    largeMethod: v['large-method'],
    deepNesting: v['deep-nesting'],
    bumpyRoad: v['bumpy-road'],
    complexConditional: v['complex-conditional'],
    manyArguments: v['many-arguments'],
    constructorArguments: v['constructor-arguments'],
    largeFile: v['large-file'],
    overallComplexity: v['overall-complexity'],
    codeDuplication: v['code-duplication'],
  }))
  .prefault({});

/** The health floor of a repository that sets none: CodeScene's red. */
export const DEFAULT_HEALTH_FLOOR = 4;

/** The health settings of a repository that sets none (a fresh copy each call). */
export function defaultHealthSettings(): HealthSettings {
  return {
    exclude: [],
    thresholds: thresholdsSchema.parse(undefined),
    healthFloor: DEFAULT_HEALTH_FLOOR,
  };
}
