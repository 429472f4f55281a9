import { fail, paginate } from './http.ts';
import type { FakeResponse } from './http.ts';
import { commitJson, deploymentJson } from './rest-shapes.ts';
import { ok, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';
import type { CommitRecord, RepoRecord } from './state.ts';

/**
 * What a repository's recent history answers: its deployments (newest first, as GitHub lists them)
 * and the commits of a branch, filtered by path and time. Commits enter a branch's history through
 * fake.addCommit, which names the paths each touched; the fake keeps no commit graph.
 */
export const historyRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/deployments',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const params = ctx.url.searchParams;
      const filters = ['sha', 'ref', 'task', 'environment'] as const;
      const listed = repo.deployments
        .filter((d) =>
          filters.every((name) => {
            const wanted = params.get(name);
            if (wanted === null) return true;
            const value = name === 'task' ? 'deploy' : d[name];
            return value === wanted;
          }),
        )
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id)
        .map((d) => deploymentJson(repo, d, ctx.api));
      const page = paginate(listed, ctx);
      return ok(page.items, page.headers);
    },
  },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits', handle: listCommits },
];

function listCommits(ctx: RouteContext): FakeResponse {
  const repo = repoOf(ctx);
  const params = ctx.url.searchParams;
  const ref = params.get('sha') ?? repo.defaultBranch;
  const history = branchHistory(ctx, repo, ref);
  const path = params.get('path')?.replace(/^\/+|\/+$/g, '') ?? null;
  const since = timeParam(ctx, 'since');
  const until = timeParam(ctx, 'until');
  const listed = history
    .filter((c) => path === null || c.paths.some((p) => p === path || p.startsWith(`${path}/`)))
    .filter((c) => since === null || Date.parse(c.date) >= since)
    .filter((c) => until === null || Date.parse(c.date) <= until)
    .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))
    .map((c) => commitJson(repo, c, ctx.api));
  const page = paginate(listed, ctx);
  return ok(page.items, page.headers);
}

/** The commits on a branch (or reachable from a commit of one: those on its branches up to it). */
function branchHistory(ctx: RouteContext, repo: RepoRecord, ref: string): CommitRecord[] {
  const all = [...repo.commits.values()];
  const branch = ref.replace(/^refs\/heads\//, '');
  if (repo.branches.has(branch)) return all.filter((c) => c.onBranches.includes(branch));
  const sha = ctx.state.resolveRef(repo, ref);
  const tip = sha === undefined ? undefined : repo.commits.get(sha);
  if (!tip) {
    throw fail(
      404,
      `No commit found for SHA: ${ref}`,
      `unknown branch or commit ${ref} in ${repo.owner}/${repo.repo} (seed it with fake.addCommit)`,
    );
  }
  const reachable = all.filter(
    (c) =>
      c.onBranches.some((b) => tip.onBranches.includes(b)) &&
      Date.parse(c.date) <= Date.parse(tip.date),
  );
  return reachable.includes(tip) ? reachable : [tip, ...reachable];
}

function timeParam(ctx: RouteContext, name: string): number | null {
  const text = ctx.url.searchParams.get(name);
  if (text === null) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw fail(
      422,
      'Validation Failed',
      `${ctx.method} ${ctx.path}: ${name} ${text} is not a time`,
    );
  }
  return ms;
}
