/**
 * The pure core's share of the mutation report's overhead: what Steward spends on a report once
 * Stryker is done. Rerun: `npm run bench:mutation-overhead`.
 *
 * A whole-project `mutation.json` the size of a large repository (FILES files of 300 lines, 12
 * mutants on each of 100 lines: 240,000 mutants with FILES = 200), a pull request changing about 50
 * lines across 4 files, and the steps after the run, each the median of RUNS runs: reading the
 * report (JSON.parse and the schema check), the scope from the diff, and mutationResult (restrict,
 * score with mutation-testing-metrics, survivors, caps, fingerprints, the comment bodies). The issue
 * asks the whole overhead (diffing, config, parsing, posting) to stay under 2 s.
 *
 * Posting: readMutationFeedback + publishMutationRun against the GitHub fake (over loopback HTTP)
 * for a pull request with 10 survivors, a first run (summary, one review of 10 comments) and a
 * rerun (nothing to write), PUBLISH_RUNS runs each. Twice: with a bare Octokit (Steward's work and
 * the round trips) and with the Octokit the actions use, whose throttling plugin keeps GitHub's
 * pacing for writes (1 s between writes and GraphQL calls, 3 s between writes that notify): that
 * wait is GitHub etiquette, not Steward's compute, and is reported apart.
 */
import { getOctokit } from '@actions/github';
import type { MutantStatus, MutationTestResult } from 'mutation-testing-report-schema';
import { parseGitDiff } from '../src/diff/git-diff.ts';
import { createActionsOctokit } from '../src/github/actions-octokit.ts';
import type { OctokitLike } from '../src/github/octokit-client.ts';
import { createGitHubClient } from '../src/github/octokit-client.ts';
import { publishMutationRun, readMutationFeedback } from '../src/mutation/publish.ts';
import type { MutationRun } from '../src/mutation/run-mutation.ts';
import type { MutateRange } from '../src/mutation/scope.ts';
import { startGitHubFake } from '../test/support/github-fake/index.ts';
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

// --- Posting: the report on a pull request with 10 survivors, over the GitHub fake.

const PUBLISH_RUNS = Number(process.env['PUBLISH_RUNS'] ?? 3);
const BENCH_PATH = 'src/limits.ts';
const BENCH_LINES = Array.from(
  { length: 20 },
  (_, i) => `export const check${i} = (value: number) => value > ${i * 7};`,
);

/** 20 changed lines, a surviving EqualityOperator mutant on each of the first 10. */
function survivorsReport(): MutationTestResult {
  const mutants = BENCH_LINES.map((line, i) => {
    const start = line.indexOf('value >');
    return {
      id: String(i),
      mutatorName: 'EqualityOperator',
      replacement: `value >= ${i * 7}`,
      location: {
        start: { line: i + 1, column: start + 1 },
        end: { line: i + 1, column: start + 1 + `value > ${i * 7}`.length },
      },
      status: (i < 10 ? 'Survived' : 'Killed') as MutantStatus,
      coveredBy: ['0'],
    };
  });
  return {
    schemaVersion: '2',
    thresholds: { high: 80, low: 60 },
    files: {
      [BENCH_PATH]: { language: 'typescript', source: `${BENCH_LINES.join('\n')}\n`, mutants },
    },
    testFiles: { 'src/limits.test.ts': { tests: [{ id: '0', name: 'limits' }] } },
  };
}

function survivorsRun(): MutationRun {
  const ranges: MutateRange[] = [{ path: BENCH_PATH, startLine: 1, endLine: 20 }];
  const report = survivorsReport();
  const result = mutationResult({ ranges, head: report, config: defaultMutationConfig() });
  if (result.comments.length !== 10)
    throw new Error(`expected 10 comments, got ${result.comments.length}`);
  return {
    kind: 'report',
    ranges,
    skipped: [],
    notice: null,
    result,
    report,
    partial: false,
    reason: null,
    strykerMs: 0,
    mutantsTested: 20,
    mutantsNotRun: 0,
    summary: result.summary,
    gate: result.gate,
  };
}

async function timePublishing(throttled: boolean): Promise<{ first: number; rerun: number }> {
  const token = 'ghs_bench';
  const fake = await startGitHubFake({ token });
  fake.addRepo({ owner: 'acme', repo: 'widgets' });
  const run = survivorsRun();
  const patch = `@@ -0,0 +1,20 @@\n${BENCH_LINES.map((l) => `+${l}`).join('\n')}`;
  const firsts: number[] = [];
  const reruns: number[] = [];
  try {
    for (let i = 0; i < PUBLISH_RUNS; i++) {
      // A new client per run, as each workflow run builds one (it learns its own account once).
      const octokit: OctokitLike = throttled
        ? createActionsOctokit({ token, baseUrl: fake.url, warn: () => {} })
        : getOctokit(token, { baseUrl: fake.url });
      const github = createGitHubClient(octokit, { owner: 'acme', repo: 'widgets' });
      const pr = fake.addPullRequest({
        owner: 'acme',
        repo: 'widgets',
        files: [{ path: BENCH_PATH, status: 'added', patch }],
      });
      const once = async () => {
        const start = performance.now();
        const feedback = await readMutationFeedback(github, pr.number);
        const outcome = await publishMutationRun({
          github,
          pullRequest: pr.number,
          headSha: pr.headSha,
          run,
          feedback,
        });
        return { ms: performance.now() - start, outcome };
      };
      const first = await once();
      if (first.outcome.kind !== 'published' || first.outcome.posted !== 10)
        throw new Error(`first publish: ${JSON.stringify(first.outcome)}`);
      const again = await once();
      if (again.outcome.kind !== 'published' || again.outcome.summary !== 'unchanged')
        throw new Error(`rerun: ${JSON.stringify(again.outcome)}`);
      firsts.push(first.ms);
      reruns.push(again.ms);
      // Let the throttle's pacing from this run lapse before the next one is timed.
      if (throttled) await new Promise((resolve) => setTimeout(resolve, 3500));
    }
    fake.assertNoUnexpected();
  } finally {
    await fake.close();
  }
  return { first: median(firsts), rerun: median(reruns) };
}

const bare = await timePublishing(false);
const paced = await timePublishing(true);
console.log(
  `posting, 10 survivors, median of ${PUBLISH_RUNS} (readMutationFeedback + publishMutationRun over loopback HTTP):`,
);
console.log(
  `  bare Octokit: first run ${bare.first.toFixed(0)} ms (summary + one review of 10 comments), rerun ${bare.rerun.toFixed(0)} ms (nothing written)`,
);
console.log(
  `  actions Octokit with GitHub's write pacing: first run ${paced.first.toFixed(0)} ms, rerun ${paced.rerun.toFixed(0)} ms`,
);
console.log(
  `total Steward overhead (report + scope + result + posting, bare): ${(read.ms + scope.ms + result.ms + bare.first).toFixed(0)} ms`,
);
