import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseGitDiff } from '../diff/git-diff.ts';
import { DiffParseError } from '../diff/review-file.ts';
import { openGitRevisionReader } from '../git/revision-reader.ts';
import { runMutation, type MutationRun } from '../mutation/run-mutation.ts';
import type { MutationRunner } from '../mutation/runner.ts';
import { defaultBase } from '../review/local-review.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';
import {
  analysisContext,
  exitOnGitError,
  parseFormat,
  REVISION_RANGE_OPTIONS,
} from './analysis-args.ts';

const FORMATS = ['text', 'json', 'markdown'] as const;

/** Stryker's incremental file, in the repository's Steward directory (never in the work tree). */
export const INCREMENTAL_FILE = 'mutation-incremental.json';

const USAGE = `Usage: steward mutate [--repo DIR] [--base REF] [--head REF]
                      [--format text|json|markdown] [--shard I/N]

Mutation-test the lines a change adds or changes: what HEAD adds since its merge base with the
base. Stryker (the repository's own @stryker-mutator/core and test runner plugin, with its
config) mutates only those lines of source files, and every mutant your tests do not catch is
listed with the code it put there. Results are kept in .git/steward/${INCREMENTAL_FILE}, so a
rerun tests only what changed. The mutation section of .github/steward.yml applies
(fail-under, fail-on-survivors, ignore, mutate).

Options:
  --base REF     The revision to compare with (default: the current branch's upstream unless it
                 is the branch's own remote copy, else the default branch: origin/HEAD, main or
                 master)
  --head REF     The changed revision; Stryker mutates the checkout, so it must be the checked-out
                 commit (default: HEAD)
  --repo DIR     The repository (default: the current directory)
  --format F     text (default), json or markdown (the summary comment)
  --shard I/N    Mutate only shard I of N of the changed lines (for parallel CI jobs)
  -h, --help     Show this help

Exit status: 0 done (survivors do not fail it unless fail-under or fail-on-survivors says so),
1 the gate failed, Stryker could not run or the repository could not be read, 2 bad usage.
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

async function mutate(
  argv: readonly string[],
  io: CommandIO,
  loadRunner: () => Promise<MutationRunner>,
): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    options: { ...REVISION_RANGE_OPTIONS, shard: { type: 'string' } },
  });
  const format = parseFormat(values.format, FORMATS, 'text');
  const shard = parseShard(values.shard);
  const context = await analysisContext(values, io);
  if (!context) return 1;
  return exitOnGitError('mutate', io, async () => {
    const reader = await openGitRevisionReader(context.repoDir);
    const baseRef = values.base ?? (await defaultBase(reader)).ref;
    const [baseSha, headSha, checkedOut] = await Promise.all([
      reader.resolveCommit(baseRef, '--base'),
      reader.resolveCommit(values.head ?? 'HEAD', '--head'),
      reader.resolveCommit('HEAD', 'HEAD'),
    ]);
    if (headSha !== checkedOut) {
      io.stderr(
        `steward mutate: --head ${values.head} is not the checked-out commit; Stryker mutates the files on disk.\n  Check it out first (git switch --detach ${values.head}) and run again.\n`,
      );
      return 1;
    }
    let files;
    try {
      files = parseGitDiff(await reader.diff(`${baseSha}...${headSha}`));
    } catch (error: unknown) {
      if (!(error instanceof DiffParseError)) throw error;
      io.stderr(`steward mutate: could not read the diff: ${error.message}\n`);
      return 1;
    }
    const stewardDir = await reader.stewardDir();
    await mkdir(stewardDir, { recursive: true });
    const progress = io.progress;
    const run = await runMutation({
      files,
      mutate:
        context.config.mutation.mutate ??
        (await (await import('../stryker/setup.ts')).projectMutatePatterns(reader.repository.root)),
      config: context.config.mutation,
      runner: await loadRunner(),
      shard,
      request: {
        root: reader.repository.root,
        incrementalFile: join(stewardDir, INCREMENTAL_FILE),
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
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(mutationJson(run), null, 2)}\n`
        : format === 'markdown'
          ? `${run.summary}\n`
          : mutationText(run),
    );
    if (run.kind === 'crashed' && run.log !== '') io.stderr(`${run.log.slice(-4000)}\n`);
    if (!run.gate.fail) return 0;
    for (const reason of run.gate.reasons) io.stderr(`steward mutate: ${reason}\n`);
    return 1;
  });
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
      const score = c.score === null ? 'n/a' : `${c.score.toFixed(1)}%`;
      lines.push(
        `changed-lines mutation score: ${score} (${c.killed} killed, ${c.timeout} timed out, ${c.survived} survived, ${c.noCoverage} without coverage, ${c.total} mutants)${run.partial ? ` — partial: ${run.reason ?? 'Stryker stopped early'}` : ''}`,
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
