import type { Logger } from 'pino';

/** What of Probot the identity needs: an Octokit authenticated as the App itself. */
export interface AppAuth {
  auth(): Promise<{
    request(route: string): Promise<{ data: unknown }>;
  }>;
}

/**
 * The account the app writes as, `<app-slug>[bot]`, learnt from `GET /app` once. Only comments by
 * that account carry markers Steward trusts: another app's bot, or a person, cannot write them.
 * A failed lookup is tried again on the next event, and the handler that needed it fails with the
 * reason (rather than trusting any bot).
 */
export function appAccount(probot: AppAuth, log: Logger): () => Promise<string> {
  let known: Promise<string> | undefined;
  const learn = async () => {
    const octokit = await probot.auth();
    const { data } = await octokit.request('GET /app');
    const slug = (data as { slug?: unknown } | null)?.slug;
    if (typeof slug !== 'string' || slug === '')
      throw new Error('GitHub answered GET /app without the App’s slug');
    const login = `${slug}[bot]`;
    log.info({ login }, 'the app writes as this account');
    return login;
  };
  return () => {
    known ??= learn().catch((error: unknown) => {
      known = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot learn the App's own account from GET /app: ${reason}`, {
        cause: error,
      });
    });
    return known;
  };
}
