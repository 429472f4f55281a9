import { inlineCode, neutraliseMarkers } from '../commands/markdown.ts';
import { inlineMarkdown } from '../markdown/untrusted.ts';
import { describeSources } from './format.ts';
import type { ConfigSource, LocatedConfigError } from './loader.ts';

/**
 * The comment the app keeps on a pull request or issue while the config it read is invalid, and
 * rewrites once it is valid again: upserted under one hidden marker, so a redelivered event
 * rewrites the same comment instead of adding another.
 */

/** The one comment that reports an invalid config on a pull request or issue. */
export const CONFIG_ERROR_MARKER = '<!-- steward:config-errors -->';

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

/** What the config report says once the config it complained about is valid again. */
export function configResolvedComment(): string {
  return `${CONFIG_ERROR_MARKER}\n**Steward's configuration is valid again**: the errors this comment listed are fixed, and Steward runs as configured.`;
}
