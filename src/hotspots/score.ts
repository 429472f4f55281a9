import { counted } from './health/words.ts';
import type { FileAnalysis, FileHealth, FileHistory, HotspotEntry } from './types.ts';

/**
 * Hotspot score: where change is frequent and the code is hard to change.
 *
 *   raw   = revisions × log2(2 + total cyclomatic complexity) × (1 + (10 − health))
 *   score = 100 × raw ÷ (the largest raw in the repository), one decimal
 *
 * Change frequency leads, as in CodeScene: a file nobody touched in the window scores 0 however
 * bad it is. Complexity enters through its logarithm, so a huge file changed three times does not
 * outrank a mid-sized one changed forty times, while among files changed equally often the more
 * complex ranks higher (a file without functions still counts 1). The health deficit multiplies it
 * all by 1 (health 10) up to 10 (health 1): low health in busy code is what to fix first. The
 * busiest, least healthy file scores 100 and the rest are proportional, so a score of 50 means
 * half that file's weighted change activity.
 */

export interface HotspotInput {
  path: string;
  /** undefined: not changed in the window. */
  history: FileHistory | undefined;
  analysis: FileAnalysis;
  health: FileHealth;
}

/** A file's score with the numbers it came from, for tables and the "why" of a report. */
export interface HotspotScore {
  path: string;
  /** 0–100, one decimal. */
  score: number;
  /** Before normalisation; orders files whose rounded scores tie. */
  raw: number;
  revisions: number;
  /** Sum of the cyclomatic complexity of the file's functions. */
  totalComplexity: number;
  /** Mean cyclomatic complexity per function; 0 without functions. */
  meanComplexity: number;
  health: number;
  smells: number;
  /** One line: "34 revisions × complexity 120 (mean 4.0 over 30 functions) × health 6.2 (…)" */
  explanation: string;
}

function rawScore(revisions: number, totalComplexity: number, health: number): number {
  return revisions * Math.log2(2 + totalComplexity) * (1 + (10 - health));
}

function smellSummary(health: FileHealth): string {
  if (health.smells.length === 0) return 'no smells';
  const counts = new Map<string, number>();
  for (const smell of health.smells) counts.set(smell.kind, (counts.get(smell.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, count]) => (count > 1 ? `${kind} ×${count}` : kind));
  return `${counted(health.smells.length, 'smell')}: ${kinds.join(', ')}`;
}

function explain(input: HotspotInput, revisions: number, total: number, mean: number): string {
  const functions = counted(input.analysis.functions.length, 'function');
  return [
    counted(revisions, 'revision'),
    `complexity ${total} (mean ${mean.toFixed(1)} over ${functions})`,
    `health ${input.health.health.toFixed(1)} (${smellSummary(input.health)})`,
  ].join(' × ');
}

function byScore(a: HotspotScore, b: HotspotScore): number {
  return b.raw - a.raw || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** Scores of every file, highest first; equal scores in path order. */
export function scoreHotspots(files: readonly HotspotInput[]): HotspotScore[] {
  const scored = files.map((input): HotspotScore => {
    const revisions = input.history?.revisions ?? 0;
    const { functions } = input.analysis;
    const totalComplexity = functions.reduce((sum, fn) => sum + fn.cyclomatic, 0);
    const meanComplexity = functions.length === 0 ? 0 : totalComplexity / functions.length;
    return {
      path: input.path,
      score: 0,
      raw: rawScore(revisions, totalComplexity, input.health.health),
      revisions,
      totalComplexity,
      meanComplexity,
      health: input.health.health,
      smells: input.health.smells.length,
      explanation: explain(input, revisions, totalComplexity, meanComplexity),
    };
  });
  const top = scored.reduce((max, file) => Math.max(max, file.raw), 0);
  for (const file of scored) file.score = top > 0 ? Math.round((1000 * file.raw) / top) / 10 : 0;
  return scored.sort(byScore);
}

/** The `files` of the hotspots JSON, highest score first; equal scores in path order. */
export function hotspotEntries(files: readonly HotspotInput[]): HotspotEntry[] {
  const byPath = new Map(files.map((input) => [input.path, input]));
  return scoreHotspots(files).map((scored): HotspotEntry => {
    const { history, analysis, health } = byPath.get(scored.path)!;
    return {
      path: scored.path,
      revisions: scored.revisions,
      added: history?.added ?? 0,
      deleted: history?.deleted ?? 0,
      authors: history?.authors ?? 0,
      loc: analysis.loc,
      health: health.health,
      score: scored.score,
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
