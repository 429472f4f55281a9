import { describe, expect } from 'vitest';
import { defaultHotspotsConfig } from '../../src/hotspots/settings.ts';
import { reviewPullRequest } from '../../src/review/pull-request-review.ts';
import { defaultReviewConfig } from '../../src/review/settings.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { githubPatch } from '../support/patch.ts';

/**
 * The pull request review names what its health delta was taken against: GitHub's diff, and so
 * the delta, is against the merge base of the base tip and the head, which GitHub's compare answer
 * names. Run over the wire against the GitHub fake, offline.
 */
const OWNER = 'acme';
const REPO = 'widgets';
const sha = (c: string) => c.repeat(40);
const FORK_POINT = sha('f');
const HEAD = sha('e');
const TEXT = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const FILE = {
  path: 'src/add.ts',
  status: 'added' as const,
  additions: 3,
  patch: githubPatch('', TEXT),
};

/** The fixture's repository with one pull request that adds src/add.ts, and the review of it. */
const it = gitHubTest().extend<{ pr: Awaited<ReturnType<typeof onePullRequest>> }>({
  pr: async ({ github }, use) => use(await onePullRequest(github)),
});

async function onePullRequest({ fake: github, client }: GitHubWorld) {
  const { number } = github.addPullRequest({
    owner: OWNER,
    repo: REPO,
    baseRefName: 'main',
    commits: [{ sha: HEAD }],
    files: [FILE],
  });
  github.setFileContents(OWNER, REPO, HEAD, { 'src/add.ts': TEXT });
  const tip = (await client.getPullRequestSnapshot(number)).baseSha;
  return {
    github,
    tip,
    /** GitHub's compare answer: the head, one commit on from `mergeBase`, which the base tip is `behindBy` past. */
    branchedFrom: (mergeBase: string, behindBy: number) =>
      github.setComparison(OWNER, REPO, tip, HEAD, {
        status: behindBy > 0 ? 'diverged' : 'ahead',
        aheadBy: 1,
        behindBy,
        mergeBaseSha: mergeBase,
        files: [FILE],
      }),
    review: (notes: string[] = []) =>
      reviewPullRequest(client, {
        pullNumber: number,
        config: { review: defaultReviewConfig(), hotspots: defaultHotspotsConfig() },
        full: false,
        model: null,
        onProgress: (message) => notes.push(message),
      }),
    summary: () =>
      github.comments(OWNER, REPO, number).find((c) => c.body.includes('<!-- steward:review -->'))
        ?.body ?? '',
  };
}

describe('the pull request review names what it compared with', () => {
  it('names the merge base, not the base tip, when the base branch moved on', async ({
    pr: { branchedFrom, tip, review, summary },
  }) => {
    // main gained three commits after the pull request branched at FORK_POINT.
    branchedFrom(FORK_POINT, 3);
    const { result } = await review();
    expect(result.mergeBaseSha).toBe(FORK_POINT);
    expect(summary()).toContain(`\`main\` (merge base ${FORK_POINT.slice(0, 7)}) … `);
    expect(summary()).not.toContain(tip.slice(0, 7));
  });

  it('names the base alone when it is the merge base', async ({
    pr: { branchedFrom, tip, review, summary },
  }) => {
    branchedFrom(tip, 0);
    const { result } = await review();
    expect(result.mergeBaseSha).toBe(tip);
    expect(summary()).toContain(`\`main\` (${tip.slice(0, 7)}) … `);
  });

  it('still reviews, naming the base tip as only that, when GitHub cannot compare', async ({
    pr: { github, tip, review, summary },
  }) => {
    // A comparison GitHub refuses: the review goes on without the merge base.
    github.denyPermission({ method: 'GET', pathPattern: /\/compare\//, permission: 'contents' });
    const notes: string[] = [];
    const { result, posting } = await review(notes);
    expect(result.mergeBaseSha).toBeUndefined();
    expect(posting).not.toBeNull();
    expect(summary()).toContain(`\`main\` (base tip ${tip.slice(0, 7)}) … `);
    expect(summary()).not.toContain('merge base');
    expect(notes.some((n) => n.startsWith('merge base not known'))).toBe(true);
  });
});
