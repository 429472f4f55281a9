import webhooks from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { resolveEventTarget } from '../../src/automerge/event.ts';

type Example = Record<string, unknown>;
const examples = (name: string): Example[] =>
  (webhooks as { name: string; examples: Example[] }[]).find((e) => e.name === name)!.examples;

describe('resolveEventTarget on recorded GitHub payloads', () => {
  it.each(['pull_request', 'pull_request_review'])('%s names its pull request', (name) => {
    for (const payload of examples(name)) {
      const number = (payload.pull_request as { number: number }).number;
      expect(resolveEventTarget(name, payload)).toEqual({
        kind: 'pull-requests',
        numbers: [number],
      });
    }
  });

  it.each([
    ['check_suite', (p: Example) => p.check_suite as Example],
    ['check_run', (p: Example) => p.check_run as Example],
    ['workflow_run', (p: Example) => p.workflow_run as Example],
  ] as const)('%s names its pull requests, or else its head SHA', (name, owner) => {
    for (const payload of examples(name)) {
      const source = owner(payload);
      // GitHub lists the pull requests of other repositories whose head is this commit too (the
      // recorded workflow_run is one): only this repository's are this repository's to merge.
      const repository = (payload.repository as { id: number }).id;
      const listed = (
        (source.pull_requests as
          { number: number; base: { repo: { id: number } } }[] | undefined) ?? []
      )
        .filter((pr) => pr.base.repo.id === repository)
        .map((pr) => pr.number);
      const target = resolveEventTarget(name, payload);
      if (listed.length > 0) expect(target).toEqual({ kind: 'pull-requests', numbers: listed });
      else
        expect(target).toMatchObject({ kind: 'sha', sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    }
  });

  it('status resolves through its commit SHA', () => {
    for (const payload of examples('status')) {
      expect(resolveEventTarget('status', payload)).toEqual({ kind: 'sha', sha: payload.sha });
    }
  });

  it('workflow_dispatch needs the pull-request input; other events are ignored with a reason', () => {
    expect(resolveEventTarget('workflow_dispatch', {}, 12)).toEqual({
      kind: 'pull-requests',
      numbers: [12],
    });
    expect(resolveEventTarget('workflow_dispatch', {})).toMatchObject({
      kind: 'ignore',
      reason: expect.stringContaining('pull-request input'),
    });
    expect(resolveEventTarget('push', {})).toMatchObject({
      kind: 'ignore',
      reason: expect.stringContaining('does not act on push events'),
    });
  });
});
