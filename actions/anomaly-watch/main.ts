import { incidentReport } from '../../src/incidents/postmortem-report.ts';
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { analyseSeries, type AnomalyAnalysis } from '../../src/anomaly/analyse.ts';
import { syncCapacityPullRequests } from '../../src/anomaly/capacity-sync.ts';
import { mermaidChart } from '../../src/anomaly/chart.ts';
import { recentMsFor } from '../../src/anomaly/incident.ts';
import { counterRates } from '../../src/anomaly/rate.ts';
import { seriesOptions } from '../../src/anomaly/series-options.ts';
import {
  syncAnomalyIncidents,
  type AnomalyIncidentSynced,
} from '../../src/anomaly/incident-sync.ts';
import type { WatchedSeries } from '../../src/anomaly/incident-sync.ts';
import type { AnomalyConfig, AnomalySeries } from '../../src/anomaly/settings.ts';
import type { CapacityLine, IncidentsLine, WatchedOutcome } from '../../src/anomaly/summary.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { readSeries } from '../../src/prometheus/series.ts';
import type { QueryRangeOptions } from '../../src/prometheus/query-range.ts';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit } from '../shared/runner-env.ts';
import type { StepLog, StepReport } from '../shared/step.ts';
import { authHeaders, parseWatchEnv, secretsOf, type WatchInputs } from './inputs.ts';
import { watchStepReport } from './outputs.ts';

/** How long Prometheus has to answer one range query (a chunk), body included. */
const QUERY_TIMEOUT_MS = 60_000;

export interface WatchActionDependencies {
  /** The time the watch reads up to; now when absent. */
  now?: () => Date;
  /** Registers a value the runner must mask in the log; core.setSecret when absent. */
  mask?: (secret: string) => void;
  /** The fetch Prometheus is read through; the global one when absent. */
  fetch?: typeof fetch;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The repository's default branch, whose config the watch reads and where capacity changes are
 * proposed: the event's `repository.default_branch`, or the branch a schedule runs on (a
 * schedule always runs on the default branch).
 */
export function defaultBranchOf(
  inputs: Pick<WatchInputs, 'eventName' | 'ref'>,
  payload: unknown,
): string {
  const repository = isRecord(payload) ? payload['repository'] : undefined;
  const named = isRecord(repository) ? repository['default_branch'] : undefined;
  if (typeof named === 'string' && named !== '') return named;
  if (inputs.eventName === 'schedule' && inputs.ref.startsWith('refs/heads/'))
    return inputs.ref.slice('refs/heads/'.length);
  throw new Error(
    `The ${inputs.eventName} event names no repository.default_branch: run the anomaly watch on a schedule or a workflow_dispatch`,
  );
}

/** Where Prometheus is: the input, else the config; an error saying how to give it otherwise. */
function prometheusUrlOf(inputs: WatchInputs, anomaly: AnomalyConfig): string {
  const url = inputs.prometheusUrl ?? anomaly.prometheusUrl;
  if (url === null)
    throw new Error(
      "Steward anomaly watch has no Prometheus to read: set anomaly.prometheus in .github/steward.yml or the action's prometheus-url input",
    );
  return url;
}

/** One series read over the range and analysed; unreadable (with the reason) when it cannot be. */
async function watchSeries(
  series: AnomalySeries,
  anomaly: AnomalyConfig,
  where: { url: string; end: number; options: QueryRangeOptions },
): Promise<WatchedOutcome> {
  const { name, query } = series;
  const options = seriesOptions(series, anomaly);
  try {
    const points = await readSeries(
      where.url,
      {
        query: options.query.query,
        start: where.end - options.query.rangeMs,
        end: where.end,
        stepSeconds: options.query.stepSeconds,
      },
      where.options,
    );
    const analysis = analyseSeries(points, options.analysis);
    // A counter is drawn as the rate the detector judged, not as an ever-rising line (its limit
    // and forecast are the counter's own, so they are not drawn against the rate).
    const chart = series.counter
      ? mermaidChart(counterRates(points), { title: name, windows: analysis.anomalies })
      : mermaidChart(points, {
          title: name,
          windows: analysis.anomalies,
          limit: series.limit,
          forecast: analysis.forecast,
          horizonMs: anomaly.horizonMs,
        });
    return {
      kind: 'read',
      name,
      query,
      counter: series.counter,
      analysis,
      recentMs: recentMsFor(series.stepSeconds),
      chart,
    };
  } catch (error: unknown) {
    return { kind: 'unreadable', name, query, reason: errorText(error) };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The incident issues of the series read (an unreadable series changes no incident). */
async function syncIncidents(
  github: GitHubClient,
  watched: readonly WatchedSeries[],
  options: Parameters<typeof syncAnomalyIncidents>[2],
): Promise<IncidentsLine> {
  const done: AnomalyIncidentSynced[] = [];
  try {
    await syncAnomalyIncidents(github, watched, options, done);
    return { kind: 'synced', results: done };
  } catch (error: unknown) {
    return { kind: 'failed', message: errorText(error), results: done };
  }
}

/**
 * Capacity pull requests from the forecasts of the series read (a series not read is reported
 * as skipped by src/anomaly/capacity-sync.ts); null when no capacity rule is set.
 */
async function syncCapacity(
  github: GitHubClient,
  anomaly: AnomalyConfig,
  analyses: ReadonlyMap<string, AnomalyAnalysis>,
  options: { defaultBranch: string; runUrl: string; now: number },
): Promise<CapacityLine[] | null> {
  if (anomaly.capacity.length === 0) return null;
  return syncCapacityPullRequests(github, anomaly, analyses, options);
}

/** The anomaly-watch action: read each series, analyse it, sync incidents and capacity, report. */
export function createAnomalyWatchAction(deps: WatchActionDependencies = {}) {
  const now = deps.now ?? (() => new Date());
  const mask = deps.mask ?? ((secret: string) => core.setSecret(secret));
  return async (env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> => {
    const inputs = parseWatchEnv(env);
    for (const secret of secretsOf(inputs.auth)) mask(secret);
    const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as unknown;
    const defaultBranch = defaultBranchOf(inputs, payload);
    const octokit = actionsOctokit(inputs, log.warning);
    const github = actionsClient(inputs, octokit);
    const config = await readActionConfig(octokit, inputs.repo, defaultBranch, log);
    const anomaly = config.anomaly;
    if (anomaly.series.length === 0)
      throw new Error(
        `Steward anomaly watch has nothing to watch: anomaly.series is empty in .github/steward.yml (at ${defaultBranch}); name each series with name and query`,
      );
    const url = prometheusUrlOf(inputs, anomaly);

    const end = now().getTime();
    const where = {
      url,
      end,
      options: {
        timeoutMs: QUERY_TIMEOUT_MS,
        headers: authHeaders(inputs.auth),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      },
    };
    const outcomes: WatchedOutcome[] = [];
    for (const series of anomaly.series) {
      const outcome = await watchSeries(series, anomaly, where);
      log.info(
        outcome.kind === 'read'
          ? `Read ${series.name}: ${outcome.analysis.points.length} points, ${outcome.analysis.anomalies.length} anomalous windows.`
          : `Could not read ${series.name}.`,
      );
      outcomes.push(outcome);
    }

    const read = outcomes.filter((o) => o.kind === 'read');
    const bySeries = new Map(anomaly.series.map((s) => [s.name, s]));
    let incidents: IncidentsLine = { kind: 'off' };
    if (anomaly.incident)
      incidents = await syncIncidents(
        github,
        read.map((o) => ({
          series: bySeries.get(o.name)!,
          analysis: o.analysis,
          details: o.chart,
        })),
        {
          receivedAt: new Date(end).toISOString(),
          externalURL: inputs.runUrl ?? inputs.repoUrl ?? '',
          reopenWindowMs: config.incidents.reopenWindowMs,
          labelNames: config.incidents.labelNames,
          // The post-incident report once the series is back to normal (no model key here: no
          // hypothesis), as the chaos report writes it.
          postmortem: (incident) =>
            incidentReport(github, incident, {
              lookbackMs: config.incidents.lookbackMs,
              defaultBranch,
              hypothesis: false,
              model: config.incidents.model,
              health: { thresholds: config.hotspots.thresholds, exclude: config.hotspots.exclude },
              now: new Date(end),
            }),
        },
      );
    const capacity = await syncCapacity(
      github,
      anomaly,
      new Map(read.map((o) => [o.name, o.analysis])),
      { defaultBranch, runUrl: inputs.runUrl ?? inputs.repoUrl ?? '', now: end },
    );
    return watchStepReport({ outcomes, incidents, capacity, end, anomaly });
  };
}
