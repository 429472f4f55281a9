import { fail, notFound } from './http.ts';
import type { FakeResponse } from './http.ts';
import type { GitHubState, PullRecord, RepoRecord } from './state.ts';
import type { Actor } from './types.ts';

export interface RouteContext {
  state: GitHubState;
  method: string;
  /** Path without the GitHub Enterprise `/api/v3` prefix. */
  path: string;
  /** Public URL as the client sent it, for `link` headers. */
  url: URL;
  /** API base as the client sees it (with `/api/v3` when it used that). */
  api: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** Who writes comments, labels and merges: the token's bot. */
  actor: Actor;
  token: string;
  installationId: number;
  /** Other installations whose tokens the fake mints. */
  moreInstallationIds: readonly number[];
}

export interface Route {
  method: string;
  /** `/repos/:owner/:repo/contents/*path`: `:name` is one segment, `*name` the rest. */
  pattern: string;
  /** `app` routes take the App's JWT instead of an installation token. */
  auth?: 'app';
  handle(ctx: RouteContext): FakeResponse | Promise<FakeResponse>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export function compileRoutes(routes: readonly Route[]): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/[:*](\w+)/g, (token, name: string) => {
      names.push(name);
      return token.startsWith('*') ? '(.+)' : '([^/]+)';
    });
    return { ...route, regex: new RegExp(`^${source}/?$`), names };
  });
}

export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.regex.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1] ?? '');
    });
    return { route, params };
  }
  return undefined;
}

export function repoOf(ctx: RouteContext): RepoRecord {
  const owner = ctx.params['owner'] ?? '';
  const name = ctx.params['repo'] ?? '';
  const repo = ctx.state.repo(owner, name);
  if (!repo) throw notFound(`unknown repository ${owner}/${name} (seed it with fake.addRepo)`);
  return repo;
}

export function pullOf(ctx: RouteContext, repo: RepoRecord, param = 'number'): PullRecord {
  const number = Number(ctx.params[param]);
  const pr = repo.pulls.get(number);
  if (!pr) {
    throw notFound(
      `no pull request or issue #${ctx.params[param]} in ${repo.owner}/${repo.repo} (seed it with fake.addPullRequest)`,
    );
  }
  return pr;
}

/** The JSON body as an object, answering 400 like GitHub when it is something else. */
export function bodyObject(ctx: RouteContext): Record<string, unknown> {
  const body = ctx.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw fail(
      400,
      'Problems parsing JSON',
      `${ctx.method} ${ctx.path}: body is not a JSON object`,
    );
  }
  return body as Record<string, unknown>;
}

export function optionalString(
  ctx: RouteContext,
  body: Record<string, unknown>,
  key: string,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw fail(
      422,
      `Invalid request.\n\nFor '${key}', ${JSON.stringify(value)} is not a string.`,
      `${ctx.method} ${ctx.path}: ${key} must be a string`,
    );
  }
  return value;
}

export function ok(body: unknown, headers?: Record<string, string>): FakeResponse {
  return { status: 200, body, headers };
}
