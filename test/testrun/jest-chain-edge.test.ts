import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createStrykerRunner } from '../../src/stryker/runner.ts';
import { runChain } from '../../src/testgen/chain.ts';
import { createTestRunPort } from '../../src/testrun/port.ts';
import type { Fixture } from '../stryker/fixture.ts';
import {
  DOUBLE,
  FLAKY_SEEDS,
  IS_ADULT,
  ONE_OF_EACH,
  PERCENT_OFF,
  appendJestPlacement,
  createJestChainFixture,
  snapshot,
} from './fixture.ts';

/**
 * The whole chain for real on a TypeScript jest project: in-memory type-check, jest on the
 * fixture's test file, Stryker with its jest runner (Steward's pinned set, installed into a
 * temporary tool directory) on the targets' lines, with a candidate of each kind the issue names.
 */

const LONG = 600_000;
let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());
const toolRoot = mkdtempSync(join(tmpdir(), 'steward-jest-tools-'));
afterAll(() => rmSync(toolRoot, { recursive: true, force: true }));

describe('the filter chain on a real jest project', () => {
  it(
    'keeps only the tests that kill a survivor or cover an uncovered line, reports the bug apart and counts every stage',
    async () => {
      fixture = createJestChainFixture();
      const before = snapshot(fixture.root);
      const port = createTestRunPort({
        root: fixture.root,
        framework: 'jest',
        concurrency: 1,
        mutationRunner: createStrykerRunner({ tools: { toolRoot } }),
      });
      const seeds = [...FLAKY_SEEDS];
      const { verdicts, funnel } = await runChain(ONE_OF_EACH, appendJestPlacement, port, {
        targets: [IS_ADULT, DOUBLE, PERCENT_OFF],
        nextSeed: () => seeds.shift() ?? 99,
      });

      expect(verdicts.get('adds strings')).toMatchObject({ kind: 'dropped', stage: 'type-check' });
      expect(verdicts.get('parses the answer')).toMatchObject({ kind: 'dropped', stage: 'pass' });
      expect(verdicts.get('parses the answer')).toHaveProperty(
        'reason',
        expect.stringContaining('SyntaxError'),
      );
      expect(verdicts.get('is a child below 41')).toMatchObject({
        kind: 'dropped',
        stage: 'stable',
      });
      expect(verdicts.get('is a child below 41')).toHaveProperty(
        'reason',
        expect.stringContaining(
          'flaky: passed once, then failed on run 3 of 5: expect(received).toBe(expected)',
        ),
      );
      expect(verdicts.get('adds without looking')).toMatchObject({
        kind: 'dropped',
        stage: 'adds-value',
      });
      expect(verdicts.get('is adult at 18')).toEqual({ kind: 'kept', kills: ['7'], covers: [] });
      expect(verdicts.get('doubles')).toEqual({ kind: 'kept', kills: ['11'], covers: [11] });
      expect(verdicts.get('takes 10% off')).toEqual({
        kind: 'possible-bug',
        assertion:
          'expect(received).toBe(expected) // Object.is equality\n\nExpected: 180\nReceived: 0',
      });
      expect(funnel).toEqual({
        candidates: 7,
        typeChecks: 6,
        passes: 4,
        stable: 3,
        addsValue: 2,
        kept: 2,
        possibleBugs: 1,
      });
      expect(snapshot(fixture.root)).toEqual(before);
    },
    LONG,
  );
});
