import type { HeadWorkflow } from '../head-dispatch.ts';

/**
 * Two jobs: the first runs the pull request's code with a read-only token and no secrets; the
 * second, which never checks that code out, posts the report.
 */
export const MINIMAL_WORKFLOW = `name: Steward mutation
on:
  workflow_dispatch:
    inputs:
      pull-request:
        description: The pull request to mutation-test
        required: true
permissions: {}
jobs:
  mutate: # runs the pull request's code: a read-only token, no secrets
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: read
    steps:
      - uses: actions/checkout@v4
        with:
          ref: refs/pull/\${{ inputs.pull-request }}/head
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-node@v4
      - run: npm ci
      - uses: OWNER/steward/actions/mutation-report@v1
        with:
          pull-request: \${{ inputs.pull-request }}
          shard: 1/1
      - uses: actions/upload-artifact@v4
        with:
          name: mutation
          path: .steward/mutation
  publish: # runs no code of the pull request: only this job may comment
    needs: mutate
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: mutation
          path: .steward/shards/mutation
      - uses: OWNER/steward/actions/mutation-report@v1
        with:
          mode: merge
          pull-request: \${{ inputs.pull-request }}`;

/**
 * `/steward mutate`: the app never runs Stryker (nor any of the pull request's code). It starts the
 * repository's mutation workflow for the pull request's head (`dispatchForHead`), whose report
 * appears on the pull request.
 */
export const MUTATE: HeadWorkflow = {
  name: 'mutate',
  work: 'mutation testing of',
  openOnly: 'Steward mutation-tests open pull requests.',
  workflowKey: 'app.mutation-workflow',
  workflow: (app) => app.mutationWorkflow,
  eventType: (app) => app.mutationEventType,
  outcome: () => 'the report appears on this pull request when the run ends',
  purpose: 'the workflow that runs the mutation report',
  example: { summary: 'A minimal mutation workflow', yaml: MINIMAL_WORKFLOW },
};
