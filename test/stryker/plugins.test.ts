import { describe, expect, test } from 'vitest';
import { fc, test as prop } from '@fast-check/vitest';
import { aridPatternProblem, createAridIgnorer, matchesCall } from '../../src/stryker/plugins.ts';
import type { NodePath } from '@stryker-mutator/api/ignore';

/** A Babel path as the ignorer reads it: only `node` is looked at. */
function call(callee: object): NodePath {
  return { node: { type: 'CallExpression', callee, arguments: [] } } as unknown as NodePath;
}
const id = (name: string): object => ({ type: 'Identifier', name });
const member = (object: object, name: string): object => ({
  type: 'MemberExpression',
  object,
  property: id(name),
  computed: false,
});

describe('matchesCall', () => {
  test.each([
    ['console.*', 'console.log', true],
    ['console.*', 'console', false],
    ['console.*', 'console.log.bind', true],
    ['logger.debug', 'logger.debug', true],
    ['logger.debug', 'logger.info', false],
    ['logger.debug', 'logger.debug.x', false],
    ['*.debug', 'app.debug', true],
    ['debug', 'debug', true],
    ['debug', 'debugger', false],
  ])('%s against %s is %s', (pattern, callee, expected) => {
    expect(matchesCall(pattern, callee)).toBe(expected);
  });

  prop.prop([fc.array(fc.stringMatching(/^[a-z]{1,5}$/), { minLength: 1, maxLength: 4 })])(
    'a dotted name matches itself, and its first segment followed by * matches it when longer',
    (segments) => {
      const name = segments.join('.');
      expect(matchesCall(name, name)).toBe(true);
      expect(matchesCall(`${segments[0] ?? ''}.*`, name)).toBe(segments.length > 1);
    },
  );
});

describe('aridPatternProblem', () => {
  test('accepts dotted names and stars, refuses anything else with the pattern named', () => {
    expect(aridPatternProblem('console.*')).toBeUndefined();
    expect(aridPatternProblem('this.logger.debug')).toBeUndefined();
    for (const bad of ['', 'console.', 'a..b', 'a.b()', 'a b', '**', 'x.[0]']) {
      expect(aridPatternProblem(bad)).toContain(`"${bad}"`);
    }
  });
});

describe('arid ignorer', () => {
  const ignorer = createAridIgnorer(['metrics.track']);

  test('ignores logging, debug and telemetry calls, this.logger calls and configured patterns', () => {
    expect(ignorer.shouldIgnore(call(member(id('console'), 'log')))).toMatch(/console\.log/);
    expect(
      ignorer.shouldIgnore(call(member(member({ type: 'ThisExpression' }, 'logger'), 'warn'))),
    ).toMatch(/logger\.warn/);
    expect(ignorer.shouldIgnore(call(id('debug')))).toBeDefined();
    expect(ignorer.shouldIgnore(call(member(id('metrics'), 'track')))).toBeDefined();
  });

  test('ignores a statement that is only an arid call, awaited or not', () => {
    const statement = (expression: object): NodePath =>
      ({ node: { type: 'ExpressionStatement', expression } }) as unknown as NodePath;
    const logCall = { type: 'CallExpression', callee: member(id('logger'), 'info'), arguments: [] };
    expect(ignorer.shouldIgnore(statement(logCall))).toBeDefined();
    expect(
      ignorer.shouldIgnore(statement({ type: 'AwaitExpression', argument: logCall })),
    ).toBeDefined();
  });

  test('leaves other calls, computed callees and other nodes to Stryker', () => {
    expect(ignorer.shouldIgnore(call(member(id('math'), 'max')))).toBeUndefined();
    expect(ignorer.shouldIgnore(call(member(id('metrics'), 'count')))).toBeUndefined();
    expect(
      ignorer.shouldIgnore(
        call({
          type: 'MemberExpression',
          object: id('console'),
          property: id('log'),
          computed: true,
        }),
      ),
    ).toBeUndefined();
    expect(
      ignorer.shouldIgnore({ node: { type: 'BinaryExpression' } } as unknown as NodePath),
    ).toBeUndefined();
  });
});
