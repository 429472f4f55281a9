import type { BranchTip, GitHubClient } from '../github/client.ts';
import { readTestsMarker, renderTestsBody, testsHeadline } from './markdown.ts';
import { checkPatchText, type CheckedTestPatch, type PatchCheck, type TestPatch } from './patch.ts';

/**
 * Delivering kept tests, in the job that holds the write token and runs no repository code, from
 * a patch `checkPatch` accepted. One commit made through the API (signed by GitHub, pinned to the
 * head the tests were made for), either on Steward's branch `steward/tests/<N>` with a "Tests for
 * #N" pull request into the pull request's head branch, or (`push`) straight onto the head branch.
 *
 * Every step is idempotent, decided on what only Steward's account can have written: the branch
 * tip counts as delivered when it is a commit authored by the token's account, signed by GitHub,
 * whose only parent is the head and whose message names it; the pull request counts as Steward's
 * when that account opened it and its body opens with the tests marker. A rerun on the same head
 * commits nothing and opens nothing. A new head resets Steward's branch to it and commits the new
 * tests on top, and the same pull request is rewritten: it always shows one commit, on the head it
 * was made for. The `steward/tests/` branches are Steward's to reset.
 */

export type DeliveryPort = Pick<
  GitHubClient,
  | 'getPullRequestSnapshot'
  | 'getBranchTip'
  | 'createBranch'
  | 'resetBranch'
  | 'createCommitOnBranch'
  | 'findPullRequestsByHead'
  | 'createPullRequest'
  | 'updatePullRequest'
  | 'repo'
>;

export type DeliveryMode = 'pull-request' | 'push';

/** The pull request as job 2 read it from GitHub (never from the artifact). */
export interface DeliveryTarget {
  number: number;
  headSha: string;
  headRefName: string;
  /** The head branch is in a fork: the token cannot write it. */
  isCrossRepository: boolean;
}

export type DeliveryOutcome =
  | {
      kind: 'pull-request';
      number: number;
      url: string;
      action: 'created' | 'updated' | 'unchanged';
      commitSha: string;
      /** Whether this run made the commit (false: it was already there). */
      committed: boolean;
    }
  | { kind: 'pushed'; commitSha: string; committed: boolean }
  /** The branch moved under the delivery: nothing was pushed over it. */
  | { kind: 'head-moved'; message: string }
  | { kind: 'not-delivered'; reason: string };

/** Steward's branch for the tests of pull request `n`. */
export function testsBranch(pullRequest: number): string {
  return `steward/tests/${pullRequest}`;
}

/** The trailer naming the head a tests commit was made for. */
export function testsTrailer(headSha: string): string {
  return `Steward-Tests-For: ${headSha}`;
}

/**
 * The delivery job from end to end: the pull request as GitHub has it now, the artifact's text
 * checked against it, and only an accepted patch delivered. The result is the check's when it
 * refused or the head moved, else the delivery's.
 */
export async function deliverArtifact(
  github: DeliveryPort,
  input: {
    artifact: string;
    pullRequest: number;
    mode: DeliveryMode;
    testFile: (path: string) => boolean;
  },
): Promise<PatchCheck | DeliveryOutcome> {
  const snapshot = await github.getPullRequestSnapshot(input.pullRequest);
  if (snapshot.state !== 'OPEN') {
    return { kind: 'not-delivered', reason: `#${snapshot.number} is no longer open` };
  }
  const check = checkPatchText(input.artifact, {
    testFile: input.testFile,
    expected: {
      repository: `${github.repo.owner}/${github.repo.repo}`,
      pullRequest: snapshot.number,
      headSha: snapshot.headSha,
    },
  });
  if (check.kind !== 'ok') return check;
  return deliverTests(github, {
    target: {
      number: snapshot.number,
      headSha: snapshot.headSha,
      headRefName: snapshot.headRefName,
      isCrossRepository: snapshot.isCrossRepository,
    },
    mode: input.mode,
    patch: check.patch,
  });
}

export async function deliverTests(
  github: DeliveryPort,
  input: { target: DeliveryTarget; mode: DeliveryMode; patch: CheckedTestPatch },
): Promise<DeliveryOutcome> {
  const { target, mode, patch } = input;
  if (patch.headSha !== target.headSha || patch.pullRequest !== target.number) {
    return {
      kind: 'head-moved',
      message: `head moved: the tests were made for ${patch.headSha.slice(0, 7)} of #${patch.pullRequest}, but #${target.number} is at ${target.headSha.slice(0, 7)}; regenerate them`,
    };
  }
  if (target.isCrossRepository) {
    return {
      kind: 'not-delivered',
      reason: `cannot deliver to a fork's branch: the head branch of #${target.number} is in another repository, which this token cannot write; the tests are in the job summary and the patch artifact`,
    };
  }
  if (patch.files.length === 0)
    return { kind: 'not-delivered', reason: 'no test was kept, so there is nothing to commit' };
  return mode === 'push' ? push(github, target, patch) : pullRequest(github, target, patch);
}

function commitInput(branch: string, target: DeliveryTarget, patch: TestPatch) {
  return {
    branch,
    expectedHeadSha: target.headSha,
    headline: testsHeadline(target.number, patch.report),
    body: `Generated and checked by Steward for ${target.headSha}: each test type-checks, passes every run, and kills a surviving mutant or covers a changed line.\n\n${testsTrailer(target.headSha)}`,
    files: patch.files,
  };
}

/** The tip is the tests commit Steward made for `headSha`, and nobody else could have made it. */
function isOurTestsCommit(tip: BranchTip, headSha: string): boolean {
  return (
    tip.ours &&
    tip.verified &&
    tip.parents.length === 1 &&
    tip.parents[0] === headSha &&
    tip.message.split(/\r?\n/).includes(testsTrailer(headSha))
  );
}

async function push(
  github: DeliveryPort,
  target: DeliveryTarget,
  patch: TestPatch,
): Promise<DeliveryOutcome> {
  const tip = await github.getBranchTip(target.headRefName);
  if (!tip)
    return {
      kind: 'not-delivered',
      reason: `the head branch ${target.headRefName} no longer exists`,
    };
  if (tip.sha !== target.headSha) {
    if (isOurTestsCommit(tip, target.headSha))
      return { kind: 'pushed', commitSha: tip.sha, committed: false };
    return headMoved(target, tip.sha);
  }
  const made = await github.createCommitOnBranch(commitInput(target.headRefName, target, patch));
  if (made.kind === 'head-moved') return headMoved(target, null);
  return { kind: 'pushed', commitSha: made.sha, committed: true };
}

function headMoved(target: DeliveryTarget, now: string | null): DeliveryOutcome {
  const where = now === null ? 'moved' : `is now at ${now.slice(0, 7)}`;
  return {
    kind: 'head-moved',
    message: `head moved: ${target.headRefName} ${where}, not ${target.headSha.slice(0, 7)} the tests were made for; regenerate them`,
  };
}

async function pullRequest(
  github: DeliveryPort,
  target: DeliveryTarget,
  patch: TestPatch,
): Promise<DeliveryOutcome> {
  const branch = testsBranch(target.number);
  const all = await github.findPullRequestsByHead(branch);
  const open = all.filter((pr) => pr.state === 'open');
  const ours =
    open.find((pr) => pr.ours && readTestsMarker(pr.body)?.pullRequest === target.number) ??
    open.find((pr) => pr.ours);
  const foreign = open.find((pr) => pr !== ours);
  if (!ours && foreign) {
    return {
      kind: 'not-delivered',
      reason: `#${foreign.number} is open from ${branch} and Steward did not open it; close it (or delete the branch) and run again`,
    };
  }
  // A person closed the tests pull request for this very head: it is not opened again until a new head.
  const declined = all.find(
    (pr) =>
      pr.state === 'closed' &&
      pr.ours &&
      readTestsMarker(pr.body)?.pullRequest === target.number &&
      readTestsMarker(pr.body)?.headSha === target.headSha,
  );
  if (!ours && declined) {
    return {
      kind: 'not-delivered',
      reason: `the tests pull request #${declined.number} for ${target.headSha.slice(0, 7)} was closed; Steward opens none again for the same head`,
    };
  }

  let commitSha: string;
  let committed = false;
  const tip = await github.getBranchTip(branch);
  if (tip && isOurTestsCommit(tip, target.headSha)) {
    commitSha = tip.sha;
  } else {
    if (!tip) {
      const created = await github.createBranch(branch, target.headSha);
      if (created === 'exists') await github.resetBranch(branch, target.headSha);
    } else if (tip.sha !== target.headSha) {
      await github.resetBranch(branch, target.headSha);
    }
    const made = await github.createCommitOnBranch(commitInput(branch, target, patch));
    if (made.kind === 'head-moved') {
      return {
        kind: 'head-moved',
        message: `${branch} moved while Steward committed to it (another run?): run again`,
      };
    }
    commitSha = made.sha;
    committed = true;
  }

  const title = `Tests for #${target.number}`;
  const body = renderTestsBody({
    pullRequest: target.number,
    headSha: target.headSha,
    headRefName: target.headRefName,
    report: patch.report,
  });
  if (ours) {
    // Already delivered for this head: the body describes the commit there, so it stays even when
    // this run's report differs (a regenerated patch for the same head commits nothing either).
    if (!committed && readTestsMarker(ours.body)?.headSha === target.headSha) {
      return {
        kind: 'pull-request',
        number: ours.number,
        url: ours.url,
        action: 'unchanged',
        commitSha,
        committed,
      };
    }
    await github.updatePullRequest({ number: ours.number, title, body });
    return {
      kind: 'pull-request',
      number: ours.number,
      url: ours.url,
      action: 'updated',
      commitSha,
      committed,
    };
  }
  const opened = await github.createPullRequest({
    head: branch,
    base: target.headRefName,
    title,
    body,
  });
  if (opened.kind === 'exists') {
    return {
      kind: 'not-delivered',
      reason: `GitHub says a pull request from ${branch} is already open, but none of Steward's was found: ${opened.message}`,
    };
  }
  return {
    kind: 'pull-request',
    number: opened.number,
    url: opened.url,
    action: 'created',
    commitSha,
    committed,
  };
}
