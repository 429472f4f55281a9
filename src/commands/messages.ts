import { describeSources } from '../config/format.ts';
import type { ConfigSource, LocatedConfigError } from '../config/loader.ts';
import { COMMAND_LEVEL } from './permission.ts';
import type { PermissionLevel } from './permission.ts';
import { helpText } from './parse.ts';
import { inlineMarkdown } from '../markdown/untrusted.ts';
import { inlineCode, neutraliseMarkers } from './markdown.ts';
import type { CommandSpec } from './parse.ts';

/**
 * What the app says on GitHub. Every message is a comment upserted under a hidden marker, so a
 * redelivered event rewrites the same comment instead of adding another.
 */

/** The one comment that reports an invalid config on a pull request or issue. */
export const CONFIG_ERROR_MARKER = '<!-- steward:config-errors -->';

/** The reply to one command comment: one per comment, however often the event arrives. */
export function replyMarker(commentId: number): string {
  return `<!-- steward:reply:${commentId} -->`;
}

const code = inlineCode;

function errorLine({ file, error }: LocatedConfigError): string {
  const at = error.line > 0 ? `${file}:${error.line}:${error.column}` : file;
  const path = error.path === '' ? '' : ` ${code(error.path)}:`;
  const hint = error.suggestion === undefined ? '' : ` Did you mean ${code(error.suggestion)}?`;
  return `- ${code(at)}${path} ${inertMessage(error.message.replace(/\r?\n/g, ' '))}${hint}`;
}

/**
 * The values a config error quotes (`got "@acme/everyone"`) come from the config: shown as code,
 * where markdown does nothing and a mention notifies no one (quoted values are JSON strings). The
 * rest of the message goes through the untrusted-text renderer, so nothing in it is live either.
 */
function inertMessage(message: string): string {
  return message
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, index) =>
      index % 2 === 1 ? code(part) : inlineMarkdown(part, { keepEdges: true }),
    )
    .join('');
}

/** The config report: each error by file, line and column, and the files the config was read from. */
export function configErrorComment(
  errors: readonly LocatedConfigError[],
  sources: readonly ConfigSource[] = [],
): string {
  const count = errors.length === 1 ? 'an error' : `${errors.length} errors`;
  return [
    CONFIG_ERROR_MARKER,
    `**Steward did nothing here: its configuration has ${count}.**`,
    '',
    ...errors.map((e) => neutraliseMarkers(errorLine(e))),
    '',
    ...(sources.some((source) => source.found) ? [describeSources(sources, code), ''] : []),
    'Fix the file named above: `.github/steward.yml` on the branch the pull request merges into (the default branch for `/steward` commands), or the file it extends. `steward config check` reports the same errors locally. Steward runs again on the next event.',
  ].join('\n');
}

/** The first line of a reply: the command it answers, quoted as code (so it mentions no one), and who asked. */
function quoted(command: string, login: string): string {
  return `> ${code(command)}\n\n@${login}`;
}

/** The reply: its marker first, then text in which nothing echoed can pose as another marker. */
export function replyBody(commentId: number, command: string, login: string, text: string): string {
  return `${replyMarker(commentId)}\n${neutraliseMarkers(`${quoted(command, login)}, ${text}`)}`;
}

/** What the config report says once the config it complained about is valid again. */
export function configResolvedComment(): string {
  return `${CONFIG_ERROR_MARKER}\n**Steward's configuration is valid again**: the errors this comment listed are fixed, and Steward runs as configured.`;
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
