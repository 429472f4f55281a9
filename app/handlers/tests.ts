import type { Delivery } from '../../src/testgen/settings.ts';
import type { HeadWorkflow } from '../head-dispatch.ts';

/**
 * The trigger the test generation workflow needs, and where its jobs come from: the app only starts
 * it. The jobs are the README's two (generate with the model key and a read-only token; deliver
 * with a write token and no key), which the app does not repeat here.
 */
export const TESTS_WORKFLOW_TRIGGER = `name: Steward tests
on:
  workflow_dispatch:
    inputs:
      pull-request:
        description: The pull request to generate tests for
        required: true
permissions: {}
# jobs: the two jobs of Steward's README, "Test generation": one generates and checks the tests
# with the model key and a read-only token and uploads the patch; one, with a write token and no
# key, checks that the patch touches only test files and delivers it.`;

/** Where the kept tests go once the run ends, as `test-gen.delivery` says. */
function delivered(delivery: Delivery, pullRequest: number): string {
  switch (delivery) {
    case 'pull-request':
      return `the tests it keeps arrive in a pull request against this one, "Tests for #${pullRequest}", when the run ends`;
    case 'push':
      return 'the tests it keeps are committed to this pull request’s branch when the run ends (`test-gen.delivery: push`)';
    case 'none':
      return 'the run’s summary lists the tests it keeps, and nothing is committed (`test-gen.delivery: none`)';
  }
}

/**
 * `/steward tests`: the app generates no tests (and runs none of the pull request's code). It starts
 * the repository's test generation workflow for the pull request's head (`dispatchForHead`).
 */
export const TESTS: HeadWorkflow = {
  name: 'tests',
  work: 'test generation for',
  openOnly: 'Steward generates tests for open pull requests.',
  workflowKey: 'app.tests-workflow',
  workflow: (app) => app.testsWorkflow,
  eventType: (app) => app.testsEventType,
  outcome: (config, pullRequest) => delivered(config.testGen.delivery, pullRequest),
  purpose: 'the workflow that generates tests',
  example: {
    summary: 'The trigger the test generation workflow needs',
    yaml: TESTS_WORKFLOW_TRIGGER,
  },
};
