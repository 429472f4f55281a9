import type { UpsertOutcome } from './types.ts';

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
 * Keeps one comment per marker: creates it the first time, rewrites it when the text changes, and
 * leaves it alone when the text is the same, so a redelivered webhook or rerun writes nothing.
 */
export async function upsertCommentByMarker(
  store: CommentStore,
  marker: string,
  body: string,
): Promise<UpsertOutcome> {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const comments = (await store.list()) as CommentLike[];
  // Only a bot's comment is ours to rewrite: a person quoting the marker must not be overwritten.
  const existing = comments.find((c) => c.user?.type === 'Bot' && c.body?.includes(marker));
  if (!existing) return { id: await store.create(text), action: 'created' };
  if (existing.body === text) return { id: existing.id, action: 'unchanged' };
  await store.update(existing.id, text);
  return { id: existing.id, action: 'updated' };
}
