import { headSha } from './state.ts';
import type { CheckRunRecord, GitHubState, PullRecord, RepoRecord, StatusRecord } from './state.ts';
import type { RequiredContextRecord } from './records.ts';
import { GITHUB_ACTIONS_APP } from './types.ts';
import type { CheckRunSeed, MergeStateStatus, StatusSeed } from './types.ts';
import { isoNow } from './ids.ts';

export type RollupEntry =
  | { kind: 'check-run'; name: string; run: CheckRunRecord }
  | { kind: 'status'; name: string; status: StatusRecord };

type Outcome = 'passing' | 'pending' | 'failing';

export function addCheckRun(
  state: GitHubState,
  repo: RepoRecord,
  sha: string,
  seed: CheckRunSeed,
): CheckRunRecord {
  if (seed.status === 'completed' && seed.conclusion === undefined) {
    throw new Error(`GitHub fake: completed check run "${seed.name}" needs a conclusion`);
  }
  state.ensureCommit(repo, { sha });
  const run: CheckRunRecord = {
    ...seed,
    id: state.newId(),
    startedAt: isoNow(),
    app: seed.app ?? GITHUB_ACTIONS_APP,
  };
  repo.checkRuns.set(sha, [...(repo.checkRuns.get(sha) ?? []), run]);
  return run;
}

export function addStatus(
  state: GitHubState,
  repo: RepoRecord,
  sha: string,
  seed: StatusSeed,
): StatusRecord {
  state.ensureCommit(repo, { sha });
  const status: StatusRecord = { ...seed, id: state.newId(), createdAt: isoNow() };
  repo.statuses.set(sha, [...(repo.statuses.get(sha) ?? []), status]);
  return status;
}

/**
 * The commit's status check rollup. Like GitHub, only the latest check run per name and App and the
 * latest status per context count, so a test can re-add a check to move it from in_progress to
 * completed.
 */
export function rollup(repo: RepoRecord, sha: string): RollupEntry[] {
  const runs = new Map<string, CheckRunRecord>();
  for (const run of repo.checkRuns.get(sha) ?? []) runs.set(`${run.app.id}:${run.name}`, run);
  const statuses = new Map<string, StatusRecord>();
  for (const status of repo.statuses.get(sha) ?? []) statuses.set(status.context, status);
  return [
    ...[...runs.values()].map((run) => ({ kind: 'check-run' as const, name: run.name, run })),
    ...[...statuses.values()].map((status) => ({
      kind: 'status' as const,
      name: status.context,
      status,
    })),
  ];
}

/** Every requirement of a branch, classic and ruleset, each with its App binding. */
export function requirements(repo: RepoRecord, branch: string): RequiredContextRecord[] {
  const required = repo.required.get(branch);
  return [...(required?.classic ?? []), ...(required?.rulesets ?? [])];
}

export function requiredContexts(repo: RepoRecord, branch: string): string[] {
  return [...new Set(requirements(repo, branch).map((r) => r.context))];
}

/** Whether a rollup entry satisfies a requirement: its name, and its App when the requirement binds one. */
export function satisfies(entry: RollupEntry, requirement: RequiredContextRecord): boolean {
  if (entry.name !== requirement.context) return false;
  if (requirement.appId === null) return true;
  return entry.kind === 'check-run' && entry.run.app.id === requirement.appId;
}

export function outcome(entry: RollupEntry): Outcome {
  if (entry.kind === 'status') {
    const s = entry.status.state;
    return s === 'success' ? 'passing' : s === 'pending' ? 'pending' : 'failing';
  }
  if (entry.run.status !== 'completed') return 'pending';
  const c = entry.run.conclusion;
  return c === 'success' || c === 'neutral' || c === 'skipped' ? 'passing' : 'failing';
}

/** The combined state GitHub reports for a rollup (StatusState). */
export function rollupState(entries: RollupEntry[]): 'SUCCESS' | 'PENDING' | 'FAILURE' {
  const outcomes = entries.map(outcome);
  if (outcomes.includes('failing')) return 'FAILURE';
  if (outcomes.includes('pending')) return 'PENDING';
  return 'SUCCESS';
}

/** Required contexts that block a merge, with the words GitHub's 405 answer uses. */
export function requiredProblems(repo: RepoRecord, pr: PullRecord): string[] {
  const entries = rollup(repo, headSha(pr));
  return requirements(repo, pr.baseRefName).flatMap((requirement) => {
    const name = requirement.context;
    const matching = entries.filter((e) => satisfies(e, requirement));
    if (matching.length === 0 || matching.some((e) => outcome(e) === 'pending')) {
      return [`Required status check "${name}" is expected.`];
    }
    return matching.some((e) => outcome(e) === 'failing')
      ? [`Required status check "${name}" is failing.`]
      : [];
  });
}

/** The seeded status, or what GitHub would compute from draft, conflicts and checks. */
export function mergeStateStatus(repo: RepoRecord, pr: PullRecord): MergeStateStatus {
  if (pr.explicitMergeStateStatus) return pr.explicitMergeStateStatus;
  if (pr.state !== 'OPEN' || pr.mergeable === 'UNKNOWN') return 'UNKNOWN';
  if (pr.isDraft) return 'DRAFT';
  if (pr.mergeable === 'CONFLICTING') return 'DIRTY';
  if (requiredProblems(repo, pr).length > 0) return 'BLOCKED';
  const outcomes = rollup(repo, headSha(pr)).map(outcome);
  return outcomes.some((o) => o !== 'passing') ? 'UNSTABLE' : 'CLEAN';
}

/** GitHub's isRequired: the entry is one a requirement of the pull request's base accepts. */
export function isRequired(
  repo: RepoRecord,
  pr: PullRecord | undefined,
  entry: RollupEntry,
): boolean {
  return pr !== undefined && requirements(repo, pr.baseRefName).some((r) => satisfies(entry, r));
}
