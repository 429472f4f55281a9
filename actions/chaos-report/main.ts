import { readFileSync } from 'node:fs';
import { defaultConfig, type StewardConfig } from '../../src/config/schema.ts';
import { incidentReport } from '../../src/incidents/postmortem-report.ts';
import { judgedChaosReport, type JudgeChaosOptions } from '../../src/prometheus/judge.ts';
import { CHAOS_MARKER } from '../../src/chaos/summary.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { MissingPermissionError } from '../../src/github/errors.ts';
import { eventSubject } from '../../src/github/event-subject.ts';
import { syncChaosIncidents, type ChaosIncidentSynced } from '../../src/chaos/sync.ts';
import type { ChaosSyncOptions } from '../../src/chaos/sync.ts';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit } from '../shared/runner-env.ts';
import type { StepLog, StepReport } from '../shared/step.ts';
import { readResultFiles } from './files.ts';
import { parseChaosEnv, type ChaosInputs } from './inputs.ts';
import { chaosStepReport, type Commented, type IncidentsSynced } from './outputs.ts';
import { chaosActionSettings } from './settings.ts';

/** Where the run's results go: a pull request's comment, the default branch's incidents, or neither. */
export type ChaosTarget =
  | { kind: 'pull-request'; number: number }
  | { kind: 'default-branch'; branch: string }
  | { kind: 'none'; reason: string };

/** The events on which a run of the default branch reports its failures as incidents. */
const BRANCH_EVENTS = ['push', 'schedule', 'workflow_dispatch'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the event: the pull request to comment on, or whether the run is the default branch's. */
export function chaosTargetOf(
  inputs: Pick<ChaosInputs, 'eventName' | 'pullRequest' | 'ref'>,
  payload: unknown,
): ChaosTarget {
  if (inputs.pullRequest !== undefined) return { kind: 'pull-request', number: inputs.pullRequest };
  const subject = eventSubject(inputs.eventName, payload);
  if (subject.kind === 'pull-request')
    return { kind: 'pull-request', number: subject.pullRequest.number };
  if (subject.kind === 'dispatch' && subject.number !== null)
    return { kind: 'pull-request', number: subject.number };
  if (!BRANCH_EVENTS.includes(inputs.eventName))
    return { kind: 'none', reason: `the ${inputs.eventName} event names no pull request` };
  const repository = isRecord(payload) ? payload['repository'] : undefined;
  const branch = isRecord(repository) ? repository['default_branch'] : undefined;
  if (typeof branch !== 'string' || branch === '')
    return { kind: 'none', reason: `the ${inputs.eventName} event names no default branch` };
  if (inputs.ref !== `refs/heads/${branch}`)
    return {
      kind: 'none',
      reason: `the run is on ${inputs.ref || 'no ref'}, not the default branch ${branch}`,
    };
  return { kind: 'default-branch', branch };
}

export interface ChaosActionDependencies {
  /** The incident core; src/incidents/sync.ts's when absent. */
  sync?: ChaosSyncOptions['sync'];
  /** The keys of the incidents on GitHub; src/chaos/sync.ts's incidentKeysOf when absent. */
  incidentKeys?: ChaosSyncOptions['incidentKeys'];
  /** The time the results count as received. */
  now?: () => Date;
  /** How Chaos Mesh experiments are judged through Prometheus (the fetch, the time); defaults otherwise. */
  judge?: JudgeChaosOptions;
}

function field(value: unknown, ...path: string[]): unknown {
  let here = value;
  for (const key of path) here = isRecord(here) ? here[key] : undefined;
  return here;
}

/**
 * Where the config is read: the pull request's base branch (never its head), the default branch
 * otherwise; null when the event names neither (the defaults apply).
 */
export function configRefOf(target: ChaosTarget, payload: unknown): string | null {
  if (target.kind === 'default-branch') return target.branch;
  const base = field(payload, 'pull_request', 'base', 'ref');
  if (target.kind === 'pull-request' && typeof base === 'string' && base !== '') return base;
  const branch = field(payload, 'repository', 'default_branch');
  return typeof branch === 'string' && branch !== '' ? branch : null;
}

/** The chaos-report action: read the files, summarise, comment or sync incidents, set outputs. */
export function createChaosReportAction(deps: ChaosActionDependencies = {}) {
  const now = deps.now ?? (() => new Date());
  return async (env: NodeJS.ProcessEnv, log: StepLog): Promise<StepReport> => {
    const inputs = parseChaosEnv(env);
    const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as unknown;
    const target = chaosTargetOf(inputs, payload);
    const { files, problems } = await readResultFiles(inputs.patterns, inputs);
    if (files.length === 0)
      throw new Error(`Steward chaos report read no result file: ${problems.join('; ')}`);
    // One line each: a file name holding a line break would otherwise start a workflow command.
    for (const file of files) log.info(`Read ${JSON.stringify(file.source).slice(1, -1)}`);

    const octokit = actionsOctokit(inputs, log.warning);
    const github = actionsClient(inputs, octokit);
    const configRef = configRefOf(target, payload);
    const config: StewardConfig =
      configRef === null
        ? defaultConfig()
        : await readActionConfig(octokit, inputs.repo, configRef, log);
    // Chaos Mesh gives no verdict: with chaos.prometheus and chaos.slo, Steward judges each
    // experiment's window through Prometheus (never failing the step for Prometheus's sake).
    const report = await judgedChaosReport(files, config.chaos, deps.judge ?? {});

    let commented: Commented = null;
    if (target.kind === 'pull-request' && inputs.comment)
      commented = await comment(github, target.number, report.markdown);

    let incidents: IncidentsSynced = null;
    if (target.kind === 'default-branch') {
      const settings = chaosActionSettings(config);
      if (!settings.incident) incidents = { kind: 'off' };
      else {
        const receivedAt = now().toISOString();
        const externalURL = inputs.runUrl ?? inputs.repoUrl ?? '';
        const synced: ChaosIncidentSynced[] = [];
        try {
          await syncChaosIncidents(
            github,
            report.rows,
            {
              receivedAt,
              externalURL,
              reopenWindowMs: settings.reopenWindowMs,
              labelNames: settings.labelNames,
              // The post-incident report once an experiment passes again (no model key here:
              // no hypothesis).
              postmortem: (incident) =>
                incidentReport(github, incident, {
                  lookbackMs: config.incidents.lookbackMs,
                  defaultBranch: target.branch,
                  hypothesis: false,
                  model: config.incidents.model,
                  health: {
                    thresholds: config.hotspots.thresholds,
                    exclude: config.hotspots.exclude,
                  },
                  now: now(),
                }),
              ...(deps.sync ? { sync: deps.sync } : {}),
              ...(deps.incidentKeys ? { incidentKeys: deps.incidentKeys } : {}),
            },
            synced,
          );
          incidents = { kind: 'synced', results: synced };
        } catch (error: unknown) {
          incidents = {
            kind: error instanceof MissingPermissionError ? 'not-permitted' : 'failed',
            message: error instanceof Error ? error.message : String(error),
            results: synced,
          };
        }
      }
    }
    return chaosStepReport({ report, inputs, target, commented, incidents, problems });
  };
}

/** Upserts the summary on the pull request; a token that may not write says so instead. */
async function comment(github: GitHubClient, number: number, body: string): Promise<Commented> {
  try {
    const outcome = await github.upsertComment(number, CHAOS_MARKER, body);
    return { kind: 'commented', number, ...outcome };
  } catch (error: unknown) {
    if (error instanceof MissingPermissionError)
      return { kind: 'not-permitted', number, message: error.message };
    throw error;
  }
}
