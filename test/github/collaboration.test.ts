import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActionsOctokit } from '../../src/github/actions-octokit.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { DispatchError } from '../../src/github/errors.ts';
import { MissingPermissionError } from '../../src/github/errors.ts';
import { createGitHubClient } from '../../src/github/octokit-client.ts';
import { startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts';

const OWNER = 'acme';
const REPO = 'widgets';
let github: GitHubFake;
let client: GitHubClient;

beforeEach(async () => {
  github = await startGitHubFake({ token: 't0k3n', botLogin: 'steward[bot]' });
  github.addRepo({ owner: OWNER, repo: REPO, defaultBranch: 'main' });
  const octokit = createActionsOctokit({ token: 't0k3n', baseUrl: github.url, warn: () => {} });
  client = createGitHubClient(octokit, { owner: OWNER, repo: REPO });
});
afterEach(async () => {
  github.assertNoUnexpected();
  await github.close();
});

describe('GitHub client: permissions, reactions and dispatches', () => {
  it('reads the permission booleans of a collaborator, maintain included', async () => {
    github.setPermission(OWNER, REPO, 'mona', 'maintain');
    const permission = await client.getCollaboratorPermission('mona');
    expect(permission.flags).toEqual({
      admin: false,
      maintain: true,
      push: true,
      triage: true,
      pull: true,
    });
    expect(permission.roleName).toBe('maintain');
  });

  it('reacts once however often it is asked', async () => {
    const pr = github.addPullRequest({ owner: OWNER, repo: REPO });
    const comment = github.addComment(OWNER, REPO, pr.number, '/steward help');
    await client.addReaction(comment.id, 'eyes');
    await client.addReaction(comment.id, 'eyes');
    await client.addReaction(comment.id, 'rocket');
    expect(github.reactions(OWNER, REPO, comment.id).map((r) => r.content)).toEqual([
      'eyes',
      'rocket',
    ]);
  });

  it('starts a workflow with its inputs at a ref', async () => {
    github.addWorkflow(OWNER, REPO, 'steward.yml', ['pull-request', 'full']);
    await client.dispatchWorkflow({
      workflow: 'steward.yml',
      ref: 'main',
      inputs: { 'pull-request': '7', full: 'false' },
    });
    expect(github.dispatches(OWNER, REPO)).toEqual([
      {
        kind: 'workflow',
        workflow: 'steward.yml',
        ref: 'main',
        inputs: { 'pull-request': '7', full: 'false' },
      },
    ]);
  });

  it('says which workflow file to add when the repository has none', async () => {
    const error = await client
      .dispatchWorkflow({ workflow: 'steward.yml', ref: 'main', inputs: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DispatchError);
    expect((error as Error).message).toMatch(
      /acme\/widgets has no workflow "steward.yml" on main: add \.github\/workflows\/steward\.yml/,
    );
  });

  it('names the inputs a workflow must declare when GitHub refuses them', async () => {
    github.addWorkflow(OWNER, REPO, 'steward.yml', []);
    const error = await client
      .dispatchWorkflow({ workflow: 'steward.yml', ref: 'main', inputs: { 'pull-request': '7' } })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Unexpected inputs.*declaring the inputs pull-request/,
    );
  });

  it('sends a repository_dispatch with its client payload', async () => {
    await client.dispatchRepositoryEvent({
      eventType: 'steward-review',
      clientPayload: { pull_request: 7, full: true },
    });
    expect(github.dispatches(OWNER, REPO)).toEqual([
      {
        kind: 'repository',
        eventType: 'steward-review',
        clientPayload: { pull_request: 7, full: true },
      },
    ]);
  });

  it('names the permission a repository_dispatch needs when the token lacks it', async () => {
    github.denyPermission({
      method: 'POST',
      pathPattern: /\/dispatches$/,
      permission: 'contents=write',
    });
    const error = await client
      .dispatchRepositoryEvent({ eventType: 'steward-review', clientPayload: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPermissionError);
    expect((error as Error).message).toMatch(/"contents=write"/);
  });
});
