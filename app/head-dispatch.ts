import { inlineCode } from '../src/commands/markdown.ts';
import type { AppConfig } from '../src/commands/settings.ts';
import type { StewardConfig } from '../src/config/schema.ts';
import { DispatchError } from '../src/github/errors.ts';
import type { PullRequestSnapshot } from '../src/github/client.ts';
import type { CommandResult } from './handlers/commands.ts';
import type { EventScope } from './scope.ts';
import { repoName } from './scope.ts';

/**
 * The commands that hand a pull request's head to the repository's own workflow (`/steward mutate`,
 * `/steward tests`, `/steward chaos`): the app runs none of the pull request's code. It starts the default branch's
 * workflow file with workflow_dispatch (a pull request cannot choose what runs with the
 * repository's secrets), or sends a repository_dispatch, whose workflows also run from the default
 * branch. One run per command and head, whoever asks and however often the comment arrives.
 */

/** What differs between those commands; everything else is `dispatchForHead`. */
export interface HeadWorkflow {
  /** The lease's namespace: each command starts one run per head. */
  readonly name: 'mutate' | 'tests' | 'chaos';
  /** The work as a reply names it, before the head: `mutation testing of`. */
  readonly work: string;
  /** The answer on a pull request that is not open, after `#7 is closed; `. */
  readonly openOnly: string;
  /** The config key naming its workflow file (`app.mutation-workflow`, `chaos.workflow`). */
  readonly workflowKey: string;
  workflow(app: AppConfig, config: StewardConfig): string;
  eventType(app: AppConfig): string;
  /** What the run leaves, and where, once it ends: the reply's last clause. */
  outcome(config: StewardConfig, pullRequest: number): string;
  /** The workflow's job, for the missing-workflow reply: `the workflow that runs the mutation report`. */
  readonly purpose: string;
  /** A workflow to start from, folded in the missing-workflow reply. */
  readonly example: { readonly summary: string; readonly yaml: string };
}

/**
 * The one workflow_dispatch input: the pull request's number. The workflow reads the head from
 * the pull request itself, so nothing a comment says reaches the run.
 */
export const PULL_REQUEST_INPUT = 'pull-request';

/** The same head is not dispatched again within this time, whoever asks (one run per head). */
const CLAIM_MS = 10 * 60_000;

export async function dispatchForHead(
  scope: EventScope,
  number: number,
  requestedBy: string,
  config: StewardConfig,
  command: HeadWorkflow,
): Promise<CommandResult> {
  const snapshot = await scope.client.getPullRequestSnapshot(number);
  if (snapshot.state !== 'OPEN') {
    return {
      ok: false,
      reply: `#${snapshot.number} is ${snapshot.state.toLowerCase()}; ${command.openOnly}`,
    };
  }
  const key = `${command.name}:${repoName(scope.repo)}#${snapshot.number}@${snapshot.headSha}`;
  if (!(await scope.leases.claim(key, CLAIM_MS))) {
    return {
      ok: true,
      reply: `${command.work} ${headCode(snapshot)} was started a moment ago; ${command.outcome(config, snapshot.number)} (to run it again, re-run the workflow from the Actions tab).`,
      outcome: 'busy',
    };
  }
  try {
    return { ok: true, reply: await dispatch(scope, snapshot, requestedBy, config, command) };
  } catch (error: unknown) {
    // A failed dispatch holds no claim: asking again once the cause is fixed starts the run.
    await scope.leases.release(key);
    if (error instanceof DispatchError && error.status === 404)
      throw new DispatchError(
        missingWorkflowText(scope, command.workflow(config.app, config), command),
        404,
      );
    throw error;
  }
}

async function dispatch(
  scope: EventScope,
  snapshot: PullRequestSnapshot,
  requestedBy: string,
  config: StewardConfig,
  command: HeadWorkflow,
): Promise<string> {
  const { app } = config;
  const actions = actionsUrl(snapshot.url);
  const started = `${command.work} ${headCode(snapshot)}`;
  if (app.dispatch === 'workflow') {
    const workflow = command.workflow(app, config);
    // The default branch's workflow file runs, never the pull request's copy of it.
    await scope.client.dispatchWorkflow({
      workflow,
      ref: scope.defaultBranch,
      inputs: { [PULL_REQUEST_INPUT]: String(snapshot.number) },
    });
    const runs =
      actions === null ? '' : ` ([runs](${actions}/workflows/${encodeURIComponent(workflow)}))`;
    return `${started} started in ${inlineCode(workflow)}${runs} (workflow_dispatch on ${scope.defaultBranch}); ${command.outcome(config, snapshot.number)}.`;
  }
  const eventType = command.eventType(app);
  await scope.client.dispatchRepositoryEvent({
    eventType,
    clientPayload: {
      pull_request: snapshot.number,
      head_sha: snapshot.headSha,
      requested_by: requestedBy,
      delivery: scope.delivery.id,
    },
  });
  const runs = actions === null ? '' : ` ([runs](${actions}))`;
  return `${started} was sent to the repository's workflows as repository_dispatch ${inlineCode(eventType)}${runs}; ${command.outcome(config, snapshot.number)}.`;
}

function headCode(snapshot: PullRequestSnapshot): string {
  return `\`${snapshot.headSha.slice(0, 7)}\``;
}

/**
 * The repository's Actions page, from the pull request's URL as GitHub gives it
 * (`https://host/owner/repo/pull/7`); null for any other shape, rather than a link somewhere else.
 */
export function actionsUrl(pullUrl: string): string | null {
  const match = /^(https:\/\/[^/\s]+\/[\w.-]+\/[\w.-]+)\/pull\/\d+$/.exec(pullUrl);
  return match === null ? null : `${match[1]}/actions`;
}

/** What to add when the repository has no such workflow: the file, its trigger, an example. */
export function missingWorkflowText(
  scope: EventScope,
  workflow: string,
  command: Pick<HeadWorkflow, 'workflowKey' | 'purpose' | 'example'>,
  input = `the input \`${PULL_REQUEST_INPUT}\``,
): string {
  return [
    `${repoName(scope.repo)} has no workflow \`${workflow}\` on ${scope.defaultBranch}: add .github/workflows/${workflow} with an \`on: workflow_dispatch\` trigger taking ${input} (below), or set \`${command.workflowKey}\` in .github/steward.yml to ${command.purpose}.`,
    '',
    `<details><summary>${command.example.summary}</summary>`,
    '',
    '```yaml',
    command.example.yaml,
    '```',
    '',
    '</details>',
  ].join('\n');
}
