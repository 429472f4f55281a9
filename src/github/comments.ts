import type { MarkedComment, UpsertOutcome } from './types.ts';

interface CommentLike {
  id: number;
  body?: string | null;
  user?: { login?: string; type?: string } | null;
}

export interface CommentStore {
  list(): Promise<unknown[]>;
  create(body: string): Promise<number>;
  update(id: number, body: string): Promise<void>;
}

/**
 * The one way to find a comment Steward wrote: the first issue comment by a bot — by `author`,
 * Steward's own account, when the client knows it — whose body starts with the marker, where
 * Steward writes it. A person quoting the marker, another bot, or Steward's own reply echoing
 * someone's text further down is never taken for it.
 */
export function findMarkedComment(
  comments: readonly unknown[],
  marker: string,
  author: string | null = null,
): MarkedComment | null {
  const login = author?.toLowerCase();
  for (const comment of comments as CommentLike[]) {
    const { id, body, user } = comment;
    if (user?.type !== 'Bot' || typeof body !== 'string' || !body.startsWith(marker)) continue;
    if (login !== undefined && user.login?.toLowerCase() !== login) continue;
    return { id, body, userType: user.type };
  }
  return null;
}

/**
 * Keeps one comment per marker: creates it the first time, rewrites it when the text changes, and
 * leaves it alone when the text is the same, so a redelivered webhook or rerun writes nothing.
 */
export async function upsertCommentByMarker(
  store: CommentStore,
  marker: string,
  body: string,
  author: string | null = null,
): Promise<UpsertOutcome> {
  const text = body.startsWith(marker) ? body : `${marker}\n${body}`;
  const existing = findMarkedComment(await store.list(), marker, author);
  if (!existing) return { id: await store.create(text), action: 'created' };
  if (existing.body === text) return { id: existing.id, action: 'unchanged' };
  await store.update(existing.id, text);
  return { id: existing.id, action: 'updated' };
}
