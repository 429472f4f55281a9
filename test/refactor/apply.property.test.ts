import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { applyProposal, checkRefactoredText } from '../../src/refactor/apply.ts';
import { FILE, FLAT_PARSE_OPTIONS, READ_ARG, proposal, target } from './apply-fixtures.ts';

const applied = applyProposal(
  FILE,
  target('parseOptions'),
  proposal('parseOptions', FLAT_PARSE_OPTIONS, [READ_ARG]),
);
const GOOD = applied.ok ? applied.text : '';
/** The function with its comment and the helper after it: the one stretch a change may touch. */
const FREE_START = GOOD.indexOf('/**\n * Reads the command line.');
const FREE_END = GOOD.indexOf(READ_ARG) + READ_ARG.length;

describe('checkRefactoredText on artifacts edited outside the function', () => {
  test('applyProposal made the artifact the tests below edit', () => {
    expect(applied.ok).toBe(true);
    expect(FREE_START).toBeGreaterThan(0);
    expect(FREE_END).toBeGreaterThan(FREE_START);
  });

  test.prop([
    fc.integer({ min: 0, max: GOOD.length }).filter((at) => at < FREE_START || at > FREE_END),
    fc.constantFrom('x', ';', '0', '/', '!', '(', '"', '`', '}', 'export '),
  ])('any non-blank text put anywhere outside the function is refused', (at, inserted) => {
    const after = GOOD.slice(0, at) + inserted + GOOD.slice(at);
    expect(checkRefactoredText(FILE, after, target('parseOptions')).ok).toBe(false);
  });

  test.prop([
    fc
      .integer({ min: 0, max: GOOD.length - 1 })
      .filter((at) => (at < FREE_START || at >= FREE_END) && GOOD[at]!.trim() !== ''),
  ])('any non-blank character deleted outside the function is refused', (at) => {
    const after = GOOD.slice(0, at) + GOOD.slice(at + 1);
    expect(checkRefactoredText(FILE, after, target('parseOptions')).ok).toBe(false);
  });
});
