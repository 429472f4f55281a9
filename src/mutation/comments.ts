import { parseMutantMarker } from './markdown.ts';
import type { InlineComment } from './result.ts';
import type { Suppressions } from './survivors.ts';

/**
 * What a rerun does with the survivor comments already on the pull request, from their markers:
 * post only what is new, leave what is still true, and resolve the comments whose mutant no
 * longer survives. And what reviewers turned down with 👎, to suppress from then on.
 */

/** A review comment on the pull request, as the GitHub port lists it. */
export interface PostedComment {
  id: number;
  body: string;
  /** Whether Steward's own account wrote it: only those markers count. */
  bySteward: boolean;
  /**
   * 👎 reactions that count: from people with write access to the repository (publish.ts reads
   * who reacted), so an outsider on a public repository cannot silence a survivor.
   */
  thumbsDown: number;
  /** 👍 reactions that count, the same way. */
  thumbsUp: number;
  /** Where the comment is, when the port says: a comment is resolved only where the run mutated. */
  path?: string | undefined;
  /** Its line; null when outdated (the line left the diff). */
  line?: number | null | undefined;
}

export interface CommentPlan {
  /** New survivors, not commented yet. */
  post: InlineComment[];
  /** Comments whose survivor is still there: nothing to do. */
  kept: number[];
  /** Comments whose mutant no longer survives on the changed lines (a test now kills it). */
  resolve: number[];
}

/**
 * `surviving` holds the fingerprint of every undetected mutant on the changed lines, capped,
 * arid and suppressed ones included: a comment is resolved only when its mutant is gone, never
 * because a cap now leaves it out.
 */
export function planComments(
  wanted: readonly InlineComment[],
  posted: readonly PostedComment[],
  surviving: ReadonlySet<string>,
): CommentPlan {
  const postedByPrint = new Map<string, number[]>();
  for (const comment of posted) {
    if (!comment.bySteward) continue;
    const marker = parseMutantMarker(comment.body);
    if (marker === null) continue;
    postedByPrint.set(marker.fingerprint, [
      ...(postedByPrint.get(marker.fingerprint) ?? []),
      comment.id,
    ]);
  }
  const kept: number[] = [];
  const resolve: number[] = [];
  for (const [print, ids] of postedByPrint) (surviving.has(print) ? kept : resolve).push(...ids);
  return {
    post: wanted.filter((c) => !postedByPrint.has(c.fingerprint)),
    kept: kept.sort((a, b) => a - b),
    resolve: resolve.sort((a, b) => a - b),
  };
}

/**
 * What 👎 turned down: the fingerprint and the shape key of every survivor comment Steward wrote
 * that has more 👎 than 👍. Comments anyone else wrote carry no weight, whatever their marker.
 */
export function suppressionsFrom(posted: readonly PostedComment[]): Suppressions {
  const fingerprints = new Set<string>();
  const shapeKeys = new Set<string>();
  for (const comment of posted) {
    if (!comment.bySteward || comment.thumbsDown <= comment.thumbsUp) continue;
    const marker = parseMutantMarker(comment.body);
    if (marker === null) continue;
    fingerprints.add(marker.fingerprint);
    shapeKeys.add(marker.shapeKey);
  }
  return { fingerprints, shapeKeys };
}
