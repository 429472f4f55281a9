import { describe, expect } from 'vitest';
import { fail } from '../support/github-fake/http.ts';
import { gitHubTest } from '../support/github-world.ts';

/**
 * Writes GitHub did but answered 5xx, through the client as the actions build it (@actions/github
 * with retry and throttling), over the wire: the retry plugin must not repeat them blindly.
 */
const OWNER = 'acme';
const REPO = 'widgets';

const it = gitHubTest();
/** An Octokit that gives up on a request after 0.3 s. */
const hurried = gitHubTest({ timeoutMs: 300 });

describe('writes after a 5xx', () => {
  it('finds the comment GitHub created before answering 500, and posts no second one', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    github.failAfterWriting({ method: 'POST', pathPattern: /\/issues\/\d+\/comments$/ });
    const marker = '<!-- steward:test -->';
    const outcome = await client.upsertComment(pr.number, marker, 'once');
    const comments = github.comments(OWNER, REPO, pr.number);
    expect(comments.map((c) => c.body)).toEqual([`${marker}\nonce`]);
    expect(outcome).toEqual({ id: comments[0]!.id, action: 'created' });
  });

  it('posts the comment again when GitHub answered 503 without creating it', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    let refused = false;
    github.beforeRequest((req) => {
      if (!refused && req.method === 'POST' && req.path.endsWith('/comments')) {
        refused = true;
        // GitHub's own 503, before anything was written.
        throw fail(503, 'Service Unavailable');
      }
    });
    const marker = '<!-- steward:test -->';
    await client.upsertComment(pr.number, marker, 'after an outage');
    expect(github.comments(OWNER, REPO, pr.number).map((c) => c.body)).toEqual([
      `${marker}\nafter an outage`,
    ]);
  });

  it('finds the review GitHub created before answering 502, and posts no second one', async ({
    github: { fake: github, client },
  }) => {
    const pr = github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      files: [{ path: 'a.ts', status: 'added', additions: 1, patch: '@@ -0,0 +1 @@\n+x' }],
    });
    github.failAfterWriting({ method: 'POST', pathPattern: /\/reviews$/, status: 502 });
    const created = await client.createReview({
      number: pr.number,
      commitId: pr.headSha,
      body: 'summary',
      comments: [
        { path: 'a.ts', line: 1, side: 'RIGHT', body: 'finding <!-- steward:finding:0123abcd -->' },
      ],
    });
    const reviews = github.reviews(OWNER, REPO, pr.number);
    expect(reviews).toHaveLength(1);
    expect(created).toEqual({ kind: 'created', id: reviews[0]!.id });
  });

  it('does not send a workflow dispatch again after a 500, and says why', async ({
    github: { fake: github, client },
  }) => {
    github.addWorkflow(OWNER, REPO, 'steward.yml', ['pull-request']);
    github.failAfterWriting({ method: 'POST', pathPattern: /\/dispatches$/ });
    await expect(
      client.dispatchWorkflow({
        workflow: 'steward.yml',
        ref: 'main',
        inputs: { 'pull-request': '1' },
      }),
    ).rejects.toThrow(
      /GitHub answered 500 to the workflow "steward\.yml" in acme\/widgets .*did not send it again/,
    );
    expect(github.dispatches(OWNER, REPO)).toHaveLength(1);
  });

  hurried(
    'gives up on a request GitHub never answers, naming it, and does not repeat a dispatch',
    async ({ github: { fake: hung, client: timed } }) => {
      hung.addWorkflow(OWNER, REPO, 'steward.yml', []);
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      let attempts = 0;
      hung.beforeRequest(async (req) => {
        if (!req.path.endsWith('/dispatches')) return;
        attempts++;
        await ended;
      });
      try {
        await expect(
          timed.dispatchWorkflow({ workflow: 'steward.yml', ref: 'main', inputs: {} }),
        ).rejects.toThrow(
          /GitHub did not answer POST \/repos\/acme\/widgets\/actions\/workflows\/steward\.yml\/dispatches within 0\.3 s.*did not send it again/,
        );
        expect(attempts).toBe(1);
      } finally {
        end();
      }
    },
  );
});
