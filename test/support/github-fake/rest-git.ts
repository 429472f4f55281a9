import type { components } from '@octokit/openapi-types';
import { fail, notFound, paginate } from './http.ts';
import { isFullSha, stableId, nodeId, isoNow } from './ids.ts';
import { commitJson, pullJson, pullSimpleJson, repoApi } from './rest-shapes.ts';
import { bodyObject, ok, optionalString, pullOf, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';
import type { PullRecord, RepoRecord } from './state.ts';

/**
 * Branches, commits and opening pull requests: git refs (read, create, force-update), a commit by
 * ref, listing open pull requests by head, and opening and editing one, with GitHub's 422s.
 */

type Schemas = components['schemas'];

export const gitRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/git/ref/*ref',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const branch = branchOf(ctx.params['ref'] ?? '');
      const sha = branch === undefined ? undefined : repo.branches.get(branch);
      // A missing branch is an answer clients must handle (is it there yet?), not a test mistake.
      if (branch === undefined || sha === undefined) throw notFound();
      return ok(refJson(repo, branch, sha, ctx.api));
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/git/refs',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const body = bodyObject(ctx);
      const ref = requiredString(ctx, body, 'ref');
      const sha = requiredString(ctx, body, 'sha');
      if (!/^refs\/[^/]+\/.+/.test(ref)) {
        throw fail(422, 'Reference name must start with refs/ and have at least two slashes.');
      }
      const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
      if (branch === undefined) {
        throw fail(422, `${ref} is not a branch`, `the fake creates only branches, not ${ref}`);
      }
      if (repo.branches.has(branch)) throw fail(422, 'Reference already exists');
      if (!isFullSha(sha) || !repo.commits.has(sha)) throw fail(422, 'Object does not exist');
      ctx.state.moveBranch(repo, branch, sha, false);
      return { status: 201, body: refJson(repo, branch, sha, ctx.api) };
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/git/refs/*ref',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const branch = branchOf(ctx.params['ref'] ?? '');
      const body = bodyObject(ctx);
      const sha = requiredString(ctx, body, 'sha');
      if (branch === undefined || !repo.branches.has(branch))
        throw fail(422, 'Reference does not exist');
      if (!isFullSha(sha) || !repo.commits.has(sha)) throw fail(422, 'Object does not exist');
      // The fake keeps no commit graph: an update is a fast-forward only when it says `force`.
      if (
        body['force'] !== true &&
        !repo.commits.get(sha)?.parents.includes(repo.branches.get(branch) ?? '')
      ) {
        throw fail(422, 'Update is not a fast forward');
      }
      ctx.state.moveBranch(repo, branch, sha, body['force'] === true);
      return ok(refJson(repo, branch, sha, ctx.api));
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/git/refs/*ref',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const branch = branchOf(ctx.params['ref'] ?? '');
      if (branch === undefined || !repo.branches.has(branch))
        throw fail(422, 'Reference does not exist');
      repo.branches.delete(branch);
      // GitHub closes the open pull requests whose head branch went away.
      for (const pr of repo.pulls.values()) {
        if (pr.state !== 'OPEN' || pr.isCrossRepository || pr.headRefName !== branch) continue;
        const now = isoNow();
        Object.assign(pr, { state: 'CLOSED', closedAt: now, updatedAt: now });
      }
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/commits/:ref',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const ref = ctx.params['ref'] ?? '';
      const sha = ctx.state.resolveRef(repo, ref);
      const commit = sha === undefined ? undefined : repo.commits.get(sha);
      if (!commit) {
        throw fail(
          422,
          `No commit found for SHA: ${ref}`,
          `unknown commit ${ref} in ${repo.owner}/${repo.repo}`,
        );
      }
      return ok(commitJson(repo, commit, ctx.api));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const params = ctx.url.searchParams;
      const state = params.get('state') ?? 'open';
      const head = params.get('head');
      const base = params.get('base');
      const sort = params.get('sort') ?? 'created';
      // GitHub's default direction: desc for `created`, asc for the other sorts.
      const direction = params.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
      if (
        !['open', 'closed', 'all'].includes(state) ||
        !['created', 'updated', 'popularity', 'long-running'].includes(sort) ||
        !['asc', 'desc'].includes(direction)
      ) {
        throw fail(
          422,
          'Validation Failed',
          `${ctx.method} ${ctx.path}: state ${state}, sort ${sort}, direction ${direction} is not what GitHub takes`,
        );
      }
      const key = (pr: PullRecord) =>
        sort === 'updated' ? Date.parse(pr.updatedAt) : Date.parse(pr.createdAt);
      const sign = direction === 'asc' ? 1 : -1;
      const pulls = [...repo.pulls.values()]
        .filter((pr) => state === 'all' || (state === 'open') === (pr.state === 'OPEN'))
        .filter((pr) => head === null || headLabel(repo, pr) === head.toLowerCase())
        .filter((pr) => base === null || pr.baseRefName === base)
        .sort((a, b) => sign * (key(a) - key(b) || a.number - b.number))
        .map((pr) => pullSimpleJson(repo, pr, ctx.api));
      const page = paginate(pulls, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/pulls',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const body = bodyObject(ctx);
      const head = requiredString(ctx, body, 'head');
      const base = requiredString(ctx, body, 'base');
      const title = requiredString(ctx, body, 'title');
      const text = optionalString(ctx, body, 'body') ?? '';
      const headBranch = head.includes(':') ? head.slice(head.indexOf(':') + 1) : head;
      if (
        head.includes(':') &&
        head.slice(0, head.indexOf(':')).toLowerCase() !== repo.owner.toLowerCase()
      ) {
        throw fail(
          422,
          'Validation Failed',
          `the fake opens pull requests only from branches of ${repo.owner}/${repo.repo}`,
        );
      }
      const headSha = repo.branches.get(headBranch);
      if (headSha === undefined) throw validationFailed('field', 'head', 'invalid');
      if (!repo.branches.has(base)) throw validationFailed('field', 'base', 'invalid');
      const open = [...repo.pulls.values()].find(
        (pr) =>
          pr.state === 'OPEN' &&
          !pr.isCrossRepository &&
          pr.headRefName === headBranch &&
          pr.baseRefName === base,
      );
      if (open)
        throw validationFailed(
          'custom',
          undefined,
          undefined,
          `A pull request already exists for ${repo.owner}:${headBranch}.`,
        );
      if (headSha === repo.branches.get(base)) {
        throw validationFailed(
          'custom',
          undefined,
          undefined,
          `No commits between ${base} and ${headBranch}`,
        );
      }
      const number = ctx.state.nextIssueNumber(repo);
      const now = isoNow();
      const pr: PullRecord = {
        owner: repo.owner,
        repo: repo.repo,
        number,
        id: stableId(`pull:${repo.owner}/${repo.repo}#${number}`),
        nodeId: nodeId('PR', `${repo.id}:${number}`),
        title,
        body: text,
        state: 'OPEN',
        isDraft: body['draft'] === true,
        author: ctx.actor,
        headRefName: headBranch,
        baseRefName: base,
        isCrossRepository: false,
        mergeable: 'MERGEABLE',
        explicitMergeStateStatus: undefined,
        labels: [],
        commitShas: [headSha],
        files: [],
        autoMerge: null,
        mergeCommitSha: null,
        mergedBy: null,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        mergedAt: null,
      };
      repo.pulls.set(number, pr);
      return { status: 201, body: pullJson(repo, pr, ctx.api) };
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/pulls/:number',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const body = bodyObject(ctx);
      const title = optionalString(ctx, body, 'title');
      const text = optionalString(ctx, body, 'body');
      const state = optionalString(ctx, body, 'state');
      if (state !== undefined && state !== 'open' && state !== 'closed') {
        throw fail(
          422,
          `Invalid request.\n\n${JSON.stringify(state)} is not a member of ["open", "closed"].`,
          `state ${state} is not open or closed`,
        );
      }
      if (state === 'open' && pr.state === 'CLOSED' && !repo.branches.has(pr.headRefName)) {
        throw fail(422, 'Validation Failed', `the head branch ${pr.headRefName} is gone`);
      }
      if (title !== undefined) pr.title = title;
      if (text !== undefined) pr.body = text;
      pr.updatedAt = isoNow();
      if (state === 'closed' && pr.state === 'OPEN') {
        Object.assign(pr, { state: 'CLOSED', closedAt: pr.updatedAt, autoMerge: null });
      } else if (state === 'open' && pr.state === 'CLOSED') {
        Object.assign(pr, { state: 'OPEN', closedAt: null });
      }
      return ok(pullJson(repo, pr, ctx.api));
    },
  },
];

/** `heads/x/y` or `refs/heads/x/y` as the branch `x/y`; anything else (a tag) is not one. */
function branchOf(ref: string): string | undefined {
  return /^(?:refs\/)?heads\/(.+)$/.exec(ref)?.[1];
}

function headLabel(repo: RepoRecord, pr: PullRecord): string {
  // A fork's head is labelled with the fork's owner; the fake names it `fork:<branch>`.
  return `${pr.isCrossRepository ? 'fork' : repo.owner}:${pr.headRefName}`.toLowerCase();
}

function refJson(repo: RepoRecord, branch: string, sha: string, api: string): Schemas['git-ref'] {
  const base = repoApi(repo, api);
  return {
    ref: `refs/heads/${branch}`,
    node_id: nodeId('REF', `${repo.id}:refs/heads/${branch}`),
    url: `${base}/git/refs/heads/${branch}`,
    object: { type: 'commit', sha, url: `${base}/git/commits/${sha}` },
  };
}

function requiredString(ctx: RouteContext, body: Record<string, unknown>, key: string): string {
  const value = optionalString(ctx, body, key);
  if (value === undefined || value === '') {
    throw fail(
      422,
      `Invalid request.\n\n"${key}" wasn't supplied.`,
      `${ctx.method} ${ctx.path}: ${key} is required`,
    );
  }
  return value;
}

/** GitHub's 422 "Validation Failed" with one `errors[]` entry. */
function validationFailed(
  code: 'custom' | 'field' | 'invalid' | 'missing',
  field?: string,
  fieldCode?: string,
  message?: string,
) {
  const failure = fail(422, 'Validation Failed');
  const error: Record<string, string> = { resource: 'PullRequest', code: fieldCode ?? code };
  if (field !== undefined) error['field'] = field;
  if (message !== undefined) error['message'] = message;
  (failure.response.body as Record<string, unknown>)['errors'] = [error];
  return failure;
}
