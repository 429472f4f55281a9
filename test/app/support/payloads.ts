import webhooks from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };

/**
 * Webhook payloads as GitHub sends them: recorded examples from @octokit/webhooks-examples (the
 * `with-installation` ones, which carry the installation id Probot needs), pointed at the
 * repository, pull request, comment and people of a test.
 */

type Payload = Record<string, unknown>;
type Obj = Record<string, unknown>;

function example(name: string, action: string): Payload {
  const event = webhooks.find((e) => e.name === name);
  const found = (event?.examples as Payload[] | undefined)?.find(
    (e) => e['action'] === action && e['installation'] !== undefined,
  );
  if (!found)
    throw new Error(`@octokit/webhooks-examples has no ${name}.${action} with an installation`);
  return structuredClone(found);
}

export interface RepoTarget {
  owner: string;
  repo: string;
  installationId: number;
  defaultBranch?: string;
}

function pointAt(payload: Payload, target: RepoTarget, sender: { login: string; type: string }) {
  payload['repository'] = {
    ...(payload['repository'] as Obj),
    name: target.repo,
    full_name: `${target.owner}/${target.repo}`,
    owner: { ...((payload['repository'] as Obj)['owner'] as Obj), login: target.owner },
    default_branch: target.defaultBranch ?? 'main',
    html_url: `https://github.com/${target.owner}/${target.repo}`,
  };
  payload['installation'] = { ...(payload['installation'] as Obj), id: target.installationId };
  payload['sender'] = { ...(payload['sender'] as Obj), login: sender.login, type: sender.type };
}

export function pullRequestPayload(
  target: RepoTarget,
  pr: {
    number: number;
    headSha: string;
    action?: string;
    draft?: boolean;
    fork?: boolean;
    /** The branch the pull request merges into; the default branch unless given. */
    baseRef?: string;
  },
): Payload {
  const payload = example('pull_request', pr.action ?? 'opened');
  pointAt(payload, target, { login: 'octocat', type: 'User' });
  const full = `${target.owner}/${target.repo}`;
  const body = payload['pull_request'] as Obj;
  const head = body['head'] as Obj;
  const base = body['base'] as Obj;
  payload['number'] = pr.number;
  body['number'] = pr.number;
  body['draft'] = pr.draft ?? false;
  head['sha'] = pr.headSha;
  head['repo'] = {
    ...(head['repo'] as Obj),
    full_name: pr.fork ? `outsider/${target.repo}` : full,
    fork: pr.fork ?? false,
  };
  base['repo'] = { ...(base['repo'] as Obj), full_name: full };
  base['ref'] = pr.baseRef ?? target.defaultBranch ?? 'main';
  return payload;
}

export function commentPayload(
  target: RepoTarget,
  comment: {
    id: number;
    issueNumber: number;
    body: string;
    login: string;
    type?: 'User' | 'Bot';
    action?: 'created' | 'edited' | 'deleted';
    onPullRequest?: boolean;
  },
): Payload {
  // The recorded comment examples with an installation are all `created`; the action is set after.
  const payload = example('issue_comment', 'created');
  payload['action'] = comment.action ?? 'created';
  const user = { login: comment.login, type: comment.type ?? 'User' };
  pointAt(payload, target, user);
  const issue = payload['issue'] as Obj;
  issue['number'] = comment.issueNumber;
  if (comment.onPullRequest ?? true) {
    issue['pull_request'] = {
      url: `https://api.github.com/repos/${target.owner}/${target.repo}/pulls/${comment.issueNumber}`,
    };
  } else delete issue['pull_request'];
  payload['comment'] = {
    ...(payload['comment'] as Obj),
    id: comment.id,
    body: comment.body,
    user: { ...((payload['comment'] as Obj)['user'] as Obj), ...user },
  };
  return payload;
}

export function installationPayload(installationId: number, action = 'created'): Payload {
  const payload = example('installation', action);
  payload['installation'] = { ...(payload['installation'] as Obj), id: installationId };
  return payload;
}
