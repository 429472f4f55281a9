import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { GitHubClient, RepoRef } from '../src/github/client.ts';
import { configReaderFor } from '../src/github/config-reader.ts';
import { createGitHubClient } from '../src/github/octokit-client.ts';
import type { OctokitLike } from '../src/github/octokit-client.ts';
import { isRequestError } from '../src/github/errors.ts';
import { loadConfig } from '../src/config/loader.ts';
import { defaultConfig } from '../src/config/schema.ts';
import type { StewardConfig } from '../src/config/schema.ts';
import type { AlertmanagerPayload } from '../src/incidents/alertmanager.ts';
import { incidentKey } from '../src/incidents/incident-state.ts';
import { incidentReport } from '../src/incidents/postmortem-report.ts';
import { syncIncident } from '../src/incidents/sync.ts';
import type { IncidentSyncOptions, IncidentSyncResult } from '../src/incidents/sync.ts';
import { RouteError } from './incident-http.ts';
import type { Leases } from './leases.ts';

/**
 * The work behind the incident routes, once a request is authenticated and read: is the app
 * installed on the repository, what its config says, and one `syncIncident` per alert group at a
 * time (a lease per incident, in Redis with REDIS_URL, so instances take turns).
 */

/** What of Probot the routes need: the App's own Octokit, and an installation's. */
export interface AppAuthority {
  auth(installationId?: number): Promise<OctokitLike>;
}

export interface IncidentWorkDeps {
  probot: AppAuthority;
  leases: Leases;
  /** `<app-slug>[bot]`, the account the app writes as. */
  account(): Promise<string>;
  log: Logger;
  /** How long a request waits for another to finish the same incident before 503. */
  leaseWaitMs?: number;
}

/** What a repository's config says about incidents (its `incidents:` and `chaos:` sections). */
export interface RepoIncidentSettings {
  reopenWindowMs: number;
  labelNames: readonly string[];
  /** `chaos.incident`: whether chaos results open incidents. */
  chaosIncident: boolean;
}

/** An installed repository, ready to be written to. */
export interface IncidentRepository {
  repo: RepoRef;
  client: GitHubClient;
  config: StewardConfig | null;
  settings: RepoIncidentSettings;
  /** The repository's default branch, asked of GitHub on first use (the report needs it). */
  defaultBranch(): Promise<string>;
}

/** What the app takes from the config: `incidents:` and `chaos.incident` (defaults when invalid). */
export function incidentSettingsOf(config: StewardConfig | null): RepoIncidentSettings {
  const { incidents, chaos } = config ?? defaultConfig();
  return {
    reopenWindowMs: incidents.reopenWindowMs,
    labelNames: incidents.labelNames,
    chaosIncident: chaos.incident,
  };
}

/**
 * The post-incident report (src/incidents/postmortem-report.ts), written once the group resolves:
 * merged pull requests and deployments in `incidents.lookback` before the impact, each file's
 * health change and hotspot rank. The app holds no model key (model work runs in the
 * repository's workflows), so the report has no hypothesis section.
 */
export function incidentPostmortem(
  repository: IncidentRepository,
): IncidentSyncOptions['postmortem'] {
  const config = repository.config ?? defaultConfig();
  return async (incident) =>
    incidentReport(repository.client, incident, {
      lookbackMs: config.incidents.lookbackMs,
      defaultBranch: await repository.defaultBranch(),
      hypothesis: false,
      model: config.incidents.model,
      health: { thresholds: config.hotspots.thresholds, exclude: config.hotspots.exclude },
    });
}

const INSTALLATION_TTL_MS = 60_000;
const MAX_CACHED_INSTALLATIONS = 1000;
/** Longer than one sync takes (a handful of requests, each under GitHub's deadline). */
const LEASE_TTL_MS = 120_000;
const LEASE_WAIT_MS = 20_000;
export const BUSY_RETRY_AFTER_SECONDS = '10';

export class IncidentWork {
  readonly #deps: IncidentWorkDeps;
  readonly #installations = new Map<string, { id: number; until: number }>();

  constructor(deps: IncidentWorkDeps) {
    this.#deps = deps;
  }

  /**
   * The repository with its client and settings; a RouteError 422 when the app is not installed
   * on it. The installation id is remembered a minute.
   */
  async open(repo: RepoRef): Promise<IncidentRepository> {
    const installationId = await this.#installation(repo);
    const octokit = await this.#deps.probot.auth(installationId);
    const client = createGitHubClient(octokit, repo, {
      ownAccount: async () => ({ login: await this.#deps.account(), databaseId: null }),
    });
    const config = await this.#config(client, repo);
    let branch: Promise<string> | undefined;
    const defaultBranch = () =>
      (branch ??= octokit
        .graphql<{ repository: { defaultBranchRef: { name: string } | null } | null }>(
          'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { defaultBranchRef { name } } }',
          { owner: repo.owner, name: repo.repo },
        )
        .then((data) => {
          const name = data.repository?.defaultBranchRef?.name;
          if (typeof name !== 'string' || name === '')
            throw new Error('GitHub answered without the repository’s default branch');
          return name;
        }));
    return { repo, client, config, settings: incidentSettingsOf(config), defaultBranch };
  }

  /**
   * Forgets the repository's installation after a failure, so the retry asks GitHub again (the
   * app may have been removed from the repository since).
   */
  forget(repository: string): void {
    this.#installations.delete(repository.toLowerCase());
  }

  /** One notification recorded on its issue, under the incident's lease. */
  async record(
    repository: IncidentRepository,
    payload: AlertmanagerPayload,
    receivedAt: string,
  ): Promise<IncidentSyncResult> {
    return this.sync(repository)(
      repository.client,
      payload,
      this.syncOptions(repository, receivedAt),
    );
  }

  /** What `syncIncident` is told for this repository: its config, and the report hook. */
  syncOptions(repository: IncidentRepository, receivedAt: string): IncidentSyncOptions {
    const postmortem = incidentPostmortem(repository);
    return {
      receivedAt,
      reopenWindowMs: repository.settings.reopenWindowMs,
      labelNames: repository.settings.labelNames,
      ...(postmortem ? { postmortem } : {}),
    };
  }

  /**
   * `syncIncident` for this repository, each call holding its incident's lease (waiting for it,
   * then 503), released whatever happens; a report that could not be written is logged.
   */
  sync(repository: IncidentRepository): typeof syncIncident {
    const { repo } = repository;
    const name = `${repo.owner}/${repo.repo}`;
    return async (client, payload, options) => {
      const key = `incident:${name}:${incidentKey(payload.groupKey)}`.toLowerCase();
      if (!(await this.#claim(key)))
        throw new RouteError(503, 'another request is recording this incident; retry later', null, {
          'retry-after': BUSY_RETRY_AFTER_SECONDS,
        });
      try {
        const result = await syncIncident(client, payload, options);
        if (result.reportError !== null)
          this.#deps.log.warn(
            { repository: name, issue: result.issue?.number, reason: result.reportError },
            'the incident is recorded, its post-incident report is not',
          );
        return result;
      } finally {
        await this.#deps.leases.release(key);
      }
    };
  }

  async #claim(key: string): Promise<boolean> {
    const deadline = Date.now() + (this.#deps.leaseWaitMs ?? LEASE_WAIT_MS);
    let delay = 50;
    for (;;) {
      if (await this.#deps.leases.claim(key, LEASE_TTL_MS)) return true;
      if (Date.now() + delay > deadline) return false;
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    }
  }

  async #installation(repo: RepoRef): Promise<number> {
    const name = `${repo.owner}/${repo.repo}`.toLowerCase();
    const cached = this.#installations.get(name);
    if (cached && cached.until > Date.now()) return cached.id;
    this.#installations.delete(name);
    const app = await this.#deps.probot.auth();
    let id: unknown;
    try {
      const { data } = await app.request('GET /repos/{owner}/{repo}/installation', {
        owner: repo.owner,
        repo: repo.repo,
      });
      id = (data as { id?: unknown } | null)?.id;
    } catch (error: unknown) {
      if (isRequestError(error) && error.status === 404)
        throw new RouteError(
          422,
          `the app is not installed on ${repo.owner}/${repo.repo} (or it does not exist)`,
          'not_installed',
        );
      throw error;
    }
    if (typeof id !== 'number') throw new Error('GitHub answered without the installation id');
    this.#installations.set(name, { id, until: Date.now() + INSTALLATION_TTL_MS });
    if (this.#installations.size > MAX_CACHED_INSTALLATIONS)
      this.#installations.delete(this.#installations.keys().next().value!);
    return id;
  }

  /**
   * The repository's config from its default branch. An invalid config does not lose the alert:
   * the defaults apply and the errors are logged; a config GitHub could not serve fails the
   * request (5xx, so the sender retries).
   */
  async #config(client: GitHubClient, repo: RepoRef): Promise<StewardConfig | null> {
    const outcome = await loadConfig({ reader: configReaderFor(client), repo });
    if (outcome.ok) return outcome.config;
    const unread = outcome.errors.find((e) => e.error.message.startsWith('cannot be read: '));
    if (unread) throw new Error(`${unread.file} ${unread.error.message}`);
    this.#deps.log.warn(
      {
        repository: `${repo.owner}/${repo.repo}`,
        errors: outcome.errors.slice(0, 5).map((e) => `${e.file}: ${e.error.message}`),
      },
      'the repository config is invalid: incidents use the defaults',
    );
    return null;
  }
}
