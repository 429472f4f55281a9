import { costCapSetting, modelSetting } from '../settings/llm.ts';
import { globList, oneOf, strictMap, wholeNumber } from '../settings/kit.ts';
import { testCommandSetting } from '../settings/tests.ts';

/** The `test-gen:` section of `.github/steward.yml`, declared beside the code it steers. */

/** How kept tests reach the repository. */
export const DELIVERIES = ['pull-request', 'push', 'none'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** When property tests are derived from types without the model. */
export const OFFLINE_MODES = ['auto', 'always', 'never'] as const;
export type OfflineMode = (typeof OFFLINE_MODES)[number];

export interface TestGenConfig {
  /** The Anthropic model that proposes tests. */
  model: string;
  /** Most functions tests are generated for in one run, the highest ranked first. */
  maxTargets: number;
  /** How many times a passing candidate runs again (shuffled, fresh seeds); one failure is flaky. */
  runs: number;
  /** Most candidates asked for per target, in one model call. */
  maxCandidates: number;
  /** Most model calls one run makes (a target's first call and its one retry count two). */
  maxCalls: number;
  /** Cap in US dollars on the worst-case cost of one run, summed over its calls. */
  maxCostUsd: number;
  /** Path globs of the source files tests may be generated for; empty means every source file. */
  include: string[];
  /** Path globs never targeted (on top of tests, declarations, generated and vendored files). */
  exclude: string[];
  /**
   * The command that runs the project's tests (`npx jest --ci`): the framework it names is the one
   * tests are written and run for when a module's test file imports none; null detects it from the
   * test files and package.json.
   */
  testCommand: string | null;
  /** `pull-request`: a "Tests for #N" pull request; `push`: a commit on the head branch; `none`: report only. */
  delivery: Delivery;
  /** `auto`: property tests from types when no model key is given (fork pull requests); `always`; `never`. */
  offline: OfflineMode;
}

/** Defaults, named so the README and the faces quote the same numbers. */
export const TEST_GEN_DEFAULTS = {
  maxTargets: 5,
  runs: 5,
  maxCandidates: 4,
  maxCalls: 10,
  maxCostUsd: 2,
} as const;

export const testGenSettings = strictMap('test-gen', {
  model: modelSetting,
  'max-targets': wholeNumber(TEST_GEN_DEFAULTS.maxTargets),
  runs: wholeNumber(TEST_GEN_DEFAULTS.runs, 2),
  'max-candidates': wholeNumber(TEST_GEN_DEFAULTS.maxCandidates),
  'max-calls': wholeNumber(TEST_GEN_DEFAULTS.maxCalls),
  'max-cost-usd': costCapSetting('one test generation run', TEST_GEN_DEFAULTS.maxCostUsd),
  include: globList('src/**/*.ts').default(() => []),
  exclude: globList('src/generated/**').default(() => []),
  'test-command': testCommandSetting,
  delivery: oneOf(DELIVERIES).default('pull-request'),
  offline: oneOf(OFFLINE_MODES).default('auto'),
})
  .transform((v): TestGenConfig => ({
    model: v.model,
    maxTargets: v['max-targets'],
    runs: v.runs,
    maxCandidates: v['max-candidates'],
    maxCalls: v['max-calls'],
    maxCostUsd: v['max-cost-usd'],
    include: [...new Set(v.include)],
    exclude: [...new Set(v.exclude)],
    testCommand: v['test-command'],
    delivery: v.delivery,
    offline: v.offline,
  }))
  .prefault({});

/** The test generation settings of a repository that sets none (a fresh copy each call). */
export function defaultTestGenConfig(): TestGenConfig {
  return testGenSettings.parse(undefined);
}
