import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import { parseGitDiff } from '../diff/git-diff.ts';
import { DiffParseError } from '../diff/review-file.ts';
import type { ReviewFile } from '../diff/review-file.ts';
import { openGitRevisionReader } from '../git/revision-reader.ts';
import {
  mergeShards,
  parseShardRecord,
  shardRecordOf,
  SHARD_RECORD_FILE,
  type ShardInput,
} from '../mutation/merge-shards.ts';
import { formatScore } from '../mutation/markdown.ts';
import { mergeReports, MutationReportError } from '../mutation/report.ts';
import { runMutation, type MutationRun } from '../mutation/run-mutation.ts';
import type { MutationRunner } from '../mutation/runner.ts';
import type { MutationConfig } from '../mutation/settings.ts';
import type { RevisionReader } from '../revision/reader.ts';
import { defaultBase, NoReviewBaseError } from '../review/local-review.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';
import {
  analysisContext,
  exitOnGitError,
  parseFormat,
  REVISION_RANGE_OPTIONS,
} from './analysis-args.ts';
import {
  changedSinceHead,
  incrementalFileName,
  INCREMENTAL_DIR,
  prepareOut,
  readMergeArguments,
  readReportFile,
  shown,
  writeOut,
} from './mutate-files.ts';

const FORMATS = ['text', 'json', 'markdown'] as const;

const USAGE = `Usage: steward mutate [--repo DIR] [--base REF] [--head REF] [--format text|json|markdown]
                      [--shard I/N] [--threads N] [--timeout MINUTES] [--out DIR]
                      [--base-report FILE] [--allow-dirty]
       steward mutate --merge DIR|FILE... [--repo DIR] [--base REF] [--head REF] [--format F]
                      [--out DIR] [--base-report FILE]

Mutation-test the lines a change adds or changes: what HEAD adds since its merge base with the
base. Stryker (the repository's own @stryker-mutator/core and test runner plugin, with its
config) mutates only those lines of source files, and every mutant your tests do not catch is
listed with the code it put there. Results are kept per branch in
.git/steward/${INCREMENTAL_DIR}/<branch>.json, so a rerun tests only what changed. The mutation
section of .github/steward.yml applies (fail-under, fail-on-survivors, ignore, mutate).

Stryker mutates the files on disk while the lines come from the commits, so the work tree must
not differ from HEAD in tracked files (commit or git stash first, or pass --allow-dirty).

Options:
  --base REF          The revision to compare with (default: the current branch's upstream unless
                      it is the branch's own remote copy, else the default branch: origin/HEAD,
                      main or master)
  --head REF          The changed revision; Stryker mutates the checkout, so it must be the
                      checked-out commit (default: HEAD)
  --repo DIR          The repository (default: the current directory)
  --format F          text (default), json or markdown (the summary comment)
  --shard I/N         Mutate only shard I of N of the changed lines (for parallel jobs); with
                      --out, the shard's record is written too, for --merge
  --threads N         Stryker's concurrency: test runner processes at once (default: cores - 1)
  --timeout MINUTES   Stop Stryker after this long and report what it tested as partial
  --out DIR           Write mutation.json (the whole Stryker report) and Stryker's mutation.html there
  --base-report FILE  A mutation.json of the base branch: its score of the same files is shown
                      beside the changed-lines score
  --allow-dirty       Run although tracked files differ from HEAD (the lines may be off)
  --merge DIR|FILE    Merge shard reports (the folders --shard I/N --out wrote, a folder of them,
                      or mutation.json files) into one result without running Stryker; the
                      scope is taken again from the diff of --base...--head
  -h, --help          Show this help

Exit status: 0 done (survivors do not fail it unless fail-under or fail-on-survivors says so),
1 the gate failed, Stryker could not run, the work tree is dirty or the repository could not be
read, 2 bad usage or a report that is not a valid mutation report.
`;

export interface MutateCommandDependencies {
  /** The Stryker runner; loaded from src/stryker when absent. */
  runner?: () => Promise<MutationRunner>;
}

/** `steward mutate`, with the runner injectable. */
export function createMutateCommand(deps: MutateCommandDependencies = {}): CommandCode {
  const runner =
    deps.runner ?? (async () => (await import('../stryker/runner.ts')).createStrykerRunner());
  return { usage: USAGE, run: (argv, io) => mutate(argv, io, runner) };
}

export const mutateCommand = createMutateCommand();

export function parseShard(
  value: string | undefined,
): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N, such as 1/4, got "${value}"`);
  return { index, count };
}

/** A week: longer is a typo, not a plan. */
const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

/** `--timeout MINUTES` in milliseconds; fractions allowed (0.5 is 30 s). */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const minutes = /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(minutes > 0) || minutes > MAX_TIMEOUT_MINUTES)
    throw new UsageError(
      `--timeout must be a number of minutes above 0 and at most ${MAX_TIMEOUT_MINUTES}, such as 30, got "${value}"`,
    );
  return Math.round(minutes * 60_000);
}

const OPTIONS = {
  ...REVISION_RANGE_OPTIONS,
  shard: { type: 'string' },
  timeout: { type: 'string' },
  out: { type: 'string' },
  'base-report': { type: 'string' },
  'allow-dirty': { type: 'boolean' },
  merge: { type: 'string', multiple: true },
} as const;

async function mutate(
  argv: readonly string[],
  io: CommandIO,
  loadRunner: () => Promise<MutationRunner>,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    options: OPTIONS,
    allowPositionals: true,
  });
  const merge = values.merge === undefined ? undefined : [...values.merge, ...positionals];
  if (merge === undefined && positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}" (only --merge takes several)`);
  if (merge !== undefined) {
    const runOnly = (['shard', 'threads', 'timeout', 'allow-dirty'] as const).find(
      (name) => values[name] !== undefined,
    );
    if (runOnly !== undefined)
      throw new UsageError(`--merge runs no Stryker, so --${runOnly} means nothing with it`);
  }
  const format = parseFormat(values.format, FORMATS, 'text');
  const shard = parseShard(values.shard);
  const timeoutMs = parseTimeout(values.timeout);
  const context = await analysisContext(values, io);
  if (!context) return 1;
  const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);

  let base: MutationTestResult | null = null;
  try {
    if (values['base-report'] !== undefined)
      base = await readReportFile(resolve(io.cwd, values['base-report']), values['base-report']);
  } catch (error: unknown) {
    if (!(error instanceof MutationReportError)) throw error;
    io.stderr(`steward mutate: --base-report ${error.message}\n`);
    return 2;
  }

  return exitOnGitError('mutate', io, async () => {
    const reader = await openGitRevisionReader(context.repoDir);
    const baseRef = values.base ?? (await defaultMutateBase(reader, io));
    if (baseRef === null) return 1;
    const [baseSha, headSha, checkedOut] = await Promise.all([
      reader.resolveCommit(baseRef, '--base'),
      reader.resolveCommit(values.head ?? 'HEAD', '--head'),
      reader.resolveCommit('HEAD', 'HEAD'),
    ]);
    if (merge === undefined && headSha !== checkedOut) {
      io.stderr(
        `steward mutate: --head ${values.head} is not the checked-out commit; Stryker mutates the files on disk.\n  Check it out first (git switch --detach ${values.head}) and run again.\n`,
      );
      return 1;
    }
    if (merge === undefined && !(await cleanEnough(reader, io, values['allow-dirty'] === true)))
      return 1;
    const files = await readDiff(reader, baseSha, headSha, io);
    if (files === null) return 1;
    const outFiles = out === undefined ? undefined : await prepareOut(out, SHARD_RECORD_FILE);

    const mutate = await (
      await import('../stryker/setup.ts')
    ).mutatePatterns(context.config.mutation.mutate, reader.repository.root);
    let run: MutationRun;
    if (merge !== undefined) {
      const merged = await mergedRun(
        merge,
        io,
        { files, headSha, mutate, base },
        context.config.mutation,
      );
      if (typeof merged === 'number') return merged;
      run = merged;
    } else {
      const stewardDir = join(await reader.stewardDir(), INCREMENTAL_DIR);
      await mkdir(stewardDir, { recursive: true });
      const headRef = await reader.symbolicRef('HEAD');
      const progress = io.progress;
      run = await runMutation({
        files,
        mutate,
        config: context.config.mutation,
        runner: await loadRunner(),
        shard,
        base,
        request: {
          root: reader.repository.root,
          incrementalFile: join(stewardDir, incrementalFileName(headRef, shard)),
          ...(outFiles === undefined ? {} : { htmlReportFile: outFiles.html }),
          ...(context.runOptions.threads === undefined
            ? {}
            : { concurrency: context.runOptions.threads }),
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          ...(progress
            ? {
                onProgress: ({ tested, total }) =>
                  progress(
                    `mutating: ${tested}${total === undefined ? '' : `/${total}`} mutants tested`,
                  ),
              }
            : {}),
        },
      });
    }
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(mutationJson(run), null, 2)}\n`
        : format === 'markdown'
          ? `${run.summary}\n`
          : mutationText(run),
    );
    if (outFiles !== undefined) {
      // A shard's record goes beside its report, so `--merge` can put the shards together.
      const record =
        shard === undefined
          ? {}
          : {
              [join(out!, SHARD_RECORD_FILE)]:
                `${JSON.stringify(shardRecordOf(run, shard, headSha, mutate))}\n`,
            };
      const written = await writeOut(outFiles, run.kind === 'report' ? run.report : null, record);
      for (const path of written) io.stderr(`wrote ${shown(io.cwd, path)}\n`);
      if (run.kind !== 'report' && written.length === 0)
        io.stderr(
          `steward mutate: no mutation report to write to ${shown(io.cwd, out!)} (${run.kind})\n`,
        );
    }
    if (run.notice !== null) io.stderr(`steward mutate: ${run.notice}\n`);
    if (run.kind === 'crashed' && run.log !== '') io.stderr(`${run.log.slice(-4000)}\n`);
    if (!run.gate.fail) return 0;
    for (const reason of run.gate.reasons) io.stderr(`steward mutate: ${reason}\n`);
    return 1;
  });
}

/** The default base as review finds it, told in mutate's words when there is none (null: exit 1). */
async function defaultMutateBase(reader: RevisionReader, io: CommandIO): Promise<string | null> {
  try {
    return (await defaultBase(reader)).ref;
  } catch (error: unknown) {
    if (!(error instanceof NoReviewBaseError)) throw error;
    io.stderr(
      `steward mutate: ${reader.repository.root}: no base to compare with: the current branch has no upstream, and neither origin/HEAD, main nor master exists.\n  Pass the revision to compare with: steward mutate --base <branch|tag|sha>\n`,
    );
    return null;
  }
}

/** False (and why, on stderr) when tracked files differ from HEAD and --allow-dirty is not given. */
async function cleanEnough(
  reader: RevisionReader,
  io: CommandIO,
  allowDirty: boolean,
): Promise<boolean> {
  const changed = await changedSinceHead(reader);
  if (changed.length === 0) return true;
  const listed = `${changed.slice(0, 5).join(', ')}${changed.length > 5 ? `, and ${changed.length - 5} more` : ''}`;
  if (allowDirty) {
    io.stderr(
      `steward mutate: tracked files differ from HEAD (${listed}); the lines mutated come from the commits, so they may be off\n`,
    );
    return true;
  }
  io.stderr(
    `steward mutate: tracked files differ from HEAD (${listed}): Stryker would mutate the files on disk at lines taken from the commits.\n  Commit the changes, or set them aside with git stash (git stash pop after), and run again; --allow-dirty runs anyway.\n`,
  );
  return false;
}

async function readDiff(
  reader: RevisionReader,
  baseSha: string,
  headSha: string,
  io: CommandIO,
): Promise<ReviewFile[] | null> {
  try {
    return parseGitDiff(await reader.diff(`${baseSha}...${headSha}`));
  } catch (error: unknown) {
    if (!(error instanceof DiffParseError)) throw error;
    io.stderr(`steward mutate: could not read the diff: ${error.message}\n`);
    return null;
  }
}

/**
 * `--merge`: the shards' reports as one run of the whole change, Stryker not started. Shards with
 * their records (what `--shard I/N --out DIR` writes) are checked to be one complete run of this
 * head; bare reports are merged as they are. A report or record that is not valid: exit 2.
 */
async function mergedRun(
  paths: readonly string[],
  io: CommandIO,
  change: {
    files: readonly ReviewFile[];
    headSha: string;
    mutate: readonly string[] | null;
    base: MutationTestResult | null;
  },
  config: MutationConfig,
): Promise<MutationRun | number> {
  const { files, headSha, base } = change;
  try {
    const found = await readMergeArguments(paths, io.cwd, SHARD_RECORD_FILE);
    const withRecords = found.filter((f) => f.record !== null);
    if (withRecords.length > 0 && withRecords.length < found.length) {
      const bare = found.find((f) => f.record === null)!;
      throw new MutationReportError(
        shown(io.cwd, bare.where),
        '',
        `has a report but no ${SHARD_RECORD_FILE} while other shards have theirs: pass shards written the same way`,
      );
    }
    if (withRecords.length > 0) {
      const shards: ShardInput[] = found.map((f) => {
        const where = shown(io.cwd, f.where);
        return {
          record: parseShardRecord(f.record!, `${where}/${SHARD_RECORD_FILE}`),
          report: f.report,
          where,
        };
      });
      const pinned = shards.find((s) => s.record.headSha !== headSha);
      if (pinned !== undefined)
        throw new MutationReportError(
          `${pinned.where}/${SHARD_RECORD_FILE}`,
          'headSha',
          `is ${pinned.record.headSha.slice(0, 12)}, but --head is ${headSha.slice(0, 12)}: merge the shards of the commit checked out, or pass --head`,
        );
      return await mergeShards({ shards, files, config, base });
    }
    const report = mergeReports(
      found.map((f) => f.report!),
      'report',
    );
    return await runMutation({
      files,
      mutate: change.mutate,
      config,
      base,
      runner: {
        run: () =>
          Promise.resolve({
            kind: 'report',
            report,
            partial: false,
            strykerMs: 0,
            mutantsTested: 0,
            mutantsNotRun: 0,
          }),
      },
      request: { root: '.' },
    });
  } catch (error: unknown) {
    if (!(error instanceof MutationReportError)) throw error;
    io.stderr(`steward mutate: --merge ${error.message}\n`);
    return 2;
  }
}

/** What `--format json` prints: the run without the whole Stryker report. */
export function mutationJson(run: MutationRun): Record<string, unknown> {
  const common = { kind: run.kind, ranges: run.ranges, skipped: run.skipped, gate: run.gate };
  switch (run.kind) {
    case 'nothing-to-mutate':
      return { ...common, message: run.message };
    case 'report': {
      const { analysis, selection } = run.result;
      return {
        ...common,
        partial: run.partial,
        reason: run.reason,
        counts: analysis.counts,
        baseScore: analysis.baseScore,
        strykerMs: run.strykerMs,
        mutantsTested: run.mutantsTested,
        mutantsNotRun: run.mutantsNotRun,
        survivors: selection.survivors.map((s) => ({
          path: s.path,
          line: s.line,
          endLine: s.endLine,
          column: s.column,
          mutator: s.mutatorName,
          status: s.status,
          original: s.original,
          replacement: s.replacement,
          coveredBy: s.coveredBy,
          fingerprint: s.fingerprint,
        })),
        ignored: selection.ignored,
      };
    }
    case 'dry-run-failed':
      return { ...common, message: run.message, failingTests: run.failingTests };
    case 'setup-failed':
      return { ...common, message: run.message, hint: run.hint };
    case 'crashed':
      return { ...common, message: run.message };
  }
}

/** The terminal report: the score and each survivor on its line. */
export function mutationText(run: MutationRun): string {
  const lines: string[] = [];
  switch (run.kind) {
    case 'nothing-to-mutate':
      lines.push(run.message);
      break;
    case 'report': {
      const c = run.result.analysis.counts;
      const score = formatScore(c.score);
      const base =
        run.result.analysis.baseScore === null
          ? ''
          : ` — base: ${formatScore(run.result.analysis.baseScore)}`;
      lines.push(
        `changed-lines mutation score: ${score}${base} (${c.killed} killed, ${c.timeout} timed out, ${c.survived} survived, ${c.noCoverage} without coverage, ${c.total} mutants)${run.partial ? ` — partial: ${run.reason ?? 'Stryker stopped early'}` : ''}`,
      );
      const survivors = run.result.selection.survivors;
      if (survivors.length > 0) lines.push('', 'survivors:');
      for (const s of survivors)
        lines.push(
          `  ${s.path}:${s.line}:${s.column}  ${s.mutatorName}${s.status === 'NoCoverage' ? ' (no coverage)' : ''}  ${oneLine(s.original)} → ${oneLine(s.replacement)}`,
        );
      break;
    }
    case 'dry-run-failed':
      lines.push(`mutation testing could not start: ${run.message}`);
      for (const test of run.failingTests) lines.push(`  failing: ${oneLine(test)}`);
      break;
    case 'setup-failed':
      lines.push(`mutation testing could not be set up: ${run.message}`, `  ${run.hint}`);
      break;
    case 'crashed':
      lines.push(`Stryker stopped without a result: ${run.message}`);
      break;
  }
  for (const s of run.skipped) lines.push(`not mutated: ${s.path} (${s.reason})`);
  return `${lines.join('\n')}\n`;
}

/** Code on one line, control characters shown as spaces (they could rewrite the terminal). */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat;
}
