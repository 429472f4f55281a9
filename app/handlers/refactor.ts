import { inlineCode } from '../../src/commands/markdown.ts';
import type { StewardConfig } from '../../src/config/schema.ts';
import { DispatchError } from '../../src/github/errors.ts';
import type { CommandResult } from './commands.ts';
import { missingWorkflowText } from '../head-dispatch.ts';
import type { EventScope } from '../scope.ts';
import { repoName } from '../scope.ts';

/**
 * The refactoring workflow, as README.md shows it (a test keeps the two the same): weekly and on
 * `/steward refactor`, a propose job with the model key and a read-only token proves one
 * refactoring of the default branch, and a deliver job with the write token and no checkout opens
 * the pull request (and rebases or closes the refactoring pull requests whose base moved).
 */
export const REFACTOR_WORKFLOW = `name: Steward refactor
on:
  schedule:
    - cron: '17 5 * * 1' # Mondays, 05:17 UTC
  workflow_dispatch:
    inputs:
      target:
        description: PATH or PATH:FUNCTION to refactor (default the worst function of the top hotspots)
        required: false

concurrency:
  group: steward-refactor
  cancel-in-progress: false

permissions: {}

jobs:
  propose:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    permissions:
      contents: read
      pull-requests: read
    outputs:
      proven: \${{ steps.refactor.outputs.proven }}
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-node@v5
        with:
          node-version: 24
          cache: npm
      - run: npm ci
      - id: refactor
        uses: OWNER/steward/actions/refactor@v1
        with:
          target: \${{ inputs.target }}
          anthropic-api-key: \${{ secrets.ANTHROPIC_API_KEY }}
      - if: steps.refactor.outputs.proven == 'true'
        uses: actions/upload-artifact@v4
        with:
          name: steward-refactor
          path: \${{ steps.refactor.outputs.artifact-file }}
          retention-days: 3

  deliver:
    needs: propose
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
    steps:
      - if: needs.propose.outputs.proven == 'true'
        uses: actions/download-artifact@v4
        with:
          name: steward-refactor
          path: \${{ runner.temp }}
      - uses: OWNER/steward/actions/refactor@v1
        with:
          mode: deliver`;

/** The one workflow_dispatch input, sent only when the comment names a target. */
export const TARGET_INPUT = 'target';

/** The same target is not dispatched again within this time, whoever asks (one run per ask). */
const CLAIM_MS = 10 * 60_000;

const REFACTOR = {
  workflowKey: 'app.refactor-workflow',
  purpose: 'the workflow that proposes refactorings',
  example: { summary: 'The refactoring workflow, from the README', yaml: REFACTOR_WORKFLOW },
} as const;

/**
 * `/steward refactor [PATH[:FUNCTION]]`: the app runs none of the repository's code and asks no
 * model. It starts the default branch's refactoring workflow (workflow_dispatch, or a
 * repository_dispatch), with the target the comment named, once per target within ten minutes,
 * and replies with a link to the workflow's runs. The target was checked by the command's grammar
 * (src/commands/parse.ts): a relative path and a function name, nothing else reaches the run.
 */
export async function refactorReply(
  scope: EventScope,
  target: string | null,
  requestedBy: string,
  config: StewardConfig,
): Promise<CommandResult> {
  const what =
    target === null
      ? 'a refactoring of the worst function of the top hotspots'
      : `a refactoring of ${inlineCode(target)}`;
  const key = `refactor:${repoName(scope.repo)}:${target ?? ''}`;
  if (!(await scope.leases.claim(key, CLAIM_MS)))
    return {
      ok: true,
      reply: `${what} was started a moment ago; ${outcomeText(config)} (to run it again, re-run the workflow from the Actions tab).`,
      outcome: 'busy',
    };
  try {
    return { ok: true, reply: await dispatch(scope, target, requestedBy, config, what) };
  } catch (error: unknown) {
    // A failed dispatch holds no claim: asking again once the cause is fixed starts the run.
    await scope.leases.release(key);
    if (error instanceof DispatchError && error.status === 404)
      throw new DispatchError(
        missingWorkflowText(
          scope,
          config.app.refactorWorkflow,
          REFACTOR,
          `the optional input \`${TARGET_INPUT}\``,
        ),
        404,
      );
    throw error;
  }
}

async function dispatch(
  scope: EventScope,
  target: string | null,
  requestedBy: string,
  config: StewardConfig,
  what: string,
): Promise<string> {
  const { app } = config;
  const actions = scope.webUrl === null ? null : `${scope.webUrl}/actions`;
  if (app.dispatch === 'workflow') {
    const workflow = app.refactorWorkflow;
    // The default branch's workflow file runs; a target is its one input.
    await scope.client.dispatchWorkflow({
      workflow,
      ref: scope.defaultBranch,
      inputs: target === null ? {} : { [TARGET_INPUT]: target },
    });
    const runs =
      actions === null ? '' : ` ([runs](${actions}/workflows/${encodeURIComponent(workflow)}))`;
    return `${what} started in ${inlineCode(workflow)}${runs} (workflow_dispatch on ${scope.defaultBranch}); ${outcomeText(config)}.`;
  }
  const eventType = app.refactorEventType;
  await scope.client.dispatchRepositoryEvent({
    eventType,
    clientPayload: { target, requested_by: requestedBy, delivery: scope.delivery.id },
  });
  const runs = actions === null ? '' : ` ([runs](${actions}))`;
  return `${what} was sent to the repository's workflows as repository_dispatch ${inlineCode(eventType)}${runs}; ${outcomeText(config)}.`;
}

/** What the run leaves once it ends. */
function outcomeText(config: StewardConfig): string {
  const open = config.refactor.maxOpen;
  return `when one is proven (types, tests twice, the same public API, file health up by ${config.refactor.minHealthGain} or more), a pull request labelled \`steward:refactor\` opens when the run ends (at most ${open} open at a time, \`refactor.max-open\`)`;
}
