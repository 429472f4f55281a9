import { errorBody, fail, notFound, paginate } from './http.ts';
import type { FakeResponse } from './http.ts';
import { isoNow } from './ids.ts';
import { commentJson, issueEventJson, issueJson, labelJson, pullIssueJson } from './rest-shapes.ts';
import { bodyObject, ok, optionalString, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';
import type { IssueRecord, PullRecord, RepoRecord } from './state.ts';
import type { Actor } from './types.ts';

/**
 * Issue routes. Issues and pull requests share one sequence of numbers; the issue routes answer
 * both, a pull request carrying `pull_request`, as GitHub's do. Comments and labels work on both.
 */
export const issueRoutes: Route[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/issues', handle: listIssues },
  { method: 'POST', pattern: '/repos/:owner/:repo/issues', handle: createIssue },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:number',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const number = Number(ctx.params['number']);
      const issue = repo.issues.get(number);
      if (issue) return ok(issueJson(repo, issue, ctx.api));
      const pr = repo.pulls.get(number);
      if (pr) return ok(pullIssueJson(repo, pr, ctx.api));
      // A legitimate answer (a deleted issue, a wrong number) that clients must handle.
      return { status: 404, body: errorBody(404, 'Not Found') };
    },
  },
  { method: 'PATCH', pattern: '/repos/:owner/:repo/issues/:number', handle: updateIssue },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:number/events',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const subject = subjectOf(ctx, repo);
      const events = subject.kind === 'issue' ? subject.issue.events : [];
      const page = paginate(
        events.map((e) => issueEventJson(repo, e, ctx.api)),
        ctx,
      );
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:number/comments',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const number = subjectOf(ctx, repo).number;
      const comments = repo.comments
        .filter((c) => c.issueNumber === number)
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
      const subject = subjectOf(ctx, repo);
      const text = commentBody(ctx);
      const comment = ctx.state.addComment(repo, subject.number, text, ctx.actor);
      if (subject.kind === 'issue') subject.issue.updatedAt = comment.createdAt;
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
      const pr = subjectOf(ctx, repo).record;
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
      const pr = subjectOf(ctx, repo).record;
      for (const name of labelNames(ctx)) {
        repo.labels.add(name);
        if (!pr.labels.includes(name)) pr.labels.push(name);
      }
      return ok(pr.labels.map((name) => labelJson(repo, name, ctx.api)));
    },
  },
  {
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/issues/:number/labels/:name',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = subjectOf(ctx, repo).record;
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

type Subject =
  | { kind: 'issue'; number: number; issue: IssueRecord; record: IssueRecord }
  | { kind: 'pull'; number: number; pr: PullRecord; record: PullRecord };

/** The issue or pull request an `/issues/:number/…` route names. */
function subjectOf(ctx: RouteContext, repo: RepoRecord): Subject {
  const number = Number(ctx.params['number']);
  const issue = repo.issues.get(number);
  if (issue) return { kind: 'issue', number, issue, record: issue };
  const pr = repo.pulls.get(number);
  if (pr) return { kind: 'pull', number, pr, record: pr };
  throw notFound(
    `no issue or pull request #${ctx.params['number']} in ${repo.owner}/${repo.repo} (seed it with fake.addIssue or fake.addPullRequest)`,
  );
}

const ISSUE_STATES = ['open', 'closed', 'all'];
const SORTS = ['created', 'updated', 'comments'];

function listIssues(ctx: RouteContext): FakeResponse {
  const repo = repoOf(ctx);
  const params = ctx.url.searchParams;
  const state = params.get('state') ?? 'open';
  const sort = params.get('sort') ?? 'created';
  const direction = params.get('direction') ?? 'desc';
  if (
    !ISSUE_STATES.includes(state) ||
    !SORTS.includes(sort) ||
    !['asc', 'desc'].includes(direction)
  ) {
    throw fail(
      422,
      'Validation Failed',
      `${ctx.method} ${ctx.path}: state ${state}, sort ${sort}, direction ${direction} is not what GitHub takes`,
    );
  }
  const creator = params.get('creator')?.toLowerCase() ?? null;
  const labels = (params.get('labels') ?? '')
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '');
  const sinceText = params.get('since');
  const since = sinceText === null ? null : Date.parse(sinceText);
  if (since !== null && Number.isNaN(since)) {
    throw fail(
      422,
      'Validation Failed',
      `${ctx.method} ${ctx.path}: since ${sinceText} is not a time`,
    );
  }
  const rows = [
    ...[...repo.issues.values()].map((issue) => ({
      number: issue.number,
      open: issue.state === 'open',
      author: issue.author,
      labels: issue.labels,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
      json: () => issueJson(repo, issue, ctx.api),
    })),
    ...[...repo.pulls.values()].map((pr) => ({
      number: pr.number,
      open: pr.state === 'OPEN',
      author: pr.author,
      labels: pr.labels,
      createdAt: pr.createdAt,
      updatedAt: pr.updatedAt,
      json: () => pullIssueJson(repo, pr, ctx.api),
    })),
  ];
  const comments = (n: number) => repo.comments.filter((c) => c.issueNumber === n).length;
  const key = (row: (typeof rows)[number]) =>
    sort === 'comments'
      ? comments(row.number)
      : Date.parse(sort === 'updated' ? row.updatedAt : row.createdAt);
  const sign = direction === 'asc' ? 1 : -1;
  const listed = rows
    .filter((row) => state === 'all' || (state === 'open') === row.open)
    .filter((row) => creator === null || row.author?.login.toLowerCase() === creator)
    .filter((row) => labels.every((l) => row.labels.some((name) => name.toLowerCase() === l)))
    .filter((row) => since === null || Date.parse(row.updatedAt) >= since)
    .sort((a, b) => sign * (key(a) - key(b) || a.number - b.number))
    .map((row) => row.json());
  const page = paginate(listed, ctx);
  return ok(page.items, page.headers);
}

function createIssue(ctx: RouteContext): FakeResponse {
  const repo = repoOf(ctx);
  const body = bodyObject(ctx);
  const rawTitle = body['title'];
  if ((typeof rawTitle !== 'string' && typeof rawTitle !== 'number') || rawTitle === '') {
    throw fail(
      422,
      'Invalid request.\n\n"title" wasn\'t supplied.',
      `${ctx.method} ${ctx.path}: title missing`,
    );
  }
  const text = optionalString(ctx, body, 'body') ?? '';
  if (text.length > 65536) {
    throw fail(
      422,
      'Validation Failed',
      `${ctx.method} ${ctx.path}: body exceeds 65536 characters`,
    );
  }
  const labels = body['labels'] === undefined ? [] : labelNames(ctx);
  const assignees = body['assignees'] === undefined ? [] : logins(ctx, body['assignees']);
  const now = isoNow();
  const issue = ctx.state.addIssue(repo, {
    title: String(rawTitle),
    body: text,
    author: ctx.actor,
    labels,
    assignees: assignees.map(person),
    createdAt: now,
  });
  for (const name of issue.labels)
    ctx.state.issueEvent(issue, 'labeled', ctx.actor, now, { label: name });
  for (const who of issue.assignees)
    ctx.state.issueEvent(issue, 'assigned', ctx.actor, now, { assignee: who });
  const json = issueJson(repo, issue, ctx.api);
  return { status: 201, body: json, headers: { location: json.url } };
}

const STATE_REASONS = ['completed', 'not_planned', 'reopened', 'duplicate'] as const;

function updateIssue(ctx: RouteContext): FakeResponse {
  const repo = repoOf(ctx);
  const subject = subjectOf(ctx, repo);
  if (subject.kind !== 'issue') {
    throw fail(
      422,
      'Validation Failed',
      `the fake edits pull requests through PATCH /pulls/:number, not the issue route (#${subject.number})`,
    );
  }
  const issue = subject.issue;
  const body = bodyObject(ctx);
  const title = optionalString(ctx, body, 'title');
  const text = optionalString(ctx, body, 'body');
  const state = optionalString(ctx, body, 'state');
  const reason = optionalString(ctx, body, 'state_reason');
  if (state !== undefined && state !== 'open' && state !== 'closed') {
    throw fail(
      422,
      `Invalid request.\n\n${JSON.stringify(state)} is not a member of ["open", "closed"].`,
      `state ${state} is not open or closed`,
    );
  }
  if (reason !== undefined && !(STATE_REASONS as readonly string[]).includes(reason)) {
    throw fail(
      422,
      `Invalid request.\n\n${JSON.stringify(reason)} is not a member of ${JSON.stringify(STATE_REASONS)}.`,
      `state_reason ${reason} is not one GitHub takes`,
    );
  }
  if (text !== undefined && text.length > 65536) {
    throw fail(
      422,
      'Validation Failed',
      `${ctx.method} ${ctx.path}: body exceeds 65536 characters`,
    );
  }
  const now = isoNow();
  if (title !== undefined) issue.title = title;
  if (text !== undefined) issue.body = text;
  if (state === 'closed' && issue.state === 'open') {
    Object.assign(issue, {
      state: 'closed',
      closedAt: now,
      closedBy: ctx.actor,
      stateReason: (reason ?? 'completed') as IssueRecord['stateReason'],
    });
    ctx.state.issueEvent(issue, 'closed', ctx.actor, now);
  } else if (state === 'open' && issue.state === 'closed') {
    Object.assign(issue, {
      state: 'open',
      closedAt: null,
      closedBy: null,
      stateReason: 'reopened',
    });
    ctx.state.issueEvent(issue, 'reopened', ctx.actor, now);
  } else if (reason !== undefined && issue.state === 'closed' && reason !== 'reopened') {
    issue.stateReason = reason as IssueRecord['stateReason'];
  }
  if (body['labels'] !== undefined) {
    const names = labelNames(ctx);
    for (const name of names) {
      repo.labels.add(name);
      if (!issue.labels.includes(name))
        ctx.state.issueEvent(issue, 'labeled', ctx.actor, now, { label: name });
    }
    for (const name of issue.labels) {
      if (!names.includes(name))
        ctx.state.issueEvent(issue, 'unlabeled', ctx.actor, now, { label: name });
    }
    issue.labels = [...new Set(names)];
  }
  if (body['assignees'] !== undefined) {
    const wanted = logins(ctx, body['assignees']);
    const lower = wanted.map((l) => l.toLowerCase());
    for (const login of wanted) {
      if (!issue.assignees.some((a) => a.login.toLowerCase() === login.toLowerCase()))
        ctx.state.issueEvent(issue, 'assigned', ctx.actor, now, { assignee: person(login) });
    }
    for (const a of issue.assignees) {
      if (!lower.includes(a.login.toLowerCase()))
        ctx.state.issueEvent(issue, 'unassigned', ctx.actor, now, { assignee: a });
    }
    issue.assignees = wanted.map(person);
  }
  issue.updatedAt = now;
  return ok(issueJson(repo, issue, ctx.api));
}

function person(login: string): Actor {
  return { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}

function logins(ctx: RouteContext, raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.some((l) => typeof l !== 'string' || l === '')) {
    throw fail(
      422,
      "Invalid request.\n\nFor 'assignees', it is not an array of logins.",
      `${ctx.method} ${ctx.path}: assignees must be an array of logins`,
    );
  }
  return [...new Set(raw as string[])];
}
