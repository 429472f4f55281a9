import type { IncomingMessage, ServerResponse } from 'node:http';
import { executeGraphQL } from './graphql.ts';
import type { FieldFault } from './graphql-support.ts';
import { RouteFailure, errorBody } from './http.ts';
import type { FakeResponse } from './http.ts';
import { requestId } from './ids.ts';
import { actionRoutes } from './rest-actions.ts';
import { compareRoutes } from './rest-compare.ts';
import { gitRoutes } from './rest-git.ts';
import { historyRoutes } from './rest-history.ts';
import { issueRoutes } from './rest-issues.ts';
import { pullRoutes } from './rest-pulls.ts';
import { repoRoutes } from './rest-repos.ts';
import { reviewRoutes } from './rest-reviews.ts';
import { compileRoutes, matchRoute } from './router.ts';
import type { RouteContext } from './router.ts';
import type { GitHubState } from './state.ts';
import type {
  Actor,
  AnswerDrift,
  GraphQLCall,
  IncomingRequest,
  Outage,
  PermissionDenial,
  RecordedRequest,
  UnexpectedRequest,
  WriteFault,
} from './types.ts';

const ROUTES = compileRoutes([
  ...reviewRoutes,
  ...pullRoutes,
  ...issueRoutes,
  ...compareRoutes,
  ...repoRoutes,
  ...actionRoutes,
  ...gitRoutes,
  ...historyRoutes,
]);
const RATE_LIMIT = 5000;

export interface ServerDeps {
  state: GitHubState;
  token: string;
  actor: Actor;
  installationId: number;
  moreInstallationIds: readonly number[];
  /** Origin the fake listens on, e.g. http://127.0.0.1:1234. */
  origin(): string;
  hooks: ((req: IncomingRequest) => void | Promise<void>)[];
  denials: PermissionDenial[];
  faults: WriteFault[];
  /** Requests answered with a server error, as an outage would (every retry too). */
  outages: Outage[];
  fieldFaults: FieldFault[];
  drifts: AnswerDrift[];
  requests: RecordedRequest[];
  unexpected: UnexpectedRequest[];
}

interface Answer extends FakeResponse {
  graphql?: GraphQLCall;
  /** Several reasons can come from one GraphQL request. */
  unexpectedAll?: string[];
}

/** The request listener: auth, hooks, permission denials, routing, headers and the request log. */
export function createRequestListener(deps: ServerDeps) {
  const used = { core: 0, graphql: 0 };
  const reset = String(Math.floor(Date.now() / 1000) + 3600);

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', deps.origin());
    const enterprise = url.pathname.startsWith('/api/');
    const path =
      url.pathname === '/api/graphql' ? '/graphql' : url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const headers = flatHeaders(req);
    const raw = await readBody(req);
    const body = parseJson(raw);
    let answer: Answer;
    try {
      answer =
        body === INVALID_JSON
          ? {
              status: 400,
              body: errorBody(400, 'Problems parsing JSON'),
              unexpected: `${method} ${path}: body is not JSON`,
            }
          : await respond({ method, path, url, headers, body, enterprise });
    } catch (error: unknown) {
      answer = failure(error, method, path);
    }

    const drift = deps.drifts.find(
      (d) => d.method.toUpperCase() === method && d.pathPattern.test(path),
    );
    if (drift && answer.status < 400 && answer.text === undefined && answer.body !== undefined)
      answer = { ...answer, body: drift.reshape(structuredClone(answer.body)) };

    const fault = deps.faults.find(
      (f) => (f.times ?? 1) > 0 && f.method.toUpperCase() === method && f.pathPattern.test(path),
    );
    if (fault && answer.status < 400) {
      fault.times = (fault.times ?? 1) - 1;
      const status = fault.status ?? 500;
      answer = { status, body: errorBody(status, 'Server Error') };
    }

    const resource = path === '/graphql' ? 'graphql' : 'core';
    used[resource] += 1;
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - used[resource])),
      'x-ratelimit-reset': reset,
      'x-ratelimit-used': String(used[resource]),
      'x-ratelimit-resource': resource,
      'x-github-request-id': requestId(),
      ...answer.headers,
    });
    res.end(answer.text ?? (answer.status === 204 ? '' : JSON.stringify(answer.body ?? null)));

    const query = Object.fromEntries(url.searchParams);
    deps.requests.push({
      method,
      path,
      query,
      headers,
      body: body === INVALID_JSON ? raw : body,
      status: answer.status,
      graphql: answer.graphql,
    });
    const reasons = [
      ...(answer.unexpectedAll ?? []),
      ...(answer.unexpected ? [answer.unexpected] : []),
    ];
    for (const reason of reasons) {
      const graphql = answer.graphql && {
        operationName: answer.graphql.operationName,
        variables: answer.graphql.variables,
      };
      deps.unexpected.push({ method, path, reason, ...(graphql ? { graphql } : {}) });
    }
  };

  async function respond(request: {
    method: string;
    path: string;
    url: URL;
    headers: Record<string, string>;
    body: unknown;
    enterprise: boolean;
  }): Promise<Answer> {
    const { method, path, body } = request;
    const isGraphQL = path === '/graphql' && method === 'POST';
    const matched = isGraphQL ? undefined : matchRoute(ROUTES, method, path);
    const authProblem = checkAuth(request.headers['authorization'], matched?.route.auth === 'app');
    if (authProblem) return authProblem;

    for (const hook of deps.hooks) await hook({ method, path, body });

    const denial = deps.denials.find(
      (d) => 'pathPattern' in d && d.method.toUpperCase() === method && d.pathPattern.test(path),
    );
    if (denial) {
      return {
        status: 403,
        body: errorBody(403, 'Resource not accessible by integration'),
        headers: { 'x-accepted-github-permissions': denial.permission },
      };
    }

    const outage = deps.outages.find(
      (o) => o.method.toUpperCase() === method && o.pathPattern.test(path),
    );
    if (outage) {
      return { status: outage.status, body: errorBody(outage.status, 'Server Error') };
    }

    if (isGraphQL) {
      const outcome = await executeGraphQL(body, {
        state: deps.state,
        actor: deps.actor,
        deniedPermission: (mutation) =>
          deps.denials.find((d) => 'mutation' in d && d.mutation === mutation)?.permission,
        fieldFault: (coordinate) => deps.fieldFaults.find((f) => f.coordinate === coordinate),
      });
      return {
        status: 200,
        body: outcome.body,
        graphql: outcome.call,
        unexpectedAll: outcome.unexpected,
      };
    }
    if (!matched) {
      return {
        status: 404,
        body: errorBody(404, 'Not Found'),
        unexpected: `the GitHub fake has no route for ${method} ${path}`,
      };
    }
    const api = request.enterprise ? `${deps.origin()}/api/v3` : deps.origin();
    const ctx: RouteContext = {
      state: deps.state,
      method,
      path,
      url: request.url,
      api,
      params: matched.params,
      headers: request.headers,
      body,
      actor: deps.actor,
      token: deps.token,
      installationId: deps.installationId,
      moreInstallationIds: deps.moreInstallationIds,
    };
    return await matched.route.handle(ctx);
  }

  function checkAuth(header: string | undefined, appRoute: boolean): Answer | undefined {
    const credential = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (appRoute) {
      if (credential && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential)) return undefined;
      return {
        status: 401,
        body: errorBody(401, 'A JSON web token could not be decoded'),
        unexpected: 'App route called without an App JWT (Authorization: Bearer <jwt>)',
      };
    }
    if (credential === deps.token) return undefined;
    return {
      status: 401,
      body: errorBody(401, 'Bad credentials'),
      unexpected: header
        ? 'bad credentials: token does not match the fake'
        : 'no Authorization header',
    };
  }
}

function failure(error: unknown, method: string, path: string): Answer {
  if (error instanceof RouteFailure) return error.response;
  // A bug in the fake itself: surface it through the test, not as a plausible GitHub answer.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    status: 500,
    body: errorBody(500, 'GitHub fake crashed'),
    unexpected: `the GitHub fake crashed on ${method} ${path}: ${message}`,
  };
}

const INVALID_JSON = Symbol('invalid JSON');

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return INVALID_JSON;
    throw error;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
