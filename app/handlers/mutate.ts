import { inlineCode } from '../../src/commands/markdown.ts';
import type { StewardConfig } from '../../src/config/schema.ts';
import { DispatchError } from '../../src/github/errors.ts';
import type { PullRequestSnapshot } from '../../src/github/client.ts';
import type { EventScope } from '../scope.ts';
import { repoName } from '../scope.ts';
import type { CommandResult } from './commands.ts';

/**
 * `/steward mutate`: the app never runs Stryker (nor any of the pull request's code). It starts the
 * repository's mutation workflow for the pull request's head, as it hands model reviews over:
 * workflow_dispatch of the default branch's workflow file (a pull request cannot choose what runs
 * with the repository's secrets), or a repository_dispatch, whose workflows also run from the
 * default branch.
 */

/** The same head is not dispatched again within this time, whoever asks (one run per head). */
const MUTATE_CLAIM_MS = 10 * 60_000;

export async function mutateReply(
  scope: EventScope,
  number: number,
  requestedBy: string,
  config: StewardConfig,
): Promise<CommandResult> {
  const snapshot = await scope.client.getPullRequestSnapshot(number);
  if (snapshot.state !== 'OPEN') {
    return {
      ok: false,
      reply: `#${snapshot.number} is ${snapshot.state.toLowerCase()}; Steward mutation-tests open pull requests.`,
    };
  }
  const head = `\`${snapshot.headSha.slice(0, 7)}\``;
  const key = `mutate:${repoName(scope.repo)}#${snapshot.number}@${snapshot.headSha}`;
  if (!(await scope.leases.claim(key, MUTATE_CLAIM_MS))) {
    return {
      ok: true,
      reply: `mutation testing of ${head} was started a moment ago; its report appears on this pull request when the run ends (to run it again, re-run the workflow from the Actions tab).`,
      outcome: 'busy',
    };
  }
  try {
    return { ok: true, reply: await dispatchMutation(scope, snapshot, requestedBy, config) };
  } catch (error: unknown) {
    await scope.leases.release(key);
    if (error instanceof DispatchError && error.status === 404)
      throw new DispatchError(missingWorkflowText(scope, config.app.mutationWorkflow), 404);
    throw error;
  }
}

async function dispatchMutation(
  scope: EventScope,
  snapshot: PullRequestSnapshot,
  requestedBy: string,
  config: StewardConfig,
): Promise<string> {
  const { app } = config;
  const head = `\`${snapshot.headSha.slice(0, 7)}\``;
  const actions = actionsUrl(snapshot.url);
  if (app.dispatch === 'workflow') {
    // The default branch's workflow file runs, never the pull request's copy of it.
    await scope.client.dispatchWorkflow({
      workflow: app.mutationWorkflow,
      ref: scope.defaultBranch,
      inputs: { 'pull-request': String(snapshot.number) },
    });
    const runs =
      actions === null
        ? ''
        : ` ([runs](${actions}/workflows/${encodeURIComponent(app.mutationWorkflow)}))`;
    return `mutation testing of ${head} started in ${inlineCode(app.mutationWorkflow)}${runs} (workflow_dispatch on ${scope.defaultBranch}); the report appears on this pull request when the run ends.`;
  }
  await scope.client.dispatchRepositoryEvent({
    eventType: app.mutationEventType,
    clientPayload: {
      pull_request: snapshot.number,
      head_sha: snapshot.headSha,
      requested_by: requestedBy,
      delivery: scope.delivery.id,
    },
  });
  const runs = actions === null ? '' : ` ([runs](${actions}))`;
  return `mutation testing of ${head} was sent to the repository's workflows as repository_dispatch ${inlineCode(app.mutationEventType)}${runs}; the report appears on this pull request when the run ends.`;
}

/**
 * The repository's Actions page, from the pull request's URL as GitHub gives it
 * (`https://host/owner/repo/pull/7`); null for any other shape, rather than a link somewhere else.
 */
export function actionsUrl(pullUrl: string): string | null {
  const match = /^(https:\/\/[^/\s]+\/[\w.-]+\/[\w.-]+)\/pull\/\d+$/.exec(pullUrl);
  return match === null ? null : `${match[1]}/actions`;
}

/** What to add when the repository has no mutation workflow: the file, and a minimal one. */
export function missingWorkflowText(scope: EventScope, workflow: string): string {
  return [
    `${repoName(scope.repo)} has no workflow \`${workflow}\` on ${scope.defaultBranch}: add .github/workflows/${workflow} with an \`on: workflow_dispatch\` trigger taking the input \`pull-request\` (below), or set \`app.mutation-workflow\` in .github/steward.yml to the workflow that runs the mutation report.`,
    '',
    '<details><summary>A minimal mutation workflow</summary>',
    '',
    '```yaml',
    MINIMAL_WORKFLOW,
    '```',
    '',
    '</details>',
  ].join('\n');
}

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
