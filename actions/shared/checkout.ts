import { randomUUID } from 'node:crypto';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import type { ReviewFile } from '../../src/diff/review-file.ts';
import type { RevisionReader } from '../../src/revision/reader.ts';

/**
 * What the actions that run the pull request's code (mutation-report, test-gen) read from the
 * checkout actions/checkout made: the change as `git diff base...head`, whether the checkout is the
 * merge commit GitHub makes, whether it kept the workflow's token on disk, and how the code's own
 * output is shown in the log.
 */

export const FETCH_DEPTH =
  'Check out with the history: `actions/checkout` with `fetch-depth: 0` (Steward diffs base...head locally).';

/** The change of `base...head` in the checkout, or an error naming `fetch-depth: 0` when the base is missing. */
export async function diffFromCheckout(
  reader: RevisionReader,
  baseSha: string,
  headSha: string,
  number: number,
): Promise<ReviewFile[]> {
  const { exitCode } = await reader.run(['cat-file', '-e', `${baseSha}^{commit}`], {
    acceptExitCodes: [0, 1, 128],
  });
  if (exitCode !== 0)
    throw new Error(
      `The base commit ${baseSha.slice(0, 12)} of #${number} is not in the checkout. ${FETCH_DEPTH}`,
    );
  const mergeBase = await reader.mergeBase(baseSha, headSha);
  if (mergeBase === null)
    throw new Error(
      `No common ancestor of the base ${baseSha.slice(0, 12)} and ${headSha.slice(0, 12)} in the checkout${reader.repository.shallowBoundaries.size > 0 ? ' (it is shallow)' : ''}. ${FETCH_DEPTH}`,
    );
  return parseGitDiff(await reader.diff(`${baseSha}...${headSha}`));
}

/** The first parent of `commit` when it is a merge of `head` into it (refs/pull/N/merge); else null. */
export async function mergedBase(
  reader: RevisionReader,
  commit: string,
  head: string,
): Promise<string | null> {
  if (commit === head) return null;
  const { stdout } = await reader.run(['rev-list', '--parents', '-n', '1', commit]);
  const [, first, second, ...more] = stdout.trim().split(/\s+/);
  return second === head && more.length === 0 && first !== undefined ? first : null;
}

/** The base SHA the pull_request payload names (what the checkout fetched); undefined otherwise. */
export function payloadBaseSha(payload: Record<string, unknown>): string | undefined {
  const pr = payload['pull_request'];
  const base =
    typeof pr === 'object' && pr !== null ? (pr as Record<string, unknown>)['base'] : undefined;
  const sha =
    typeof base === 'object' && base !== null
      ? (base as Record<string, unknown>)['sha']
      : undefined;
  return typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}

/**
 * Whether actions/checkout left the workflow's token in the repository's git config (its
 * `http.<url>.extraheader`, also through an included file), where the pull request's code would
 * read it; `persist-credentials: false` leaves none.
 */
export async function checkoutKeepsToken(reader: RevisionReader): Promise<boolean> {
  const { stdout } = await reader.run(
    ['config', '--includes', '--get-regexp', String.raw`^http\..*\.extraheader$`],
    { acceptExitCodes: [0, 1] },
  );
  return /authorization/i.test(stdout);
}

/** What to tell the user when {@link checkoutKeepsToken}. */
export const PERSISTED_TOKEN =
  "The checkout kept the workflow's token in its git config (http.extraheader), where the pull request's code would read it: set `persist-credentials: false` on actions/checkout.";

/**
 * Text the pull request's code wrote (its tests' output, Stryker's log), shown in the log with
 * workflow commands off: a line such as `::error::` or `::add-mask::` in it stays text.
 */
export function inertLog(title: string, text: string): string {
  const token = `steward-${randomUUID()}`;
  return [title, `::stop-commands::${token}`, text, `::${token}::`].join('\n');
}

/**
 * Which commit a run's findings are pinned to, against the pull request's head: `head` when the
 * checkout is the head; `merge-same` when it is the merge commit actions/checkout makes and
 * `paths` are the same in it as at the head (pinned to the head, where GitHub takes comments and
 * commits); `merge-differs` when the base also changed them, and `moved` when the head moved
 * since the checkout (both pinned to the checkout).
 */
export type CheckoutPin =
  | { kind: 'head'; sha: string }
  | {
      kind: 'merge-same' | 'merge-differs' | 'moved';
      sha: string;
      checkedOut: string;
      head: string;
    };

export async function pinCheckout(
  reader: RevisionReader,
  headSha: string,
  paths: readonly string[],
  merge: boolean,
): Promise<CheckoutPin> {
  const checkedOut = reader.repository.head;
  if (checkedOut === headSha) return { kind: 'head', sha: checkedOut };
  const at = { checkedOut, head: headSha };
  if (!merge) return { kind: 'moved', sha: checkedOut, ...at };
  const unique = [...new Set(paths)];
  const same =
    unique.length === 0 ||
    (
      await reader.run(['diff', '--quiet', headSha, checkedOut, '--', ...unique], {
        acceptExitCodes: [0, 1],
      })
    ).exitCode === 0;
  return same
    ? { kind: 'merge-same', sha: headSha, ...at }
    : { kind: 'merge-differs', sha: checkedOut, ...at };
}
