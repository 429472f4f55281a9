import { stringify } from 'yaml';
import type { ConfigSource, LocatedConfigError } from './loader.ts';
import type { ConfigError } from './parse.ts';

/** A key path as users read it: `auto-merge.update-types.dependencies[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
      continue;
    }
    const key = String(segment);
    if (/^[A-Za-z0-9_-]+$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}

/** How parts of a line are highlighted; the CLI passes ANSI colours, everything else plain text. */
export interface Palette {
  location(text: string): string;
  path(text: string): string;
  suggestion(text: string): string;
}

const plain: Palette = {
  location: (text) => text,
  path: (text) => text,
  suggestion: (text) => text,
};

/** One line: `file:line:column  path: message. Did you mean "x"?` */
export function formatConfigError(error: ConfigError, file: string, palette = plain): string {
  // Line 0: the error is about the file as a whole (its size, or files valid alone but not together).
  const location = palette.location(
    error.line > 0 ? `${file}:${error.line}:${error.column}` : file,
  );
  const path = error.path === '' ? '' : `${palette.path(error.path)}: `;
  const hint =
    error.suggestion === undefined
      ? ''
      : `${error.message.endsWith('.') ? '' : '.'} Did you mean ${palette.suggestion(JSON.stringify(error.suggestion))}?`;
  return `${location}  ${path}${error.message}${hint}`;
}

/** Errors of several files, each line naming its file, in the order the loader found them. */
export function formatLocatedConfigErrors(
  errors: readonly LocatedConfigError[],
  palette = plain,
): string {
  return errors.map(({ file, error }) => formatConfigError(error, file, palette)).join('\n');
}

/** Every error on its own line, in the order given (parseConfig sorts them by position). */
export function formatConfigErrors(
  errors: readonly ConfigError[],
  file: string,
  palette = plain,
): string {
  return errors.map((error) => formatConfigError(error, file, palette)).join('\n');
}

/**
 * Where the config came from, in the words every face uses (the CLI's `config check`, the
 * actions' job summary, the app's `/steward config` and config report): the files read, nearest
 * first, or the files looked for when none exists. `quote` marks a file name up (code in markdown).
 */
export function describeSources(
  sources: readonly ConfigSource[],
  quote: (text: string) => string = (text) => text,
): string {
  const read = sources.filter((source) => source.found);
  if (read.length === 0) {
    const looked = sources.map((source) => quote(source.label)).join(', ');
    return `No config file${looked === '' ? '' : ` (looked for ${looked})`}: every setting is the default.`;
  }
  const files = read.map((source) => quote(source.label)).join(', then ');
  return read.length === 1
    ? `Read from ${files}.`
    : `Read from ${files} (nearest first; maps merge key by key, a list or value in a nearer file replaces the farther one).`;
}

/** The settings the files give (before defaults), as YAML; '' when they give none. */
export function settingsYaml(merged: Readonly<Record<string, unknown>>): string {
  return Object.keys(merged).length === 0 ? '' : stringify(merged).trimEnd();
}
