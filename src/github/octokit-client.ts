import type { GitHubClient } from './client.ts';
import { findMarkedComment, upsertCommentByMarker } from './comments.ts';
import type { OwnAccount } from './comments.ts';
import {
  describeGraphqlErrors,
  explainGitHubError,
  GitHubAnswerError,
  graphqlFailure,
  isGraphqlForbidden,
  isRequestError,
  MissingPermissionError,
  serverFailure,
  type GraphqlErrorItem,
} from './errors.ts';
import {
  toCheckFacts,
  toCommitComparison,
  toCommitFacts,
  toPullRequestFile,
  toSnapshot,
  requiredFromRef,
  toProtectionChecks,
} from './normalise.ts';
import {
  COMMIT_CHECKS_QUERY,
  DISABLE_AUTO_MERGE_MUTATION,
  ENABLE_AUTO_MERGE_MUTATION,
  fileTextsQuery,
  PULL_REQUEST_SNAPSHOT_QUERY,
  REQUIRED_CHECKS_QUERY,
  VIEWER_QUERY,
} from './queries.ts';
import { createReviewMethods } from './reviews.ts';
import { createCollaborationMethods } from './collaboration.ts';
import type { RepoRef } from './client.ts';
import { NO_BLIND_RETRY, writeOnce } from './write-once.ts';

/**
 * The slice of Octokit Steward uses. @actions/github's getOctokit and Probot's context.octokit
 * both satisfy it, so the same client serves the actions and the app.
 */
export interface OctokitLike {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
  graphql: <T>(query: string, parameters?: Record<string, unknown>) => Promise<T>;
}

const PER_PAGE = 100;

/** Files whose text one GraphQL query asks for. */
export const FILE_TEXTS_PER_QUERY = 50;

export interface GitHubClientOptions {
  /**
   * The account the token acts as, when the face already knows it (an App learns its bot user from
   * `GET /app`); otherwise the client asks GitHub once, the first time it needs to tell its own
   * comments apart.
   */
  ownAccount?: OwnAccount | (() => Promise<OwnAccount>);
}

export function createGitHubClient(
  octokit: OctokitLike,
  repo: RepoRef,
  options: GitHubClientOptions = {},
): GitHubClient {
  const base = { owner: repo.owner, repo: repo.repo };
  const given = options.ownAccount;
  let own: Promise<OwnAccount> | undefined =
    typeof given === 'function' ? undefined : given && Promise.resolve(given);

  /**
   * Steward's own account: markers count only in its comments, so a person or another bot cannot
   * forge what Steward wrote. Asked once per client; a failed answer is not cached.
   */
  function ownAccount(): Promise<OwnAccount> {
    if (typeof given === 'function') return given();
    own ??= octokit
      .graphql<{ viewer?: { login?: unknown; databaseId?: unknown } | null }>(VIEWER_QUERY)
      .then(
        (data) => {
          const login = data.viewer?.login;
          if (typeof login !== 'string' || login === '')
            throw new Error('GitHub answered the viewer query without a login');
          const id = data.viewer?.databaseId;
          return { login, databaseId: typeof id === 'number' ? id : null };
        },
        (error: unknown) => {
          own = undefined;
          const why = error instanceof Error ? error.message : String(error);
          throw new Error(
            `Could not learn which GitHub account this token acts as (GraphQL viewer): ${why}. Steward needs it to tell its own comments apart; check the token and GITHUB_GRAPHQL_URL.`,
            { cause: error },
          );
        },
      );
    return own;
  }

  async function paginate(
    route: string,
    parameters: Record<string, unknown>,
    max: number,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let page = 1; items.length < max; page++) {
      const { data } = await octokit.request(route, {
        ...base,
        ...parameters,
        per_page: PER_PAGE,
        page,
      });
      if (!Array.isArray(data)) throw new Error(`GitHub answered ${route} with a non-list`);
      items.push(...data);
      if (data.length < PER_PAGE) break;
    }
    return items;
  }

  /**
   * A read whose answer a decision rests on: GraphQL errors and partial answers, and 5xx after the
   * retries, become GitHubAnswerError naming what was asked. `tolerate` lets a caller accept a
   * partial answer whose errors it can work around (and say so).
   */
  async function read<T>(
    what: string,
    call: () => Promise<T>,
    tolerate?: (errors: GraphqlErrorItem[], data: unknown) => T | null,
  ): Promise<T> {
    try {
      return await call();
    } catch (error: unknown) {
      const graphql = graphqlFailure(error);
      if (graphql) {
        const accepted = tolerate?.(graphql.errors, graphql.data) ?? null;
        if (accepted !== null) return accepted;
        throw new GitHubAnswerError(what, describeGraphqlErrors(graphql.errors));
      }
      const server = serverFailure(error);
      if (server) throw new GitHubAnswerError(what, server);
      throw error;
    }
  }

  /** Every comment of an issue or pull request, oldest first. */
  function listIssueComments(issueNumber: number): Promise<unknown[]> {
    return paginate(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number: issueNumber },
      10_000,
    );
  }

  async function write<T>(action: string, permission: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error: unknown) {
      throw explainGitHubError(error, action, permission);
    }
  }

  const client: GitHubClient = {
    repo,

    async getFileText(path, ref) {
      return (await client.getFileTexts([path], ref)).get(path) ?? null;
    },

    async getFileTexts(paths, ref) {
      const texts = new Map<string, string | null>();
      // One query per batch: a pull request may list 3,000 files, and one query naming them all
      // would run into GitHub's GraphQL time and size limits.
      for (let start = 0; start < paths.length; start += FILE_TEXTS_PER_QUERY) {
        const batch = paths.slice(start, start + FILE_TEXTS_PER_QUERY);
        const variables: Record<string, unknown> = { ...base };
        batch.forEach((path, i) => (variables[`e${i}`] = `${ref}:${path}`));
        const data = await read(`the text of ${batch.join(', ')} at ${ref.slice(0, 7)}`, () =>
          octokit.graphql<{
            repository: Record<string, { text: string | null; isTruncated?: boolean } | null>;
          }>(fileTextsQuery(batch.length), variables),
        );
        batch.forEach((path, i) => {
          const blob = data.repository[`f${i}`];
          // A truncated text is not the file: judging it would judge something else.
          texts.set(path, blob && blob.isTruncated !== true ? blob.text : null);
        });
      }
      return texts;
    },

    async getPullRequestSnapshot(number) {
      type Answer = { repository: { pullRequest: unknown } };
      let rulesetsProblem: string | null = null;
      const data = await read(
        `the snapshot of pull request #${number}`,
        () => octokit.graphql<Answer>(PULL_REQUEST_SNAPSHOT_QUERY, { ...base, number }),
        (errors, partial) => {
          // Rulesets a token may not read: GitHub's own isRequired still says what is required.
          const onlyRules = errors.every(
            (e) => e.type === 'FORBIDDEN' && e.path?.slice(-2).join('.') === 'baseRef.rules',
          );
          const answer = partial as Answer | null;
          // The base branch itself (and its config) must have come back: only `rules` is null.
          const pr = answer?.repository?.pullRequest as { baseRef?: unknown } | null | undefined;
          if (!onlyRules || !pr?.baseRef) return null;
          rulesetsProblem = `the token cannot read the base branch's rulesets (${describeGraphqlErrors(errors)}); grant it read access to the repository's rules (the "metadata: read" permission of a GitHub App or fine-grained token) — Steward relied on GitHub's isRequired for the head instead`;
          return answer;
        },
      );
      if (!data.repository.pullRequest)
        throw new Error(`Pull request #${number} not found in ${repo.owner}/${repo.repo}`);
      return { ...toSnapshot(data.repository.pullRequest), requiredChecksProblem: rulesetsProblem };
    },

    async listPullRequestCommits(number) {
      const items = await read(`the commits of pull request #${number}`, () =>
        paginate(
          'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits',
          { pull_number: number },
          250,
        ),
      );
      return items.map(toCommitFacts);
    },

    async listPullRequestFiles(number) {
      const items = await read(`the files of pull request #${number}`, () =>
        paginate(
          'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
          { pull_number: number },
          3000,
        ),
      );
      return items.map(toPullRequestFile);
    },

    async getBranchProtectionChecks(branch) {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', {
          ...base,
          branch,
        });
        return toProtectionChecks(data);
      } catch (error: unknown) {
        if (isRequestError(error) && (error.status === 403 || error.status === 404)) return null;
        const server = serverFailure(error);
        if (server) throw new GitHubAnswerError(`the protection of branch ${branch}`, server);
        throw error;
      }
    },

    async compareCommits(baseRef, headRef) {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
          ...base,
          basehead: `${baseRef}...${headRef}`,
          // Paging walks commits, which Steward does not read; the files all come on page 1 anyway.
          per_page: 1,
        });
        return toCommitComparison(data);
      } catch (error: unknown) {
        if (isRequestError(error) && error.status === 404) return null;
        throw explainGitHubError(error, 'compare commits', 'contents=read');
      }
    },

    async findOpenPullRequestsForSha(sha) {
      const items = await read(`the pull requests of commit ${sha.slice(0, 7)}`, () =>
        paginate('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { commit_sha: sha }, 300),
      );
      return (items as { number: number; state: string; head: { sha: string } }[])
        .filter((pr) => pr.state === 'open' && pr.head.sha === sha)
        .map((pr) => pr.number);
    },

    async getCommitChecks(sha) {
      const data = await read(`the checks of commit ${sha.slice(0, 7)}`, () =>
        octokit.graphql<{
          repository: { object: { statusCheckRollup?: unknown } | null };
        }>(COMMIT_CHECKS_QUERY, { ...base, sha }),
      );
      return toCheckFacts(data.repository.object?.statusCheckRollup ?? null);
    },

    async getRequiredChecks(branch) {
      const data = await read(`the required checks of branch ${branch}`, () =>
        octokit.graphql<{ repository: { ref: unknown } }>(REQUIRED_CHECKS_QUERY, {
          ...base,
          qualifiedName: `refs/heads/${branch}`,
        }),
      );
      return requiredFromRef(data.repository.ref);
    },

    async findMarkedComment(issueNumber, marker) {
      const account = await ownAccount();
      return findMarkedComment(await listIssueComments(issueNumber), marker, account);
    },

    async upsertComment(issueNumber, marker, body) {
      const account = await ownAccount();
      const find = async () =>
        findMarkedComment(await listIssueComments(issueNumber), marker, account);
      return write('comment on pull requests', 'pull_requests=write', () =>
        upsertCommentByMarker(
          {
            list: () => listIssueComments(issueNumber),
            // After a 5xx the comment may exist all the same: found by its marker, not posted twice.
            create: (text) =>
              writeOnce(
                async () => {
                  const { data } = await octokit.request(
                    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
                    { ...base, issue_number: issueNumber, body: text, request: NO_BLIND_RETRY },
                  );
                  return (data as { id: number }).id;
                },
                async () => (await find())?.id ?? null,
              ),
            update: async (id, text) => {
              await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
                ...base,
                comment_id: id,
                body: text,
              });
            },
          },
          marker,
          body,
          account,
        ),
      );
    },

    ...createReviewMethods(octokit, base, paginate, ownAccount),
    ...createCollaborationMethods(octokit, base),

    async addLabels(issueNumber, labels) {
      await write('label pull requests', 'issues=write', () =>
        octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
          ...base,
          issue_number: issueNumber,
          labels: [...labels],
        }),
      );
    },

    async removeLabel(issueNumber, label) {
      try {
        await octokit.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
          ...base,
          issue_number: issueNumber,
          name: label,
        });
      } catch (error: unknown) {
        // Already gone (a redelivered event, or a person removed it): the goal is reached.
        if (isRequestError(error) && error.status === 404) return;
        throw explainGitHubError(error, 'label pull requests', 'issues=write');
      }
    },

    async mergePullRequest({ number, sha, method, commitTitle }) {
      try {
        const { data } = await octokit.request(
          'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
          {
            ...base,
            pull_number: number,
            sha,
            merge_method: method,
            ...(commitTitle ? { commit_title: commitTitle } : {}),
          },
        );
        return { kind: 'merged', sha: (data as { sha: string }).sha };
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
        await octokit.graphql(ENABLE_AUTO_MERGE_MUTATION, {
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
        await octokit.graphql(DISABLE_AUTO_MERGE_MUTATION, { id: pullRequestId });
      } catch (error: unknown) {
        if (isGraphqlForbidden(error))
          throw new MissingPermissionError('disable auto-merge', 'pull_requests=write');
        throw error;
      }
    },
  };
  return client;
}
