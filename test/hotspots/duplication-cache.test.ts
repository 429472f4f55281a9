import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import {
  updateDuplicates,
  type AnalysedBlob,
  type DuplicationSnapshot,
} from '../../src/hotspots/duplication-cache.ts';
import { findDuplicates } from '../../src/health/duplication.ts';
import { runHotspots } from '../../src/hotspots/run-hotspots.ts';
import { SmellKind, type FileAnalysis } from '../../src/health/types.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { GitRepo } from '../support/git-repo.ts';
import '../support/fast-check-seed.ts';
import { file, fingerprints } from '../health/make.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const dispose of cleanup.splice(0)) dispose();
});

const SETTINGS = { version: 1, minLines: 10, window: 10 };

/**
 * A revision: each path holds a sequence of window hashes from a small alphabet, so windows repeat
 * within and across files, runs of them line up into blocks, and some hashes occur in more than
 * MAX_PARTNERS places.
 */
const revision = fc.dictionary(
  fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `src/f${i}.ts`)),
  fc.array(fc.constantFrom('h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'), { maxLength: 40 }),
  { minKeys: 0, maxKeys: 30 },
);
/** Between two runs: a few files added, edited or deleted (null); a rename is a delete and an add. */
const edits = fc.dictionary(
  fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `src/f${i}.ts`)),
  fc.option(
    fc.array(fc.constantFrom('h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'), { maxLength: 40 }),
  ),
  { minKeys: 1, maxKeys: 3 },
);

/** The analysis of a content (its hashes joined), and that content's "blob SHA". */
function blobOf(hashes: string[]): string {
  let sum = 7;
  for (const char of hashes.join(',')) sum = (sum * 31 + char.charCodeAt(0)) % 2 ** 40;
  return sum.toString(16).padStart(40, '0');
}

describe('updateDuplicates', () => {
  test.prop([revision, fc.array(edits, { minLength: 1, maxLength: 8 })], { numRuns: 80 })(
    'finds the same blocks as a full run, edit after edit',
    (start, steps) => {
      const known = new Map<string, FileAnalysis>();
      let previous: DuplicationSnapshot | null = null;
      let files: Record<string, string[]> = start;
      for (const step of [{}, ...steps]) {
        files = { ...files };
        for (const [path, hashes] of Object.entries(step)) {
          if (hashes === null) delete files[path];
          else files[path] = hashes;
        }
        const current = new Map<string, AnalysedBlob>();
        for (const [path, hashes] of Object.entries(files)) {
          const analysis = file([], { path, duplicationFingerprints: fingerprints(hashes, 3) });
          const blob = blobOf(hashes);
          known.set(blob, analysis);
          current.set(path, { analysis, blob });
        }
        const update = updateDuplicates(previous, current, SETTINGS, (blob) => known.get(blob));
        const full = findDuplicates(
          [...current.values()].map(({ analysis }) => analysis),
          SETTINGS.minLines,
          SETTINGS.window,
        );
        expect(new Map([...update.snapshot.blocks].sort())).toEqual(new Map([...full].sort()));
        // The order the files come in changes nothing (a warm run lists cached files first).
        const reversed = findDuplicates(
          [...current.values()].map(({ analysis }) => analysis).reverse(),
          SETTINGS.minLines,
          SETTINGS.window,
        );
        expect(new Map([...reversed].sort())).toEqual(new Map([...full].sort()));
        previous = update.snapshot;
      }
    },
  );

  it('recomputes only the changed file and the files sharing code with it', () => {
    const shared = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const alone = (name: string) => Array.from({ length: 12 }, (_, i) => `${name}${i}`);
    const contents: Record<string, string[]> = {
      'a.ts': shared,
      'b.ts': shared,
      'c.ts': alone('c'),
      'd.ts': alone('d'),
      'e.ts': alone('e'),
    };
    const known = new Map<string, FileAnalysis>();
    const revisionOf = (files: Record<string, string[]>) =>
      new Map(
        Object.entries(files).map(([path, hashes]) => {
          const analysis = file([], { path, duplicationFingerprints: fingerprints(hashes) });
          known.set(blobOf(hashes), analysis);
          return [path, { analysis, blob: blobOf(hashes) }];
        }),
      );
    const first = updateDuplicates(null, revisionOf(contents), SETTINGS, (b) => known.get(b));
    expect(first).toMatchObject({ full: true, recomputed: 5 });
    // b stops sharing code with a: a and b are recomputed, c, d and e are not.
    const second = updateDuplicates(
      first.snapshot,
      revisionOf({ ...contents, 'b.ts': alone('b') }),
      SETTINGS,
      (b) => known.get(b),
    );
    expect(second).toMatchObject({ full: false, recomputed: 2 });
    expect(second.snapshot.blocks.size).toBe(0);
    // Another threshold, or an old blob the analysis cache no longer has: a full run.
    const changedThreshold = { ...SETTINGS, minLines: 12 };
    expect(
      updateDuplicates(first.snapshot, revisionOf(contents), changedThreshold, (b) => known.get(b)),
    ).toMatchObject({ full: true });
    expect(
      updateDuplicates(
        first.snapshot,
        revisionOf({ ...contents, 'c.ts': alone('x') }),
        SETTINGS,
        () => undefined,
      ),
    ).toMatchObject({ full: true });
  });
});

/** Fourteen lines of code that normalise to fourteen distinct lines: enough for a duplicated block. */
function body(name: string): string {
  return [
    `export function ${name}(items: number[], limit: number): number {`,
    '  let total = 0;',
    '  for (const item of items) {',
    '    if (item > limit) {',
    '      total += item * 2;',
    '    } else if (item < 0) {',
    '      total -= item;',
    '    } else {',
    '      total += 1;',
    '    }',
    '    while (total > 1000) total = Math.floor(total / 3);',
    '  }',
    '  return total > 0 ? total : -1;',
    '}',
    '',
  ].join('\n');
}

describe('a warm hotspots run', () => {
  it('reports the same duplication as a cold one while files change between runs', async () => {
    const r = new GitRepo();
    cleanup.push(() => r.dispose());
    const config = { ...defaultConfig().hotspots };
    const rank = async () =>
      (
        await runHotspots({
          reader: await openGitRevisionReader(r.dir),
          since: null,
          config,
          repoLabel: 't',
          threads: 1,
        })
      ).report.files;
    const cold = async () => {
      rmSync(join(r.dir, '.git', 'steward'), { recursive: true, force: true });
      return rank();
    };
    const duplicated = (files: Awaited<ReturnType<typeof rank>>) =>
      files
        .filter((entry) => entry.smells.some((smell) => smell.kind === SmellKind.codeDuplication))
        .map((entry) => entry.path)
        .sort();
    const step = async (change: () => void, expected: string[]) => {
      change();
      r.commit('change');
      const warm = await rank();
      expect(existsSync(join(r.dir, '.git', 'steward', 'duplication-cache.json'))).toBe(true);
      expect(duplicated(warm)).toEqual(expected);
      expect(warm).toEqual(await cold());
      // The cold run left its own snapshot: warm again on top of it, with nothing changed.
      expect(await rank()).toEqual(warm);
    };

    r.write('src/a.ts', body('first')).write('src/b.ts', 'export const b = 1;\n');
    r.commit('start');
    await rank();
    // A duplicate pair appears: a new file copies a's code.
    await step(
      () => writeFileSync(join(r.dir, 'src/c.ts'), body('copy')),
      ['src/a.ts', 'src/c.ts'],
    );
    // A third copy, in a file that existed.
    await step(
      () => writeFileSync(join(r.dir, 'src/b.ts'), `export const b = 1;\n${body('third')}`),
      ['src/a.ts', 'src/b.ts', 'src/c.ts'],
    );
    // A copy is renamed: the pair follows the new path.
    await step(() => r.move('src/c.ts', 'src/d.ts'), ['src/a.ts', 'src/b.ts', 'src/d.ts']);
    // The original is rewritten and one copy deleted: the duplicate pair left disappears too.
    await step(() => {
      writeFileSync(join(r.dir, 'src/a.ts'), 'export const a = 2;\n');
      r.remove('src/d.ts');
    }, []);
  });
});
