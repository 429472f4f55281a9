import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from './support/raw-http.ts';
import { startWorld } from './support/world.ts';
import type { World } from './support/world.ts';
import { notification, postIncident } from './support/incident-requests.ts';

/**
 * STEWARD_INCIDENT_REPOS: whoever writes an alert's labels (a rule, or a scraped target whose
 * labels are honoured) picks the repository; the allow-list keeps them to the ones the operator
 * named, even where the app is installed.
 */

const AM_TOKEN = 'am-token-0123456789abcdef';

let world: World;

beforeAll(async () => {
  world = await startWorld({
    STEWARD_ALERTMANAGER_TOKEN: AM_TOKEN,
    STEWARD_INCIDENT_REPOS: 'acme/widgets',
  });
  world.github.addRepo({ owner: 'acme', repo: 'widgets', defaultBranch: 'main' });
  world.github.addRepo({ owner: 'acme', repo: 'private-keys', defaultBranch: 'main' });
});

afterAll(async () => {
  await world?.close();
});

describe('POST /alertmanager with STEWARD_INCIDENT_REPOS', () => {
  it('refuses a repository outside the list before asking GitHub anything, even where the app is installed', async () => {
    const before = world.github.requests.length;
    const response = await postIncident(
      world.app,
      '/alertmanager',
      notification('acme/private-keys'),
      {
        authorization: `Bearer ${AM_TOKEN}`,
      },
    );
    expect(response.status).toBe(422);
    expect(JSON.parse(response.text)).toEqual({
      error:
        'acme/private-keys is not among the repositories this app takes incidents for (STEWARD_INCIDENT_REPOS)',
    });
    expect(world.github.requests.length).toBe(before);
    const metrics = await (await fetch(`${world.app.url}/metrics`)).text();
    expect(
      sample(
        metrics,
        'steward_app_alerts_refused_total{route="alertmanager",reason="not_allowed"}',
      ),
    ).toBe(1);
  });

  it('records an incident for a repository on the list', async () => {
    const response = await postIncident(world.app, '/alertmanager', notification('acme/widgets'), {
      authorization: `Bearer ${AM_TOKEN}`,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ action: 'create' });
    expect(world.github.issues('acme', 'widgets')).toHaveLength(1);
  });
});
