import { test } from 'vitest';
import { AutoMergeScenario, type ScenarioOptions } from './auto-merge-scenario.ts';
import { ReviewScenario } from './review-scenario.ts';

/** A world of fakes a test starts for the bundled action to run against. */
export interface Scenario {
  /** Throws when any of its fakes received a request it was not set up for. */
  assertNoUnexpected(): void;
  close(): Promise<void>;
}

/**
 * A vitest `test` whose `start` fixture starts scenarios and, in its teardown, fails the test if
 * any of their fakes received a request it was not set up for, then closes them all. Tests call
 * `start(options)` and never the check or the clean-up themselves.
 *
 *   const it = autoMergeTest;
 *   it('merges', async ({ start }) => { const s = await start({ bot: 'dependabot[bot]' }); … });
 */
export function scenarioTest<Options, S extends Scenario>(
  startScenario: (options?: Options) => Promise<S>,
) {
  return test.extend<{ start: (options?: Options) => Promise<S> }>({
    // eslint-disable-next-line no-empty-pattern -- vitest reads the fixture's dependencies from this pattern
    start: async ({}, use) => {
      const started: S[] = [];
      try {
        await use(async (options) => {
          const scenario = await startScenario(options);
          started.push(scenario);
          return scenario;
        });
        for (const scenario of started) scenario.assertNoUnexpected();
      } finally {
        await Promise.all(started.map((scenario) => scenario.close()));
      }
    },
  });
}

/**
 * The e2e tests' `test`: `start(options)` gives a scenario, checked for unexpected GitHub requests
 * and closed after the test.
 */
export const autoMergeTest = scenarioTest((options?: ScenarioOptions) =>
  AutoMergeScenario.start(options),
);

/**
 * The e2e tests' `test`: `start(options)` gives a scenario, checked for unexpected GitHub and
 * Anthropic requests and closed after the test.
 */
export const reviewTest = scenarioTest((options?: Parameters<typeof ReviewScenario.start>[0]) =>
  ReviewScenario.start(options),
);
