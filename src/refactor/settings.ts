// CONTRACT STUB (owner r-choose)
import { z } from 'zod';
import { costCapSetting, modelSetting } from '../settings/llm.ts';
import { expecting, flag, nonEmptyString, strictMap, wholeNumber } from '../settings/kit.ts';

/**
 * The `refactor:` section, as much of it as the faces need before r-choose's settings are merged
 * (the integrator keeps r-choose's file; the keys here follow the contract's names in kebab-case).
 */
export interface RefactorConfig {
  model: string;
  maxOpen: number;
  minHealthGain: number;
  maxTargets: number;
  topFiles: number;
  maxCalls: number;
  maxCostUsd: number;
  include: string[];
  exclude: string[];
  testCommand: string | null;
  mutation: boolean;
}

export const REFACTOR_DEFAULTS = {
  maxOpen: 1,
  minHealthGain: 0.5,
  maxTargets: 3,
  topFiles: 10,
  maxCalls: 6,
  maxCostUsd: 2,
} as const;

const globs = z.array(nonEmptyString, expecting('a list of globs'));

export const refactorSettings = strictMap('refactor', {
  model: modelSetting,
  'max-open': wholeNumber(REFACTOR_DEFAULTS.maxOpen),
  'min-health-gain': z.number().positive().default(REFACTOR_DEFAULTS.minHealthGain),
  'max-targets': wholeNumber(REFACTOR_DEFAULTS.maxTargets),
  'top-files': wholeNumber(REFACTOR_DEFAULTS.topFiles),
  'max-calls': wholeNumber(REFACTOR_DEFAULTS.maxCalls),
  'max-cost-usd': costCapSetting('one refactoring run', REFACTOR_DEFAULTS.maxCostUsd),
  include: globs.default(() => []),
  exclude: globs.default(() => []),
  'test-command': z.string().trim().min(1).nullable().default(null),
  mutation: flag(false),
})
  .transform((v): RefactorConfig => ({
    model: v.model,
    maxOpen: v['max-open'],
    minHealthGain: v['min-health-gain'],
    maxTargets: v['max-targets'],
    topFiles: v['top-files'],
    maxCalls: v['max-calls'],
    maxCostUsd: v['max-cost-usd'],
    include: v.include,
    exclude: v.exclude,
    testCommand: v['test-command'],
    mutation: v.mutation,
  }))
  .prefault({});
