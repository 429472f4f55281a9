import type { StewardConfig } from '../../src/config/schema.ts';
import { isAnalysable } from '../../src/health/complexity/languages.ts';
import { healthDeltaOfTexts } from '../../src/health/assess-texts.ts';
import { changedTexts, readMergeBase } from '../../src/review/pull-request-review.ts';
import { renderHealthMarkdown } from '../../src/hotspots/report/health.ts';
import type { EventScope } from '../scope.ts';
import type { CommandResult } from './commands.ts';

/**
 * `/steward health`: code health before and after, for the pull request's changed files, from the
 * API alone. The head texts come from GitHub; the base texts are the head texts with GitHub's
 * patch reversed, so both sides are the ones the diff shows (the merge base, not the base tip). The
 * merge base is named when GitHub's comparison answers it; else the reply says only that it was the
 * merge base with the base tip.
 */
export async function healthReply(
  scope: EventScope,
  number: number,
  config: StewardConfig,
): Promise<CommandResult> {
  const { client } = scope;
  const snapshot = await client.getPullRequestSnapshot(number);
  const files = (await client.listPullRequestFiles(number)).filter(
    (f) => isAnalysable(f.path) && f.patch !== null,
  );
  const present = files.filter((f) => f.status !== 'removed').map((f) => f.path);
  const texts =
    present.length > 0 ? await client.getFileTexts(present, snapshot.headSha) : new Map();
  const changes = changedTexts(files, texts);
  const mergeBase = await readMergeBase(client, snapshot.baseSha, snapshot.headSha);
  const { files: deltas } = healthDeltaOfTexts(changes, config.hotspots);
  const table = renderHealthMarkdown({
    base: snapshot.baseSha,
    ...(mergeBase ? { mergeBase } : {}),
    head: snapshot.headSha,
    files: deltas,
  }).trimEnd();
  const skipped = files.length - changes.length;
  const note =
    skipped > 0 ? `\n\n${skipped} file(s) left out: their patch does not apply to their text.` : '';
  return { ok: true, reply: `here is the code health of the changed files.\n\n${table}${note}` };
}
