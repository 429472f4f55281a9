/**
 * Capacity pull requests (issue 19): for each `anomaly.capacity` rule whose series' forecast
 * reaches its limit within the horizon, one pull request that raises the rule's manifest field one
 * step within its bounds, with the forecast chart and the reasoning in the body. The repository's
 * manifests change, never the cluster: a person merges it.
 *
 * One branch per rule, `steward/capacity/<series>-<hash of the target>`, holding one commit made
 * through the API on the default branch's head. What only Steward's account can have made decides
 * every step, as refactoring's delivery does: a branch tip counts as Steward's when the token's
 * account authored it, GitHub verified it, its only parent is the base, and its message carries the
 * rule's trailer; a pull request counts as Steward's when that account opened it and its body opens
 * with the rule's marker. Anything else on the branch name (a person's pull request or commit) is
 * left alone and reported. A rerun with the same result writes nothing; a later result updates the
 * same pull request; a forecast that no longer reaches the limit closes it with a comment.
 */
import type { BranchTip, GitHubClient, HeadPullRequestFacts } from '../github/client.ts';
import { codeSpan } from '../markdown/untrusted.ts';
import type { AnomalyAnalysis } from './analyse.ts';
import { CapacityRefusal, planCapacityChange, type CapacityPlan } from './capacity.ts';
import { formatQuantity } from './quantity.ts';
import { chartNumber, mermaidChart } from './chart.ts';
import type { ForecastResult } from './forecast.ts';
import { isWorkflowFile, type AnomalyConfig, type CapacityRule } from './settings.ts';

export type CapacityPort = Pick<
  GitHubClient,
  | 'getBranchTip'
  | 'getFileText'
  | 'createBranch'
  | 'resetBranch'
  | 'deleteBranch'
  | 'createCommitOnBranch'
  | 'findPullRequestsByHead'
  | 'createPullRequest'
  | 'updatePullRequest'
  | 'closePullRequest'
  | 'upsertComment'
>;

export interface CapacityOutcome {
  series: string;
  file: string;
  path: string;
  /**
   * opened / updated (commit or body) / unchanged (a rerun: nothing written) / closed (the forecast
   * no longer reaches the limit) / none (nothing to change, and no pull request open) /
   * refused (the manifest, the branch or a pull request is not Steward's to change) /
   * skipped (the series was not read this run) / failed (GitHub answered with an error).
   */
  action: 'opened' | 'updated' | 'unchanged' | 'closed' | 'none' | 'refused' | 'skipped' | 'failed';
  reason: string;
  branch: string;
  number?: number;
  url?: string;
  from?: number;
  to?: number;
}

export interface CapacitySyncOptions {
  defaultBranch: string;
  /** The workflow run's page, linked from the body (only an http(s) URL is). */
  runUrl: string;
  /** Epoch ms of this run (not written into the body, so a rerun compares equal). */
  now: number;
}

/** The hidden first line of the comment Steward leaves on a capacity pull request it closes. */
export const CAPACITY_CLOSED_MARKER = '<!-- steward:capacity-closed -->';
/** The hidden last line Steward adds to the body of a capacity pull request it closed itself. */
const STALE_LINE = '<!-- steward:capacity-stale -->';
/** The hidden second line of the body: the change proposed, in base units. */
const CHANGE_LINE = /^<!-- steward:capacity-change (\S+) (\S+) -->$/m;

function changeLine(change: Change): string {
  return `<!-- steward:capacity-change ${String(change.from)} ${String(change.to)} -->`;
}

/**
 * A pull request of Steward's for this rule that someone else closed (merged or not) proposing
 * exactly this change: the value on the default branch is still `from`, so it was not merged, and
 * proposing it again on every run would only nag.
 */
function rejectedBefore(
  prs: readonly HeadPullRequestFacts[],
  rule: CapacityRule,
  change: Change,
): HeadPullRequestFacts | null {
  const last = prs.find((pr) => pr.state === 'closed' && isOurPullRequest(pr, rule));
  if (!last || last.body.includes(STALE_LINE)) return null;
  const m = CHANGE_LINE.exec(last.body);
  return m !== null && Number(m[1]) === change.from && Number(m[2]) === change.to ? last : null;
}

/** FNV-1a, 32 bits, as 8 hex digits: a short stable name for a rule's target (not a secret). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The rule's target as one key: the file, the document when named, the path. */
export function capacityKey(rule: CapacityRule): string {
  const document = rule.document === null ? '' : `#${rule.document}`;
  return shortHash(`${rule.file}#${rule.path}${document}`);
}

/** `steward/capacity/disk-1a2b3c4d`: the series name is plain characters (settings check it). */
export function capacityBranch(rule: CapacityRule): string {
  return `steward/capacity/${rule.series}-${capacityKey(rule)}`;
}

export function capacityMarker(rule: CapacityRule): string {
  return `<!-- steward:capacity ${capacityKey(rule)} -->`;
}

function capacityTrailer(rule: CapacityRule): string {
  return `Steward-Capacity: ${capacityKey(rule)}`;
}

/** The tip is the commit Steward made for this rule (on `baseSha` when given). */
function isOurCapacityCommit(tip: BranchTip, rule: CapacityRule, baseSha: string | null): boolean {
  return (
    tip.ours &&
    tip.verified &&
    tip.parents.length === 1 &&
    (baseSha === null || tip.parents[0] === baseSha) &&
    tip.message.split(/\r?\n/).includes(capacityTrailer(rule))
  );
}

function isOurPullRequest(pr: HeadPullRequestFacts, rule: CapacityRule): boolean {
  return pr.ours && pr.body.split(/\r?\n/, 1)[0] === capacityMarker(rule);
}

function reaches(forecast: ForecastResult | null): boolean {
  return forecast !== null && forecast.withinHorizon && forecast.crossingAt !== null;
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

type Change = Extract<CapacityPlan, { kind: 'change' }>;

function title(rule: CapacityRule, change: Change): string {
  return `Capacity: ${rule.path} in ${rule.file} to ${formatQuantity(change.to, change.suffix)} (${rule.series} forecast)`;
}

/** The run link line, which differs on every run: kept out of the comparison of bodies. */
const RUN_LINE = /^<sub>Steward's anomaly watch, \[this run\]\(.*\)\.<\/sub>$/m;

function runLine(runUrl: string): string {
  const safe = /^https?:\/\/[^\s()<>[\]"'`]+$/.test(runUrl) ? runUrl : null;
  return safe === null
    ? "<sub>Steward's anomaly watch.</sub>"
    : `<sub>Steward's anomaly watch, [this run](${safe}).</sub>`;
}

function sameBody(a: string, b: string): boolean {
  const strip = (body: string) =>
    body.replace(RUN_LINE, '').replace("<sub>Steward's anomaly watch.</sub>", '');
  return strip(a) === strip(b);
}

function renderBody(
  rule: CapacityRule,
  analysis: AnomalyAnalysis,
  change: Change,
  options: CapacitySyncOptions & { horizonMs: number },
): string {
  const forecast = analysis.forecast!;
  const unit = (value: number) => formatQuantity(value, change.suffix);
  const bounds = `[${unit(rule.min)}, ${unit(rule.max)}]`;
  const field = `${codeSpan(rule.path)} in ${codeSpan(rule.file)}`;
  const interval = forecast.interval
    ? `${iso(forecast.interval.earliest)} to ${forecast.interval.latest === null ? 'never' : iso(forecast.interval.latest)}`
    : 'none (the trend is not significantly toward the limit)';
  const chart = mermaidChart(analysis.points, {
    title: `${rule.series} forecast`,
    windows: analysis.anomalies,
    limit: analysis.limit,
    forecast,
    horizonMs: options.horizonMs,
  });
  return [
    capacityMarker(rule),
    changeLine(change),
    `The forecast of the series ${codeSpan(rule.series)} reaches its limit${analysis.limit === null ? '' : ` of ${chartNumber(analysis.limit)}`} within the horizon, so this pull request raises ${field} from ${unit(change.from)} to ${unit(change.to)}: one step of ${unit(rule.step)}, within ${bounds}.`,
    '',
    chart,
    '',
    '| Forecast | |',
    '| --- | --- |',
    `| Method | ${forecast.method} (the better fit of the recent window: linear ${chartNumber(forecast.fit.linear)}, holt ${chartNumber(forecast.fit.holt)} RMSE) |`,
    `| Crossing | ${forecast.crossingAt === null ? 'none' : iso(forecast.crossingAt)} |`,
    `| Interval | ${interval} |`,
    `| Change | ${unit(change.from)} → ${unit(change.to)} within ${bounds} |`,
    '',
    `Merging applies the change through your usual deployment; Steward never changes the cluster. A later run updates this pull request, and closes it if the forecast no longer reaches the limit.`,
    '',
    runLine(options.runUrl),
  ].join('\n');
}

interface RuleContext {
  rule: CapacityRule;
  branch: string;
  outcome: (
    action: CapacityOutcome['action'],
    reason: string,
    extra?: Partial<CapacityOutcome>,
  ) => CapacityOutcome;
}

export async function syncCapacityPullRequests(
  client: CapacityPort,
  config: AnomalyConfig,
  analyses: ReadonlyMap<string, AnomalyAnalysis>,
  options: CapacitySyncOptions,
): Promise<CapacityOutcome[]> {
  const outcomes: CapacityOutcome[] = [];
  for (const rule of config.capacity) {
    const branch = capacityBranch(rule);
    const context: RuleContext = {
      rule,
      branch,
      outcome: (action, reason, extra = {}) => ({
        series: rule.series,
        file: rule.file,
        path: rule.path,
        action,
        reason,
        branch,
        ...extra,
      }),
    };
    try {
      outcomes.push(await syncRule(client, context, analyses.get(rule.series), config, options));
    } catch (error: unknown) {
      const why = error instanceof Error ? error.message : String(error);
      outcomes.push(context.outcome('failed', `${rule.file} ${rule.path}: ${why}`));
    }
  }
  return outcomes;
}

async function syncRule(
  client: CapacityPort,
  { rule, branch, outcome }: RuleContext,
  analysis: AnomalyAnalysis | undefined,
  config: AnomalyConfig,
  options: CapacitySyncOptions,
): Promise<CapacityOutcome> {
  if (analysis === undefined)
    return outcome('skipped', `the series ${rule.series} was not read this run`);
  if (isWorkflowFile(rule.file))
    return outcome(
      'refused',
      `${rule.file} is a workflow file: Steward's token cannot change workflows, and a workflow is no capacity manifest; point the rule at the manifest`,
    );

  const fromBranch = await client.findPullRequestsByHead(branch);
  const foreign = fromBranch.find((pr) => pr.state === 'open' && !isOurPullRequest(pr, rule));
  if (foreign)
    return outcome(
      'refused',
      `#${foreign.number} is open from ${branch} and is not Steward's capacity pull request for ${rule.file} ${rule.path}; Steward leaves it alone: close it (or delete the branch) and run again`,
      { number: foreign.number, url: foreign.url },
    );
  const open = fromBranch.find((pr) => pr.state === 'open' && isOurPullRequest(pr, rule)) ?? null;

  if (!reaches(analysis.forecast)) {
    if (open === null)
      return outcome(
        'none',
        `the forecast of ${rule.series} does not reach its limit within the horizon${analysis.forecast ? ` (${analysis.forecast.reason})` : analysis.forecastError ? ` (${analysis.forecastError})` : ''}`,
      );
    return closeOurs(client, { rule, branch, outcome }, open, analysis);
  }

  const base = await client.getBranchTip(options.defaultBranch);
  if (!base) return outcome('failed', `the default branch ${options.defaultBranch} does not exist`);
  const text = await client.getFileText(rule.file, base.sha);
  if (text === null)
    return outcome(
      'refused',
      `${rule.file} does not exist on ${options.defaultBranch}; fix file: in the capacity rule for ${rule.series}`,
    );
  let plan: CapacityPlan;
  try {
    plan = planCapacityChange(rule, text, analysis.forecast);
  } catch (error: unknown) {
    if (error instanceof CapacityRefusal) return outcome('refused', error.message);
    throw error;
  }
  if (plan.kind === 'none')
    return outcome(
      'none',
      open === null ? plan.reason : `${plan.reason}; Steward's #${open.number} is left open`,
      open === null ? {} : { number: open.number, url: open.url },
    );

  const rejected = open === null ? rejectedBefore(fromBranch, rule, plan) : null;
  if (rejected)
    return outcome(
      'none',
      `#${rejected.number} proposed this very change (${formatQuantity(plan.from, plan.suffix)} → ${formatQuantity(plan.to, plan.suffix)}) and was closed unmerged: Steward does not propose it again; reopen it, or change the value by hand`,
      { number: rejected.number, url: rejected.url },
    );

  const tip = await client.getBranchTip(branch);
  if (tip && !isOurCapacityCommit(tip, rule, null))
    return outcome(
      'refused',
      `${branch} holds a commit Steward did not make (${tip.sha.slice(0, 7)}): a person's work is not reset; delete the branch and run again`,
    );
  const committed =
    tip !== null &&
    tip.parents[0] === base.sha &&
    (await client.getFileText(rule.file, tip.sha)) === plan.text;
  if (!committed) {
    if (!tip) {
      if ((await client.createBranch(branch, base.sha)) === 'exists')
        return outcome(
          'refused',
          `${branch} appeared while Steward made it (another run?): run again`,
        );
    } else await client.resetBranch(branch, base.sha);
    const made = await client.createCommitOnBranch({
      branch,
      expectedHeadSha: base.sha,
      headline: title(rule, plan),
      body: `${plan.reason}\n\n${capacityTrailer(rule)}`,
      files: [{ path: rule.file, text: plan.text }],
    });
    if (made.kind === 'head-moved')
      return outcome(
        'failed',
        `${branch} moved while Steward committed to it (another run?): run again`,
      );
  }

  const body = renderBody(rule, analysis, plan, { ...options, horizonMs: config.horizonMs });
  const prTitle = title(rule, plan);
  const change = { from: plan.from, to: plan.to };
  const proposes = `${formatQuantity(plan.from, plan.suffix)} → ${formatQuantity(plan.to, plan.suffix)}`;
  if (open) {
    if (open.title === prTitle && sameBody(open.body, body))
      return committed
        ? outcome('unchanged', `#${open.number} already proposes ${proposes}`, {
            number: open.number,
            url: open.url,
            ...change,
          })
        : outcome(
            'updated',
            `#${open.number}: the change was committed again on ${base.sha.slice(0, 7)}`,
            {
              number: open.number,
              url: open.url,
              ...change,
            },
          );
    await client.updatePullRequest({ number: open.number, title: prTitle, body });
    return outcome('updated', `#${open.number} now proposes ${proposes}`, {
      number: open.number,
      url: open.url,
      ...change,
    });
  }
  const opened = await client.createPullRequest({
    head: branch,
    base: options.defaultBranch,
    title: prTitle,
    body,
  });
  if (opened.kind === 'exists')
    return outcome(
      'failed',
      `GitHub says a pull request from ${branch} is already open: ${opened.message}`,
    );
  return outcome('opened', plan.reason, { number: opened.number, url: opened.url, ...change });
}

async function closeOurs(
  client: CapacityPort,
  { rule, branch, outcome }: RuleContext,
  open: HeadPullRequestFacts,
  analysis: AnomalyAnalysis,
): Promise<CapacityOutcome> {
  const why = analysis.forecast?.reason ?? analysis.forecastError ?? 'no forecast was made';
  const tip = await client.getBranchTip(branch);
  if (tip && !isOurCapacityCommit(tip, rule, null))
    return outcome(
      'refused',
      `the forecast no longer reaches the limit, but ${branch} holds a commit Steward did not make (${tip.sha.slice(0, 7)}): #${open.number} is left open for whoever pushed it`,
      { number: open.number, url: open.url },
    );
  await client.upsertComment(
    open.number,
    CAPACITY_CLOSED_MARKER,
    `${CAPACITY_CLOSED_MARKER}\nSteward closed this pull request: the forecast of ${codeSpan(rule.series)} no longer reaches its limit within the horizon (${why}). A later run opens a new one if it does again.`,
  );
  await client.updatePullRequest({
    number: open.number,
    title: open.title,
    body: `${open.body}\n${STALE_LINE}`,
  });
  await client.closePullRequest(open.number);
  if (tip) await client.deleteBranch(branch);
  return outcome('closed', `the forecast no longer reaches the limit: ${why}`, {
    number: open.number,
    url: open.url,
  });
}
