import { describe, expect, it } from 'vitest';
import { healthDelta } from '../../src/health/delta.ts';
import { assessFile } from '../../src/health/score.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import { SmellKind } from '../../src/health/types.ts';
import type { FileHealth, FunctionMetrics, Smell } from '../../src/health/types.ts';
import { file, fn } from './make.ts';

function healthOf(path: string, functions: FunctionMetrics[], loc = 100): FileHealth {
  return assessFile(file(functions, { path, loc }), DEFAULT_THRESHOLDS);
}

const mapOf = (...files: FileHealth[]) => new Map(files.map((f) => [f.path, f]));

describe('healthDelta', () => {
  it('neither introduces nor fixes a smell whose function only moved', () => {
    const before = healthOf('a.ts', [fn({ name: 'parse', line: 10, cyclomatic: 12 })]);
    const after = healthOf('a.ts', [
      fn({ name: 'added', line: 5 }),
      fn({ name: 'parse', line: 40, cyclomatic: 12 }),
    ]);
    const { files } = healthDelta(mapOf(before), mapOf(after), ['a.ts']);
    expect(files).toEqual([
      {
        path: 'a.ts',
        before: before.health,
        after: after.health,
        delta: Math.round((after.health - before.health) * 10) / 10,
        introduced: [],
        fixed: [],
      },
    ]);
  });

  it('lists a smell that got worse as introduced, saying what it was', () => {
    const before = healthOf('a.ts', [fn({ name: 'parse', line: 10, cyclomatic: 10 })]);
    const after = healthOf('a.ts', [fn({ name: 'parse', line: 12, cyclomatic: 14 })]);
    const [delta] = healthDelta(mapOf(before), mapOf(after), ['a.ts']).files;
    expect(delta!.introduced).toEqual([
      {
        kind: SmellKind.overallComplexity,
        function: null,
        line: 1,
        detail: 'mean cyclomatic complexity 14.0 over 1 function (threshold 4), was 10',
        measured: 14,
        bound: 4,
        was: 10,
      },
      {
        kind: SmellKind.complexMethod,
        function: 'parse',
        line: 12,
        detail: 'cyclomatic complexity 14 (threshold 9), was 10',
        measured: 14,
        bound: 9,
        was: 10,
      },
    ]);
    expect(delta!.fixed).toEqual([]);
    expect(delta!.delta).toBeLessThan(0);
  });

  it('does not call a smell that improved but remains fixed', () => {
    const before = healthOf('a.ts', [fn({ name: 'parse', cyclomatic: 14 })]);
    const after = healthOf('a.ts', [fn({ name: 'parse', cyclomatic: 10 })]);
    const [delta] = healthDelta(mapOf(before), mapOf(after), ['a.ts']).files;
    expect(delta).toMatchObject({ introduced: [], fixed: [] });
    expect(delta!.delta).toBeGreaterThan(0);
  });

  it('reports new and removed smells with function, line and numbers, without internal fields', () => {
    const before = healthOf('a.ts', [
      fn({ name: 'old', line: 3, nesting: 5 }),
      fn({ name: 'kept', line: 30, params: 6 }),
    ]);
    const after = healthOf('a.ts', [
      fn({ name: 'kept', line: 30, params: 6 }),
      fn({ name: 'fresh', line: 50, length: 90 }),
    ]);
    const [delta] = healthDelta(mapOf(before), mapOf(after), ['a.ts']).files;
    expect(delta!.introduced).toEqual([
      {
        kind: SmellKind.largeMethod,
        function: 'fresh',
        line: 50,
        detail: '90 lines (limit 70)',
        measured: 90,
        bound: 70,
      },
    ]);
    expect(delta!.fixed).toEqual([
      {
        kind: SmellKind.deepNesting,
        function: 'old',
        line: 3,
        detail: 'nesting depth 5 (threshold 4)',
        measured: 5,
        bound: 4,
      },
    ]);
  });

  it('pairs functions with the same name by position when bodies are not known', () => {
    const anonymous = (line: number, cyclomatic: number) =>
      fn({ name: '<anonymous>', line, cyclomatic, length: 5 });
    const before = healthOf('a.ts', [anonymous(10, 9), anonymous(20, 9)]);
    const after = healthOf('a.ts', [anonymous(12, 9), anonymous(22, 9), anonymous(40, 11)]);
    const [delta] = healthDelta(mapOf(before), mapOf(after), ['a.ts']).files;
    const complexMethods = (smells: Smell[]) =>
      smells.filter((smell) => smell.kind === SmellKind.complexMethod);
    expect(complexMethods(delta!.introduced)).toEqual([
      {
        kind: SmellKind.complexMethod,
        function: '<anonymous>',
        line: 40,
        detail: 'cyclomatic complexity 11 (threshold 9)',
        measured: 11,
        bound: 9,
      },
    ]);
    expect(complexMethods(delta!.fixed)).toEqual([]);
  });

  it('gives an added file before null and a deleted one after null, with no delta', () => {
    const added = healthOf('new.ts', [fn({ name: 'f', cyclomatic: 9 })]);
    const deleted = healthOf('gone.ts', [fn({ name: 'g', nesting: 4 })]);
    const { files } = healthDelta(mapOf(deleted), mapOf(added), ['new.ts', 'gone.ts']);
    expect(files.map(({ path, before, after, delta }) => ({ path, before, after, delta }))).toEqual(
      [
        { path: 'gone.ts', before: deleted.health, after: null, delta: null },
        { path: 'new.ts', before: null, after: added.health, delta: null },
      ],
    );
    expect(files[0]!.fixed.map((s) => s.kind)).toEqual([SmellKind.deepNesting]);
    expect(files[0]!.introduced).toEqual([]);
    expect(files[1]!.introduced.map((s) => s.kind)).toEqual([
      SmellKind.complexMethod,
      SmellKind.overallComplexity,
    ]);
  });

  it('skips paths analysed in neither revision, and unchanged paths', () => {
    const a = healthOf('a.ts', [fn({ cyclomatic: 20 })]);
    const b = healthOf('b.ts', []);
    const { files } = healthDelta(mapOf(a, b), mapOf(a, b), ['README.md', 'b.ts', 'b.ts']);
    expect(files).toEqual([
      { path: 'b.ts', before: 10, after: 10, delta: 0, introduced: [], fixed: [] },
    ]);
  });

  it('rounds the delta to one decimal', () => {
    const before: FileHealth = { path: 'a.ts', health: 9.1, smells: [] };
    const after: FileHealth = { path: 'a.ts', health: 8.2, smells: [] };
    expect(healthDelta(mapOf(before), mapOf(after), ['a.ts']).files[0]!.delta).toBe(-0.9);
  });
});
