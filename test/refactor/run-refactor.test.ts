import { describe, expect } from 'vitest';
import { createAnthropicModelClient, type ModelClient } from '../../src/llm/client.ts';
import type { Clock } from '../../src/llm/retry.ts';
import {
  RED_BASELINE,
  newDiagnostics,
  runRefactor,
  type RefactorRunInput,
} from '../../src/refactor/run-refactor.ts';
import type { AnthropicFake } from '../support/anthropic-fake.ts';
import { anthropicTest } from '../support/anthropic-world.ts';
import {
  FLAT_MESSY,
  MESSY_TS,
  MODEL,
  OLD_DIAGNOSTIC,
  fakePieces,
  fakeProofs,
  proposalAnswer,
  refactorConfig,
  target,
} from './run-fakes.ts';

/**
 * runRefactor over fakes of the pieces and the proof port, with the real model client against the
 * Anthropic fake on loopback: what is proven, what is skipped and why, what the model is told on
 * its second try, and where the run stops (caps, `wanted`, a red baseline).
 */

const it = anthropicTest({ apiKey: 'sk-ant-test' });
const clock: Clock = { sleep: async () => {}, random: () => 0.5, now: () => 0 };

function client(fake: AnthropicFake, model = MODEL): ModelClient {
  return createAnthropicModelClient({
    apiKey: 'sk-ant-test',
    baseURL: fake.url,
    model,
    timeoutMs: 30_000,
    maxRetries: 0,
    clock,
  });
}

const OTHER = target('src/other.ts', 'tangled');

function input(fake: AnthropicFake, overrides: Partial<RefactorRunInput> = {}) {
  const pieces = fakePieces();
  const proofs = fakeProofs();
  const progress: string[] = [];
  const run: RefactorRunInput = {
    config: refactorConfig(),
    targets: [target()],
    readText: (path) =>
      path === 'src/messy.ts' || path === 'src/other.ts'
        ? Promise.resolve(MESSY_TS)
        : Promise.reject(new Error(`ENOENT: ${path}`)),
    model: client(fake),
    proofs,
    wanted: 1,
    pieces,
    onProgress: (line) => progress.push(line),
    ...overrides,
  };
  return { run, pieces, proofs, progress };
}

/** The user turn of each request the fake received. */
function userTurns(fake: AnthropicFake): string[] {
  return fake.requests.map((r) => JSON.stringify(r.body.messages[0]?.content));
}

describe('runRefactor', () => {
  it('proves a good first proposal: apply, health, API, types, tests twice', async ({
    anthropic,
  }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY));
    const { run, proofs, progress } = input(anthropic);
    const result = await runRefactor(run);

    expect(result.baseline).toEqual({ ok: true });
    expect(result.outcomes).toHaveLength(1);
    const [outcome] = result.outcomes;
    if (outcome?.kind !== 'proven') throw new Error(`not proven: ${JSON.stringify(outcome)}`);
    expect(outcome.attempts).toBe(1);
    expect(outcome.proofs.map((p) => [p.name, p.ok])).toEqual([
      ['apply', true],
      ['health', true],
      ['api', true],
      ['types', true],
      ['tests', true],
    ]);
    for (const step of outcome.proofs) expect(step.durationMs).toBeGreaterThanOrEqual(0);
    expect(outcome.before).toBe(MESSY_TS);
    expect(outcome.after).toContain('if (a <= 0) return 0;');
    expect(outcome.after).toContain('export function other(): number');
    expect(outcome.health.after.fileHealth).toBe(7.4);
    expect(outcome.proposal.techniques).toEqual(['guard clause']);
    // The baseline first (type check, tests on the unchanged checkout), then the proofs.
    expect(proofs.calls).toEqual([
      'typecheck 0',
      'tests 0 src/messy.ts',
      'api src/messy.ts',
      'typecheck 1',
      'tests 1 src/messy.ts',
      'tests 1 src/messy.ts',
    ]);
    expect(result.usage.calls).toBe(1);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(progress).toContain('refactor 1/1: messy (src/messy.ts): asking Claude');
    expect(anthropic.requests).toHaveLength(1);
  });

  it('tells the model why its first proposal failed, and proves the second', async ({
    anthropic,
  }) => {
    anthropic.enqueue(proposalAnswer(`${FLAT_MESSY} // BREAKS_TEST`), proposalAnswer(FLAT_MESSY));
    const { run, pieces } = input(anthropic);
    const result = await runRefactor(run);

    const [outcome] = result.outcomes;
    expect(outcome?.kind).toBe('proven');
    expect(outcome?.attempts).toBe(2);
    expect(pieces.feedback[0]).toBeUndefined();
    expect(pieces.feedback[1]).toContain('broke the tests');
    expect(pieces.feedback[1]).toContain('expected 2 to be 1');
    expect(userTurns(anthropic)[1]).toContain('expected 2 to be 1');
    expect(result.usage.calls).toBe(2);
  });

  it('skips a target whose two proposals both fail, with the reason and the last proofs', async ({
    anthropic,
  }) => {
    anthropic.enqueue(
      proposalAnswer(`${FLAT_MESSY} // TYPE_ERROR`),
      proposalAnswer(`${FLAT_MESSY} // CHANGES_API`),
    );
    const { run, pieces } = input(anthropic);
    const result = await runRefactor(run);

    const [outcome] = result.outcomes;
    if (outcome?.kind !== 'skipped') throw new Error('not skipped');
    expect(outcome.attempts).toBe(2);
    expect(outcome.reason).toContain('both proposals failed');
    expect(outcome.reason).toContain('api: the exported declarations changed');
    expect(outcome.proofs.map((p) => [p.name, p.ok])).toEqual([
      ['apply', true],
      ['health', true],
      ['api', false],
    ]);
    // The first failure: a new diagnostic (the one the project had before is not counted).
    expect(pieces.feedback[1]).toContain('broke the type check');
    expect(pieces.feedback[1]).toContain("TS2304 Cannot find name 'TYPE_ERROR'");
    expect(pieces.feedback[1]).not.toContain('src/legacy.ts');
  });

  it('feeds back an answer that does not apply, a health fall and a lower mutation score', async ({
    anthropic,
  }) => {
    anthropic.enqueue(
      proposalAnswer('NOT_PARSED'),
      proposalAnswer(`${FLAT_MESSY} // LOWER_HEALTH`),
      proposalAnswer(`${FLAT_MESSY} // FEWER_KILLS`),
      proposalAnswer(FLAT_MESSY),
    );
    const proofs = fakeProofs({ mutation: true });
    const { run, pieces } = input(anthropic, {
      proofs,
      config: refactorConfig({ mutation: true }),
      targets: [target(), OTHER],
      wanted: 2,
    });
    const result = await runRefactor(run);

    const [first, second] = result.outcomes;
    expect(first?.kind).toBe('skipped');
    expect(first?.kind === 'skipped' && first.reason).toContain('health: the file');
    expect(pieces.feedback[1]).toContain('could not be applied: the code does not parse');
    expect(pieces.feedback[3]).toContain('lowered the mutation score');
    expect(pieces.feedback[3]).toContain('fell from 80.0 % to 50.0 %');
    expect(second?.kind).toBe('proven');
    expect(second?.attempts).toBe(2);
    expect(second?.proofs.at(-1)).toMatchObject({ name: 'mutation', ok: true });
    expect(proofs.calls).toContain('mutation 0 src/other.ts:1-10');
    // The refactored function is 5 lines shorter: the range after covers it, not the old span.
    expect(proofs.calls).toContain('mutation 1 src/other.ts:1-5');
  });

  it('skips every target when the tests fail before any change, and asks no model', async ({
    anthropic,
  }) => {
    const proofs = fakeProofs({ red: true });
    const { run } = input(anthropic, { proofs, targets: [target(), OTHER] });
    const result = await runRefactor(run);

    expect(result.baseline.ok).toBe(false);
    expect(result.outcomes.map((o) => o.kind)).toEqual(['skipped', 'skipped']);
    for (const outcome of result.outcomes)
      expect(outcome.kind === 'skipped' && outcome.reason).toContain(RED_BASELINE);
    expect(anthropic.requests).toHaveLength(0);
    expect(result.usage.calls).toBe(0);
  });

  it('stops calling the model at max-calls: the remaining targets are skipped with why', async ({
    anthropic,
  }) => {
    anthropic.enqueue(proposalAnswer(`${FLAT_MESSY} // BREAKS_TEST`));
    const { run } = input(anthropic, {
      config: refactorConfig({ maxCalls: 1 }),
      targets: [target(), OTHER],
    });
    const result = await runRefactor(run);

    const [first, second] = result.outcomes;
    expect(first?.kind === 'skipped' && first.reason).toMatch(
      /^tests: run 1 of 2 failed.*no second proposal: refactor\.max-calls \(1\) is reached/s,
    );
    expect(first?.attempts).toBe(1);
    expect(second?.kind === 'skipped' && second.reason).toContain('refactor.max-calls (1)');
    expect(second?.attempts).toBe(0);
    expect(result.usage.calls).toBe(1);
  });

  it('sends no call whose worst case passes max-cost-usd', async ({ anthropic }) => {
    const { run } = input(anthropic, {
      config: refactorConfig({ maxCostUsd: 0.000_01 }),
      targets: [target(), OTHER],
    });
    const result = await runRefactor(run);

    for (const outcome of result.outcomes)
      expect(outcome.kind === 'skipped' && outcome.reason).toContain('refactor.max-cost-usd');
    expect(anthropic.requests).toHaveLength(0);
  });

  it('skips the rest when the model is unavailable', async ({ anthropic }) => {
    anthropic.enqueue({ status: 400, message: 'prompt is too long' });
    const { run } = input(anthropic, { targets: [target(), OTHER] });
    const result = await runRefactor(run);

    for (const outcome of result.outcomes)
      expect(outcome.kind === 'skipped' && outcome.reason).toContain('the model is unavailable');
    expect(anthropic.requests).toHaveLength(1);
  });

  it('stops once `wanted` targets are proven', async ({ anthropic }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY));
    const third = target('src/third.ts', 'knotted');
    const { run, proofs } = input(anthropic, { targets: [target(), OTHER, third] });
    const result = await runRefactor(run);

    expect(result.outcomes.map((o) => o.kind)).toEqual(['proven', 'skipped', 'skipped']);
    expect(result.outcomes[1]?.kind === 'skipped' && result.outcomes[1].reason).toContain(
      'not tried: 1 proven refactoring was wanted',
    );
    expect(anthropic.requests).toHaveLength(1);
    expect(proofs.calls.filter((c) => c.includes('other.ts') && !c.startsWith('tests 0'))).toEqual(
      [],
    );
  });

  it('tries one function per file in a run', async ({ anthropic }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY), proposalAnswer(FLAT_MESSY, OTHER));
    const sameFile = target('src/messy.ts', 'other');
    const { run } = input(anthropic, { targets: [target(), sameFile, OTHER], wanted: 2 });
    const result = await runRefactor(run);

    expect(result.outcomes.map((o) => o.kind)).toEqual(['proven', 'skipped', 'proven']);
    expect(result.outcomes[1]?.kind === 'skipped' && result.outcomes[1].reason).toContain(
      'one change per file',
    );
  });

  it('formats the result only when the formatter keeps the file as read', async ({ anthropic }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY), proposalAnswer(FLAT_MESSY));
    const tidy = (_path: string, text: string) => Promise.resolve(text.replace(/ \? /g, ' ?  '));
    const first = await runRefactor(input(anthropic, { formatText: tidy }).run);
    const proven = first.outcomes[0];
    expect(proven?.kind === 'proven' && proven.after).toContain('a > 1 ?  2 : 1');
    expect(proven?.proofs[0]?.detail).toContain('formatted as the project formats');

    // A formatter that would rewrite the unchanged file too is not used.
    const rewrites = (_path: string, text: string) => Promise.resolve(`${text}\n// reformatted`);
    const second = await runRefactor(input(anthropic, { formatText: rewrites }).run);
    const kept = second.outcomes[0];
    expect(kept?.kind === 'proven' && kept.after).not.toContain('reformatted');
  });

  it('turns a proof that throws into a failed step, and a red type check into a skipped run', async ({
    anthropic,
  }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY), proposalAnswer(FLAT_MESSY));
    const proofs = fakeProofs();
    proofs.compareApi = () => Promise.reject(new Error('the language service crashed'));
    const result = await runRefactor(input(anthropic, { proofs }).run);
    const [outcome] = result.outcomes;
    expect(outcome?.kind === 'skipped' && outcome.reason).toContain(
      'api: the api proof could not run: the language service crashed',
    );

    const broken = fakeProofs();
    broken.typecheck = () => Promise.reject(new Error('no tsc'));
    const red = await runRefactor(input(anthropic, { proofs: broken }).run);
    expect(red.baseline).toEqual({ ok: false, reason: 'the type check could not run: no tsc' });
  });

  it('skips a target whose file cannot be read, and goes on', async ({ anthropic }) => {
    anthropic.enqueue(proposalAnswer(FLAT_MESSY, OTHER));
    const gone = target('src/gone.ts', 'lost');
    const result = await runRefactor(input(anthropic, { targets: [gone, OTHER] }).run);
    expect(result.outcomes[0]?.kind === 'skipped' && result.outcomes[0].reason).toContain(
      'src/gone.ts could not be read: ENOENT',
    );
    expect(result.outcomes[1]?.kind).toBe('proven');
  });

  it('passes selection skips through and does nothing without targets', async ({ anthropic }) => {
    const skipped = [{ path: 'src/gen.ts', function: null, reason: 'generated' }];
    const { run, proofs } = input(anthropic, { targets: [], skipped });
    const result = await runRefactor(run);
    expect(result).toEqual({
      baseline: { ok: true },
      outcomes: [],
      skipped,
      usage: { calls: 0, costUsd: 0 },
    });
    expect(proofs.calls).toEqual([]);
  });
});

describe('newDiagnostics', () => {
  it('counts a diagnostic the baseline had only when it appears more often', () => {
    const moved = { ...OLD_DIAGNOSTIC, line: 9 };
    expect(newDiagnostics([OLD_DIAGNOSTIC], [moved])).toEqual([]);
    expect(newDiagnostics([OLD_DIAGNOSTIC], [moved, OLD_DIAGNOSTIC])).toEqual([OLD_DIAGNOSTIC]);
  });
});
