import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryCache } from '../../../src/hotspots/history/history-cache.ts';
import {
  mineHistory as mineHistoryOf,
  type HistoryCacheUse,
  type MineHistoryOptions,
  type MinedHistory,
} from '../../../src/hotspots/history/mine.ts';
import type { GitRepo } from '../../support/git-repo.ts';
import { disposables } from '../../support/git-repo.ts';
import { openGitRevisionReader } from '../../../src/git/revision-reader.ts';

/** mineHistory on a repository named by its directory. */
const mineHistory = async (dir: string, options: Parameters<typeof mineHistoryOf>[1]) =>
  mineHistoryOf(await openGitRevisionReader(dir), options);

const { repo, defer } = disposables();

function cacheFile(dir: string): string {
  return join(dir, '.git', 'steward', 'history-cache.json');
}

/** Mines with the cache, and returns the result with how the cache was used. */
async function mineCached(
  dir: string,
  options: MineHistoryOptions = { since: null },
): Promise<{ history: MinedHistory; use: HistoryCacheUse }> {
  let use: HistoryCacheUse | undefined;
  const history = await mineHistory(dir, {
    ...options,
    cache: true,
    onCacheUse: (u) => (use = u),
  });
  return { history, use: use! };
}

/** A mine that neither reads nor writes the cache: the reference every cached result must equal. */
function mineFresh(dir: string, options: MineHistoryOptions = { since: null }) {
  return mineHistory(dir, { ...options, cache: false });
}

/** Eight commits over five files, with a rename and an edit by a second author. */
function baseHistory(r: GitRepo): void {
  r.lines('src/a.ts', 10).lines('src/b.ts', 20).lines('src/c.ts', 5);
  r.commit('one');
  r.lines('src/a.ts', 12).lines('src/b.ts', 18);
  r.commit('two', { author: 'Bob' });
  r.move('src/c.ts', 'lib/c.ts');
  r.commit('rename c');
  r.lines('lib/c.ts', 9).lines('docs/d.ts', 3);
  r.commit('four');
  r.lines('src/a.ts', 3);
  r.commit('five', { author: 'Carol' });
  r.lines('docs/d.ts', 4).lines('src/e.ts', 7);
  r.commit('six');
  r.lines('src/b.ts', 25);
  r.commit('seven', { author: 'Bob' });
  r.lines('src/e.ts', 8);
  r.commit('eight');
}

describe('mineHistory with the history cache', () => {
  it('gives a warm, incremental mine identical to a full mine after new commits (rename, deletion)', async () => {
    const r = repo();
    baseHistory(r);

    const cold = await mineCached(r.dir);
    expect(cold.use).toEqual({ reused: 0, read: 8, full: true });
    expect(existsSync(cacheFile(r.dir))).toBe(true);
    expect(cold.history).toEqual(await mineFresh(r.dir));

    r.move('src/a.ts', 'src/renamed-a.ts');
    r.lines('src/renamed-a.ts', 4);
    r.commit('rename a with an edit', { author: 'Dave' });
    r.remove('docs/d.ts');
    r.commit('delete d');
    r.lines('src/b.ts', 30).lines('src/new.ts', 2);
    r.commit('edit b, add new');

    const warm = await mineCached(r.dir);
    expect(warm.use).toEqual({ reused: 8, read: 3, full: false });
    const full = await mineFresh(r.dir);
    expect(warm.history).toEqual(full);
    // The renamed file kept its history; the deleted one is gone.
    expect(full.files.get('src/renamed-a.ts')).toMatchObject({ revisions: 4, authors: 4 });
    expect(full.files.has('docs/d.ts')).toBe(false);
    expect(full.files.has('src/a.ts')).toBe(false);

    // Nothing new: everything comes from the cache, and the file is not rewritten.
    const before = readFileSync(cacheFile(r.dir), 'utf8');
    const again = await mineCached(r.dir);
    expect(again.use).toEqual({ reused: 11, read: 0, full: false });
    expect(again.history).toEqual(full);
    expect(readFileSync(cacheFile(r.dir), 'utf8')).toBe(before);
  });

  it('applies a window as git does, from the cache of all history', async () => {
    const r = repo();
    baseHistory(r);
    await mineCached(r.dir);
    r.lines('src/b.ts', 2);
    r.commit('nine');
    const since = new Date(Date.parse(r.git('log', '-1', '--format=%cI', 'HEAD~4').trim()) + 1000);
    const windowed = await mineCached(r.dir, { since });
    expect(windowed.use).toEqual({ reused: 3, read: 1, full: false });
    expect(windowed.history).toEqual(await mineFresh(r.dir, { since }));
    expect(windowed.history.commits).toBe(4);
  });

  it('replays a merged branch with older dates in git log order, renames included', async () => {
    const r = repo();
    r.lines('a.ts', 10).lines('z.ts', 1);
    r.commit('base', { date: '2024-01-01T00:00:00Z' });
    r.git('checkout', '-q', '-b', 'feature');
    r.lines('a.ts', 12);
    // Older than the rename on main: a full walk reads it after the rename, under the new name.
    r.commit('feature edits a', { author: 'Bob', date: '2024-01-02T00:00:00Z' });
    r.git('checkout', '-q', 'main');
    r.move('a.ts', 'b.ts');
    r.commit('rename a to b', { date: '2024-01-03T00:00:00Z' });
    r.lines('z.ts', 2);
    r.commit('main edits z', { date: '2024-01-04T00:00:00Z' });
    await mineCached(r.dir);

    r.git('merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature');
    const warm = await mineCached(r.dir);
    expect(warm.use).toEqual({ reused: 3, read: 1, full: false });
    const full = await mineFresh(r.dir);
    expect(warm.history).toEqual(full);
    expect(full.files.get('b.ts')).toMatchObject({ revisions: 3, authors: 2 });
  });

  it('stays identical after history is rewritten (reset and a new commit)', async () => {
    const r = repo();
    baseHistory(r);
    await mineCached(r.dir);
    r.git('reset', '-q', '--hard', 'HEAD~2');
    r.lines('src/a.ts', 40).lines('src/other.ts', 3);
    r.commit('rewritten', { author: 'Erin' });

    const warm = await mineCached(r.dir);
    expect(warm.history).toEqual(await mineFresh(r.dir));
    expect(warm.history.commits).toBe(7);
    expect(warm.use.read).toBe(1);
  });

  it('ignores a corrupt or damaged cache file and rewrites it', async () => {
    const r = repo();
    baseHistory(r);
    await mineCached(r.dir);
    const valid = JSON.parse(readFileSync(cacheFile(r.dir), 'utf8')) as { paths: string[] };

    writeFileSync(cacheFile(r.dir), '{"format":1,"key":"trunc');
    const afterCorrupt = await mineCached(r.dir);
    expect(afterCorrupt.use.full).toBe(true);
    expect(afterCorrupt.history).toEqual(await mineFresh(r.dir));

    // Valid JSON under the right key, but a path index out of range.
    writeFileSync(cacheFile(r.dir), JSON.stringify({ ...valid, paths: valid.paths.slice(0, 1) }));
    const afterDamage = await mineCached(r.dir);
    expect(afterDamage.use.full).toBe(true);
    expect(afterDamage.history).toEqual(await mineFresh(r.dir));

    const healed = await mineCached(r.dir);
    expect(healed.use).toEqual({ reused: 8, read: 0, full: false });
  });

  it('mines in full when .mailmap changes, since every author name may change', async () => {
    const r = repo();
    baseHistory(r);
    await mineCached(r.dir);
    r.write('.mailmap', 'Robert <bob@example.com> Bob <bob@example.com>\n');
    r.commit('mailmap');
    const warm = await mineCached(r.dir);
    expect(warm.use.full).toBe(true);
    expect(warm.history).toEqual(await mineFresh(r.dir));
  });

  it('mines in full when a shallow clone is deepened, and honours its boundary before', async () => {
    const r = repo();
    baseHistory(r);
    const clone = join(mkdtempSync(join(tmpdir(), 'steward-history-')), 'clone');
    defer(() => rmSync(join(clone, '..'), { recursive: true, force: true }));
    execFileSync('git', ['clone', '-q', '--depth', '3', `file://${r.dir}`, clone]);

    const shallow = await mineCached(clone);
    expect(shallow.history).toEqual(await mineFresh(clone));
    expect(shallow.history.commits).toBe(2);
    expect(shallow.history.warnings).toHaveLength(1);
    const again = await mineCached(clone);
    expect(again.use).toEqual({ reused: 3, read: 0, full: false });
    expect(again.history).toEqual(shallow.history);

    execFileSync('git', ['fetch', '-q', '--deepen', '2'], { cwd: clone });
    const deeper = await mineCached(clone);
    expect(deeper.use.full).toBe(true);
    expect(deeper.history).toEqual(await mineFresh(clone));
    expect(deeper.history.commits).toBe(4);
  });
});

describe('HistoryCache', () => {
  it('round-trips records (renames, binary files, non-ASCII) through the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-history-cache-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'nested', 'history-cache.json');
    const commits = [
      {
        sha: 'a'.repeat(40),
        time: 1_700_000_000,
        author: 'Zoë',
        changes: [
          { path: 'docs/ünï code.ts', added: 3, deleted: 0 },
          { path: 'new\tname.ts', from: 'old.ts', added: 0, deleted: 1 },
          { path: 'logo.png', added: null, deleted: null },
        ],
      },
      { sha: 'b'.repeat(40), time: 1_600_000_000, author: 'Bob', changes: [] },
    ];
    const cache = await HistoryCache.load(file, 'key');
    for (const commit of commits) cache.put(commit);
    await cache.save([]);

    const loaded = await HistoryCache.load(file, 'key');
    expect(loaded.size).toBe(2);
    for (const commit of commits) expect(loaded.get(commit.sha)).toEqual(commit);
    expect((await HistoryCache.load(file, 'other key')).size).toBe(0);
  });
});
