import { quote } from '../settings/describe-value.ts';

/**
 * `_extends`, in Probot's syntax: `repo`, `owner/repo`, `repo:path.yml`, `owner/repo:path.yml`
 * (`.github` is the organisation's `.github` repository). The value is checked against GitHub's
 * own grammar before anything is requested, so a config cannot steer a request elsewhere:
 * `_extends: r:../../secrets.yml` or a repository named `..` is an error naming the value.
 */
export interface ExtendsTarget {
  /** Null: the owner of the file that extends. */
  owner: string | null;
  repo: string;
  /** Null: the same path as the file that extends. */
  path: string | null;
}

export type ExtendsParse = { ok: true; target: ExtendsTarget } | { ok: false; message: string };

/** GitHub logins: letters, digits and single hyphens, not at either end, at most 39. */
const OWNER = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
/** GitHub repository names: letters, digits, `.`, `-`, `_`, at most 100 (never `.` or `..`). */
const REPO = /^[\w.-]{1,100}$/;
/** One path segment of a config file. */
const SEGMENT = /^[\w.-]+$/;
const MAX_PATH = 255;

const SYNTAX = 'write repo, owner/repo, repo:path.yml or owner/repo:path.yml';

export function parseExtends(value: string): ExtendsParse {
  const shown = quote(value);
  const colon = value.indexOf(':');
  const repoPart = colon < 0 ? value : value.slice(0, colon);
  const pathPart = colon < 0 ? null : value.slice(colon + 1);
  const slash = repoPart.indexOf('/');
  const owner = slash < 0 ? null : repoPart.slice(0, slash);
  const repo = slash < 0 ? repoPart : repoPart.slice(slash + 1);

  if (owner !== null && !OWNER.test(owner))
    return fail(
      `${shown} names the owner ${quote(owner)}, which is not a GitHub account name (letters, digits and single hyphens, at most 39); ${SYNTAX}`,
    );
  if (repo === '.' || repo === '..' || !REPO.test(repo))
    return fail(
      `${shown} names the repository ${quote(repo)}, which is not a GitHub repository name (letters, digits, ".", "-" and "_", never "." or ".."); ${SYNTAX}`,
    );
  if (pathPart === null) return { ok: true, target: { owner, repo, path: null } };

  const segments = pathPart.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..'))
    return fail(
      `${shown} has a "." or ".." in its path; name the file from the top of the repository, such as ${quote(`${repo}:.github/steward.yml`)}`,
    );
  if (
    pathPart.length > MAX_PATH ||
    segments.some((segment) => !SEGMENT.test(segment)) ||
    !/\.ya?ml$/.test(pathPart)
  )
    return fail(
      `${shown} has the path ${quote(pathPart)}; a config path is a .yml or .yaml file named from the top of the repository, in segments of letters, digits, ".", "-" and "_"`,
    );
  return { ok: true, target: { owner, repo, path: pathPart } };
}

function fail(message: string): ExtendsParse {
  return { ok: false, message };
}
