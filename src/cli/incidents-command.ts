import type { GitHubClient, IssueFacts, RepoRef } from '../github/client.ts';
import { sanitize } from '../hotspots/report/format.ts';
import type { IncidentState } from '../incidents/incident-state.ts';
import {
  formatDuration,
  incidentDurations,
  type IncidentDurations,
} from '../incidents/postmortem.ts';
import { readIncidentState } from '../incidents/render.ts';
import { parseDurationHours } from '../settings/duration.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';
import { mapLimit } from '../incidents/map-limit.ts';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: steward incidents --repo OWNER/NAME [--since DURATION] [--author LOGIN]
                         [--format text|json]

Report how incidents went, from the incident issues Steward opened for Alertmanager alert
groups (label "incident"): how many were first notified in the window, the mean and median
time to acknowledge (the first notification to the first comment or assignment by a person)
and to resolve (the earliest alert's start to the group resolving), and the issues still open.

GITHUB_TOKEN (or GH_TOKEN) must be set to a token that can read the repository's issues;
GITHUB_API_URL names another API (GitHub Enterprise: https://HOST/api/v3).

Options:
  --repo OWNER/NAME  The repository the incident issues are in (required)
  --since DURATION   How far back, e.g. 90d, "12 weeks", 720h (default 90d)
  --author LOGIN     The account that opened the incident issues, e.g. the app's
                     steward-app[bot] (default: the account the token acts as)
  --format F         text (default) or json
  -h, --help         Show this help

JSON (--format json), version 1: { version, repo, since, incidents, acknowledged: { count,
meanMs, medianMs }, resolved: { count, meanMs, medianMs }, open: [{ number, url, title,
status, severity, firstNotifiedAt }], list: [{ number, url, title, state, status, severity,
firstNotifiedAt, acknowledgedAt, timeToAcknowledgeMs, resolvedAt, timeToResolveMs }],
notes }.

Exit status: 0 done, 1 no token or GitHub could not be read, 2 bad usage.
`;

const OPTIONS = {
  repo: { type: 'string' },
  since: { type: 'string' },
  author: { type: 'string' },
  format: { type: 'string' },
} as const;

const OWNER = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
const NAME = /^[\w.-]{1,100}$/;
const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}(?:\[bot\])?$/;
/** Reads of issues in flight at once. */
const CONCURRENCY = 4;

/** How the command reaches GitHub; tests pass their own. */
export interface IncidentsCommandEnvironment {
  client(input: {
    token: string;
    baseUrl: string;
    repo: RepoRef;
    author: string | null;
  }): Promise<Pick<GitHubClient, 'listOurIssues' | 'listIssueComments' | 'listIssueEvents'>>;
  now(): Date;
}

const processEnvironment: IncidentsCommandEnvironment = {
  async client({ token, baseUrl, repo, author }) {
    // Loaded only when the command runs: `steward --help` never loads Octokit.
    const [{ createActionsOctokit }, { createGitHubClient }] = await Promise.all([
      import('../github/actions-octokit.ts'),
      import('../github/octokit-client.ts'),
    ]);
    const octokit = createActionsOctokit({ token, baseUrl, warn: () => undefined });
    return createGitHubClient(
      octokit,
      repo,
      author === null ? {} : { ownAccount: { login: author, databaseId: null } },
    );
  },
  now: () => new Date(),
};

export function createIncidentsCommand(env: IncidentsCommandEnvironment): CommandCode {
  return { usage: USAGE, run: (argv, io) => incidents(argv, io, env) };
}

export const incidentsCommand = createIncidentsCommand(processEnvironment);

function parseRepo(value: string | undefined): RepoRef {
  if (value === undefined) throw new UsageError('--repo OWNER/NAME is required');
  const [owner, repo, ...rest] = value.trim().split('/');
  if (
    rest.length > 0 ||
    !owner ||
    !repo ||
    !OWNER.test(owner) ||
    !NAME.test(repo) ||
    repo === '.' ||
    repo === '..'
  )
    throw new UsageError(`--repo must be OWNER/NAME, as in acme/shop, got "${sanitize(value)}"`);
  return { owner, repo: repo.replace(/\.git$/, '') };
}

function parseSince(value: string | undefined, now: Date): { iso: string; hours: number } {
  const text = value ?? '90d';
  const read = parseDurationHours(text);
  if (!read.ok) throw new UsageError(`--since: ${read.message}`);
  if (!(read.hours > 0)) throw new UsageError(`--since must be longer than 0, got "${text}"`);
  const ms = now.getTime() - read.hours * 3_600_000;
  if (!Number.isFinite(ms) || ms < Date.UTC(2008, 0, 1))
    throw new UsageError(`--since reaches back before GitHub existed: "${sanitize(text)}"`);
  return { iso: new Date(ms).toISOString(), hours: read.hours };
}

function parseFormat(value: string | undefined): Format {
  if (value === undefined) return 'text';
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${sanitize(value)}"`);
}

interface IncidentRow {
  issue: IssueFacts;
  state: IncidentState;
  durations: IncidentDurations;
  /** Why the issue's comments and events could not be read. */
  problem: string | null;
}

interface Stats {
  count: number;
  meanMs: number | null;
  medianMs: number | null;
}

function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { count: 0, meanMs: null, medianMs: null };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { count: sorted.length, meanMs: Math.round(mean), medianMs: Math.round(median) };
}

function message(error: unknown): string {
  return sanitize((error instanceof Error ? error.message : String(error)).split('\n')[0]!);
}

async function incidents(
  argv: readonly string[],
  io: CommandIO,
  env: IncidentsCommandEnvironment,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    options: OPTIONS,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${sanitize(positionals[0]!)}"`);
  const repo = parseRepo(values.repo);
  const now = env.now();
  const since = parseSince(values.since, now);
  const format = parseFormat(values.format);
  const author = values.author?.trim() ?? null;
  if (author !== null && !LOGIN.test(author))
    throw new UsageError(`--author must be a GitHub login, got "${sanitize(author)}"`);

  const vars = io.env ?? {};
  const token = vars['GITHUB_TOKEN']?.trim() || vars['GH_TOKEN']?.trim() || '';
  if (token === '') {
    io.stderr(
      `steward incidents: GITHUB_TOKEN (or GH_TOKEN) is not set; set a token that can read ${repo.owner}/${repo.repo}'s issues (for example GITHUB_TOKEN=$(gh auth token)), then run again.\n`,
    );
    return 1;
  }
  const baseUrl = vars['GITHUB_API_URL']?.trim() || 'https://api.github.com';

  let client: Awaited<ReturnType<IncidentsCommandEnvironment['client']>>;
  let issues: IssueFacts[];
  try {
    client = await env.client({ token, baseUrl, repo, author });
    issues = await client.listOurIssues('incident', { since: since.iso });
  } catch (error: unknown) {
    io.stderr(
      `steward incidents: could not list the incident issues of ${repo.owner}/${repo.repo}: ${message(error)}\n`,
    );
    return 1;
  }

  const notes: string[] = [];
  const floor = Date.parse(since.iso);
  const candidates: { issue: IssueFacts; state: IncidentState }[] = [];
  let unreadable = 0;
  for (const issue of issues) {
    const state = readIncidentState(issue.body);
    if (state === null) {
      unreadable++;
      continue;
    }
    if (Date.parse(state.firstNotifiedAt) >= floor) candidates.push({ issue, state });
  }
  if (unreadable > 0)
    notes.push(
      `${unreadable} issue${unreadable === 1 ? '' : 's'} labelled incident carr${unreadable === 1 ? 'ies' : 'y'} no incident state Steward can read`,
    );

  const rows: IncidentRow[] = await mapLimit(candidates, CONCURRENCY, async ({ issue, state }) => {
    try {
      const [comments, events] = await Promise.all([
        client.listIssueComments(issue.number),
        client.listIssueEvents(issue.number),
      ]);
      return {
        issue,
        state,
        durations: incidentDurations(state, { comments, events }),
        problem: null,
      };
    } catch (error: unknown) {
      return { issue, state, durations: incidentDurations(state, null), problem: message(error) };
    }
  });
  const failed = rows.filter((row) => row.problem !== null);
  if (failed.length > 0)
    notes.push(
      `the comments of ${failed.length} issue${failed.length === 1 ? '' : 's'} could not be read (${failed[0]!.problem}); their acknowledgement is left out`,
    );
  rows.sort((a, b) => Date.parse(b.state.firstNotifiedAt) - Date.parse(a.state.firstNotifiedAt));

  const acknowledged = stats(
    rows.flatMap((r) =>
      r.durations.timeToAcknowledgeMs === null ? [] : [r.durations.timeToAcknowledgeMs],
    ),
  );
  const resolved = stats(
    rows.flatMap((r) =>
      r.durations.timeToResolveMs === null ? [] : [r.durations.timeToResolveMs],
    ),
  );
  const open = rows.filter((r) => r.issue.state === 'open');

  if (format === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          version: 1,
          repo: `${repo.owner}/${repo.repo}`,
          since: since.iso,
          incidents: rows.length,
          acknowledged,
          resolved,
          open: open.map((r) => ({
            number: r.issue.number,
            url: r.issue.url,
            title: r.issue.title,
            status: r.state.status,
            severity: r.state.severity,
            firstNotifiedAt: r.state.firstNotifiedAt,
          })),
          list: rows.map((r) => ({
            number: r.issue.number,
            url: r.issue.url,
            title: r.issue.title,
            state: r.issue.state,
            status: r.state.status,
            severity: r.state.severity,
            firstNotifiedAt: r.state.firstNotifiedAt,
            acknowledgedAt: r.durations.acknowledgement?.at ?? null,
            timeToAcknowledgeMs: r.durations.timeToAcknowledgeMs,
            resolvedAt: r.state.resolvedAt,
            timeToResolveMs: r.durations.timeToResolveMs,
          })),
          notes,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }

  const d = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));
  const lines = [
    `${repo.owner}/${repo.repo}: ${rows.length} incident${rows.length === 1 ? '' : 's'} first notified since ${since.iso}`,
  ];
  if (rows.length > 0) {
    lines.push(
      `  time to acknowledge: mean ${d(acknowledged.meanMs)}, median ${d(acknowledged.medianMs)} (${acknowledged.count} of ${rows.length} acknowledged)`,
      `  time to resolve:     mean ${d(resolved.meanMs)}, median ${d(resolved.medianMs)} (${resolved.count} of ${rows.length} resolved)`,
    );
  }
  lines.push(open.length === 0 ? 'No incident issue is open.' : `Open (${open.length}):`);
  for (const r of open) {
    const status = r.state.status === 'firing' ? 'firing' : 'resolved';
    const severity = r.state.severity === null ? '' : ` ${sanitize(r.state.severity)}`;
    lines.push(
      `  #${r.issue.number}  ${status}${severity}  ${sanitize(r.issue.title)}  since ${r.state.firstNotifiedAt}  ${sanitize(r.issue.url)}`,
    );
  }
  io.stdout(`${lines.join('\n')}\n`);
  for (const note of notes) io.stderr(`note: ${note}\n`);
  return 0;
}
