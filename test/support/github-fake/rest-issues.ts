import { errorBody, fail, notFound, paginate } from './http.ts';
import { isoNow } from './ids.ts';
import { commentJson, labelJson } from './rest-shapes.ts';
import { bodyObject, ok, pullOf, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';

/** Issue routes; in the fake every issue is a pull request, as Steward only talks about those. */
export const issueRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:number/comments',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const comments = repo.comments
        .filter((c) => c.issueNumber === pr.number)
        .map((c) => commentJson(repo, c, ctx.api));
      const page = paginate(comments, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/:number/comments',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const text = commentBody(ctx);
      const comment = ctx.state.addComment(repo, pr.number, text, ctx.actor);
      const json = commentJson(repo, comment, ctx.api);
      return { status: 201, body: json, headers: { location: json.url } };
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/issues/comments/:id',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const id = Number(ctx.params['id']);
      const comment = repo.comments.find((c) => c.id === id);
      if (!comment) throw notFound(`no comment ${ctx.params['id']} in ${repo.owner}/${repo.repo}`);
      comment.body = commentBody(ctx);
      comment.updatedAt = isoNow();
      return ok(commentJson(repo, comment, ctx.api));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:number/labels',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const page = paginate(
        pr.labels.map((name) => labelJson(repo, name, ctx.api)),
        ctx,
      );
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/:number/labels',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      for (const name of labelNames(ctx)) if (!pr.labels.includes(name)) pr.labels.push(name);
      return ok(pr.labels.map((name) => labelJson(repo, name, ctx.api)));
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/issues/:number/labels/:name',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const name = ctx.params['name'] ?? '';
      const index = pr.labels.indexOf(name);
      // A legitimate answer that clients must handle, so not an unexpected request.
      if (index < 0) {
        return {
          status: 404,
          body: errorBody(
            404,
            'Label does not exist',
            'https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue',
          ),
        };
      }
      pr.labels.splice(index, 1);
      return ok(pr.labels.map((label) => labelJson(repo, label, ctx.api)));
    },
  },
];

function commentBody(ctx: RouteContext): string {
  const body = bodyObject(ctx)['body'];
  if (typeof body !== 'string') {
    throw fail(
      422,
      'Invalid request.\n\n"body" wasn\'t supplied.',
      `${ctx.method} ${ctx.path}: body must be a string`,
    );
  }
  if (body.length > 65536) {
    throw fail(
      422,
      'Validation Failed',
      `${ctx.method} ${ctx.path}: comment body exceeds 65536 characters`,
    );
  }
  return body;
}

/** Octokit sends `{ labels: [...] }`; GitHub also takes a bare array and `{ name }` objects. */
function labelNames(ctx: RouteContext): string[] {
  const raw: unknown = Array.isArray(ctx.body) ? ctx.body : bodyObject(ctx)['labels'];
  if (!Array.isArray(raw)) {
    throw fail(
      422,
      'Invalid request.\n\nNo subschema in "anyOf" matched.',
      `${ctx.method} ${ctx.path}: labels must be an array`,
    );
  }
  return raw.map((item: unknown) => {
    const name =
      typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : item;
    if (typeof name !== 'string' || name === '') {
      throw fail(
        422,
        'Invalid request.',
        `${ctx.method} ${ctx.path}: label ${JSON.stringify(item)} is not a name`,
      );
    }
    return name;
  });
}
