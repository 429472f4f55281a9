import { z } from 'zod';
import { restUser } from './accounts.ts';
import type { GitHubClient, MarkedComment, UpsertOutcome } from './client.ts';
import type { OwnAccount, Transport } from './transport.ts';
import { NO_BLIND_RETRY, writeOnce } from './write-once.ts';

/**
 * The comments Steward keeps on issues and pull requests: one per hidden marker, found only among
 * its own account's comments, so a person or another bot quoting a marker is never taken for it.
 */

type CommentMethods = Pick<GitHubClient, 'findMarkedComment' | 'upsertComment'>;

/** REST `issue-comment`; `body` is optional in GitHub's description. */
const issueComment = z.object({
  id: z.number(),
  body: z.string().nullish(),
  user: restUser.nullable(),
});
type IssueComment = z.output<typeof issueComment>;

const created = z.object({ id: z.number() });

interface CommentStore {
  list(): Promise<readonly IssueComment[]>;
  create(body: string): Promise<number>;
  update(id: number, body: string): Promise<void>;
}

export function createCommentMethods(t: Transport): CommentMethods {
  /** Every comment of an issue or pull request, oldest first. */
  const list = (issueNumber: number) =>
    t.paginate(
      `the comments of #${issueNumber}`,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number: issueNumber },
      10_000,
      issueComment,
    );

  return {
    async findMarkedComment(issueNumber, marker) {
      const account = await t.ownAccount();
      return firstMarked(await list(issueNumber), marker, account);
    },

    async upsertComment(issueNumber, marker, body) {
      const account = await t.ownAccount();
      const find = async () => firstMarked(await list(issueNumber), marker, account);
      const store: CommentStore = {
        list: () => list(issueNumber),
        // After a 5xx the comment may exist all the same: found by its marker, not posted twice.
        create: (text) =>
          writeOnce(
            async () =>
              (
                await t.request(
                  `the comment created on #${issueNumber}`,
                  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
                  { issue_number: issueNumber, body: text, request: NO_BLIND_RETRY },
                  created,
                )
              ).id,
            async () => (await find())?.id ?? null,
          ),
        update: async (id, text) => {
          await t.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
            ...t.base,
            comment_id: id,
            body: text,
          });
        },
      };
      return t.write('comment on pull requests', 'pull_requests=write', () =>
        upsertCommentByMarker(store, marker, body, account),
      );
    },
  };
}

/**
 * Whether a comment's author is the token's own account. REST names an App's bot `slug[bot]`;
 * `viewer` does too, but the id settles it either way.
 */
export function isOwnAuthor(
  user: { login: string; id: number; type: string } | null,
  own: OwnAccount,
): boolean {
  if (!user) return false;
  if (own.databaseId !== null) return user.id === own.databaseId;
  if (user.login.toLowerCase() === own.login.toLowerCase()) return true;
  // GraphQL names a bot without the `[bot]` REST adds; a person's account of that bare name is
  // not the bot, so the bare names match only for an author GitHub says is a Bot.
  const bare = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '');
  return user.type === 'Bot' && bare(user.login) === bare(own.login);
}

/** Whether `body` opens with `marker` on a line of its own: the one place Steward writes it. */
function opensWithMarker(body: string, marker: string): boolean {
  return body === marker || body.startsWith(`${marker}\n`) || body.startsWith(`${marker}\r\n`);
}

/**
 * The one way to find a comment Steward wrote: the first issue comment written by Steward's own
 * account that opens with the marker. Anyone else's comment, another bot's included, and a marker
 * anywhere but the first line (quoted, or smuggled into text Steward posted) count for nothing.
 */
function firstMarked(
  comments: readonly IssueComment[],
  marker: string,
  own: OwnAccount,
): MarkedComment | null {
  for (const { id, body, user } of comments) {
    if (typeof body === 'string' && opensWithMarker(body, marker) && isOwnAuthor(user, own))
      return { id, body, userType: user?.type ?? 'Bot' };
  }
  return null;
}

/**
 * Keeps one comment per marker: creates it the first time, rewrites it when the text changes, and
 * leaves it alone when the text is the same, so a redelivered webhook or rerun writes nothing. The
 * marker is put first when the body does not open with it.
 */
async function upsertCommentByMarker(
  store: CommentStore,
  marker: string,
  body: string,
  own: OwnAccount,
): Promise<UpsertOutcome> {
  const text = opensWithMarker(body, marker) ? body : `${marker}\n${body}`;
  const existing = firstMarked(await store.list(), marker, own);
  if (!existing) return { id: await store.create(text), action: 'created' };
  if (existing.body === text) return { id: existing.id, action: 'unchanged' };
  await store.update(existing.id, text);
  return { id: existing.id, action: 'updated' };
}
