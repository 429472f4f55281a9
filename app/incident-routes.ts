import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { readChaosObjects } from '../src/chaos/read.ts';
import { summariseChaos } from '../src/chaos/summary.ts';
import type { RepoRef } from '../src/github/client.ts';
import { parseAlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import { syncChaosIncidents } from '../src/chaos/sync.ts';
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
import { chaosRepository, repositoryOf, whyNothingRead } from './incident-target.ts';
import { BUSY_RETRY_AFTER_SECONDS, IncidentWork } from './incident-work.ts';
import type { IncidentWorkDeps } from './incident-work.ts';
import type { AppMetrics, IncidentOutcome, IncidentRoute } from './metrics.ts';
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
      const synced = await syncChaosIncidents(repository.client, summary.rows, {
        ...work.syncOptions(repository, state.receivedAt),
        externalURL: `${deps.webUrl}/${repo.owner}/${repo.repo}`,
        sync: work.sync(repository),
      });
      for (const { result } of synced)
        if (result.issue) issues.push({ ...result.issue, action: result.action });
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
    if (state.repository !== null) work.forget(state.repository);
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
