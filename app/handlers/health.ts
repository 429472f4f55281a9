import type { StewardConfig } from '../../src/config/schema.ts';
import { healthOfPullRequest } from '../../src/health/pull-request.ts';
import { renderHealthMarkdown } from '../../src/hotspots/report/health.ts';
import type { EventScope } from '../scope.ts';
import type { CommandResult } from './commands.ts';

/** `/steward health`: the code health of the pull request's changed files (healthOfPullRequest). */
export async function healthReply(
  scope: EventScope,
  number: number,
  config: StewardConfig,
): Promise<CommandResult> {
  const { leftOut, ...report } = await healthOfPullRequest(scope.client, number, config.hotspots);
  const table = renderHealthMarkdown(report).trimEnd();
  const note =
    leftOut > 0 ? `\n\n${leftOut} file(s) left out: their patch does not apply to their text.` : '';
  return { ok: true, reply: `here is the code health of the changed files.\n\n${table}${note}` };
}
