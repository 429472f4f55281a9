import type { ChaosRead } from '../src/chaos/read.ts';
import type { RepoRef } from '../src/github/client.ts';
import type { AlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import { RouteError } from './incident-http.ts';
import { isAllowedRepo, parseRepoFullName } from './settings.ts';
import type { IncidentRouteSettings } from './settings.ts';

/** Where an incident request goes, from what it says alone (no request to GitHub yet). */

function fullName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}

function labelOf(labels: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(labels, name) && typeof labels[name] === 'string' ? labels[name] : undefined;
}

/**
 * The repository a notification goes to: each alert's own label, else the group's common label,
 * else its group label, else the app's default. Alerts of one notification going to different
 * repositories are refused: one group is one issue in one repository.
 */
export function repositoryOf(
  payload: AlertmanagerPayload,
  settings: IncidentRouteSettings,
): RepoRef {
  const label = settings.repoLabel;
  const shared =
    labelOf(payload.commonLabels, label) ??
    labelOf(payload.groupLabels, label) ??
    (settings.defaultRepo ? fullName(settings.defaultRepo) : undefined);
  const names = new Set<string | undefined>(
    payload.alerts.length === 0
      ? [shared]
      : payload.alerts.map((a) => labelOf(a.labels, label) ?? shared),
  );
  if (names.size > 1) {
    const listed = [...names].map((n) =>
      n === undefined ? '(none)' : JSON.stringify(n.slice(0, 200)),
    );
    throw new RouteError(
      422,
      `the alerts of this notification name different repositories in their ${label} label (${listed.slice(0, 5).join(', ')}); group alerts by ${label} in Alertmanager's route (group_by)`,
      'mixed_repositories',
    );
  }
  const name = [...names][0];
  if (name === undefined)
    throw new RouteError(
      422,
      `no repository: the alerts have no ${label} label and STEWARD_INCIDENT_REPO is not set`,
      'no_repository',
    );
  const repo = parseRepoFullName(name);
  if (repo === null)
    throw new RouteError(
      422,
      `the ${label} label is not a repository as owner/name: ${JSON.stringify(name.slice(0, 200))}`,
      'invalid_repository',
    );
  return allowed(repo, settings);
}

/** The repository, when STEWARD_INCIDENT_REPOS lets incidents go there; else a refusal. */
function allowed(repo: RepoRef, settings: IncidentRouteSettings): RepoRef {
  if (isAllowedRepo(repo, settings.allowedRepos)) return repo;
  throw new RouteError(
    422,
    `${fullName(repo)} is not among the repositories this app takes incidents for (STEWARD_INCIDENT_REPOS)`,
    'not_allowed',
  );
}

export function chaosRepository(query: URLSearchParams, settings: IncidentRouteSettings): RepoRef {
  const given = query.getAll('repo');
  if (given.length > 1)
    throw new RouteError(400, 'give ?repo=OWNER/NAME once', 'invalid_repository');
  if (given.length === 0) {
    if (settings.defaultRepo) return allowed(settings.defaultRepo, settings);
    throw new RouteError(
      400,
      'no repository: add ?repo=OWNER/NAME, or set STEWARD_INCIDENT_REPO',
      'no_repository',
    );
  }
  const repo = parseRepoFullName(given[0]!);
  if (repo === null)
    throw new RouteError(
      400,
      `?repo= is not a repository as owner/name: ${JSON.stringify(given[0]!.slice(0, 200))}`,
      'invalid_repository',
    );
  return allowed(repo, settings);
}

/** Why a body held no chaos object: the first few errors, else what was skipped. */
export function whyNothingRead(read: ChaosRead): string {
  if (read.errors.length > 0)
    return read.errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
  if (read.skipped.length > 0)
    return read.skipped
      .slice(0, 3)
      .map((s) => `${s.kind ?? 'an object'}: ${s.reason}`)
      .join('; ');
  return 'the body holds no Kubernetes object (a LitmusChaos ChaosResult or ChaosEngine, or a Chaos Mesh experiment)';
}
