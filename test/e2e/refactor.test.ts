import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { analyseSource } from '../../src/health/complexity/analyse.ts';
import { assessFile } from '../../src/health/score.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import type { ActionRun } from './action-runner.ts';
import { ANSWERS, GOOD, LOWERS_HEALTH, applyByHand, type AnswerKind } from './refactor-answers.ts';
import {
  FORMAT_PRICE,
  OTHER_FUNCTION,
  PRICING,
  PRICING_PATH,
  TARGET_FUNCTION,
} from './refactor-fixture.ts';
import { ACTION, refactorTest, userText } from './refactor-scenario.ts';
import { OWNER, REPO } from './review-scenario.ts';

const it = refactorTest;

/**
 * The bundled refactor action (actions/refactor/dist/index.mjs: node, INPUT_* variables, the event
 * file) as the README's weekly workflow runs it: `mode: propose` in the checkout with the key and
 * the Anthropic fake, then `mode: deliver` in an empty workspace with the artifact the first job
 * wrote, against the GitHub fake. REAL git, TypeScript and vitest on a fixture whose one hot,
 * smelly, tested function is priceOrder; the model's seven answers are refactor-answers.ts (each
 * checked by hand in refactor-answers.test.ts). No time is asserted.
 *
 * Needs the bundle: `npm run build` first (the integrator builds it; see notes/r-e2e.md).
 */
const LONG = { timeout: 600_000 };

const log = (run: ActionRun) => `${run.stdout}\n${run.stderr}`;

const healthOf = (text: string) =>
  assessFile(analyseSource(PRICING_PATH, text), { ...DEFAULT_THRESHOLDS }).health;

/**
 * Each bad answer, the proof it fails, what the skip reason says and what the retry is told
 * (the first failure is fed back once; the model gives the same bad answer again).
 */
const BAD: { kind: Exclude<AnswerKind, 'good'>; reason: RegExp; feedback: RegExp }[] = [
  { kind: 'breaks-types', reason: /TS2551|type/i, feedback: /county/ },
  { kind: 'breaks-a-test', reason: /test/i, feedback: /BOOKS coupon|4800/ },
  { kind: 'changes-the-signature', reason: /API|signature|declaration/i, feedback: /shipping/ },
  { kind: 'lowers-health', reason: /health|cognitive/i, feedback: /health|cognitive/i },
  {
    kind: 'edits-another-function',
    reason: new RegExp(`${OTHER_FUNCTION}|one function|another function|outside`, 'i'),
    feedback: new RegExp(`${OTHER_FUNCTION}|one function|another function|outside`, 'i'),
  },
  { kind: 'does-not-parse', reason: /pars|syntax/i, feedback: /pars|syntax|expected/i },
];

describe('actions/refactor, bundled, with real git, tsc and vitest, against the GitHub and Anthropic fakes', () => {
  for (const { kind, reason, feedback } of BAD) {
    it(
      `an answer that ${kind.replaceAll('-', ' ')} is skipped with its reason, never a pull request`,
      LONG,
      async ({ start }) => {
        const s = await start();
        s.scriptModel(ANSWERS[kind]);

        const proposed = await s.propose();
        expect(proposed.exitCode, log(proposed)).toBe(0);
        // The target, then its retry with the failure fed back; nothing more.
        expect(s.anthropic.requests).toHaveLength(2);
        expect(s.anthropic.pending).toBe(0);
        const [first, retry] = s.anthropic.requests.map(userText);
        expect(first).toContain(TARGET_FUNCTION);
        expect(retry).toMatch(feedback);
        // The tool the model must answer through, and only it.
        expect(
          (s.anthropic.requests[0]!.body.tools ?? []).map((t) => ('name' in t ? t.name : null)),
        ).toEqual(['propose_refactoring']);

        // Skipped with its reason in the job summary; nothing proven to deliver.
        const skipLine = proposed.summary
          .split('\n')
          .find((line) => line.includes(TARGET_FUNCTION) && reason.test(line));
        expect(skipLine, proposed.summary).toBeDefined();
        expect(proposed.outputs).toMatchObject({ proven: 'false', 'artifact-file': '' });
        expect(s.artifact()).toBeNull();

        const delivered = await s.deliver();
        expect(delivered.exitCode, log(delivered)).toBe(0);
        expect(delivered.outputs).toMatchObject({
          [ACTION.pullRequestNumber]: '',
          delivered: 'false',
        });
        expect(s.pullRequests()).toEqual([]);
        expect(s.github.branchCommits).toEqual([]);
        // The checkout is left as it was: every overlay restored byte for byte.
        expect(s.fixture.repo.git('status', '--porcelain')).toBe('');
      },
    );
  }

  it(
    'the good answer becomes one pull request with the table and the proof log; with it open a rerun opens none and asks no model; closed unmerged, the function is not proposed again',
    LONG,
    async ({ start }) => {
      const s = await start();

      // 1. The propose job: the good answer holds at the first attempt.
      s.scriptModel(GOOD);
      const proposed = await s.propose();
      expect(proposed.exitCode, log(proposed)).toBe(0);
      expect(s.anthropic.requests).toHaveLength(1);
      expect(proposed.outputs).toMatchObject({
        proven: 'true',
        path: PRICING_PATH,
        function: TARGET_FUNCTION,
        'artifact-file': s.artifactFile,
      });
      const artifact = s.artifact();
      expect(artifact).toMatchObject({
        version: 1,
        baseSha: s.headSha,
        path: PRICING_PATH,
        function: TARGET_FUNCTION,
        before: PRICING,
      });
      expect(artifact!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      const after = artifact!.after;
      // Only the function changed: its new body and the helpers beside it, the rest as it was.
      expect(after).toContain('const subtotal = order.items.reduce(');
      for (const helper of GOOD.helpers ?? [])
        expect(after).toContain(helper.slice(0, helper.indexOf('{')));
      expect(after).toContain(FORMAT_PRICE);
      expect(after).toContain(PRICING.slice(0, PRICING.indexOf('/**\n * The order')));
      expect(healthOf(after) - healthOf(PRICING)).toBeGreaterThanOrEqual(0.5);
      expect(s.fixture.repo.git('status', '--porcelain')).toBe('');

      // 2. The deliver job: one branch, one commit through the API, one pull request.
      const delivered = await s.deliver();
      expect(delivered.exitCode, log(delivered)).toBe(0);
      const [pr, ...more] = s.pullRequests();
      expect(more).toEqual([]);
      expect(pr).toMatchObject({ state: 'OPEN', baseRefName: 'main' });
      expect(pr!.headRefName).toMatch(/^steward\/refactor\/.*pricing.*-priceorder$/i);
      expect(delivered.outputs).toMatchObject({
        [ACTION.pullRequestNumber]: String(pr!.number),
        delivered: 'true',
      });
      expect(s.github.labels(OWNER, REPO, pr!.number)).toContain('steward:refactor');
      expect(s.github.branchCommits).toEqual([
        expect.objectContaining({
          branch: pr!.headRefName,
          expectedHeadOid: s.headSha,
          files: [PRICING_PATH],
        }),
      ]);
      const tip = s.github.branch(OWNER, REPO, pr!.headRefName)!;
      expect(s.github.fileAt(OWNER, REPO, tip, PRICING_PATH)).toBe(after);
      expect(s.github.commit(OWNER, REPO, tip)).toMatchObject({ parents: [s.headSha] });

      // The title gives the health before and after; the body a reviewer reads in a minute.
      const [was, now] = [healthOf(PRICING), healthOf(after)];
      const number = (n: number) =>
        String(n).replace('.', '\\.') + (Number.isInteger(n) ? '(\\.0)?' : '');
      expect(pr!.title).toMatch(
        new RegExp(
          `^Refactor ${TARGET_FUNCTION} in ${PRICING_PATH.replace('.', '\\.')}: health ${number(was)} → ${number(now)}$`,
        ),
      );
      const body = pr!.body;
      // The marker (the path may be percent-encoded to stay one token).
      const marker = body.split('\n')[0]!;
      expect([
        `<!-- steward:refactor fingerprint=${artifact!.fingerprint} path=${PRICING_PATH} function=${TARGET_FUNCTION} -->`,
        `<!-- steward:refactor fingerprint=${artifact!.fingerprint} path=${encodeURIComponent(PRICING_PATH)} function=${TARGET_FUNCTION} -->`,
      ]).toContain(marker);
      // Why this function: its hotspot rank, the revisions, the smells.
      expect(body).toMatch(/hotspot (number |#)?1\b|rank 1\b/i);
      expect(body).toMatch(/revisions|commits/i);
      for (const smell of ['Deep Nesting', 'Complex Conditional']) expect(body).toContain(smell);
      // The before/after table.
      const table = body.split('\n').filter((line) => line.startsWith('|'));
      expect(table.length).toBeGreaterThanOrEqual(4);
      expect(table.some((row) => /health/i.test(row) && row.includes(String(was)))).toBe(true);
      expect(table.some((row) => /cognitive/i.test(row))).toBe(true);
      // The techniques, the proof log (folded) and how to say no.
      for (const technique of GOOD.techniques) expect(body).toContain(technique);
      expect(body).toContain('<details>');
      for (const proof of [/type/i, /test/i, /API/, /health/i]) expect(body).toMatch(proof);
      expect(body).toMatch(/close/i);

      // 3. Both jobs again with the pull request open: no model call, nothing new.
      const again = await s.propose();
      expect(again.exitCode, log(again)).toBe(0);
      expect(s.anthropic.requests).toHaveLength(1);
      expect(again.outputs).toMatchObject({ proven: 'false' });
      expect(s.artifact()).toBeNull();
      // max-open (1) is reached: nothing is measured or asked.
      expect(again.summary).toContain(`#${pr!.number}`);
      expect(again.summary).toMatch(/max-open/);
      const redelivered = await s.deliver();
      expect(redelivered.exitCode, log(redelivered)).toBe(0);
      expect(s.pullRequests()).toHaveLength(1);
      expect(s.github.branchCommits).toHaveLength(1);

      // 4. The maintainer closes it unmerged: "not wanted". The function is not proposed again.
      await s.closeUnmerged(pr!.number);
      const afterNo = await s.propose();
      expect(afterNo.exitCode, log(afterNo)).toBe(0);
      expect(s.anthropic.requests).toHaveLength(1);
      expect(afterNo.outputs).toMatchObject({ proven: 'false' });
      expect(s.artifact()).toBeNull();
      const skipLine = afterNo.summary
        .split('\n')
        .find((line) => line.includes(TARGET_FUNCTION) && /closed|not wanted|rejected/i.test(line));
      expect(skipLine, afterNo.summary).toBeDefined();
      const last = await s.deliver();
      expect(last.exitCode, log(last)).toBe(0);
      expect(s.pullRequests().filter((p) => p.state === 'OPEN')).toEqual([]);
      expect(s.pullRequests()).toHaveLength(1);
      expect(s.github.branchCommits).toHaveLength(1);
      expect(s.fixture.repo.git('status', '--porcelain')).toBe('');
    },
  );
  it(
    'a tampered artifact (another function changed, a path outside the repository, an after text that lowers health) is refused by the deliver job: no branch, no pull request',
    LONG,
    async ({ start }) => {
      const s = await start();
      s.scriptModel(GOOD);
      const proposed = await s.propose();
      expect(proposed.exitCode, log(proposed)).toBe(0);
      const good = readFileSync(s.artifactFile, 'utf8');
      const before = s.github.requests.length;
      const artifact = JSON.parse(good) as Record<string, unknown> & { after: string };

      const tampered: [string, Record<string, unknown>][] = [
        [
          'another function changed',
          {
            ...artifact,
            after: artifact.after.replace(FORMAT_PRICE, FORMAT_PRICE.replace('EUR', 'USD')),
          },
        ],
        ['a path outside the repository', { ...artifact, path: '../../etc/passwd' }],
        [
          'an after text that lowers health',
          { ...artifact, after: applyByHand(PRICING, LOWERS_HEALTH) },
        ],
      ];
      for (const [what, json] of tampered) {
        writeFileSync(s.artifactFile, JSON.stringify(json));
        const delivered = await s.deliver();
        expect(delivered.exitCode, `${what}\n${log(delivered)}`).not.toBe(0);
        expect(delivered.summary, what).toContain('Refused the artifact');
        expect(delivered.outputs, what).toMatchObject({ delivered: 'false' });
      }
      expect(s.pullRequests()).toEqual([]);
      expect(s.github.branchCommits).toEqual([]);
      // Nothing written: no branch made and deleted again, no pull request, no label.
      expect(
        s.github.requests.slice(before).filter((r) => r.method !== 'GET' && r.path !== '/graphql'),
      ).toEqual([]);

      // The same artifact untouched is delivered.
      writeFileSync(s.artifactFile, good);
      const delivered = await s.deliver();
      expect(delivered.exitCode, log(delivered)).toBe(0);
      expect(s.pullRequests()).toHaveLength(1);
    },
  );
});
