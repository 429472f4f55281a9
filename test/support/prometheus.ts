import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port.ts';

/**
 * Debian's `prometheus` on loopback for the tests: a free port, a temporary directory, no scrape
 * target, and history loaded before it starts with `promtool tsdb create-blocks-from openmetrics`
 * (backfill). Backfilled blocks must lie before the head block's window, so tests put their data
 * a few hours in the past and query that range. scripts/setup-system.sh installs the package;
 * STEWARD_PROMETHEUS points at another prometheus binary (its promtool beside it, or
 * STEWARD_PROMTOOL).
 */

export const PROMETHEUS_BINARY = process.env['STEWARD_PROMETHEUS'] || 'prometheus';
export const PROMTOOL_BINARY =
  process.env['STEWARD_PROMTOOL'] ||
  (process.env['STEWARD_PROMETHEUS'] ? join(dirname(PROMETHEUS_BINARY), 'promtool') : 'promtool');

export interface PrometheusServer {
  /** The base URL, such as http://127.0.0.1:40123. */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export interface OpenMetricsSeries {
  /** The metric name; the family is written as a gauge. */
  name: string;
  labels: Record<string, string>;
  /** Milliseconds since the epoch (whole seconds are written) and the value. */
  samples: { timeMs: number; value: number }[];
}

/** Series as OpenMetrics text for promtool's backfill: one family per name, samples in time order. */
export function openMetricsText(series: readonly OpenMetricsSeries[]): string {
  const families = new Map<string, OpenMetricsSeries[]>();
  for (const s of series) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, members] of families) {
    lines.push(`# TYPE ${name} gauge`);
    for (const member of members) {
      const labels = Object.entries(member.labels)
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(',');
      for (const sample of [...member.samples].sort((a, b) => a.timeMs - b.timeMs))
        lines.push(`${name}{${labels}} ${sample.value} ${Math.floor(sample.timeMs / 1000)}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function requireBinary(binary: string): void {
  if (spawnSync(binary, ['--version']).error)
    throw new Error(
      `${binary} is not installed: run scripts/setup-system.sh (Debian's prometheus), or point STEWARD_PROMETHEUS at one`,
    );
}

/** Polls `/-/ready` until Prometheus answers 200 or the process exits; generous, no speed bound. */
async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `prometheus exited (${code ?? signal}) before it was ready:\n${log()}`;
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(exited);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus was not ready within two minutes:\n${log()}`);
}

/** Starts Prometheus with `series` backfilled; `stop()` it in afterAll. */
export async function startPrometheus(
  series: readonly OpenMetricsSeries[] = [],
): Promise<PrometheusServer> {
  requireBinary(PROMETHEUS_BINARY);
  const dir = await mkdtemp(join(tmpdir(), 'steward-prometheus-'));
  const data = join(dir, 'data');
  const config = join(dir, 'prometheus.yml');
  // No scrape_configs: the history is what the test loads, and nothing else.
  await writeFile(config, 'global:\n  scrape_interval: 1h\n  evaluation_interval: 1h\n');
  if (series.length > 0) {
    requireBinary(PROMTOOL_BINARY);
    const input = join(dir, 'history.om');
    await writeFile(input, openMetricsText(series));
    const backfill = spawnSync(
      PROMTOOL_BINARY,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data],
      { encoding: 'utf8' },
    );
    if (backfill.status !== 0)
      throw new Error(
        `promtool could not backfill the history (${backfill.status}):\n${backfill.stderr}${backfill.stdout}`,
      );
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--storage.tsdb.retention.time=10y`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.console.templates=${dir}`,
      `--web.console.libraries=${dir}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (chunk: string) => {
    log = (log + chunk).slice(-20_000);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, dir, stop };
}
