import { commandSpec, helpText, parseComment } from '../../src/commands/parse.ts';
import type { ParsedComment } from '../../src/commands/parse.ts';
import {
  pullRequestOnlyText,
  refusalText,
  replyBody,
  replyMarker,
  unavailableText,
  unknownCommandText,
  usageText,
} from '../../src/commands/messages.ts';
import { levelFromFlags, mayRunCommands } from '../../src/commands/permission.ts';
import type { Outcome } from '../deliveries.ts';
import type { EventScope } from '../scope.ts';
import { repoName } from '../scope.ts';
import { runCommand } from './commands.ts';
import type { CommandResult } from './commands.ts';

export interface CommentEvent {
  action: string;
  commentId: number;
  body: string;
  author: { login: string; type: string };
  issueNumber: number;
  isPullRequest: boolean;
}

/**
 * Slash commands. Only a new comment counts (an edit could turn an old comment into a command
 * nobody reviewed), never a bot's, and only its first line. A command is acknowledged with 👀,
 * checked against the commenter's collaborator permission, run, and answered with one reply and
 * 🚀 (done) or 😕 (refused, unknown, failed).
 */
export async function onIssueComment(scope: EventScope, event: CommentEvent): Promise<Outcome> {
  if (event.action !== 'created' || event.author.type === 'Bot') return 'ignored';
  const parsed = parseComment(event.body);
  if (parsed.kind === 'none') return 'ignored';

  const { client } = scope;
  await client.addReaction(event.commentId, 'eyes');
  const permission = await client.getCollaboratorPermission(event.author.login);
  const level = levelFromFlags(permission.flags);
  if (!mayRunCommands(level)) {
    await finish(scope, event, parsed, {
      ok: false,
      reply: refusalText(level, repoName(scope.repo)),
    });
    return 'refused';
  }

  let result: CommandResult;
  try {
    result = await routeCommand(scope, event, parsed);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    await finish(scope, event, parsed, { ok: false, reply: `the command failed: ${message}` });
    throw error;
  }
  await finish(scope, event, parsed, result);
  if (result.outcome) return result.outcome;
  return result.ok ? 'handled' : 'refused';
}

async function routeCommand(
  scope: EventScope,
  event: CommentEvent,
  parsed: Exclude<ParsedComment, { kind: 'none' }>,
): Promise<CommandResult> {
  if (parsed.kind === 'unknown') {
    return { ok: false, reply: unknownCommandText(parsed.word, parsed.suggestion) };
  }
  if (parsed.kind === 'usage') return { ok: false, reply: usageText(parsed.spec, parsed.problem) };
  const spec = commandSpec(parsed.name);
  if (!spec.available) return { ok: false, reply: unavailableText(spec) };
  if (spec.pullRequestOnly && !event.isPullRequest)
    return { ok: false, reply: pullRequestOnlyText(spec) };
  if (parsed.name === 'help') return { ok: true, reply: helpText() };
  return runCommand(scope, event, parsed);
}

/** The reply (upserted: a redelivery rewrites it) and the closing reaction. */
async function finish(
  scope: EventScope,
  event: CommentEvent,
  parsed: Exclude<ParsedComment, { kind: 'none' }>,
  result: CommandResult,
): Promise<void> {
  if (result.reply !== null) {
    await scope.client.upsertComment(
      event.issueNumber,
      replyMarker(event.commentId),
      replyBody(event.commentId, parsed.text, event.author.login, result.reply),
    );
  }
  await scope.client.addReaction(event.commentId, result.ok ? 'rocket' : 'confused');
}
