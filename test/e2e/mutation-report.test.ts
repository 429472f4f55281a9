import { readFileSync } from 'node:fs';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import { describe, expect } from 'vitest';
import { MATH_TEST_TS } from '../stryker/fixture.ts';
import { OWNER, REPO } from './review-scenario.ts';
import { MATH_TEST_AT_18, mutationTest } from './mutation-scenario.ts';
import type { ActionRun } from './action-runner.ts';

const it = mutationTest;

/**
 * The bundled mutation-report action (node24, INPUT_* variables, the event file) after the
 * user's checkout and install: REAL Stryker 10.1.1 with the real vitest runner mutating a real
 * vitest project in a git checkout, against the GitHub fake on loopback. No time is asserted.
 */
const STRYKER = { timeout: 600_000 };

const log = (run: ActionRun) => `${run.stdout}\n${run.stderr}`;

function reportOf(run: ActionRun): MutationTestResult {
  return JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8')) as MutationTestResult;
}

/** `line mutator status` of every mutant Stryker placed. */
function mutantsOf(run: ActionRun): string[] {
  return reportOf(run).files['src/math.ts']!.mutants.map(
    (m) => `${m.location.start.line} ${m.mutatorName} ${m.status}`,
  );
}

const FIRST_OUTPUTS = {
  score: '80.0',
  killed: '4',
  survived: '1',
  'no-coverage': '0',
  timeout: '0',
  'compile-errors': '0',
};

describe('actions/mutation-report, bundled, with real Stryker, against the GitHub fake', () => {
  it(
    'comments the survivor on its line; a rerun posts nothing; a 👎 suppresses it; the missing test resolves it',
    STRYKER,
    async ({ start }) => {
      const s = await start();

      // 1. The first run.
      const first = await s.run();
      // fail-on-survivors (main's config) fails the step, after everything was written.
      expect(first.exitCode, log(first)).toBe(1);
      expect(first.stdout).toContain(
        '::error::Steward mutation report: 1 mutant on changed lines survived and fail-on-survivors is on.',
      );
      expect(first.outputs).toMatchObject(FIRST_OUTPUTS);
      expect(first.outputs['html-report']).toMatch(/mutation\.html$/);
      expect(readFileSync(first.outputs['html-report']!, 'utf8')).toContain('<html');
      // Only the changed lines 2, 6 and 7 were mutated: nothing of double() on lines 10-12.
      const mutants = mutantsOf(first);
      expect(new Set(mutants.map((m) => Number(m.split(' ')[0])))).toEqual(new Set([2, 6, 7]));
      expect(mutants).toContain('2 ArithmeticOperator Killed');
      expect(mutants).toContain('7 EqualityOperator Survived');
      // The arid console.log on line 6: every mutant there is ignored, never tested or reported.
      const aridLine = mutants.filter((m) => m.startsWith('6 '));
      expect(aridLine.length).toBeGreaterThan(0);
      expect(aridLine.every((m) => m.endsWith(' Ignored'))).toBe(true);
      // The survivor is commented on its line; the killed mutant and the arid line are not.
      const comments = s.comments();
      expect(comments.map((c) => [c.path, c.line])).toEqual([['src/math.ts', 7]]);
      expect(comments[0]!.body).toContain('`age >= 18` becomes `age > 18`');
      expect(s.summary()).toContain('**Changed-lines mutation score: 80.0%**');
      expect(s.github.reviews(OWNER, REPO, 42).map((r) => [r.state, r.commit_id])).toEqual([
        ['COMMENTED', s.headSha],
      ]);
      // Annotated on its line, and the job summary is short with the report folded.
      expect(first.stdout).toContain(
        '::warning title=Surviving mutant (EqualityOperator),file=src/math.ts,line=7,endLine=7::',
      );
      expect(first.summary).toContain('**Changed-lines mutation score 80.0%**');
      expect(first.summary).toContain('<details><summary>The report</summary>');

      // 2. A rerun of the same head posts nothing new (and reuses Stryker's incremental results).
      const before = s.github.requests.length;
      const rerun = await s.run();
      expect(rerun.exitCode, log(rerun)).toBe(1);
      expect(rerun.outputs).toMatchObject(FIRST_OUTPUTS);
      // Nothing is posted: at most the summary's duration is edited in place.
      const summaryId = s.github.comments(OWNER, REPO, 42)[0]!.id;
      expect(
        s
          .writesSince(before)
          .filter((w) => w !== `PATCH /repos/${OWNER}/${REPO}/issues/comments/${summaryId}`),
      ).toEqual([]);
      expect(s.github.comments(OWNER, REPO, 42)).toHaveLength(1);
      expect(s.github.reviews(OWNER, REPO, 42)).toHaveLength(1);
      expect(s.comments()).toHaveLength(1);

      // 3. A collaborator with write access turns the survivor down: the next run suppresses it.
      s.github.setPermission(OWNER, REPO, 'mona', 'write');
      s.github.addReviewCommentReaction(OWNER, REPO, comments[0]!.id, '-1', {
        login: 'mona',
        type: 'User',
      });
      const downvoted = await s.run();
      // A 👎 must not fail the build: the only survivor is suppressed.
      expect(downvoted.exitCode, log(downvoted)).toBe(0);
      expect(downvoted.stdout).not.toContain('::warning title=Surviving mutant');
      expect(s.summary()).toMatch(/suppressed/i);
      expect(s.comments()).toHaveLength(1);

      // 4. A push adds the missing test: the comment is resolved and the score goes up.
      s.push({ 'test/math.test.ts': MATH_TEST_AT_18 }, 'test adults at 18');
      const fixed = await s.run();
      expect(fixed.exitCode, log(fixed)).toBe(0);
      expect(fixed.outputs).toMatchObject({ score: '100.0', killed: '5', survived: '0' });
      expect(mutantsOf(fixed)).toContain('7 EqualityOperator Killed');
      const [resolved] = s.comments();
      expect(s.comments()).toHaveLength(1);
      expect(resolved!.resolved).toBe(true);
      expect(resolved!.body).not.toEqual(comments[0]!.body);
      expect(s.summary()).toContain('**Changed-lines mutation score: 100.0%**');
    },
  );

  it('two shards and a merge job give the same result as one run', STRYKER, async ({ start }) => {
    const s = await start();
    const shardDirs: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const run = await s.run({ inputs: { shard } });
      expect(run.exitCode, log(run)).toBe(0);
      expect(run.summary).toContain(`(shard ${shard})`);
      shardDirs.push(s.keep(run.outputs['report-path']!.replace(/\/mutation\.json$/, '')));
    }
    // The shards comment on nothing.
    expect(s.comments()).toEqual([]);
    expect(s.summary()).toBeUndefined();

    // The merge job: no checkout, no Stryker; the shards' artifacts and GitHub's compare.
    s.seedComparison();
    const merged = await s.run({
      inputs: { mode: 'merge' },
      workspace: s.artifactsWorkspace(shardDirs),
    });
    expect(merged.exitCode, log(merged)).toBe(1);
    expect(merged.stdout).not.toContain('mutating:');
    expect(merged.outputs).toMatchObject(FIRST_OUTPUTS);
    const mergedComments = s.comments().map((c) => [c.path, c.line, c.body]);
    const mergedSummary = s.summary()!;

    // One run of the same head, on a pull request of its own in a fresh world, says the same.
    const one = await start();
    const whole = await one.run();
    expect(whole.outputs).toMatchObject(FIRST_OUTPUTS);
    expect(one.comments().map((c) => [c.path, c.line, c.body])).toEqual(mergedComments);
    const withoutDuration = (text: string) => text.replace(/ · [\d.]+ (ms|s|min)\b.*$/m, '');
    expect(withoutDuration(mergedSummary)).toBe(withoutDuration(one.summary()!));
  });

  it(
    'a fork’s read-only token: no comment, the whole report in the job summary and a notice why',
    STRYKER,
    async ({ start }) => {
      const s = await start({ config: 'mutation:\n  max-comments: 5\n', isCrossRepository: true });
      for (const method of ['POST', 'PATCH'])
        s.github.denyPermission({
          method,
          pathPattern: /^\/repos\//,
          permission: 'pull_requests=write',
        });
      const run = await s.run();
      expect(run.exitCode, log(run)).toBe(0);
      expect(run.stdout).toMatch(
        /::notice::Steward posted no comments: .*pull_requests=write.* A pull request from a fork gets a read-only GITHUB_TOKEN on `pull_request`\. The whole report is in this job's summary\./,
      );
      expect(run.outputs).toMatchObject(FIRST_OUTPUTS);
      expect(run.summary).toContain(
        '| `src/math.ts:7` | EqualityOperator | `age >= 18` → `age > 18`',
      );
      expect(run.summary).not.toContain('<details><summary>The report</summary>');
      expect(s.comments()).toEqual([]);
      expect(s.summary()).toBeUndefined();
    },
  );

  it(
    'a failing test at head: the clear error naming the test, and no score',
    STRYKER,
    async ({ start }) => {
      const s = await start();
      s.push(
        {
          'test/math.test.ts': MATH_TEST_TS.replace(
            'expect(add(2, 3)).toBe(5);',
            "expect(add(2, 3)).toBe(5);\n});\n\ntest('adds badly', () => {\n  expect(add(1, 1)).toBe(3);",
          ),
        },
        'break the suite',
      );
      const run = await s.run();
      expect(run.exitCode, log(run)).toBe(1);
      expect(run.stdout).toMatch(
        /::error::Steward mutation report: mutation testing could not start/,
      );
      expect(run.stdout).toContain('adds badly');
      expect(run.outputs).toMatchObject({ score: '', 'report-path': '' });
      const summary = s.summary()!;
      expect(summary).toContain('Mutation testing could not start');
      expect(summary).toContain('`adds badly`');
      expect(summary).not.toMatch(/mutation score|%/i);
      expect(s.comments()).toEqual([]);
    },
  );
});
