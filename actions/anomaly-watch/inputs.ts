import type { RepoRef } from '../../src/github/client.ts';
import { prometheusUrlSetting } from '../../src/settings/prometheus.ts';
import { readRunnerEnv, runLinks } from '../shared/runner-env.ts';

/** How the watch authenticates to Prometheus: nothing, a bearer token, or basic auth. */
export type PrometheusAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string };

export interface WatchInputs {
  token: string;
  /** The `prometheus-url` input, checked as the config's `anomaly.prometheus` is; null when empty. */
  prometheusUrl: string | null;
  auth: PrometheusAuth;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  repo: RepoRef;
  /** GITHUB_REF: the branch a schedule or dispatch runs on. */
  ref: string;
  /** The page of this workflow run (https only); null when unknown. */
  runUrl: string | null;
  /** The repository's page, for incidents when the run's page is unknown. */
  repoUrl: string | null;
}

/** A credential as an HTTP header carries it: visible ASCII only (no space, no line break). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** A bearer token, user name or password, checked without ever quoting it in the error. */
function credential(name: string, value: string): string {
  if (!HEADER_SAFE.test(value))
    throw new Error(
      `Input ${name} holds a space, line break or non-ASCII character, which an HTTP header cannot carry; check the secret it comes from`,
    );
  return value;
}

export function prometheusAuth(input: (name: string) => string): PrometheusAuth {
  const token = input('prometheus-token');
  const username = input('prometheus-username');
  const password = input('prometheus-password');
  if (token !== '' && (username !== '' || password !== ''))
    throw new Error(
      'Give either prometheus-token (a bearer token) or prometheus-username and prometheus-password (basic auth), not both',
    );
  if (token !== '') return { kind: 'bearer', token: credential('prometheus-token', token) };
  if (username === '' && password === '') return { kind: 'none' };
  if (username === '' || password === '')
    throw new Error(
      `Input ${username === '' ? 'prometheus-username' : 'prometheus-password'} is empty: basic auth needs both prometheus-username and prometheus-password`,
    );
  if (username.includes(':'))
    throw new Error('Input prometheus-username holds a ":", which basic auth cannot carry');
  return {
    kind: 'basic',
    username: credential('prometheus-username', username),
    password: credential('prometheus-password', password),
  };
}

/** The request headers of `auth`. */
export function authHeaders(auth: PrometheusAuth): Record<string, string> {
  if (auth.kind === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  if (auth.kind === 'basic')
    return {
      Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`,
    };
  return {};
}

/** Every value the log must never show: the credentials and the header made of them. */
export function secretsOf(auth: PrometheusAuth): string[] {
  if (auth.kind === 'none') return [];
  const header = authHeaders(auth)['Authorization']!;
  const encoded = header.slice(header.indexOf(' ') + 1);
  return auth.kind === 'bearer' ? [auth.token] : [auth.username, auth.password, encoded];
}

function prometheusUrlInput(text: string): string | null {
  if (text === '') return null;
  const parsed = prometheusUrlSetting('prometheus-url').safeParse(text);
  if (!parsed.success)
    throw new Error(`Input prometheus-url: ${parsed.error.issues[0]?.message ?? 'not a URL'}`);
  return parsed.data;
}

/** Reads the action's inputs and the runner's variables once; each error names the input. */
export function parseWatchEnv(env: NodeJS.ProcessEnv): WatchInputs {
  const runner = readRunnerEnv(env);
  return {
    token: runner.token,
    prometheusUrl: prometheusUrlInput(runner.input('prometheus-url')),
    auth: prometheusAuth(runner.input),
    eventName: runner.eventName,
    eventPath: runner.eventPath,
    apiUrl: runner.apiUrl,
    repo: runner.repo,
    ref: env.GITHUB_REF ?? '',
    ...runLinks(env, runner.repo),
  };
}
