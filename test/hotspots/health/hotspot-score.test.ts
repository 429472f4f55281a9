import { describe, expect, it } from 'vitest';
import { assessFile } from '../../../src/hotspots/health/score.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/hotspots/health/thresholds.ts';
import { hotspotEntries, scoreHotspots } from '../../../src/hotspots/score.ts';
import type { HotspotInput } from '../../../src/hotspots/score.ts';
import type { FileHistory, FunctionMetrics } from '../../../src/hotspots/types.ts';
import { file, fn } from './make.ts';

function history(path: string, revisions: number): FileHistory {
  return {
    path,
    revisions,
    added: revisions * 10,
    deleted: revisions * 3,
    authors: 2,
    firstChange: '2026-01-02',
    lastChange: '2026-11-01',
  };
}

function input(path: string, revisions: number, functions: FunctionMetrics[]): HotspotInput {
  const analysis = file(functions, { path, loc: 10 * functions.length + 5 });
  return {
    path,
    history: revisions === 0 ? undefined : history(path, revisions),
    analysis,
    health: assessFile(analysis, DEFAULT_THRESHOLDS),
  };
}

const simple = (count: number) =>
  Array.from({ length: count }, (_, i) => fn({ name: `f${i}`, line: 10 * i + 1, cyclomatic: 2 }));

describe('scoreHotspots', () => {
  it('gives the top file 100 and the others in proportion', () => {
    const scores = scoreHotspots([input('a.ts', 10, simple(3)), input('b.ts', 5, simple(3))]);
    expect(scores.map((s) => [s.path, s.score])).toEqual([
      ['a.ts', 100],
      ['b.ts', 50],
    ]);
  });

  it('scores a file unchanged in the window 0, however unhealthy', () => {
    const bad = [fn({ name: 'monster', cyclomatic: 40, nesting: 7, length: 400 })];
    const [busy, untouched] = scoreHotspots([
      input('bad.ts', 0, bad),
      input('ok.ts', 3, simple(2)),
    ]);
    expect(untouched).toMatchObject({ path: 'bad.ts', score: 0, revisions: 0 });
    expect(busy).toMatchObject({ path: 'ok.ts', score: 100 });
  });

  it('ranks the less healthy of two equally busy, equally complex files higher', () => {
    const healthy = simple(5); // total complexity 10
    const unhealthy = [fn({ name: 'f', cyclomatic: 10, nesting: 5 })];
    const scores = scoreHotspots([
      input('healthy.ts', 8, healthy),
      input('unhealthy.ts', 8, unhealthy),
    ]);
    expect(scores[0]!.path).toBe('unhealthy.ts');
    expect(scores[0]!.health).toBeLessThan(scores[1]!.health);
  });

  it('lets change frequency outweigh sheer size', () => {
    const huge = Array.from({ length: 100 }, (_, i) =>
      fn({ name: `g${i}`, line: i * 5 + 1, cyclomatic: 6 }),
    );
    const scores = scoreHotspots([input('legacy.ts', 2, huge), input('busy.ts', 40, simple(10))]);
    expect(scores.map((s) => s.path)).toEqual(['busy.ts', 'legacy.ts']);
  });

  it('explains each score', () => {
    const [scored] = scoreHotspots([
      input('a.ts', 34, [
        fn({ name: 'a', cyclomatic: 12 }),
        fn({ name: 'b', line: 20, cyclomatic: 2 }),
      ]),
    ]);
    expect(scored).toMatchObject({
      revisions: 34,
      totalComplexity: 14,
      meanComplexity: 7,
      smells: 2,
    });
    expect(scored!.explanation).toBe(
      `34 revisions × complexity 14 (mean 7.0 over 2 functions) × health ${scored!.health.toFixed(1)} (2 smells: Complex Method, Overall Complexity)`,
    );
    const [plain] = scoreHotspots([input('b.ts', 1, [])]);
    expect(plain!.explanation).toBe(
      '1 revision × complexity 0 (mean 0.0 over 0 functions) × health 10.0 (no smells)',
    );
  });

  it('orders equal scores by path, and gives every file 0 when nothing changed', () => {
    const scores = scoreHotspots([
      input('z.ts', 0, []),
      input('a.ts', 0, []),
      input('m.ts', 0, []),
    ]);
    expect(scores.map((s) => [s.path, s.score])).toEqual([
      ['a.ts', 0],
      ['m.ts', 0],
      ['z.ts', 0],
    ]);
  });
});

describe('hotspotEntries', () => {
  it('builds the JSON entries of the hotspots report, highest score first', () => {
    const busy = input('src/busy.ts', 12, [
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
    const quiet = input('src/quiet.ts', 1, simple(1));
    const entries = hotspotEntries([quiet, busy]);
    expect(entries.map((e) => e.path)).toEqual(['src/busy.ts', 'src/quiet.ts']);
    expect(entries[0]).toEqual({
      path: 'src/busy.ts',
      revisions: 12,
      added: 120,
      deleted: 36,
      authors: 2,
      loc: 25,
      health: busy.health.health,
      score: 100,
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

  it('gives a file without history zero revisions, lines and authors', () => {
    const [entry] = hotspotEntries([input('src/new.ts', 0, [])]);
    expect(entry).toMatchObject({ revisions: 0, added: 0, deleted: 0, authors: 0, score: 0 });
  });
});
