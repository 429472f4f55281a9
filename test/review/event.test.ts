import webhooks from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { reviewTargetOf } from '../../src/review/event.ts';

type Example = Record<string, unknown>;
const examples = (name: string): Example[] =>
  (webhooks as { name: string; examples: Example[] }[]).find((e) => e.name === name)!.examples;

describe('reviewTargetOf: the pull request a run of the review action reviews', () => {
  it('reviews the pull request of a pull_request or pull_request_target event, unless closed', () => {
    for (const payload of examples('pull_request')) {
      const number = (payload['pull_request'] as { number: number }).number;
      for (const name of ['pull_request', 'pull_request_target']) {
        const target = reviewTargetOf(name, payload, undefined);
        if (payload['action'] === 'closed')
          expect(target).toEqual({ ignore: 'the pull request was closed' });
        else expect(target).toEqual({ number, action: payload['action'], full: false });
      }
    }
  });

  it('reviews the number a dispatch carries, and everything when it says full', () => {
    expect(
      reviewTargetOf(
        'workflow_dispatch',
        { inputs: { 'pull-request': '12', full: 'true' } },
        undefined,
      ),
    ).toEqual({ number: 12, action: null, full: true });
    expect(
      reviewTargetOf('repository_dispatch', { client_payload: { pull_request: 7 } }, undefined),
    ).toEqual({ number: 7, action: null, full: false });
    // The pull-request input wins over what the event says; the dispatch still says full.
    expect(
      reviewTargetOf('workflow_dispatch', { inputs: { 'pull-request': '12', full: true } }, 3),
    ).toEqual({ number: 3, action: null, full: true });
    expect(reviewTargetOf('push', {}, 5)).toEqual({ number: 5, action: null, full: false });
  });

  it.each([true, '1e1', ' 12', '0x10', -4, 1.5, [12], { number: 12 }])(
    'reviews nothing when a dispatch says the pull request is %j',
    (value) => {
      expect(
        reviewTargetOf(
          'repository_dispatch',
          { client_payload: { pull_request: value } },
          undefined,
        ),
      ).toEqual({
        ignore:
          'the repository_dispatch event names no pull request; run on pull_request, or pass the pull-request input',
      });
    },
  );

  it('reviews nothing on an event that names no pull request', () => {
    for (const payload of examples('push'))
      expect(reviewTargetOf('push', payload, undefined)).toMatchObject({
        ignore: expect.stringContaining('the push event names no pull request'),
      });
    expect(
      reviewTargetOf(
        'pull_request',
        { action: 'opened', pull_request: { number: 'x' } },
        undefined,
      ),
    ).toEqual({ ignore: 'the event names no pull request' });
  });
});
