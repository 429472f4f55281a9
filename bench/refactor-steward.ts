/**
 * What refactoring costs Steward itself per target, outside the model and the test runs (issue
 * 17: under 3 s per target on a real repository). Rerun: `npm run bench:refactor -- REPO`.
 *
 * REPO is a git repository of a TypeScript project with tests: a directory, a bare mirror, or a
 * URL (`npm run bench:refactor -- https://github.com/unjs/ufo`); STEWARD_REFACTOR_REPO works too.
 * The figures in the README are for unjs/ufo (src/*.ts, vitest, ~370 commits). The bench clones it
 * (`git clone --quiet`, `--shared` for a local one, so no objects are copied) into a temp dir and,
 * when the clone has no node_modules, links Steward's, so the API comparison finds a TypeScript
 * (nothing is installed; the repository's tests are not run). Stages, each timed:
 *
 * - selection: `runHotspots` over the whole history (cold: a fresh clone has no cache; then a
 *   rerun, warm, as the weekly run on a kept cache would be), reading the top files and the test
 *   files, and `chooseTargets` with the default `refactor:` settings;
 * - per target (the targets chosen, at most TARGETS, default every one): the proposal the model
 *   would send stands in as the function's own text with one comment line added before its last
 *   line (so every stage does its full work on a changed text; the proofs' verdicts are not the
 *   point: a comment raises no health), then `applyProposal`, `compareHealth` and the proof port's
 *   `compareApi` (one compiler program for before and after), after the baseline type check a run
 *   makes first (it starts the TypeScript process; timed and printed apart, as a proof run).
 *
 * Prints each target's times and the sum per target (selection counted whole against each one,
 * the conservative reading), and whether it is under the issue's 3 s.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openGitRevisionReader } from '../src/git/revision-reader.ts';
import { DEFAULT_THRESHOLDS } from '../src/health/thresholds.ts';
import { runHotspots } from '../src/hotspots/run-hotspots.ts';
import { defaultHotspotsConfig } from '../src/hotspots/settings.ts';
import type { HotspotsReport } from '../src/hotspots/types.ts';
import { applyProposal } from '../src/refactor/apply.ts';
import { chooseTargets, filesToRead } from '../src/refactor/choose.ts';
import { compareHealth } from '../src/refactor/health-proof.ts';
import { defaultRefactorConfig } from '../src/refactor/settings.ts';
import type { RefactorProposal, RefactorTarget } from '../src/refactor/types.ts';
import { createRefactorProofPort } from '../src/testrun/refactor-proofs.ts';

const LIMIT_MS = 3_000;
const TARGETS = Number(process.env['TARGETS'] ?? Number.POSITIVE_INFINITY);
const STEWARD_NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');
const config = defaultRefactorConfig();
const TEST_FILE = /(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

const source = process.argv[2] ?? process.env['STEWARD_REFACTOR_REPO'];
if (source === undefined || source === '') {
  console.error(
    'Usage: npm run bench:refactor -- REPO (a directory, a bare mirror or a URL, e.g. https://github.com/unjs/ufo)',
  );
  process.exit(2);
}

const ms = (value: number) => `${Math.round(value)} ms`;

async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/** A work tree of `source` in a temp dir, with node_modules (its own, or Steward's linked). */
function cloneRepository(temp: string): string {
  const dir = join(temp, 'repo');
  const local = existsSync(source!);
  git(
    temp,
    'clone',
    '--quiet',
    ...(local ? ['--shared'] : []),
    local ? resolve(source!) : source!,
    dir,
  );
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(STEWARD_NODE_MODULES, join(dir, 'node_modules'), 'dir');
  return dir;
}

async function hotspots(dir: string): Promise<HotspotsReport> {
  const run = await runHotspots({
    reader: await openGitRevisionReader(dir),
    since: null,
    config: defaultHotspotsConfig(),
    repoLabel: basename(dir),
  });
  return run.report;
}

/** The text of the files chosen from `report`, and of the repository's test files. */
function readInputs(
  dir: string,
  report: HotspotsReport,
): { texts: Map<string, string>; testFiles: Map<string, string> } {
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  const top = filesToRead(report, config);
  const tests = git(dir, 'ls-files')
    .split('\n')
    .filter((path) => TEST_FILE.test(path) && /\.[cm]?[jt]sx?$/.test(path));
  return {
    texts: new Map(top.map((path) => [path, read(path)])),
    testFiles: new Map(tests.map((path) => [path, read(path)])),
  };
}

/** What the model would send for `target`: its own text with a comment line before its last. */
function standInProposal(fileText: string, target: RefactorTarget): RefactorProposal {
  const lines = fileText.split('\n').slice(target.line - 1, target.endLine);
  const indent = /^\s*/.exec(lines.at(-1) ?? '')?.[0] ?? '';
  lines.splice(
    lines.length - 1,
    0,
    `${indent}  // Steward's bench: a changed text, the same code.`,
  );
  return {
    path: target.path,
    function: target.function,
    code: lines.join('\n'),
    helpers: [],
    rationale: 'bench',
    techniques: [],
  };
}

interface Row {
  target: string;
  applyMs: number;
  healthMs: number;
  apiMs: number;
  verdicts: string;
}

const temp = mkdtempSync(join(tmpdir(), 'steward-bench-refactor-'));
try {
  const dir = cloneRepository(temp);
  console.log(`Repository: ${source} at ${git(dir, 'rev-parse', '--short', 'HEAD').trim()}`);

  const cold = await timed(() => hotspots(dir));
  const warm = await timed(() => hotspots(dir));
  const inputs = await timed(() => readInputs(dir, warm.value));
  const chosen = await timed(() =>
    chooseTargets({
      report: warm.value,
      ...inputs.value,
      config,
      openPullRequestPaths: new Set(),
      rejectedFingerprints: new Set(),
    }),
  );
  const selectionMs = warm.ms + inputs.ms + chosen.ms;
  console.log(
    `Selection: hotspots ${ms(cold.ms)} cold, ${ms(warm.ms)} warm; reading ${inputs.value.texts.size} top files and ${inputs.value.testFiles.size} test files ${ms(inputs.ms)}; chooseTargets ${ms(chosen.ms)} (${chosen.value.targets.length} targets, ${chosen.value.skipped.length} skipped)`,
  );

  for (const skip of chosen.value.skipped)
    console.log(
      `  passed over ${skip.path}${skip.function === null ? '' : `:${skip.function}`}: ${skip.reason}`,
    );

  const proofs = createRefactorProofPort({
    root: dir,
    testCommand: null,
    env: {},
    timeoutMs: 120_000,
    mutation: false,
  });
  const rows: Row[] = [];
  try {
    // A run type-checks the project once before any target (the baseline the types proof compares
    // with): that starts the TypeScript process, so the targets' API comparisons do not pay for it.
    const baseline = await timed(() => proofs.typecheck(new Map()));
    console.log(
      `Baseline type check (a proof run, before any target): ${ms(baseline.ms)}, ${baseline.value.kind === 'checked' ? `${baseline.value.diagnostics.length} diagnostics` : baseline.value.reason}`,
    );
    for (const target of chosen.value.targets.slice(0, TARGETS)) {
      const before = readFileSync(join(dir, target.path), 'utf8');
      const proposal = standInProposal(before, target);
      const applied = await timed(() => applyProposal(before, target, proposal));
      if (!applied.value.ok) {
        console.log(`${target.path}:${target.function}: apply refused: ${applied.value.reason}`);
        continue;
      }
      const after = applied.value.text;
      const health = await timed(() =>
        compareHealth(
          target.path,
          before,
          after,
          target,
          { ...DEFAULT_THRESHOLDS },
          config.minHealthGain,
        ),
      );
      const api = await timed(() => proofs.compareApi(target.path, before, after));
      rows.push({
        target: `${target.path}:${target.function}`,
        applyMs: applied.ms,
        healthMs: health.ms,
        apiMs: api.ms,
        verdicts: `health ${health.value.ok ? 'ok' : 'no'}, api ${api.value.kind}`,
      });
    }
  } finally {
    proofs.close();
  }

  console.log(
    '\n| Target | Apply | Health | API | Apply + health + API | With selection | Under 3 s |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | :---: |');
  for (const row of rows) {
    const own = row.applyMs + row.healthMs + row.apiMs;
    const total = selectionMs + own;
    console.log(
      `| ${row.target} (${row.verdicts}) | ${ms(row.applyMs)} | ${ms(row.healthMs)} | ${ms(row.apiMs)} | ${ms(own)} | ${ms(total)} | ${total < LIMIT_MS ? 'yes' : 'NO'} |`,
    );
  }
  if (rows.length === 0) console.log('No target reached the proofs: nothing to time.');
  console.log(
    `\nSelection counted per target: ${ms(selectionMs)} (warm hotspots + reading + chooseTargets); a cold first run adds ${ms(cold.ms - warm.ms)} once.`,
  );
} finally {
  rmSync(temp, { recursive: true, force: true });
}
