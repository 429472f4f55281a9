import { reconstructOldText } from '../diff/hunks.ts';
import type { ReviewFile } from '../diff/review-file.ts';
import type { GitHubClient } from '../github/client.ts';
import { healthDeltaOfTexts, type ChangedText } from './assess-texts.ts';
import { isAnalysable } from './complexity/languages.ts';
import type { FileHealthDelta } from './delta.ts';
import type { HealthSettings } from './settings.ts';

/**
 * The health of a pull request's change from the GitHub API alone (no checkout): its analysable
 * files' texts on both sides, and what GitHub names as the merge base.
 */

/** What `/steward health` answers: the health delta of a pull request's changed files. */
export interface PullRequestHealth {
  /** The base branch's tip. */
  base: string;
  /** What GitHub's diff is taken against; absent when GitHub's comparison did not name it. */
  mergeBase?: string;
  head: string;
  files: FileHealthDelta[];
  /** Analysable files left out because their patch does not apply to their text. */
  leftOut: number;
}

/**
 * Code health before and after, for a pull request's changed files, from the API alone. The head
 * texts come from GitHub; the base texts are the head texts with GitHub's patch reversed, so both
 * sides are the ones the diff shows (the merge base, not the base tip). The merge base is named
 * when GitHub's comparison answers it.
 */
export async function healthOfPullRequest(
  client: Pick<
    GitHubClient,
    'getPullRequestSnapshot' | 'listPullRequestFiles' | 'getFileTexts' | 'compareCommits'
  >,
  number: number,
  settings: Pick<HealthSettings, 'thresholds' | 'exclude'>,
): Promise<PullRequestHealth> {
  const snapshot = await client.getPullRequestSnapshot(number);
  const files = (await client.listPullRequestFiles(number)).filter(
    (f) => isAnalysable(f.path) && f.patch !== null,
  );
  const present = files.filter((f) => f.status !== 'removed').map((f) => f.path);
  const texts =
    present.length > 0 ? await client.getFileTexts(present, snapshot.headSha) : new Map();
  const changes = changedTexts(files, texts);
  const mergeBase = await readMergeBase(client, snapshot.baseSha, snapshot.headSha);
  const { files: deltas } = healthDeltaOfTexts(changes, settings);
  return {
    base: snapshot.baseSha,
    ...(mergeBase ? { mergeBase } : {}),
    head: snapshot.headSha,
    files: deltas,
    leftOut: files.length - changes.length,
  };
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The merge base of a pull request's base tip and head: what GitHub's diff, and so the health
 * delta, is taken against. One compare request; its file list is not read. Undefined when the
 * comparison cannot be had (a SHA gone, an error, an answer without a SHA): the report then names
 * the base tip as the tip, and the review goes on.
 */
export async function readMergeBase(
  client: Pick<GitHubClient, 'compareCommits'>,
  baseSha: string,
  headSha: string,
  note: (message: string) => void = () => undefined,
): Promise<string | undefined> {
  const unknown = (why: string) => {
    note(`merge base not known (${why}): the report names the base tip`);
    return undefined;
  };
  try {
    const comparison = await client.compareCommits(baseSha, headSha);
    if (!comparison) return unknown('GitHub has no comparison of the base tip and the head');
    const sha = comparison.mergeBaseSha.toLowerCase();
    return SHA.test(sha) ? sha : unknown('GitHub named no merge base commit');
  } catch (error: unknown) {
    // Only a label depends on it: a failure here must not cost the review.
    return unknown(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Both sides of each analysable file for the health delta. The base text is the head text with
 * the patch reversed (GitHub's patch is against the merge base, so this is the text the pull
 * request changed); a file whose patch does not apply is left out rather than measured wrong.
 */
export function changedTexts(
  files: readonly Pick<ReviewFile, 'path' | 'previousPath' | 'status' | 'patch'>[],
  contents: ReadonlyMap<string, string | null>,
): ChangedText[] {
  const changes: ChangedText[] = [];
  for (const file of files) {
    if (!isAnalysable(file.path) || file.patch === null) continue;
    const after = file.status === 'removed' ? null : (contents.get(file.path) ?? null);
    if (file.status !== 'removed' && after === null) continue;
    let before: string | null = null;
    if (file.status !== 'added') {
      try {
        before = reconstructOldText(after ?? '', file.patch);
      } catch {
        continue;
      }
    }
    changes.push({ path: file.path, previousPath: file.previousPath, before, after });
  }
  return changes;
}
