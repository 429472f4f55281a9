import { access } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { prefetchStream, type PrefetchedStream } from '../git/prefetched-stream.ts';
import { openGitRevisionReader } from '../git/revision-reader.ts';
import { historyCacheFileFor } from '../hotspots/cache-location.ts';
import { gitLogArgs } from '../hotspots/history/log-command.ts';
import type { RevisionReader } from '../revision/reader.ts';
import {
  calendarDurationBefore,
  parseCalendarDuration,
  type CalendarDuration,
} from '../settings/duration.ts';
import type { BacktestReport } from '../hotspots/backtest/run-backtest.ts';
import type { HotspotsRun } from '../hotspots/run-hotspots.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';

const FORMATS = ['table', 'json', 'markdown', 'html'] as const;

const USAGE = `Usage: steward hotspots [--repo DIR] [--since DATE | --all-time] [--top N]
                        [--format table|json|markdown|html] [--out FILE]
       steward hotspots --backtest DATE [--horizon DURATION] [--since DATE | --all-time]
                        [--format table|json|markdown] [--out FILE]

Rank the files where the next bug fixes are likeliest: recent changes and past bug fixes
(weighted by age) × size, with complexity and code health (1–10) from a parse of every
TypeScript and JavaScript file.

--backtest checks that ranking on your own history: it ranks the files as of DATE from the
history before DATE only, then counts the bug-fix commits (hotspots.bug-fix) of the following
--horizon per file, and reports how many of them the top 20 % of files received (recall), the
same for the top files holding 20 % of the code (effort-aware recall) and Spearman's rank
correlation, beside the baselines lines of code, revisions, churn × size and random.

Options:
  --repo DIR      The repository (default: the current directory)
  --since DATE    Start of the history window: a date (2026-01-31) or a duration ("6 months",
                  before the cut-off with --backtest); default: hotspots.since (36 months)
  --all-time      The whole history
  --top N         Files to list in table and markdown output (default: hotspots.top, 20)
  --format F      table (default), json, markdown, or html (one self-contained page)
  --out FILE      Write the report to FILE instead of stdout (html: default hotspots.html)
  --threads N     Worker threads for parsing (default: every core)
  --backtest DATE Rank as of DATE (2025-06-30, or a duration ago: "12 months") and score the
                  ranking against the bug fixes that followed
  --horizon D     With --backtest: how long after DATE fixes are counted (default "12 months")
  -h, --help      Show this help

Exit status: 0 done, 1 the repository could not be analysed, 2 bad usage.
`;

/** `steward hotspots` */
export const hotspotsCommand: CommandCode = {
  usage: USAGE,
  run: hotspots,
};

async function hotspots(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    options: {
      repo: { type: 'string' },
      since: { type: 'string' },
      'all-time': { type: 'boolean' },
      top: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      threads: { type: 'string' },
      backtest: { type: 'string' },
      horizon: { type: 'string' },
    },
  });
  if (values.since !== undefined && values['all-time']) {
    throw new UsageError('--since and --all-time exclude each other; pass one');
  }
  if (values.backtest !== undefined) return backtest(values, io);
  if (values.horizon !== undefined) {
    throw new UsageError('--horizon goes with --backtest DATE; pass both, or neither');
  }
  const now = new Date();
  // A window given on the command line lets a cold run's git log start now, while the config
  // schema, the parser pool and the report code load (the rest of this command's modules).
  // Awaited before the rest loads: module loading holds the event loop for long stretches,
  // and the few git calls before git log would each wait for one.
  const early = Promise.resolve(await startColdLog(io, values, now));
  try {
    return await rankHotspots(values, io, now, early);
  } finally {
    (await early)?.prefetched?.cancel();
  }
}

async function rankHotspots(
  values: {
    repo?: string;
    since?: string;
    'all-time'?: boolean;
    top?: string;
    format?: string;
    out?: string;
    threads?: string;
  },
  io: CommandIO,
  now: Date,
  early: Promise<EarlyStart | null>,
): Promise<number> {
  const { analysisContext, exitOnGitError, parseFormat, parsePositiveInt, writeReport } =
    await import('./analysis-args.ts');
  const format = parseFormat(values.format, FORMATS, 'table');
  const context = await analysisContext(values, io);
  if (!context) return 1;
  const { config } = context;
  const top =
    values.top === undefined ? config.hotspots.top : parsePositiveInt(values.top, '--top');
  const since = values['all-time']
    ? null
    : (parseSince(values.since, now) ?? calendarDurationBefore(now, config.hotspots.since));

  const started = Date.now();
  let run: HotspotsRun | undefined;
  const code = await exitOnGitError('hotspots', io, async () => {
    const { runHotspots } = await import('../hotspots/run-hotspots.ts');
    run = await runHotspots({
      reader: (await early)?.reader ?? (await openGitRevisionReader(context.repoDir)),
      since,
      config: config.hotspots,
      repoLabel: basename(context.repoDir),
      ...context.runOptions,
    });
    return 0;
  });
  if (!run) return code;
  const { renderHotspotsHtml, renderHotspotsMarkdown, renderHotspotsTable } =
    await import('../hotspots/report/index.ts');

  const output =
    format === 'json'
      ? `${JSON.stringify({ ...run.report, skipped: run.skipped }, null, 2)}\n`
      : format === 'markdown'
        ? renderHotspotsMarkdown(run.report, { top })
        : format === 'html'
          ? renderHotspotsHtml(run.report)
          : renderHotspotsTable(run.report, { top, color: io.color });
  await writeReport(io, output, values.out ?? (format === 'html' ? 'hotspots.html' : undefined));
  reportNotes(run, io, Date.now() - started);
  return 0;
}

interface EarlyStart {
  reader: RevisionReader;
  /** The whole window's git log, started ahead: on a cold run only (no history cache yet). */
  prefetched: PrefetchedStream | null;
}

/**
 * Opens the repository and, on a cold run whose window the arguments give (`--all-time`,
 * `--since`), starts the window's git log (the exact command history mining asks for, see
 * prefetchStream) before the config loads. Null when the window comes from the config, or when
 * anything fails: the run then opens the repository itself, after the config, and reports what
 * failed as before.
 */
async function startColdLog(
  io: CommandIO,
  values: { repo?: string; since?: string; 'all-time'?: boolean },
  now: Date,
): Promise<EarlyStart | null> {
  if (!values['all-time'] && values.since === undefined) return null;
  try {
    const since = values['all-time'] ? null : parseSince(values.since, now);
    const reader = await openGitRevisionReader(resolve(io.cwd, values.repo ?? '.'));
    const cold = await access(await historyCacheFileFor(reader)).then(
      () => false,
      () => true,
    );
    if (!cold) return { reader, prefetched: null };
    const prefetched = prefetchStream(reader, gitLogArgs(reader.repository.head, since));
    return { reader: prefetched.reader, prefetched };
  } catch (error: unknown) {
    // Reported where the run meets it again, after the config, with its usual message.
    void error;
    return null;
  }
}

function parseSince(text: string | undefined, now: Date, option = '--since'): Date | null {
  if (text === undefined) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const date = new Date(text);
    if (Number.isNaN(date.getTime()))
      throw new UsageError(`${option}: "${text}" is not a date (use 2026-01-31)`);
    return date;
  }
  const duration = parseCalendarDuration(text);
  if (!duration.ok)
    throw new UsageError(
      `${option}: "${text}" is neither a date (2026-01-31) nor a duration ("6 months")`,
    );
  return calendarDurationBefore(now, duration.duration);
}

/** Skipped files named on stderr before the rest are counted; JSON's `skipped` lists every one. */
const MAX_LISTED = 20;

const BACKTEST_FORMATS = ['table', 'json', 'markdown'] as const;

/** `steward hotspots --backtest DATE`: does the ranking predict on this repository? */
async function backtest(
  values: {
    backtest?: string;
    horizon?: string;
    since?: string;
    'all-time'?: boolean;
    format?: string;
    out?: string;
    repo?: string;
    threads?: string;
  },
  io: CommandIO,
): Promise<number> {
  if (values.format === 'html') {
    throw new UsageError('--backtest prints table, json or markdown, not html');
  }
  const { analysisContext, exitOnGitError, parseFormat, writeReport } =
    await import('./analysis-args.ts');
  const format = parseFormat(values.format, BACKTEST_FORMATS, 'table');
  const now = new Date();
  const cutoff = parseSince(values.backtest, now, '--backtest')!;
  if (cutoff.getTime() > now.getTime()) {
    throw new UsageError(`--backtest: ${values.backtest} is in the future; pick a past date`);
  }
  let horizon: CalendarDuration = { months: 12, hours: 0 };
  if (values.horizon !== undefined) {
    const parsed = parseCalendarDuration(values.horizon);
    if (!parsed.ok) {
      throw new UsageError(`--horizon: "${values.horizon}" is not a duration ("12 months")`);
    }
    horizon = parsed.duration;
  }
  const context = await analysisContext(values, io);
  if (!context) return 1;
  const { config } = context;
  let window: CalendarDuration | null = config.hotspots.since;
  if (values['all-time']) window = null;
  else if (values.since !== undefined) {
    const duration = parseCalendarDuration(values.since);
    if (duration.ok) window = duration.duration;
    else {
      const start = parseSince(values.since, cutoff)!;
      if (start.getTime() >= cutoff.getTime()) {
        throw new UsageError(
          `--since ${values.since} is not before the cut-off ${values.backtest}`,
        );
      }
      window = { months: 0, hours: (cutoff.getTime() - start.getTime()) / 3_600_000 };
    }
  }
  let report: BacktestReport | undefined;
  const code = await exitOnGitError('hotspots', io, async () => {
    const { runBacktest } = await import('../hotspots/backtest/run-backtest.ts');
    report = await runBacktest({
      reader: await openGitRevisionReader(context.repoDir),
      cutoff,
      horizon,
      window,
      config: config.hotspots,
      repoLabel: basename(context.repoDir),
      ...context.runOptions,
    });
    return 0;
  });
  if (!report) return code;
  const { renderBacktest } = await import('../hotspots/report/backtest.ts');
  const output =
    format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderBacktest(report, format);
  await writeReport(io, output, values.out);
  for (const warning of report.warnings) {
    io.stderr(`warning: ${warning.message}\n  ${warning.hint}\n`);
  }
  return 0;
}

/** What the user should know besides the report, on stderr so it never mixes into JSON. */
function reportNotes(run: HotspotsRun, io: CommandIO, elapsedMs: number): void {
  for (const warning of run.warnings) io.stderr(`warning: ${warning.message}\n  ${warning.hint}\n`);
  if (run.syntaxErrors.length > 0) {
    const files = new Set(run.syntaxErrors.map((e) => e.path)).size;
    io.stderr(`${files} file(s) have syntax errors and were analysed as far as they parse:\n`);
    for (const e of run.syntaxErrors.slice(0, 10))
      io.stderr(`  ${e.path}:${e.line}  ${e.message}\n`);
    if (run.syntaxErrors.length > 10) io.stderr(`  … and ${run.syntaxErrors.length - 10} more\n`);
  }
  if (run.skipped.length > 0) {
    io.stderr(`skipped ${run.skipped.length} file(s), not analysed:\n`);
    for (const s of run.skipped.slice(0, MAX_LISTED)) io.stderr(`  ${s.path}: ${s.reason}\n`);
    if (run.skipped.length > MAX_LISTED)
      io.stderr(`  … and ${run.skipped.length - MAX_LISTED} more (--format json lists them all)\n`);
  }
  const { commits, parsed, cached } = run.stats;
  io.stderr(
    `${run.report.files.length} files, ${commits} commits; parsed ${parsed}, ${cached} from cache; ${(elapsedMs / 1000).toFixed(1)} s\n`,
  );
}
