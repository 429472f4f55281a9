/**
 * The speed figures on a real repository, side by side on one checkout.
 * Rerun: `npm run bench:mutation-speed`. About 16 min on 2 busy cores: ~15 s to clone and install
 * (warm npm cache), 12.5 min for the full Stryker run, ~2.5 min for the nine Steward runs.
 *
 * The repository is unjs/ufo (URL utilities, TypeScript, a real vitest suite of 477 tests), at
 * 31ea74c, the tip of its v1.6.0 release window. The pull request is that window as it happened:
 * base a7012eb...head 31ea74c changes 48 lines of src/ across 3 files (parse.ts, query.ts, utils.ts:
 * the new `filterQuery`, `parseFilename`'s optional options, `parseQuery`'s null-prototype object)
 * plus their tests. The steps:
 *
 * (a) a full Stryker run of the repository (`stryker run`, json reporter), timed;
 * (b) `steward mutate --base a7012eb --format json` through the built CLI (`builtCli()`): wall time,
 *     Stryker's own time (`strykerMs`, its process start to exit) and Steward's overhead (the rest:
 *     CLI start, config, git diff, scope, finding Stryker, reading and scoring the report);
 *     then a one-line follow-up commit on filterQuery and `steward mutate` again with the
 *     incremental file the first run left in .git/steward/, then once more with nothing changed
 *     (every mutant reused: Stryker's fixed cost, start-up + checker + dry run);
 * (c) the same three Steward runs with the TypeScript checker off (`checkers: []`);
 * (d) the same three (checker on) for a wider real range to the same head, 0c67673...31ea74c.
 *
 * Both Stryker runs use the same Stryker config (written by this bench when the project has none:
 * the vitest runner with the project's own vitest setup, perTest coverage, the TypeScript checker
 * with the project's tsconfig, the same concurrency Steward passes: cores - 1), the same
 * node_modules and the same machine. The table goes to stdout and the figures to
 * `<BENCH_DIR>/mutation-speed.json`.
 *
 * Environment: MUTATION_SPEED_REPO (a git URL or local repository to clone; default
 * https://github.com/unjs/ufo.git, or the local mirror /work/.mirror/unjs+ufo/repo when present),
 * BENCH_DIR (where the clone and its node_modules are kept between runs; default
 * $TMPDIR/steward-bench-mutation-speed), SKIP_FULL=1 (skip (a), e.g. while tuning),
 * CONCURRENCY (default: cores - 1, as Steward).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  appendFileSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtCli } from './cli-bundle.ts';

const REPO_URL =
  process.env['MUTATION_SPEED_REPO'] ??
  (existsSync('/work/.mirror/unjs+ufo/repo')
    ? '/work/.mirror/unjs+ufo/repo'
    : 'https://github.com/unjs/ufo.git');
const HEAD = '31ea74cdd893473abceb7a7a1f5350d3aefcd1fc';
const HEAD_SHORT = '31ea74c';
const BASE = 'a7012eb102b8493d7162ad7e9da9c7b0d67ab350';
const BASE_SHORT = BASE.slice(0, 7);
/**
 * A longer-lived branch to the same head: v1.5.3+6 (0c67673)...31ea74c, 12 commits, 167 changed
 * lines of src/ across 5 files of which 49 are code (the rest JSDoc and reformatting): enough
 * mutants for the tests to outweigh Stryker's fixed cost, where the first-run/rerun ratio is set.
 */
const WIDE_BASE = '0c676739f0a11dee14ab9cd0304710f8e5d0d1e4';
const BENCH_DIR = resolve(
  process.env['BENCH_DIR'] ?? join(tmpdir(), 'steward-bench-mutation-speed'),
);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? Math.max(1, availableParallelism() - 1));
const STRYKER_VERSION = packageVersion('@stryker-mutator/core');
const CHECKOUT = join(BENCH_DIR, 'ufo');
const DEPS = join(BENCH_DIR, 'deps');

/** The one-line push: same behaviour, different code on a line the pull request added. */
const FOLLOW_UP = {
  file: 'src/utils.ts',
  from: 'Object.entries(query).filter(([key, value]) => predicate(key, value)),',
  to: 'Object.entries(query).filter((entry) => predicate(...entry)),',
};

function packageVersion(name: string): string {
  const file = join('node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${String(result.status)}:\n${result.stderr}${result.stdout}`,
    );
  return result.stdout;
}

const git = (...args: string[]): string =>
  run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], CHECKOUT);

/** Clones the repository at HEAD (kept between runs) and resets it to HEAD with no extra commits. */
function checkout(): void {
  if (!existsSync(join(CHECKOUT, '.git'))) {
    mkdirSync(BENCH_DIR, { recursive: true });
    run('git', ['clone', '--quiet', '--no-checkout', REPO_URL, CHECKOUT], BENCH_DIR);
  }
  git('checkout', '--quiet', '--force', '-B', 'bench', HEAD);
  git('clean', '-fdq', '-e', 'node_modules', '-e', 'stryker.conf.json');
  rmSync(join(CHECKOUT, '.git', 'steward'), { recursive: true, force: true });
}

/**
 * The project's test dependencies (vitest and TypeScript at the versions its package.json asks for)
 * and Stryker at Steward's version, installed once into DEPS and linked into the checkout: the
 * release tooling (eslint, unbuild, automd, changelogen) plays no part in a test run.
 */
function install(): void {
  const project = JSON.parse(readFileSync(join(CHECKOUT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const wanted = {
    name: 'steward-bench-ufo-deps',
    private: true,
    devDependencies: {
      vitest: project.devDependencies['vitest'],
      typescript: project.devDependencies['typescript'],
      '@types/node': project.devDependencies['@types/node'],
      '@stryker-mutator/core': STRYKER_VERSION,
      '@stryker-mutator/vitest-runner': STRYKER_VERSION,
      '@stryker-mutator/typescript-checker': STRYKER_VERSION,
    },
  };
  const manifest = join(DEPS, 'package.json');
  const text = `${JSON.stringify(wanted, null, 2)}\n`;
  if (!existsSync(manifest) || readFileSync(manifest, 'utf8') !== text) {
    rmSync(DEPS, { recursive: true, force: true });
    mkdirSync(DEPS, { recursive: true });
    writeFileSync(manifest, text);
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], DEPS);
  }
  const link = join(CHECKOUT, 'node_modules');
  if (!existsSync(link)) symlinkSync(join(DEPS, 'node_modules'), link, 'dir');
  appendFileSync(join(CHECKOUT, '.git', 'info', 'exclude'), '\nstryker.conf.json\nreports/\n');
}

/**
 * The Stryker config the runs share (the project has none at this commit), with or without the
 * TypeScript checker: Steward turns the checker on when the project has a tsconfig and names no
 * checkers, and it is most of Stryker's fixed cost here, so the Steward runs are timed both ways.
 */
function strykerConfig(checker: boolean): string {
  const own = git('ls-files', 'stryker.conf.*', 'stryker.config.*').trim();
  if (own !== '')
    throw new Error(`the project has its own Stryker config now (${own}): adapt the bench`);
  writeFileSync(
    join(CHECKOUT, 'stryker.conf.json'),
    `${JSON.stringify(
      {
        testRunner: 'vitest',
        coverageAnalysis: 'perTest',
        checkers: checker ? ['typescript'] : [],
        tsconfigFile: 'tsconfig.json',
        concurrency: CONCURRENCY,
        reporters: ['json'],
        jsonReporter: { fileName: 'reports/full/mutation.json' },
        tempDirName: '.stryker-tmp',
      },
      null,
      2,
    )}\n`,
  );
  return `vitest runner, perTest coverage, ${checker ? 'TypeScript checker' : 'no checker'}, concurrency ${String(CONCURRENCY)}`;
}

interface Timed {
  ms: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

function timed(command: string, args: string[]): Promise<Timed> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: CHECKOUT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((done) =>
    child.on('close', (code) => done({ ms: performance.now() - started, stdout, stderr, code })),
  );
}

/** The load average over a step, sampled every 5 s (the machine is shared). */
function watchLoad(): () => { mean: number; max: number } {
  const samples = [loadavg()[0]!];
  const timer = setInterval(() => samples.push(loadavg()[0]!), 5000);
  return () => {
    clearInterval(timer);
    return {
      mean: samples.reduce((a, b) => a + b, 0) / samples.length,
      max: Math.max(...samples),
    };
  };
}

interface StewardJson {
  kind: string;
  strykerMs?: number;
  mutantsTested?: number;
  mutantsNotRun?: number;
  ranges?: unknown[];
  counts?: { total: number; killed: number; survived: number; score: number | null };
  message?: string;
}

interface Step {
  name: string;
  wallMs: number;
  strykerMs: number;
  overheadMs: number | null;
  mutants: number;
  tested: number;
  msPerTestedMutant: number;
  load: { mean: number; max: number };
  detail: Record<string, unknown>;
}

/** The dry run line Stryker logs: "Initial test run succeeded. Ran N tests in X seconds (net Y ms, overhead Z ms)." */
function dryRun(log: string): string | undefined {
  return /Initial test run succeeded\.[^\n]*/.exec(log)?.[0];
}

async function fullRun(): Promise<Step> {
  rmSync(join(CHECKOUT, 'reports'), { recursive: true, force: true });
  const stryker = join(DEPS, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const load = watchLoad();
  const out = await timed(process.execPath, [stryker, 'run']);
  const loadFigures = load();
  if (out.code !== 0) throw new Error(`full Stryker run failed:\n${out.stdout}\n${out.stderr}`);
  const report = JSON.parse(
    readFileSync(join(CHECKOUT, 'reports', 'full', 'mutation.json'), 'utf8'),
  ) as { files: Record<string, { mutants: { status: string }[] }> };
  const statuses: Record<string, number> = {};
  for (const file of Object.values(report.files))
    for (const m of file.mutants) statuses[m.status] = (statuses[m.status] ?? 0) + 1;
  const mutants = Object.values(statuses).reduce((a, b) => a + b, 0);
  const tested =
    (statuses['Killed'] ?? 0) +
    (statuses['Survived'] ?? 0) +
    (statuses['Timeout'] ?? 0) +
    (statuses['RuntimeError'] ?? 0);
  return {
    name: '(a) full Stryker run',
    wallMs: out.ms,
    strykerMs: out.ms,
    overheadMs: null,
    mutants,
    tested,
    msPerTestedMutant: out.ms / Math.max(1, tested),
    load: loadFigures,
    detail: {
      files: Object.keys(report.files).length,
      statuses,
      dryRun: dryRun(out.stdout),
    },
  };
}

async function stewardRun(cli: string, name: string, base = BASE): Promise<Step> {
  const load = watchLoad();
  const out = await timed(process.execPath, [cli, 'mutate', '--base', base, '--format', 'json']);
  const loadFigures = load();
  let json: StewardJson;
  try {
    json = JSON.parse(out.stdout) as StewardJson;
  } catch {
    throw new Error(
      `steward mutate printed no JSON (exit ${String(out.code)}):\n${out.stdout}\n${out.stderr}`,
    );
  }
  if (json.kind !== 'report' || json.strykerMs === undefined)
    throw new Error(`steward mutate did not report: ${out.stdout}\n${out.stderr}`);
  const tested = json.mutantsTested ?? 0;
  return {
    name,
    wallMs: out.ms,
    strykerMs: json.strykerMs,
    overheadMs: out.ms - json.strykerMs,
    mutants: json.counts?.total ?? 0,
    tested,
    msPerTestedMutant: json.strykerMs / Math.max(1, tested),
    load: loadFigures,
    detail: {
      ranges: json.ranges,
      counts: json.counts,
      notRun: json.mutantsNotRun,
      exit: out.code,
    },
  };
}

function followUpCommit(): void {
  const file = join(CHECKOUT, FOLLOW_UP.file);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(FOLLOW_UP.from))
    throw new Error(`${FOLLOW_UP.file} has no "${FOLLOW_UP.from}"`);
  writeFileSync(file, text.replace(FOLLOW_UP.from, FOLLOW_UP.to));
  git('commit', '--quiet', '-am', 'filterQuery: spread the entry into the predicate');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function table(steps: Step[]): string {
  const head = [
    'step',
    'wall',
    'stryker',
    'steward overhead',
    'mutants',
    'tested',
    'per tested mutant',
    'load 1m mean/max',
  ];
  const rows = steps.map((s) => [
    s.name,
    seconds(s.wallMs),
    seconds(s.strykerMs),
    s.overheadMs === null ? '-' : `${(s.overheadMs / 1000).toFixed(2)} s`,
    String(s.mutants),
    String(s.tested),
    `${(s.msPerTestedMutant / 1000).toFixed(2)} s`,
    `${s.load.mean.toFixed(1)}/${s.load.max.toFixed(1)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

const setupStarted = performance.now();
checkout();
install();
const config = strykerConfig(true);
const cli = await builtCli();
const setupMs = performance.now() - setupStarted;
console.log(
  `unjs/ufo @ ${HEAD_SHORT} (${REPO_URL}), pull request ${BASE_SHORT}...${HEAD_SHORT}, Stryker ${STRYKER_VERSION}, stryker.conf.json: ${config}`,
);
console.log(
  `machine: ${String(cpus().length)} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; setup ${seconds(setupMs)}`,
);
const diffStat = git('diff', '--shortstat', `${BASE_SHORT}...HEAD`, '--', 'src').trim();
console.log(`pull request source change: ${diffStat}`);

const steps: Step[] = [];
if (process.env['SKIP_FULL'] !== '1') {
  console.log('(a) full Stryker run…');
  steps.push(await fullRun());
}

/** First run, rerun after the one-line push, rerun with nothing changed (Stryker's floor). */
async function stewardRuns(prefix: string, label: string, base = BASE): Promise<Step[]> {
  const done: Step[] = [];
  console.log(`${prefix} steward mutate (${label})…`);
  done.push(await stewardRun(cli, `${prefix} steward mutate, first run (${label})`, base));
  followUpCommit();
  done.push(await stewardRun(cli, `${prefix} rerun after a one-line push (${label})`, base));
  done.push(await stewardRun(cli, `${prefix} rerun, nothing changed (${label})`, base));
  return done;
}

const withChecker = await stewardRuns('(b)', 'TypeScript checker');
steps.push(...withChecker);
checkout();
strykerConfig(false);
const withoutChecker = await stewardRuns('(c)', 'no checker');
steps.push(...withoutChecker);
checkout();
strykerConfig(true);
const wideStat = git('diff', '--shortstat', `${WIDE_BASE}...HEAD`, '--', 'src').trim();
console.log(`wider pull request ${WIDE_BASE.slice(0, 7)}...${HEAD_SHORT}: ${wideStat}`);
const wide = await stewardRuns('(d)', `checker, base ${WIDE_BASE.slice(0, 7)}`, WIDE_BASE);
steps.push(...wide);

const full = steps.find((s) => s.name.startsWith('(a)'));
const ratiosOf = (runs: Step[]): Record<string, number | null> => ({
  fullOverChangedLines: full === undefined ? null : full.wallMs / runs[0]!.wallMs,
  firstOverRerun: runs[0]!.wallMs / runs[1]!.wallMs,
  floorShareOfRerun: runs[2]!.wallMs / runs[1]!.wallMs,
});
const ratios = {
  checker: ratiosOf(withChecker),
  noChecker: ratiosOf(withoutChecker),
  widerPullRequest: ratiosOf(wide),
};
console.log('');
console.log(table(steps));
console.log('');
for (const [label, r] of [
  ['TypeScript checker', ratios.checker],
  ['no checker', ratios.noChecker],
  [`wider pull request (${WIDE_BASE.slice(0, 7)}, checker)`, ratios.widerPullRequest],
] as const) {
  if (r.fullOverChangedLines !== null)
    console.log(
      `${label}: full run / changed-lines run ${r.fullOverChangedLines!.toFixed(1)}× (target ≥ 10×)`,
    );
  console.log(
    `${label}: first run / rerun after a one-line push ${r.firstOverRerun!.toFixed(2)}× (target ≥ 3×); a rerun with nothing to test takes ${(100 * r.floorShareOfRerun!).toFixed(0)}% of that rerun`,
  );
}
if (full?.detail['dryRun'] !== undefined)
  console.log(`full run's dry run: ${String(full.detail['dryRun'])}`);
const out = join(BENCH_DIR, 'mutation-speed.json');
writeFileSync(
  out,
  `${JSON.stringify({ repo: 'unjs/ufo', head: HEAD, base: BASE, stryker: STRYKER_VERSION, concurrency: CONCURRENCY, config, diffStat, wideBase: WIDE_BASE, wideStat, steps, ratios }, null, 2)}\n`,
);
console.log(`figures: ${out}`);
