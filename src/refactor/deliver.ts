import type { BranchTip, GitHubClient } from '../github/client.ts';
import { codeSpan } from '../markdown/untrusted.ts';
import type { CheckedRefactorArtifact, DeliverableRefactoring } from './artifact.ts';
import { markStale, REFACTOR_LABEL, refactorTitle, renderRefactorBody } from './markdown.ts';
import {
  asRefactorPullRequest,
  refactorPullRequests,
  type RefactorPullRequest,
  type RefactorPullRequests,
} from './pull-requests.ts';

/**
 * Delivering a proven refactoring, in the job that holds the write token and runs no repository
 * code, from an artifact `checkArtifact` accepted: one commit made through the API (signed by
 * GitHub) on `steward/refactor/<file>-<function>`, made on the default branch's tip the refactoring
 * was proven on, and a pull request labelled `steward:refactor`.
 *
 * Every step is decided on what only Steward's account can have written, as test generation's
 * delivery does: the branch tip counts as delivered when it is a commit authored by the token's
 * account, signed by GitHub, whose only parent is the base and whose message names the function's
 * fingerprint; a pull request counts as Steward's when that account opened it and its body opens
 * with the refactor marker. A rerun opens nothing and commits nothing. A failure once the branch
 * exists deletes it again: no half-made branch is left behind. The `steward/refactor/` branches are
 * Steward's to reset and delete.
 */

export type RefactorDeliveryPort = Pick<
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
  | 'listPullRequests'
  | 'listPullRequestFiles'
  | 'addLabels'
  | 'upsertComment'
>;

export type RefactorDelivery =
  /** `opened` now, or `existing`: a rerun found the pull request an earlier run opened. */
  | {
      kind: 'opened' | 'existing';
      number: number;
      url: string;
      branch: string;
      /** The pull request's head: the refactoring commit. */
      commitSha: string;
    }
  /** The base moved, the file changed, max-open reached, the fingerprint rejected: why. */
  | { kind: 'not-delivered'; reason: string };

export interface DeliverOptions {
  defaultBranch: string;
  maxOpen: number;
  /** What refactorPullRequests read this run, when the face already has it. */
  known?: RefactorPullRequests;
}

/** What tending did to one open refactoring pull request. */
export interface TendedPullRequest {
  number: number;
  action: 'current' | 'rebased' | 'closed' | 'left';
  reason: string;
}

/** Branch names stay short: this many characters of the file's and the function's slugs. */
const SLUG_LIMIT = 60;

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_LIMIT)
    .replace(/-+$/, '');
}

/** `steward/refactor/src-cli-args-ts-parseoptions` for parseOptions in src/cli/args.ts. */
export function refactorBranch(path: string, fn: string): string {
  return `steward/refactor/${slug(path) || 'file'}-${slug(fn) || 'function'}`;
}

/** The trailer naming the function a refactoring commit is for. */
export function refactorTrailer(fingerprint: string): string {
  return `Steward-Refactor: ${fingerprint}`;
}

/**
 * The tip is the refactoring commit Steward made for this fingerprint (on `baseSha` when given),
 * and nobody else could have made it.
 */
export function isOurRefactorCommit(
  tip: BranchTip,
  fingerprint: string,
  baseSha: string | null,
): boolean {
  return (
    tip.ours &&
    tip.verified &&
    tip.parents.length === 1 &&
    (baseSha === null || tip.parents[0] === baseSha) &&
    tip.message.split(/\r?\n/).includes(refactorTrailer(fingerprint))
  );
}

function commitMessage(artifact: DeliverableRefactoring): { headline: string; body: string } {
  const { target, health } = artifact;
  return {
    headline: refactorTitle(artifact),
    body: [
      `Proven by Steward on ${artifact.baseSha}: the file's code health ${health.before.fileHealth.toFixed(1)} → ${health.after.fileHealth.toFixed(1)}, cognitive complexity of ${target.function} ${health.before.cognitive} → ${health.after.cognitive}.`,
      '',
      refactorTrailer(target.fingerprint),
    ].join('\n'),
  };
}

export async function deliverRefactor(
  github: RefactorDeliveryPort,
  checked: CheckedRefactorArtifact,
  options: DeliverOptions,
): Promise<RefactorDelivery> {
  const { artifact } = checked;
  const { target } = artifact;
  const notDelivered = (reason: string): RefactorDelivery => ({ kind: 'not-delivered', reason });
  const known = options.known ?? (await refactorPullRequests(github));

  const same = known.open.find((pr) => pr.marker.fingerprint === target.fingerprint);
  if (same) {
    if (!same.labels.includes(REFACTOR_LABEL))
      await github.addLabels(same.number, [REFACTOR_LABEL]);
    return {
      kind: 'existing',
      number: same.number,
      url: same.url,
      branch: same.headRefName,
      commitSha: same.headSha,
    };
  }
  const samePath = known.open.find((pr) => pr.marker.path === artifact.path);
  if (samePath)
    return notDelivered(
      `Steward's refactoring pull request #${samePath.number} already changes ${artifact.path}`,
    );
  if (known.rejected.has(target.fingerprint))
    return notDelivered(
      `a refactoring pull request for ${target.function} in ${artifact.path} was closed unmerged: Steward does not propose it again`,
    );
  if (known.open.length >= options.maxOpen)
    return notDelivered(
      `${known.open.length} refactoring pull request${known.open.length === 1 ? ' is' : 's are'} open (max-open ${options.maxOpen}): ${known.open.map((pr) => `#${pr.number}`).join(', ')}`,
    );
  if (known.openPaths.has(artifact.path))
    return notDelivered(
      `an open pull request changes ${artifact.path}: a refactoring would conflict`,
    );

  const base = await github.getBranchTip(options.defaultBranch);
  if (!base) return notDelivered(`the default branch ${options.defaultBranch} does not exist`);
  if (base.sha !== artifact.baseSha)
    return notDelivered(
      `the base moved: the refactoring was proven on ${artifact.baseSha.slice(0, 7)}, but ${options.defaultBranch} is at ${base.sha.slice(0, 7)}; the next run proposes it again`,
    );
  const atBase = await github.getFileText(artifact.path, artifact.baseSha);
  if (atBase !== artifact.before)
    return notDelivered(
      `${artifact.path} at ${artifact.baseSha.slice(0, 7)} is not the text the refactoring was made from`,
    );

  const branch = refactorBranch(artifact.path, target.function);
  const fromBranch = await github.findPullRequestsByHead(branch);
  const openFromBranch = fromBranch.find((pr) => pr.state === 'open');
  if (openFromBranch)
    return notDelivered(
      `#${openFromBranch.number} is open from ${branch} and is not Steward's refactoring of ${target.function}; close it (or delete the branch) and run again`,
    );

  return onBranch(github, branch, async () => {
    let commitSha: string;
    const tip = await github.getBranchTip(branch);
    if (
      tip &&
      isOurRefactorCommit(tip, target.fingerprint, artifact.baseSha) &&
      (await github.getFileText(artifact.path, tip.sha)) === artifact.after
    ) {
      // An earlier run committed this very change and failed before the pull request opened.
      commitSha = tip.sha;
    } else {
      if (!tip) {
        const created = await github.createBranch(branch, artifact.baseSha);
        if (created === 'exists') await github.resetBranch(branch, artifact.baseSha);
      } else if (tip.sha !== artifact.baseSha) {
        await github.resetBranch(branch, artifact.baseSha);
      }
      const made = await github.createCommitOnBranch({
        branch,
        expectedHeadSha: artifact.baseSha,
        ...commitMessage(artifact),
        files: [{ path: artifact.path, text: artifact.after }],
      });
      if (made.kind === 'head-moved')
        throw new Retreat(
          `${branch} moved while Steward committed to it (another run?): run again`,
        );
      commitSha = made.sha;
    }
    const opened = await github.createPullRequest({
      head: branch,
      base: options.defaultBranch,
      title: refactorTitle(artifact),
      body: renderRefactorBody({
        target,
        health: artifact.health,
        proposal: artifact.proposal,
        proofs: artifact.proofs,
        baseSha: artifact.baseSha,
      }),
    });
    if (opened.kind === 'exists')
      throw new Retreat(
        `GitHub says a pull request from ${branch} is already open: ${opened.message}`,
      );
    return { number: opened.number, url: opened.url, branch, commitSha };
  }).then(async (result) => {
    if (typeof result === 'string') return notDelivered(result);
    // The pull request is the record from here on: a failed label is added by the next run.
    await github.addLabels(result.number, [REFACTOR_LABEL]);
    return { kind: 'opened', ...result } as const;
  });
}

/** A refusal after the branch was made: the branch is deleted, and the reason reported. */
class Retreat extends Error {}

/**
 * Runs the steps that need `branch` and, when any fails, deletes the branch before reporting:
 * a Retreat comes back as its reason, anything else is thrown again.
 */
async function onBranch<T>(
  github: Pick<RefactorDeliveryPort, 'deleteBranch'>,
  branch: string,
  steps: () => Promise<T>,
): Promise<T | string> {
  try {
    return await steps();
  } catch (error: unknown) {
    try {
      await github.deleteBranch(branch);
    } catch (cleanup: unknown) {
      const why = cleanup instanceof Error ? cleanup.message : String(cleanup);
      const what = error instanceof Error ? error.message : String(error);
      throw new Error(`${what}; deleting ${branch} after it failed too: ${why}`, {
        cause: cleanup,
      });
    }
    if (error instanceof Retreat) return error.message;
    throw error;
  }
}

/** The hidden first line of the comment Steward leaves on a refactoring pull request it closes. */
export const CLOSED_MARKER = '<!-- steward:refactor-closed -->';

/**
 * Steward's open refactoring pull requests whose base moved under them: when the file is the same
 * on the new tip, the same change is committed again on it (through a scratch branch, so the pull
 * request never shows an empty branch) and the branch moved there; when the file changed, the pull
 * request is closed with a comment saying why, marked stale (so the function may be proposed
 * again), and its branch deleted. A branch holding commits Steward did not make is left alone.
 */
export async function tendRefactorPullRequests(
  github: RefactorDeliveryPort,
  defaultBranchTip: string,
  options: { open?: readonly RefactorPullRequest[] } = {},
): Promise<TendedPullRequest[]> {
  const open =
    options.open ??
    (await github.listPullRequests('open')).flatMap((pr) => asRefactorPullRequest(pr) ?? []);
  const outcomes: TendedPullRequest[] = [];
  for (const pr of open) outcomes.push(await tendOne(github, pr, defaultBranchTip));
  return outcomes;
}

async function tendOne(
  github: RefactorDeliveryPort,
  pr: RefactorPullRequest,
  newBase: string,
): Promise<TendedPullRequest> {
  const { number, marker } = pr;
  const branch = pr.headRefName;
  const tip = await github.getBranchTip(branch);
  if (!tip) return { number, action: 'left', reason: `its branch ${branch} is gone` };
  if (
    !branch.startsWith('steward/refactor/') ||
    !isOurRefactorCommit(tip, marker.fingerprint, null)
  )
    return {
      number,
      action: 'left',
      reason: `${branch} holds commits Steward did not make: a person's work is not rebased or closed`,
    };
  const madeOn = tip.parents[0]!;
  if (madeOn === newBase) return { number, action: 'current', reason: '' };

  const [old, now, after] = await Promise.all([
    github.getFileText(marker.path, madeOn),
    github.getFileText(marker.path, newBase),
    github.getFileText(marker.path, tip.sha),
  ]);
  if (old !== null && after !== null && now === old) {
    await rebase(github, branch, tip, newBase, marker.path, after);
    return {
      number,
      action: 'rebased',
      reason: `${marker.path} is unchanged on ${newBase.slice(0, 7)}: the same change was committed again on it`,
    };
  }
  const why =
    now === null
      ? `${marker.path} no longer exists on the default branch`
      : `${marker.path} changed on the default branch since this refactoring was proven on ${madeOn.slice(0, 7)}`;
  await github.updatePullRequest({ number, title: pr.title, body: markStale(pr.body) });
  await github.upsertComment(
    number,
    CLOSED_MARKER,
    `${CLOSED_MARKER}\nSteward closed this pull request: ${why.replace(marker.path, codeSpan(marker.path))} (now ${newBase.slice(0, 7)}), so the proofs no longer hold. A later run may propose ${codeSpan(marker.function)} again from the new code.`,
  );
  await github.closePullRequest(number);
  await github.deleteBranch(branch);
  return { number, action: 'closed', reason: why };
}

/**
 * The same change again on `newBase`: committed on a scratch branch made there, the pull request's
 * branch then moved to that commit in one step, the scratch branch deleted whatever happened.
 */
async function rebase(
  github: RefactorDeliveryPort,
  branch: string,
  tip: BranchTip,
  newBase: string,
  path: string,
  after: string,
): Promise<void> {
  const scratch = `${branch}--rebase`;
  const [headline = '', ...rest] = tip.message.split(/\r?\n/);
  const body = rest.join('\n').replace(/^\n+/, '');
  try {
    if ((await github.createBranch(scratch, newBase)) === 'exists')
      await github.resetBranch(scratch, newBase);
    const made = await github.createCommitOnBranch({
      branch: scratch,
      expectedHeadSha: newBase,
      headline,
      body,
      files: [{ path, text: after }],
    });
    if (made.kind === 'head-moved')
      throw new Error(`${scratch} moved while Steward rebased ${branch}`);
    await github.resetBranch(branch, made.sha);
  } finally {
    await github.deleteBranch(scratch);
  }
}
