import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ChaosReport } from '../chaos/report.ts';
import { formatChaosDuration, type ChaosRow } from '../chaos/summary.ts';
import { loadRepoConfig, parseFormat } from './analysis-args.ts';
import { colors, type Colors } from './color.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';

const FORMATS = ['text', 'markdown', 'json'] as const;
const FAIL_ON = ['fail', 'never'] as const;

/** The largest result file read (kubectl's output for thousands of objects stays far below). */
export const MAX_CHAOS_FILE_BYTES = 32 * 1024 * 1024;

const USAGE = `Usage: steward chaos report FILE… [--format text|markdown|json] [--fail-on-verdict fail|never]
                            [--repo DIR] [--prometheus URL]

Summarise chaos experiment results as kubectl writes them (kubectl get chaosresult,chaosengine
-o yaml, or a Chaos Mesh experiment -o json: one object, a List, or several YAML documents):
LitmusChaos ChaosResult and ChaosEngine, Chaos Mesh PodChaos, NetworkChaos and the others.
One row per experiment: target, verdict, probe success, failed probes, duration, trend.

Arguments:
  FILE            A result file (at least one)

Options:
  --format F              text (default): a table; markdown: the summary the action posts;
                          json: {verdict, failed, passed, unknown, rows}
  --fail-on-verdict V     fail (default): exit 1 when an experiment failed; never: exit 0
  --repo DIR              The repository whose config (chaos.prometheus, chaos.slo) judges
                          Chaos Mesh experiments (default: the current directory)
  --prometheus URL        Prometheus's base URL, instead of chaos.prometheus
  -h, --help              Show this help

Chaos Mesh gives no verdict of its own: with Prometheus and the chaos.slo queries of the config,
each experiment's window is judged through Prometheus's range queries.

Exit status: 0 no experiment failed (or --fail-on-verdict never), 1 an experiment failed (or the
config is invalid), 2 bad usage or a file that cannot be read.
`;

/** `steward chaos report FILE…` */
export const chaosReportCommand: CommandCode = {
  usage: USAGE,
  run: report,
};

async function report(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    options: {
      format: { type: 'string' },
      'fail-on-verdict': { type: 'string' },
      repo: { type: 'string' },
      prometheus: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('name at least one FILE of chaos results');
  const format = parseFormat(values.format, FORMATS, 'text');
  const failOn = values['fail-on-verdict'] ?? 'fail';
  if (!(FAIL_ON as readonly string[]).includes(failOn))
    throw new UsageError(`--fail-on-verdict must be one of fail, never, got "${failOn}"`);
  const prometheus = values.prometheus === undefined ? undefined : prometheusUrl(values.prometheus);

  const files: { source: string; text: string }[] = [];
  for (const file of positionals) {
    const path = resolve(io.cwd, file);
    const name = shown(path, io.cwd);
    const problem = await unreadable(path);
    if (problem !== null) {
      io.stderr(`steward chaos report: cannot read ${terminalSafe(name)}: ${problem}\n`);
      return 2;
    }
    try {
      files.push({ source: name, text: await readFile(path, 'utf8') });
    } catch (error: unknown) {
      io.stderr(`steward chaos report: cannot read ${terminalSafe(name)}: ${describe(error)}\n`);
      return 2;
    }
  }

  const config = await loadRepoConfig(resolve(io.cwd, values.repo ?? '.'), io);
  if (config === null) return 1;
  // Loaded only here: the judge reaches Prometheus, which a plain report never needs.
  const { judgedChaosReport } = await import('../prometheus/judge.ts');
  const result = await judgedChaosReport(files, config.chaos, {
    ...(prometheus === undefined ? {} : { prometheusUrl: prometheus }),
  });
  if (format === 'markdown') io.stdout(result.markdown);
  else if (format === 'json')
    io.stdout(
      `${JSON.stringify(
        {
          verdict: result.verdict,
          failed: result.failed,
          passed: result.passed,
          unknown: result.unknown,
          rows: result.rows,
        },
        null,
        2,
      )}\n`,
    );
  else io.stdout(textReport(result, colors(io.color)));
  return result.verdict === 'fail' && failOn === 'fail' ? 1 : 0;
}

/** `--prometheus URL`: an http or https base URL; anything else is bad usage. */
function prometheusUrl(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url === null || !['http:', 'https:'].includes(url.protocol) || url.username !== '')
    throw new UsageError(
      `--prometheus must be Prometheus's base URL such as http://localhost:9090, got "${terminalSafe(text).slice(0, 80)}"`,
    );
  return text.replace(/\/+$/, '');
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !isAbsolute(rel) && !rel.startsWith('..') ? rel : path;
}

async function unreadable(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'it is a directory';
    if (!info.isFile()) return 'it is not a regular file';
    if (info.size > MAX_CHAOS_FILE_BYTES)
      return `it is larger than ${MAX_CHAOS_FILE_BYTES / 1024 / 1024} MiB`;
    return null;
  } catch (error: unknown) {
    return describe(error);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    if (error.code === 'ENOENT') return 'no such file';
    if (error.code === 'EACCES') return 'permission denied';
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Text from the result objects, safe to print on a terminal: no control characters (an escape
 * sequence in an experiment's name would drive the terminal), no bidirectional overrides, one line.
 */
export function terminalSafe(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function clip(text: string, max: number): string {
  const safe = terminalSafe(text);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

const VERDICT_TEXT = { fail: 'FAIL', pass: 'pass', unknown: '?' } as const;

function rowCells(row: ChaosRow): string[] {
  const history = row.history;
  const runs = history === null ? 0 : history.passed + history.failed;
  return [
    clip(row.experiment, 40),
    row.target === null ? '—' : clip(row.target, 40),
    VERDICT_TEXT[row.verdict],
    row.probeSuccessPercentage === null ? '—' : `${row.probeSuccessPercentage}%`,
    row.failedProbes.length === 0 ? '—' : clip(row.failedProbes.map((p) => p.name).join(', '), 40),
    row.durationMs === null ? '—' : formatChaosDuration(row.durationMs),
    history === null ? '—' : `${history.passed}/${runs} passed`,
  ];
}

const HEADERS = ['Experiment', 'Target', 'Verdict', 'Probes', 'Failed probes', 'Duration', 'Trend'];

/** The report as a terminal table, failures first, with why each failed under the table. */
export function textReport(result: ChaosReport, c: Colors): string {
  const count = `${result.rows.length} experiment${result.rows.length === 1 ? '' : 's'}`;
  const headline =
    result.verdict === 'fail'
      ? c.red(`✗ Chaos: ${result.failed} of ${count} failed`)
      : result.verdict === 'pass'
        ? c.green(`✓ Chaos: all ${count} passed`)
        : c.yellow(
            `? Chaos: no verdict (${count}: ${result.passed} passed, ${result.unknown} without a verdict)`,
          );
  const lines = [headline, ''];
  if (result.rows.length === 0) lines.push('No chaos experiment was found in the files given.');
  else {
    const cells = result.rows.map(rowCells);
    const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
    const format = (row: readonly string[], paint?: (text: string, i: number) => string) =>
      row
        .map((text, i) => {
          const padded = text.padEnd(widths[i]!);
          return paint ? paint(padded, i) : padded;
        })
        .join('  ')
        .trimEnd();
    lines.push(c.bold(format(HEADERS)));
    result.rows.forEach((row, index) =>
      lines.push(
        format(cells[index]!, (text, i) =>
          i !== 2
            ? text
            : row.verdict === 'fail'
              ? c.red(text)
              : row.verdict === 'pass'
                ? c.green(text)
                : c.yellow(text),
        ),
      ),
    );
    const failures = result.rows.filter((r) => r.failure !== null);
    if (failures.length > 0) {
      lines.push('');
      for (const row of failures)
        lines.push(`${clip(row.experiment, 60)}: ${c.dim(clip(row.failure!, 300))}`);
    }
  }
  const { errors, skipped } = result.read;
  if (errors.length > 0) {
    lines.push('');
    for (const error of errors.slice(0, 20)) lines.push(c.yellow(`! ${clip(error.message, 300)}`));
    if (errors.length > 20) lines.push(`! and ${errors.length - 20} more errors`);
  }
  if (skipped.length > 0)
    lines.push(
      '',
      c.dim(
        `${skipped.length} object${skipped.length === 1 ? '' : 's'} skipped (not a chaos result; --format markdown lists them)`,
      ),
    );
  return `${lines.join('\n')}\n`;
}
