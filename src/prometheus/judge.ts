import type { ChaosMeshExperiment } from '../chaos/chaos-mesh.ts';
import type { ChaosRead } from '../chaos/read.ts';
import { readChaosFiles } from '../chaos/read.ts';
import type { ChaosReport } from '../chaos/report.ts';
import type { ChaosConfig } from '../chaos/settings.ts';
import type { ChaosJudgement, ExperimentWindow, SloResult } from '../chaos/slo.ts';
import { chaosJudgementKey, experimentWindow, judgeChaosMesh, unjudged } from '../chaos/slo.ts';
import { summariseChaos } from '../chaos/summary.ts';
import { PrometheusError, queryRange } from './query-range.ts';

/**
 * The glue between the pure SLO judge (src/chaos/slo.ts) and Prometheus: each Chaos Mesh
 * experiment's window, each SLO's range query over it, the judgement. The faces (the action, the
 * CLI, the app's `POST /chaos`) call `judgeChaos` and hand the judgements to `summariseChaos`, or
 * `judgedChaosReport` for both at once.
 */

export interface JudgeChaosOptions {
  /** The fetch to use; the global one otherwise. */
  fetch?: typeof fetch;
  /** How long one query may take (30 s unless given). */
  timeoutMs?: number;
  /** Extra request headers, such as Authorization for a Prometheus behind a proxy. */
  headers?: Readonly<Record<string, string>>;
  /** The time a running experiment is judged up to (now unless given), in milliseconds. */
  now?: number;
  /** Overrides `chaos.prometheus` (a face's input or environment variable); null turns judging off. */
  prometheusUrl?: string | null;
}

/** Experiments judged in one run at most; the rest are left without a verdict, saying why. */
export const MAX_JUDGED_EXPERIMENTS = 50;

export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/** Points per series an automatic step aims at (Prometheus refuses more than 11,000). */
const TARGET_POINTS = 500;

/** The step for a window: the configured one, else one giving about 500 points, at least 1 s. */
export function stepFor(window: ExperimentWindow, configured: number | null): number {
  if (configured !== null) return configured;
  return Math.max(1, Math.ceil((window.end - window.start) / 1000 / TARGET_POINTS));
}

async function runSlos(
  baseUrl: string,
  window: ExperimentWindow,
  config: ChaosConfig,
  options: JudgeChaosOptions,
): Promise<SloResult[]> {
  const results: SloResult[] = [];
  // One query at a time: a judge must not be the load that breaks the Prometheus it reads.
  for (const slo of config.slo) {
    try {
      const series = await queryRange(
        baseUrl,
        {
          query: slo.query,
          start: window.start,
          end: window.end,
          stepSeconds: stepFor(window, config.stepSeconds),
        },
        {
          timeoutMs: options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
          ...(options.fetch && { fetch: options.fetch }),
          ...(options.headers && { headers: options.headers }),
        },
      );
      results.push({ slo, outcome: { ok: true, series } });
    } catch (error) {
      const message =
        error instanceof PrometheusError
          ? error.message
          : `the query could not be run: ${error instanceof Error ? error.message : String(error)}`;
      results.push({ slo, outcome: { ok: false, error: message } });
    }
  }
  return results;
}

/**
 * The SLO judgement of every Chaos Mesh experiment read, by `chaosJudgementKey`. Empty (so the
 * summary reads as before) when no Prometheus URL or no SLO is configured. Never throws for
 * Prometheus's sake: a query that fails leaves its experiment without a verdict, saying why.
 */
export async function judgeChaos(
  read: Pick<ChaosRead, 'objects'>,
  config: ChaosConfig,
  options: JudgeChaosOptions = {},
): Promise<Map<string, ChaosJudgement>> {
  const judgements = new Map<string, ChaosJudgement>();
  const baseUrl =
    options.prometheusUrl === undefined ? config.prometheusUrl : options.prometheusUrl;
  if (baseUrl === null || config.slo.length === 0) return judgements;
  const now = options.now ?? Date.now();
  const experiments = read.objects.filter((o): o is ChaosMeshExperiment => o.tool === 'chaos-mesh');
  for (const [index, experiment] of experiments.entries()) {
    const key = chaosJudgementKey(experiment);
    if (judgements.has(key)) continue;
    if (index >= MAX_JUDGED_EXPERIMENTS) {
      judgements.set(
        key,
        unjudged(
          `only the first ${MAX_JUDGED_EXPERIMENTS} Chaos Mesh experiments are judged in one run`,
        ),
      );
      continue;
    }
    const window = experimentWindow(experiment, now);
    if ('reason' in window) {
      judgements.set(key, unjudged(window.reason));
      continue;
    }
    judgements.set(key, judgeChaosMesh(window, await runSlos(baseUrl, window, config, options)));
  }
  return judgements;
}

/** The name the contract gives the glue: the same function. */
export const judgeChaosWithPrometheus = judgeChaos;

/**
 * `chaosReport` with the Chaos Mesh experiments judged through Prometheus first: the files' texts
 * in, the objects read, the judgements and the summary out.
 */
export async function judgedChaosReport(
  files: readonly { source: string; text: string }[],
  config: ChaosConfig,
  options: JudgeChaosOptions = {},
): Promise<ChaosReport & { judgements: Map<string, ChaosJudgement> }> {
  const read = readChaosFiles(files);
  const judgements = await judgeChaos(read, config, options);
  return { ...summariseChaos(read, { judgements }), read, judgements };
}
