import { COMMAND_LEVEL } from './permission.ts';
import type { PermissionLevel } from './permission.ts';
import { helpText } from './parse.ts';
import { inlineCode, neutraliseMarkers } from './markdown.ts';
import type { CommandSpec } from './parse.ts';

/**
 * What the app says on GitHub. Every message is a comment upserted under a hidden marker, so a
 * redelivered event rewrites the same comment instead of adding another.
 */

/** The reply to one command comment: one per comment, however often the event arrives. */
export function replyMarker(commentId: number): string {
  return `<!-- steward:reply:${commentId} -->`;
}

const code = inlineCode;

/** The first line of a reply: the command it answers, quoted as code (so it mentions no one), and who asked. */
function quoted(command: string, login: string): string {
  return `> ${code(command)}\n\n@${login}`;
}

/** The reply: its marker first, then text in which nothing echoed can pose as another marker. */
export function replyBody(commentId: number, command: string, login: string, text: string): string {
  return `${replyMarker(commentId)}\n${neutraliseMarkers(`${quoted(command, login)}, ${text}`)}`;
}

export function refusalText(level: PermissionLevel, repo: string): string {
  const has = level === 'none' ? 'no access' : `${level} access`;
  return `Steward commands need ${COMMAND_LEVEL} access to ${repo} or more; you have ${has}, so nothing was run. Ask a maintainer to run it, or to grant you ${COMMAND_LEVEL} access.`;
}

export function unknownCommandText(word: string, suggestion: string | undefined): string {
  const hint = suggestion === undefined ? '' : ` Did you mean \`/steward ${suggestion}\`?`;
  return `Steward has no command ${code(word)}.${hint}\n\n${helpText()}`;
}

export function usageText(spec: CommandSpec, problem: string): string {
  return `\`${spec.name}\`: ${problem}. Usage: \`${spec.usage}\``;
}

export function unavailableText(spec: CommandSpec): string {
  return `\`${spec.usage}\` is not available yet: Steward's router knows it, but the capability has not shipped. \`/steward help\` lists what runs today.`;
}

export function pullRequestOnlyText(spec: CommandSpec): string {
  return `\`${spec.usage}\` works on pull requests; comment it on one.`;
}
