import type { ReviewConfig } from './settings.ts';

/**
 * Whether a pull request is left unreviewed for being a draft: only when `review.drafts` is off
 * and nobody asked for this review. A review someone asks for by name (a dispatch, the action's
 * `pull-request` input, `/steward review`) runs on a draft too.
 */
export function skipsDraft(
  pull: { draft: boolean; requested: boolean },
  settings: Pick<ReviewConfig, 'drafts'>,
): boolean {
  return pull.draft && !pull.requested && !settings.drafts;
}
