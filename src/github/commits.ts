import { z } from 'zod';
import { restCommitUser, restUser, type RestUser } from './accounts.ts';
import type { CreatePullRequestOutcome, GitHubClient } from './client.ts';
import { isOwnAuthor } from './comments.ts';
import {
  explainGitHubError,
  GitHubAnswerError,
  graphqlFailure,
  isGraphqlForbidden,
  isRequestError,
  MissingPermissionError,
  serverFailure,
} from './errors.ts';
import { CREATE_COMMIT_ON_BRANCH_MUTATION } from './queries.ts';
import type { Transport } from './transport.ts';
import { NO_BLIND_RETRY, writeOnce } from './write-once.ts';

/**
 * Writing to branches and opening pull requests: what delivering generated tests needs. Commits go
 * through GraphQL createCommitOnBranch, which GitHub signs and pins to the branch's head; GitHub's
 * answers for "already there" (a branch, a pull request) and "the head moved" come back as data.
 */

type CommitMethods = Pick<
  GitHubClient,
  | 'getBranchTip'
  | 'createBranch'
  | 'resetBranch'
  | 'createCommitOnBranch'
  | 'findPullRequestsByHead'
  | 'createPullRequest'
  | 'updatePullRequest'
  | 'listPullRequests'
  | 'closePullRequest'
  | 'deleteBranch'
>;

/** Pages of 100 listPullRequests reads unless told. */
export const LIST_PULL_REQUESTS_PAGES = 10;

/** The only branches deleteBranch deletes: Steward's own. */
const OWN_BRANCH_PREFIX = 'steward/';

/** REST `git-ref`. */
const gitRef = z.object({ ref: z.string(), object: z.object({ sha: z.string() }) });

/** REST `commit`, as much as telling Steward's commits apart reads. */
const commit = z.object({
  sha: z.string(),
  author: restCommitUser,
  parents: z.array(z.object({ sha: z.string() })),
  commit: z.object({
    message: z.string(),
    verification: z.object({ verified: z.boolean(), reason: z.string() }).optional(),
  }),
});

/** GraphQL CreateCommitOnBranchPayload, as much as Steward reads. */
const commitPayload = z.object({
  createCommitOnBranch: z.object({
    commit: z.object({ oid: z.string(), url: z.string() }),
  }),
});

/** REST `pull-request-simple`, as much as finding Steward's own pull request reads. */
const pullSimple = z.object({
  number: z.number(),
  state: z.string(),
  html_url: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  user: restUser.nullable(),
  head: z.object({
    ref: z.string(),
    sha: z.string(),
    repo: z.object({ full_name: z.string() }).nullable(),
  }),
  base: z.object({ ref: z.string() }),
});

/** REST `pull-request-simple` as listing a repository's pull requests reads it. */
const pullListed = pullSimple.extend({
  merged_at: z.string().nullable(),
  labels: z.array(z.object({ name: z.string() })),
});

const pullCreated = z.object({ number: z.number(), html_url: z.string() });

/** `heads/steward/tests/7`: the ref the git routes name a branch by (Octokit escapes its slashes). */
function headsRef(branch: string): string {
  return `heads/${branch}`;
}

export function createCommitMethods(t: Transport): CommitMethods {
  const fullName = `${t.repo.owner}/${t.repo.repo}`;
  const methods: CommitMethods = {
    async getBranchTip(branch) {
      const what = `the tip of branch ${branch}`;
      let sha: string;
      try {
        const ref = await t.read(what, () =>
          t.request(
            what,
            'GET /repos/{owner}/{repo}/git/ref/{ref}',
            { ref: headsRef(branch) },
            gitRef,
          ),
        );
        sha = ref.object.sha;
      } catch (error: unknown) {
        if (isRequestError(error) && error.status === 404) return null;
        throw explainGitHubError(error, 'read branches', 'contents=read');
      }
      const [account, found] = await Promise.all([
        t.ownAccount(),
        t.read(what, () =>
          t.request(what, 'GET /repos/{owner}/{repo}/commits/{ref}', { ref: sha }, commit),
        ),
      ]);
      const user = found.author;
      const author = user && 'login' in user ? (user as RestUser) : null;
      return {
        sha: found.sha,
        parents: found.parents.map((p) => p.sha),
        message: found.commit.message,
        ours: isOwnAuthor(author, account),
        verified: found.commit.verification?.verified === true,
      };
    },

    async createBranch(branch, sha) {
      try {
        await t.octokit.request('POST /repos/{owner}/{repo}/git/refs', {
          ...t.base,
          ref: `refs/heads/${branch}`,
          sha,
        });
        return 'created';
      } catch (error: unknown) {
        if (isRequestError(error) && error.status === 422 && /already exists/i.test(error.message))
          return 'exists';
        throw explainGitHubError(error, 'create branches', 'contents=write');
      }
    },

    async resetBranch(branch, sha) {
      await t.write('move branches', 'contents=write', () =>
        t.octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
          ...t.base,
          ref: headsRef(branch),
          sha,
          force: true,
        }),
      );
    },

    async createCommitOnBranch({ branch, expectedHeadSha, headline, body, files }) {
      const what = `the commit on ${branch}`;
      const variables = {
        input: {
          branch: { repositoryNameWithOwner: fullName, branchName: branch },
          expectedHeadOid: expectedHeadSha,
          message: { headline, body },
          fileChanges: {
            additions: files.map((f) => ({
              path: f.path,
              contents: Buffer.from(f.text, 'utf8').toString('base64'),
            })),
          },
        },
        // A commit is not looked up and repeated after a 5xx: expectedHeadOid makes a repeat fail
        // as head-moved when the first one went through.
        request: NO_BLIND_RETRY,
      };
      try {
        const data = await t.graphql(
          what,
          CREATE_COMMIT_ON_BRANCH_MUTATION,
          variables,
          commitPayload,
        );
        const made = data.createCommitOnBranch.commit;
        return { kind: 'committed', sha: made.oid, url: made.url };
      } catch (error: unknown) {
        if (isGraphqlForbidden(error))
          throw new MissingPermissionError('commit to branches', 'contents=write');
        const failure = graphqlFailure(error);
        const stale = failure?.errors.find(
          (e) => e.type === 'STALE_DATA' || /expected branch to point to/i.test(e.message ?? ''),
        );
        if (stale) return { kind: 'head-moved', message: stale.message ?? 'the branch moved' };
        const server = serverFailure(error);
        if (server) {
          throw new GitHubAnswerError(
            what,
            `${server}; whether it committed is unknown: run again, and a commit that went through is found on ${branch}`,
            true,
          );
        }
        throw error;
      }
    },

    async findPullRequestsByHead(branch) {
      const what = `the pull requests from ${branch}`;
      const account = await t.ownAccount();
      const route = 'GET /repos/{owner}/{repo}/pulls';
      const items = await t.read(what, () =>
        t.paginate(
          what,
          route,
          { head: `${t.repo.owner}:${branch}`, state: 'all' },
          300,
          pullSimple,
        ),
      );
      return items
        .filter(
          (pr) =>
            pr.head.ref === branch &&
            pr.head.repo?.full_name.toLowerCase() === fullName.toLowerCase(),
        )
        .map((pr) => ({
          number: pr.number,
          state: pr.state === 'open' ? ('open' as const) : ('closed' as const),
          url: pr.html_url,
          title: pr.title,
          body: pr.body ?? '',
          headSha: pr.head.sha,
          baseRefName: pr.base.ref,
          ours: isOwnAuthor(pr.user, account),
        }));
    },

    async createPullRequest({ head, base, title, body }) {
      const open = async (): Promise<CreatePullRequestOutcome> => {
        const created = await t.request(
          `the pull request from ${head}`,
          'POST /repos/{owner}/{repo}/pulls',
          { head, base, title, body, request: NO_BLIND_RETRY },
          pullCreated,
        );
        return { kind: 'created', number: created.number, url: created.html_url };
      };
      // After a 5xx the pull request may exist all the same: found by its branch, not opened twice.
      const lookup = async (): Promise<CreatePullRequestOutcome | null> => {
        const found = (await methods.findPullRequestsByHead(head)).find(
          (pr) => pr.ours && pr.state === 'open',
        );
        return found ? { kind: 'created', number: found.number, url: found.url } : null;
      };
      try {
        return await writeOnce(open, lookup);
      } catch (error: unknown) {
        if (
          isRequestError(error) &&
          error.status === 422 &&
          /pull request already exists/i.test(validationMessages(error))
        ) {
          return { kind: 'exists', message: validationMessages(error) };
        }
        throw explainGitHubError(error, 'open pull requests', 'pull_requests=write');
      }
    },

    async updatePullRequest({ number, title, body }) {
      await t.write('edit pull requests', 'pull_requests=write', () =>
        t.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
          ...t.base,
          pull_number: number,
          title,
          body,
        }),
      );
    },

    async listPullRequests(state, options = {}) {
      const pages = Math.max(1, Math.floor(options.maxPages ?? LIST_PULL_REQUESTS_PAGES));
      const what = `the ${state} pull requests`;
      const account = await t.ownAccount();
      const items = await t.read(what, () =>
        t.paginate(
          what,
          'GET /repos/{owner}/{repo}/pulls',
          { state, sort: 'created', direction: 'desc' },
          pages * 100,
          pullListed,
        ),
      );
      return items.map((pr) => ({
        number: pr.number,
        state: pr.state === 'open' ? ('open' as const) : ('closed' as const),
        merged: pr.merged_at !== null,
        url: pr.html_url,
        title: pr.title,
        body: pr.body ?? '',
        headRefName: pr.head.ref,
        baseRefName: pr.base.ref,
        headSha: pr.head.sha,
        labels: pr.labels.map((l) => l.name),
        isCrossRepository: pr.head.repo?.full_name.toLowerCase() !== fullName.toLowerCase(),
        ours: isOwnAuthor(pr.user, account),
      }));
    },

    async closePullRequest(number) {
      await t.write('close pull requests', 'pull_requests=write', () =>
        t.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
          ...t.base,
          pull_number: number,
          state: 'closed',
        }),
      );
    },

    async deleteBranch(branch) {
      if (!branch.startsWith(OWN_BRANCH_PREFIX) || branch.split('/').includes('..')) {
        throw new Error(
          `Steward deletes only its own branches (${OWN_BRANCH_PREFIX}…), not ${JSON.stringify(branch)}`,
        );
      }
      try {
        await t.octokit.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
          ...t.base,
          ref: headsRef(branch),
        });
        return 'deleted';
      } catch (error: unknown) {
        // Already gone (a rerun, or a person deleted it): the goal is reached.
        if (
          isRequestError(error) &&
          (error.status === 404 ||
            (error.status === 422 && /reference does not exist/i.test(error.message)))
        ) {
          return 'missing';
        }
        throw explainGitHubError(error, 'delete branches', 'contents=write');
      }
    },
  };
  return methods;
}

/** GitHub's 422 message with its `errors[].message` ("A pull request already exists for …"). */
function validationMessages(error: { message: string; response?: { data?: unknown } }): string {
  const errors = (error.response?.data as { errors?: unknown } | undefined)?.errors;
  const messages = Array.isArray(errors)
    ? errors.flatMap((e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as { message?: unknown }).message === 'string'
          ? [(e as { message: string }).message]
          : [],
      )
    : [];
  return [error.message, ...messages].join('; ');
}
