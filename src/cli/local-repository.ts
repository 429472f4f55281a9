import { openGitRevisionReader } from '../git/revision-reader.ts';
import type { HotspotRanker } from '../health/change-health.ts';
import type { HotspotsConfig } from '../hotspots/settings.ts';
import type { RevisionReader } from '../revision/reader.ts';
import { calendarDurationBefore } from '../settings/duration.ts';

/**
 * What the core needs from a local repository, wired once for `steward review` and
 * `steward health`: its revision reader, and the ranker that places changed files among the
 * hotspots of the `hotspots.since` window before the change.
 */
export async function openLocalRepository(
  repoDir: string,
  hotspots: Pick<HotspotsConfig, 'since' | 'bugFix'>,
): Promise<{ reader: RevisionReader; rank: HotspotRanker }> {
  const reader = await openGitRevisionReader(repoDir);
  const since = calendarDurationBefore(new Date(), hotspots.since);
  // History mining loads only when a change is there to rank.
  const rank: HotspotRanker = async (...args) => {
    const { hotspotRanker } = await import('../hotspots/rank-before.ts');
    return hotspotRanker(reader, { since, config: hotspots })(...args);
  };
  return { reader, rank };
}
