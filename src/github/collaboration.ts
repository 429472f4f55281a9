import { z } from 'zod';
import type { CollaboratorPermission, GitHubClient } from './client.ts';
import { DispatchError, explainGitHubError, isRequestError } from './errors.ts';
import type { Transport } from './transport.ts';
import { NO_BLIND_RETRY, isServerError } from './write-once.ts';

/**
 * What the app needs besides reading and reviewing: who a commenter is to the repository,
 * reactions that acknowledge a command, and the dispatches that hand heavy work to the
 * repository's own GitHub Actions.
 */

type CollaborationMethods = Pick<
  GitHubClient,
  'getCollaboratorPermission' | 'addReaction' | 'dispatchWorkflow' | 'dispatchRepositoryEvent'
>;

/** REST `repository-collaborator-permission`; `permissions` is optional in GitHub's description. */
const collaboratorPermission = z.object({
  permission: z.string(),
  role_name: z.string(),
  user: z
    .object({
      login: z.string(),
      permissions: z
        .object({
          admin: z.boolean(),
          maintain: z.boolean().optional(),
          push: z.boolean(),
          triage: z.boolean().optional(),
          pull: z.boolean(),
        })
        .optional(),
    })
    .nullable(),
});

export function createCollaborationMethods(t: Transport): CollaborationMethods {
  const { octokit, base } = t;
  const where = `${base.owner}/${base.repo}`;
  return {
    async getCollaboratorPermission(username) {
      try {
        const data = await t.request(
          `the permission of ${username}`,
          'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
          { username },
          collaboratorPermission,
        );
        return toCollaboratorPermission(username, data);
      } catch (error: unknown) {
        // GitHub answers 404 for an account that is no collaborator of a private repository.
        if (isRequestError(error) && error.status === 404) return noPermission(username);
        throw explainGitHubError(error, 'read collaborator permissions', 'metadata=read');
      }
    },

    async addReaction(commentId, content) {
      // GitHub answers 200 with the existing reaction when it is already there: idempotent, so
      // after a 5xx the retry plugin may send it again (GitHub itself finds the earlier one).
      try {
        await octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
          ...base,
          comment_id: commentId,
          content,
        });
      } catch (error: unknown) {
        throw explainGitHubError(error, 'react to comments', 'pull_requests=write');
      }
    },

    async dispatchWorkflow({ workflow, ref, inputs }) {
      try {
        await octokit.request(
          'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
          { ...base, workflow_id: workflow, ref, inputs: { ...inputs }, request: NO_BLIND_RETRY },
        );
      } catch (error: unknown) {
        if (isServerError(error)) throw unknownDispatch(error, `the workflow "${workflow}"`, where);
        if (isRequestError(error) && error.status === 404) {
          throw new DispatchError(
            `${where} has no workflow "${workflow}" on ${ref}: add .github/workflows/${workflow} with an \`on: workflow_dispatch\` trigger, or set app.workflow in .github/steward.yml to the workflow that runs Steward`,
            404,
          );
        }
        if (isRequestError(error) && error.status === 422) {
          throw new DispatchError(
            `GitHub refused to start the workflow "${workflow}" in ${where}: ${error.message}. The workflow needs an \`on: workflow_dispatch\` trigger declaring the inputs ${Object.keys(inputs).join(', ')}`,
            422,
          );
        }
        throw explainGitHubError(error, 'start workflows', 'actions=write');
      }
    },

    async dispatchRepositoryEvent({ eventType, clientPayload }) {
      try {
        await octokit.request('POST /repos/{owner}/{repo}/dispatches', {
          ...base,
          event_type: eventType,
          client_payload: { ...clientPayload },
          request: NO_BLIND_RETRY,
        });
      } catch (error: unknown) {
        if (isServerError(error))
          throw unknownDispatch(error, `the repository_dispatch "${eventType}"`, where);
        if (isRequestError(error) && error.status === 422) {
          throw new DispatchError(
            `GitHub refused the repository_dispatch "${eventType}" in ${where}: ${error.message}`,
            422,
          );
        }
        throw explainGitHubError(error, 'send repository dispatch events', 'contents=write');
      }
    },
  };
}

function noPermission(login: string): CollaboratorPermission {
  return {
    login,
    flags: { admin: false, maintain: false, push: false, triage: false, pull: false },
    roleName: 'none',
  };
}

function toCollaboratorPermission(
  login: string,
  data: z.output<typeof collaboratorPermission>,
): CollaboratorPermission {
  const flags = data.user?.permissions;
  return {
    login: data.user?.login ?? login,
    flags: {
      admin: flags?.admin === true,
      maintain: flags?.maintain === true,
      push: flags?.push === true,
      triage: flags?.triage === true,
      pull: flags?.pull === true,
    },
    roleName: data.role_name || data.permission || 'none',
  };
}

/**
 * A dispatch GitHub answered with a 5xx may have started its run all the same, and nothing marks a
 * run as this dispatch's, so it is never sent again (that could run the review twice).
 */
function unknownDispatch(error: unknown, what: string, where: string): DispatchError {
  const status = (error as { status: number }).status;
  const reason = error instanceof Error ? error.message : String(error);
  return new DispatchError(
    `GitHub answered ${status} to ${what} in ${where} (${reason}): it may have started the run all the same, so Steward did not send it again. If no run appears in the Actions tab, ask again.`,
    status,
  );
}
