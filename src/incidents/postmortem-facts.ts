import type {
  DeploymentFacts,
  GitHubClient,
  IssueFacts,
  MergedPullRequest,
  PullRequestFile,
} from '../github/client.ts';
import { assessAll } from '../health/assess.ts';
import { healthDeltaOfTexts, type ChangedText } from '../health/assess-texts.ts';
import { analyseSource } from '../health/complexity/analyse.ts';
import { isAnalysable } from '../health/complexity/languages.ts';
import type { FileHealthDelta } from '../health/delta.ts';
import { defaultHealthSettings, type HealthSettings } from '../health/settings.ts';
import { scoreHotspots, type HotspotInput } from '../hotspots/hotspot-score.ts';
import type { IncidentState } from './incident-state.ts';
import {
  impactStart,
  type IssueActivity,
  type SuspiciousChanges,
  type SuspiciousFile,
  type SuspiciousPullRequest,
} from './postmortem.ts';
import { mapLimit } from './map-limit.ts';

/**
 * What the post-incident report says beyond the incident's own state, read from GitHub: the
 * issue's comments and events (who acknowledged it), and the suspicious changes, the pull requests
 * merged into the default branch and the deployments in the lookback window before the impact
 * started, each pull request's files with their code health before and after (Steward's health
 * engine on the texts at the pull request's base and merge commit) and their hotspot rank among
 * the files these pull requests changed.
 *
 * Bounded: at most `maxPullRequests` pull requests, `maxFiles` files and `maxDeployments`
 * deployments, the rest counted and said. Every read can fail or answer nonsense: that part of the
 * report says what could not be read, and the report is written all the same. Never throws for
 * what GitHub answers.
 */

export interface PostmortemFactsOptions {
  /** How far before the impact start to look for changes (config `incidents.lookback`). */
  lookbackMs: number;
  /** The branch pull requests merge into (the repository's default branch). */
  defaultBranch: string;
  /** When the report is written; the 90-day churn window ends here. Default: the clock. */
  now?: Date;
  /** Pull requests analysed at most (the newest); default 20. */
  maxPullRequests?: number;
  /** Changed files listed at most across those pull requests; default 30. */
  maxFiles?: number;
  /** Deployments listed at most (the newest); default 20. */
  maxDeployments?: number;
  /** The repository's health settings (`hotspots:` thresholds and excludes); defaults otherwise. */
  health?: Pick<HealthSettings, 'thresholds' | 'exclude'>;
}

export interface PostmortemFacts {
  activity: IssueActivity | null;
  activityProblem: string | null;
  changes: SuspiciousChanges;
}

export const POSTMORTEM_FACTS_DEFAULTS = {
  maxPullRequests: 20,
  maxFiles: 30,
  maxDeployments: 20,
  /** The churn window of the hotspot rank. */
  churnDays: 90,
  /** Commits counted per file at most (one page). */
  churnCap: 100,
  /** Requests in flight at once. */
  concurrency: 4,
} as const;

type Client = Pick<
  GitHubClient,
  | 'listIssueComments'
  | 'listIssueEvents'
  | 'listMergedPullRequests'
  | 'listDeployments'
  | 'listPullRequestFiles'
  | 'getFileText'
  | 'countCommitsTouching'
>;

function why(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The list, or an error saying GitHub answered something else. */
function asList<T>(value: unknown, what: string): T[] {
  if (!Array.isArray(value)) throw new Error(`GitHub's answer for ${what} is not a list`);
  return value as T[];
}

function validPullRequest(pr: MergedPullRequest): boolean {
  return (
    typeof pr === 'object' &&
    pr !== null &&
    isCount(pr.number) &&
    pr.number > 0 &&
    isTime(pr.mergedAt) &&
    isString(pr.title) &&
    isString(pr.url) &&
    isString(pr.baseRefName) &&
    isString(pr.baseSha) &&
    (pr.mergeCommitSha === null || isString(pr.mergeCommitSha)) &&
    (pr.author === null || isString(pr.author))
  );
}

function validDeployment(d: DeploymentFacts): boolean {
  return (
    typeof d === 'object' &&
    d !== null &&
    isCount(d.id) &&
    isTime(d.createdAt) &&
    isString(d.sha) &&
    isString(d.ref) &&
    isString(d.environment) &&
    isString(d.url) &&
    (d.description === null || isString(d.description)) &&
    (d.creator === null || isString(d.creator))
  );
}

const FILE_STATUSES = new Set([
  'added',
  'removed',
  'modified',
  'renamed',
  'copied',
  'changed',
  'unchanged',
]);

function validFile(f: PullRequestFile): boolean {
  return (
    typeof f === 'object' &&
    f !== null &&
    isString(f.path) &&
    f.path !== '' &&
    FILE_STATUSES.has(f.status) &&
    (f.previousPath === null || isString(f.previousPath))
  );
}

function inWindow(iso: string, since: number, until: number): boolean {
  const ms = Date.parse(iso);
  return ms >= since && ms <= until;
}

function newestFirst(a: string, b: string): number {
  return Date.parse(b) - Date.parse(a);
}

async function readActivity(
  client: Client,
  issue: IssueFacts,
): Promise<{ activity: IssueActivity | null; problem: string | null }> {
  try {
    const [comments, events] = await Promise.all([
      client.listIssueComments(issue.number),
      client.listIssueEvents(issue.number),
    ]);
    return {
      activity: {
        comments: asList<IssueActivity['comments'][number]>(comments, 'the comments').filter(
          (c) => typeof c === 'object' && c !== null && isTime(c.createdAt),
        ),
        events: asList<IssueActivity['events'][number]>(events, 'the events').filter(
          (e) => typeof e === 'object' && e !== null && isTime(e.createdAt) && isString(e.event),
        ),
      },
      problem: null,
    };
  } catch (error: unknown) {
    return { activity: null, problem: why(error) };
  }
}

/** A file's texts on both sides of its pull request, or why they could not be read. */
async function readTexts(
  client: Client,
  pr: MergedPullRequest,
  file: PullRequestFile,
): Promise<ChangedText | string> {
  try {
    const before =
      file.status === 'added'
        ? null
        : await client.getFileText(file.previousPath ?? file.path, pr.baseSha);
    let after: string | null = null;
    if (file.status !== 'removed') {
      if (pr.mergeCommitSha === null) return 'GitHub names no merge commit';
      after = await client.getFileText(file.path, pr.mergeCommitSha);
      if (after === null) return 'not found at the merge commit';
    }
    if (before !== null && !isString(before)) return 'GitHub answered no text';
    if (after !== null && !isString(after)) return 'GitHub answered no text';
    return { path: file.path, previousPath: file.previousPath, before, after };
  } catch (error: unknown) {
    return `text not read: ${why(error)}`;
  }
}

interface AnalysedPullRequest {
  entry: SuspiciousPullRequest;
  /** The after texts, for the hotspot score. */
  afterTexts: Map<string, string>;
}

async function analysePullRequest(
  client: Client,
  pr: MergedPullRequest,
  budget: { files: number },
  health: Pick<HealthSettings, 'thresholds' | 'exclude'>,
): Promise<AnalysedPullRequest> {
  const entry: SuspiciousPullRequest = {
    pullRequest: pr,
    files: [],
    filesLeftOut: 0,
    filesProblem: null,
  };
  const afterTexts = new Map<string, string>();
  let files: PullRequestFile[];
  try {
    const listed = asList<PullRequestFile>(
      await client.listPullRequestFiles(pr.number),
      'the files',
    );
    files = listed.filter(validFile);
    const odd = listed.length - files.length;
    if (odd > 0)
      entry.filesProblem = `${odd} file entr${odd === 1 ? 'y' : 'ies'} GitHub answered could not be read`;
  } catch (error: unknown) {
    entry.filesProblem = why(error);
    return { entry, afterTexts };
  }
  const shown = files.slice(0, Math.max(0, budget.files));
  budget.files -= shown.length;
  entry.filesLeftOut = files.length - shown.length;

  const texts = await mapLimit(shown, POSTMORTEM_FACTS_DEFAULTS.concurrency, (file) =>
    isAnalysable(file.path) ? readTexts(client, pr, file) : Promise.resolve(null),
  );
  const changes = texts.filter((t): t is ChangedText => t !== null && typeof t !== 'string');
  let deltas = new Map<string, FileHealthDelta>();
  let healthProblem: string | null = null;
  try {
    deltas = new Map(healthDeltaOfTexts(changes, health).files.map((d) => [d.path, d]));
  } catch (error: unknown) {
    healthProblem = `health not measured: ${why(error)}`;
  }
  for (const change of changes)
    if (change.after !== null) afterTexts.set(change.path, change.after);

  shown.forEach((file, index) => {
    const text = texts[index];
    const delta = deltas.get(file.path);
    let note: string | null = null;
    if (text === null) note = 'not analysed (not a language Steward measures)';
    else if (typeof text === 'string') note = text;
    else if (healthProblem !== null) note = healthProblem;
    else if (delta === undefined)
      note = 'not analysed (excluded, generated, minified or too large)';
    entry.files.push({
      path: file.path,
      previousPath: file.previousPath,
      status: file.status,
      healthBefore: delta?.before ?? null,
      healthAfter: delta?.after ?? null,
      delta: delta?.delta ?? null,
      hotspot: null,
      note,
    });
  });
  return { entry, afterTexts };
}

/**
 * Each file's rank among `texts`' files by Steward's hotspot score (src/hotspots/hotspot-score.ts):
 * its commits on the default branch in the last 90 days, counted by GitHub, weighted by its size
 * from the analysis of its text. The API gives counts, not the commits, so every commit weighs the
 * same (no age decay, no bug-fix weight). Files no commit touched get no rank.
 */
async function rankFiles(
  client: Client,
  texts: ReadonlyMap<string, string>,
  options: {
    defaultBranch: string;
    now: Date;
    health: Pick<HealthSettings, 'thresholds' | 'exclude'>;
  },
): Promise<{ ranks: Map<string, { rank: number; of: number }>; problem: string | null }> {
  const paths = [...texts.keys()].sort();
  if (paths.length === 0) return { ranks: new Map(), problem: null };
  const since = new Date(
    options.now.getTime() - POSTMORTEM_FACTS_DEFAULTS.churnDays * 86_400_000,
  ).toISOString();
  let counts: number[];
  try {
    counts = await mapLimit(paths, POSTMORTEM_FACTS_DEFAULTS.concurrency, async (path) => {
      const count = await client.countCommitsTouching({
        path,
        ref: options.defaultBranch,
        since,
        cap: POSTMORTEM_FACTS_DEFAULTS.churnCap,
      });
      if (!isCount(count)) throw new Error(`GitHub's commit count for a file is not a count`);
      return Math.min(count, POSTMORTEM_FACTS_DEFAULTS.churnCap);
    });
  } catch (error: unknown) {
    return { ranks: new Map(), problem: why(error) };
  }
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const most = Math.max(0, ...counts);
  const commitList = Array.from({ length: most }, (_, i) => ({ sha: `c${i}`, time: nowSeconds }));
  const touches = new Map(
    paths.map((path, i) => [
      path,
      Array.from({ length: counts[i]! }, (_, commit) => ({ commit, lines: 0 })),
    ]),
  );
  const inputs: HotspotInput[] = [];
  for (const path of paths) {
    const analysis = analyseSource(path, texts.get(path)!);
    const health = assessAll([analysis], options.health).get(path)!;
    inputs.push({ path, history: undefined, analysis, health });
  }
  const scores = scoreHotspots(inputs, {
    commitList,
    touches,
    fixes: new Set(),
    coupling: [],
    now: nowSeconds,
  });
  const ranks = new Map<string, { rank: number; of: number }>();
  scores.forEach((score, index) => {
    if (score.raw > 0) ranks.set(score.path, { rank: index + 1, of: scores.length });
  });
  return { ranks, problem: null };
}

/** The facts of the report for one incident and its issue. Never throws for what GitHub answers. */
export async function gatherPostmortemFacts(
  client: Client,
  incident: { state: IncidentState; issue: IssueFacts },
  options: PostmortemFactsOptions,
): Promise<PostmortemFacts> {
  const { state, issue } = incident;
  const now = options.now ?? new Date();
  const health = options.health ?? defaultHealthSettings();
  const maxPullRequests = options.maxPullRequests ?? POSTMORTEM_FACTS_DEFAULTS.maxPullRequests;
  const maxDeployments = options.maxDeployments ?? POSTMORTEM_FACTS_DEFAULTS.maxDeployments;
  const start = Date.parse(impactStart(state) ?? state.firstNotifiedAt);
  const untilMs = start;
  const sinceMs = start - Math.max(0, options.lookbackMs);
  const since = new Date(sinceMs).toISOString();
  const until = new Date(untilMs).toISOString();
  const notes: string[] = [];

  const [activity, merged, deployed] = await Promise.all([
    readActivity(client, issue),
    (async () => {
      try {
        const listed = asList<MergedPullRequest>(
          await client.listMergedPullRequests({ base: options.defaultBranch, since, until }),
          'the merged pull requests',
        );
        const valid = listed.filter(validPullRequest);
        if (valid.length < listed.length)
          notes.push(
            `${listed.length - valid.length} pull requests GitHub answered could not be read`,
          );
        const kept = valid
          .filter(
            (pr) =>
              pr.baseRefName === options.defaultBranch && inWindow(pr.mergedAt, sinceMs, untilMs),
          )
          .sort((a, b) => newestFirst(a.mergedAt, b.mergedAt) || b.number - a.number);
        const unique = kept.filter((pr, i) => kept.findIndex((p) => p.number === pr.number) === i);
        return { list: unique, problem: null };
      } catch (error: unknown) {
        return { list: [] as MergedPullRequest[], problem: why(error) };
      }
    })(),
    (async () => {
      try {
        const listed = asList<DeploymentFacts>(
          await client.listDeployments({ since }),
          'the deployments',
        );
        const valid = listed.filter(validDeployment);
        if (valid.length < listed.length)
          notes.push(
            `${listed.length - valid.length} deployments GitHub answered could not be read`,
          );
        const kept = valid
          .filter((d) => inWindow(d.createdAt, sinceMs, untilMs))
          .sort((a, b) => newestFirst(a.createdAt, b.createdAt) || b.id - a.id);
        return { list: kept, problem: null };
      } catch (error: unknown) {
        return { list: [] as DeploymentFacts[], problem: why(error) };
      }
    })(),
  ]);

  const chosen = merged.list.slice(0, Math.max(0, maxPullRequests));
  const budget = { files: options.maxFiles ?? POSTMORTEM_FACTS_DEFAULTS.maxFiles };
  const analysed: AnalysedPullRequest[] = [];
  for (const pr of chosen) analysed.push(await analysePullRequest(client, pr, budget, health));

  // The newest pull request's text of a file stands for it.
  const afterTexts = new Map<string, string>();
  for (const { afterTexts: texts } of analysed)
    for (const [path, text] of texts) if (!afterTexts.has(path)) afterTexts.set(path, text);
  const ranked = await rankFiles(client, afterTexts, {
    defaultBranch: options.defaultBranch,
    now,
    health,
  });
  for (const { entry } of analysed)
    for (const file of entry.files as SuspiciousFile[])
      if (file.status !== 'removed') file.hotspot = ranked.ranks.get(file.path) ?? null;

  return {
    activity: activity.activity,
    activityProblem: activity.problem,
    changes: {
      defaultBranch: options.defaultBranch,
      lookbackMs: Math.max(0, options.lookbackMs),
      since,
      until,
      pullRequests: analysed.map((a) => a.entry),
      pullRequestsLeftOut: merged.list.length - chosen.length,
      pullRequestsProblem: merged.problem,
      deployments: deployed.list.slice(0, Math.max(0, maxDeployments)),
      deploymentsLeftOut: Math.max(0, deployed.list.length - Math.max(0, maxDeployments)),
      deploymentsProblem: deployed.problem,
      ranksProblem: ranked.problem,
      notes,
    },
  };
}
