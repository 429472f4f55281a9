import {
  CONFIG_ERROR_MARKER,
  configErrorComment,
  configResolvedComment,
} from '../src/config/comment.ts';
import type { ConfigSource, LocatedConfigError } from '../src/config/loader.ts';
import type { GitHubClient } from '../src/github/client.ts';

/** The one comment on a pull request that says its repository's config is invalid. */
export async function reportConfigErrors(
  client: GitHubClient,
  number: number,
  errors: readonly LocatedConfigError[],
  sources: readonly ConfigSource[],
): Promise<void> {
  await client.upsertComment(number, CONFIG_ERROR_MARKER, configErrorComment(errors, sources));
}

/**
 * Once the config is valid again, the report says so instead of listing errors that are gone. A
 * pull request that never had a report gets no comment.
 */
export async function clearConfigReport(client: GitHubClient, number: number): Promise<void> {
  const report = await client.findMarkedComment(number, CONFIG_ERROR_MARKER);
  const resolved = configResolvedComment();
  if (report && report.body !== resolved)
    await client.upsertComment(number, CONFIG_ERROR_MARKER, resolved);
}
