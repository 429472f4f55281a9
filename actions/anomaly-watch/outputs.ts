import { currentAnomaly } from '../../src/anomaly/analyse.ts';
import type { AnomalyConfig } from '../../src/anomaly/settings.ts';
import { silentSince, watchSummary } from '../../src/anomaly/summary.ts';
import { isoSecond } from '../../src/anomaly/incident.ts';
import type { CapacityLine, IncidentsLine, WatchedOutcome } from '../../src/anomaly/summary.ts';
import type { StepMessage, StepReport } from '../shared/step.ts';

export interface WatchStepInput {
  outcomes: readonly WatchedOutcome[];
  incidents: IncidentsLine;
  capacity: readonly CapacityLine[] | null;
  /** The end of the range read (epoch ms). */
  end: number;
  anomaly: Pick<AnomalyConfig, 'rangeMs' | 'horizonMs'>;
}

/** A text for a log line: one line, bounded. */
function oneLine(text: string, max = 600): string {
  const flat = text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]+/gu, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * How the step ends: a warning per series it could not read, the outputs (`anomalous`,
 * `unreadable`, `incidents`), the summary, and the failure last. A series that could not be read
 * fails the step once every other series is done: a watch that goes quiet is worse than one that
 * says it cannot see.
 */
export function watchStepReport(input: WatchStepInput): StepReport {
  const { outcomes, incidents, capacity } = input;
  const messages: StepMessage[] = [];
  const unreadable = outcomes.filter((o) => o.kind === 'unreadable');
  for (const o of unreadable)
    messages.push({
      level: 'warning',
      text: `Steward could not read the series ${o.name}: ${oneLine(o.reason)}`,
    });
  for (const o of outcomes) {
    const silent = o.kind === 'read' ? silentSince(o, input.end) : null;
    if (silent !== null)
      messages.push({
        level: 'warning',
        text: `The series ${o.name} has had no data since ${isoSecond(silent)}: it is judged on what came before. Check that Prometheus still scrapes it.`,
      });
  }
  const anomalous = outcomes.filter(
    (o) => o.kind === 'read' && currentAnomaly(o.analysis, o.recentMs) !== null,
  );
  const synced = incidents.kind === 'off' ? [] : incidents.results;
  for (const { series, status, result } of synced)
    if (result.issue !== null && result.action !== 'none')
      messages.push({
        level: 'info',
        text: `Incident #${result.issue.number} for ${series}: ${status}, ${result.action}.`,
      });
  if (incidents.kind === 'failed')
    messages.push({
      level: 'warning',
      text: `Steward could not open or update the incident issues: ${oneLine(incidents.message)}`,
    });

  for (const c of capacity ?? []) {
    const where = `${c.series} (${c.file} ${c.path})`;
    if (c.action === 'failed' || c.action === 'refused')
      messages.push({
        level: 'warning',
        text: `Steward's capacity pull request for ${where} was ${c.action === 'failed' ? 'not written' : 'refused'}: ${oneLine(c.reason)}`,
      });
    else if (c.action === 'opened' || c.action === 'updated' || c.action === 'closed')
      messages.push({
        level: 'info',
        text: `Capacity pull request for ${where}: ${c.action}${c.url === undefined ? '' : ` (${c.url})`}.`,
      });
  }

  const failures: string[] = [];
  if (unreadable.length > 0)
    failures.push(
      `${unreadable.length} of ${outcomes.length} series could not be read (${unreadable.map((o) => o.name).join(', ')}); see the warnings`,
    );
  if (incidents.kind === 'failed')
    failures.push(`the incident issues could not be written: ${oneLine(incidents.message)}`);
  const unwritten = (capacity ?? []).filter((c) => c.action === 'failed');
  if (unwritten.length > 0)
    failures.push(
      `${unwritten.length} capacity pull request${unwritten.length === 1 ? '' : 's'} could not be written (see the warnings)`,
    );

  return {
    messages,
    files: [],
    outputs: {
      anomalous: String(anomalous.length),
      unreadable: String(unreadable.length),
      incidents: JSON.stringify(
        synced.map(({ series, result }) => ({
          series,
          action: result.action,
          issue: result.issue?.number ?? null,
        })),
      ),
    },
    summary: watchSummary({
      end: input.end,
      rangeMs: input.anomaly.rangeMs,
      horizonMs: input.anomaly.horizonMs,
      series: outcomes,
      incidents,
      capacity,
    }),
    failure: failures.length === 0 ? null : `Steward anomaly watch: ${failures.join('; ')}.`,
  };
}
