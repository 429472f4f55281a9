import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { OpenMetricsSeries } from '../support/prometheus.ts';

/**
 * What the real-Prometheus tests of `steward anomalies` share: six hours of a queue's depth every
 * minute, ending an hour ago (backfilled blocks lie before the head), with a level shift injected
 * into one service, and the CLI run as a child process.
 */

export const root = fileURLToPath(new URL('../..', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const main = join(root, 'src/cli/main.ts');
const run = promisify(execFile);

export const MIN = 60_000;
export const START = Math.floor((Date.now() - 7 * 60 * MIN) / MIN) * MIN;
export const MINUTES = 360;
export const SHIFT_MINUTE = 280;
export const SHIFT_AT = START + SHIFT_MINUTE * MIN;

function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16_807) % 2_147_483_647;
    return state / 2_147_483_647 - 0.5;
  };
}

export function queueDepth(service: string, shift: boolean, seed: number): OpenMetricsSeries {
  const next = noise(seed);
  const samples = [];
  for (let m = 0; m < MINUTES; m++)
    samples.push({
      timeMs: START + m * MIN,
      value: Number(((shift && m >= SHIFT_MINUTE ? 40 : 20) + next() * 2).toFixed(3)),
    });
  return { name: 'queue_depth', labels: { service }, samples };
}

/** The two served series: checkout shifts, cart does not. */
export function queueDepths(): OpenMetricsSeries[] {
  return [queueDepth('checkout', true, 7), queueDepth('cart', false, 11)];
}

/**
 * The series as the detector should see it: after the history ends Prometheus answers its last
 * value for five more minutes (the lookback; backfilled data has no staleness marker), which the
 * default detector rightly reads as a flat-lined sensor. A one-minute lookback stops at the data.
 */
export const CHECKOUT = 'last_over_time(queue_depth{service="checkout"}[1m])';
export const CART = 'last_over_time(queue_depth{service="cart"}[1m])';

export interface StewardRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `steward anomalies ARGS` in a child process, from `cwd` (the checkout unless given). */
export async function steward(
  args: string[],
  env: Record<string, string> = {},
  cwd = root,
): Promise<StewardRun> {
  try {
    const { stdout, stderr } = await run(node, [main, 'anomalies', ...args], {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        NO_COLOR: '',
        PROMETHEUS_TOKEN: '',
        GITHUB_TOKEN: '',
        GH_TOKEN: '',
        GITHUB_REPOSITORY: '',
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
