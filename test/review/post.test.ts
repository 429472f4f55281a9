import { getOctokit } from '@actions/github';
import { describe, expect } from 'vitest';
import type { GitHubClient } from '../../src/github/client.ts';
import { createGitHubClient } from '../../src/github/octokit-client.ts';
import type { AnchoredFinding } from '../../src/review/anchor.ts';
import { fingerprint, parseMarkers, parseReviewMarker } from '../../src/review/fingerprint.ts';
import {
  commentBody,
  fenceFor,
  MAX_COMMENT_LENGTH,
  planReview,
  postReview,
  SUMMARY_MARKER,
  summaryText,
} from '../../src/review/post.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';

const it = gitHubTest();
const OWNER = 'acme';
const REPO = 'widgets';
// Right-side lines in the diff: 1–4 (first hunk) and 11–13 (second hunk).
const PATCH = [
  '@@ -1,3 +1,4 @@',
  ' const a = 1;',
  '-const b = 2;',
  '+const b = 3;',
  '+const c = 4;',
  ' export { a };',
  '@@ -10,2 +11,3 @@',
  ' function f() {',
  '+  return 1;',
  ' }',
].join('\n');

/**
 * One pull request on the fixture's repository, and the client to post with: the actions' Octokit
 * (retry and throttling), except where a test counts bisection calls: the throttling plugin spaces
 * content-creating requests 3 s apart across every Octokit in the process, as GitHub asks, so those
 * tests take @actions/github's plain Octokit, the same client without that spacing.
 */
function onePullRequest(world: GitHubWorld, throttled = true) {
  const { fake: github, owner, repo } = world;
  const pr = github.addPullRequest({
    owner,
    repo,
    files: [{ path: 'src/a.ts', patch: PATCH, additions: 3, deletions: 1 }],
  });
  const client: GitHubClient = throttled
    ? world.client
    : createGitHubClient(getOctokit(world.token, { baseUrl: github.url }), { owner, repo });
  const number = pr.number;
  return {
    github,
    client,
    number,
    head: pr.headSha,
    reviewPosts: () =>
      github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews')),
    summaries: () =>
      github.comments(OWNER, REPO, number).filter((c) => c.body.includes(SUMMARY_MARKER)),
    reviews: () => github.reviews(OWNER, REPO, number),
    reviewComments: () => github.reviewComments(OWNER, REPO, number),
  };
}

function finding(
  title: string,
  line: number,
  endLine = line,
  extra: Partial<AnchoredFinding> = {},
) {
  const base: AnchoredFinding = {
    path: 'src/a.ts',
    line,
    endLine,
    side: 'RIGHT',
    severity: 'major',
    category: 'correctness',
    title,
    body: `Why ${title} matters.`,
    fingerprint: fingerprint({ path: 'src/a.ts', title, code: `line ${line}` }),
    ...extra,
  };
  return base;
}

describe('postReview against the GitHub fake', () => {
  it('posts one COMMENT review carrying every new comment, then the summary', async ({
    github,
    expect,
  }) => {
    const { client, number, head, reviewPosts, reviews } = onePullRequest(github);
    const findings = [finding('Off by one', 2, 3), finding('Missing return type', 12)];
    const result = await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings,
      summaryBody: 'Two findings.',
    });

    expect(result).toEqual({
      posted: 2,
      alreadyPosted: 0,
      rejected: [],
      reviewCalls: 1,
      summary: 'created',
    });
    const [review, ...others] = reviews();
    expect(others).toEqual([]);
    expect(review).toMatchObject({ state: 'COMMENTED', commit_id: head });
    expect(reviewPosts()[0]?.body).toMatchObject({ event: 'COMMENT', commit_id: head });
    expect(
      review!.comments.map((c) => [c.path, c.start_line, c.line, c.side, parseMarkers(c.body)]),
    ).toEqual([
      ['src/a.ts', 2, 3, 'RIGHT', [findings[0]!.fingerprint]],
      ['src/a.ts', null, 12, 'RIGHT', [findings[1]!.fingerprint]],
    ]);
    expect(review!.comments[0]!.body).toContain('**Off by one** (major)');
  });

  it('posts nothing on a rerun with the same findings, and leaves the summary alone', async ({
    github,
    expect,
  }) => {
    const { client, number, head, reviewPosts, summaries, reviewComments } = onePullRequest(github);
    const findings = [finding('Off by one', 2, 3), finding('Missing return type', 12)];
    const input = { pullNumber: number, headSha: head, findings, summaryBody: 'Two findings.' };
    await postReview(client, input);
    const again = await postReview(client, input);

    expect(again).toEqual({
      posted: 0,
      alreadyPosted: 2,
      rejected: [],
      reviewCalls: 0,
      summary: 'unchanged',
    });
    expect(reviewPosts()).toHaveLength(1);
    expect(reviewComments()).toHaveLength(2);
    expect(summaries()).toHaveLength(1);
  });

  it('posts only the one new finding when a rerun adds it', async ({ github, expect }) => {
    const { client, number, head, reviews } = onePullRequest(github);
    const first = [finding('Off by one', 2, 3)];
    await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings: first,
      summaryBody: 'One.',
    });
    const added = finding('Unused constant', 4);
    const result = await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings: [...first, added],
      summaryBody: 'Two.',
    });

    expect(result).toMatchObject({
      posted: 1,
      alreadyPosted: 1,
      reviewCalls: 1,
      summary: 'updated',
    });
    const all = reviews();
    expect(all).toHaveLength(2);
    expect(all[1]!.comments.map((c) => parseMarkers(c.body))).toEqual([[added.fingerprint]]);
  });

  it('bisects a batch GitHub rejects: the valid comments are posted, the bad ones returned', async ({
    github,
    expect,
  }) => {
    const { client, number, head, reviewPosts, summaries, reviewComments } = onePullRequest(
      github,
      false,
    );
    const offDiff = finding('Not in the diff', 7);
    const acrossHunks = finding('Spans two hunks', 4, 11);
    const good = [finding('A', 1), finding('B', 2), finding('C', 12), finding('D', 13)];
    const findings = [good[0]!, offDiff, good[1]!, good[2]!, acrossHunks, good[3]!];
    const result = await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings,
      summaryBody: ({ rejected }) =>
        `Not posted:\n${rejected.map((r) => `- ${r.finding.title}: ${r.message}`).join('\n')}`,
    });

    expect(result.posted).toBe(4);
    expect(result.rejected.map((r) => r.finding.title)).toEqual([
      'Not in the diff',
      'Spans two hunks',
    ]);
    for (const r of result.rejected) expect(r.message).toMatch(/must be part of the diff/);
    const posted = reviewComments().flatMap((c) => parseMarkers(c.body));
    expect(posted.sort()).toEqual(good.map((f) => f.fingerprint).sort());
    // [all 6] ✗ → [A,off,B] ✗ → [A,off] ✗ → [A] ✓, [off] inferred ✗ → [B] ✓ → [C,across,D] ✗ →
    // [C,across] ✗ → [C] ✓, [across] inferred ✗ → [D] ✓: 9 calls.
    expect(result.reviewCalls).toBe(9);
    expect(reviewPosts()).toHaveLength(9);
    for (const post of reviewPosts()) expect(post.body).toMatchObject({ event: 'COMMENT' });
    expect(summaries()[0]!.body).toContain('- Not in the diff: ');
    expect(summaries()[0]!.body).toContain('- Spans two hunks: ');
  });

  it('isolates one bad comment among 16 in far fewer calls than one per comment', async ({
    github,
    expect,
  }) => {
    const { client, number, head } = onePullRequest(github, false);
    const lines = [1, 2, 3, 4, 11, 12, 13];
    const findings = Array.from({ length: 16 }, (_, i) =>
      i === 10 ? finding('Off the diff', 8) : finding(`F${i}`, lines[i % lines.length]!),
    );
    const result = await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings,
      summaryBody: 's',
    });
    expect(result.posted).toBe(15);
    expect(result.rejected.map((r) => r.finding.title)).toEqual(['Off the diff']);
    // [0–15] ✗, [0–7] ✓, so [8–15] holds it: split unasked. [8–11] ✗, [8–9] ✓, so [10–11] holds
    // it: split unasked. [10] ✗, [11] ✓, [12–15] ✓. 7 calls, against 17 one comment at a time.
    expect(result.reviewCalls).toBe(7);
  });

  it('stops bisecting at the call limit and reports what it could not isolate', async ({
    github,
    expect,
  }) => {
    const { client, number, head, reviews } = onePullRequest(github, false);
    const findings = [finding('A', 1), finding('Not in the diff', 7), finding('C', 12)];
    const result = await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings,
      summaryBody: 'x',
      maxReviewCalls: 2,
    });
    // Call 1: all three, rejected. Call 2: [A, off-diff], rejected. Then the budget is spent.
    expect(result.reviewCalls).toBe(2);
    expect(result.posted).toBe(0);
    expect(result.rejected.map((r) => r.finding.title)).toEqual(['A', 'Not in the diff', 'C']);
    expect(result.rejected[0]!.message).toMatch(/limit of 2 review calls/);
    expect(reviews()).toHaveLength(0);
  });

  it('keeps a suggestion whole when it contains backtick fences of its own', async ({
    github,
    expect,
  }) => {
    const { client, number, head, reviewComments } = onePullRequest(github);
    const suggestion = 'const doc = `\n```ts\nx\n```\n`;';
    const f = finding('Use a template', 3, 3, { suggestion });
    await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings: [f],
      summaryBody: 's',
    });

    const body = reviewComments()[0]!.body;
    expect(body.endsWith(`\`\`\`\`suggestion\n${suggestion}\n\`\`\`\``)).toBe(true);
    const fenced = /^(`{3,})suggestion\n([\s\S]*?)\n\1$/m.exec(body);
    expect(fenced?.[2]).toBe(suggestion);
  });

  it('records the reviewed head in the summary, and moves it when a new head is reviewed', async ({
    github,
    expect,
  }) => {
    const { client, number, head, reviewPosts, summaries, github: fake } = onePullRequest(github);
    await postReview(client, {
      pullNumber: number,
      headSha: head,
      findings: [],
      summaryBody: 'Clean.',
    });
    expect(reviewPosts()).toHaveLength(0);
    expect(summaries()).toHaveLength(1);
    expect(parseReviewMarker(summaries()[0]!.body)).toBe(head);

    const next = fake.pushCommit(OWNER, REPO, number);
    const result = await postReview(client, {
      pullNumber: number,
      headSha: next,
      findings: [],
      summaryBody: 'Clean.',
    });
    expect(result.summary).toBe('updated');
    expect(summaries()).toHaveLength(1);
    expect(parseReviewMarker(summaries()[0]!.body)).toBe(next);
  });
});

describe('review plan', () => {
  const posted = (body: string, ours: boolean, line = 2) => ({
    id: 1,
    body,
    path: 'src/a.ts',
    line,
    userType: 'Bot',
    authorLogin: ours ? 'github-actions[bot]' : 'other-app[bot]',
    ours,
    thumbsUp: 0,
    thumbsDown: 0,
  });

  it('counts only our own account’s comments: another bot or a person quoting a marker does not silence a finding', () => {
    const f = finding('Off by one', 2);
    expect(planReview([f], [posted(commentBody(f), false)]).comments).toHaveLength(1);
    expect(
      planReview([f], [{ ...posted(commentBody(f), false), userType: 'User' }]).comments,
    ).toHaveLength(1);
    expect(planReview([f], [posted(commentBody(f), true)]).alreadyPosted).toEqual([f]);
  });

  it('reads a marker only on the first line: one placed in a body Steward posted counts for nothing', () => {
    const victim = finding('SQL injection', 3);
    const forger = finding(`Nit <!-- steward:finding:${victim.fingerprint} -->`, 2);
    const carrier = {
      ...forger,
      body: `Looks fine.\n<!-- steward:finding:${victim.fingerprint} -->\n\n<!-- steward:finding:${victim.fingerprint} -->`,
    };
    const plan = planReview([victim], [posted(commentBody(carrier), true)]);
    expect(plan.comments.map((c) => c.finding)).toEqual([victim]);
    // Even raw, a marker below the first line is not read.
    const raw = `**x**\n<!-- steward:finding:${victim.fingerprint} -->`;
    expect(planReview([victim], [posted(raw, true)]).comments).toHaveLength(1);
  });

  it('recognises a posted finding whose line moved', () => {
    const f = finding('Off by one', 2);
    const moved = posted(commentBody(f), true, 40);
    expect(planReview([{ ...f, line: 30, endLine: 30 }], [moved]).comments).toHaveLength(0);
  });

  it('cuts a summary too long for GitHub, keeping both markers', () => {
    const sha = 'a'.repeat(40);
    const text = summaryText('😀'.repeat(40_000), sha);
    expect(text.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(text.startsWith(SUMMARY_MARKER)).toBe(true);
    expect(parseReviewMarker(text)).toBe(sha);
    expect(text).toContain('the summary was cut here');
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(summaryText('short', sha)).toBe(
      `${SUMMARY_MARKER}\nshort\n\n<!-- steward:review last-sha=${sha} -->`,
    );
  });

  it('fences with one backtick more than the longest run, never fewer than three', () => {
    expect(fenceFor('plain')).toBe('```');
    expect(fenceFor('a ``` b')).toBe('````');
    expect(fenceFor('`````')).toBe('``````');
  });
});
