import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUG_FIX_RULE } from '../../src/hotspots/history/bug-fix.ts';
import { defaultThresholds } from '../../src/health/thresholds.ts';
import { healthDeltaOfTexts, type ChangedText } from '../../src/health/assess-texts.ts';
import { runHealthDelta } from '../../src/health/change-health.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { GitRepo } from '../support/git-repo.ts';

/** The health delta of a pull request from its files' texts, as a review without a checkout. */

const COMPLEX = (
  name: string,
  variant: number,
) => `export function ${name}(kind: string, n: number): number {
  if (kind === 'a' && n > 1 && n < 10) return 1;
  if (kind === 'b') { for (let i = 0; i < n; i++) { if (i % 2) { if (i > ${variant}) return i; } } }
  switch (kind) { case 'c': return 3; case 'd': return 4; case 'e': return 5; case 'f': return 6; }
  return kind === 'g' ? 7 : n > 0 ? 8 : 9;
}
`;
const SIMPLE = 'export const add = (a: number, b: number): number => a + b;\n';
/** Twelve distinct statements: long enough to be a Code Duplication wherever it is copied. */
const BLOCK = (name: string) =>
  `export function ${name}(values: number[]): number {\n${Array.from(
    { length: 12 },
    (_, i) => `  const v${i} = values[${i}] * ${i + 2} + ${i * 7};\n`,
  ).join('')}  return v0 + v11;\n}\n`;

const config = {
  thresholds: defaultThresholds(),
  exclude: ['generated/**'],
  bugFix: DEFAULT_BUG_FIX_RULE,
};

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

describe('healthDeltaOfTexts', () => {
  it('reports what runHealthDelta reports for the same change in a git repository', async () => {
    repo = new GitRepo();
    repo
      .write('src/router.ts', SIMPLE)
      .write('src/old-name.ts', `${COMPLEX('route', 1)}\n${SIMPLE}`)
      .write('src/gone.ts', COMPLEX('gone', 2))
      .write('src/unchanged.ts', SIMPLE.replace('add', 'sum'))
      .write('generated/api.ts', SIMPLE)
      .write('README.md', '# demo\n')
      .commit('base');
    repo.git('branch', 'base');
    repo
      .write('src/router.ts', `${SIMPLE}\n${COMPLEX('dispatch', 3)}\n${BLOCK('first')}`)
      .move('src/old-name.ts', 'src/lib/new-name.ts')
      .write('src/lib/new-name.ts', `${COMPLEX('route', 4)}\n${SIMPLE}`)
      .remove('src/gone.ts')
      .write('src/copy.ts', BLOCK('second'))
      .write('generated/api.ts', COMPLEX('generated', 5))
      .write('README.md', '# demo\n\nMore.\n')
      .commit('change');
    const show = (rev: string, path: string) => repo!.git('show', `${rev}:${path}`);

    const changes: ChangedText[] = [
      { path: 'README.md', previousPath: null, before: '# demo\n', after: '# demo\n\nMore.\n' },
      ...['src/router.ts', 'generated/api.ts'].map((path) => ({
        path,
        previousPath: null,
        before: show('base', path),
        after: show('HEAD', path),
      })),
      {
        path: 'src/lib/new-name.ts',
        previousPath: 'src/old-name.ts',
        before: show('base', 'src/old-name.ts'),
        after: show('HEAD', 'src/lib/new-name.ts'),
      },
      {
        path: 'src/gone.ts',
        previousPath: null,
        before: show('base', 'src/gone.ts'),
        after: null,
      },
      { path: 'src/copy.ts', previousPath: null, before: null, after: show('HEAD', 'src/copy.ts') },
    ];
    const fromTexts = healthDeltaOfTexts(changes, config);
    const fromGit = await runHealthDelta({
      reader: await openGitRevisionReader(repo.dir),
      base: 'base',
      head: 'HEAD',
      config,
    });

    expect(fromTexts.files).toEqual(fromGit.report.files);
    expect(fromTexts.syntaxErrors).toEqual(fromGit.syntaxErrors);
    // The comparison is not vacuous: every kind of change is there, with its smells.
    const byPath = new Map(fromTexts.files.map((file) => [file.path, file]));
    expect([...byPath.keys()]).toEqual([
      'src/copy.ts',
      'src/gone.ts',
      'src/lib/new-name.ts',
      'src/router.ts',
    ]);
    expect(byPath.get('src/router.ts')!.introduced).toContainEqual(
      expect.objectContaining({ kind: 'Complex Method', function: 'dispatch' }),
    );
    expect(byPath.get('src/router.ts')!.introduced).toContainEqual(
      expect.objectContaining({ kind: 'Code Duplication', function: 'first' }),
    );
    expect(byPath.get('src/lib/new-name.ts')).toMatchObject({ before: expect.any(Number) });
    expect(byPath.get('src/gone.ts')).toMatchObject({ after: null, delta: null });
    expect(byPath.get('src/gone.ts')!.fixed).toContainEqual(
      expect.objectContaining({ kind: 'Complex Method', function: 'gone' }),
    );
  });

  it('handles new, deleted, non-analysable, excluded and unparsable files', () => {
    const result = healthDeltaOfTexts(
      [
        { path: 'src/new.ts', previousPath: null, before: null, after: COMPLEX('fresh', 1) },
        { path: 'src/deleted.js', previousPath: null, before: COMPLEX('old', 2), after: null },
        { path: 'README.md', previousPath: null, before: 'a\n', after: 'b\n' },
        { path: 'generated/client.ts', previousPath: null, before: SIMPLE, after: COMPLEX('g', 3) },
        {
          path: 'src/broken.ts',
          previousPath: null,
          before: SIMPLE,
          after: `${SIMPLE}\nexport const broken = ;\n`,
        },
      ],
      config,
    );

    expect(result.files.map((file) => file.path)).toEqual([
      'src/broken.ts',
      'src/deleted.js',
      'src/new.ts',
    ]);
    const [broken, deleted, fresh] = result.files;
    expect(fresh).toMatchObject({ before: null, delta: null, fixed: [] });
    expect(fresh!.after).toBeLessThan(10);
    expect(fresh!.introduced).toContainEqual(
      expect.objectContaining({ kind: 'Complex Method', function: 'fresh', line: 1 }),
    );
    expect(deleted).toMatchObject({ after: null, delta: null, introduced: [] });
    expect(deleted!.before).toBeLessThan(10);
    expect(broken).toMatchObject({ before: 10 });
    expect(result.syntaxErrors).toEqual([
      { path: 'src/broken.ts', line: 3, message: 'Expression expected.' },
    ]);
  });

  it('compares a renamed file with its old self', () => {
    const { files } = healthDeltaOfTexts(
      [
        {
          path: 'src/new-home.ts',
          previousPath: 'src/old-home.ts',
          before: COMPLEX('route', 1),
          after: SIMPLE,
        },
      ],
      { thresholds: defaultThresholds(), exclude: [] },
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path: 'src/new-home.ts', after: 10, introduced: [] });
    expect(files[0]!.delta).toBeGreaterThan(0);
    expect(files[0]!.fixed).toContainEqual(
      expect.objectContaining({ kind: 'Complex Method', function: 'route' }),
    );
  });
});
