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
  const location = palette.location(`${file}:${error.line}:${error.column}`);
  const path = error.path === '' ? '' : `${palette.path(error.path)}: `;
  const hint =
    error.suggestion === undefined
      ? ''
      : `${error.message.endsWith('.') ? '' : '.'} Did you mean ${palette.suggestion(JSON.stringify(error.suggestion))}?`;
  return `${location}  ${path}${error.message}${hint}`;
}

/** Every error on its own line, in the order given (parseConfig sorts them by position). */
export function formatConfigErrors(
  errors: readonly ConfigError[],
  file: string,
  palette = plain,
): string {
  return errors.map((error) => formatConfigError(error, file, palette)).join('\n');
}
