import type { CountedCommit, FileTouch } from './history/accumulate.ts';
import type { FileAnalysis, FileHealth } from '../health/types.ts';
import type { Coupling, FileHistory, HotspotEntry } from './types.ts';

/**
 * Hotspot score: where the next bug fixes are likely to land.
 *
 *   weight(c)  = 2^(−age of commit c ÷ half-life)                  (recent changes count most)
 *   activity   = Σ weight over the file's commits
 *              + fixWeight × Σ weight over its bug-fix commits     (past fixes predict fixes)
 *              + couplingWeight × Σ degree × activity of the files it changes with
 *   raw        = activity × (1 + lines of code)^sizeExponent × (1 + healthWeight × (10 − health))
 *   score      = 100 × raw ÷ (the largest raw in the repository), one decimal
 *
 * A file nobody touched in the window scores 0 however big or unhealthy it is. Ages decay, so a
 * legacy file with hundreds of revisions years ago cools down below a new module changed every
 * week, and a file renamed long ago does not carry its old history at full weight. Size enters
 * through a root, not linearly: larger files hold more of the next bugs, but a huge file changed
 * twice does not outrank a mid-sized one changed weekly. The constants are DEFAULT_SCORE_SETTINGS,
 * chosen with `steward hotspots --backtest` over several public histories (see bench/).
 */
export interface ScoreSettings {
  /** Age at which a commit weighs half, in days. */
  halfLifeDays: number;
  /** Extra weight of a bug-fix commit over any commit. */
  fixWeight: number;
  /** Share of the activity of coupled files a file inherits (× coupling degree). */
  couplingWeight: number;
  /** Exponent of (1 + lines of code). */
  sizeExponent: number;
  /** Multiplier per point of health below 10. */
  healthWeight: number;
}

export const DEFAULT_SCORE_SETTINGS: Readonly<ScoreSettings> = {
  halfLifeDays: 150,
  fixWeight: 2,
  couplingWeight: 0,
  sizeExponent: 0.1,
  healthWeight: 0,
};

/** What a file's score is made of, as shown in the JSON (`contributions`) and the reports. */
export interface ScoreContributions {
  /** Commits in the window, weighted by age. */
  changes: number;
  /** Bug-fix commits in the window, weighted by age and by fixWeight. */
  fixes: number;
  /** Activity inherited from files it changes with. */
  coupling: number;
  /** Size factor, (1 + lines of code)^sizeExponent. */
  size: number;
  /** Health factor, 1 + healthWeight × (10 − health). */
  health: number;
}

/** The history of the whole window that scores need besides each file's totals. */
export interface ScoreHistory {
  commitList: readonly CountedCommit[];
  touches: ReadonlyMap<string, readonly FileTouch[]>;
  /** SHAs of bug-fix commits (see bug-fix.ts). */
  fixes: ReadonlySet<string>;
  coupling: readonly Coupling[];
  /** The moment ages are measured from, seconds since the epoch (HEAD's or the cut-off's date). */
  now: number;
}

export interface HotspotInput {
  path: string;
  /** undefined: not changed in the window. */
  history: FileHistory | undefined;
  analysis: FileAnalysis;
  health: FileHealth;
}

/** A file's score with the numbers it came from. */
export interface HotspotScore {
  path: string;
  /** 0–100, one decimal. */
  score: number;
  /** Before normalisation; orders files whose rounded scores tie. */
  raw: number;
  revisions: number;
  /** Bug-fix commits in the window, not weighted. */
  fixCommits: number;
  loc: number;
  health: number;
  contributions: ScoreContributions;
}

const DAY = 86_400;

export interface WeightedActivity {
  /** Commits, each weighted by its age. */
  changes: number;
  /** Bug-fix commits, each weighted by its age. */
  fixes: number;
  /** Lines added and deleted, each commit's weighted by its age. */
  churn: number;
  /** Bug-fix commits, not weighted. */
  fixCommits: number;
}

/** Age-weighted commits and fixes per file: the part of the score that needs the history. */
export function weightedActivity(
  history: ScoreHistory,
  settings: Pick<ScoreSettings, 'halfLifeDays'>,
): Map<string, WeightedActivity> {
  const halfLife = Math.max(settings.halfLifeDays, 1e-9) * DAY;
  const weights = history.commitList.map(({ time }) =>
    Math.pow(2, -Math.max(0, history.now - time) / halfLife),
  );
  const isFix = history.commitList.map(({ sha }) => history.fixes.has(sha));
  const activity = new Map<string, WeightedActivity>();
  for (const [path, touches] of history.touches) {
    let changes = 0;
    let churn = 0;
    let fixes = 0;
    let fixCommits = 0;
    for (const touch of touches) {
      const weight = weights[touch.commit] ?? 0;
      changes += weight;
      churn += weight * touch.lines;
      if (isFix[touch.commit]) {
        fixes += weight;
        fixCommits++;
      }
    }
    activity.set(path, { changes, fixes, churn, fixCommits });
  }
  return activity;
}

/** Scores of every file, highest first; equal scores in path order. */
export function scoreHotspots(
  files: readonly HotspotInput[],
  history: ScoreHistory,
  settings: Readonly<ScoreSettings> = DEFAULT_SCORE_SETTINGS,
): HotspotScore[] {
  const activity = weightedActivity(history, settings);
  const own = (path: string) => {
    const a = activity.get(path);
    return a ? a.changes + settings.fixWeight * a.fixes : 0;
  };
  const inherited = new Map<string, number>();
  if (settings.couplingWeight > 0) {
    for (const pair of history.coupling) {
      inherited.set(pair.a, (inherited.get(pair.a) ?? 0) + pair.degree * own(pair.b));
      inherited.set(pair.b, (inherited.get(pair.b) ?? 0) + pair.degree * own(pair.a));
    }
  }
  const scored = files.map((input): HotspotScore => {
    const a = activity.get(input.path);
    const contributions: ScoreContributions = {
      changes: a?.changes ?? 0,
      fixes: settings.fixWeight * (a?.fixes ?? 0),
      coupling: (a ? settings.couplingWeight : 0) * (inherited.get(input.path) ?? 0),
      size: Math.pow(1 + input.analysis.loc, settings.sizeExponent),
      health: 1 + settings.healthWeight * (10 - input.health.health),
    };
    const raw =
      (contributions.changes + contributions.fixes + contributions.coupling) *
      contributions.size *
      contributions.health;
    return {
      path: input.path,
      score: 0,
      raw,
      revisions: input.history?.revisions ?? 0,
      fixCommits: a?.fixCommits ?? 0,
      loc: input.analysis.loc,
      health: input.health.health,
      contributions,
    };
  });
  const top = scored.reduce((max, file) => Math.max(max, file.raw), 0);
  for (const file of scored) file.score = top > 0 ? Math.round((1000 * file.raw) / top) / 10 : 0;
  return scored.sort(byScore);
}

function byScore(a: HotspotScore, b: HotspotScore): number {
  return b.raw - a.raw || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** Two significant decimals at most, so the JSON stays readable. */
function rounded(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The `files` of the hotspots JSON, highest score first; equal scores in path order. */
export function hotspotEntries(
  files: readonly HotspotInput[],
  history: ScoreHistory,
  settings: Readonly<ScoreSettings> = DEFAULT_SCORE_SETTINGS,
): HotspotEntry[] {
  const byPath = new Map(files.map((input) => [input.path, input]));
  return scoreHotspots(files, history, settings).map((scored): HotspotEntry => {
    const { history: fileHistory, analysis, health } = byPath.get(scored.path)!;
    const c = scored.contributions;
    return {
      path: scored.path,
      revisions: scored.revisions,
      fixes: scored.fixCommits,
      added: fileHistory?.added ?? 0,
      deleted: fileHistory?.deleted ?? 0,
      authors: fileHistory?.authors ?? 0,
      loc: analysis.loc,
      health: health.health,
      score: scored.score,
      contributions: {
        changes: rounded(c.changes),
        fixes: rounded(c.fixes),
        coupling: rounded(c.coupling),
        size: rounded(c.size),
        health: rounded(c.health),
      },
      smells: health.smells.map((smell) => ({
        kind: smell.kind,
        function: smell.function,
        line: smell.line,
        detail: smell.detail,
      })),
      functions: [...analysis.functions]
        .sort((a, b) => a.line - b.line)
        .map((fn) => ({
          name: fn.name,
          line: fn.line,
          cyclomatic: fn.cyclomatic,
          cognitive: fn.cognitive,
          nesting: fn.nesting,
          length: fn.length,
          params: fn.params,
        })),
    };
  });
}
