import type { AutoMergeConfig } from './settings.ts';
import type { GitHubClient } from '../github/client.ts';
import type { PullRequestSnapshot, RequiredCheck } from '../github/client.ts';
import { headTexts, textPair } from './file-pair.ts';
import { evaluateChecks, withoutOwnJob } from './checks.ts';
import { disagreeingClaims, readClaims } from './claims.ts';
import { CheckName, fold, type Decision, type Verdict } from './decision.ts';
import { checkIdentity, MAX_LISTED_COMMITS } from './identity.ts';
import type { LockedVersion } from './lockfile/judge.ts';
import { judgeLockfileFile } from './lockfile/judge-file.ts';
import { diffManifest, type DependencyChange } from './manifest-diff.ts';
import { checkPolicy, isSecurityUpdate } from './policy.ts';
import { checkReleaseAge, exactVersion, type PublishTimes } from './release-age.ts';
import { checkScope } from './scope.ts';
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
  /**
   * The job making this decision (its workflow run and job name): its own check is always in
   * progress, so it alone is ignored; every other job of the run counts like any other check.
   */
  self?: { runId: string; job: string };
}

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;

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
  if (pr.commitCount > MAX_LISTED_COMMITS) {
    // The list stops at 250, so its last commit is not the head: that is the limit, not a push.
    verdicts.push({ check: CheckName.identity, status: 'fail', details: identity });
    return decision([], true);
  }
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
  if (files.length < pr.changedFiles) {
    // What GitHub did not list cannot be judged, so nothing else needs reading.
    verdicts.push({
      check: CheckName.scope,
      status: 'fail',
      details: [
        `GitHub listed ${files.length} of the ${pr.changedFiles} changed files (it lists at most ${MAX_LISTED_FILES.toLocaleString('en-US')}); the unlisted files cannot be judged`,
      ],
    });
    return decision([], true);
  }
  const scope = checkScope(files, config.extraFiles);
  const scopeProblems = [...scope.problems];

  const texts = await headTexts(client, pr, [...scope.manifests, ...scope.lockfiles]);
  const dependencies: DependencyChange[] = [];
  for (const manifest of scope.manifests) {
    const pair = textPair(manifest, texts.get(manifest.path) ?? null, pr, scopeProblems);
    if (!pair) continue;
    const diff = diffManifest(manifest.path, pair.before, pair.after);
    scopeProblems.push(...diff.problems);
    dependencies.push(...diff.changes);
  }
  const manifestNames = new Set(dependencies.map((d) => d.name.split(' > ').at(-1)!));
  const lockedVersions: LockedVersion[] = [];
  for (const lockfile of scope.lockfiles) {
    const judged = judgeLockfileFile(lockfile, texts.get(lockfile.path) ?? null, pr, {
      registries: [config.registry, 'https://registry.npmjs.org', 'https://registry.yarnpkg.com'],
      manifestNames,
    });
    scopeProblems.push(...judged.problems);
    lockedVersions.push(...judged.newVersions);
  }
  verdicts.push(
    verdict(
      CheckName.scope,
      scopeProblems,
      `${files.length} files, all manifests or lockfiles${scope.lockfiles.length > 0 ? '; every changed lockfile entry resolves from the registry' : ''}`,
    ),
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
    verdicts.push(
      await releaseAgeVerdict(input, npm, lockedVersions, dependencies.length - npm.length),
    );
  }

  verdicts.push(await checksVerdict(input, fold(verdicts).status === 'fail'));
  return decision(dependencies, true);
}

/**
 * The checks verdict. Classic protection's App bindings cost a REST read, made only when the
 * decision is still open: a pull request already refused reports its checks without them.
 */
async function checksVerdict(input: EvaluateInput, refused: boolean): Promise<Verdict> {
  const { snapshot: pr, config } = input;
  const checks = input.self ? withoutOwnJob(pr.checks, input.self) : pr.checks;
  const warnings = pr.requiredChecksProblem ? [pr.requiredChecksProblem] : [];
  let requirements: RequiredCheck[] = pr.requiredChecks;
  const notes: string[] = [];
  const unbound = requirements.some((r) => r.source === 'branch protection');
  if (unbound && refused) {
    notes.push(
      'which App each branch protection requirement is bound to was not read: already refused',
    );
  } else if (unbound) {
    // GraphQL's refUpdateRule names classic protection's contexts but not the App each is bound to.
    const bound = await input.client.getBranchProtectionChecks(pr.baseRefName);
    if (bound === null) {
      warnings.push(
        `the token cannot read branch ${pr.baseRefName} (GET /repos/{owner}/{repo}/branches/{branch} needs contents: read), so which App each required check of its protection must come from is unknown; Steward relied on GitHub's isRequired for the head`,
      );
      requirements = requirements.filter((r) => r.source !== 'branch protection');
    } else {
      requirements = [...requirements.filter((r) => r.source !== 'branch protection'), ...bound];
    }
  }
  const result = evaluateChecks(checks, requirements, config);
  return {
    check: CheckName.checks,
    status: result.status,
    details: [...result.details, ...notes],
    running: result.running,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
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

async function releaseAgeVerdict(
  input: EvaluateInput,
  dependencies: DependencyChange[],
  locked: LockedVersion[],
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
  const times = await input.registry.publishTimes([...wanted, ...locked]);
  const age = checkReleaseAge(dependencies, times, hours, input.now, locked);
  // A version younger than the minimum is refused for now, naming it; once it has aged, the next
  // event (a push, a check, a rebase) decides again and clears the refusal.
  if (age.problems.length > 0 || age.young.length > 0)
    return verdictOf('fail', [...age.problems, ...age.young]);
  return verdictOf('pass', [
    `every version is older than ${hours} hours${locked.length > 0 ? `, the ${locked.length} new lockfile version(s) included` : ''}`,
  ]);
}
