/**
 * Which pull request a webhook event names: the one reader of GitHub's event payloads for the
 * actions (GITHUB_EVENT_PATH) and the app (webhooks). A payload is hostile input: every field
 * read is checked, and one that is missing or malformed gives `none` with a reason naming it.
 */

/** A pull request as a `pull_request`-family payload describes it. */
export interface EventPullRequest {
  number: number;
  headSha: string;
  /** The branch it merges into: config is read there, never from the head. */
  baseRef: string;
  draft: boolean;
  /** The head lives in another repository (a fork, or a fork since deleted). */
  fork: boolean;
}

export interface EventComment {
  id: number;
  /** '' when the comment has no body. */
  body: string;
  author: { login: string; type: string };
}

export type EventSubject =
  /** pull_request, pull_request_target, pull_request_review, pull_request_review_comment. */
  | {
      kind: 'pull-request';
      action: string | null;
      /** The login of who caused the event; null when the payload names nobody. */
      sender: string | null;
      pullRequest: EventPullRequest;
    }
  /** issue_comment: on an issue, or on a pull request (GitHub's issue is then the pull request). */
  | {
      kind: 'comment';
      action: string | null;
      issueNumber: number;
      isPullRequest: boolean;
      comment: EventComment;
    }
  /**
   * workflow_dispatch (`inputs.pull-request`, `inputs.full`) and repository_dispatch
   * (`client_payload.pull_request`, `client_payload.full`); number null when none is given.
   */
  | { kind: 'dispatch'; number: number | null; full: boolean }
  /** check_suite, check_run, workflow_run that list the pull requests of their commit. */
  | { kind: 'pull-requests'; numbers: number[] }
  /** status, or a check or run that lists none: the commit, whose pull requests are looked up. */
  | { kind: 'commit'; sha: string }
  | { kind: 'none'; reason: string };

/** The events whose payload carries the whole pull request. */
export const PULL_REQUEST_EVENTS = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
] as const;

type Fields = { readonly [key: string]: unknown };

/** A field that is not what GitHub sends: the reader stops and names it. */
class Malformed extends Error {}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** How workflow_dispatch inputs and hand-written client payloads spell a number. */
const DECIMAL = /^[1-9][0-9]{0,15}$/;

/** A pull request number written as text (an action input, a dispatch input); null otherwise. */
export function pullRequestNumberOf(text: string): number | null {
  const number = DECIMAL.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(number) ? number : null;
}

export function eventSubject(eventName: string, payload: unknown): EventSubject {
  try {
    return subjectOf(eventName, object(payload, 'the payload'));
  } catch (error: unknown) {
    if (!(error instanceof Malformed)) throw error;
    return { kind: 'none', reason: `the ${eventName} event's ${error.message}` };
  }
}

function subjectOf(eventName: string, payload: Fields): EventSubject {
  if ((PULL_REQUEST_EVENTS as readonly string[]).includes(eventName))
    return {
      kind: 'pull-request',
      action: optionalString(payload, 'action'),
      sender: senderOf(payload),
      pullRequest: pullRequestOf(object(payload['pull_request'], 'pull_request')),
    };
  switch (eventName) {
    case 'issue_comment':
      return commentSubject(payload);
    case 'workflow_dispatch':
      return dispatch(payload['inputs'], 'inputs', 'pull-request');
    case 'repository_dispatch':
      return dispatch(payload['client_payload'], 'client_payload', 'pull_request');
    case 'check_suite':
    case 'check_run':
    case 'workflow_run': {
      const owner = object(payload[eventName], eventName);
      const numbers = listedPullRequests(owner, eventName, repositoryId(payload));
      if (numbers.length > 0) return { kind: 'pull-requests', numbers };
      const sha =
        owner['head_sha'] ??
        (eventName === 'check_run' && isObject(owner['check_suite'])
          ? owner['check_suite']['head_sha']
          : undefined);
      if (sha === undefined || sha === null || sha === '')
        return {
          kind: 'none',
          reason: `the ${eventName} event names no pull request and no commit`,
        };
      return { kind: 'commit', sha: commitSha(sha, `${eventName}.head_sha`) };
    }
    case 'status':
      return payload['sha'] === undefined
        ? { kind: 'none', reason: 'the status event has no sha' }
        : { kind: 'commit', sha: commitSha(payload['sha'], 'sha') };
    default:
      return { kind: 'none', reason: `the ${eventName} event names no pull request` };
  }
}

function pullRequestOf(pr: Fields): EventPullRequest {
  const head = object(pr['head'], 'pull_request.head');
  const base = object(pr['base'], 'pull_request.base');
  const baseRepo = object(base['repo'], 'pull_request.base.repo');
  const headRepo = head['repo'] === null ? null : object(head['repo'], 'pull_request.head.repo');
  const baseName = string(baseRepo['full_name'], 'pull_request.base.repo.full_name');
  const draft = pr['draft'];
  if (draft !== undefined && draft !== null && typeof draft !== 'boolean')
    throw new Malformed('pull_request.draft is not true or false');
  return {
    number: positive(pr['number'], 'pull_request.number'),
    headSha: commitSha(head['sha'], 'pull_request.head.sha'),
    baseRef: string(base['ref'], 'pull_request.base.ref'),
    draft: draft === true,
    // A deleted fork leaves head.repo null: still not this repository's code.
    fork:
      headRepo === null ||
      string(headRepo['full_name'], 'pull_request.head.repo.full_name') !== baseName,
  };
}

function commentSubject(payload: Fields): EventSubject {
  const comment = object(payload['comment'], 'comment');
  const issue = object(payload['issue'], 'issue');
  // GitHub sends user null for a deleted account ("ghost"); the sender wrote the comment then.
  const user =
    comment['user'] === null || comment['user'] === undefined
      ? object(payload['sender'], 'sender')
      : object(comment['user'], 'comment.user');
  const body = comment['body'];
  if (body !== undefined && body !== null && typeof body !== 'string')
    throw new Malformed('comment.body is not text');
  const marker = issue['pull_request'];
  if (marker !== undefined && marker !== null && !isObject(marker))
    throw new Malformed('issue.pull_request is not an object');
  return {
    kind: 'comment',
    action: optionalString(payload, 'action'),
    issueNumber: positive(issue['number'], 'issue.number'),
    isPullRequest: isObject(marker),
    comment: {
      id: positive(comment['id'], 'comment.id'),
      body: body ?? '',
      author: {
        login: string(user['login'], 'comment.user.login'),
        type: string(user['type'], 'comment.user.type'),
      },
    },
  };
}

function dispatch(container: unknown, where: string, key: string): EventSubject {
  const fields = container === undefined || container === null ? {} : object(container, where);
  const given = fields[key];
  const full = fields['full'];
  return {
    kind: 'dispatch',
    number:
      given === undefined || given === null || given === ''
        ? null
        : positive(
            typeof given === 'string' ? (pullRequestNumberOf(given) ?? given) : given,
            `${where}.${key}`,
          ),
    full: full === true || (typeof full === 'string' && full.toLowerCase() === 'true'),
  };
}

/**
 * The pull requests a check or run lists. GitHub lists there the pull requests of other
 * repositories whose head is this commit too (a fork's parent); only this repository's count.
 */
function listedPullRequests(owner: Fields, eventName: string, repository: number | null): number[] {
  const list = owner['pull_requests'];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Malformed(`${eventName}.pull_requests is not a list`);
  const numbers: number[] = [];
  list.forEach((entry: unknown, index) => {
    const where = `${eventName}.pull_requests[${index}]`;
    const pr = object(entry, where);
    const base = isObject(pr['base']) && isObject(pr['base']['repo']) ? pr['base']['repo'] : null;
    if (repository !== null && base !== null && base['id'] !== repository) return;
    const number = positive(pr['number'], `${where}.number`);
    if (!numbers.includes(number)) numbers.push(number);
  });
  return numbers;
}

function repositoryId(payload: Fields): number | null {
  const repository = payload['repository'];
  return isObject(repository) && typeof repository['id'] === 'number' ? repository['id'] : null;
}

function senderOf(payload: Fields): string | null {
  const sender = payload['sender'];
  return isObject(sender) && typeof sender['login'] === 'string' && sender['login'] !== ''
    ? sender['login']
    : null;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, where: string): Fields {
  if (!isObject(value))
    throw new Malformed(value === undefined ? `${where} is missing` : `${where} is not an object`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '')
    throw new Malformed(value === undefined ? `${where} is missing` : `${where} is not text`);
  return value;
}

function optionalString(fields: Fields, key: string): string | null {
  const value = fields[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Malformed(`${key} is not text`);
  return value;
}

function positive(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new Malformed(
      value === undefined ? `${where} is missing` : `${where} is not a positive whole number`,
    );
  return value;
}

function commitSha(value: unknown, where: string): string {
  if (typeof value !== 'string' || !SHA.test(value))
    throw new Malformed(
      value === undefined ? `${where} is missing` : `${where} is not a commit SHA`,
    );
  return value;
}
