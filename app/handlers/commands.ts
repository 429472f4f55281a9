import type { ParsedComment } from '../../src/commands/parse.ts';
import { clearConfigReport, reportConfigErrors } from '../config-report.ts';
import type { StewardConfig } from '../../src/config/schema.ts';
import { describeSources, settingsYaml } from '../../src/config/format.ts';
import type { ConfigSource } from '../../src/config/loader.ts';
import { inlineCode } from '../../src/commands/markdown.ts';
import type { Outcome } from '../deliveries.ts';
import { reviewOnce } from '../review-work.ts';
import { dispatchForHead } from '../head-dispatch.ts';
import { CHAOS } from './chaos.ts';
import { MUTATE } from './mutate.ts';
import { TESTS } from './tests.ts';
import { refactorReply } from './refactor.ts';
import type { ReviewWork } from '../review-work.ts';
import type { EventScope } from '../scope.ts';
import type { CommentEvent } from './issue-comment.ts';

export interface CommandResult {
  /** 🚀 when true, 😕 when false. */
  ok: boolean;
  /** The reply's text; null when the config error comment already says everything. */
  reply: string | null;
  /** The metrics outcome when it is not simply handled or refused. */
  outcome?: Outcome;
}

type Command = Extract<ParsedComment, { kind: 'command' }>;

/** The commands that read the repository's config: review, health, hotspots, config, mutate, tests, chaos, refactor. */
export async function runCommand(
  scope: EventScope,
  event: CommentEvent,
  command: Command,
): Promise<CommandResult> {
  // A comment names no base branch; commands read the default branch's config, and a review
  // they dispatch is told that ref, so the workflow reads the same files.
  const loaded = await scope.config(scope.defaultBranch);
  if (!loaded.ok) {
    await reportConfigErrors(scope.client, event.issueNumber, loaded.errors, loaded.sources);
    return { ok: false, reply: null, outcome: 'config_invalid' };
  }
  await clearConfigReport(scope.client, event.issueNumber);
  switch (command.name) {
    case 'config':
      return { ok: true, reply: configReply(loaded.merged, loaded.sources, loaded.notes) };
    case 'hotspots':
      return { ok: true, reply: HOTSPOTS_REPLY };
    case 'health': {
      // Loaded when first asked for, like the review: the parsers are most of the app's memory.
      const { healthReply } = await import('./health.ts');
      return healthReply(scope, event.issueNumber, loaded.config);
    }
    case 'review':
      return reviewReply(scope, event, loaded.config, command.full);
    case 'mutate':
      return dispatchForHead(scope, event.issueNumber, event.author.login, loaded.config, MUTATE);
    case 'tests':
      return dispatchForHead(scope, event.issueNumber, event.author.login, loaded.config, TESTS);
    case 'chaos':
      return dispatchForHead(scope, event.issueNumber, event.author.login, loaded.config, CHAOS);
    case 'refactor':
      return refactorReply(scope, command.path, event.author.login, loaded.config);
    default:
      // The router sends only available commands here; a new one must be wired above.
      throw new Error(`the command ${command.name} has no handler in the app`);
  }
}

const HOTSPOTS_REPLY = [
  'hotspots rank files by how often they change and how complex they are, so they need the git history, which the app does not clone (it stays stateless and keeps no code on disk).',
  '',
  'Run them where the history is: `npx steward hotspots` in a clone, or `steward hotspots --format markdown` in a workflow step after `actions/checkout` with `fetch-depth: 0`. `/steward health` gives the code health of this pull request’s changed files from the API alone.',
].join('\n');

async function reviewReply(
  scope: EventScope,
  event: CommentEvent,
  config: StewardConfig,
  full: boolean,
): Promise<CommandResult> {
  const snapshot = await scope.client.getPullRequestSnapshot(event.issueNumber);
  if (snapshot.state !== 'OPEN') {
    return {
      ok: false,
      reply: `#${snapshot.number} is ${snapshot.state.toLowerCase()}; Steward reviews open pull requests.`,
    };
  }
  const work = await reviewOnce(
    scope,
    { number: snapshot.number, headSha: snapshot.headSha, fork: snapshot.isCrossRepository },
    config,
    { full, requestedBy: event.author.login, snapshot, configRef: scope.defaultBranch },
  );
  return { ok: true, reply: reviewText(work, scope, snapshot.headSha), outcome: outcomeOf(work) };
}

function outcomeOf(work: ReviewWork): Outcome {
  return work.kind === 'busy' ? 'busy' : 'handled';
}

function reviewText(work: ReviewWork, scope: EventScope, headSha: string): string {
  const head = `\`${headSha.slice(0, 7)}\``;
  switch (work.kind) {
    case 'busy':
      return `a review of ${head} is already under way; its findings will appear on this pull request.`;
    case 'dispatched':
      return work.via === 'workflow'
        ? `the model review of ${head} was handed to the workflow \`${work.target}\` (workflow_dispatch on ${scope.defaultBranch}); its findings appear here when the run ends.`
        : `the model review of ${head} was sent to the repository's workflows as repository_dispatch \`${work.target}\`; its findings appear here when the run ends.`;
    case 'reviewed': {
      const { outcome } = work;
      if (outcome.range === 'unchanged' || outcome.posting === null)
        return `${head} was already reviewed and nothing changed since. \`/steward review full\` reviews every change again.`;
      const { result, posting } = outcome;
      const found = result.findings.length + result.offDiff.length;
      const parts = [
        `${posting.posted} new inline comment(s)`,
        ...(posting.alreadyPosted > 0 ? [`${posting.alreadyPosted} already posted`] : []),
        ...(posting.rejected.length > 0
          ? [`${posting.rejected.length} GitHub refused inline`]
          : []),
      ];
      const range =
        outcome.range === 'since' ? 'the commits since the last review' : 'every change';
      const how = work.fork ? 'offline, as the pull request comes from a fork' : 'offline';
      return `reviewed ${range} at ${head} ${how}: ${found} finding(s), ${parts.join(', ')}. The summary comment has the details.`;
    }
  }
}

function configReply(
  merged: Readonly<Record<string, unknown>>,
  sources: readonly ConfigSource[],
  notes: readonly string[],
): string {
  const where = describeSources(sources, inlineCode);
  const body = settingsYaml(merged);
  // Longer than any run of backticks in the settings, so no value can close the block early.
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [
    `the configuration is valid. ${where}`,
    ...notes.map((note) => `Note: ${note}.`),
    ...(body === ''
      ? []
      : ['', 'Settings given (everything else is the default):', '', `${fence}yaml`, body, fence]),
  ].join('\n');
}
