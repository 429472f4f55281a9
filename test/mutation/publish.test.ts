import type { MutationTestResult } from 'mutation-testing-report-schema';
import { describe, expect } from 'vitest';
import { parseMutantMarker, RESOLVED_MARKER, SUMMARY_MARKER } from '../../src/mutation/markdown.ts';
import {
  publishMutationRun,
  readMutationFeedback,
  type MutationFeedback,
  type PublishOutcome,
} from '../../src/mutation/publish.ts';
import { mutationResult } from '../../src/mutation/result.ts';
import type { MutationRun } from '../../src/mutation/run-mutation.ts';
import type { MutateRange } from '../../src/mutation/scope.ts';
import { defaultMutationConfig } from '../../src/mutation/settings.ts';
import type { Suppressions } from '../../src/mutation/survivors.ts';
import type { Actor, GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { realMathReport } from './report-fixtures.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const PATH = 'src/math.ts';
const SOURCE = realMathReport.files[PATH]!.source;
/** The pull request adds the whole file: every line is in the diff. */
const ADDED = `@@ -0,0 +1,${SOURCE.split('\n').length} @@\n${SOURCE.split('\n')
  .map((line) => `+${line}`)
  .join('\n')}`;
const RANGES: MutateRange[] = [{ path: PATH, startLine: 2, endLine: 9 }];

const MAINTAINER: Actor = { login: 'mona', type: 'User' };
const OUTSIDER: Actor = { login: 'eve', type: 'User' };
const OTHER_BOT: Actor = { login: 'other-app[bot]', type: 'Bot' };

type Pr = ReturnType<GitHubFake['addPullRequest']>;

const it = gitHubTest().extend<{ pr: Pr }>({
  pr: async ({ github }, use) => {
    github.fake.setPermission(OWNER, REPO, MAINTAINER.login, 'write');
    github.fake.setPermission(OWNER, REPO, OUTSIDER.login, 'read');
    await use(addPr(github.fake));
  },
});

function addPr(fake: GitHubFake, patch = ADDED): Pr {
  return fake.addPullRequest({
    owner: OWNER,
    repo: REPO,
    files: [{ path: PATH, status: 'added', patch }],
  });
}

/** The MutationRun runMutation returns for a report, as the faces hand it to publish. */
function reportRun(
  options: {
    report?: MutationTestResult;
    ranges?: MutateRange[];
    suppressed?: Suppressions;
    partial?: boolean;
    durationMs?: number;
  } = {},
): Extract<MutationRun, { kind: 'report' }> {
  const ranges = options.ranges ?? RANGES;
  const report = options.report ?? realMathReport;
  const result = mutationResult({
    ranges,
    head: report,
    config: defaultMutationConfig(),
    ...(options.suppressed ? { suppressed: options.suppressed } : {}),
    durationMs: options.durationMs ?? 12_000,
  });
  return {
    kind: 'report',
    ranges,
    skipped: [],
    notice: null,
    result,
    report,
    partial: options.partial ?? false,
    reason: options.partial ? 'timed out' : null,
    strykerMs: 12_000,
    mutantsTested: 13,
    mutantsNotRun: 0,
    summary: result.summary,
    gate: result.gate,
  };
}

/** The real report with the line-9 survivors killed: a test for isAdult's boundary was added. */
function killedOnLine9(): MutationTestResult {
  const fixed = structuredClone(realMathReport);
  for (const m of fixed.files[PATH]!.mutants)
    if (m.location.start.line === 9 && m.status === 'Survived') m.status = 'Killed';
  return fixed;
}

/** Every request that changed something on the fake: REST writes and GraphQL mutations. */
function writes(fake: GitHubFake) {
  return fake.requests.filter((r) =>
    r.path === '/graphql' ? /^\s*mutation\b/.test(r.graphql?.document ?? '') : r.method !== 'GET',
  );
}

async function publish(
  github: GitHubWorld,
  pr: Pr,
  run: MutationRun,
  feedback?: MutationFeedback,
): Promise<PublishOutcome> {
  return publishMutationRun({
    github: github.client,
    pullRequest: pr.number,
    headSha: pr.headSha,
    run,
    feedback: feedback ?? (await readMutationFeedback(github.client, pr.number)),
  });
}

/** The counts of a published outcome (a not-permitted one fails the test). */
function counts(outcome: PublishOutcome) {
  if (outcome.kind !== 'published') throw new Error(`not published: ${outcome.message}`);
  return outcome;
}

const ours = (fake: GitHubFake, pr: Pr) =>
  fake.reviewComments(OWNER, REPO, pr.number).filter((c) => c.user.login === fake.botLogin);

describe('publishing a mutation run', () => {
  it('upserts the summary and posts the survivors as one COMMENT review pinned to the tested head', async ({
    github,
    pr,
  }) => {
    const outcome = await publish(github, pr, reportRun());
    expect(outcome).toEqual({
      kind: 'published',
      summary: 'created',
      posted: 3,
      resolved: 0,
      reopened: 0,
      kept: 0,
      rejected: null,
    });
    const [summary] = github.fake.comments(OWNER, REPO, pr.number);
    expect(summary!.body.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true);
    const reviews = github.fake.reviews(OWNER, REPO, pr.number);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ state: 'COMMENTED', commit_id: pr.headSha });
    expect(reviews[0]!.comments.map((c) => [c.path, c.line, c.side])).toEqual([
      [PATH, 2, 'RIGHT'],
      [PATH, 3, 'RIGHT'],
      [PATH, 9, 'RIGHT'],
    ]);
    expect(reviews[0]!.comments.every((c) => parseMutantMarker(c.body) !== null)).toBe(true);
  });

  it('writes nothing when the same run is published again, with fresh or stale feedback', async ({
    github,
    pr,
  }) => {
    const before = await readMutationFeedback(github.client, pr.number);
    const run = reportRun();
    await publish(github, pr, run, before);
    const written = writes(github.fake).length;
    expect(await publish(github, pr, run)).toEqual({
      kind: 'published',
      summary: 'unchanged',
      posted: 0,
      resolved: 0,
      reopened: 0,
      kept: 3,
      rejected: null,
    });
    // A redelivery carries the feedback read before the first run posted anything.
    expect(counts(await publish(github, pr, run, before)).posted).toBe(0);
    // A rerun of the same head took another time: the summary says the same, so it stays as it is.
    const rerun = reportRun({ durationMs: 3_400 });
    expect(rerun.summary).not.toBe(run.summary);
    expect(await publish(github, pr, rerun)).toMatchObject({ summary: 'unchanged', posted: 0 });
    expect(writes(github.fake)).toHaveLength(written);
    expect(ours(github.fake, pr)).toHaveLength(3);
  });

  it('marks resolved the comment of a mutant a test now kills, once, and reopens it when it survives again', async ({
    github,
    pr,
  }) => {
    await publish(github, pr, reportRun());
    const onLine9 = () => ours(github.fake, pr).find((c) => c.line === 9)!;
    const survivorBody = onLine9().body;

    expect(await publish(github, pr, reportRun({ report: killedOnLine9() }))).toMatchObject({
      posted: 0,
      resolved: 1,
      kept: 2,
      reopened: 0,
    });
    const resolved = onLine9();
    expect(resolved.resolved).toBe(true);
    expect(resolved.body.split('\n')[0]).toBe(survivorBody.split('\n')[0]);
    expect(resolved.body.split('\n')[1]).toBe(RESOLVED_MARKER);
    expect(resolved.body).toContain('No longer survives');
    expect(ours(github.fake, pr).filter((c) => c.resolved)).toHaveLength(1);

    const written = writes(github.fake).length;
    expect(await publish(github, pr, reportRun({ report: killedOnLine9() }))).toMatchObject({
      resolved: 0,
      kept: 3,
    });
    expect(writes(github.fake)).toHaveLength(written);

    expect(await publish(github, pr, reportRun())).toMatchObject({
      posted: 0,
      resolved: 0,
      reopened: 1,
      kept: 2,
    });
    expect(onLine9()).toMatchObject({ body: survivorBody, resolved: false });
    expect(ours(github.fake, pr)).toHaveLength(3);
  });

  it('leaves alone a resolved comment whose thread a person reopened', async ({ github, pr }) => {
    await publish(github, pr, reportRun());
    await publish(github, pr, reportRun({ report: killedOnLine9() }));
    const thread = (await github.client.listReviewThreads(pr.number)).find((t) => t.isResolved)!;
    await github.client.setReviewThreadResolved(thread.id, false);
    const written = writes(github.fake).length;
    await publish(github, pr, reportRun({ report: killedOnLine9() }));
    expect(writes(github.fake)).toHaveLength(written);
  });

  it('resolves nothing on a partial run, nor where the run did not mutate', async ({
    github,
    pr,
  }) => {
    await publish(github, pr, reportRun());
    const written = writes(github.fake).length;
    const partial = await publish(
      github,
      pr,
      reportRun({ report: killedOnLine9(), partial: true }),
    );
    expect(partial).toMatchObject({ resolved: 0, kept: 3 });
    // A later push that only touches lines 2–3: line 9's mutant was not tested at all.
    const narrow = await publish(
      github,
      pr,
      reportRun({ report: killedOnLine9(), ranges: [{ path: PATH, startLine: 2, endLine: 3 }] }),
    );
    expect(narrow).toMatchObject({ resolved: 0, kept: 3 });
    // Only the summary changed (its counts); no comment was touched.
    expect(
      writes(github.fake)
        .slice(written)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(
      Array(2).fill(
        `PATCH /repos/${OWNER}/${REPO}/issues/comments/${github.fake.comments(OWNER, REPO, pr.number)[0]!.id}`,
      ),
    );
    expect(ours(github.fake, pr).every((c) => !c.resolved)).toBe(true);
  });

  it('upserts only the summary for a run without a report, and leaves the survivor comments alone', async ({
    github,
    pr,
  }) => {
    await publish(github, pr, reportRun());
    const failed: MutationRun = {
      kind: 'dry-run-failed',
      ranges: RANGES,
      skipped: [],
      notice: null,
      message: 'There were failed tests in the initial test run.',
      failingTests: ['math > clamps'],
      summary: `${SUMMARY_MARKER}\n## Mutation report\n\nMutation testing could not start.`,
      gate: { fail: true, reasons: ['could not start'] },
    };
    const written = writes(github.fake).length;
    expect(await publish(github, pr, failed)).toEqual({
      kind: 'published',
      summary: 'updated',
      posted: 0,
      resolved: 0,
      reopened: 0,
      kept: 0,
      rejected: null,
    });
    expect(writes(github.fake)).toHaveLength(written + 1);
    expect(ours(github.fake, pr).every((c) => !c.resolved)).toBe(true);
  });

  it('reports GitHub’s refusal of a review off the diff, with the summary posted all the same', async ({
    github,
  }) => {
    // The diff has lines 1–3 only; the run's survivor on line 9 is off it.
    const pr = addPr(
      github.fake,
      `@@ -0,0 +1,3 @@\n${SOURCE.split('\n')
        .slice(0, 3)
        .map((l) => `+${l}`)
        .join('\n')}`,
    );
    const outcome = await publish(github, pr, reportRun());
    expect(outcome).toMatchObject({
      kind: 'published',
      summary: 'created',
      posted: 0,
      rejected: expect.stringContaining('must be part of the diff'),
    });
    expect(github.fake.comments(OWNER, REPO, pr.number)).toHaveLength(1);
  });

  it('comes back as not-permitted when the token may not write (a fork’s read-only token)', async ({
    github,
    pr,
  }) => {
    for (const method of ['POST', 'PATCH'])
      github.fake.denyPermission({
        method,
        pathPattern: /^\/repos\//,
        permission: 'pull_requests=write',
      });
    github.fake.denyPermission({
      mutation: 'resolveReviewThread',
      permission: 'pull_requests=write',
    });
    const outcome = await publish(github, pr, reportRun());
    expect(outcome).toEqual({
      kind: 'not-permitted',
      message: expect.stringContaining('pull_requests=write'),
    });
    expect(writes(github.fake).filter((r) => r.status < 400)).toEqual([]);
  });
});

describe('👍 / 👎 feedback', () => {
  async function turnDown(github: GitHubWorld, pr: Pr, who: Actor) {
    await publish(github, pr, reportRun());
    const comment = ours(github.fake, pr).find((c) => c.line === 2)!;
    github.fake.addReviewCommentReaction(OWNER, REPO, comment.id, '-1', who);
    return parseMutantMarker(comment.body)!;
  }

  it('suppresses a mutant a maintainer turned down, on the next pull request too', async ({
    github,
    pr,
  }) => {
    const marker = await turnDown(github, pr, MAINTAINER);
    const next = addPr(github.fake);
    const feedback = await readMutationFeedback(github.client, next.number);
    expect(feedback.suppressed.fingerprints).toEqual(new Set([marker.fingerprint]));
    expect(feedback.suppressed.shapeKeys).toEqual(new Set([marker.shapeKey]));
    expect(feedback).toMatchObject({ thumbsDown: 1, thumbsUp: 0, posted: [] });
    const outcome = await publish(
      github,
      next,
      reportRun({ suppressed: feedback.suppressed }),
      feedback,
    );
    expect(counts(outcome).posted).toBe(2);
    expect(ours(github.fake, next).map((c) => c.line)).toEqual([3, 9]);
  });

  it('does not let an outsider’s 👎 suppress anything, nor another bot’s', async ({
    github,
    pr,
  }) => {
    await turnDown(github, pr, OUTSIDER);
    const comment = ours(github.fake, pr).find((c) => c.line === 2)!;
    github.fake.addReviewCommentReaction(OWNER, REPO, comment.id, '-1', OTHER_BOT);
    // GitHub's rollup counts both: only who reacted tells them apart.
    const [listed] = (await github.client.listReviewComments(pr.number)).filter(
      (c) => c.id === comment.id,
    );
    expect(listed!.thumbsDown).toBe(2);
    const feedback = await readMutationFeedback(github.client, pr.number);
    expect(feedback.suppressed.fingerprints.size).toBe(0);
    expect(feedback.suppressed.shapeKeys.size).toBe(0);
    expect(feedback.thumbsDown).toBe(0);
    const next = addPr(github.fake);
    const outcome = await publish(
      github,
      next,
      reportRun({
        suppressed: (await readMutationFeedback(github.client, next.number)).suppressed,
      }),
    );
    expect(counts(outcome).posted).toBe(3);
  });

  it('does not let an outsider’s 👍 outweigh a maintainer’s 👎', async ({ github, pr }) => {
    await turnDown(github, pr, MAINTAINER);
    const comment = ours(github.fake, pr).find((c) => c.line === 2)!;
    github.fake.addReviewCommentReaction(OWNER, REPO, comment.id, '+1', OUTSIDER);
    const feedback = await readMutationFeedback(github.client, pr.number);
    expect(feedback.suppressed.fingerprints.size).toBe(1);
  });

  it('counts nobody when the token may not read permissions: nothing is suppressed', async ({
    github,
    pr,
  }) => {
    await turnDown(github, pr, MAINTAINER);
    github.fake.denyPermission({
      method: 'GET',
      pathPattern: /\/permission$/,
      permission: 'metadata=read',
    });
    const feedback = await readMutationFeedback(github.client, pr.number);
    expect(feedback).toMatchObject({ thumbsDown: 0, thumbsUp: 0 });
    expect(feedback.suppressed.fingerprints.size).toBe(0);
  });

  it('asks each person’s permission once per read', async ({ github, pr }) => {
    await publish(github, pr, reportRun());
    for (const c of ours(github.fake, pr)) {
      github.fake.addReviewCommentReaction(OWNER, REPO, c.id, '-1', MAINTAINER);
      github.fake.addReviewCommentReaction(OWNER, REPO, c.id, '+1', OUTSIDER);
    }
    const feedback = await readMutationFeedback(github.client, pr.number);
    expect(feedback).toMatchObject({ thumbsDown: 3, thumbsUp: 0 });
    const asked = github.fake.requests.filter((r) => r.path.endsWith('/permission'));
    expect(asked.map((r) => r.path).sort()).toEqual([
      `/repos/${OWNER}/${REPO}/collaborators/eve/permission`,
      `/repos/${OWNER}/${REPO}/collaborators/mona/permission`,
    ]);
  });
});

describe('comments Steward did not write', () => {
  /** A person copies Steward's survivor comment for line 2, marker and all, onto the same line. */
  async function forge(github: GitHubWorld, pr: Pr) {
    const genuine = reportRun().result.comments.find((c) => c.line === 2)!;
    return github.fake.addReviewComment(OWNER, REPO, pr.number, {
      path: PATH,
      line: 2,
      body: genuine.body,
      user: OUTSIDER,
    });
  }

  it('do not count as posted: the survivor is still commented', async ({ github, pr }) => {
    await forge(github, pr);
    expect(counts(await publish(github, pr, reportRun())).posted).toBe(3);
  });

  it('are never edited or resolved, whatever their marker says', async ({ github, pr }) => {
    const forged = await forge(github, pr);
    await publish(github, pr, reportRun());
    const fixed = structuredClone(realMathReport);
    for (const m of fixed.files[PATH]!.mutants) if (m.status === 'Survived') m.status = 'Killed';
    const outcome = await publish(github, pr, reportRun({ report: fixed }));
    expect(counts(outcome).resolved).toBe(3);
    const after = github.fake
      .reviewComments(OWNER, REPO, pr.number)
      .find((c) => c.id === forged.id)!;
    expect(after).toMatchObject({ body: forged.body, resolved: false });
    expect(
      writes(github.fake).filter((r) => r.path.endsWith(`/pulls/comments/${forged.id}`)),
    ).toEqual([]);
  });

  it('suppress nothing, even when a maintainer turns them down', async ({ github, pr }) => {
    const forged = await forge(github, pr);
    github.fake.addReviewCommentReaction(OWNER, REPO, forged.id, '-1', MAINTAINER);
    const feedback = await readMutationFeedback(github.client, pr.number);
    expect(feedback.suppressed.fingerprints.size).toBe(0);
    expect(feedback.posted.map((c) => c.bySteward)).toEqual([false]);
  });
});
