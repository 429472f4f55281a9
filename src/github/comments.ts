import type { MarkedComment, UpsertOutcome } from './types.ts';

interface CommentLike {
  id: number;
  body?: string | null;
  user?: { type?: string } | null;
}

export interface CommentStore {
  list(): Promise<unknown[]>;
  create(body: string): Promise<number>;
  update(id: number, body: string): Promise<void>;
}

/**
 * The one way to find a comment Steward wrote: the first issue comment by a bot whose body carries
 * the marker. Only a bot's comment is ours: a person quoting the marker must not be taken for it.
 */
export function findMarkedComment(
  comments: readonly unknown[],
  marker: string,
): MarkedComment | null {
  for (const comment of comments as CommentLike[]) {
    const { id, body, user } = comment;
    if (user?.type === 'Bot' && typeof body === 'string' && body.includes(marker))
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
): Promise<UpsertOutcome> {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const existing = findMarkedComment(await store.list(), marker);
  if (!existing) return { id: await store.create(text), action: 'created' };
  if (existing.body === text) return { id: existing.id, action: 'unchanged' };
  await store.update(existing.id, text);
  return { id: existing.id, action: 'updated' };
}
