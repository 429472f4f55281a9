import type { ChaosVerdict, Fields, ObjectMeta, ObjectOrigin } from './fields.ts';
import { optCount, optList, optRecord, optString, optTime, readMeta } from './fields.ts';

/**
 * Chaos Mesh 2.x experiments (any kind of group chaos-mesh.org that injects chaos: PodChaos,
 * NetworkChaos, IOChaos, StressChaos…), read from the shared `ChaosStatus` of api/v1alpha1:
 * `status.conditions` and `status.experiment.containerRecords` (`records` in early 2.x). Chaos
 * Mesh gives no verdict, so the verdict stays unknown until an SLO judge looks at the window.
 */

export const CHAOS_MESH_GROUP = 'chaos-mesh.org';

/** Kinds of chaos-mesh.org that are not experiments: schedules, workflows, per-pod bookkeeping. */
const NOT_EXPERIMENTS = new Set([
  'Schedule',
  'Workflow',
  'WorkflowNode',
  'StatusCheck',
  'PodNetworkChaos',
  'PodIOChaos',
  'PodHttpChaos',
  'RemoteCluster',
  'PhysicalMachine',
]);

/** Why a chaos-mesh.org kind is not read as an experiment; null when it is one. */
export function chaosMeshSkipReason(kind: string): string | null {
  if (NOT_EXPERIMENTS.has(kind)) return `${kind} is not a chaos experiment`;
  if (!kind.endsWith('Chaos')) return `${kind} is not a chaos experiment kind`;
  return null;
}

/** The phase Steward derives from the conditions and records. */
export type ChaosMeshPhase = 'running' | 'injected' | 'recovered' | 'paused' | 'failed';

export interface ChaosMeshCondition {
  /** Selected, AllInjected, AllRecovered, Paused. */
  type: string;
  /** True, False, Unknown. */
  status: string | null;
  reason: string | null;
}

export interface ChaosMeshEvent {
  /** Succeeded, Failed. */
  type: string | null;
  /** Apply, Recover. */
  operation: string | null;
  message: string | null;
  timestamp: number | null;
}

export interface ChaosMeshRecord {
  /** The target: namespace/pod (and container), or a node, an AWS instance… */
  id: string;
  selectorKey: string | null;
  /** "Not Injected", "Injected". */
  phase: string | null;
  injectedCount: number;
  recoveredCount: number;
  events: ChaosMeshEvent[];
}

export interface ChaosMeshExperiment {
  tool: 'chaos-mesh';
  kind: string;
  origin: ObjectOrigin;
  meta: ObjectMeta;
  /** spec.action (pod-kill, delay, …) when the kind has one. */
  action: string | null;
  /** spec.duration as written (e.g. "30s"). */
  duration: string | null;
  /** What the selector names: namespaces and label selectors, as one line. */
  selector: string | null;
  /** Run, Stop. */
  desiredPhase: string | null;
  conditions: ChaosMeshCondition[];
  records: ChaosMeshRecord[];
  recordsDropped: number;
  phase: ChaosMeshPhase;
  verdict: ChaosVerdict;
  /** The first Apply, and the last Recover once recovered (null before). */
  startedAt: number | null;
  endedAt: number | null;
  /** The messages of Failed events, newest first. */
  failures: string[];
}

function readEvent(entry: Fields, path: string): ChaosMeshEvent {
  return {
    type: optString(entry, 'type', path),
    operation: optString(entry, 'operation', path),
    message: optString(entry, 'message', path),
    timestamp: optTime(entry, 'timestamp', path),
  };
}

function readRecord(entry: Fields, path: string): ChaosMeshRecord {
  return {
    id: optString(entry, 'id', path) ?? '(unnamed)',
    selectorKey: optString(entry, 'selectorKey', path),
    phase: optString(entry, 'phase', path),
    injectedCount: optCount(entry, 'injectedCount', path) ?? 0,
    recoveredCount: optCount(entry, 'recoveredCount', path) ?? 0,
    events: optList(entry, 'events', path, readEvent).entries,
  };
}

function conditionTrue(conditions: readonly ChaosMeshCondition[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status?.toLowerCase() === 'true');
}

function lastEvent(record: ChaosMeshRecord): ChaosMeshEvent | undefined {
  // Events are appended; a timestamp, when every event has one, orders them.
  const timed = record.events.every((e) => e.timestamp !== null);
  return timed
    ? [...record.events].sort((a, b) => a.timestamp! - b.timestamp!).at(-1)
    : record.events.at(-1);
}

/**
 * The phase from the conditions and records (an inference from Chaos Mesh's dashboard steps, which
 * the CRD does not spell out): failed when a record's latest event failed; paused when Paused is
 * True; recovered when the experiment is stopping and AllRecovered is True (or every record was
 * recovered as often as injected); injected when AllInjected is True; running otherwise.
 */
export function chaosMeshPhase(
  desiredPhase: string | null,
  conditions: readonly ChaosMeshCondition[],
  records: readonly ChaosMeshRecord[],
): ChaosMeshPhase {
  if (records.some((r) => lastEvent(r)?.type?.toLowerCase() === 'failed')) return 'failed';
  if (conditionTrue(conditions, 'Paused')) return 'paused';
  const everyRecovered =
    records.length > 0 &&
    records.every((r) => r.injectedCount > 0 && r.recoveredCount >= r.injectedCount);
  const stopping = desiredPhase?.toLowerCase() === 'stop';
  if (stopping && conditionTrue(conditions, 'AllRecovered')) return 'recovered';
  if (everyRecovered && !conditionTrue(conditions, 'AllInjected')) return 'recovered';
  if (conditionTrue(conditions, 'AllInjected')) return 'injected';
  return 'running';
}

/** The latest (1) or earliest (-1) of many times, without spreading them onto the stack. */
function extreme(times: readonly number[], sign: 1 | -1): number | null {
  let best: number | null = null;
  for (const time of times) if (best === null || (time - best) * sign > 0) best = time;
  return best;
}

function selectorLine(spec: Fields): string | null {
  const selector = optRecord(spec, 'selector', 'spec');
  if (selector === null) return null;
  const parts: string[] = [];
  const namespaces = selector['namespaces'];
  if (Array.isArray(namespaces))
    parts.push(
      namespaces
        .slice(0, 10)
        .filter((n): n is string => typeof n === 'string')
        .join(','),
    );
  const labels = optRecord(selector, 'labelSelectors', 'spec.selector');
  if (labels !== null)
    parts.push(
      Object.entries(labels)
        .slice(0, 10)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : '?'}`)
        .join(','),
    );
  const line = parts.filter((p) => p !== '').join(' ');
  return line === '' ? null : line;
}

export function readChaosMeshExperiment(
  object: Fields,
  kind: string,
  origin: ObjectOrigin,
): ChaosMeshExperiment {
  const meta = readMeta(object);
  const spec = optRecord(object, 'spec', '') ?? {};
  const status = optRecord(object, 'status', '') ?? {};
  const experiment = optRecord(status, 'experiment', 'status') ?? {};
  const conditions = optList(status, 'conditions', 'status', (entry, path) => ({
    type: optString(entry, 'type', path) ?? '',
    status: optString(entry, 'status', path),
    reason: optString(entry, 'reason', path),
  })).entries;
  const key = experiment['containerRecords'] !== undefined ? 'containerRecords' : 'records';
  const records = optList(experiment, key, 'status.experiment', readRecord);
  const desiredPhase = optString(experiment, 'desiredPhase', 'status.experiment');
  const events = records.entries.flatMap((r) => r.events);
  const times = (operation: string) =>
    events
      .filter((e) => e.operation?.toLowerCase() === operation && e.timestamp !== null)
      .map((e) => e.timestamp!);
  const applied = times('apply');
  const recovered = times('recover');
  const phase = chaosMeshPhase(desiredPhase, conditions, records.entries);
  return {
    tool: 'chaos-mesh',
    kind,
    origin,
    meta,
    action: optString(spec, 'action', 'spec'),
    duration: optString(spec, 'duration', 'spec'),
    selector: selectorLine(spec),
    desiredPhase,
    conditions,
    records: records.entries,
    recordsDropped: records.dropped,
    phase,
    verdict: 'unknown',
    startedAt: extreme(applied, -1),
    endedAt: phase === 'recovered' ? extreme(recovered, 1) : null,
    failures: events
      .filter((e) => e.type?.toLowerCase() === 'failed')
      .sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))
      .map((e) => e.message ?? `${e.operation ?? 'operation'} failed`),
  };
}
