import type { MarkedComment, UpsertOutcome } from './client.ts';

interface CommentLike {
  id: number;
  body?: string | null;
  user?: { login?: string; id?: number; type?: string } | null;
}

/** The account the client's token acts as, as GraphQL's `viewer` names it. */
export interface OwnAccount {
  login: string;
  /** The REST `user.id` of the account; null when GitHub did not say. */
  databaseId: number | null;
}

export interface CommentStore {
  list(): Promise<unknown[]>;
  create(body: string): Promise<number>;
  update(id: number, body: string): Promise<void>;
}

/**
 * Whether a comment's author is the token's own account. REST names an App's bot `slug[bot]`;
 * `viewer` does too, but the id settles it either way.
 */
export function isOwnAuthor(
  user: { login?: string; id?: number; type?: string } | null | undefined,
  own: OwnAccount,
): boolean {
  if (!user) return false;
  if (own.databaseId !== null && typeof user.id === 'number') return user.id === own.databaseId;
  if (typeof user.login !== 'string') return false;
  if (user.login.toLowerCase() === own.login.toLowerCase()) return true;
  // GraphQL names a bot without the `[bot]` REST adds; a person's account of that bare name is
  // not the bot, so the bare names match only for an author GitHub says is a Bot.
  const bare = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '');
  return user.type === 'Bot' && bare(user.login) === bare(own.login);
}

/** Whether `body` opens with `marker` on a line of its own: the one place Steward writes it. */
export function opensWithMarker(body: string, marker: string): boolean {
  return body === marker || body.startsWith(`${marker}\n`) || body.startsWith(`${marker}\r\n`);
}

/**
 * The one way to find a comment Steward wrote: the first issue comment written by Steward's own
 * account that opens with the marker. Anyone else's comment, another bot's included, and a marker
 * anywhere but the first line (quoted, or smuggled into text Steward posted) count for nothing.
 */
export function findMarkedComment(
  comments: readonly unknown[],
  marker: string,
  own: OwnAccount,
): MarkedComment | null {
  for (const comment of comments as CommentLike[]) {
    const { id, body, user } = comment;
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
export async function upsertCommentByMarker(
  store: CommentStore,
  marker: string,
  body: string,
  own: OwnAccount,
): Promise<UpsertOutcome> {
  const text = opensWithMarker(body, marker) ? body : `${marker}\n${body}`;
  const existing = findMarkedComment(await store.list(), marker, own);
  if (!existing) return { id: await store.create(text), action: 'created' };
  if (existing.body === text) return { id: existing.id, action: 'unchanged' };
  await store.update(existing.id, text);
  return { id: existing.id, action: 'updated' };
}
