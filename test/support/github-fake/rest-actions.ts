import type { components } from '@octokit/openapi-types';
import { fail, notFound } from './http.ts';
import { isoNow, nodeId } from './ids.ts';
import { simpleUser } from './rest-shapes.ts';
import { bodyObject, repoOf } from './router.ts';
import type { Route, RouteContext } from './router.ts';

type Schemas = components['schemas'];

export const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];
/** GitHub's cap on repository_dispatch `client_payload` top-level properties. */
const MAX_CLIENT_PAYLOAD_KEYS = 10;

/** Reactions to issue comments, workflow dispatches and repository dispatches. */
export const actionRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/comments/:id/reactions',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const commentId = Number(ctx.params['id']);
      if (!repo.comments.some((c) => c.id === commentId)) {
        throw notFound(`no comment ${ctx.params['id']} in ${repo.owner}/${repo.repo}`);
      }
      const content = bodyObject(ctx)['content'];
      if (typeof content !== 'string' || !REACTIONS.includes(content)) {
        throw fail(
          422,
          'Validation Failed',
          `${ctx.method} ${ctx.path}: content ${JSON.stringify(content)} is not a reaction`,
        );
      }
      const existing = repo.reactions.find(
        (r) =>
          r.subject === 'issue-comment' &&
          r.commentId === commentId &&
          r.content === content &&
          r.user.login === ctx.actor.login,
      );
      // GitHub answers 200 with the reaction already there, 201 with a new one.
      const reaction = existing ?? {
        id: ctx.state.newId(),
        subject: 'issue-comment' as const,
        commentId,
        content,
        user: ctx.actor,
        createdAt: isoNow(),
      };
      if (!existing) repo.reactions.push(reaction);
      const body: Schemas['reaction'] = {
        id: reaction.id,
        node_id: nodeId('REA', String(reaction.id)),
        user: simpleUser(reaction.user, ctx.api),
        content: reaction.content as Schemas['reaction']['content'],
        created_at: reaction.createdAt,
      };
      return { status: existing ? 200 : 201, body };
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/actions/workflows/:workflow/dispatches',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const id = ctx.params['workflow'] ?? '';
      const workflow = repo.workflows.find((w) => w.file === id || String(w.id) === id);
      // A missing workflow is an answer the app must explain, not a mistake in the test.
      if (!workflow) return { status: 404, body: { message: 'Not Found', status: '404' } };
      const body = bodyObject(ctx);
      const ref = stringField(ctx, body, 'ref');
      if (ctx.state.resolveRef(repo, ref) === undefined)
        return unprocessable(`No ref found for: ${ref}`);
      if (workflow.dispatchInputs === null)
        return unprocessable("Workflow does not have 'workflow_dispatch' trigger");
      const inputs = (body['inputs'] ?? {}) as Record<string, unknown>;
      const unexpected = Object.keys(inputs).filter((k) => !workflow.dispatchInputs!.includes(k));
      if (unexpected.length > 0)
        return unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      const strings: Record<string, string> = {};
      for (const [key, value] of Object.entries(inputs)) strings[key] = String(value);
      repo.dispatches.push({ kind: 'workflow', workflow: workflow.file, ref, inputs: strings });
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: '/repos/:owner/:repo/dispatches',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const body = bodyObject(ctx);
      const eventType = stringField(ctx, body, 'event_type');
      const payload = (body['client_payload'] ?? {}) as Record<string, unknown>;
      if (Object.keys(payload).length > MAX_CLIENT_PAYLOAD_KEYS) {
        return unprocessable(
          `No more than ${MAX_CLIENT_PAYLOAD_KEYS} properties are allowed; ${Object.keys(payload).length} were supplied.`,
        );
      }
      repo.dispatches.push({ kind: 'repository', eventType, clientPayload: payload });
      return { status: 204 };
    },
  },
];

function unprocessable(message: string) {
  return {
    status: 422,
    body: { message, documentation_url: 'https://docs.github.com/rest', status: '422' },
  };
}

function stringField(ctx: RouteContext, body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') {
    throw fail(
      422,
      `Invalid request.\n\n"${key}" wasn't supplied.`,
      `${ctx.method} ${ctx.path}: ${key} must be a non-empty string`,
    );
  }
  return value;
}
