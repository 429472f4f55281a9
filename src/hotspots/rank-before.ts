import { GitError } from '../revision/errors.ts';
import type { RevisionReader } from '../revision/reader.ts';
import type { HotspotRanker } from '../health/change-health.ts';
import type { HotspotRank } from '../health/delta.ts';
import type { FileAnalysis, FileHealth } from '../health/types.ts';
import { LogParseError } from './history/log-parser.ts';
import { bugFixMatcher } from './history/bug-fix.ts';
import { cachedFixCommits } from './history/fix-cache.ts';
import { mineHistory, type MinedHistory } from './history/mine.ts';
import { scoreHotspots } from './hotspot-score.ts';
import type { HotspotsConfig } from './settings.ts';
import type { FileHistory } from './types.ts';

/**
 * Each file's place among the hotspots of the merge base: its analyses and health with the history
 * window's revisions, mined up to HEAD (through the cache `steward hotspots` shares) less the
 * change's own commits, so a change does not raise the rank of the files it touches. Files no
 * other commit in the window touched score 0 and get no rank. A history that cannot be read leaves
 * ranks unknown, with the reason, rather than failing the report.
 */
export function hotspotRanker(
  reader: RevisionReader,
  options: { since: Date | null; config: Pick<HotspotsConfig, 'bugFix'> },
): HotspotRanker {
  return ({ analyses, health }, change, onProgress) =>
    rankBefore(reader, analyses, health, {
      ...options,
      change,
      ...(onProgress ? { onProgress } : {}),
    });
}

async function rankBefore(
  reader: RevisionReader,
  analyses: ReadonlyMap<string, FileAnalysis>,
  health: ReadonlyMap<string, FileHealth>,
  options: {
    since: Date | null;
    config: Pick<HotspotsConfig, 'bugFix'>;
    change: { mergeBase: string; head: string };
    onProgress?: (message: string) => void;
  },
): Promise<Map<string, HotspotRank> | string> {
  let history: MinedHistory;
  let own: Set<string>;
  let fixes: Set<string>;
  try {
    history = await mineHistory(reader, {
      since: options.since,
      cache: true,
      onProgress: (commits) => options.onProgress?.(`hotspot ranks: ${commits} commits`),
    });
    own = await changeCommits(reader, history.head, options.change);
    fixes = await cachedFixCommits(reader, bugFixMatcher(options.config.bugFix), {
      rev: history.head,
      since: options.since,
      commits: Promise.resolve(history.commitList.map(({ sha }) => sha)),
    });
  } catch (error: unknown) {
    if (error instanceof GitError || error instanceof LogParseError) return error.message;
    throw error;
  }
  // The change's own commits are taken out of every file's touches and revisions.
  const ownIndex = new Set(
    history.commitList.flatMap((commit, index) => (own.has(commit.sha) ? [index] : [])),
  );
  const touches = new Map(
    [...history.touches].map(([path, list]) => [
      path,
      list.filter((touch) => !ownIndex.has(touch.commit)),
    ]),
  );
  const historyOf = (path: string): FileHistory | undefined => {
    const mined = history.files.get(path);
    const minus = (history.touches.get(path)?.length ?? 0) - (touches.get(path)?.length ?? 0);
    return mined && minus > 0
      ? { ...mined, revisions: Math.max(0, mined.revisions - minus) }
      : mined;
  };
  const scores = scoreHotspots(
    [...analyses.values()].map((analysis) => ({
      path: analysis.path,
      history: historyOf(analysis.path),
      analysis,
      health: health.get(analysis.path)!,
    })),
    {
      commitList: history.commitList,
      touches,
      fixes,
      coupling: [],
      now: history.commitList[0]?.time ?? Math.floor(Date.now() / 1000),
    },
  );
  const ranks = new Map<string, HotspotRank>();
  scores.forEach((score, index) => {
    if (score.score > 0) ranks.set(score.path, { rank: index + 1, of: scores.length });
  });
  return ranks;
}

/** The change's own commits that the mined history holds: those after the merge base HEAD also has. */
async function changeCommits(
  reader: RevisionReader,
  minedHead: string,
  change: { mergeBase: string; head: string },
): Promise<Set<string>> {
  const shared = await reader.mergeBase(change.head, minedHead);
  if (!shared) return new Set();
  const { stdout } = await reader.run([
    'rev-list',
    '--no-merges',
    `${change.mergeBase}..${shared}`,
  ]);
  return new Set(stdout.split('\n').filter(Boolean));
}
