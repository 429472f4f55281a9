import { z } from 'zod';
import { restUser } from './accounts.ts';
import type {
  DeploymentFacts,
  GitHubClient,
  IssueCommentFacts,
  IssueEventFacts,
  IssueFacts,
  MergedPullRequest,
} from './client.ts';
import { isOwnAuthor } from './comments.ts';
import { explainGitHubError, isRequestError } from './errors.ts';
import { checkShape, type OwnAccount, type Transport } from './transport.ts';
import { NO_BLIND_RETRY, writeOnce } from './write-once.ts';

/**
 * Issues Steward opens and keeps (incidents), their comments and history, and the repository's
 * recent changes an incident looks back on: deployments, merged pull requests, commits to a path.
 * GitHub's issue routes answer pull requests too (they carry `pull_request`): never taken here.
 */

type IssueMethods = Pick<
  GitHubClient,
  | 'createIssue'
  | 'getIssue'
  | 'updateIssue'
  | 'listOurIssues'
  | 'listIssueComments'
  | 'createIssueComment'
  | 'listIssueEvents'
  | 'listDeployments'
  | 'listMergedPullRequests'
  | 'countCommitsTouching'
>;

/** Pages of 100 listOurIssues reads unless told. */
export const LIST_OUR_ISSUES_PAGES = 10;
/** Pages of 100 listDeployments reads unless told. */
export const LIST_DEPLOYMENTS_PAGES = 5;
/** Pages of 100 listMergedPullRequests reads unless told. */
export const LIST_MERGED_PULL_REQUESTS_PAGES = 5;

const ISSUES_WRITE = 'issues=write';
const PER_PAGE = 100;

/** REST `issue`'s `labels`: names, or label objects whose `name` is optional in GitHub's description. */
const issueLabel = z.union([z.string(), z.object({ name: z.string().nullish() })]);

/** REST `issue`, as much as Steward reads; `pull_request` is there only for a pull request. */
const issue = z.object({
  number: z.number(),
  repository_url: z.string(),
  html_url: z.string(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.string(),
  labels: z.array(issueLabel),
  user: restUser.nullable(),
  created_at: z.string(),
  closed_at: z.string().nullable(),
  assignees: z.array(restUser).nullish(),
  pull_request: z.unknown().optional(),
});
type RawIssue = z.output<typeof issue>;

/** REST `issue-comment`; `body` is optional in GitHub's description. */
const issueComment = z.object({
  id: z.number(),
  body: z.string().nullish(),
  user: restUser.nullable(),
  created_at: z.string(),
});

/** REST `issue-event`. */
const issueEvent = z.object({
  event: z.string(),
  actor: restUser.nullable(),
  created_at: z.string(),
});

/** REST `deployment`. */
const deployment = z.object({
  id: z.number(),
  url: z.string(),
  sha: z.string(),
  ref: z.string(),
  environment: z.string(),
  description: z.string().nullable(),
  creator: restUser.nullable(),
  created_at: z.string(),
});

/** REST `pull-request-simple`, as much as an incident's suspicious changes read. */
const pullRequestSimple = z.object({
  number: z.number(),
  html_url: z.string(),
  title: z.string(),
  user: restUser.nullable(),
  updated_at: z.string(),
  merged_at: z.string().nullable(),
  merge_commit_sha: z.string().nullable(),
  base: z.object({ ref: z.string(), sha: z.string() }),
});

/** REST `commit`: counting needs only that each item is one. */
const commit = z.object({ sha: z.string() });

const created = z.object({ number: z.number(), html_url: z.string() });
const createdComment = z.object({ id: z.number() });

export function createIssueMethods(t: Transport): IssueMethods {
  /** Our issues carrying `label`, newest first, pull requests dropped. */
  const ourIssues = async (
    label: string | null,
    options: { since?: string; maxPages?: number },
    account: OwnAccount,
  ) => {
    const pages = Math.max(1, Math.floor(options.maxPages ?? LIST_OUR_ISSUES_PAGES));
    const what = label === null ? 'the issues this account opened' : `the issues labelled ${label}`;
    const items = await t.read(what, () =>
      t.paginate(
        what,
        'GET /repos/{owner}/{repo}/issues',
        {
          creator: account.login,
          ...(label === null ? {} : { labels: label }),
          state: 'all',
          sort: 'created',
          direction: 'desc',
          ...(options.since === undefined ? {} : { since: options.since }),
        },
        pages * PER_PAGE,
        issue,
      ),
    );
    // `creator` is GitHub's filter; the author is checked all the same, so an issue someone else
    // opened can never pass for ours (a login GitHub resolved differently, a fake answer).
    return items
      .filter(
        (raw) =>
          (raw.pull_request === undefined || raw.pull_request === null) &&
          isOwnAuthor(raw.user, account) &&
          isThisRepository(raw.repository_url, t.repo),
      )
      .map((raw) => toIssueFacts(raw, account));
  };

  const comments = async (number: number) => {
    const what = `the comments of issue #${number}`;
    return t.read(what, () =>
      t.paginate(
        what,
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
        { issue_number: number },
        10_000,
        issueComment,
      ),
    );
  };

  /**
   * Pages of a list GitHub answers newest first, read until an item is older than the window
   * (`older` says so) or `pages` pages were read.
   */
  const pagesUntil = async <S extends z.ZodType>(
    what: string,
    route: string,
    parameters: Record<string, unknown>,
    pages: number,
    item: S,
    older: (item: z.output<S>) => boolean,
  ): Promise<z.output<S>[]> => {
    const list = z.array(item);
    const items: z.output<S>[] = [];
    for (let page = 1; page <= pages; page++) {
      const { data } = await t.octokit.request(route, {
        ...t.base,
        ...parameters,
        per_page: PER_PAGE,
        page,
      });
      const checked = checkShape(list, data, { what, endpoint: route, offset: items.length });
      items.push(...checked);
      if (checked.length < PER_PAGE || checked.some(older)) break;
    }
    return items;
  };

  return {
    async createIssue({ title, body, labels }) {
      const account = await t.ownAccount();
      const post = async () => {
        const answer = await t.request(
          `the issue created: ${title}`,
          'POST /repos/{owner}/{repo}/issues',
          { title, body, labels: [...labels], request: NO_BLIND_RETRY },
          created,
        );
        return { number: answer.number, url: answer.html_url };
      };
      // After a 5xx the issue may exist all the same: our newest issue with this exact title and
      // body is it, and is not opened twice.
      const lookup = async () => {
        const mine = await ourIssues(null, { maxPages: 1 }, account);
        const found = mine.find((i) => i.title === title && i.body === body);
        return found ? { number: found.number, url: found.url } : null;
      };
      return t.write('open issues', ISSUES_WRITE, () => writeOnce(post, lookup));
    },

    async getIssue(number) {
      const what = `issue #${number}`;
      try {
        const raw = await t.read(what, () =>
          t.request(
            what,
            'GET /repos/{owner}/{repo}/issues/{issue_number}',
            { issue_number: number },
            issue,
          ),
        );
        if (raw.pull_request !== undefined && raw.pull_request !== null) return null;
        // A transferred issue answers 301 to its new home, which Octokit follows: another
        // repository's issue (whatever its number) is no answer for this one.
        if (raw.number !== number || !isThisRepository(raw.repository_url, t.repo)) return null;
        return toIssueFacts(raw, await t.ownAccount());
      } catch (error: unknown) {
        // 404: none, or no access; 410: deleted.
        if (isRequestError(error) && (error.status === 404 || error.status === 410)) return null;
        throw error;
      }
    },

    async updateIssue({ number, title, body, state, stateReason }) {
      await t.write('edit issues', ISSUES_WRITE, () =>
        t.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          ...t.base,
          issue_number: number,
          ...(title === undefined ? {} : { title }),
          ...(body === undefined ? {} : { body }),
          ...(state === undefined ? {} : { state }),
          ...(stateReason === undefined ? {} : { state_reason: stateReason }),
        }),
      );
    },

    async listOurIssues(label, options = {}) {
      return ourIssues(label, options, await t.ownAccount());
    },

    async listIssueComments(number) {
      const account = await t.ownAccount();
      return (await comments(number)).map((raw): IssueCommentFacts => ({
        id: raw.id,
        body: raw.body ?? '',
        login: raw.user?.login ?? null,
        userType: raw.user?.type ?? null,
        ours: isOwnAuthor(raw.user, account),
        createdAt: raw.created_at,
      }));
    },

    async createIssueComment(number, body) {
      const account = await t.ownAccount();
      const post = async () => {
        const answer = await t.request(
          `the comment created on issue #${number}`,
          'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
          { issue_number: number, body, request: NO_BLIND_RETRY },
          createdComment,
        );
        return { id: answer.id };
      };
      // After a 5xx the comment may exist all the same: our newest comment with this exact body.
      // Callers' bodies open with a marker unique to what they say, so an older twin is not it.
      const lookup = async () => {
        const found = (await comments(number))
          .filter((c) => (c.body ?? '') === body && isOwnAuthor(c.user, account))
          .at(-1);
        return found ? { id: found.id } : null;
      };
      return t.write('comment on issues', ISSUES_WRITE, () => writeOnce(post, lookup));
    },

    async listIssueEvents(number) {
      const what = `the events of issue #${number}`;
      const items = await t.read(what, () =>
        t.paginate(
          what,
          'GET /repos/{owner}/{repo}/issues/{issue_number}/events',
          { issue_number: number },
          10_000,
          issueEvent,
        ),
      );
      return items.map((raw): IssueEventFacts => ({
        event: raw.event,
        login: raw.actor?.login ?? null,
        userType: raw.actor?.type ?? null,
        createdAt: raw.created_at,
      }));
    },

    async listDeployments({ since, maxPages }) {
      const pages = Math.max(1, Math.floor(maxPages ?? LIST_DEPLOYMENTS_PAGES));
      const from = instant(since, 'since');
      const what = `the deployments since ${since}`;
      const items = await t.read(what, () =>
        pagesUntil(
          what,
          'GET /repos/{owner}/{repo}/deployments',
          {},
          pages,
          deployment,
          (d) => Date.parse(d.created_at) < from,
        ),
      );
      return items
        .filter((d) => Date.parse(d.created_at) >= from)
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
        .map((d): DeploymentFacts => ({
          id: d.id,
          sha: d.sha,
          ref: d.ref,
          environment: d.environment,
          description: d.description,
          creator: d.creator?.login ?? null,
          createdAt: d.created_at,
          url: d.url,
        }));
    },

    async listMergedPullRequests({ base, since, until, maxPages }) {
      const pages = Math.max(1, Math.floor(maxPages ?? LIST_MERGED_PULL_REQUESTS_PAGES));
      const from = instant(since, 'since');
      const to = instant(until, 'until');
      const what = `the pull requests merged into ${base} from ${since} to ${until}`;
      // A pull request merged in the window was last updated at or after its merge: once the
      // list (by last update, newest first) passes `since`, no later page can hold one.
      const items = await t.read(what, () =>
        pagesUntil(
          what,
          'GET /repos/{owner}/{repo}/pulls',
          { state: 'closed', base, sort: 'updated', direction: 'desc' },
          pages,
          pullRequestSimple,
          (pr) => Date.parse(pr.updated_at) < from,
        ),
      );
      const seen = new Set<number>();
      const merged: MergedPullRequest[] = [];
      for (const pr of items) {
        // `base` is GitHub's filter; checked all the same, as the window is.
        if (pr.merged_at === null || pr.base.ref !== base || seen.has(pr.number)) continue;
        const at = Date.parse(pr.merged_at);
        if (!(at >= from && at <= to)) continue;
        seen.add(pr.number);
        merged.push({
          number: pr.number,
          url: pr.html_url,
          title: pr.title,
          author: pr.user?.login ?? null,
          mergedAt: pr.merged_at,
          mergeCommitSha: pr.merge_commit_sha,
          baseRefName: pr.base.ref,
          baseSha: pr.base.sha,
        });
      }
      return merged.sort((a, b) => Date.parse(b.mergedAt) - Date.parse(a.mergedAt));
    },

    async countCommitsTouching({ path, ref, since, cap }) {
      const limit = Math.max(0, Math.floor(cap));
      if (limit === 0) return 0;
      instant(since, 'since');
      const what = `the commits on ${ref} touching ${path} since ${since}`;
      try {
        const items = await t.read(what, () =>
          t.request(
            what,
            'GET /repos/{owner}/{repo}/commits',
            { sha: ref, path, since, per_page: Math.min(limit, PER_PAGE), page: 1 },
            z.array(commit),
          ),
        );
        return Math.min(items.length, limit);
      } catch (error: unknown) {
        // 409: the repository is empty, so nothing touched the path.
        if (isRequestError(error) && error.status === 409) return 0;
        throw explainGitHubError(error, 'read commits', 'contents=read');
      }
    },
  };
}

function toIssueFacts(raw: RawIssue, account: OwnAccount): IssueFacts {
  return {
    number: raw.number,
    url: raw.html_url,
    title: raw.title,
    body: raw.body ?? '',
    state: raw.state === 'open' ? 'open' : 'closed',
    labels: raw.labels
      .map((l) => (typeof l === 'string' ? l : (l.name ?? '')))
      .filter((name) => name !== ''),
    ours: isOwnAuthor(raw.user, account),
    createdAt: raw.created_at,
    closedAt: raw.closed_at,
    assignees: (raw.assignees ?? []).map((a) => a.login),
  };
}

/** Whether an issue's `repository_url` (…/repos/OWNER/NAME, any API host) names this repository. */
function isThisRepository(url: string, repo: { owner: string; repo: string }): boolean {
  const tail = `/repos/${repo.owner}/${repo.repo}`.toLowerCase();
  return url.toLowerCase().endsWith(tail);
}

/** An ISO 8601 time as milliseconds; anything else is the caller's mistake, said plainly. */
function instant(text: string, name: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new Error(`${name} must be an ISO 8601 time, not ${JSON.stringify(text)}`);
  return ms;
}
