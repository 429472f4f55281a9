import { costCapSetting, modelSetting } from '../settings/llm.ts';
import { flag, globList, numberIn, strictMap, wholeNumber } from '../settings/kit.ts';
import { testCommandSetting } from '../settings/tests.ts';

/** The `refactor:` section of `.github/steward.yml`, declared beside the code it steers. */

export interface RefactorConfig {
  /** The Anthropic model that proposes refactorings. */
  model: string;
  /** Most refactoring pull requests open at a time in the repository. */
  maxOpen: number;
  /** How much the file's code health must rise (1–10 scale) for a refactoring to be proposed. */
  minHealthGain: number;
  /** Most targets tried in one run, the worst first. */
  maxTargets: number;
  /** How many of the top hotspot files targets are chosen from. */
  topFiles: number;
  /** Most model calls one run makes (a target's first call and its one retry count two). */
  maxCalls: number;
  /** Cap in US dollars on the worst-case cost of one run, summed over its calls. */
  maxCostUsd: number;
  /** Path globs of the files that may be refactored; empty means every source file. */
  include: string[];
  /** Path globs never refactored (on top of tests, declarations, generated and vendored files). */
  exclude: string[];
  /** The command that runs the project's tests (`npx vitest run`); null detects the runner. */
  testCommand: string | null;
  /** When true, the mutation score on the function's lines must not fall. */
  mutation: boolean;
}

/** Defaults, named so the README and the faces quote the same numbers. */
export const REFACTOR_DEFAULTS = {
  maxOpen: 1,
  minHealthGain: 0.5,
  maxTargets: 3,
  topFiles: 10,
  maxCalls: 6,
  maxCostUsd: 2,
  mutation: false,
} as const;

/** Code health runs from 1 to 10: a gain above 9 could never be reached. */
const MAX_HEALTH_GAIN = 9;

export const refactorSettings = strictMap('refactor', {
  model: modelSetting,
  'max-open': wholeNumber(REFACTOR_DEFAULTS.maxOpen),
  'min-health-gain': numberIn(
    `a health gain above 0 and at most ${MAX_HEALTH_GAIN}, such as 0.5`,
    (n) => Number.isFinite(n) && n > 0 && n <= MAX_HEALTH_GAIN,
  ).default(REFACTOR_DEFAULTS.minHealthGain),
  'max-targets': wholeNumber(REFACTOR_DEFAULTS.maxTargets),
  'top-files': wholeNumber(REFACTOR_DEFAULTS.topFiles),
  'max-calls': wholeNumber(REFACTOR_DEFAULTS.maxCalls),
  'max-cost-usd': costCapSetting('one refactoring run', REFACTOR_DEFAULTS.maxCostUsd),
  include: globList('src/**/*.ts').default(() => []),
  exclude: globList('src/generated/**').default(() => []),
  'test-command': testCommandSetting,
  mutation: flag(REFACTOR_DEFAULTS.mutation),
})
  .transform((v): RefactorConfig => ({
    model: v.model,
    maxOpen: v['max-open'],
    minHealthGain: v['min-health-gain'],
    maxTargets: v['max-targets'],
    topFiles: v['top-files'],
    maxCalls: v['max-calls'],
    maxCostUsd: v['max-cost-usd'],
    include: [...new Set(v.include)],
    exclude: [...new Set(v.exclude)],
    testCommand: v['test-command'],
    mutation: v.mutation,
  }))
  .prefault({});

/** The refactoring settings of a repository that sets none (a fresh copy each call). */
export function defaultRefactorConfig(): RefactorConfig {
  return refactorSettings.parse(undefined);
}
