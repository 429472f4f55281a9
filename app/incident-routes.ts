import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { readChaosObjects } from '../src/chaos/read.ts';
import type { ChaosRead } from '../src/chaos/read.ts';
import { summariseChaos } from '../src/chaos/summary.ts';
import type { RepoRef } from '../src/github/client.ts';
import { parseAlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import type { AlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import { chaosIncidentPayloads } from './chaos-payloads.ts';
import {
  RouteError,
  answerJson,
  bodyText,
  hasBearer,
  parseJsonBody,
  pathOf,
  readBody,
  requireJsonContentType,
  unauthorized,
} from './incident-http.ts';
import { BUSY_RETRY_AFTER_SECONDS, IncidentWork } from './incident-work.ts';
import type { IncidentWorkDeps } from './incident-work.ts';
import type { AppMetrics, IncidentOutcome, IncidentRoute } from './metrics.ts';
import { parseRepoFullName } from './settings.ts';
import type { IncidentRouteSettings } from './settings.ts';

/**
 * `POST /alertmanager` (Alertmanager's webhook receiver) and `POST /chaos` (a chaos result
 * object), in front of Probot. Neither sender signs its body, so each route takes a bearer token,
 * checked before a byte of the body is read; no token configured means the route is off (404).
 * The answer comes only after the incident is written to GitHub: 200 means recorded, and every
 * failure is a 5xx the sender retries. Refusals say why in a short JSON body, log one line and
 * count under a reason from a fixed set; no answer carries a stack.
 */

export interface IncidentRoutesDeps extends IncidentWorkDeps {
  settings: IncidentRouteSettings;
  metrics: AppMetrics;
  log: Logger;
  draining(): boolean;
  /** GitHub's web address (`https://github.com`), which chaos incidents link to. */
  webUrl: string;
  maxAlertmanagerBytes?: number;
  maxChaosBytes?: number;
}

export interface IncidentRoutes {
  /** Answers the request when it is one of the routes (true); false leaves it to the next. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Requests being handled now. */
  readonly running: number;
  /** Resolves true once no request is being handled, false when `ms` passed first. */
  idle(ms: number): Promise<boolean>;
}

export const MAX_ALERTMANAGER_BYTES = 1024 * 1024;
export const MAX_CHAOS_BYTES = 5 * 1024 * 1024;

interface Done {
  outcome: IncidentOutcome;
  body: unknown;
  repository: string;
}

export function createIncidentRoutes(deps: IncidentRoutesDeps): IncidentRoutes {
  const work = new IncidentWork(deps);
  const { settings, metrics } = deps;
  let running = 0;

  const alertmanager = async (req: IncomingMessage, state: RequestState): Promise<Done> => {
    requireJsonContentType(req);
    const body = await readBody(req, deps.maxAlertmanagerBytes ?? MAX_ALERTMANAGER_BYTES);
    state.read = true;
    const parsed = parseAlertmanagerPayload(parseJsonBody(body));
    if (!parsed.ok) throw new RouteError(400, parsed.error, 'invalid_payload');
    const repo = repositoryOf(parsed.payload, settings);
    state.repository = fullName(repo);
    const repository = await work.open(repo);
    const result = await work.record(repository, parsed.payload, state.receivedAt);
    return {
      outcome: result.action === 'none' ? 'duplicate' : 'recorded',
      body: { action: result.action, issue: result.issue },
      repository: state.repository,
    };
  };

  const chaos = async (
    req: IncomingMessage,
    query: URLSearchParams,
    state: RequestState,
  ): Promise<Done> => {
    const repo = chaosRepository(query, settings);
    state.repository = fullName(repo);
    const body = await readBody(req, deps.maxChaosBytes ?? MAX_CHAOS_BYTES);
    state.read = true;
    const read = readChaosObjects(bodyText(body), 'POST /chaos');
    if (read.objects.length === 0)
      throw new RouteError(400, `no chaos result read: ${whyNothingRead(read)}`, 'invalid_payload');
    const summary = summariseChaos(read);
    const repository = await work.open(repo);
    const issues: { number: number; url: string; action: string }[] = [];
    if (repository.settings.chaosIncident) {
      const payloads = chaosIncidentPayloads(summary.rows, {
        receivedAt: state.receivedAt,
        externalURL: `${deps.webUrl}/${repo.owner}/${repo.repo}`,
      });
      for (const payload of payloads) {
        const result = await work.record(repository, payload, state.receivedAt);
        if (result.issue) issues.push({ ...result.issue, action: result.action });
      }
    }
    return {
      outcome: issues.some((i) => i.action !== 'none') ? 'recorded' : 'duplicate',
      body: {
        verdict: summary.verdict,
        failed: summary.failed,
        passed: summary.passed,
        issues,
        ...(read.errors.length > 0
          ? { errors: read.errors.slice(0, 20).map((e) => e.message) }
          : {}),
      },
      repository: state.repository,
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'POST') return false;
    const target = pathOf(req.url ?? '/');
    const route: IncidentRoute | null =
      target?.path === '/alertmanager'
        ? 'alertmanager'
        : target?.path === '/chaos'
          ? 'chaos'
          : null;
    if (route === null) return false;
    const token = route === 'alertmanager' ? settings.alertmanagerToken : settings.chaosToken;
    if (token === null) {
      answerJson(res, 404, { error: 'not found' }, { connection: 'close' });
      return true;
    }

    const started = performance.now();
    const state: RequestState = { read: false, repository: null, receivedAt: isoNow() };
    let outcome: IncidentOutcome = 'failed';
    running += 1;
    try {
      if (!hasBearer(req, token)) throw unauthorized();
      if (deps.draining())
        throw new RouteError(503, 'the app is shutting down; retry later', null, {
          'retry-after': BUSY_RETRY_AFTER_SECONDS,
        });
      const done =
        route === 'alertmanager'
          ? await alertmanager(req, state)
          : await chaos(req, target!.query, state);
      outcome = done.outcome;
      answerJson(res, 200, done.body);
      deps.log.info({ route, repository: done.repository, outcome }, `POST /${route}: ${outcome}`);
    } catch (error: unknown) {
      outcome = answerFailure(res, route, state, error);
    } finally {
      running -= 1;
      metrics.incidentNotifications.inc({ route, outcome });
      metrics.incidentSeconds.observe({ route, outcome }, (performance.now() - started) / 1000);
    }
    return true;
  }

  /** The answer to a request that did not end in 200, its log line and its counts. */
  function answerFailure(
    res: ServerResponse,
    route: IncidentRoute,
    state: RequestState,
    error: unknown,
  ): IncidentOutcome {
    // A body left unread is not taken for the connection's next request.
    const close: Record<string, string> = state.read ? {} : { connection: 'close' };
    const line = { route, repository: state.repository };
    if (error instanceof RouteError) {
      answerJson(res, error.status, { error: error.message }, { ...error.headers, ...close });
      if (error.refusal) {
        metrics.alertsRefused.inc({ route, reason: error.refusal });
        deps.log.warn(
          { ...line, status: error.status, reason: error.refusal, why: error.message },
          `POST /${route} refused`,
        );
        return 'refused';
      }
      deps.log.warn({ ...line, status: error.status, why: error.message }, `POST /${route} busy`);
      return 'busy';
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (!state.read && isClientGone(error)) {
      deps.log.warn({ ...line, why: 'the body ended early' }, `POST /${route} abandoned`);
      return 'refused';
    }
    deps.log.error({ ...line, reason }, `POST /${route} failed: the incident is not recorded`);
    answerJson(
      res,
      500,
      { error: 'the incident could not be recorded (the app logs why); retry later' },
      close,
    );
    return 'failed';
  }

  return {
    handle,
    get running() {
      return running;
    },
    async idle(ms) {
      const deadline = Date.now() + ms;
      while (running > 0) {
        if (Date.now() >= deadline) return false;
        await sleep(50);
      }
      return true;
    },
  };
}

interface RequestState {
  /** Whether the body was read to its end. */
  read: boolean;
  /** `owner/name` once known, for the log line. */
  repository: string | null;
  receivedAt: string;
}

function isoNow(): string {
  return new Date().toISOString();
}

function fullName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}

function isClientGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function labelOf(labels: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(labels, name) && typeof labels[name] === 'string' ? labels[name] : undefined;
}

/**
 * The repository a notification goes to: each alert's own label, else the group's common label,
 * else its group label, else the app's default. Alerts of one notification going to different
 * repositories are refused: one group is one issue in one repository.
 */
export function repositoryOf(
  payload: AlertmanagerPayload,
  settings: IncidentRouteSettings,
): RepoRef {
  const label = settings.repoLabel;
  const shared =
    labelOf(payload.commonLabels, label) ??
    labelOf(payload.groupLabels, label) ??
    (settings.defaultRepo ? fullName(settings.defaultRepo) : undefined);
  const names = new Set<string | undefined>(
    payload.alerts.length === 0
      ? [shared]
      : payload.alerts.map((a) => labelOf(a.labels, label) ?? shared),
  );
  if (names.size > 1) {
    const listed = [...names].map((n) =>
      n === undefined ? '(none)' : JSON.stringify(n.slice(0, 200)),
    );
    throw new RouteError(
      422,
      `the alerts of this notification name different repositories in their ${label} label (${listed.slice(0, 5).join(', ')}); group alerts by ${label} in Alertmanager's route (group_by)`,
      'mixed_repositories',
    );
  }
  const name = [...names][0];
  if (name === undefined)
    throw new RouteError(
      422,
      `no repository: the alerts have no ${label} label and STEWARD_INCIDENT_REPO is not set`,
      'no_repository',
    );
  const repo = parseRepoFullName(name);
  if (repo === null)
    throw new RouteError(
      422,
      `the ${label} label is not a repository as owner/name: ${JSON.stringify(name.slice(0, 200))}`,
      'invalid_repository',
    );
  return repo;
}

function chaosRepository(query: URLSearchParams, settings: IncidentRouteSettings): RepoRef {
  const given = query.getAll('repo');
  if (given.length > 1)
    throw new RouteError(400, 'give ?repo=OWNER/NAME once', 'invalid_repository');
  if (given.length === 0) {
    if (settings.defaultRepo) return settings.defaultRepo;
    throw new RouteError(
      400,
      'no repository: add ?repo=OWNER/NAME, or set STEWARD_INCIDENT_REPO',
      'no_repository',
    );
  }
  const repo = parseRepoFullName(given[0]!);
  if (repo === null)
    throw new RouteError(
      400,
      `?repo= is not a repository as owner/name: ${JSON.stringify(given[0]!.slice(0, 200))}`,
      'invalid_repository',
    );
  return repo;
}

/** Why a body held no chaos object: the first few errors, else what was skipped. */
function whyNothingRead(read: ChaosRead): string {
  if (read.errors.length > 0)
    return read.errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
  if (read.skipped.length > 0)
    return read.skipped
      .slice(0, 3)
      .map((s) => `${s.kind ?? 'an object'}: ${s.reason}`)
      .join('; ');
  return 'the body holds no Kubernetes object (a LitmusChaos ChaosResult or ChaosEngine, or a Chaos Mesh experiment)';
}
