import type { Delivery } from '../../src/testgen/settings.ts';
import type { HeadWorkflow } from '../head-dispatch.ts';

/**
 * The test generation workflow `/steward tests` starts, as README.md shows it (a test keeps the two
 * the same): a first job asks whether the pull request comes from a fork, the generate job gets the
 * model key only when it does not, and the deliver job holds the write token and runs no code.
 */
export const TESTS_WORKFLOW = `name: Steward tests
on:
  workflow_dispatch:
    inputs:
      pull-request:
        description: The pull request to generate tests for
        required: true
      head-sha:
        description: The head commit to generate tests for (default the pull request's head)
        required: false
      requested-by:
        description: Who asked (shown in the run's name)
        required: false
run-name: Steward tests for #\${{ inputs.pull-request }} \${{ inputs.requested-by && format('(asked by {0})', inputs.requested-by) || '' }}

concurrency:
  group: steward-tests-\${{ inputs.pull-request }}
  cancel-in-progress: true

permissions: {}

jobs:
  pull-request:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: read
    outputs:
      same-repository: \${{ steps.pr.outputs.same-repository }}
    steps:
      - id: pr
        env:
          GH_TOKEN: \${{ github.token }}
          PR: \${{ inputs.pull-request }}
        run: |
          [[ "$PR" =~ ^[0-9]+$ ]] || { echo "::error::pull-request must be a number"; exit 1; }
          same=$(gh api "repos/$GITHUB_REPOSITORY/pulls/$PR" --jq '.head.repo.full_name == .base.repo.full_name')
          echo "same-repository=$same" >> "$GITHUB_OUTPUT"

  generate:
    needs: pull-request
    runs-on: ubuntu-latest
    timeout-minutes: 60
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v5
        with:
          ref: \${{ inputs.head-sha || format('refs/pull/{0}/head', inputs.pull-request) }}
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-node@v5
        with:
          node-version: 24
          cache: npm
      - run: npm ci
      - id: tests
        uses: OWNER/steward/actions/test-gen@v1
        with:
          pull-request: \${{ inputs.pull-request }}
          anthropic-api-key: \${{ needs.pull-request.outputs.same-repository == 'true' && secrets.ANTHROPIC_API_KEY || '' }}
      - uses: actions/upload-artifact@v4
        with:
          name: steward-tests
          path: \${{ steps.tests.outputs.patch-file }}
          retention-days: 3

  deliver:
    needs: generate
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: steward-tests
          path: \${{ runner.temp }}
      - uses: OWNER/steward/actions/test-gen@v1
        with:
          mode: deliver
          pull-request: \${{ inputs.pull-request }}`;

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
    summary: 'The test generation workflow, from the README',
    yaml: TESTS_WORKFLOW,
  },
};
