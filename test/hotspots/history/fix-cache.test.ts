import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.ts';
import { bugFixMatcher, type BugFixRule } from '../../../src/hotspots/history/bug-fix.ts';
import {
  cachedFixCommits as cachedFixCommitsOf,
  type FixCacheUse,
} from '../../../src/hotspots/history/fix-cache.ts';
import { readFixCommits as readFixCommitsOf } from '../../../src/hotspots/history/fix-commits.ts';
import { runHotspots } from '../../../src/hotspots/run-hotspots.ts';
import type { GitRepo } from '../../support/git-repo.ts';
import { disposables } from '../../support/git-repo.ts';
import { openGitRevisionReader } from '../../../src/git/revision-reader.ts';

/** The functions under test, on a repository named by its directory. */
const cachedFixCommits = async (dir: string, ...rest: Tail<typeof cachedFixCommitsOf>) =>
  cachedFixCommitsOf(await openGitRevisionReader(dir), ...rest);
const readFixCommits = async (dir: string, ...rest: Tail<typeof readFixCommitsOf>) =>
  readFixCommitsOf(await openGitRevisionReader(dir), ...rest);
type Tail<F extends (...args: never[]) => unknown> =
  Parameters<F> extends [unknown, ...infer Rest] ? Rest : never;

const { repo } = disposables();

/** Nine commits: features, fixes by word and by closing keyword, and a docs "fix" that is not one. */
function history(): GitRepo {
  const r = repo();
  r.lines('src/a.ts', 10).lines('src/b.ts', 10).lines('src/c.ts', 10);
  r.commit('Add the modules');
  r.lines('src/a.ts', 12);
  r.commit('fix: crash when a is empty');
  r.lines('src/b.ts', 14);
  r.commit('Add feature to b');
  r.lines('src/b.ts', 15);
  r.commit('Tidy b\n\nCloses #12');
  r.lines('src/c.ts', 11);
  r.commit('docs: fix typo in c');
  r.lines('src/a.ts', 13).lines('src/c.ts', 12);
  r.commit('Feature work on a and c');
  return r;
}

function config(rule?: BugFixRule) {
  const hotspots = defaultConfig().hotspots;
  return rule ? { ...hotspots, bugFix: rule } : hotspots;
}

async function rank(r: GitRepo, rule?: BugFixRule) {
  const run = await runHotspots({
    reader: await openGitRevisionReader(r.dir),
    since: null,
    config: config(rule),
    repoLabel: 'test',
    threads: 1,
  });
  return run.report.files;
}

/** A run with every cache of Steward's removed first: the cold answer. */
async function rankCold(r: GitRepo, rule?: BugFixRule) {
  rmSync(join(r.dir, '.git', 'steward'), { recursive: true, force: true });
  return rank(r, rule);
}

const fixesOf = (files: { path: string; fixes: number }[]) =>
  Object.fromEntries(files.map((file) => [file.path, file.fixes]));

const everyCommit = (r: GitRepo) =>
  r.git('rev-list', '--no-merges', 'HEAD').split('\n').filter(Boolean);

describe('bug-fix verdicts kept between runs', () => {
  it('a warm run after new commits ranks exactly as a cold run, fixes included', async () => {
    const r = history();
    const cold = await rankCold(r);
    expect(fixesOf(cold)).toEqual({ 'src/a.ts': 1, 'src/b.ts': 1, 'src/c.ts': 0 });

    r.lines('src/c.ts', 20);
    r.commit('Fix the regression in c');
    r.lines('src/b.ts', 3);
    r.commit('Shrink b');
    const warm = await rank(r);
    expect(fixesOf(warm)).toEqual({ 'src/a.ts': 1, 'src/b.ts': 1, 'src/c.ts': 1 });
    expect(warm).toEqual(await rankCold(r));
  });

  it('reads only the messages of commits it has not judged before', async () => {
    const r = history();
    const matcher = bugFixMatcher();
    const read = async () => {
      const uses: FixCacheUse[] = [];
      const fixes = await cachedFixCommits(r.dir, matcher, {
        rev: 'HEAD',
        since: null,
        commits: Promise.resolve(everyCommit(r)),
        onCacheUse: (use) => uses.push(use),
      });
      return { fixes, use: uses[0] };
    };
    const first = await read();
    expect(first.use).toEqual({ reused: 0, read: 6, full: true });
    const fix = r.lines('src/c.ts', 30).commit('hotfix for c');
    r.lines('src/a.ts', 2).commit('Trim a');
    const second = await read();
    expect(second.use).toEqual({ reused: 6, read: 2, full: false });
    expect(second.fixes.has(fix)).toBe(true);
    expect(second.fixes).toEqual(await readFixCommits(r.dir, matcher, { rev: 'HEAD' }));
  });

  it('a changed bug-fix rule is honoured on the next run, and the old rule again after it', async () => {
    const r = history();
    const byDefault = await rankCold(r);
    // Warm under the default rule; now only "feature" commits are fixes.
    const rule = { match: 'feature', ignore: '^$' };
    const changed = await rank(r, rule);
    expect(fixesOf(changed)).toEqual({ 'src/a.ts': 1, 'src/b.ts': 1, 'src/c.ts': 1 });
    expect(changed).toEqual(await rankCold(r, rule));
    // The ignore pattern alone changing counts as a new rule too.
    const ignoring = { match: 'feature', ignore: 'work' };
    expect(fixesOf(await rank(r, ignoring))).toEqual({
      'src/a.ts': 0,
      'src/b.ts': 1,
      'src/c.ts': 0,
    });
    expect(await rank(r)).toEqual(byDefault);
  });

  it('a damaged or foreign cache file costs a full walk, never a wrong verdict', async () => {
    const r = history();
    const cold = await rankCold(r);
    const file = join(r.dir, '.git', 'steward', 'fix-cache.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { fixes: number[] };
    // Every commit marked a fix, and an index past the end: the file is not trusted.
    writeFileSync(file, JSON.stringify({ ...stored, fixes: [0, 1, 2, 3, 4, 5, 99] }));
    expect(await rank(r)).toEqual(cold);
    writeFileSync(file, '{"format":1,');
    expect(await rank(r)).toEqual(cold);
  });
});
