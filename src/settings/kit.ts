import { z } from 'zod';
import { describeValue, quote } from './describe-value.ts';

/**
 * The pieces every capability's settings section is built from, so each section reads alike and
 * every wrong value is answered the same way: what was expected, what was written. Capabilities
 * declare their sections beside their code with these; src/config composes the sections into the
 * schema of `.github/steward.yml`. YAML keys are kebab-case; parsed fields are camelCase.
 */

/** Error text for a value of the wrong type or outside a fixed set; other checks keep their own. */
export function expecting(what: string) {
  return {
    error: (issue: { code?: string; input?: unknown }) =>
      issue.code === 'invalid_type' || issue.code === 'invalid_value'
        ? `expected ${what}, got ${describeValue(issue.input)}`
        : undefined,
  };
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue: { input?: unknown }) =>
      `expected one of ${values.join(', ')}, got ${
        typeof issue.input === 'string' ? quote(issue.input) : describeValue(issue.input)
      }`,
  });
}

export const nonEmptyString = z
  .string(expecting('a string'))
  .min(1, { error: 'must not be empty; remove the empty item' });

export const stringList = z.array(nonEmptyString, expecting('a list of strings'));

/** Path globs (`include`, `exclude`), each a non-empty string; `example` shows one in the error. */
export const globList = (example: string) =>
  z.array(nonEmptyString, expecting(`a list of globs such as ${example}`));

/**
 * The keys each map accepts, by the YAML path of that map ("" is the top level), so an unknown
 * key can be answered with the nearest known one.
 */
const knownKeys = new Map<string, readonly string[]>();

export function knownKeysAt(path: string): readonly string[] | undefined {
  return knownKeys.get(path);
}

/** The paths of the maps that accept `key` (compared loosely), to say where a stray key belongs. */
export function whereKeyBelongs(key: string): string[] {
  const wanted = key.toLowerCase();
  return [...knownKeys]
    .filter(([, keys]) => keys.some((known) => known.toLowerCase() === wanted))
    .map(([path]) => path);
}

/** A map that rejects unknown keys; `path` is where it sits in the file (`auto-merge.security`). */
export function strictMap<const Shape extends z.ZodRawShape>(path: string, shape: Shape) {
  knownKeys.set(path, Object.keys(shape));
  return z.strictObject(shape, expecting('a map of settings'));
}

/** A section may be left empty (`review:` on its own line) to take every default. */
export function section<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema);
}

export const flag = (fallback: boolean) => z.boolean(expecting('true or false')).default(fallback);

/** A number as it reads in an error: the value itself, or what kind of thing it was instead. */
export function got(input: unknown): string {
  return typeof input === 'number' ? String(input) : describeValue(input);
}

/** A number checked against its range with a single message for every way it can be wrong. */
export function numberIn(what: string, check: (value: number) => boolean) {
  const error = (issue: { input?: unknown }) => `expected ${what}, got ${got(issue.input)}`;
  return z.number({ error }).refine(check, { error });
}

/** A whole number of `min` or more: counts of revisions, files, lines, parameters. */
export const wholeNumber = (fallback: number, min = 1) =>
  numberIn(`a whole number of ${min} or more`, (n) => Number.isInteger(n) && n >= min).default(
    fallback,
  );

/**
 * Inside a `transform`: reject `input` with `message` (and a suggestion the config error offers as
 * "did you mean"), the way every hand-written check answers.
 */
export function rejectValue(
  ctx: z.RefinementCtx,
  input: unknown,
  message: string,
  suggestion?: string,
): typeof z.NEVER {
  ctx.addIssue({
    code: 'custom',
    input,
    message,
    params: suggestion === undefined ? {} : { suggestion },
  });
  return z.NEVER;
}
