/**
 * `steward hotspots` end to end on a generated repository of real TypeScript: a cold run (empty
 * caches), a warm rerun after one new commit (the issue asks for at least 10× faster), and the npm
 * package `code-complexity` on the same repository, side by side: wall time and peak memory. Then
 * cold and warm again on the 25,000-commit repository of bench/git-mining.ts (generated on first
 * use, two to three minutes), where mining the history dominates a cold run. Both print the size
 * of the two caches (history records, per-file analyses) after the cold run.
 * Rerun: `npm run bench:hotspots` (needs GNU time at /usr/bin/time; installs code-complexity from
 * the npm registry into the temp dir on first use).
 *
 * The repository is built once with `git fast-import` under the temp dir: the corpus files of
 * bench/corpus.ts (about 1,500 files) added over 15 commits, then 1,500 commits that each change
 * one to four files, chosen by a fixed-seed generator so every run measures the same history.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCorpus } from './corpus.ts';
import { generatedRepository } from './git-mining.ts';
import { builtCli } from './cli-bundle.ts';

const CODE_COMPLEXITY = 'code-complexity@4.4.4';
const CHANGE_COMMITS = 1500;
const repo = join(tmpdir(), 'steward-bench-hotspots-v1');
const cli = await builtCli();

function buildRepository(): void {
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  const files = readCorpus().map((f) => ({
    path: f.path.replace(/^node_modules\//, 'packages/'),
    text: f.text,
  }));
  const chunks: string[] = [];
  let time = Date.parse('2026-01-01T00:00:00Z') / 1000;
  let mark = 0;
  const commit = (message: string, changes: { path: string; text: string }[]) => {
    mark++;
    time += 3600;
    const author = `Dev${mark % 7} <dev${mark % 7}@example.com> ${time} +0000`;
    chunks.push(`commit refs/heads/main\nmark :${mark}\nauthor ${author}\ncommitter ${author}\n`);
    chunks.push(`data ${Buffer.byteLength(message)}\n${message}\n`);
    if (mark > 1) chunks.push(`from :${mark - 1}\n`);
    for (const change of changes) {
      chunks.push(
        `M 100644 inline ${change.path}\ndata ${Buffer.byteLength(change.text)}\n${change.text}\n`,
      );
    }
  };
  for (let i = 0; i < files.length; i += 100) commit(`add files ${i}`, files.slice(i, i + 100));
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const current = new Map(files.map((f) => [f.path, f.text]));
  // Skewed choice: a few files change often, as in real repositories.
  for (let n = 0; n < CHANGE_COMMITS; n++) {
    const changes = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const file = files[Math.floor(files.length * random() ** 3)]!;
      const text = `${current.get(file.path)}// change ${n}\n`;
      current.set(file.path, text);
      return { path: file.path, text };
    });
    commit(`change ${n}`, changes);
  }
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: repo,
    input: chunks.join(''),
    maxBuffer: 1 << 30,
  });
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: repo });
}

interface Measurement {
  seconds: number;
  peakMb: number;
  /** The first error line when the command failed: a tool that crashes is a result too. */
  failure?: string;
}

/** Wall seconds and peak resident memory (MB) of a command, from GNU time. */
function measure(command: string[], cwd = repo): Measurement {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', ...command], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const [seconds, kb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  const measurement = { seconds: seconds!, peakMb: kb! / 1024 };
  if (result.status === 0) return measurement;
  const failure = result.stderr.split('\n').find((line) => /Error/.test(line)) ?? 'failed';
  return { ...measurement, failure: failure.trim() };
}

interface ColdWarm {
  commits: string;
  cold: Measurement;
  warm: Measurement;
  /** Bytes of the history and analysis caches after the cold run. */
  historyCache: number;
  analysisCache: number;
}

const COLD_RUNS = 2;
const WARM_RUNS = 3;

function median(runs: Measurement[]): Measurement {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor((runs.length - 1) / 2)]!;
}

/**
 * `steward hotspots --all-time` on `dir` with empty caches (median of COLD_RUNS), then again after
 * each of WARM_RUNS new commits that change `touched` (median); the commits are removed
 * afterwards, so every run of the bench measures the same thing.
 */
function coldWarm(dir: string, touched: string): ColdWarm {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  const commits = git('rev-list', '--count', 'HEAD');
  const steward = [
    process.execPath,
    cli,
    'hotspots',
    '--repo',
    dir,
    '--all-time',
    '--format',
    'json',
    '--out',
    '/dev/null',
  ];
  const cacheDir = join(dir, '.git', 'steward');
  const size = (name: string) =>
    statSync(join(cacheDir, name), { throwIfNoEntry: false })?.size ?? 0;
  // The median of several runs: this machine is shared, and one run can be slowed by others.
  const colds = Array.from({ length: COLD_RUNS }, () => {
    rmSync(cacheDir, { recursive: true, force: true });
    return measure(steward, dir);
  });
  const cold = median(colds);
  const historyCache = size('history-cache.json');
  const analysisCache = size('analysis-cache.jsonl');
  const warms = Array.from({ length: WARM_RUNS }, (_, run) => {
    spawnSync(
      'sh',
      [
        '-c',
        `echo '// one more change ${run}' >> '${touched}' && git commit -qam 'one more commit'`,
      ],
      { cwd: dir },
    );
    return measure(steward, dir);
  });
  const warm = median(warms);
  git('reset', '-q', '--hard', `HEAD~${WARM_RUNS}`);
  return { commits, cold, warm, historyCache, analysisCache };
}

if (!existsSync(join(repo, '.git'))) {
  console.log('building the benchmark repository (once)…');
  buildRepository();
}
const small = coldWarm(repo, 'packages/zod/src/v4/core/util.ts');
const { cold, warm } = small;

// Installed once beside the repository, outside the measurement. Its cyclomatic strategy requires
// esprima and Babel presets without declaring them, so they are installed alongside.
const tool = join(tmpdir(), 'steward-bench-code-complexity');
const toolBin = join(tool, 'node_modules', '.bin', 'code-complexity');
if (!existsSync(toolBin)) {
  execFileSync(
    'npm',
    [
      'install',
      '--silent',
      '--prefix',
      tool,
      CODE_COMPLEXITY,
      'esprima@4',
      '@babel/preset-env@7',
      '@babel/preset-typescript@7',
    ],
    {
      stdio: 'inherit',
    },
  );
}
const options = ['--format', 'json', '--limit', '100000'];
const sloc = measure([toolBin, repo, ...options]);
const cyclomatic = measure([toolBin, repo, ...options, '--complexity-strategy', 'cyclomatic']);

const large = await generatedRepository();
const firstTs = execFileSync('git', ['ls-files', '*.ts'], { cwd: large, encoding: 'utf8' })
  .split('\n')
  .find((path) => path !== '')!;
const big = coldWarm(large, firstTs);

const row = (name: string, m: Measurement) =>
  `| ${name} | ${m.seconds.toFixed(2)} s | ${m.peakMb.toFixed(0)} MB | ${m.failure ? `crashed: ${m.failure}` : 'ok'} |`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`\nrepository: ${small.commits} commits, ${readCorpus().length} TypeScript files\n`);
console.log('| run | wall | peak RSS | result |\n| --- | --- | --- | --- |');
console.log(row('steward hotspots, cold (empty cache)', cold));
console.log(row('steward hotspots, warm after one commit', warm));
console.log(row(`${CODE_COMPLEXITY} (sloc, its default)`, sloc));
console.log(row(`${CODE_COMPLEXITY} --complexity-strategy cyclomatic`, cyclomatic));
for (const [name, other] of [
  ['sloc', sloc],
  ['cyclomatic', cyclomatic],
] as const) {
  if (other.failure) continue;
  console.log(
    `steward cold ÷ code-complexity ${name}: wall ${(cold.seconds / other.seconds).toFixed(2)}×, peak memory ${(cold.peakMb / other.peakMb).toFixed(2)}×`,
  );
}

console.log(
  '\n| repository | cold | warm after one commit | cold ÷ warm | history cache | analysis cache |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, result] of [
  [`corpus, ${small.commits} commits`, small],
  [`generated (bench/git-mining.ts), ${big.commits} commits`, big],
] as const) {
  console.log(
    `| ${name} | ${result.cold.seconds.toFixed(2)} s | ${result.warm.seconds.toFixed(2)} s | ` +
      `**${(result.cold.seconds / result.warm.seconds).toFixed(1)}×** | ${mb(result.historyCache)} | ${mb(result.analysisCache)} |`,
  );
}
