import type { ChaosVerdict, Fields, ObjectMeta, ObjectOrigin } from './fields.ts';
import {
  FieldError,
  optCount,
  optList,
  optPercentage,
  optRecord,
  optString,
  optTime,
  readMeta,
} from './fields.ts';

/**
 * LitmusChaos's ChaosResult and ChaosEngine (litmuschaos.io/v1alpha1), read from the fields of
 * chaos-operator's Go types (api/litmuschaos/v1alpha1). The failure reason moved twice, and all
 * three generations are read:
 *
 * 1. `status.experimentStatus.failStep` (up to 2.x);
 * 2. `failureOutput{errorCode, failedStep}` (3.0.0-beta2);
 * 3. `errorOutput{errorCode, reason}` (3.0.0 and later).
 */

export const LITMUS_GROUP = 'litmuschaos.io';

export interface LitmusProbe {
  name: string;
  /** HttpProbe, K8sProbe, CmdProbe, PromProbe… as written. */
  type: string | null;
  /** SOT, EOT, Edge, OnChaos, Continuous. */
  mode: string | null;
  /** Passed, Failed, N/A, Awaited… as written (older versions wrote "Passed 👍"). */
  verdict: string | null;
  description: string | null;
}

export interface LitmusFailure {
  /** Which field generation held it. */
  generation: 'failStep' | 'failureOutput' | 'errorOutput';
  errorCode: string | null;
  reason: string;
}

export interface LitmusTarget {
  name: string | null;
  kind: string | null;
  chaosStatus: string | null;
}

export interface LitmusHistory {
  passedRuns: number;
  failedRuns: number;
  stoppedRuns: number;
  targets: LitmusTarget[];
}

export interface LitmusChaosResult {
  tool: 'litmus';
  kind: 'ChaosResult';
  origin: ObjectOrigin;
  meta: ObjectMeta;
  engine: string | null;
  experiment: string | null;
  instance: string | null;
  /** Running, Completed, Completed_With_Error, Completed_With_Probe_Failure, Stopped, Error. */
  phase: string | null;
  /** Pass, Fail, Stopped, Awaited, Error as written. */
  litmusVerdict: string | null;
  verdict: ChaosVerdict;
  probeSuccessPercentage: number | null;
  probes: LitmusProbe[];
  /** Probes past the most Steward reads. */
  probesDropped: number;
  failure: LitmusFailure | null;
  history: LitmusHistory | null;
}

export interface LitmusEngineExperiment {
  name: string;
  runner: string | null;
  experimentPod: string | null;
  /** Running, Completed, "Waiting for Job Creation", "ChaosExperiment Not Found", "Forcefully Aborted", Skipped. */
  status: string | null;
  litmusVerdict: string | null;
  verdict: ChaosVerdict;
  lastUpdateTime: number | null;
}

export interface LitmusChaosEngine {
  tool: 'litmus';
  kind: 'ChaosEngine';
  origin: ObjectOrigin;
  meta: ObjectMeta;
  /** initialized, completed, stopped. */
  engineStatus: string | null;
  /** The application under chaos (`spec.appinfo`): namespace, label selector, kind. */
  app: { namespace: string | null; label: string | null; kind: string | null } | null;
  experiments: LitmusEngineExperiment[];
}

/**
 * Litmus's verdict as Steward's: Pass passes; Fail and Error fail; Stopped (aborted), Awaited
 * (still running) and anything else leave it unknown. Case and a trailing emoji are ignored.
 */
export function litmusVerdict(verdict: string | null): ChaosVerdict {
  const word = (verdict ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z].*$/, '');
  if (word === 'pass' || word === 'passed') return 'pass';
  if (word === 'fail' || word === 'failed' || word === 'error') return 'fail';
  return 'unknown';
}

/** Whether a probe verdict says it failed (Failed, "Failed 👎", Error). */
export function probeFailed(probe: Pick<LitmusProbe, 'verdict'>): boolean {
  return litmusVerdict(probe.verdict) === 'fail';
}

/** What Litmus writes where there is no failure. */
function noFailure(text: string | null): boolean {
  return text === null || /^(?:n\/a|na|none|-)$/i.test(text.trim());
}

function readFailure(status: Fields, experimentStatus: Fields | null): LitmusFailure | null {
  const places: [Fields, string][] = [];
  if (experimentStatus !== null) places.push([experimentStatus, 'status.experimentStatus']);
  places.push([status, 'status']);
  // Newest generation first: an object written by 3.x that still carries an old field reads as 3.x.
  for (const [parent, path] of places) {
    const output = optRecord(parent, 'errorOutput', path);
    const reason = output && optString(output, 'reason', `${path}.errorOutput`);
    if (output !== null && !noFailure(reason))
      return {
        generation: 'errorOutput',
        errorCode: optString(output, 'errorCode', `${path}.errorOutput`),
        reason: reason!,
      };
  }
  for (const [parent, path] of places) {
    const output = optRecord(parent, 'failureOutput', path);
    const step = output && optString(output, 'failedStep', `${path}.failureOutput`);
    if (output !== null && !noFailure(step))
      return {
        generation: 'failureOutput',
        errorCode: optString(output, 'errorCode', `${path}.failureOutput`),
        reason: step!,
      };
  }
  for (const [parent, path] of places) {
    const step = optString(parent, 'failStep', path);
    if (!noFailure(step)) return { generation: 'failStep', errorCode: null, reason: step! };
  }
  return null;
}

function readProbe(entry: Fields, path: string): LitmusProbe {
  const status = entry['status'];
  // Before 2.x a probe's status was a map of phase to verdict ({"Continuous": "Passed 👍"}).
  let verdict: string | null = null;
  let description: string | null = null;
  if (typeof status === 'string') verdict = optString(entry, 'status', path);
  else {
    const record = optRecord(entry, 'status', path);
    if (record !== null && ('verdict' in record || 'description' in record)) {
      verdict = optString(record, 'verdict', `${path}.status`);
      description = optString(record, 'description', `${path}.status`);
    } else if (record !== null) {
      // The old map: the last phase's verdict stands for the probe, the phases for the description.
      const phases = Object.entries(record).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      );
      verdict = phases.at(-1)?.[1] ?? null;
      description =
        phases.length > 1 ? phases.map(([phase, said]) => `${phase}: ${said}`).join(', ') : null;
    }
  }
  return {
    name: optString(entry, 'name', path) ?? '(unnamed probe)',
    type: optString(entry, 'type', path),
    mode: optString(entry, 'mode', path),
    verdict,
    description,
  };
}

function readHistory(status: Fields): LitmusHistory | null {
  const history = optRecord(status, 'history', 'status');
  if (history === null) return null;
  const path = 'status.history';
  return {
    passedRuns: optCount(history, 'passedRuns', path) ?? 0,
    failedRuns: optCount(history, 'failedRuns', path) ?? 0,
    stoppedRuns: optCount(history, 'stoppedRuns', path) ?? 0,
    targets: optList(history, 'targets', path, (entry, at) => ({
      name: optString(entry, 'name', at),
      kind: optString(entry, 'kind', at),
      chaosStatus: optString(entry, 'chaosStatus', at),
    })).entries,
  };
}

export function readChaosResult(object: Fields, origin: ObjectOrigin): LitmusChaosResult {
  const meta = readMeta(object);
  const spec = optRecord(object, 'spec', '') ?? {};
  const status = optRecord(object, 'status', '') ?? {};
  const experimentStatus = optRecord(status, 'experimentStatus', 'status');
  const at = 'status.experimentStatus';
  const verdict = experimentStatus && optString(experimentStatus, 'verdict', at);
  const probes = optList(status, 'probeStatuses', 'status', readProbe);
  return {
    tool: 'litmus',
    kind: 'ChaosResult',
    origin,
    meta,
    engine: optString(spec, 'engine', 'spec'),
    experiment: optString(spec, 'experiment', 'spec'),
    instance: optString(spec, 'instance', 'spec'),
    phase: experimentStatus && optString(experimentStatus, 'phase', at),
    litmusVerdict: verdict,
    verdict: litmusVerdict(verdict),
    probeSuccessPercentage:
      experimentStatus && optPercentage(experimentStatus, 'probeSuccessPercentage', at),
    probes: probes.entries,
    probesDropped: probes.dropped,
    failure: readFailure(status, experimentStatus),
    history: readHistory(status),
  };
}

export function readChaosEngine(object: Fields, origin: ObjectOrigin): LitmusChaosEngine {
  const meta = readMeta(object);
  const spec = optRecord(object, 'spec', '') ?? {};
  const status = optRecord(object, 'status', '') ?? {};
  const appinfo = optRecord(spec, 'appinfo', 'spec');
  return {
    tool: 'litmus',
    kind: 'ChaosEngine',
    origin,
    meta,
    engineStatus: optString(status, 'engineStatus', 'status'),
    app:
      appinfo === null
        ? null
        : {
            namespace: optString(appinfo, 'appns', 'spec.appinfo'),
            label: optString(appinfo, 'applabel', 'spec.appinfo'),
            kind: optString(appinfo, 'appkind', 'spec.appinfo'),
          },
    experiments: optList(status, 'experiments', 'status', (entry, path) => {
      const name = optString(entry, 'name', path);
      if (name === null) throw new FieldError(`${path}.name`, 'missing');
      const verdict = optString(entry, 'verdict', path);
      return {
        name,
        runner: optString(entry, 'runner', path),
        experimentPod: optString(entry, 'experimentPod', path),
        status: optString(entry, 'status', path),
        litmusVerdict: verdict,
        verdict: litmusVerdict(verdict),
        lastUpdateTime: optTime(entry, 'lastUpdateTime', path),
      };
    }).entries,
  };
}
