/**
 * History mining against the same `git log` alone, on a generated repository.
 * Rerun: `node bench/git-mining.ts` (Node 24; options `--commits N` default 25000, `--runs N`
 * default 5). bench/hotspots-rerun.ts imports the generator (generatedRepository). The first run builds the repository with `git fast-import` under
 * $TMPDIR/steward-bench-git-mining-v2-<commits> (two to three minutes); later runs reuse it.
 *
 * The repository is generated from a fixed seed: a monorepo of ~100 folders growing from 1,500 to
 * a few thousand TypeScript files, 12 authors of unequal activity, mostly 1–5 files per commit with
 * a long tail (initial import and folder moves of hundreds), renames with and without edits,
 * deletions, and short branches merged with merge commits.
 *
 * Prints, for all of history and for the last 12 months: the wall time of `git log` alone (output
 * drained, nothing parsed) and of mineHistory (repository checks, ls-tree, the same log, parsing
 * and accumulation), median and min of the runs, their ratio (issue 3 asks for ≤ 1.5×), and
 * computeCoupling's time. Then the peak RSS of a fresh Node process that runs mineHistory once,
 * and of git log alone (via /usr/bin/time when installed).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { openGitRevisionReader } from '../src/git/revision-reader.ts';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeCoupling } from '../src/hotspots/history/coupling.ts';
import { gitLogArgs } from '../src/hotspots/history/log-command.ts';
import { mineHistory } from '../src/hotspots/history/mine.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      commits: { type: 'string', default: '25000' },
      runs: { type: 'string', default: '5' },
      'mine-once': { type: 'string' },
      since: { type: 'string' },
    },
  });
  if (values['mine-once'] !== undefined) {
    // Child mode for the memory figure: one mining run in a fresh process, peak RSS on stdout.
    const since = values.since ? new Date(values.since) : null;
    const history = await mineHistory(await openGitRevisionReader(values['mine-once']), { since });
    const maxRssKb = process.resourceUsage().maxRSS;
    console.log(JSON.stringify({ maxRssKb, commits: history.commits }));
    return;
  }

  const COMMITS = Number(values.commits);
  const RUNS = Number(values.runs);
  const dir = await generatedRepository(COMMITS);

  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  const head = git('rev-parse', 'HEAD');
  const newest = Number(git('log', '-1', '--format=%ct'));
  const yearAgo = new Date((newest - 365 * 86_400) * 1000);
  console.log(`# History mining vs git log alone`);
  console.log();
  console.log(
    `Repository: ${dir}\n` +
      `${git('rev-list', '--count', 'HEAD')} commits (${git('rev-list', '--count', '--merges', 'HEAD')} merges), ` +
      `${git('ls-tree', '-r', '--name-only', 'HEAD').split('\n').length} files at HEAD; ` +
      `git ${git('--version').replace('git version ', '')}, Node ${process.version}, ${RUNS} runs each.`,
  );
  console.log();
  console.log(
    '| window | commits | git log alone (median / min) | mineHistory (median / min) | ratio (medians) | computeCoupling |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const [label, since] of [
    ['all history', null],
    ['last 12 months', yearAgo],
  ] as const) {
    const alone: number[] = [];
    const mined: number[] = [];
    let bytes = 0;
    let history = await mineHistory(await openGitRevisionReader(dir), { since }); // warm the page cache once
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      bytes = await gitLogAlone(dir, head, since);
      alone.push(performance.now() - started);
      started = performance.now();
      history = await mineHistory(await openGitRevisionReader(dir), { since });
      mined.push(performance.now() - started);
    }
    const started = performance.now();
    const pairs = computeCoupling(history);
    const couplingMs = performance.now() - started;
    console.log(
      `| ${label} | ${history.commits} (${(bytes / 1e6).toFixed(1)} MB of log) | ${s(median(alone))} / ${s(Math.min(...alone))} | ` +
        `${s(median(mined))} / ${s(Math.min(...mined))} | **${(median(mined) / median(alone)).toFixed(2)}×** | ` +
        `${couplingMs.toFixed(0)} ms (${history.changesets.length} changesets → ${pairs.length} pairs) |`,
    );
  }

  console.log();
  const child = spawnSync(process.execPath, [import.meta.filename, '--mine-once', dir], {
    encoding: 'utf8',
  });
  const { maxRssKb } = JSON.parse(child.stdout) as { maxRssKb: number };
  let gitRss = 'n/a (/usr/bin/time not installed)';
  if (existsSync('/usr/bin/time')) {
    const timed = spawnSync('/usr/bin/time', ['-f', '%M', 'git', ...gitLogArgs(head, null)], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 2 ** 31,
    });
    gitRss = `${(Number(timed.stderr.trim().split('\n').at(-1)) / 1024).toFixed(0)} MB`;
  }
  console.log(
    `Peak RSS, all history: Node running mineHistory ${(maxRssKb / 1024).toFixed(0)} MB ` +
      `(fresh process, git excluded); git log alone ${gitRss}.`,
  );
}

/**
 * The generated repository of `commits` commits under the temp dir, built on first use (two to
 * three minutes for 25,000) and reused after. Also the large repository of bench/hotspots-rerun.ts.
 */
export async function generatedRepository(commits = 25_000): Promise<string> {
  const dir = join(tmpdir(), `steward-bench-git-mining-v2-${commits}`);
  const done = join(dir, '.git', 'steward-bench-complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    const started = performance.now();
    console.error(`Generating ${commits} commits in ${dir} …`);
    await generateRepository(dir, commits);
    writeFileSync(done, new Date().toISOString());
    console.error(`Generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return dir;
}

/** Spawns the exact command mineHistory reads and drains its output; returns the bytes read. */
function gitLogAlone(dir: string, head: string, since: Date | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', gitLogArgs(head, since), {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(bytes) : reject(new Error(`git log exited ${code}`)),
    );
  });
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function s(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

// ---------------------------------------------------------------------------------------------
// Repository generator: one `git fast-import` stream, deterministic from a fixed seed.

async function generateRepository(target: string, commits: number): Promise<void> {
  execFileSync('git', ['init', '-q', '-b', 'main', target]);
  const importer = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: target,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const closed = new Promise<void>((resolve, reject) => {
    importer.once('error', reject);
    importer.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)),
    );
  });
  const generator = new HistoryGenerator(commits);
  for (const piece of generator.stream()) {
    if (!importer.stdin.write(piece)) {
      await new Promise((resolve) => importer.stdin.once('drain', resolve));
    }
  }
  importer.stdin.end('done\n');
  await closed;
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: target });
}

interface GeneratedFile {
  lines: string[];
  mark: number;
}

const AUTHORS = [
  'Alice Example',
  'Bob Builder',
  'Zoë Müller',
  'José Núñez',
  'Chen Wei',
  'Priya Raman',
  'Ola Nordmann',
  'Kwame Mensah',
  'Sven Svensson',
  'Fatima Zahra',
  'Dmitri Ivanov',
  'Aiko Tanaka',
];
const PACKAGES = [
  'api',
  'web',
  'core',
  'cli',
  'auth',
  'billing',
  'search',
  'ui',
  'infra',
  'shared',
];
const AREAS = [
  'model',
  'service',
  'routes',
  'util',
  'store',
  'hooks',
  'jobs',
  'schema',
  'io',
  'view',
];
const WORDS = [
  'order',
  'user',
  'cart',
  'price',
  'token',
  'queue',
  'cache',
  'event',
  'report',
  'session',
];
const WORDS2 = [
  'handler',
  'mapper',
  'client',
  'parser',
  'builder',
  'policy',
  'state',
  'index',
  'types',
];

class HistoryGenerator {
  private readonly total: number;
  private random = mulberry32(0x5eed);
  private mark = 0;
  private time = Date.parse('2017-01-02T09:00:00Z') / 1000;
  private readonly step: number;
  private readonly files = new Map<string, GeneratedFile>();
  private readonly folders = new Map<string, Set<string>>();
  private hot: string[] = [];
  private mainTip = 0;
  private made = 0;
  private branches = 0;

  constructor(total: number) {
    this.total = total;
    // Spread the history so that it ends around the end of 2025.
    this.step = (Date.parse('2025-12-31T18:00:00Z') / 1000 - this.time) / total;
  }

  *stream(): Generator<string> {
    yield* this.initialImport();
    while (this.made < this.total) {
      if (this.random() < 0.03 && this.total - this.made > 10) yield* this.branch();
      else yield* this.mainCommit();
    }
  }

  private *initialImport(): Generator<string> {
    const changes: string[] = [];
    for (const pkg of PACKAGES) {
      for (const area of AREAS) {
        for (let i = 0; i < 15; i++) {
          const path = this.newPath(`packages/${pkg}/src/${area}`);
          yield* this.writeFile(path, this.lines(20 + Math.floor(this.random() ** 2 * 300)));
          changes.push(`M 100644 :${this.files.get(path)!.mark} ${path}\n`);
          if (this.random() < 0.05) this.hot.push(path);
        }
      }
    }
    yield this.commitHeader('refs/heads/main', 'Initial import', null, null) + changes.join('');
    this.mainTip = this.mark;
  }

  /** On a branch's watch (`locked` = the branch's files) main only edits files, never adds or moves. */
  private *mainCommit(locked?: ReadonlySet<string>): Generator<string> {
    const free = locked === undefined;
    locked ??= new Set();
    const roll = this.random();
    const changes: string[] = [];
    const folder = this.pickFolder();
    let message: string;
    if (free && roll < 0.001) {
      message = `Move ${folder}`;
      const target = `${folder.replace(/\/src\//, '/lib/')}-${this.mark}`;
      for (const path of [...this.folders.get(folder)!]) {
        const moved = `${target}/${path.slice(folder.length + 1)}`;
        this.rename(path, moved);
        changes.push(`R ${path} ${moved}\n`);
      }
    } else if (free && roll < 0.016) {
      message = 'Rename modules';
      for (let i = 1 + Math.floor(this.random() * 3); i > 0; i--) {
        const path = this.pickIn(folder, locked);
        if (!path) continue;
        const moved = this.newPath(this.random() < 0.5 ? folder : this.pickFolder());
        this.rename(path, moved);
        changes.push(`R ${path} ${moved}\n`);
        if (this.random() < 0.5) changes.push(...(yield* this.modify(moved)));
      }
    } else if (free && roll < 0.036) {
      message = 'Remove dead code';
      const path = this.pickIn(folder, locked);
      if (path && this.folders.get(folder)!.size > 3) {
        this.remove(path);
        changes.push(`D ${path}\n`);
      }
    } else {
      message = 'Change';
      if (free && roll < 0.1) {
        for (let i = 1 + Math.floor(this.random() * 3); i > 0; i--) {
          const path = this.newPath(folder);
          yield* this.writeFile(path, this.lines(10 + Math.floor(this.random() * 60)));
          changes.push(`M 100644 :${this.files.get(path)!.mark} ${path}\n`);
        }
      }
      for (const path of this.pickFiles(folder, this.fileCount(), locked)) {
        changes.push(...(yield* this.modify(path)));
      }
    }
    if (changes.length === 0) return;
    yield this.commitHeader('refs/heads/main', message, this.mainTip, null) + changes.join('');
    this.mainTip = this.mark;
  }

  /** A short branch with 1–4 commits, main moving meanwhile on other files, then a merge commit. */
  private *branch(): Generator<string> {
    const name = `refs/heads/topic-${this.branches++}`;
    let tip = this.mainTip;
    const touched = new Set<string>();
    const mainTouched = new Set<string>();
    for (let i = 1 + Math.floor(this.random() * 4); i > 0; i--) {
      if (this.random() < 0.3) {
        const before = this.mainTip;
        yield* this.mainCommit(touched);
        if (this.mainTip !== before) this.lastTouched.forEach((p) => mainTouched.add(p));
      }
      const changes: string[] = [];
      for (const path of this.pickFiles(this.pickFolder(), this.fileCount(), mainTouched)) {
        changes.push(...(yield* this.modify(path)));
        touched.add(path);
      }
      if (changes.length === 0) continue;
      yield this.commitHeader(name, 'Topic work', tip, null) + changes.join('');
      tip = this.mark;
    }
    if (tip === this.mainTip) return;
    const merged = [...touched].map((p) => `M 100644 :${this.files.get(p)!.mark} ${p}\n`);
    yield (
      this.commitHeader('refs/heads/main', `Merge ${name}`, this.mainTip, tip) + merged.join('')
    );
    this.mainTip = this.mark;
  }

  private lastTouched: string[] = [];

  /** 1 file in ~45% of commits, 2 in 25%, then a long tail up to ~60. */
  private fileCount(): number {
    const r = this.random();
    if (r < 0.45) return 1;
    if (r < 0.7) return 2;
    if (r < 0.85) return 3 + Math.floor(this.random() * 3);
    if (r < 0.96) return 6 + Math.floor(this.random() * 10);
    return 16 + Math.floor(this.random() * 45);
  }

  private pickFiles(folder: string, count: number, avoid: ReadonlySet<string>): string[] {
    const picked = new Set<string>();
    for (let tries = 0; picked.size < count && tries < count * 4; tries++) {
      const fromHot = this.random() < 0.2 && this.hot.length > 0;
      const path = fromHot
        ? this.hot[Math.floor(this.random() * this.hot.length)]!
        : this.pickIn(this.random() < 0.8 ? folder : this.pickFolder(), avoid);
      if (path && this.files.has(path) && !avoid.has(path)) picked.add(path);
    }
    this.lastTouched = [...picked];
    return this.lastTouched;
  }

  private pickIn(folder: string, avoid: ReadonlySet<string>): string | undefined {
    const members = [...(this.folders.get(folder) ?? [])].filter((p) => !avoid.has(p));
    return members[Math.floor(this.random() * members.length)];
  }

  private pickFolder(): string {
    const names = [...this.folders.keys()];
    // Skewed: a few folders see most of the work.
    return names[Math.floor(this.random() ** 2 * names.length)]!;
  }

  private *modify(path: string): Generator<string, string[]> {
    const lines = [...this.files.get(path)!.lines];
    const edits = 1 + Math.floor(this.random() * 6);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(this.random() * (lines.length + 1));
      // Files grow up to ~400 lines and then hover there: past it, insertions (4.5 lines on
      // average) become rarer than deletions (2 on average).
      const kind = lines.length < 400 ? this.random() : 0.25 + this.random() * 0.75;
      if (kind < 0.4 || lines.length < 5)
        lines.splice(at, 0, ...this.lines(1 + Math.floor(this.random() * 8)));
      else if (kind < 0.7) lines.splice(at, 1 + Math.floor(this.random() * 3));
      else lines.splice(at, 1, ...this.lines(1));
    }
    yield* this.writeFile(path, lines);
    return [`M 100644 :${this.files.get(path)!.mark} ${path}\n`];
  }

  private *writeFile(path: string, lines: string[]): Generator<string> {
    const content = lines.join('');
    const mark = ++this.mark;
    const known = this.files.get(path);
    if (known) {
      known.lines = lines;
      known.mark = mark;
    } else {
      this.files.set(path, { lines, mark });
      this.folderOf(path).add(path);
    }
    yield `blob\nmark :${mark}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }

  private rename(from: string, to: string): void {
    const file = this.files.get(from)!;
    this.remove(from);
    this.files.set(to, file);
    this.folderOf(to).add(to);
    const hot = this.hot.indexOf(from);
    if (hot !== -1) this.hot[hot] = to;
  }

  private remove(path: string): void {
    this.files.delete(path);
    const folder = this.folders.get(path.slice(0, path.lastIndexOf('/')))!;
    folder.delete(path);
    if (folder.size === 0) this.folders.delete(path.slice(0, path.lastIndexOf('/')));
    this.hot = this.hot.filter((p) => p !== path);
  }

  private folderOf(path: string): Set<string> {
    const folder = path.slice(0, path.lastIndexOf('/'));
    let members = this.folders.get(folder);
    if (!members) {
      members = new Set();
      this.folders.set(folder, members);
    }
    return members;
  }

  private newPath(folder: string): string {
    for (;;) {
      const name = `${this.pick(WORDS)}-${this.pick(WORDS2)}${Math.floor(this.random() * 1000)}.ts`;
      const path = `${folder}/${name}`;
      if (!this.files.has(path)) return path;
    }
  }

  private lines(count: number): string[] {
    return Array.from({ length: count }, () => {
      const indent = '  '.repeat(Math.floor(this.random() * 4));
      return `${indent}const ${this.pick(WORDS)}${Math.floor(this.random() * 1e4)} = ${this.pick(WORDS2)}(${Math.floor(this.random() * 1e3)});\n`;
    });
  }

  private commitHeader(
    ref: string,
    message: string,
    from: number | null,
    merge: number | null,
  ): string {
    this.made++;
    this.time += Math.max(60, Math.round(this.step * (0.2 + this.random() * 1.6)));
    const author = AUTHORS[Math.floor(this.random() ** 2 * AUTHORS.length)]!;
    const ident = `${author} <${author.split(' ')[0]!.toLowerCase()}@example.com> ${this.time} +0000`;
    const mark = ++this.mark;
    return (
      `commit ${ref}\nmark :${mark}\nauthor ${ident}\ncommitter ${ident}\n` +
      `data ${Buffer.byteLength(message)}\n${message}\n` +
      (from !== null ? `from :${from}\n` : '') +
      (merge !== null ? `merge :${merge}\n` : '')
    );
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)]!;
  }
}

/** A small deterministic PRNG, so every machine generates the same repository. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Last, once every class and constant above is initialised; not when another bench imports this.
if (import.meta.main) await main();
