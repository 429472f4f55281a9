import { describe, expect, it } from 'vitest';
import { assessFile } from '../../src/health/score.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import {
  DEFAULT_SCORE_SETTINGS,
  hotspotEntries,
  scoreHotspots,
  type HotspotInput,
  type ScoreHistory,
} from '../../src/hotspots/hotspot-score.ts';
import type { FunctionMetrics } from '../../src/health/types.ts';
import type { FileHistory } from '../../src/hotspots/types.ts';
import { file, fn } from '../health/make.ts';

const DAY = 86_400;
const NOW = Date.parse('2026-06-01T00:00:00Z') / 1000;

/**
 * A history built by hand: each file's commits as ages in days before NOW, some of them fixes.
 * One commit per (file, age), so files never share commits unless a test says so.
 */
function historyOf(files: Record<string, { ages: number[]; fixes?: number[] }>): ScoreHistory {
  const commitList: { sha: string; time: number }[] = [];
  const touches = new Map<string, { commit: number; lines: number }[]>();
  const fixes = new Set<string>();
  for (const [path, { ages, fixes: fixAges = [] }] of Object.entries(files)) {
    const list: { commit: number; lines: number }[] = [];
    for (const [i, age] of [...ages, ...fixAges].entries()) {
      const sha = `${path}-${i}`;
      list.push({ commit: commitList.length, lines: 1 });
      commitList.push({ sha, time: NOW - age * DAY });
      if (i >= ages.length) fixes.add(sha);
    }
    touches.set(path, list);
  }
  return { commitList, touches, fixes, coupling: [], now: NOW };
}

function fileHistory(path: string, revisions: number): FileHistory {
  return {
    path,
    revisions,
    added: revisions * 10,
    deleted: revisions * 3,
    authors: 2,
    firstChange: '2026-01-02',
    lastChange: '2026-05-01',
  };
}

function input(path: string, revisions: number, loc = 100, functions: FunctionMetrics[] = []) {
  const analysis = file(functions, { path, loc });
  return {
    path,
    history: revisions === 0 ? undefined : fileHistory(path, revisions),
    analysis,
    health: assessFile(analysis, DEFAULT_THRESHOLDS),
  } satisfies HotspotInput;
}

const today = (n: number) => Array.from({ length: n }, () => 0);

describe('scoreHotspots', () => {
  it('gives the top file 100 and the others in proportion', () => {
    const history = historyOf({ 'a.ts': { ages: today(10) }, 'b.ts': { ages: today(5) } });
    const scores = scoreHotspots([input('a.ts', 10), input('b.ts', 5)], history);
    expect(scores.map((s) => [s.path, s.score])).toEqual([
      ['a.ts', 100],
      ['b.ts', 50],
    ]);
  });

  it('scores a file unchanged in the window 0, however large or unhealthy', () => {
    const bad = [fn({ name: 'monster', cyclomatic: 40, nesting: 7, length: 400 })];
    const history = historyOf({ 'ok.ts': { ages: [3, 10] } });
    const [busy, untouched] = scoreHotspots(
      [input('bad.ts', 0, 5000, bad), input('ok.ts', 2)],
      history,
    );
    expect(untouched).toMatchObject({ path: 'bad.ts', score: 0, revisions: 0 });
    expect(busy).toMatchObject({ path: 'ok.ts', score: 100 });
  });

  it('cools legacy files: forty revisions three years ago weigh less than five last month', () => {
    const history = historyOf({
      'legacy.ts': { ages: Array.from({ length: 40 }, (_, i) => 3 * 365 + i) },
      'new.ts': { ages: [5, 10, 15, 20, 25] },
    });
    const scores = scoreHotspots([input('legacy.ts', 40), input('new.ts', 5)], history);
    expect(scores.map((s) => s.path)).toEqual(['new.ts', 'legacy.ts']);
    // A commit one half-life old weighs one half.
    const halfLife = historyOf({ 'a.ts': { ages: [DEFAULT_SCORE_SETTINGS.halfLifeDays] } });
    const [scored] = scoreHotspots([input('a.ts', 1)], halfLife);
    expect(scored!.contributions.changes).toBeCloseTo(0.5, 10);
  });

  it('counts a bug fix more than another change', () => {
    const history = historyOf({
      'fixed.ts': { ages: [1], fixes: [2, 3] },
      'changed.ts': { ages: [1, 2, 3] },
    });
    const scores = scoreHotspots([input('changed.ts', 3), input('fixed.ts', 3)], history);
    expect(scores.map((s) => s.path)).toEqual(['fixed.ts', 'changed.ts']);
    expect(scores[0]).toMatchObject({ fixCommits: 2 });
    expect(scores[0]!.contributions.fixes).toBeGreaterThan(0);
    expect(scores[1]!.contributions.fixes).toBe(0);
  });

  it('ranks the larger of two equally busy files higher, but not in proportion to its size', () => {
    const history = historyOf({
      'small.ts': { ages: today(4) },
      'large.ts': { ages: today(4) },
      'huge.ts': { ages: [1] },
    });
    const scores = scoreHotspots(
      [input('small.ts', 4, 100), input('large.ts', 4, 400), input('huge.ts', 1, 3000)],
      history,
    );
    expect(scores.map((s) => s.path)).toEqual(['large.ts', 'small.ts', 'huge.ts']);
    expect(scores[0]!.raw / scores[1]!.raw).toBeLessThan(4);
  });

  it('multiplies out its contributions exactly', () => {
    const history = historyOf({ 'a.ts': { ages: [10, 100], fixes: [50] } });
    const [scored] = scoreHotspots([input('a.ts', 3, 250)], history);
    const c = scored!.contributions;
    expect(scored!.raw).toBeCloseTo((c.changes + c.fixes + c.coupling) * c.size * c.health, 10);
  });

  it('adds the activity of coupled files when coupling weighs', () => {
    const history = {
      ...historyOf({ 'a.ts': { ages: [1] }, 'b.ts': { ages: [1] }, 'hot.ts': { ages: today(9) } }),
      coupling: [{ a: 'a.ts', b: 'hot.ts', shared: 5, degree: 1 }],
    };
    const settings = { ...DEFAULT_SCORE_SETTINGS, couplingWeight: 0.5 };
    const scores = scoreHotspots(
      [input('a.ts', 1), input('b.ts', 1), input('hot.ts', 9)],
      history,
      settings,
    );
    expect(scores.map((s) => s.path)).toEqual(['hot.ts', 'a.ts', 'b.ts']);
    expect(scores[1]!.contributions.coupling).toBeCloseTo(0.5 * 9, 10);
  });

  it('orders equal scores by path, and gives every file 0 when nothing changed', () => {
    const scores = scoreHotspots(
      [input('z.ts', 0), input('a.ts', 0), input('m.ts', 0)],
      historyOf({}),
    );
    expect(scores.map((s) => [s.path, s.score])).toEqual([
      ['a.ts', 0],
      ['m.ts', 0],
      ['z.ts', 0],
    ]);
  });
});

describe('hotspotEntries', () => {
  it('builds the JSON entries of the hotspots report with each score’s contributions', () => {
    const busy = input('src/busy.ts', 3, 24, [
      fn({ name: 'late', line: 30, cyclomatic: 3, cognitive: 4, nesting: 1, length: 8, params: 2 }),
      fn({
        name: 'Parser.parse',
        kind: 'method',
        line: 5,
        cyclomatic: 11,
        cognitive: 15,
        nesting: 3,
        length: 20,
        params: 1,
      }),
    ]);
    const quiet = input('src/quiet.ts', 1);
    const history = historyOf({
      'src/busy.ts': { ages: [0, 0], fixes: [0] },
      'src/quiet.ts': { ages: [0] },
    });
    // Round settings, so the contributions are round numbers.
    const settings = { ...DEFAULT_SCORE_SETTINGS, fixWeight: 1, sizeExponent: 0.5 };
    const entries = hotspotEntries([quiet, busy], history, settings);
    expect(entries.map((e) => e.path)).toEqual(['src/busy.ts', 'src/quiet.ts']);
    expect(entries[0]).toEqual({
      path: 'src/busy.ts',
      revisions: 3,
      fixes: 1,
      added: 30,
      deleted: 9,
      authors: 2,
      loc: 24,
      health: busy.health.health,
      score: 100,
      contributions: { changes: 3, fixes: 1, coupling: 0, size: 5, health: 1 },
      smells: [
        {
          kind: 'Overall Complexity',
          function: null,
          line: 1,
          detail: 'mean cyclomatic complexity 7.0 over 2 functions (threshold 4)',
        },
        {
          kind: 'Complex Method',
          function: 'Parser.parse',
          line: 5,
          detail: 'cyclomatic complexity 11 (threshold 9)',
        },
      ],
      functions: [
        {
          name: 'Parser.parse',
          line: 5,
          cyclomatic: 11,
          cognitive: 15,
          nesting: 3,
          length: 20,
          params: 1,
        },
        { name: 'late', line: 30, cyclomatic: 3, cognitive: 4, nesting: 1, length: 8, params: 2 },
      ],
    });
  });

  it('gives a file without history zero revisions, fixes, lines and authors', () => {
    const [entry] = hotspotEntries([input('src/new.ts', 0)], historyOf({}));
    expect(entry).toMatchObject({
      revisions: 0,
      fixes: 0,
      added: 0,
      deleted: 0,
      authors: 0,
      score: 0,
      contributions: { changes: 0, fixes: 0, coupling: 0 },
    });
  });
});
