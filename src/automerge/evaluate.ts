import type { AutoMergeConfig } from './settings.ts';
import type { GitHubClient } from '../github/client.ts';
import type { CheckFacts, PullRequestFile, PullRequestSnapshot } from '../github/types.ts';
import { reconstructOldText } from '../diff/hunks.ts';
import { evaluateChecks } from './checks.ts';
import { disagreeingClaims, readClaims } from './claims.ts';
import { CheckName, fold, type Decision, type Verdict } from './decision.ts';
import { checkIdentity } from './identity.ts';
import { diffManifest, type DependencyChange } from './manifest-diff.ts';
import { checkPolicy, isSecurityUpdate } from './policy.ts';
import { checkReleaseAge, exactVersion, type PublishTimes } from './release-age.ts';
import { checkScope, lintLockfile } from './scope.ts';
import { changesFromCommitMetadata, METADATA_MANIFEST } from './commit-metadata.ts';
import { riskiest } from './update-type.ts';

/** Looks up when package versions were published; the npm registry in production. */
export interface PublishTimeSource {
  publishTimes(packages: readonly { name: string; version: string }[]): Promise<PublishTimes>;
}

export interface EvaluateInput {
  client: GitHubClient;
  registry: PublishTimeSource;
  config: AutoMergeConfig;
  snapshot: PullRequestSnapshot;
  now: Date;
  /** The workflow run making this decision: its own jobs are always in progress, so they are ignored. */
  selfRunId?: string;
}

/**
 * Gathers what the decision needs, cheapest first, and decides: `refused`, `pending`, or
 * `would-merge` when every check passed (executeDecision carries that out). Requests stop early where the
 * answer is already known: a pull request by a person costs no request beyond its snapshot.
 */
export async function evaluatePullRequest(input: EvaluateInput): Promise<Decision> {
  const { client, config, snapshot: pr } = input;
  const verdicts: Verdict[] = [];
  const decision = (dependencies: DependencyChange[], isBot: boolean): Decision => {
    const folded = fold(verdicts);
    return {
      number: pr.number,
      headSha: pr.headSha,
      outcome:
        folded.status === 'fail'
          ? 'refused'
          : folded.status === 'pending'
            ? 'pending'
            : 'would-merge',
      reason: folded.reason,
      updateType: riskiest(dependencies.map((d) => d.updateType)),
      dependencies,
      verdicts,
      warnings: verdicts.flatMap((v) => v.warnings ?? []),
      isBotPullRequest: isBot,
    };
  };

  const isBot = pr.author !== null && config.bots.includes(pr.author.login);
  verdicts.push(stateVerdict(pr));
  if (!isBot) {
    verdicts.push({
      check: CheckName.identity,
      status: 'fail',
      details: checkIdentity(pr, [], config.bots),
    });
    return decision([], false);
  }

  const commits = await client.listPullRequestCommits(pr.number);
  const identity = checkIdentity(pr, commits, config.bots);
  const lastListed = commits.at(-1)?.sha;
  if (lastListed !== undefined && lastListed !== pr.headSha) {
    // A push landed between the snapshot and the commit list: nothing read so far is about one
    // head, so decide nothing now; the push's own event brings a consistent snapshot.
    verdicts.push({
      check: CheckName.state,
      status: 'pending',
      details: [
        `the head moved to ${lastListed.slice(0, 7)} while Steward was reading; the push's event decides`,
      ],
    });
    return decision([], true);
  }
  verdicts.push(
    verdict(CheckName.identity, identity, 'every commit is by the bot with a verified signature'),
  );

  const files = await client.listPullRequestFiles(pr.number);
  const scope = checkScope(files, config.extraFiles);
  const scopeProblems = [...scope.problems];
  for (const lockfile of scope.lockfiles)
    scopeProblems.push(...lintLockfile(lockfile, config.registry));

  const manifests = await manifestPairs(client, pr, scope.manifests, scopeProblems);
  const dependencies: DependencyChange[] = [];
  for (const [path, pair] of manifests) {
    const diff = diffManifest(path, pair.before, pair.after);
    scopeProblems.push(...diff.problems);
    dependencies.push(...diff.changes);
  }
  verdicts.push(
    verdict(CheckName.scope, scopeProblems, `${files.length} files, all manifests or lockfiles`),
  );

  // Lockfile-only and other-ecosystem changes have no package.json diff to read the update from;
  // the bot's signed commit metadata (Dependabot) names them instead.
  const unexplained =
    scope.extra.length > 0 || (dependencies.length === 0 && scope.lockfiles.length > 0);
  const fromMetadata = unexplained
    ? changesFromCommitMetadata(commits.map((c) => c.message)).filter(
        (m) => !dependencies.some((d) => d.name === m.name),
      )
    : [];
  dependencies.push(...fromMetadata);

  verdicts.push(
    updateTypeVerdict(
      pr,
      commits.map((c) => c.message),
      dependencies,
      scope,
    ),
  );
  const security = isSecurityUpdate(pr.title, pr.labels);
  verdicts.push(
    verdict(
      CheckName.policy,
      dependencies.length > 0 ? checkPolicy(dependencies, config, security) : [],
      security ? 'allowed (security update)' : 'allowed by the update-type policy',
    ),
  );

  if (fold(verdicts).status === 'fail') {
    verdicts.push({
      check: CheckName.releaseAge,
      status: 'skipped',
      details: ['not looked up: already refused'],
    });
  } else {
    // The npm registry knows npm packages only: other ecosystems' updates have no age to check.
    const npm =
      scope.extra.length === 0
        ? dependencies
        : dependencies.filter((d) => d.manifest !== METADATA_MANIFEST);
    verdicts.push(await releaseAgeVerdict(input, npm, dependencies.length - npm.length));
  }

  const checks = input.selfRunId ? withoutRun(pr.checks, input.selfRunId) : pr.checks;
  const checkVerdict = evaluateChecks(checks, pr.requiredChecks, config);
  verdicts.push({
    check: CheckName.checks,
    status: checkVerdict.status,
    details: checkVerdict.details,
  });
  return decision(dependencies, true);
}

function stateVerdict(pr: PullRequestSnapshot): Verdict {
  const problems: string[] = [];
  const waits: string[] = [];
  if (pr.state !== 'OPEN') problems.push(`the pull request is ${pr.state.toLowerCase()}`);
  if (pr.isDraft) problems.push('the pull request is a draft');
  if (pr.mergeable === 'CONFLICTING') problems.push('the pull request has merge conflicts');
  if (pr.mergeable === 'UNKNOWN') waits.push('GitHub is still computing mergeability');
  if (pr.mergeStateStatus === 'BEHIND')
    waits.push('the head is behind the base branch; waiting for a rebase');
  if (problems.length > 0) return { check: CheckName.state, status: 'fail', details: problems };
  if (waits.length > 0) return { check: CheckName.state, status: 'pending', details: waits };
  return { check: CheckName.state, status: 'pass', details: ['open, not a draft, mergeable'] };
}

function verdict(check: Verdict['check'], problems: string[], passText: string): Verdict {
  return problems.length > 0
    ? { check, status: 'fail', details: problems }
    : { check, status: 'pass', details: [passText] };
}

function updateTypeVerdict(
  pr: PullRequestSnapshot,
  commitMessages: string[],
  dependencies: DependencyChange[],
  scope: ReturnType<typeof checkScope>,
): Verdict {
  const fail = (detail: string): Verdict => ({
    check: CheckName.updateType,
    status: 'fail',
    details: [detail],
  });
  const actual = riskiest(dependencies.map((d) => d.updateType));
  if (!actual) {
    const only =
      scope.lockfiles.length > 0 ? 'only lockfiles changed' : 'no dependency version changed';
    return fail(
      `${only} and no signed commit metadata names the update, so its type is unknown and Steward does not merge it`,
    );
  }
  if (scope.extra.length > 0 && !dependencies.some((d) => d.manifest === METADATA_MANIFEST)) {
    return fail(
      `${scope.extra.map((f) => f.path).join(', ')} changed, and no signed commit metadata names the update, so its type is unknown`,
    );
  }
  const details = dependencies.map(
    (d) =>
      `${d.name} ${d.from} → ${d.to}: ${d.updateType}${d.note ? ` (${d.note})` : ''}${d.manifest === METADATA_MANIFEST ? ' (from the signed commit metadata)' : ''}`,
  );
  const warnings = disagreeingClaims(readClaims(pr.title, pr.body, commitMessages), actual).map(
    (claim) => `${claim.source} says ${claim.updateType}, the diff says ${actual}; the diff wins`,
  );
  return { check: CheckName.updateType, status: 'pass', details, warnings };
}

async function manifestPairs(
  client: GitHubClient,
  pr: PullRequestSnapshot,
  manifests: readonly PullRequestFile[],
  problems: string[],
): Promise<Map<string, { before: string; after: string }>> {
  const pairs = new Map<string, { before: string; after: string }>();
  const needed = manifests.filter(
    (m) => !(m.path === 'package.json' && pr.rootManifestAtHead !== null),
  );
  const fetched =
    needed.length > 0
      ? await client.getFileTexts(
          needed.map((m) => m.path),
          pr.headSha,
        )
      : new Map();
  for (const manifest of manifests) {
    const after =
      manifest.path === 'package.json' && pr.rootManifestAtHead !== null
        ? pr.rootManifestAtHead
        : (fetched.get(manifest.path) ?? null);
    if (after === null) {
      problems.push(`${manifest.path}: could not be read at ${pr.headSha.slice(0, 7)}`);
    } else if (manifest.patch === null) {
      problems.push(
        `${manifest.path}: GitHub sent no diff (too large), so its changes cannot be checked`,
      );
    } else {
      try {
        pairs.set(manifest.path, { before: reconstructOldText(after, manifest.patch), after });
      } catch (error: unknown) {
        problems.push(
          `${manifest.path}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
  return pairs;
}

async function releaseAgeVerdict(
  input: EvaluateInput,
  dependencies: DependencyChange[],
  notNpm: number,
): Promise<Verdict> {
  const hours = input.config.minimumReleaseAgeHours;
  const unchecked = notNpm > 0 ? [`${notNpm} update(s) outside npm: no release age to check`] : [];
  const verdictOf = (status: Verdict['status'], details: string[]): Verdict => ({
    check: CheckName.releaseAge,
    status,
    details: [...details, ...unchecked],
  });
  if (hours <= 0) return verdictOf('pass', ['no minimum age configured']);
  const wanted = dependencies
    .filter((d) => d.updateType !== 'digest')
    .map((d) => ({ name: d.name.split(' > ').at(-1)!, version: exactVersion(d.to) ?? d.to }));
  const times = await input.registry.publishTimes(wanted);
  const age = checkReleaseAge(dependencies, times, hours, input.now);
  if (age.problems.length > 0) return verdictOf('fail', age.problems);
  if (age.pending.length > 0) return verdictOf('pending', age.pending);
  return verdictOf('pass', [`every version is older than ${hours} hours`]);
}

function withoutRun(checks: readonly CheckFacts[], runId: string): CheckFacts[] {
  return checks.filter((c) => !c.url?.includes(`/actions/runs/${runId}/`));
}
