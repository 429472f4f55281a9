import { describe, expect } from 'vitest';
import { DispatchError, MissingPermissionError } from '../../src/github/errors.ts';
import { gitHubTest } from '../support/github-world.ts';

const OWNER = 'acme';
const REPO = 'widgets';

const it = gitHubTest({ botLogin: 'steward[bot]' });

describe('GitHub client: permissions, reactions and dispatches', () => {
  it('reads the permission booleans of a collaborator, maintain included', async ({
    github: { fake: github, client },
  }) => {
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

  it('reacts once however often it is asked', async ({ github: { fake: github, client } }) => {
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

  it('starts a workflow with its inputs at a ref', async ({ github: { fake: github, client } }) => {
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

  it('says which workflow file to add when the repository has none', async ({
    github: { client },
  }) => {
    const error = await client
      .dispatchWorkflow({ workflow: 'steward.yml', ref: 'main', inputs: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DispatchError);
    expect((error as Error).message).toMatch(
      /acme\/widgets has no workflow "steward.yml" on main: add \.github\/workflows\/steward\.yml/,
    );
  });

  it('names the inputs a workflow must declare when GitHub refuses them', async ({
    github: { fake: github, client },
  }) => {
    github.addWorkflow(OWNER, REPO, 'steward.yml', []);
    const error = await client
      .dispatchWorkflow({ workflow: 'steward.yml', ref: 'main', inputs: { 'pull-request': '7' } })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Unexpected inputs.*declaring the inputs pull-request/,
    );
  });

  it('sends a repository_dispatch with its client payload', async ({
    github: { fake: github, client },
  }) => {
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

  it('names the permission a repository_dispatch needs when the token lacks it', async ({
    github: { fake: github, client },
  }) => {
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
