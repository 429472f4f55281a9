import { z } from 'zod';
import type { GitHubClient } from './client.ts';
import {
  explainGitHubError,
  GitHubAnswerError,
  isGraphqlForbidden,
  isRequestError,
  MissingPermissionError,
  serverFailure,
} from './errors.ts';
import { DISABLE_AUTO_MERGE_MUTATION, ENABLE_AUTO_MERGE_MUTATION } from './queries.ts';
import { checkShape, type Transport } from './transport.ts';

/**
 * Merging, pinned to the evaluated head: a head that moved is reported, never merged, and native
 * auto-merge is armed with the head it was decided on.
 */

type MergeMethods = Pick<GitHubClient, 'mergePullRequest' | 'enableAutoMerge' | 'disableAutoMerge'>;

/** REST `pull-request-merge-result`. */
const mergeResult = z.object({ sha: z.string() });

export function createMergeMethods(t: Transport): MergeMethods {
  return {
    async mergePullRequest({ number, sha, method, commitTitle }) {
      try {
        const route = 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge';
        const { data } = await t.octokit.request(route, {
          ...t.base,
          pull_number: number,
          sha,
          merge_method: method,
          ...(commitTitle ? { commit_title: commitTitle } : {}),
        });
        // A 200 whose answer is unreadable still merged: the error says the write happened.
        const what = `the merge of #${number}`;
        const merged = checkShape(mergeResult, data, { what, endpoint: route, duringWrite: true });
        return { kind: 'merged', sha: merged.sha };
      } catch (error: unknown) {
        if (isRequestError(error) && error.status === 409)
          return { kind: 'head-moved', message: error.message };
        if (isRequestError(error) && (error.status === 405 || error.status === 422)) {
          return { kind: 'not-mergeable', message: error.message };
        }
        const server = serverFailure(error);
        if (server) {
          throw new GitHubAnswerError(
            `the merge of #${number}`,
            `${server}; whether it merged is unknown`,
            true,
          );
        }
        throw explainGitHubError(error, 'merge pull requests', 'contents=write');
      }
    },

    async enableAutoMerge({ pullRequestId, expectedHeadSha, method }) {
      try {
        await t.octokit.graphql(ENABLE_AUTO_MERGE_MUTATION, {
          id: pullRequestId,
          oid: expectedHeadSha,
          // Octokit reserves `method` as a request option, so the variable has another name.
          mergeMethod: method.toUpperCase(),
        });
        return { kind: 'merged', sha: expectedHeadSha };
      } catch (error: unknown) {
        if (isGraphqlForbidden(error))
          throw new MissingPermissionError('enable auto-merge', 'pull_requests=write');
        const message = error instanceof Error ? error.message : String(error);
        if (/head (branch|ref|oid).*(modified|changed|match)|expected head/i.test(message)) {
          return { kind: 'head-moved', message };
        }
        if (/auto-?merge|not (in the correct state|mergeable)|clean status/i.test(message)) {
          return { kind: 'not-mergeable', message };
        }
        throw error;
      }
    },

    async disableAutoMerge(pullRequestId) {
      try {
        await t.octokit.graphql(DISABLE_AUTO_MERGE_MUTATION, { id: pullRequestId });
      } catch (error: unknown) {
        if (isGraphqlForbidden(error))
          throw new MissingPermissionError('disable auto-merge', 'pull_requests=write');
        throw error;
      }
    },
  };
}
