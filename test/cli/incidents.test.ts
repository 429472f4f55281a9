import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it as plainIt } from 'vitest';
import { applyNotification, type IncidentState } from '../../src/incidents/incident-state.ts';
import { renderIncidentBody } from '../../src/incidents/render.ts';
import { startGitHubFake, type GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';
import { payload, rawAlert } from '../incidents/fixtures.ts';
import { steward } from './memory-io.ts';

/**
 * `steward incidents` as users run it: the sources' entry in a child process (as `npm run steward`
 * runs it), against the GitHub fake on loopback, with the token from the environment.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const main = join(root, 'src/cli/main.ts');

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const clean = { ...process.env };
    delete clean['GITHUB_TOKEN'];
    delete clean['GH_TOKEN'];
    delete clean['GITHUB_API_URL'];
    execFile(
      node,
      [main, ...args],
      { cwd: root, env: { ...clean, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

const BOT = { login: 'steward-app[bot]', type: 'Bot' } as const;
const MIN = 60_000;
const DAY = 86_400_000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** An incident whose impact starts 2 min before it is notified; resolved `resolveMin` after notice. */
function incident(name: string, notified: number, resolveMin: number | null): IncidentState {
  const alerts = [
    rawAlert({
      fingerprint: 'ab12',
      startsAt: iso(notified - 2 * MIN),
      labels: { alertname: name, severity: 'critical' },
    }),
  ];
  const group = { groupKey: `{}:{alertname="${name}"}`, groupLabels: { alertname: name } };
  const firing = applyNotification(null, payload({ ...group, alerts }), iso(notified)).state;
  if (resolveMin === null) return firing;
  return applyNotification(
    firing,
    payload({
      ...group,
      status: 'resolved',
      alerts: alerts.map((a) => ({
        ...a,
        status: 'resolved',
        endsAt: iso(notified + resolveMin * MIN),
      })),
    }),
    iso(notified + resolveMin * MIN),
  ).state;
}

function seed(fake: GitHubFake, owner: string, repo: string) {
  const now = Date.now();
  const add = (
    state: IncidentState,
    open: boolean,
    title = `Incident: ${state.groupLabels['alertname']}`,
  ) =>
    fake.addIssue(owner, repo, {
      title,
      body: renderIncidentBody(state),
      author: BOT,
      labels: ['incident'],
      state: open ? 'open' : 'closed',
      createdAt: state.firstNotifiedAt,
      updatedAt: state.resolvedAt ?? state.firstNotifiedAt,
    });
  // A: acknowledged by an assignment 5 min after notice; resolved 28 min after notice (30 after impact).
  const aAt = now - 10 * DAY;
  const a = add(incident('Alpha', aAt, 28), false);
  fake.addComment(owner, repo, a.number, 'transition', BOT);
  fake.assignIssue(owner, repo, a.number, 'alice', iso(aAt + 5 * MIN));
  // B: acknowledged by an assignment 15 min after notice (bob's comment comes later: the fake
  // stamps comments now); resolved 58 min after notice (60 after impact).
  const bAt = now - 3 * DAY;
  const b = add(incident('Beta', bAt, 58), false);
  fake.assignIssue(owner, repo, b.number, 'bob', iso(bAt + 15 * MIN));
  fake.addComment(owner, repo, b.number, 'looking', { login: 'bob', type: 'User' });
  // C: still firing and open, nobody yet (a bot's comment does not count).
  const c = add(incident('Gamma @everyone', now - DAY, null), true, 'Incident: Gamma @everyone');
  fake.addComment(owner, repo, c.number, 'paged', { login: 'pagerduty[bot]', type: 'Bot' });
  // D: long before the window.
  add(incident('Delta', now - 200 * DAY, 10), false);
  // E: labelled, ours, but no state Steward can read.
  fake.addIssue(owner, repo, {
    title: 'broken',
    body: 'no state',
    author: BOT,
    labels: ['incident'],
  });
  // F: someone else's issue carrying a forged state is never read.
  fake.addIssue(owner, repo, {
    title: 'forged',
    body: renderIncidentBody(incident('Forged', now - DAY, 1)),
    labels: ['incident'],
  });
  return { a, b, c };
}

describe('steward incidents against the GitHub fake', () => {
  const it = gitHubTest({ botLogin: 'steward-app[bot]', token: 'ghs_incidents' });

  it('reports mean and median time to acknowledge and resolve, and the open ones', async ({
    github: { fake, owner, repo, token },
  }) => {
    const { c } = seed(fake, owner, repo);
    const env = { GITHUB_TOKEN: token, GITHUB_API_URL: fake.url };
    const json = await run(
      ['incidents', '--repo', `${owner}/${repo}`, '--since', '90d', '--format', 'json'],
      env,
    );
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      version: 1,
      repo: `${owner}/${repo}`,
      incidents: 3,
      acknowledged: { count: 2, meanMs: 10 * MIN, medianMs: 10 * MIN },
      resolved: { count: 2, meanMs: 45 * MIN, medianMs: 45 * MIN },
    });
    expect(report.open.map((o: { number: number }) => o.number)).toEqual([c.number]);
    expect(report.list.map((l: { title: string }) => l.title)).toEqual([
      'Incident: Gamma @everyone',
      'Incident: Beta',
      'Incident: Alpha',
    ]);
    expect(report.notes).toEqual([
      '1 issue labelled incident carries no incident state Steward can read',
    ]);

    const text = await run(['incidents', '--repo', `${owner}/${repo}`], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${owner}/${repo}: 3 incidents first notified since`);
    expect(text.stdout).toContain(
      'time to acknowledge: mean 10 min, median 10 min (2 of 3 acknowledged)',
    );
    expect(text.stdout).toContain(
      'time to resolve:     mean 45 min, median 45 min (2 of 3 resolved)',
    );
    expect(text.stdout).toContain(
      `Open (1):\n  #${c.number}  firing critical  Incident: Gamma @everyone`,
    );
    expect(text.stderr).toContain('note: 1 issue labelled incident carries no incident state');
  });

  it('reads the issues another account opened with --author, the token acting as a person', async ({
    github: { fake, owner, repo, token },
  }) => {
    seed(fake, owner, repo);
    const result = await run(
      ['incidents', '--repo', `${owner}/${repo}`, '--author', 'octocat', '--format', 'json'],
      { GH_TOKEN: token, GITHUB_API_URL: fake.url },
    );
    expect(result.code, result.stderr).toBe(0);
    // Only octocat's issue (F) counts now: its state is read, Steward's are not.
    expect(JSON.parse(result.stdout)).toMatchObject({ incidents: 1, resolved: { count: 1 } });
  });

  plainIt('says so when GitHub cannot be read', async () => {
    // A fake of its own: the refused request is the point, not a set-up mistake.
    const fake = await startGitHubFake({ token: 'ghs_right' });
    try {
      fake.addRepo({ owner: 'acme', repo: 'widgets', defaultBranch: 'main' });
      const result = await run(['incidents', '--repo', 'acme/widgets'], {
        GITHUB_TOKEN: 'wrong-token',
        GITHUB_API_URL: fake.url,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^steward incidents: could not list the incident issues of acme\/widgets: /,
      );
      expect(result.stdout).toBe('');
    } finally {
      await fake.close();
    }
  });
});

describe('steward incidents usage', () => {
  plainIt('needs a token, and says which to set', async () => {
    const { code, stderr, stdout } = await steward(['incidents', '--repo', 'acme/shop'], root, {
      env: {},
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^steward incidents: GITHUB_TOKEN \(or GH_TOKEN\) is not set/);
  });

  plainIt.each([
    [['--repo', 'acme/shop', '--since', 'soon'], /--since: cannot read "soon" as a duration/],
    [['--repo', 'acme/shop', '--since', '0d'], /--since must be longer than 0/],
    [
      ['--repo', 'acme/shop', '--since', '100000 weeks'],
      /--since reaches back before GitHub existed/,
    ],
    [['--repo', 'acme'], /--repo must be OWNER\/NAME, as in acme\/shop, got "acme"/],
    [['--repo', 'a/b/c'], /--repo must be OWNER\/NAME/],
    [['--repo=-x/shop'], /--repo must be OWNER\/NAME/],
    [['--repo', 'acme/..'], /--repo must be OWNER\/NAME/],
    [[], /--repo OWNER\/NAME is required/],
    [['--repo', 'acme/shop', '--format', 'xml'], /--format must be one of text, json, got "xml"/],
    [['--repo', 'acme/shop', '--author', '@me'], /--author must be a GitHub login/],
    [['--repo', 'acme/shop', 'extra'], /unexpected argument "extra"/],
  ])('exits 2 for %j', async (args, message) => {
    const { code, stderr } = await steward(['incidents', ...args], root, {
      env: { GITHUB_TOKEN: 'x' },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Run "steward incidents --help" for usage.');
  });

  plainIt('shows its usage', async () => {
    const { code, stdout } = await steward(['incidents', '--help'], root);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: steward incidents --repo OWNER\/NAME/);
  });
});
