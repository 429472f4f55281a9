import { LineCounter, isAlias, isMap, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { describeValue } from '../settings/describe-value.ts';
import { parseExtends } from './extends.ts';
import {
  MAX_COLLECTION_ITEMS,
  MAX_CONFIG_BYTES,
  MAX_ERRORS_PER_FILE,
  describeBytes,
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
        message: `the file is ${describeBytes(bytes)}, over the limit of ${describeBytes(MAX_CONFIG_BYTES)} for a Steward config; keep it to settings (list globs such as "vendor/**" rather than every file)`,
      },
    ]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((error) => {
        const position = positionAt(lineCounter, error.pos[0]);
        const hint = SYNTAX_HINTS[error.code] ?? bracketHint(text, position.line);
        return { path: '', ...position, message: `YAML syntax error: ${error.message}${hint}` };
      }),
    );
  }

  const keyErrors = complexKeyErrors(doc, lineCounter);
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
    return issue.keys.map((key) => unknownKeyError(issue.path, key, doc, lineCounter));
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
  const known = knownKeysAt(parent) ?? [];
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
  const elsewhere = whereKeyBelongs(key).filter((path) => path !== parent);
  if (elsewhere.length > 0) {
    const home = elsewhere[0]!;
    error.message = `unknown key ${parent === '' ? 'at the top level' : `in ${parent}`}; ${key} is a setting of ${home}, so indent it under "${home.split('.').at(-1)!}:"`;
  } else if (known.length === 0) {
    error.message = `unknown key; ${parent} has no settings yet, so leave it empty`;
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
 * Keys written as lists or maps (`? [a, b]: 1`) cannot name a setting, and yaml's toJS would
 * stringify them with a process warning; lists and maps past MAX_COLLECTION_ITEMS would make the
 * schema check (and the error list) as long as they are. Both are reported before converting.
 */
function complexKeyErrors(doc: Document, lineCounter: LineCounter): ConfigError[] {
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
      for (const pair of node.items) {
        const key = keyString(pair.key);
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
