import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorFindings } from '../../src/review/anchor.ts';
import type { Finding } from '../../src/review/anchor.ts';
import { filterFiles } from '../../src/review/filter.ts';
import { hiddenMarker, partitionPosted } from '../../src/review/fingerprint.ts';
import { parseGitDiff } from '../../src/diff/git-diff.ts';
import { buildScenario } from './git-fixture.ts';
import type { DiffScenario } from './git-fixture.ts';

/** Diff, filter and anchor together on a diff made by real git, as `steward review` will run them. */
describe('review pipeline on a real git diff', () => {
  let scenario: DiffScenario;
  beforeAll(() => {
    scenario = buildScenario();
  });
  afterAll(() => scenario.repo.dispose());

  const finding = (path: string, line: number, extra: Partial<Finding> = {}): Finding => ({
    path,
    line,
    severity: 'major',
    category: 'correctness',
    title: `Check ${path}:${line}`,
    body: 'Look here.',
    ...extra,
  });

  it('anchors findings on renamed, CRLF and non-ASCII files, and none on skipped ones', () => {
    const { reviewed, skipped } = filterFiles(parseGitDiff(scenario.diff), {
      exclude: ['docs/**'],
    });
    expect(skipped.map((s) => [s.path, s.kind])).toEqual([
      ['assets/my logo.png', 'binary'],
      ['docs/über straße.md', 'excluded'],
      ['logo.png', 'binary'],
    ]);
    const contents = new Map(
      reviewed
        .filter((f) => f.status !== 'removed')
        .map((f) => [f.path, scenario.show(scenario.head, f.path)]),
    );
    const result = anchorFindings(
      [
        finding('src/new-name.ts', 4, { suggestion: "export const x3 = 'v3';" }),
        finding('src/new-name.ts', 20),
        finding('windows.txt', 2, { suggestion: 'two' }),
        finding('新しい.ts', 1, { suggestion: 'export {' }),
        finding('logo.png', 1),
        finding('eof.ts', 2, { endLine: 3 }),
      ],
      reviewed,
      { contents },
    );
    expect(result.inline.map((f) => [f.path, f.line, f.suggestion, f.suggestionDropped])).toEqual([
      ['src/new-name.ts', 4, "export const x3 = 'v3';", undefined],
      ['windows.txt', 2, 'two', undefined],
      [
        '新しい.ts',
        1,
        undefined,
        "the file would not parse with the suggestion: line 2: '}' expected. (TS1005)",
      ],
    ]);
    expect(result.offDiff.map((f) => [f.path, f.offDiffReason])).toEqual([
      ['src/new-name.ts', 'line 20 of the new file is outside the diff'],
      ['logo.png', 'the file is not in the reviewed diff'],
      ['eof.ts', 'lines 2-3 of the new file run past the hunk, outside the diff'],
    ]);

    // A rerun of the same review finds every inline comment already posted.
    const posted = result.inline.map((f) => `${hiddenMarker(f.fingerprint)}\n${f.body}`);
    const rerun = anchorFindings(
      [finding('src/new-name.ts', 4), finding('windows.txt', 2), finding('新しい.ts', 1)],
      reviewed,
      { contents },
    );
    expect(partitionPosted(rerun.inline, posted).fresh).toEqual([]);
  });
});
