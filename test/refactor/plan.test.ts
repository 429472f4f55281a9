import { describe, expect, it } from 'vitest';
import type { HotspotEntry, HotspotsReport } from '../../src/hotspots/types.ts';
import type { ChooseInput } from '../../src/refactor/choose.ts';
import { chooseFromReport, selectionTexts } from '../../src/refactor/plan.ts';
import { projectOfTexts } from '../../src/testgen/project.ts';
import { refactorConfig } from './run-fakes.ts';

/** What selection reads: the top hotspot files, the named one, and every test file. */

function entry(path: string): HotspotEntry {
  return {
    path,
    revisions: 3,
    fixes: 1,
    added: 10,
    deleted: 2,
    authors: 1,
    loc: 40,
    health: 6,
    score: 50,
    contributions: { changes: 1, fixes: 1, coupling: 0, size: 1, health: 1 },
    smells: [],
    functions: [],
  };
}

const REPORT: HotspotsReport = {
  repo: 'r',
  head: 'abc',
  since: null,
  files: ['src/a.ts', 'src/b.ts', 'src/c.ts'].map(entry),
  coupling: [],
};

const PROJECT = projectOfTexts(
  new Map([
    ['src/a.ts', 'export const a = 1;'],
    ['src/b.ts', 'export const b = 1;'],
    ['src/c.ts', 'export const c = 1;'],
    ['src/d.ts', 'export const d = 1;'],
    ['test/a.test.ts', "import { a } from '../src/a.ts';"],
    ['test/helpers/setup.ts', "import { vi } from 'vitest';"],
    ['test/b-check.ts', "import { test } from 'vitest';\nimport { b } from '../src/b.ts';"],
  ]),
);

describe('selectionTexts', () => {
  it('reads the files selection names (those that exist) and the test files', () => {
    const { texts, testFiles } = selectionTexts(['src/a.ts', 'src/d.ts', 'src/gone.ts'], PROJECT);
    expect([...texts.keys()]).toEqual(['src/a.ts', 'src/d.ts']);
    expect([...testFiles.keys()]).toEqual(['test/a.test.ts', 'test/b-check.ts']);
  });
});

describe('chooseFromReport', () => {
  it('hands chooseTargets the texts filesToRead names, the config and empty GitHub sets', () => {
    const seen: ChooseInput[] = [];
    const config = refactorConfig({ topFiles: 1 });
    const result = chooseFromReport(REPORT, {
      project: PROJECT,
      config,
      only: { path: 'src/a.ts', function: 'a' },
      selector: {
        filesToRead: (report, c) => report.files.slice(0, c.topFiles).map((f) => f.path),
        chooseTargets: (input) => {
          seen.push(input);
          return { targets: [], skipped: [{ path: 'src/a.ts', function: 'a', reason: 'why' }] };
        },
      },
    });
    expect(result.skipped).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      report: REPORT,
      config,
      only: { path: 'src/a.ts', function: 'a' },
      openPullRequestPaths: new Set(),
      rejectedFingerprints: new Set(),
    });
    expect([...seen[0]!.texts.keys()]).toEqual(['src/a.ts']);
  });
});
