/**
 * The pure core's share of the mutation report's overhead: what Steward spends on a report once
 * Stryker is done. Rerun: `npm run bench:mutation-overhead`.
 *
 * A whole-project `mutation.json` the size of a large repository (FILES files of 300 lines, 12
 * mutants on each of 100 lines: 240,000 mutants with FILES = 200), a pull request changing about 50
 * lines across 4 files, and the steps after the run, each the median of RUNS runs: reading the
 * report (JSON.parse and the schema check), the scope from the diff, and mutationResult (restrict,
 * score with mutation-testing-metrics, survivors, caps, fingerprints, the comment bodies). The issue
 * asks the whole overhead (diffing, config, parsing, posting) to stay under 2 s; the runner and the
 * posting are measured when they exist.
 */
import type { MutantStatus, MutationTestResult } from 'mutation-testing-report-schema';
import { parseGitDiff } from '../src/diff/git-diff.ts';
import { parseMutationReportText } from '../src/mutation/report.ts';
import { mutationResult } from '../src/mutation/result.ts';
import { scopeFromDiff } from '../src/mutation/scope.ts';
import { defaultMutationConfig } from '../src/mutation/settings.ts';

const RUNS = Number(process.env['RUNS'] ?? 5);
const FILES = Number(process.env['FILES'] ?? 200);
const STATUSES: MutantStatus[] = [
  'Killed',
  'Killed',
  'Killed',
  'Survived',
  'NoCoverage',
  'Timeout',
];

function bigReport(): MutationTestResult {
  const lines = Array.from(
    { length: 300 },
    (_, i) => `  if (value${i} > limit) return total + ${i};`,
  );
  const source = lines.join('\n');
  const files: MutationTestResult['files'] = {};
  let id = 0;
  for (let f = 0; f < FILES; f++) {
    const mutants = [];
    for (let line = 1; line <= 300; line += 3)
      for (let k = 0; k < 12; k++)
        mutants.push({
          id: String(id++),
          mutatorName: k % 2 === 0 ? 'EqualityOperator' : 'ConditionalExpression',
          replacement: k % 2 === 0 ? `value${line - 1} >= limit` : 'true',
          location: { start: { line, column: 7 }, end: { line, column: 20 } },
          status: STATUSES[(f + line + k) % STATUSES.length]!,
          coveredBy: ['0'],
        });
    files[`src/module-${f}.ts`] = { language: 'typescript', source, mutants };
  }
  return {
    schemaVersion: '2',
    thresholds: { high: 80, low: 60 },
    files,
    testFiles: { 'src/all.test.ts': { tests: [{ id: '0', name: 'works' }] } },
  };
}

function diff(): string {
  const out: string[] = [];
  for (const f of [3, 50, 120, 199].filter((n) => n < FILES)) {
    out.push(
      `diff --git a/src/module-${f}.ts b/src/module-${f}.ts`,
      'index 1111111..2222222 100644',
      `--- a/src/module-${f}.ts`,
      `+++ b/src/module-${f}.ts`,
      '@@ -40,12 +40,12 @@',
    );
    for (let i = 0; i < 12; i++) out.push(`-  old line ${i}`);
    for (let i = 0; i < 12; i++)
      out.push(`+  if (value${39 + i} > limit) return total + ${39 + i};`);
  }
  return `${out.join('\n')}\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time<T>(run: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    value = run();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value };
}

const text = JSON.stringify(bigReport());
const mutants = FILES * 100 * 12;
console.log(
  `report: ${FILES} files, ${mutants} mutants, ${(text.length / 1048576).toFixed(1)} MB; median of ${RUNS} runs`,
);
const read = time(() => parseMutationReportText(text));
const scope = time(() => scopeFromDiff(parseGitDiff(diff()), null));
if (scope.value.kind !== 'ranges') throw new Error('expected ranges');
const ranges = scope.value.ranges;
const result = time(() =>
  mutationResult({ ranges, head: read.value, config: defaultMutationConfig() }),
);
const changedLines = ranges.reduce((n, r) => n + r.endLine - r.startLine + 1, 0);
console.log(`read and check the report: ${read.ms.toFixed(0)} ms`);
console.log(
  `scope from the diff (${changedLines} changed lines, ${ranges.length} ranges): ${scope.ms.toFixed(1)} ms`,
);
console.log(
  `mutationResult (${result.value.analysis.counts.total} mutants on changed lines, ${result.value.comments.length} comments): ${result.ms.toFixed(0)} ms`,
);
console.log(`total: ${(read.ms + scope.ms + result.ms).toFixed(0)} ms`);
