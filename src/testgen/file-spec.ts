import { posix } from 'node:path';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import { quote } from '../settings/describe-value.ts';
import { sourceSkipReason } from '../mutation/scope.ts';
import { compareTargets, targetsInText, undetectedByPath } from './targets.ts';
import type { TestTarget } from './types.ts';

/**
 * `--file PATH[:FUNCTION]`: the targets a user names on the command line instead of a diff. Every
 * line of a picked function counts as changed, so the chain's "covers new lines" stage measures
 * against the whole function. The rules that keep tests, declarations and generated code out
 * still apply; `test-gen.include`/`exclude` do not (the user named the file).
 */

export interface FileSpec {
  /** Repository-relative, normalised (`./src/a.ts` and `src/x/../a.ts` are `src/a.ts`). */
  path: string;
  /** `parse` or `Parser.parse`; null for every function of the file. */
  name: string | null;
}

export type FileSpecResult = { ok: true; spec: FileSpec } | { ok: false; message: string };

export type FilePick =
  { ok: true; targets: TestTarget[]; capped: TestTarget[] } | { ok: false; message: string };

/** A function name after the last colon: identifiers joined by dots, `#private` members, `default`. */
const NAME = /^[A-Za-z_$#][\w$#]*(?:\.[A-Za-z_$#][\w$#]*)*$/;

/**
 * Reads `PATH[:FUNCTION]`; the path must stay inside the repository. `option` is how the face
 * names the argument in an error (`--file` for `steward tests`, `--target` for `steward refactor`).
 */
export function parseFileSpec(text: string, option = '--file'): FileSpecResult {
  const trimmed = text.trim();
  const colon = trimmed.lastIndexOf(':');
  const tail = colon >= 0 ? trimmed.slice(colon + 1) : '';
  const hasName = colon > 0 && NAME.test(tail);
  const rawPath = (hasName ? trimmed.slice(0, colon) : trimmed).replace(/\\/g, '/');
  if (rawPath === '')
    return {
      ok: false,
      message: `expected ${option} PATH or PATH:FUNCTION, got ${quote(text)}`,
    };
  if (rawPath.includes('\0'))
    return { ok: false, message: `${quote(rawPath)} is not a path (it holds a NUL character)` };
  const path = posix.normalize(rawPath).replace(/^(?:\.\/)+/, '');
  if (posix.isAbsolute(path) || /^[A-Za-z]:/.test(path) || path === '..' || path.startsWith('../'))
    return {
      ok: false,
      message: `${quote(rawPath)} is outside the repository; give a path relative to its root, such as src/args.ts`,
    };
  return { ok: true, spec: { path, name: hasName ? tail : null } };
}

/** At most this many names are listed when a function is not found. */
const LISTED_NAMES = 30;

/** Names for an error message: the first few, then how many more. */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES).join(', ');
  return names.length > LISTED_NAMES ? `${shown} and ${names.length - LISTED_NAMES} more` : shown;
}

/**
 * Which of a file's function names a user's `name` means: the ones spelt so, else the one method
 * whose own name it is (`parse` for `Parser.parse`); several such methods are ambiguous.
 */
export function matchFunctionName(
  names: readonly string[],
  name: string,
):
  | { kind: 'found'; names: string[] }
  | { kind: 'ambiguous'; names: string[] }
  | { kind: 'missing' } {
  const exact = names.filter((n) => n === name);
  if (exact.length > 0) return { kind: 'found', names: exact };
  const byMember = names.filter((n) => n.endsWith(`.${name}`));
  if (byMember.length === 1) return { kind: 'found', names: byMember };
  return byMember.length > 1 ? { kind: 'ambiguous', names: byMember } : { kind: 'missing' };
}

/**
 * The targets `--file` names: every function of the file (best first, at most `maxTargets`), or
 * the one named. A method may be named by its own name (`parse` for `Parser.parse`) when that is
 * unambiguous. Errors name what was not found and what exists.
 */
export function targetsForFileSpec(
  text: string,
  readText: (path: string) => string | null,
  options: { maxTargets: number; report?: MutationTestResult | null },
): FilePick {
  const parsed = parseFileSpec(text);
  if (!parsed.ok) return parsed;
  const { path, name } = parsed.spec;
  const reason = sourceSkipReason({ path, status: 'modified', binary: false });
  if (reason !== null) return { ok: false, message: `${path} is not a target: ${reason}` };
  const source = readText(path);
  if (source === null) return { ok: false, message: `${path} is not a file in the repository` };
  const undetected =
    undetectedByPath(options.report, (p) => (p === path ? source : null)).get(path) ?? [];
  const found = targetsInText(path, source, 'all', undetected);
  if ('skipped' in found)
    return { ok: false, message: `${path} is not a target: ${found.skipped}` };
  const targets = found.targets;
  if (targets.length === 0) return { ok: false, message: `${path} has no functions or methods` };
  if (name === null) {
    const ranked = [...targets].sort(compareTargets);
    const cap = Math.max(0, Math.floor(options.maxTargets));
    return { ok: true, targets: ranked.slice(0, cap), capped: ranked.slice(cap) };
  }
  const names = [...new Set(targets.map((t) => t.name))];
  const match = matchFunctionName(names, name);
  if (match.kind === 'found') {
    const picked = targets.filter((t) => t.name === match.names[0]);
    return { ok: true, targets: picked.slice(0, 1), capped: [] };
  }
  if (match.kind === 'ambiguous')
    return {
      ok: false,
      message: `${path} has several methods named ${quote(name)}: ${listNames(match.names)}; name one with its class`,
    };
  return {
    ok: false,
    message: `${path} has no function or method named ${quote(name)}; it has ${listNames(names)}`,
  };
}
