import type { components } from '@octokit/openapi-types';
import { errorBody, paginate, RouteFailure } from './http.ts';
import { isFullSha } from './ids.ts';
import { HTML, commitJson, diffEntryJson, repoApi } from './rest-shapes.ts';
import { ok, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';
import type { ComparisonRecord, RepoRecord } from './state.ts';

type Schemas = components['schemas'];

/** GitHub lists at most 300 files of a comparison, and only on its first page. */
const MAX_FILES = 300;
/** Without paging parameters GitHub lists the comparison's last 250 commits. */
const MAX_UNPAGED_COMMITS = 250;
const COMPARE_DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits';

export const compareRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/compare/*basehead',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const basehead = ctx.params['basehead'] ?? '';
      const parts = /^(.+?)\.\.\.(.+)$/.exec(basehead);
      if (!parts) throw notFound(`compare takes BASE...HEAD, got ${basehead}`);
      const baseSha = resolve(ctx, repo, parts[1] ?? '');
      const headSha = resolve(ctx, repo, parts[2] ?? '');
      const comparison =
        repo.comparisons.get(`${baseSha}...${headSha}`) ??
        (baseSha === headSha ? identical(baseSha) : undefined);
      if (!comparison) {
        throw notFound(
          `no comparison seeded for ${baseSha}...${headSha} in ${repo.owner}/${repo.repo} (fake.setComparison)`,
        );
      }
      return comparisonAnswer(ctx, repo, basehead, comparison);
    },
  },
];

/** GitHub's 404 for compare, with `unexpected` when the test did not set the fake up for it. */
function notFound(unexpected?: string): RouteFailure {
  return new RouteFailure({
    status: 404,
    body: errorBody(404, 'Not Found', COMPARE_DOCS),
    unexpected,
  });
}

/**
 * A SHA the fake never saw is GitHub's ordinary 404 (a commit force-pushed away), which clients
 * must handle; a branch or short SHA it cannot resolve is a mistake in the test.
 */
function resolve(ctx: RouteContext, repo: RepoRecord, ref: string): string {
  const sha = ctx.state.resolveRef(repo, ref);
  if (sha !== undefined) return sha;
  throw notFound(isFullSha(ref) ? undefined : `unknown ref ${ref} in ${repo.owner}/${repo.repo}`);
}

/** A commit compared with itself, which GitHub answers without being told. */
function identical(sha: string): ComparisonRecord {
  return {
    baseSha: sha,
    headSha: sha,
    status: 'identical',
    aheadBy: 0,
    behindBy: 0,
    mergeBaseSha: sha,
    files: [],
    commitShas: [],
  };
}

function comparisonAnswer(
  ctx: RouteContext,
  repo: RepoRecord,
  basehead: string,
  comparison: ComparisonRecord,
) {
  const commit = (sha: string) => {
    const found = repo.commits.get(sha);
    if (!found) throw new Error(`GitHub fake: comparison names unknown commit ${sha}`);
    return commitJson(repo, found, ctx.api);
  };
  const commits = comparison.commitShas.map(commit);
  const params = ctx.url.searchParams;
  const paged = params.has('per_page') || params.has('page');
  // Paging walks the commits; the files come whole (at most 300) on the first page only.
  const page = paged
    ? paginate(commits, ctx)
    : { items: commits.slice(-MAX_UNPAGED_COMMITS), headers: {} };
  const firstPage = !paged || Number(params.get('page') ?? '1') <= 1;
  const files = firstPage
    ? comparison.files
        .slice(0, MAX_FILES)
        .map((f) => diffEntryJson(repo, f, comparison.headSha, ctx.api))
    : [];
  const html = `${HTML}/${repo.owner}/${repo.repo}/compare/${basehead}`;
  const body: Schemas['commit-comparison'] = {
    url: `${repoApi(repo, ctx.api)}/compare/${basehead}`,
    html_url: html,
    permalink_url: `${HTML}/${repo.owner}/${repo.repo}/compare/${repo.owner}:${comparison.baseSha}...${repo.owner}:${comparison.headSha}`,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: commit(comparison.baseSha),
    merge_base_commit: commit(comparison.mergeBaseSha),
    status: comparison.status,
    ahead_by: comparison.aheadBy,
    behind_by: comparison.behindBy,
    total_commits: comparison.aheadBy,
    commits: page.items,
    files,
  };
  return ok(body, page.headers);
}
