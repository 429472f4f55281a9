import type { HotspotsConfig } from '../hotspots/settings.ts';
import { nulRecords, runGit, streamGit } from '../git/process.ts';
import { inspectRepository } from '../git/repository.ts';
import { GitError } from '../revision/errors.ts';
import { AnalysisCache } from './analysis-cache.ts';
import { analyseRevision } from './analyse-revision.ts';
import { cacheFileFor } from '../hotspots/cache-location.ts';
import { ANALYSIS_VERSION } from './complexity/languages.ts';
import type { FileHealthDelta, HotspotRank } from './delta.ts';
import { LogParseError } from '../hotspots/history/log-parser.ts';
import { bugFixMatcher } from '../hotspots/history/bug-fix.ts';
import { cachedFixCommits } from '../hotspots/history/fix-cache.ts';
import { mineHistory, type MinedHistory } from '../hotspots/history/mine.ts';
import { assessAll, deltaOfChanges, syntaxErrorsOf } from './assess.ts';
import { scoreHotspots } from '../hotspots/hotspot-score.ts';
import type { FileAnalysis, FileHealth } from './types.ts';
import type { FileHistory } from '../hotspots/types.ts';

export interface HealthReport {
  /** The base as resolved (its SHA): the tip of the branch given, not what is compared with. */
  base: string;
  /** What head is compared with: the merge base of base and head. */
  mergeBase: string;
  head: string;
  files: FileHealthDelta[];
  /** Why files carry no hotspot rank, when ranking was asked for and failed; absent otherwise. */
  ranksUnavailable?: string;
}

export interface HealthRunOptions {
  repoDir: string;
  base: string;
  head: string;
  config: Pick<HotspotsConfig, 'thresholds' | 'exclude' | 'bugFix'>;
  /**
   * Rank the changed files among the repository's hotspots before the change (history from this
   * date, null for all of it; mined through the history cache `steward hotspots` shares). Absent:
   * no ranks.
   */
  rankSince?: Date | null;
  threads?: number;
  onProgress?: (message: string) => void;
}

/**
 * Code health before and after a change: every file the change touched (renames followed from
 * the merge base of `base` and `head`, which is what head is compared with), with the smells it
 * introduced and fixed, and with `rankSince`, each file's hotspot rank before the change. The
 * whole tree is analysed on both sides, because a duplicate of unchanged code is still a new
 * smell; the blob cache makes the second side nearly free.
 */
export async function runHealthDelta(options: HealthRunOptions): Promise<{
  report: HealthReport;
  syntaxErrors: { path: string; line: number; message: string }[];
}> {
  const { root } = await inspectRepository(options.repoDir);
  const [baseSha, headSha] = await Promise.all([
    resolveCommit(root, options.base),
    resolveCommit(root, options.head),
  ]);
  const mergeBase =
    (
      await runGit(['merge-base', baseSha, headSha], { cwd: root, acceptExitCodes: [0, 1] })
    ).stdout.trim() || baseSha;
  const changes = await changedFiles(root, mergeBase, headSha);

  const cache = await AnalysisCache.load(await cacheFileFor(root), ANALYSIS_VERSION);
  const analyse = (rev: string, label: string) =>
    analyseRevision(root, rev, {
      cache,
      exclude: options.config.exclude,
      ...(options.threads ? { threads: options.threads } : {}),
      onProgress: (message) => options.onProgress?.(`${label}: ${message}`),
    });
  const before = await analyse(mergeBase, 'base');
  const after = await analyse(headSha, 'head');
  await cache.save();

  const beforeHealth = assessAll([...before.analyses.values()], options.config);
  const delta = deltaOfChanges(
    beforeHealth,
    assessAll([...after.analyses.values()], options.config),
    changes,
  );
  const report: HealthReport = { base: baseSha, mergeBase, head: headSha, files: delta.files };
  if (options.rankSince !== undefined) {
    const ranked = await rankBefore(root, before.analyses, beforeHealth, {
      since: options.rankSince,
      config: options.config,
      change: { mergeBase, head: headSha },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (typeof ranked === 'string') report.ranksUnavailable = ranked;
    else {
      for (const file of report.files) {
        const old = changes.find((change) => change.path === file.path);
        const rank = ranked.get(old?.oldPath ?? file.path);
        if (rank && file.before !== null) file.hotspot = rank;
      }
    }
  }
  const changed = new Set(changes.map((c) => c.path));
  return {
    report,
    syntaxErrors: syntaxErrorsOf([...after.analyses.values()].filter((a) => changed.has(a.path))),
  };
}

/**
 * Each file's place among the hotspots of the merge base: its analyses and health with the history
 * window's revisions, mined up to HEAD (through the cache `steward hotspots` shares) less the
 * change's own commits, so a change does not raise the rank of the files it touches. Files no
 * other commit in the window touched score 0 and get no rank. A history that cannot be read leaves
 * ranks unknown, with the reason, rather than failing the report.
 */
async function rankBefore(
  root: string,
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
    history = await mineHistory(root, {
      since: options.since,
      cache: true,
      onProgress: (commits) => options.onProgress?.(`hotspot ranks: ${commits} commits`),
    });
    own = await changeCommits(root, history.head, options.change);
    fixes = await cachedFixCommits(root, bugFixMatcher(options.config.bugFix), {
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
  root: string,
  minedHead: string,
  change: { mergeBase: string; head: string },
): Promise<Set<string>> {
  const shared = (
    await runGit(['merge-base', change.head, minedHead], { cwd: root, acceptExitCodes: [0, 1] })
  ).stdout.trim();
  if (!shared) return new Set();
  const { stdout } = await runGit(['rev-list', '--no-merges', `${change.mergeBase}..${shared}`], {
    cwd: root,
  });
  return new Set(stdout.split('\n').filter(Boolean));
}

async function resolveCommit(root: string, ref: string): Promise<string> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    {
      cwd: root,
      acceptExitCodes: [0, 1],
    },
  );
  if (exitCode !== 0) {
    throw new GitError(
      `"${ref}" is not a commit in ${root}.`,
      root,
      'Pass a branch, tag or SHA that exists locally (git fetch it first).',
    );
  }
  return stdout.trim();
}

/** Paths changed between two commits, at their new names, with the old name of a rename. */
async function changedFiles(
  root: string,
  from: string,
  to: string,
): Promise<{ path: string; oldPath: string | null }[]> {
  const changes: { path: string; oldPath: string | null }[] = [];
  const records = nulRecords(
    streamGit(['-c', 'core.quotePath=false', 'diff', '--name-status', '-z', '-M', from, to], {
      cwd: root,
    }),
  );
  let pending: { status: string; paths: string[] } | null = null;
  for await (const record of records) {
    if (!pending) {
      if (record === '') continue;
      pending = { status: record, paths: [] };
      continue;
    }
    pending.paths.push(record);
    const needed = /^[RC]/.test(pending.status) ? 2 : 1;
    if (pending.paths.length === needed) {
      const [first, second] = pending.paths;
      changes.push(
        needed === 2 ? { path: second!, oldPath: first! } : { path: first!, oldPath: null },
      );
      pending = null;
    }
  }
  return changes;
}
