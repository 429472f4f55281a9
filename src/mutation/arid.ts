import { invalidCallPattern } from './settings.ts';

/**
 * Arid code, as Google's mutation testing calls it: calls whose behaviour no test is meant to pin
 * down (logging, console, debug and telemetry). Their mutants are noise, so they are never reported.
 * The patterns are dotted callees with `*` for any one name: `logger.*` matches `logger.info`.
 */

export const DEFAULT_ARID_CALLS: readonly string[] = [
  'console.*',
  'logger.*',
  'log.*',
  'this.logger.*',
  'this.log.*',
  'debug',
  'log',
  'core.debug',
  'core.info',
  'telemetry.*',
  'tracer.*',
  'span.*',
];

function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('.')
    .map((part) => (part === '*' ? '[A-Za-z_$][\\w$]*' : part.replace(/\$/g, '\\$')))
    .join('\\.');
  return new RegExp(`^${body}$`);
}

/** Whether a callee (`logger.info`, `console.log`) is arid, by the defaults and `extra`. */
export function aridCallMatcher(extra: readonly string[] = []): (callee: string) => boolean {
  const patterns = [...DEFAULT_ARID_CALLS, ...extra];
  for (const pattern of patterns) {
    const reason = invalidCallPattern(pattern);
    if (reason !== null) throw new Error(`arid call pattern: ${reason}`);
  }
  const regexes = patterns.map(patternRegex);
  return (callee) => {
    const compact = callee.replace(/\s+/g, '').replace(/\?\./g, '.');
    return regexes.some((r) => r.test(compact));
  };
}

/** A line that is one call statement (`await logger.info(…)`): its callee; null otherwise. */
export function calleeOfStatement(line: string): string | null {
  if (line.length > 2000) return null; // no one logs in a minified line worth a comment
  const match =
    /^\s*(?:await\s+|void\s+)?((?:this\.)?[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*)\s*\(/.exec(
      line,
    );
  return match === null ? null : match[1]!.replace(/\s+/g, '').replace(/\?\./g, '.');
}
