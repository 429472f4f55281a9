import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import { runHotspots } from '../../src/hotspots/run-hotspots.ts';
import { defaultHotspotsConfig } from '../../src/hotspots/settings.ts';
import { applyProposal } from '../../src/refactor/apply.ts';
import { chooseTargets, filesToRead } from '../../src/refactor/choose.ts';
import { compareHealth } from '../../src/refactor/health-proof.ts';
import type { RefactorProofPort } from '../../src/refactor/proof-port.ts';
import { defaultRefactorConfig, type RefactorConfig } from '../../src/refactor/settings.ts';
import type { RefactorTarget } from '../../src/refactor/types.ts';
import { createRefactorProofPort } from '../../src/testrun/refactor-proofs.ts';
import { ANSWERS, type AnswerKind } from './refactor-answers.ts';
import {
  PRICING,
  PRICING_PATH,
  PRICING_TEST_PATH,
  TARGET_FUNCTION,
  createRefactorFixture,
  type RefactorFixture,
} from './refactor-fixture.ts';

/**
 * The e2e's fixture and answers through the real pieces, in process (no bundle, no model): the
 * selection finds priceOrder and only it, and each answer stops at the proof it is named for —
 * apply for the two that must never get past it, health, API, types, tests for the others, and
 * the good one passes every proof. When refactor.test.ts (the bundled action) fails, this file
 * says whether the pieces or the faces are at fault.
 */
const LONG = { timeout: 300_000 };

let fixture: RefactorFixture;
let config: RefactorConfig;
let target: RefactorTarget;
let port: RefactorProofPort;

beforeAll(async () => {
  fixture = createRefactorFixture();
  config = defaultRefactorConfig();
  port = createRefactorProofPort({ root: fixture.repo.dir, testCommand: null, mutation: false });
}, LONG.timeout);
afterAll(() => {
  port.close();
  fixture.cleanup();
});

const read = (path: string) => readFileSync(join(fixture.repo.dir, path), 'utf8');

/** Every proof of runRefactor's order for one answer, each verdict kept (none stops the others). */
async function proofsOf(kind: AnswerKind) {
  const input = ANSWERS[kind];
  const applied = applyProposal(PRICING, target, { ...input, helpers: input.helpers ?? [] });
  if (!applied.ok) return { applied };
  const after = applied.text;
  const overlay = new Map([[PRICING_PATH, after]]);
  return {
    applied,
    health: compareHealth(PRICING_PATH, PRICING, after, target, DEFAULT_THRESHOLDS, 0.5),
    api: await port.compareApi(PRICING_PATH, PRICING, after),
    types: await port.typecheck(overlay),
    tests: await port.runTests(overlay, PRICING_PATH),
  };
}

describe('the refactoring fixture through the real pieces', () => {
  test(
    'the selection: src/pricing.ts is hotspot 1, priceOrder its one target, with its smells',
    LONG,
    async () => {
      const run = await runHotspots({
        reader: await openGitRevisionReader(fixture.repo.dir),
        since: null,
        config: defaultHotspotsConfig(),
        repoLabel: 'shop-pricing',
      });
      expect(run.report.files[0]).toMatchObject({ path: PRICING_PATH, revisions: 5 });
      const texts = new Map(filesToRead(run.report, config).map((path) => [path, read(path)]));
      const testFiles = new Map(
        [PRICING_TEST_PATH, 'test/cart.test.ts'].map((path) => [path, read(path)]),
      );
      const choice = chooseTargets({
        report: run.report,
        texts,
        testFiles,
        config,
        openPullRequestPaths: new Set(),
        rejectedFingerprints: new Set(),
      });
      expect(choice.targets).toHaveLength(1);
      target = choice.targets[0]!;
      expect(target).toMatchObject({
        path: PRICING_PATH,
        function: TARGET_FUNCTION,
        hotspotRank: 1,
      });
      expect(target.smells.map((s) => s.kind)).toEqual(
        expect.arrayContaining(['Complex Method', 'Deep Nesting', 'Complex Conditional']),
      );
      // Open pull requests and rejected fingerprints take it out.
      const again = (open: string[], rejected: string[]) =>
        chooseTargets({
          report: run.report,
          texts,
          testFiles,
          config,
          openPullRequestPaths: new Set(open),
          rejectedFingerprints: new Set(rejected),
        }).targets;
      expect(again([PRICING_PATH], [])).toEqual([]);
      expect(again([], [target.fingerprint])).toEqual([]);
    },
  );

  test('the baseline is green: no diagnostic, the tests pass', LONG, async () => {
    expect(await port.typecheck(new Map())).toEqual({ kind: 'checked', diagnostics: [] });
    expect(await port.runTests(new Map(), PRICING_PATH)).toMatchObject({ kind: 'passed' });
  });

  test('good: every proof holds', LONG, async () => {
    const proofs = await proofsOf('good');
    expect(proofs.health).toMatchObject({ ok: true });
    expect(proofs.api).toEqual({ kind: 'same' });
    expect(proofs.types).toEqual({ kind: 'checked', diagnostics: [] });
    expect(proofs.tests).toMatchObject({ kind: 'passed' });
  });

  test('breaks the types: health and API hold, TS2551 is new', LONG, async () => {
    const proofs = await proofsOf('breaks-types');
    expect(proofs.health).toMatchObject({ ok: true });
    expect(proofs.api).toEqual({ kind: 'same' });
    expect(proofs.types).toEqual({
      kind: 'checked',
      diagnostics: [expect.objectContaining({ path: PRICING_PATH, code: 2551 })],
    });
  });

  test('breaks a test: health, API and types hold, the BOOKS coupon test fails', LONG, async () => {
    const proofs = await proofsOf('breaks-a-test');
    expect(proofs.health).toMatchObject({ ok: true });
    expect(proofs.api).toEqual({ kind: 'same' });
    expect(proofs.types).toEqual({ kind: 'checked', diagnostics: [] });
    expect(proofs.tests).toMatchObject({ kind: 'failed' });
    expect(proofs.tests!.kind === 'failed' && proofs.tests!.detail).toContain('BOOKS coupon');
  });

  test(
    'changes the exported signature: health holds, the declaration emit differs',
    LONG,
    async () => {
      const proofs = await proofsOf('changes-the-signature');
      expect(proofs.health).toMatchObject({ ok: true });
      expect(proofs.api).toEqual({
        kind: 'changed',
        before: 'export declare function priceOrder(order: Order): number;',
        after: 'export declare function priceOrder(order: Order, shipping?: boolean): number;',
      });
    },
  );

  test('lowers health: the health proof fails first', LONG, async () => {
    const proofs = await proofsOf('lowers-health');
    expect(proofs.applied.ok).toBe(true);
    expect(proofs.health).toMatchObject({ ok: false });
  });

  test('edits another function and does not parse: refused when applied', () => {
    for (const kind of ['edits-another-function', 'does-not-parse'] as const) {
      const input = ANSWERS[kind];
      expect(
        applyProposal(PRICING, target, { ...input, helpers: input.helpers ?? [] }),
        kind,
      ).toMatchObject({ ok: false });
    }
  });
});
