import type { TestOutcome } from '../testgen/test-runner.ts';
import { firstLines, withoutColours } from './messages.ts';

/**
 * What Steward's jest reporter writes, and what it means: which tests ran, and for a failure
 * whether an expectation did not hold (an assertion) or something else threw (an exception).
 */

/**
 * The reporter (CommonJS: jest requires it in its own process). Jest hands it each failure twice:
 * as a plain copy of the error (message, `matcherResult` for an `expect` failure, `cause`; an
 * AssertionError of node:assert or chai already turned into a message without a stack; on Node 24
 * the copy's stack reads undefined) and as text (`Name: message`, stack lines, `[cause]: Name: …`).
 */
export function reporterSource(out: string): string {
  return `const { writeFileSync } = require('node:fs');
const plain = (e, depth) => {
  if (e == null) return undefined;
  if (typeof e !== 'object') return { message: String(e), stacked: true, matcher: false };
  return {
    message: String(e.message ?? ''),
    stacked: Object.prototype.hasOwnProperty.call(e, 'stack'),
    matcher: e.matcherResult !== undefined,
    cause: depth > 0 ? plain(e.cause, depth - 1) : undefined,
  };
};
const withText = (e, text) => ({ ...plain(e, 1), text: typeof text === 'string' ? text : undefined });
module.exports = class StewardReporter {
  onRunComplete(contexts, results) {
    const files = results.testResults.map((r) => ({
      path: r.testFilePath,
      execError: r.testExecError == null ? undefined : withText(r.testExecError, r.testExecError.stack),
      tests: r.testResults.map((t) => ({
        title: t.title,
        status: t.status,
        errors: (t.failureDetails ?? []).map((e, i) => withText(e, (t.failureMessages ?? [])[i])),
      })),
    }));
    writeFileSync(${JSON.stringify(out)}, JSON.stringify({ files }));
  }
};
`;
}

export interface JestError {
  message: string;
  /** Whether the copy has a stack: jest drops it when it rewrites an AssertionError into a message. */
  stacked: boolean;
  /** An `expect(...)` failure (the error carries jest's matcherResult). */
  matcher: boolean;
  cause?: JestError | undefined;
  /** Jest's text of the failure: `Name: message`, the stack, `[cause]: Name: message`. */
  text?: string | undefined;
}

export interface Reported {
  files: {
    path: string;
    execError?: JestError | undefined;
    tests: { title: string; status: string; errors: JestError[] }[];
  }[];
}

/**
 * The error's name, read from jest's text of the failure, where a line reads `Name: message`
 * (the copy of the error has no name: it is the prototype's).
 */
function errorName(error: JestError, text: string | undefined): string {
  const message = error.message.split('\n')[0] ?? '';
  if (text === undefined || message === '') return 'Error';
  for (const line of withoutColours(text).split('\n')) {
    const trimmed = line.trim().replace(/^\[cause\]: /, '');
    if (trimmed.endsWith(`: ${message}`)) {
      const name = trimmed.slice(0, trimmed.length - message.length - 2);
      if (/^[\w$.]+$/.test(name)) return name;
    }
  }
  return 'Error';
}

function isAssertion(error: JestError, text: string | undefined): boolean {
  return error.matcher || !error.stacked || /AssertionError/.test(errorName(error, text));
}

export function describeError(error: JestError, text: string | undefined): string {
  return isAssertion(error, text)
    ? firstLines(error.message)
    : firstLines(`${errorName(error, text)}: ${error.message}`);
}

/**
 * A failure is an assertion when the error (or, for a fast-check property, its cause) is an
 * `expect` failure or an AssertionError; anything else thrown is an exception.
 */
export function outcomeOfJestErrors(errors: readonly JestError[]): TestOutcome {
  const error = errors[0] ?? { message: 'failed without an error', stacked: true, matcher: false };
  const property = error.message.startsWith('Property failed') && error.cause !== undefined;
  const effective = property && error.cause !== undefined ? error.cause : error;
  const message = property
    ? `${describeError(effective, error.text)}\n${firstLines(error.message)}`
    : describeError(effective, error.text);
  return {
    status: 'failed',
    failure: isAssertion(effective, error.text) ? 'assertion' : 'exception',
    message,
  };
}

export function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export function isReported(value: unknown): value is Reported {
  const files = (value as { files?: unknown } | null)?.files;
  return (
    Array.isArray(files) &&
    files.every(
      (f: Partial<Reported['files'][number]> | null) =>
        typeof f?.path === 'string' &&
        Array.isArray(f.tests) &&
        f.tests.every(
          (t: Partial<Reported['files'][number]['tests'][number]> | null) =>
            typeof t?.title === 'string' &&
            typeof t.status === 'string' &&
            Array.isArray(t.errors) &&
            t.errors.every(isJestError),
        ) &&
        (f.execError === undefined || isJestError(f.execError)),
    )
  );
}

function isJestError(value: unknown, depth = 0): boolean {
  const e = value as Partial<JestError> | null;
  return (
    typeof e?.message === 'string' &&
    typeof e.stacked === 'boolean' &&
    typeof e.matcher === 'boolean' &&
    (e.text === undefined || typeof e.text === 'string') &&
    (e.cause === undefined || (depth < 1 && isJestError(e.cause, depth + 1)))
  );
}
