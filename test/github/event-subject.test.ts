import webhooks from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  PULL_REQUEST_EVENTS,
  eventSubject,
  pullRequestNumberOf,
} from '../../src/github/event-subject.ts';

type Example = Record<string, unknown>;
type Obj = Record<string, unknown>;
const examples = (name: string): Example[] =>
  (webhooks as { name: string; examples: Example[] }[]).find((e) => e.name === name)!.examples;

const SHA = /^[0-9a-f]{40}$/;

describe('eventSubject on recorded GitHub payloads', () => {
  it.each(['pull_request', 'pull_request_review', 'pull_request_review_comment'])(
    '%s names its pull request: number, head, base branch, draft and fork',
    (name) => {
      for (const payload of examples(name)) {
        const pr = payload['pull_request'] as Obj;
        const head = pr['head'] as Obj;
        const base = pr['base'] as Obj;
        const headRepo = head['repo'] as Obj | null;
        expect(eventSubject(name, payload)).toEqual({
          kind: 'pull-request',
          action: payload['action'],
          sender: (payload['sender'] as Obj)['login'],
          pullRequest: {
            number: pr['number'],
            headSha: head['sha'],
            baseRef: base['ref'],
            draft: pr['draft'] === true,
            fork: headRepo?.['full_name'] !== (base['repo'] as Obj)['full_name'],
          },
        });
      }
    },
  );

  it('reads pull_request_target as GitHub sends it: the pull_request payload', () => {
    for (const payload of examples('pull_request')) {
      const subject = eventSubject('pull_request_target', payload);
      expect(subject).toMatchObject({ kind: 'pull-request' });
    }
  });

  it('issue_comment names the comment, its author and the issue or pull request', () => {
    for (const payload of examples('issue_comment')) {
      const comment = payload['comment'] as Obj;
      const issue = payload['issue'] as Obj;
      const user = comment['user'] as Obj;
      expect(eventSubject('issue_comment', payload)).toEqual({
        kind: 'comment',
        action: payload['action'],
        issueNumber: issue['number'],
        isPullRequest: issue['pull_request'] !== undefined,
        comment: {
          id: comment['id'],
          body: comment['body'],
          author: { login: user['login'], type: user['type'] },
        },
      });
    }
    const onPullRequest = structuredClone(examples('issue_comment')[0]!);
    (onPullRequest['issue'] as Obj)['pull_request'] = { url: 'https://api.github.com/x' };
    expect(eventSubject('issue_comment', onPullRequest)).toMatchObject({ isPullRequest: true });
  });

  it('a comment by a deleted account (user null) is the sender’s', () => {
    const payload = structuredClone(examples('issue_comment')[0]!);
    (payload['comment'] as Obj)['user'] = null;
    const sender = payload['sender'] as Obj;
    expect(eventSubject('issue_comment', payload)).toMatchObject({
      comment: { author: { login: sender['login'], type: sender['type'] } },
    });
  });

  it.each([
    ['check_suite', (p: Example) => p['check_suite'] as Obj],
    ['check_run', (p: Example) => p['check_run'] as Obj],
    ['workflow_run', (p: Example) => p['workflow_run'] as Obj],
  ] as const)('%s names this repository’s pull requests, or else its head commit', (name, of) => {
    for (const payload of examples(name)) {
      const repository = (payload['repository'] as Obj)['id'];
      const listed = ((of(payload)['pull_requests'] as Obj[] | undefined) ?? [])
        .filter((pr) => ((pr['base'] as Obj)['repo'] as Obj)['id'] === repository)
        .map((pr) => pr['number']);
      const subject = eventSubject(name, payload);
      if (listed.length > 0) expect(subject).toEqual({ kind: 'pull-requests', numbers: listed });
      else expect(subject).toMatchObject({ kind: 'commit', sha: expect.stringMatching(SHA) });
    }
  });

  it('leaves out a listed pull request of another repository (a fork’s parent)', () => {
    const payload = structuredClone(
      examples('check_suite').find(
        (p) => ((p['check_suite'] as Obj)['pull_requests'] as Obj[]).length > 0,
      )!,
    );
    const suite = payload['check_suite'] as Obj;
    const [pr] = suite['pull_requests'] as Obj[];
    ((pr!['base'] as Obj)['repo'] as Obj)['id'] = 999;
    expect(eventSubject('check_suite', payload)).toEqual({
      kind: 'commit',
      sha: suite['head_sha'],
    });
  });

  it('status names its commit', () => {
    for (const payload of examples('status'))
      expect(eventSubject('status', payload)).toEqual({ kind: 'commit', sha: payload['sha'] });
  });

  it('dispatches carry a number only when given one', () => {
    for (const payload of examples('workflow_dispatch'))
      expect(eventSubject('workflow_dispatch', payload)).toEqual({
        kind: 'dispatch',
        number: null,
        full: false,
      });
    for (const payload of examples('repository_dispatch'))
      expect(eventSubject('repository_dispatch', payload)).toEqual({
        kind: 'dispatch',
        number: null,
        full: false,
      });
    const [dispatch] = examples('workflow_dispatch');
    expect(
      eventSubject('workflow_dispatch', {
        ...dispatch,
        inputs: { 'pull-request': '12', full: 'true' },
      }),
    ).toEqual({ kind: 'dispatch', number: 12, full: true });
    expect(
      eventSubject('repository_dispatch', { client_payload: { pull_request: 7, full: true } }),
    ).toEqual({ kind: 'dispatch', number: 7, full: true });
  });

  it('other events name no pull request, and say so', () => {
    for (const name of ['push', 'issues', 'installation', 'star'])
      for (const payload of examples(name))
        expect(eventSubject(name, payload)).toEqual({
          kind: 'none',
          reason: `the ${name} event names no pull request`,
        });
  });
});

describe('eventSubject on hostile payloads', () => {
  const prExample = examples('pull_request')[0]!;
  const commentExample = examples('issue_comment')[0]!;

  /** A copy of `payload` with the value at `path` replaced (or removed when `value` is undefined). */
  function withField(payload: Example, path: readonly string[], value: unknown): Example {
    const copy = structuredClone(payload);
    let at: Obj = copy;
    for (const key of path.slice(0, -1)) at = at[key] as Obj;
    const last = path.at(-1)!;
    if (value === undefined) delete at[last];
    else at[last] = value;
    return copy;
  }

  /** Values GitHub never sends where a number, SHA, name or object belongs. */
  const junk = fc.oneof(
    fc.constantFrom(null, '', '12', ' 12', '1e1', '0x10', true, false, 0, -1, 1.5, 2 ** 53, NaN),
    fc.constantFrom([], [1], {}, '../../etc', 'HEAD', 'a'.repeat(39), 'g'.repeat(40)),
    fc.string(),
  );

  it.each([
    [['pull_request'], 'pull_request'],
    [['pull_request', 'number'], 'pull_request.number'],
    [['pull_request', 'head'], 'pull_request.head'],
    [['pull_request', 'head', 'sha'], 'pull_request.head.sha'],
    [['pull_request', 'base'], 'pull_request.base'],
    [['pull_request', 'base', 'ref'], 'pull_request.base.ref'],
    [['pull_request', 'base', 'repo'], 'pull_request.base.repo'],
    [['pull_request', 'base', 'repo', 'full_name'], 'pull_request.base.repo.full_name'],
  ] as const)('a pull_request payload without %j is refused, naming %s', (path, named) => {
    expect(eventSubject('pull_request', withField(prExample, path, undefined))).toEqual({
      kind: 'none',
      reason: `the pull_request event's ${named} is missing`,
    });
    fc.assert(
      fc.property(junk, (value) => {
        // A string is a fine ref and repository name; every other field refuses any junk.
        if (typeof value === 'string' && value !== '' && /ref|full_name/.test(named)) return;
        const subject = eventSubject('pull_request', withField(prExample, path, value));
        expect(subject).toMatchObject({ kind: 'none', reason: expect.stringContaining(named) });
      }),
    );
  });

  it.each([
    [['comment'], 'comment'],
    [['comment', 'id'], 'comment.id'],
    [['issue'], 'issue'],
    [['issue', 'number'], 'issue.number'],
    [['comment', 'user', 'login'], 'comment.user.login'],
    [['comment', 'user', 'type'], 'comment.user.type'],
  ] as const)('an issue_comment payload with junk at %j is refused, naming %s', (path, named) => {
    fc.assert(
      fc.property(junk, (value) => {
        if (typeof value === 'string' && value !== '' && /login|type/.test(named)) return;
        const subject = eventSubject('issue_comment', withField(commentExample, path, value));
        expect(subject).toMatchObject({ kind: 'none', reason: expect.stringContaining(named) });
      }),
    );
  });

  it('a comment body that is not text, or a pull_request marker that is not an object, is refused', () => {
    expect(
      eventSubject('issue_comment', withField(commentExample, ['comment', 'body'], 5)),
    ).toEqual({ kind: 'none', reason: "the issue_comment event's comment.body is not text" });
    expect(
      eventSubject('issue_comment', withField(commentExample, ['issue', 'pull_request'], true)),
    ).toMatchObject({ kind: 'none', reason: expect.stringContaining('issue.pull_request') });
  });

  test.prop([fc.constantFrom('workflow_dispatch', 'repository_dispatch'), junk])(
    'a dispatch number is a plain positive number or its decimal text, nothing else',
    (name, value) => {
      const container = name === 'workflow_dispatch' ? 'inputs' : 'client_payload';
      const key = name === 'workflow_dispatch' ? 'pull-request' : 'pull_request';
      const subject = eventSubject(name, { [container]: { [key]: value } });
      if (value === null || value === '') expect(subject).toMatchObject({ number: null });
      else if (value === '12') expect(subject).toMatchObject({ number: 12 });
      else if (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value))
        expect(subject).toMatchObject({ number: Number(value) });
      else expect(subject).toMatchObject({ kind: 'none', reason: expect.stringContaining(key) });
    },
  );

  test.prop([
    fc.constantFrom(
      ...PULL_REQUEST_EVENTS,
      'issue_comment',
      'check_suite',
      'check_run',
      'workflow_run',
      'status',
      'workflow_dispatch',
      'repository_dispatch',
      'push',
    ),
    fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }),
  ])('never throws, and whatever it returns is well formed', (name, payload) => {
    const subject = eventSubject(name, payload);
    switch (subject.kind) {
      case 'none':
        expect(subject.reason).toMatch(new RegExp(`^the ${name} event`));
        break;
      case 'pull-request':
        expect(Number.isSafeInteger(subject.pullRequest.number)).toBe(true);
        expect(subject.pullRequest.headSha).toMatch(/^[0-9a-f]{40}([0-9a-f]{24})?$/);
        break;
      default:
        break;
    }
  });

  test.prop([
    fc.record({
      number: fc.integer({ min: 1, max: 2 ** 31 }),
      sha: fc.stringMatching(/^[0-9a-f]{40}$/),
      ref: fc.string({ minLength: 1 }),
      fork: fc.boolean(),
      deleted: fc.boolean(),
      draft: fc.constantFrom(true, false, null, undefined),
      action: fc.string(),
    }),
  ])('reads back exactly what a well-formed pull_request payload says', (pr) => {
    let payload = withField(prExample, ['pull_request', 'number'], pr.number);
    payload = withField(payload, ['pull_request', 'head', 'sha'], pr.sha);
    payload = withField(payload, ['pull_request', 'base', 'ref'], pr.ref);
    payload = withField(payload, ['pull_request', 'draft'], pr.draft);
    payload = withField(payload, ['action'], pr.action);
    const base = ((payload['pull_request'] as Obj)['base'] as Obj)['repo'] as Obj;
    const headRepo = pr.deleted
      ? null
      : { ...base, full_name: pr.fork ? `outsider/${String(base['name'])}` : base['full_name'] };
    payload = withField(payload, ['pull_request', 'head', 'repo'], headRepo);
    expect(eventSubject('pull_request', payload)).toMatchObject({
      kind: 'pull-request',
      action: pr.action,
      pullRequest: {
        number: pr.number,
        headSha: pr.sha,
        baseRef: pr.ref,
        draft: pr.draft === true,
        fork: pr.deleted || pr.fork,
      },
    });
  });
});

describe('pullRequestNumberOf: a number written as text (the pull-request input)', () => {
  it.each([
    ['12', 12],
    ['9007199254740991', 9007199254740991],
    ['012', null],
    ['1e1', null],
    ['0x10', null],
    ['12.0', null],
    ['-1', null],
    ['0', null],
    ['', null],
    ['12 ', null],
    ['9007199254740993', null],
  ] as const)('reads %j as %j', (text, number) => {
    expect(pullRequestNumberOf(text)).toBe(number);
  });
});
