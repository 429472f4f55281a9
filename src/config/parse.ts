import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { describeValue } from '../settings/describe-value.ts';
import { parseExtends } from './extends.ts';
import {
  MAX_COLLECTION_ITEMS,
  MAX_CONFIG_BYTES,
  MAX_ERRORS_PER_FILE,
  MAX_NESTING,
  tooLargeMessage,
} from './limits.ts';
import { formatPath } from './format.ts';
import { knownKeysAt, whereKeyBelongs } from '../settings/kit.ts';
import { stewardConfigSchema } from './schema.ts';
import type { StewardConfig } from './schema.ts';
import { suggest } from '../settings/suggest.ts';
import { keyString, locate, positionAt } from './yaml-positions.ts';
import type { Position } from './yaml-positions.ts';

/**
 * One problem in a config file. `path` is the YAML key path (`auto-merge.bots[1]`, or "" for the
 * file as a whole); `message` says what was wrong and what to write instead, without the path.
 */
export interface ConfigError {
  path: string;
  line: number;
  column: number;
  message: string;
  suggestion?: string;
}

export type ParseConfigResult =
  | {
      ok: true;
      config: StewardConfig;
      /** The file's settings as written (before defaults), for merging with the files it extends. */
      data: Record<string, unknown>;
      /** Where the `_extends` value is written, when there is one. */
      extendsAt?: Position;
    }
  | { ok: false; errors: ConfigError[] };

/** What to do about the YAML errors people actually make in a hand-written config. */
const SYNTAX_HINTS: Partial<Record<string, string>> = {
  DUPLICATE_KEY: '; the key appears twice in the same map, keep one',
  MULTIPLE_DOCS: '; the config is a single document, remove the extra "---"',
  TAB_AS_INDENT: '; indent with spaces, not tabs',
};

/**
 * `bots: [renovate[bot]]` is the commonest YAML mistake in a Steward config: inside a `[ ]` list
 * the brackets of a bot's name end the list early.
 */
function bracketHint(text: string, line: number): string {
  const source = text.split(/\r?\n/)[line - 1] ?? '';
  const name = /\[.*?(?<![\w"'-])([\w.-]+\[[\w.-]*\])/.exec(source)?.[1];
  return name === undefined
    ? ''
    : `; inside a [ ] list, quote names that contain brackets: "${name}"`;
}

/** Enough aliases for any honest config; far fewer than a "billion laughs" document needs. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parse and validate the text of a Steward config file. Never throws: YAML syntax errors and
 * schema violations alike come back as errors carrying the line and column of the offending key
 * or value. An empty file (or one holding only comments) is the default config.
 */
export function parseConfig(text: string, file: string): ParseConfigResult {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) {
    return fail([
      {
        path: '',
        line: 1,
        column: 1,
        message: tooLargeMessage(bytes),
      },
    ]);
  }
  const nesting = nestingError(text);
  if (nesting !== null) return fail([nesting]);
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass; yaml's own check compares every pair of keys.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });

  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((error) => {
        const position = positionAt(lineCounter, error.pos[0]);
        const hint = SYNTAX_HINTS[error.code] ?? bracketHint(text, position.line);
        return { path: '', ...position, message: `YAML syntax error: ${error.message}${hint}` };
      }),
    );
  }

  const keyErrors = structureErrors(doc, lineCounter);
  if (keyErrors.length > 0) return fail(keyErrors);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail([
      {
        path: '',
        line: 1,
        column: 1,
        message: `cannot read ${file}: ${reason}${/alias/i.test(reason) ? '; use fewer YAML aliases (*name)' : ''}`,
      },
    ]);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail([
      {
        path: '',
        ...locate(doc, lineCounter, [], 'value'),
        message: `expected a map of sections (${knownKeysAt('')!.join(', ')}) at the top of ${file}, got ${describeValue(data)}`,
      },
    ]);
  }

  const extendsError = checkExtends(data as Record<string, unknown>, doc, lineCounter);
  const result = stewardConfigSchema.safeParse(data);
  if (result.success && extendsError === null) {
    const written = data as Record<string, unknown>;
    return {
      ok: true,
      config: result.data,
      data: written,
      ...(typeof written['_extends'] === 'string'
        ? { extendsAt: locate(doc, lineCounter, ['_extends'], 'value') }
        : {}),
    };
  }
  const errors = result.success
    ? []
    : result.error.issues.flatMap((issue) => issueToErrors(issue, data, doc, lineCounter));
  return fail(extendsError === null ? errors : [extendsError, ...errors]);
}

/** A bad `_extends` is reported here, by line, so nothing it names is ever requested. */
function checkExtends(
  data: Record<string, unknown>,
  doc: Document,
  lineCounter: LineCounter,
): ConfigError | null {
  const value = data['_extends'];
  if (typeof value !== 'string') return null; // the schema reports a value of the wrong type
  const parsed = parseExtends(value);
  if (parsed.ok) return null;
  return {
    path: '_extends',
    ...locate(doc, lineCounter, ['_extends'], 'value'),
    message: parsed.message,
  };
}

/**
 * YAML parsers recurse once per level of nesting: `[[[[…` or `- - - -…` a hundred thousand deep
 * runs them out of stack after seconds of work. A config is a few levels deep; anything past
 * MAX_NESTING is refused from a linear scan of the text, before the parser sees it.
 */
function nestingError(text: string): ConfigError | null {
  const lines = text.split('\n');
  let depth = 0;
  // A block scalar (`key: |`) holds text, not structure, on the lines indented past its key.
  let blockParent: number | null = null;
  for (const [index, source] of lines.entries()) {
    const indent = source.length - source.trimStart().length;
    if (blockParent !== null) {
      if (source.trim() === '' || indent > blockParent) continue;
      blockParent = null;
    }
    const scanned = nestingOfLine(source, index + 1, depth);
    if ('message' in scanned) return scanned;
    depth = scanned.depth;
    // Only outside flow collections, and only as code (not in a comment or a quoted string).
    if (depth === 0 && /(^|[\s:-])[|>][+-]?\d*[+-]?\s*$/.test(scanned.code)) blockParent = indent;
  }
  return null;
}

/**
 * The flow depth after one line (quotes and comments skipped) and the line's code without its
 * comment, or the error where it is too deep.
 */
function nestingOfLine(
  source: string,
  line: number,
  start: number,
): { depth: number; code: string } | ConfigError {
  let depth = start;
  let quote: string | null = null;
  let lineStart = true;
  let indicators = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"') i++;
      continue;
    }
    const next = source[i + 1];
    if (lineStart) {
      // Block nesting written on one line: `- - - x`, `? - ? - x`.
      const indicator =
        (char === '-' || char === '?' || char === ':') && (next === undefined || next === ' ');
      if (indicator && ++indicators > MAX_NESTING) return nestingAt(line, i + 1);
      if (indicator || char === ' ') continue;
      lineStart = false;
    }
    const previous = i === 0 ? ' ' : source[i - 1]!;
    if (char === '#' && /\s/.test(previous)) return { depth, code: source.slice(0, i) };
    if ((char === '"' || char === "'") && /[\s[{,:]/.test(previous)) quote = char;
    else if (char === '[' || char === '{') {
      if (++depth > MAX_NESTING) return nestingAt(line, i + 1);
    } else if (char === ']' || char === '}') depth = Math.max(0, depth - 1);
  }
  // A line that ends inside quotes has no block indicator at its end.
  return { depth, code: quote === null ? source : '' };
}

function nestingAt(line: number, column: number): ConfigError {
  return {
    path: '',
    line,
    column,
    message: `lists and maps are nested more than ${MAX_NESTING} levels deep here, past the limit for a Steward config`,
  };
}

/** The position of an error that is counted, never shown: it sorts after every real one. */
const UNSHOWN = { line: Number.MAX_SAFE_INTEGER, column: 0 };

function fail(errors: ConfigError[]): ParseConfigResult {
  const sorted = [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
  if (sorted.length <= MAX_ERRORS_PER_FILE) return { ok: false, errors: sorted };
  const shown = sorted.slice(0, MAX_ERRORS_PER_FILE);
  const last = sorted[MAX_ERRORS_PER_FILE]!;
  shown.push({
    path: '',
    line: last.line,
    column: last.column,
    message: `and ${sorted.length - MAX_ERRORS_PER_FILE} more errors from here on; fix these first`,
  });
  return { ok: false, errors: shown };
}

function issueToErrors(
  issue: z.core.$ZodIssue,
  data: unknown,
  doc: Document,
  lineCounter: LineCounter,
): ConfigError[] {
  if (issue.code === 'unrecognized_keys') {
    // Past the errors a file's report shows, keys are only counted: locating and suggesting for
    // each of a thousand keys would cost as much as the rest of the check.
    return issue.keys.map((key, index) =>
      index <= MAX_ERRORS_PER_FILE
        ? unknownKeyError(issue.path, key, doc, lineCounter)
        : { path: formatPath([...issue.path, key]), ...UNSHOWN, message: 'unknown key' },
    );
  }
  const error: ConfigError = {
    path: formatPath(issue.path),
    ...locate(doc, lineCounter, issue.path, 'value'),
    message: issue.message,
  };
  if (issue.code === 'invalid_value') {
    const input = valueAt(data, issue.path);
    const values = issue.values.filter((value): value is string => typeof value === 'string');
    const nearest = typeof input === 'string' ? suggest(input, values) : undefined;
    if (nearest !== undefined) error.suggestion = nearest;
  }
  if (issue.code === 'custom' && typeof issue.params?.['suggestion'] === 'string') {
    error.suggestion = issue.params['suggestion'];
  }
  return [error];
}

function unknownKeyError(
  parentPath: readonly PropertyKey[],
  key: string,
  doc: Document,
  lineCounter: LineCounter,
): ConfigError {
  const parent = formatPath(parentPath);
  // A map inside a list (`chaos.slo[2]`) declares its keys once, as `chaos.slo[]`.
  const declared = parent.replace(/\[\d+\]/g, '[]');
  const known = knownKeysAt(parent) ?? knownKeysAt(declared) ?? [];
  const error: ConfigError = {
    path: formatPath([...parentPath, key]),
    ...locate(doc, lineCounter, [...parentPath, key], 'key'),
    message: 'unknown key',
  };
  const nearest = suggest(key, known);
  if (nearest !== undefined) {
    error.suggestion = nearest;
    return error;
  }
  const elsewhere = whereKeyBelongs(key).filter((path) => path !== parent && path !== declared);
  if (elsewhere.length > 0) {
    // A list's items are declared as `chaos.slo[]`: the key belongs in an item of `chaos.slo`.
    const home = elsewhere[0]!.replace(/\[\]/g, '');
    error.message = `unknown key ${parent === '' ? 'at the top level' : `in ${parent}`}; ${key} is a setting of ${home}, so indent it under "${home.split('.').at(-1)!}:"`;
  } else {
    error.message = `unknown key; expected one of ${known.join(', ')}`;
  }
  return error;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * What the parsed document may not hold, reported before it is converted: a key written twice in
 * one map; keys written as lists or maps (`? [a, b]: 1`), which cannot name a setting and which
 * yaml's toJS would stringify with a process warning; lists and maps past MAX_COLLECTION_ITEMS,
 * which would make the schema check (and the error list) as long as they are.
 */
function structureErrors(doc: Document, lineCounter: LineCounter): ConfigError[] {
  const errors: ConfigError[] = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if ((isMap(node) || isSeq(node)) && node.items.length > MAX_COLLECTION_ITEMS) {
      const range = (node as { range?: [number, number, number] }).range;
      errors.push({
        path: formatPath(path),
        ...positionAt(lineCounter, range?.[0] ?? 0),
        message: `${isSeq(node) ? `the list has ${node.items.length} items` : `the map has ${node.items.length} keys`}, over the limit of ${MAX_COLLECTION_ITEMS} for a Steward config; use globs that cover many names`,
      });
      return;
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = keyString(pair.key);
        const identity = isScalar(pair.key)
          ? `${typeof pair.key.value}:${String(pair.key.value)}`
          : null;
        if (identity !== null || pair.key === null) {
          const id = identity ?? 'null:null';
          if (seen.has(id)) {
            const keyNode = pair.key as { range?: [number, number, number] } | null;
            errors.push({
              path: '',
              ...positionAt(lineCounter, keyNode?.range?.[0] ?? 0),
              message: `YAML syntax error: Map keys must be unique${SYNTAX_HINTS['DUPLICATE_KEY']}`,
            });
            continue;
          }
          seen.add(id);
        }
        if (pair.key !== null && key === undefined) {
          const keyNode = pair.key as { range?: [number, number, number] };
          errors.push({
            path: formatPath(path),
            ...positionAt(lineCounter, keyNode.range?.[0] ?? 0),
            message: `keys must be plain names, got ${isAlias(pair.key) ? 'an alias' : isSeq(pair.key) ? 'a list' : 'a map'}`,
          });
          continue;
        }
        walk(pair.value, [...path, key ?? '']);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    }
  };
  walk(doc.contents, []);
  return errors;
}
