import { LineCounter, isAlias, isMap, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { describeValue } from '../settings/describe-value.ts';
import { formatPath } from './format.ts';
import { knownKeysAt, whereKeyBelongs } from '../settings/kit.ts';
import { stewardConfigSchema } from './schema.ts';
import type { StewardConfig } from './schema.ts';
import { suggest } from '../settings/suggest.ts';
import { keyString, locate, positionAt } from './yaml-positions.ts';

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
  { ok: true; config: StewardConfig } | { ok: false; errors: ConfigError[] };

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

  const result = stewardConfigSchema.safeParse(data);
  if (result.success) return { ok: true, config: result.data };
  return fail(result.error.issues.flatMap((issue) => issueToErrors(issue, data, doc, lineCounter)));
}

function fail(errors: ConfigError[]): ParseConfigResult {
  const sorted = [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors: sorted };
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
 * stringify them with a process warning; report them before converting.
 */
function complexKeyErrors(doc: Document, lineCounter: LineCounter): ConfigError[] {
  const errors: ConfigError[] = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
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
