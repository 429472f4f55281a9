import { readFileSync } from 'node:fs';

/**
 * The app's settings, read once from the environment with Probot's variable names. Everything
 * wrong is reported at once, each problem naming its variable and what to set, because a server
 * that starts half-configured fails later and less clearly (Probot alone would accept webhooks
 * signed with the secret "development").
 */
export interface AppSettings {
  appId: number;
  /** PEM text of the GitHub App's private key. */
  privateKey: string;
  webhookSecret: string;
  webhookPath: string;
  host: string;
  /** 0 picks a free port (the tests do). */
  port: number;
  /** REST base URL: https://api.github.com, or GHE_PROTOCOL://GHE_HOST/api/v3. */
  baseUrl: string;
  redisUrl: string | null;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** How long a shutdown waits for running handlers before it gives up on them. */
  shutdownGraceMs: number;
  /** How long one GitHub request may take before it fails (and frees its installation's limiter). */
  githubTimeoutMs: number;
  /** Handlers running at once, in total and per installation; beyond them webhooks get 503. */
  maxHandlers: number;
  maxHandlersPerInstallation: number;
  /** Webhook bodies read at once before their signature is checked, and their bytes. */
  maxUnverifiedBodies: number;
  maxUnverifiedBytes: number;
  /** The incident routes (`POST /alertmanager`, `POST /chaos`, app/incident-routes.ts). */
  incidents: IncidentRouteSettings;
}

export interface IncidentRouteSettings {
  /** Bearer token of `POST /alertmanager`; null: the route is off (404). */
  alertmanagerToken: string | null;
  /** Bearer token of `POST /chaos`; null: the route is off (404). */
  chaosToken: string | null;
  /** The alert label naming the repository (`steward_repo`). */
  repoLabel: string;
  /** Where alerts without that label go, and `POST /chaos` without `?repo=`; null: refused. */
  defaultRepo: { owner: string; repo: string } | null;
  /**
   * STEWARD_INCIDENT_REPOS: the repositories alerts and chaos results may go to, as `owner/name`
   * or `owner/*`; null: any repository where the app is installed.
   */
  allowedRepos: readonly string[] | null;
  /** ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL): the post-incident report's hypothesis; null: none. */
  model: { apiKey: string; baseUrl?: string } | null;
}

/** The shortest bearer token the app accepts: anything shorter is guessable. */
export const MIN_TOKEN_LENGTH = 16;
const PROMETHEUS_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** `owner/name` as GitHub allows them: an account of letters, digits and inner hyphens. */
const REPO_FULL_NAME = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

/** `owner/name` split, or null when it is not a repository name GitHub could have. */
export function parseRepoFullName(text: string): { owner: string; repo: string } | null {
  const m = REPO_FULL_NAME.exec(text);
  if (!m || m[2] === '.' || m[2] === '..') return null;
  return { owner: m[1]!, repo: m[2]! };
}

export class SettingsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`the Steward app cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const SETTINGS_URL = 'https://github.com/settings/apps (or your organisation’s Developer settings)';

type Env = Readonly<Record<string, string | undefined>>;

export function readSettings(env: Env, readFile = (path: string) => readFileSync(path, 'utf8')) {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const webhookSecret = value('WEBHOOK_SECRET');
  if (webhookSecret === undefined) {
    problems.push(
      `WEBHOOK_SECRET is not set: set it to the webhook secret of the GitHub App (${SETTINGS_URL}); without it anyone could send the app events`,
    );
  }

  const appIdText = value('APP_ID');
  const appId = Number(appIdText);
  if (appIdText === undefined) {
    problems.push(
      `APP_ID is not set: set it to the App ID shown on the GitHub App's page (${SETTINGS_URL})`,
    );
  } else if (!/^\d+$/.test(appIdText) || appId <= 0) {
    problems.push(`APP_ID must be the App's numeric ID, got "${appIdText}"`);
  }

  const privateKey = readPrivateKey(
    value('PRIVATE_KEY'),
    value('PRIVATE_KEY_PATH'),
    readFile,
    problems,
  );

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    problems.push(`PORT must be a port number from 0 to 65535, got "${portText}"`);

  const gheHost = value('GHE_HOST');
  const protocol = value('GHE_PROTOCOL') ?? 'https';
  if (protocol !== 'https' && protocol !== 'http')
    problems.push(`GHE_PROTOCOL must be https or http, got "${protocol}"`);
  if (gheHost !== undefined && /[/\s]/.test(gheHost))
    problems.push(
      `GHE_HOST is a host name (and port), such as github.example.com, got "${gheHost}"`,
    );

  const redisUrl = value('REDIS_URL') ?? null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl))
    problems.push(`REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl}"`);

  const logLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const graceText = value('SHUTDOWN_GRACE_SECONDS') ?? '25';
  const grace = Number(graceText);
  if (!Number.isFinite(grace) || grace < 0)
    problems.push(`SHUTDOWN_GRACE_SECONDS must be a number of seconds, got "${graceText}"`);

  const count = (name: string, fallback: number, what: string) => {
    const text = value(name) ?? String(fallback);
    const n = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || n <= 0) {
      problems.push(`${name} must be a positive number (${what}), got "${text}"`);
      return fallback;
    }
    return n;
  };
  const githubTimeoutMs =
    count('GITHUB_TIMEOUT_SECONDS', 30, 'seconds one GitHub request may take') * 1000;
  const maxHandlers = Math.ceil(count('MAX_HANDLERS', 256, 'handlers running at once'));
  const maxHandlersPerInstallation = Math.ceil(
    count('MAX_HANDLERS_PER_INSTALLATION', 32, 'handlers running at once for one installation'),
  );
  const maxUnverifiedBodies = Math.ceil(
    count(
      'MAX_UNVERIFIED_BODIES',
      64,
      'webhook bodies read at once before their signature is checked',
    ),
  );
  const maxUnverifiedBytes =
    count(
      'MAX_UNVERIFIED_MB',
      64,
      'megabytes of webhook bodies held before their signature is checked',
    ) *
    1024 *
    1024;

  const webhookPath = value('WEBHOOK_PATH') ?? '/api/github/webhooks';
  if (!webhookPath.startsWith('/'))
    problems.push(`WEBHOOK_PATH must start with "/", got "${webhookPath}"`);

  const incidents = readIncidentSettings(value, problems);

  if (problems.length > 0) throw new SettingsError(problems);
  return {
    appId,
    privateKey: privateKey!,
    webhookSecret: webhookSecret!,
    webhookPath,
    host: value('HOST') ?? 'localhost',
    port,
    baseUrl: gheHost ? `${protocol}://${gheHost}/api/v3` : 'https://api.github.com',
    redisUrl,
    logLevel: logLevel as AppSettings['logLevel'],
    shutdownGraceMs: grace * 1000,
    githubTimeoutMs,
    maxHandlers,
    maxHandlersPerInstallation,
    maxUnverifiedBodies,
    maxUnverifiedBytes,
    incidents,
  } satisfies AppSettings;
}

function readIncidentSettings(
  value: (name: string) => string | undefined,
  problems: string[],
): IncidentRouteSettings {
  const token = (name: string, route: string) => {
    const text = value(name);
    if (text === undefined) return null;
    if (text.length < MIN_TOKEN_LENGTH) {
      problems.push(
        `${name} is ${text.length} characters long: it is the bearer token that guards ${route}, so use at least ${MIN_TOKEN_LENGTH} random characters (openssl rand -hex 32), or unset it to turn the route off`,
      );
      return null;
    }
    if (/\s/.test(text) || !/^[\x21-\x7e]+$/.test(text)) {
      problems.push(
        `${name} must be printable ASCII without spaces (it travels in an Authorization header): use openssl rand -hex 32`,
      );
      return null;
    }
    return text;
  };
  const alertmanagerToken = token('STEWARD_ALERTMANAGER_TOKEN', 'POST /alertmanager');
  const chaosToken = token('STEWARD_CHAOS_TOKEN', 'POST /chaos');

  const repoLabel = value('STEWARD_INCIDENT_REPO_LABEL') ?? 'steward_repo';
  if (!PROMETHEUS_LABEL.test(repoLabel))
    problems.push(
      `STEWARD_INCIDENT_REPO_LABEL must be a Prometheus label name (letters, digits and _, not starting with a digit), got "${repoLabel}"`,
    );

  const repoText = value('STEWARD_INCIDENT_REPO');
  let defaultRepo: IncidentRouteSettings['defaultRepo'] = null;
  if (repoText !== undefined) {
    defaultRepo = parseRepoFullName(repoText);
    if (defaultRepo === null)
      problems.push(
        `STEWARD_INCIDENT_REPO must be a repository as owner/name (where the app is installed), got "${repoText}"`,
      );
  }
  const allowedRepos = readAllowedRepos(value('STEWARD_INCIDENT_REPOS'), problems);
  if (allowedRepos !== null && defaultRepo !== null && !isAllowedRepo(defaultRepo, allowedRepos))
    problems.push(
      `STEWARD_INCIDENT_REPO (${repoText}) is not among STEWARD_INCIDENT_REPOS: add it there, or pick another default`,
    );
  const apiKey = value('ANTHROPIC_API_KEY');
  const baseUrl = value('ANTHROPIC_BASE_URL');
  if (baseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(baseUrl))
    problems.push(`ANTHROPIC_BASE_URL must be an http(s) URL, got "${baseUrl}"`);
  const model = apiKey === undefined ? null : { apiKey, ...(baseUrl ? { baseUrl } : {}) };
  return { alertmanagerToken, chaosToken, repoLabel, defaultRepo, allowedRepos, model };
}

/** `owner/name` or `owner/*`, separated by commas or spaces. */
function readAllowedRepos(text: string | undefined, problems: string[]): string[] | null {
  if (text === undefined) return null;
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
  const bad = entries.filter(
    (entry) => parseRepoFullName(entry.endsWith('/*') ? `${entry.slice(0, -2)}/x` : entry) === null,
  );
  if (bad.length > 0 || entries.length === 0) {
    problems.push(
      `STEWARD_INCIDENT_REPOS must list repositories as owner/name or owner/* separated by commas, got ${bad.length > 0 ? bad.map((b) => `"${b}"`).join(', ') : 'nothing'}; unset it to allow every repository where the app is installed`,
    );
    return null;
  }
  return entries.map((entry) => entry.toLowerCase());
}

/** Whether a repository is one STEWARD_INCIDENT_REPOS lets incidents go to (GitHub's names ignore case). */
export function isAllowedRepo(
  repo: { owner: string; repo: string },
  allowed: readonly string[] | null,
): boolean {
  if (allowed === null) return true;
  const owner = repo.owner.toLowerCase();
  const name = `${owner}/${repo.repo.toLowerCase()}`;
  return allowed.some((entry) => entry === name || entry === `${owner}/*`);
}

const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;

/** PRIVATE_KEY as PEM (newlines real or written `\n`) or base64 of it; else PRIVATE_KEY_PATH. */
function readPrivateKey(
  inline: string | undefined,
  path: string | undefined,
  readFile: (path: string) => string,
  problems: string[],
): string | undefined {
  if (inline !== undefined) {
    const text = inline.replace(/\\n/g, '\n');
    if (PEM.test(text)) return text;
    const decoded = Buffer.from(inline, 'base64').toString('utf8');
    if (PEM.test(decoded)) return decoded;
    problems.push(
      'PRIVATE_KEY is neither a PEM private key ("-----BEGIN RSA PRIVATE KEY-----…") nor base64 of one: paste the .pem file the App settings generated',
    );
    return undefined;
  }
  if (path !== undefined) {
    let text: string;
    try {
      text = readFile(path);
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`PRIVATE_KEY_PATH is "${path}", which cannot be read: ${reason}`);
      return undefined;
    }
    if (PEM.test(text)) return text;
    problems.push(`PRIVATE_KEY_PATH is "${path}", which holds no PEM private key`);
    return undefined;
  }
  problems.push(
    `PRIVATE_KEY and PRIVATE_KEY_PATH are both unset: set PRIVATE_KEY_PATH to the .pem file generated on the GitHub App's page (${SETTINGS_URL}), or PRIVATE_KEY to its text`,
  );
  return undefined;
}
