import { requiredContexts, requiredProblems } from './checks.ts';
import { fail, paginate } from './http.ts';
import type { FakeResponse } from './http.ts';
import { isoNow, randomSha } from './ids.ts';
import { commitJson, diffEntryJson, pullJson, pullSimpleJson } from './rest-shapes.ts';
import { bodyObject, ok, optionalString, pullOf, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';
import { headSha } from './state.ts';
import type { MergeMethod } from './types.ts';

/** GitHub stops listing a pull request's commits and files at these counts. */
const MAX_COMMITS = 250;
const MAX_FILES = 3000;

const BLOCKING_STATES = new Set(['BLOCKED', 'DIRTY', 'DRAFT', 'UNKNOWN']);

export const pullRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/:number',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      return ok(pullJson(repo, pullOf(ctx, repo), ctx.api));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/:number/commits',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const commits = pr.commitShas.slice(0, MAX_COMMITS).flatMap((sha) => {
        const commit = repo.commits.get(sha);
        return commit ? [commitJson(repo, commit, ctx.api)] : [];
      });
      const page = paginate(commits, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/:number/files',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const head = headSha(pr);
      const files = pr.files.slice(0, MAX_FILES).map((f) => diffEntryJson(repo, f, head, ctx.api));
      const page = paginate(files, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/commits/:sha/pulls',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const sha = ctx.params['sha'] ?? '';
      if (!repo.commits.has(sha)) {
        throw fail(
          422,
          `No commit found for SHA: ${sha}`,
          `unknown commit ${sha} in ${repo.owner}/${repo.repo}`,
        );
      }
      // GitHub lists every pull request containing the commit, not only those it heads.
      const pulls = [...repo.pulls.values()]
        .filter((pr) => pr.commitShas.includes(sha) || pr.mergeCommitSha === sha)
        .sort((a, b) => b.number - a.number)
        .map((pr) => pullSimpleJson(repo, pr, ctx.api));
      const page = paginate(pulls, ctx);
      return ok(page.items, page.headers);
    },
  },
  { method: 'PUT', pattern: '/repos/:owner/:repo/pulls/:number/merge', handle: merge },
];

const NOT_MERGEABLE = 'Pull Request is not mergeable';

function merge(ctx: RouteContext): FakeResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const body = bodyObject(ctx);
  const sha = optionalString(ctx, body, 'sha');
  const method = (optionalString(ctx, body, 'merge_method') ?? 'merge') as MergeMethod;
  if (!['merge', 'squash', 'rebase'].includes(method)) {
    throw fail(
      422,
      `Invalid request.\n\n${JSON.stringify(method)} is not a member of ["merge", "squash", "rebase"].`,
      `merge_method ${method} is not merge, squash or rebase`,
    );
  }
  const title = optionalString(ctx, body, 'commit_title');
  const message = optionalString(ctx, body, 'commit_message');
  const head = headSha(pr);
  if (pr.state !== 'OPEN') throw fail(405, NOT_MERGEABLE);
  if (sha !== undefined && sha !== head) {
    throw fail(409, 'Head branch was modified. Review and try the merge again.');
  }
  if (pr.isDraft || pr.mergeable !== 'MERGEABLE') throw fail(405, NOT_MERGEABLE);
  if (pr.explicitMergeStateStatus && BLOCKING_STATES.has(pr.explicitMergeStateStatus)) {
    throw fail(405, NOT_MERGEABLE);
  }
  const problems = requiredProblems(repo, pr);
  if (problems.length === 1) throw fail(405, problems[0] ?? NOT_MERGEABLE);
  if (problems.length > 1) {
    const total = requiredContexts(repo, pr.baseRefName).length;
    throw fail(405, `${problems.length} of ${total} required status checks are expected.`);
  }

  const mergeCommitSha = randomSha();
  const defaultTitle =
    method === 'merge'
      ? `Merge pull request #${pr.number} from ${repo.owner}/${pr.headRefName}`
      : `${pr.title} (#${pr.number})`;
  ctx.state.ensureCommit(repo, {
    sha: mergeCommitSha,
    message: message ? `${title ?? defaultTitle}\n\n${message}` : (title ?? defaultTitle),
    author: ctx.actor,
    committer: { login: 'web-flow', type: 'User' },
    verification: { verified: true, reason: 'valid' },
  });
  const now = isoNow();
  Object.assign(pr, {
    state: 'MERGED',
    mergedAt: now,
    closedAt: now,
    updatedAt: now,
    mergeCommitSha,
    mergedBy: ctx.actor,
    autoMerge: null,
  });
  repo.branches.set(pr.baseRefName, mergeCommitSha);
  ctx.state.merges.push({
    owner: repo.owner,
    repo: repo.repo,
    number: pr.number,
    sha: sha ?? null,
    headSha: head,
    mergeCommitSha,
    merge_method: method,
    commit_title: title ?? null,
    commit_message: message ?? null,
  });
  return ok({ sha: mergeCommitSha, merged: true, message: 'Pull Request successfully merged' });
}
