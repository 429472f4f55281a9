import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { buildAction } from '../../build.ts';
import { CHAOS_MARKER } from '../../src/chaos/summary.ts';
import { gitHubTest, type GitHubWorld } from '../support/github-world.ts';
import { runBundledAction } from '../e2e/action-runner.ts';

/**
 * The chaos-report action as the runner starts it: a fresh build of its bundle (the committed one
 * is checked by test/build), `node dist/index.mjs` in its own process against the GitHub fake,
 * the outputs and the job summary read back from the runner's files.
 */

const TOKEN = 'ghs_chaos_bundle';
const NUMBER = 12;
const it = gitHubTest({ token: TOKEN });
const FIXTURES = join(import.meta.dirname, '../chaos/fixtures');

let out: string;
let ws: string;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'steward-chaos-bundle-'));
  await buildAction('chaos-report', '.', out);
  ws = mkdtempSync(join(tmpdir(), 'steward-chaos-bundle-ws-'));
  mkdirSync(join(ws, 'chaos'));
  for (const name of ['litmus-3.x-documents.yaml', 'litmus-2.x-list.yaml', 'chaos-mesh.yaml'])
    copyFileSync(join(FIXTURES, name), join(ws, 'chaos', name));
}, 300_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(ws, { recursive: true, force: true });
});

function runBundle(github: GitHubWorld, inputs: Record<string, string> = {}) {
  const full = `${github.owner}/${github.repo}`;
  return runBundledAction({
    action: 'chaos-report',
    entry: join(out, 'actions', 'chaos-report', 'dist', 'index.mjs'),
    eventName: 'pull_request',
    payload: {
      action: 'synchronize',
      number: NUMBER,
      pull_request: {
        number: NUMBER,
        head: { sha: 'c'.repeat(40), ref: 'feature', repo: { full_name: full } },
        base: { ref: 'main', sha: 'd'.repeat(40), repo: { full_name: full } },
      },
      repository: { full_name: full, default_branch: 'main' },
    },
    inputs: { 'github-token': TOKEN, files: 'chaos/*.yaml', ...inputs },
    env: {
      GITHUB_API_URL: github.fake.url,
      GITHUB_REPOSITORY: full,
      GITHUB_WORKSPACE: ws,
      GITHUB_REF: `refs/pull/${NUMBER}/merge`,
    },
  });
}

describe('the bundled chaos-report action', () => {
  it('posts one upserted summary however often it runs, with its outputs and job summary', async ({
    github,
  }) => {
    github.fake.setFileContents(github.owner, github.repo, 'main', {
      '.github/steward.yml': 'chaos:\n  incident: true\n',
    });
    github.fake.addPullRequest({
      owner: github.owner,
      repo: github.repo,
      number: NUMBER,
      headRefName: 'feature',
      baseRefName: 'main',
    });
    const first = await runBundle(github);
    expect(first.exitCode).toBe(1);
    expect(first.stdout).toContain(
      '::error::Steward chaos report: 2 of 6 chaos experiments failed (pod-network-latency, pod-delete).',
    );
    expect(first.outputs).toMatchObject({ verdict: 'fail', failed: '2', passed: '1' });
    expect(first.summary).toContain('## Steward chaos report');
    expect(first.summary).toContain('❌ **Chaos: 2 of 6 experiments failed**');

    const second = await runBundle(github, { 'fail-on-verdict': 'never' });
    expect(second.exitCode).toBe(0);
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id']);
    const comments = github.fake.comments(github.owner, github.repo, NUMBER);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.split('\n')[0]).toBe(CHAOS_MARKER);
    expect(String(comments[0]!.id)).toBe(first.outputs['comment-id']);
  });
});
