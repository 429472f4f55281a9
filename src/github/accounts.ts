import { z } from 'zod';

/**
 * Who wrote something, as GitHub's two dialects name it. REST's `simple-user` and GraphQL's
 * `Actor` become Steward's `{ login, type }`; both checked against GitHub's documented shape.
 */

/** REST `simple-user` (and `nullable-simple-user` with `.nullable()`): what Steward reads of it. */
export const restUser = z.object({ login: z.string(), id: z.number(), type: z.string() });
export type RestUser = z.output<typeof restUser>;

/**
 * A commit's `author` or `committer` in REST: a user, `{}` when the email maps to no account
 * (`empty-object`), or null.
 */
export const restCommitUser = z.union([restUser, z.strictObject({})]).nullable();

/** GraphQL `Actor` with its `__typename` (a pull request's author is null for a deleted account). */
export const graphqlActor = z.object({ __typename: z.string(), login: z.string() }).nullable();

export function restAccount(
  user: z.output<typeof restCommitUser>,
): { login: string; type: string } | null {
  if (!user || !('login' in user)) return null;
  return { login: user.login, type: user.type };
}

export function graphqlAccount(
  actor: z.output<typeof graphqlActor>,
): { login: string; type: string } | null {
  if (!actor) return null;
  // GraphQL names a GitHub App's bot "renovate" where REST and config say "renovate[bot]".
  if (actor.__typename === 'Bot') {
    const login = actor.login.endsWith('[bot]') ? actor.login : `${actor.login}[bot]`;
    return { login, type: 'Bot' };
  }
  return { login: actor.login, type: actor.__typename };
}
