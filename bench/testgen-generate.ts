/**
 * Test generation end to end per target, outside the model and the test runs. Rerun:
 * `npm run bench:testgen-generate` (RUNS=3 for more samples).
 *
 * Builds test/testrun's fixture project (node_modules linked to this checkout's), starts the
 * Anthropic fake on loopback answering `propose_tests` with a fixed mix per target (one that does
 * not compile, one that fails, one that is flaky, one that asserts nothing, one that kills the
 * surviving mutant, one that exposes the planted bug; the retry gets no tests), and runs
 * `generateTests` with the real ports: the in-memory type-check child, vitest on the one test
 * file, Stryker on the target's lines, the project's prettier. Each port call and each model call
 * is timed; what is left of the wall time is Steward's own work (context, insertion, chain
 * bookkeeping, removal), reported per target. The funnel is printed beside TestGen-LLM's.
 */
import { createAnthropicModelClient } from '../src/llm/client.ts';
import type { ModelClient } from '../src/llm/model-call.ts';
import { createPrettierFormatter } from '../src/prettier/format.ts';
import type { TestFileFormatter } from '../src/testgen/formatter.ts';
import { generateTests } from '../src/testgen/generate.ts';
import { TESTGEN_LLM_FUNNEL } from '../src/testgen/markdown.ts';
import { defaultTestGenConfig } from '../src/testgen/settings.ts';
import type { TestRunPort } from '../src/testgen/test-runner.ts';
import { createTestRunPort } from '../src/testrun/port.ts';
import { startAnthropicFake } from '../test/support/anthropic-fake.ts';
import { DOUBLE, IS_ADULT, PERCENT_OFF, createChainFixture } from '../test/testrun/fixture.ts';
import { checkoutProject } from '../src/git/checkout-project.ts';
import { GitRepo } from '../test/support/git-repo.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNS = Number(process.env['RUNS'] ?? 1);
const MODEL = 'claude-haiku-5-5';

/** The fixed mix the fake proposes, by target (the model's wire shape). */
const MIX: Record<string, { name: string; code: string; imports?: string[]; kind?: string }[]> = {
  isAdult: [
    {
      name: 'adds strings',
      code: "test('adds strings', () => {\n  expect(isAdult('18')).toBe(true);\n});",
    },
    {
      name: 'parses the answer',
      code: "test('parses the answer', () => {\n  expect(JSON.parse('not json')).toEqual({});\n});",
    },
    {
      name: 'is a child below 41',
      code: "test('is a child below 41', () => {\n  fc.assert(\n    fc.property(fc.integer({ min: 0, max: 40 }), (age) => {\n      expect(isAdult(age)).toBe(false);\n    }),\n    { numRuns: 1 },\n  );\n});",
      imports: ["import fc from 'fast-check';"],
      kind: 'property',
    },
    {
      name: 'calls without looking',
      code: "test('calls without looking', () => {\n  isAdult(30);\n});",
    },
    {
      name: 'is adult at 18',
      code: "test('is adult at 18', () => {\n  expect(isAdult(18)).toBe(true);\n});",
    },
  ],
  double: [{ name: 'doubles', code: "test('doubles', () => {\n  expect(double(4)).toBe(8);\n});" }],
  percentOff: [
    {
      name: 'takes 10% off',
      code: "test('takes 10% off', () => {\n  expect(percentOff(200, 10)).toBe(180);\n});",
    },
  ],
};

const IMPORTS: Record<string, string> = {
  isAdult: "import { isAdult } from '../src/math.ts';",
  double: "import { double } from '../src/math.ts';",
  percentOff: "import { percentOff } from '../src/discount.ts';",
};

const sum = (list: readonly number[]): number => list.reduce((a, b) => a + b, 0);
const ms = (n: number): string => `${n.toFixed(0)} ms`;
const percent = (part: number, whole: number): string =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(0)}%`;

function timed<A extends unknown[], R>(
  list: number[],
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const started = performance.now();
    try {
      return await fn(...args);
    } finally {
      list.push(performance.now() - started);
    }
  };
}

const fake = await startAnthropicFake();
try {
  for (let run = 0; run < RUNS; run += 1) {
    const fixture = createChainFixture();
    writeFileSync(join(fixture.root, '.gitignore'), 'node_modules\n');
    new GitRepo(fixture.root).commit('fixture');
    const targets = [IS_ADULT, DOUBLE, PERCENT_OFF];
    for (let i = 0; i < targets.length * 2; i += 1) {
      fake.enqueue((request) => {
        const tool = JSON.stringify(request.body.tools ?? []);
        const target = /"target":\{[^}]*"const":"(\w+)"/.exec(tool)?.[1] ?? '';
        const retry = JSON.stringify(request.body.messages).includes('previous attempt');
        const tests = retry
          ? []
          : (MIX[target] ?? []).map((t) => ({
              name: t.name,
              code: t.code,
              imports: [
                IMPORTS[target]!,
                "import { expect, test } from 'vitest';",
                ...(t.imports ?? []),
              ],
              target,
              kind: t.kind ?? 'example',
            }));
        return { toolUse: { name: 'propose_tests', input: { tests } } };
      });
    }
    try {
      const port = createTestRunPort({ root: fixture.root, framework: 'vitest', concurrency: 1 });
      const spent = { typeCheck: [] as number[], run: [] as number[], mutants: [] as number[] };
      const model: number[] = [];
      const format: number[] = [];
      const measured: TestRunPort = {
        typeCheck: timed(spent.typeCheck, port.typeCheck.bind(port)),
        run: timed(spent.run, port.run.bind(port)),
        mutantsKilled: timed(spent.mutants, port.mutantsKilled.bind(port)),
      };
      const client = createAnthropicModelClient({
        apiKey: 'sk-ant-bench',
        baseURL: fake.url,
        model: MODEL,
        timeoutMs: 60_000,
        maxRetries: 0,
      });
      const timedModel: ModelClient = {
        model: client.model,
        call: timed(model, client.call.bind(client)),
        countTokens: client.countTokens.bind(client),
      };
      const prettier = createPrettierFormatter({ root: fixture.root });
      const formatter: TestFileFormatter = {
        format: timed(format, prettier.format.bind(prettier)),
      };
      const perTarget: number[] = [];
      let last = performance.now();
      let outside = 0;
      const started = performance.now();
      const result = await generateTests(
        {
          targets,
          config: { ...defaultTestGenConfig(), model: MODEL, maxCandidates: 6 },
          offline: false,
        },
        {
          project: await checkoutProject(fixture.root),
          testRunner: () => measured,
          formatter,
          model: timedModel,
          progress: (event) => {
            if (event.step !== 'done') return;
            const now = performance.now();
            const external =
              sum(spent.typeCheck) + sum(spent.run) + sum(spent.mutants) + sum(model) - outside;
            perTarget.push(now - last - external);
            outside += external;
            last = now;
          },
        },
      );
      const wall = performance.now() - started;
      port.close();
      const external =
        sum(spent.typeCheck) + sum(spent.run) + sum(spent.mutants) + sum(model) + sum(format);
      const f = result.funnel;
      console.log(`run ${String(run + 1)} of ${String(RUNS)}: ${String(targets.length)} targets`);
      console.log(`  wall ${ms(wall)}; Steward's own work ${ms(wall - external)}`);
      console.log(
        `  per target, outside the model and the test runs: ${perTarget.map(ms).join(', ')} (max ${ms(Math.max(...perTarget))})`,
      );
      console.log(
        `  model: ${String(model.length)} calls ${ms(sum(model))}; type-check: ${String(spent.typeCheck.length)} calls ${ms(sum(spent.typeCheck))};` +
          ` vitest: ${String(spent.run.length)} runs ${ms(sum(spent.run))}; Stryker: ${String(spent.mutants.length)} runs ${ms(sum(spent.mutants))};` +
          ` prettier: ${String(format.length)} files ${ms(sum(format))}`,
      );
      console.log(
        `  funnel: ${String(f.candidates)} candidates → ${String(f.typeChecks)} type-check (${percent(f.typeChecks, f.candidates)}; TestGen-LLM ${percent(TESTGEN_LLM_FUNNEL.typeChecks, 1)} built)` +
          ` → ${String(f.passes)} pass → ${String(f.stable)} stable (${percent(f.stable, f.candidates)}; TestGen-LLM ${percent(TESTGEN_LLM_FUNNEL.stable, 1)})` +
          ` → ${String(f.addsValue)} add value (${percent(f.addsValue, f.candidates)}; TestGen-LLM ${percent(TESTGEN_LLM_FUNNEL.addsValue, 1)}) → ${String(f.kept)} kept;` +
          ` ${String(f.possibleBugs)} possible bug`,
      );
      console.log(
        `  kept: ${result.report.kept.map((k) => `${k.name} (kills ${k.kills.map((m) => m.id).join(', ') || '-'}, covers ${k.covers.join(', ') || '-'})`).join('; ')}`,
      );
      for (const target of result.targets)
        for (const c of target.candidates)
          console.log(
            `    ${target.target.name} / ${c.name} (round ${String(c.round)}): ${c.verdict.kind === 'dropped' ? `dropped at ${c.verdict.stage}: ${c.verdict.reason.split('\n')[0]!.slice(0, 160)}` : c.verdict.kind}`,
          );
      console.log(
        `  possible bugs: ${result.report.possibleBugs.map((b) => b.name).join('; ') || '-'}`,
      );
    } finally {
      fixture.cleanup();
    }
  }
} finally {
  await fake.close();
}
