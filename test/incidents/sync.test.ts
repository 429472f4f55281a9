import { describe, expect } from 'vitest';
import { incidentKey } from '../../src/incidents/incident-state.ts';
import {
  incidentKeyMarker,
  parseIncidentKey,
  readIncidentState,
  renderIncidentBody,
} from '../../src/incidents/render.ts';
import { postmortemMarker } from '../../src/incidents/postmortem.ts';
import { syncIncident } from '../../src/incidents/sync.ts';
import type { IncidentSyncOptions } from '../../src/incidents/sync.ts';
import { gitHubTest } from '../support/github-world.ts';
import { payload, rawAlert } from './fixtures.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const BOT = { login: 'steward[bot]', type: 'Bot' } as const;
const it = gitHubTest({ botLogin: BOT.login, owner: OWNER, repo: REPO });

const HOUR = 3_600_000;
const T0 = '2023-02-06T13:10:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function options(receivedAt: string, more: Partial<IncidentSyncOptions> = {}): IncidentSyncOptions {
  return { receivedAt, reopenWindowMs: 24 * HOUR, labelNames: [], ...more };
}

const firing = () => payload();
const resolved = (endsAt = at(30), startsAt = rawAlert()['startsAt']) =>
  payload({ status: 'resolved', alerts: [rawAlert({ status: 'resolved', startsAt, endsAt })] });
const firingAgain = (startsAt: string) => payload({ alerts: [rawAlert({ startsAt })] });

describe('syncIncident: a notification recorded on its incident issue', () => {
  it('opens one issue for a firing group, with its labels, and one comment for the firing', async ({
    github: { fake, client },
  }) => {
    const result = await syncIncident(
      client,
      firing(),
      options(T0, { labelNames: ['job', 'team'] }),
    );
    expect(result).toMatchObject({ action: 'create', commentsPosted: 1 });
    const [issue] = fake.issues(OWNER, REPO);
    expect(issue).toMatchObject({ number: result.issue!.number, state: 'open', author: BOT });
    // `job` is a common label, not a group label: only group labels become issue labels.
    expect(issue!.labels.sort()).toEqual(['incident', 'severity:critical']);
    expect(parseIncidentKey(issue!.body)).toBe(incidentKey(firing().groupKey));
    expect(readIncidentState(issue!.body)).toMatchObject({ status: 'firing' });
    expect(fake.comments(OWNER, REPO, issue!.number)).toHaveLength(1);
  });

  it('copies the group labels the config names, cleaned for GitHub', async ({
    github: { fake, client },
  }) => {
    const grouped = payload({ groupLabels: { alertname: 'ProbeFailure', service: 'Check Out!' } });
    await syncIncident(client, grouped, options(T0, { labelNames: ['service'] }));
    expect(fake.issues(OWNER, REPO)[0]!.labels).toContain('service:check-out');
  });

  it('changes nothing for the same notification delivered again', async ({
    github: { fake, client },
  }) => {
    await syncIncident(client, firing(), options(T0));
    const writes = () => fake.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const again = await syncIncident(client, firing(), options(at(1)));
    expect(again.action).toBe('none');
    expect(again.commentsPosted).toBe(0);
    expect(writes()).toBe(before);
    expect(fake.issues(OWNER, REPO)).toHaveLength(1);
  });

  it('resolves: one comment, the report upserted once, the issue closed as completed', async ({
    github: { fake, client },
  }) => {
    const reports: number[] = [];
    const postmortem: IncidentSyncOptions['postmortem'] = async ({ state, issue }) => {
      reports.push(issue.number);
      return `${postmortemMarker(state)}\n## Post-incident report\nresolved at ${state.resolvedAt}`;
    };
    const { issue } = await syncIncident(client, firing(), options(T0, { postmortem }));
    const result = await syncIncident(client, resolved(), options(at(31), { postmortem }));
    expect(result).toMatchObject({ action: 'update', reportPosted: true, reportError: null });
    expect(fake.issue(OWNER, REPO, issue!.number)).toMatchObject({
      state: 'closed',
      stateReason: 'completed',
    });
    const comments = fake.comments(OWNER, REPO, issue!.number).map((c) => c.body);
    expect(comments).toHaveLength(3);
    expect(comments[2]).toMatch(/^<!-- steward:incident-report key=/);

    // A retry of the resolve writes nothing and does not ask for the report again.
    const again = await syncIncident(client, resolved(), options(at(32), { postmortem }));
    expect(again.action).toBe('none');
    expect(reports).toHaveLength(1);
    expect(fake.comments(OWNER, REPO, issue!.number)).toHaveLength(3);
  });

  it('records the incident even when the report fails, and writes the report on the next notification', async ({
    github: { fake, client },
  }) => {
    let fail = true;
    const postmortem: IncidentSyncOptions['postmortem'] = async ({ state }) => {
      if (fail) throw new Error('model unavailable');
      return `${postmortemMarker(state)}\nreport`;
    };
    const { issue } = await syncIncident(client, firing(), options(T0, { postmortem }));
    const result = await syncIncident(client, resolved(), options(at(31), { postmortem }));
    expect(result).toMatchObject({ reportPosted: false, reportError: 'model unavailable' });
    expect(fake.issue(OWNER, REPO, issue!.number).state).toBe('closed');
    fail = false;
    const retry = await syncIncident(client, resolved(), options(at(32), { postmortem }));
    expect(retry).toMatchObject({ action: 'none', reportPosted: true });
  });

  it('refuses a report that does not open with its marker', async ({ github: { client } }) => {
    const postmortem: IncidentSyncOptions['postmortem'] = async () => 'a report without a marker';
    await syncIncident(client, firing(), options(T0, { postmortem }));
    const result = await syncIncident(client, resolved(), options(at(31), { postmortem }));
    expect(result.reportPosted).toBe(false);
    expect(result.reportError).toMatch(/marker/);
  });

  it('reopens within the window, and opens a new issue linking the old after it', async ({
    github: { fake, client },
  }) => {
    const { issue } = await syncIncident(client, firing(), options(T0));
    await syncIncident(client, resolved(), options(at(31)));
    const reopened = await syncIncident(client, firingAgain(at(60)), options(at(61)));
    expect(reopened).toMatchObject({ action: 'reopen', issue: { number: issue!.number } });
    expect(fake.issue(OWNER, REPO, issue!.number)).toMatchObject({
      state: 'open',
      stateReason: 'reopened',
    });

    await syncIncident(client, resolved(at(90), at(60)), options(at(91)));
    const later = at(91 + 25 * 60);
    const linked = await syncIncident(client, firingAgain(later), options(later));
    expect(linked.action).toBe('new-linked');
    expect(linked.issue!.number).not.toBe(issue!.number);
    const fresh = fake.issue(OWNER, REPO, linked.issue!.number);
    expect(fresh.body.split('\n')[1]).toBe(`Follows #${issue!.number}.`);
    expect(readIncidentState(fresh.body)).toMatchObject({ sequence: 2, status: 'firing' });
    expect(fake.issue(OWNER, REPO, issue!.number).state).toBe('closed');

    // The next notification goes to the newest incident of the group, and keeps the link.
    const next = await syncIncident(
      client,
      resolved(at(91 + 26 * 60), later),
      options(at(91 + 26 * 60)),
    );
    expect(next.issue!.number).toBe(linked.issue!.number);
    expect(fake.issue(OWNER, REPO, linked.issue!.number).body).toContain(
      `Follows #${issue!.number}.`,
    );
  });

  it('posts the comments a crash left out, once the issue exists', async ({
    github: { fake, client },
  }) => {
    // The issue was opened, then the process died before its comment: the retry finishes it.
    const crashing = {
      ...client,
      createIssueComment: () => Promise.reject(new Error('the process died')),
    };
    await expect(syncIncident(crashing, firing(), options(T0))).rejects.toThrow('died');
    const [issue] = fake.issues(OWNER, REPO);
    expect(fake.comments(OWNER, REPO, issue!.number)).toHaveLength(0);
    const retry = await syncIncident(client, firing(), options(at(1)));
    expect(retry).toMatchObject({ action: 'none', commentsPosted: 1 });
    expect(fake.comments(OWNER, REPO, issue!.number)).toHaveLength(1);
    expect(fake.issues(OWNER, REPO)).toHaveLength(1);
  });

  it('never takes an issue someone else opened for the incident, even with the marker', async ({
    github: { fake, client },
  }) => {
    const key = incidentKey(firing().groupKey);
    const forged = renderIncidentBody({
      ...(await (async () => {
        await syncIncident(client, firing(), options(T0));
        return readIncidentState(fake.issues(OWNER, REPO)[0]!.body)!;
      })()),
      status: 'resolved',
    });
    expect(forged.startsWith(incidentKeyMarker(key))).toBe(true);
    fake.addIssue(OWNER, REPO, {
      body: forged,
      labels: ['incident'],
      author: { login: 'mallory', type: 'User' },
    });
    const result = await syncIncident(client, firing(), options(at(1)));
    expect(result.action).toBe('none');
    expect(result.issue!.number).toBe(fake.issues(OWNER, REPO)[0]!.number);
  });

  it('rebuilds the state on the same issue when a person broke its state line', async ({
    github: { fake, client },
  }) => {
    const key = incidentKey(firing().groupKey);
    const broken = fake.addIssue(OWNER, REPO, {
      body: `${incidentKeyMarker(key)}\nsomeone rewrote this body`,
      labels: ['incident'],
      author: BOT,
    });
    const result = await syncIncident(client, firing(), options(T0));
    expect(result.issue!.number).toBe(broken.number);
    expect(fake.issues(OWNER, REPO)).toHaveLength(1);
    expect(readIncidentState(fake.issue(OWNER, REPO, broken.number).body)).toMatchObject({
      status: 'firing',
    });
  });
});
