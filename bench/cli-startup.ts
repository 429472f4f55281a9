/**
 * How long `steward` takes to answer, from process start to exit: `--version`, `--help`, and a
 * `review` with nothing to review (a branch with no change since its base), the three start-up
 * figures of issue 12 (a CLI of this kind starts in well under 300 ms).
 *
 * Measured on the CLI as users install it (dist/cli/main.mjs, built here into a temp dir by
 * build.ts) on the Node the script runs on (24 through npm) and on the machine's older Node when
 * there is one, and on the TypeScript sources (`npm run steward`, Node 24 stripping types) for
 * comparison. Each figure is the median of RUNS runs after WARMUP unmeasured ones, so the OS file
 * cache and Node's compile cache (Node 22 and later) are warm, as they are for someone using the
 * tool; min and max are shown too, since this machine is shared.
 * Rerun: `npm run bench:cli-startup [-- --runs N] [--compare DIR]` (prints a markdown table; no
 * network); --compare adds the sources of another checkout in DIR, with its node_modules, such as
 * the commit before a change: `git archive <sha> | tar -x -C DIR` and a link to node_modules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { builtCli } from './cli-bundle.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, compare: { type: 'string' } },
});
const RUNS = Number(values.runs);
const WARMUP = 2;

const work = mkdtempSync(join(tmpdir(), 'steward-bench-startup-'));
try {
  const built = await builtCli();
  const repo = noChangeRepository(join(work, 'repo'));

  const runners: { label: string; node: string; entry: string }[] = [
    { label: `bundle, Node ${process.versions.node}`, node: process.execPath, entry: built },
  ];
  const older = machineNode();
  if (older)
    runners.push({ label: `bundle, Node ${older.version}`, node: older.path, entry: built });
  runners.push({
    label: `sources, Node ${process.versions.node}`,
    node: process.execPath,
    entry: resolve('src/cli/main.ts'),
  });

  // Another checkout's sources (say, of the commit before a change) on the same Node.
  if (values.compare !== undefined) {
    runners.push({
      label: `sources at ${values.compare}`,
      node: process.execPath,
      entry: resolve(values.compare, 'src/cli/main.ts'),
    });
  }

  const commands: { label: string; args: string[] }[] = [
    { label: '`steward --version`', args: ['--version'] },
    { label: '`steward --help`', args: ['--help'] },
    { label: '`steward review` (no change)', args: ['review', '--base', 'main'] },
  ];

  console.log(`${RUNS} runs each after ${WARMUP} warm-up runs; median (min–max), in ms\n`);
  console.log(`| command | ${runners.map((r) => r.label).join(' | ')} |`);
  console.log(`| --- | ${runners.map(() => '---:').join(' | ')} |`);
  for (const command of commands) {
    const cells = runners.map(({ node, entry }) => {
      const times = measure(node, [entry, ...command.args], repo);
      return `**${median(times).toFixed(0)}** (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)})`;
    });
    console.log(`| ${command.label} | ${cells.join(' | ')} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function measure(node: string, args: string[], cwd: string): number[] {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['ANTHROPIC_API_KEY'];
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const started = performance.now();
    const run = spawnSync(node, args, { cwd, env, encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (run.status !== 0) {
      throw new Error(`${node} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    }
    if (i >= WARMUP) times.push(elapsed);
  }
  return times;
}

/** Twenty files on main and a branch `feature` with no change of its own: nothing to review. */
function noChangeRepository(dir: string): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'bench@example.com',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'bench@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  for (let i = 0; i < 20; i++)
    writeFileSync(join(dir, 'src', `m${i}.ts`), `export const v${i} = (n: number) => n + ${i};\n`);
  git('add', '-A');
  git('commit', '-qm', 'start');
  git('checkout', '-q', '-b', 'feature');
  return dir;
}

/** The first `node` on PATH outside node_modules, when it is not this Node. */
function machineNode(): { path: string; version: string } | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const path = join(dir, 'node');
    if (dir.includes('node_modules') || !existsSync(path)) continue;
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().slice(1);
    return version === process.versions.node ? undefined : { path, version };
  }
  return undefined;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
