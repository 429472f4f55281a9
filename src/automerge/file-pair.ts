import type { GitHubClient } from '../github/client.ts';
import type { PullRequestFile, PullRequestSnapshot } from '../github/client.ts';
import { reconstructOldText } from '../diff/hunks.ts';

/** The head texts of the manifests and lockfiles to read (the root manifest came with the snapshot). */
export async function headTexts(
  client: GitHubClient,
  pr: PullRequestSnapshot,
  files: readonly PullRequestFile[],
): Promise<Map<string, string | null>> {
  const rootKnown = (f: PullRequestFile) =>
    f.path === 'package.json' && pr.rootManifestAtHead !== null;
  const needed = files.filter((f) => f.status !== 'removed' && !rootKnown(f)).map((f) => f.path);
  const texts = needed.length > 0 ? await client.getFileTexts(needed, pr.headSha) : new Map();
  if (pr.rootManifestAtHead !== null) texts.set('package.json', pr.rootManifestAtHead);
  return texts;
}

/** Both sides of a changed file: its head text, and the base side rebuilt from GitHub's patch. */
export function textPair(
  file: PullRequestFile,
  after: string | null,
  pr: PullRequestSnapshot,
  problems: string[],
): { before: string; after: string } | null {
  if (after === null) {
    problems.push(
      `${file.path}: could not be read at ${pr.headSha.slice(0, 7)} (missing, binary or too large)`,
    );
    return null;
  }
  if (file.patch === null) {
    problems.push(
      `${file.path}: GitHub sent no diff (too large), so its changes cannot be checked`,
    );
    return null;
  }
  try {
    return { before: reconstructOldText(after, file.patch), after };
  } catch (error: unknown) {
    problems.push(`${file.path}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
