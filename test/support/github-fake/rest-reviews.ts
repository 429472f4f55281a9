import type { components } from '@octokit/openapi-types';
import { errorBody, fail, notFound, paginate } from './http.ts';
import type { FakeResponse } from './http.ts';
import { isoNow, nodeId } from './ids.ts';
import { REACTIONS } from './rest-actions.ts';
import { HTML, repoApi, simpleUser } from './rest-shapes.ts';
import { bodyObject, ok, optionalString, pullOf, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';
import { headSha } from './state.ts';
import type {
  PullRecord,
  ReactionRecord,
  RepoRecord,
  ReviewCommentRecord,
  ReviewRecord,
} from './state.ts';
import type { Actor } from './types.ts';

type Schemas = components['schemas'];
type Side = 'LEFT' | 'RIGHT';

/** What GitHub answers when any comment of a review is off the diff: the whole batch fails. */
export const OFF_DIFF_ERROR = 'Pull request review thread line must be part of the diff';

const EVENT_STATES = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
} as const;

/** Pull request reviews and their inline comments. */
export const reviewRoutes: Route[] = [
  {
    // Before `/pulls/:number`, which would take `comments` for a number.
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/comments',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const sort = ctx.url.searchParams.get('sort');
      const direction = ctx.url.searchParams.get('direction');
      if (sort !== null && !['created', 'updated', 'created_at'].includes(sort))
        throw fail(422, 'Validation Failed', `sort ${sort} is not created, updated or created_at`);
      if (direction !== null && direction !== 'asc' && direction !== 'desc')
        throw fail(422, 'Validation Failed', `direction ${direction} is not asc or desc`);
      // GitHub: ascending by id unless `sort` is given; `direction` is ignored without it.
      const key = (c: ReviewCommentRecord) => (sort === 'updated' ? c.updatedAt : c.createdAt);
      const sign = sort !== null && direction !== 'asc' ? -1 : 1;
      const comments = [...repo.reviewComments]
        .sort((a, b) =>
          sort === null ? a.id - b.id : sign * (key(a).localeCompare(key(b)) || a.id - b.id),
        )
        .map((c) => reviewCommentJson(repo, c, ctx.api));
      const page = paginate(comments, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/comments/:id',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      return ok(reviewCommentJson(repo, reviewCommentOf(ctx, repo), ctx.api));
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/pulls/comments/:id',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const comment = reviewCommentOf(ctx, repo);
      const body = bodyObject(ctx)['body'];
      if (typeof body !== 'string') {
        throw fail(
          422,
          'Invalid request.\n\n"body" wasn\'t supplied.',
          `${ctx.method} ${ctx.path}: body must be a string`,
        );
      }
      if (body.length > 65536) {
        throw fail(422, 'Validation Failed', `${ctx.method} ${ctx.path}: body too long`);
      }
      comment.body = body;
      comment.updatedAt = isoNow();
      return ok(reviewCommentJson(repo, comment, ctx.api));
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/comments/:id/reactions',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const id = Number(ctx.params['id']);
      // A comment deleted since it was listed: a legitimate answer clients must handle.
      if (!repo.reviewComments.some((c) => c.id === id))
        return { status: 404, body: errorBody(404, 'Not Found') };
      const comment = reviewCommentOf(ctx, repo);
      const content = ctx.url.searchParams.get('content');
      if (content !== null && !REACTIONS.includes(content))
        throw fail(422, 'Validation Failed', `content ${content} is not a reaction`);
      const reactions = reviewCommentReactions(repo, comment.id)
        .filter((r) => content === null || r.content === content)
        .map((r) => reactionJson(r, ctx.api));
      const page = paginate(reactions, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/pulls/comments/:id/reactions',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const comment = reviewCommentOf(ctx, repo);
      const content = bodyObject(ctx)['content'];
      if (typeof content !== 'string' || !REACTIONS.includes(content)) {
        throw fail(
          422,
          'Validation Failed',
          `${ctx.method} ${ctx.path}: content ${JSON.stringify(content)} is not a reaction`,
        );
      }
      const existing = reviewCommentReactions(repo, comment.id).find(
        (r) => r.content === content && r.user.login === ctx.actor.login,
      );
      const reaction =
        existing ?? addReviewCommentReaction(ctx.state, repo, comment.id, content, ctx.actor);
      return { status: existing ? 200 : 201, body: reactionJson(reaction, ctx.api) };
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/:number/comments',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const comments = repo.reviewComments
        .filter((c) => c.pullNumber === pr.number)
        .map((c) => reviewCommentJson(repo, c, ctx.api));
      const page = paginate(comments, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/:number/reviews',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const pr = pullOf(ctx, repo);
      const reviews = repo.reviews
        .filter((r) => r.pullNumber === pr.number)
        .map((r) => reviewJson(repo, r, ctx.api));
      const page = paginate(reviews, ctx);
      return ok(page.items, page.headers);
    },
  },
  { method: 'POST', pattern: '/repos/:owner/:repo/pulls/:number/reviews', handle: createReview },
];

interface CommentInput {
  path: string;
  line: number;
  startLine: number | null;
  side: Side;
  body: string;
}

function createReview(ctx: RouteContext): FakeResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const body = bodyObject(ctx);
  const event = optionalString(ctx, body, 'event');
  if (event !== undefined && !(event in EVENT_STATES)) {
    throw fail(
      422,
      `Invalid request.\n\n${JSON.stringify(event)} is not a member of ["APPROVE", "REQUEST_CHANGES", "COMMENT"].`,
      `review event ${event} is not APPROVE, REQUEST_CHANGES or COMMENT`,
    );
  }
  const text = optionalString(ctx, body, 'body') ?? '';
  if (event !== undefined && event !== 'APPROVE' && text === '') {
    throw fail(
      422,
      'Unprocessable Entity',
      `a ${event} review needs a body (GitHub: "Body is required when using REQUEST_CHANGES or COMMENT")`,
    );
  }
  const commitId = optionalString(ctx, body, 'commit_id') ?? headSha(pr);
  if (!pr.commitShas.includes(commitId)) {
    throw fail(422, 'Unprocessable Entity', `commit_id ${commitId} is not a commit of the PR`);
  }
  const inputs = commentInputs(ctx, body['comments']);
  // GitHub checks every comment before it stores anything, and names none of the offenders.
  const hunks = inputs.map((c) => hunkOf(pr, c));
  if (hunks.some((h) => h === undefined)) {
    return {
      status: 422,
      body: {
        message: 'Unprocessable Entity',
        errors: [OFF_DIFF_ERROR],
        documentation_url:
          'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
        status: '422',
      },
    };
  }

  const now = isoNow();
  const id = ctx.state.newId();
  const review: ReviewRecord = {
    id,
    nodeId: nodeId('PRR', `${repo.id}:${id}`),
    pullNumber: pr.number,
    commitId,
    body: text,
    state: event === undefined ? 'PENDING' : EVENT_STATES[event as keyof typeof EVENT_STATES],
    user: ctx.actor,
    submittedAt: now,
  };
  repo.reviews.push(review);
  inputs.forEach((input, i) => {
    const commentId = ctx.state.newId();
    repo.reviewComments.push({
      ...input,
      id: commentId,
      nodeId: nodeId('PRRC', `${repo.id}:${commentId}`),
      reviewId: id,
      pullNumber: pr.number,
      commitId,
      diffHunk: hunks[i] ?? '',
      user: ctx.actor,
      createdAt: now,
      updatedAt: now,
      threadResolved: false,
      resolvedBy: null,
    });
  });
  return ok(reviewJson(repo, review, ctx.api));
}

function commentInputs(ctx: RouteContext, raw: unknown): CommentInput[] {
  if (raw === undefined) return [];
  const invalid = (why: string) =>
    fail(422, 'Invalid request.', `${ctx.method} ${ctx.path}: review comments ${why}`);
  if (!Array.isArray(raw)) throw invalid('must be an array');
  return raw.map((item: unknown, i) => {
    const c = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (c['position'] !== undefined) throw invalid(`[${i}] uses the closing-down "position"`);
    const { path, line, body } = c;
    const startLine = c['start_line'] ?? null;
    const side = c['side'] ?? 'RIGHT';
    if (typeof path !== 'string' || typeof body !== 'string') {
      throw invalid(`[${i}] needs a string path and body`);
    }
    if (body.length > 65536) {
      throw fail(
        422,
        'Validation Failed',
        `${ctx.method} ${ctx.path}: review comment [${i}] body exceeds 65536 characters`,
      );
    }
    if (!Number.isInteger(line) || (startLine !== null && !Number.isInteger(startLine))) {
      throw invalid(`[${i}] needs an integer line (and start_line)`);
    }
    if (side !== 'LEFT' && side !== 'RIGHT') throw invalid(`[${i}] side must be LEFT or RIGHT`);
    if (c['start_side'] !== undefined && c['start_side'] !== side) {
      throw invalid(`[${i}] start_side differs from side, which the fake does not model`);
    }
    if (startLine !== null && (startLine as number) >= (line as number)) {
      throw fail(
        422,
        'Unprocessable Entity',
        `${ctx.method} ${ctx.path}: comment [${i}] start_line must precede line`,
      );
    }
    return {
      path,
      line: line as number,
      startLine: startLine as number | null,
      side,
      body,
    };
  });
}

function reviewCommentOf(ctx: RouteContext, repo: RepoRecord): ReviewCommentRecord {
  const id = Number(ctx.params['id']);
  const comment = repo.reviewComments.find((c) => c.id === id);
  if (!comment)
    throw notFound(`no review comment ${ctx.params['id']} in ${repo.owner}/${repo.repo}`);
  return comment;
}

export function reviewCommentReactions(repo: RepoRecord, commentId: number): ReactionRecord[] {
  return repo.reactions.filter((r) => r.subject === 'review-comment' && r.commentId === commentId);
}

export function addReviewCommentReaction(
  state: { newId(): number },
  repo: RepoRecord,
  commentId: number,
  content: string,
  user: Actor,
): ReactionRecord {
  const reaction: ReactionRecord = {
    id: state.newId(),
    subject: 'review-comment',
    commentId,
    content,
    user,
    createdAt: isoNow(),
  };
  repo.reactions.push(reaction);
  return reaction;
}

function reactionJson(reaction: ReactionRecord, api: string): Schemas['reaction'] {
  return {
    id: reaction.id,
    node_id: nodeId('REA', String(reaction.id)),
    user: simpleUser(reaction.user, api),
    content: reaction.content as Schemas['reaction']['content'],
    created_at: reaction.createdAt,
  };
}

/** The hunk holding the comment's whole range on its side, or undefined when GitHub would refuse it. */
export function hunkOf(
  pr: PullRecord,
  comment: Pick<CommentInput, 'path' | 'line' | 'startLine' | 'side'>,
): string | undefined {
  const file = pr.files.find((f) => f.path === comment.path);
  if (!file?.patch) return undefined;
  for (const hunk of parseHunks(file.patch)) {
    const lines = comment.side === 'RIGHT' ? hunk.right : hunk.left;
    if (lines.has(comment.line) && (comment.startLine === null || lines.has(comment.startLine)))
      return hunk.text;
  }
  return undefined;
}

interface Hunk {
  text: string;
  left: Set<number>;
  right: Set<number>;
}

/** Commentable lines per hunk: context lines on both sides, `-` on LEFT, `+` on RIGHT. */
export function parseHunks(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let current: (Hunk & { lines: string[] }) | undefined;
  let left = 0;
  let right = 0;
  for (const line of patch.split(/\r?\n/)) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (header) {
      current = { text: '', left: new Set(), right: new Set(), lines: [line] };
      hunks.push(current);
      left = Number(header[1]);
      right = Number(header[2]);
      continue;
    }
    if (!current) continue;
    current.lines.push(line);
    if (line.startsWith('+')) current.right.add(right++);
    else if (line.startsWith('-')) current.left.add(left++);
    else if (line.startsWith(' ')) {
      current.left.add(left++);
      current.right.add(right++);
    }
    // "\ No newline at end of file" belongs to the line before it and numbers nothing.
  }
  for (const hunk of hunks) hunk.text = (hunk as Hunk & { lines: string[] }).lines.join('\n');
  return hunks;
}

export function reviewJson(
  repo: RepoRecord,
  review: ReviewRecord,
  api: string,
): Schemas['pull-request-review'] {
  const html = `${HTML}/${repo.owner}/${repo.repo}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const pullUrl = `${repoApi(repo, api)}/pulls/${review.pullNumber}`;
  return {
    id: review.id,
    node_id: review.nodeId,
    user: simpleUser(review.user, api),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(review.state === 'PENDING' ? {} : { submitted_at: review.submittedAt }),
    commit_id: review.commitId,
    author_association: review.user.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
}

export function reviewCommentJson(
  repo: RepoRecord,
  comment: ReviewCommentRecord,
  api: string,
): Schemas['pull-request-review-comment'] {
  const url = `${repoApi(repo, api)}/pulls/comments/${comment.id}`;
  const html = `${HTML}/${repo.owner}/${repo.repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  const pullUrl = `${repoApi(repo, api)}/pulls/${comment.pullNumber}`;
  return {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: comment.nodeId,
    diff_hunk: comment.diffHunk,
    path: comment.path,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    user: simpleUser(comment.user, api),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startLine === null ? null : comment.side,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: 'line',
    reactions: reactionRollup(repo, comment, url),
  };
}

function reactionRollup(
  repo: RepoRecord,
  comment: ReviewCommentRecord,
  url: string,
): Schemas['reaction-rollup'] {
  const reactions = reviewCommentReactions(repo, comment.id);
  const count = (content: string) => reactions.filter((r) => r.content === content).length;
  return {
    url: `${url}/reactions`,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    confused: count('confused'),
    heart: count('heart'),
    hooray: count('hooray'),
    eyes: count('eyes'),
    rocket: count('rocket'),
  };
}
