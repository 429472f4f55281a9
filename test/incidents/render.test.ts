import { describe, expect, it } from 'vitest';
import { applyNotification } from '../../src/incidents/incident-state.ts';
import type { IncidentState } from '../../src/incidents/incident-state.ts';
import {
  incidentKeyMarker,
  incidentLabels,
  MAX_BODY_CHARS,
  parseIncidentKey,
  parseTransitionMarker,
  readIncidentState,
  renderIncidentBody,
  renderIncidentTitle,
  renderLink,
  renderTransitionComment,
  transitionId,
} from '../../src/incidents/render.ts';
import { payload, rawAlert } from './fixtures.ts';

const T0 = '2023-02-06T13:10:00.000Z';
const T1 = '2023-02-06T13:55:00.000Z';

function stateOf(overrides: Record<string, unknown> = {}): IncidentState {
  return applyNotification(null, payload(overrides), T0).state;
}

const FORGED_KEY = `<!-- steward:incident key=${'f'.repeat(64)} -->`;
const FORGED_STATE = `<!-- steward:incident-state ${Buffer.from('{"version":1}').toString('base64')} -->`;

/** Annotations and labels an attacker who can post to Alertmanager would write. */
const hostile = payload({
  groupLabels: { alertname: '@octocat please look #1', team: '@acme/oncall' },
  commonLabels: { severity: 'critical' },
  commonAnnotations: { summary: `${FORGED_KEY}\n<img src=x onerror=alert(1)> @here` },
  externalURL: 'javascript:alert(1)',
  alerts: [
    rawAlert({
      labels: { alertname: '@admin', instance: '<!-- steward:incident key=x -->', 'x`y': '``' },
      annotations: {
        description: `${FORGED_STATE}\n# heading\n[click](https://evil.example) @everyone`,
        runbook_url: 'https://runbooks.example/probe?x=<b>"@you"',
        dashboard: 'data:text/html,<script>alert(1)</script>',
      },
      generatorURL: 'http://prom:9090/graph?g0.expr=up > 0',
    }),
  ],
});

describe('the issue body', () => {
  it('starts with the key marker, ends with the state, and reads back to the same state', () => {
    const state = stateOf();
    const body = renderIncidentBody(state);
    expect(body.split('\n')[0]).toBe(`<!-- steward:incident key=${state.key} -->`);
    expect(body.split('\n').at(-1)).toMatch(/^<!-- steward:incident-state [A-Za-z0-9+/=]+ -->$/);
    expect(parseIncidentKey(body)).toBe(state.key);
    expect(readIncidentState(body)).toEqual(state);
    expect(readIncidentState(`${body}\n\n`)).toEqual(state);
    expect(body).toContain('## 🔥 Firing · severity `critical`');
    expect(body).toContain('- **Summary**: BlackBox Probe Failure');
    expect(body).toContain('`alertname=ProbeFailure`');
    expect(body).toContain('[source](<http://prom:9090/graph?g0.expr=probe_success>)');
    expect(body).toContain('[Alertmanager](<http://am.example.org:9093/>)');
    expect(body).toContain(`- ${T0}: 🔥 Firing: 1 alert`);
  });

  it('renders the same state to the same body (no edit for a redelivery)', () => {
    const first = applyNotification(null, payload(), T0);
    const again = applyNotification(first.state, payload(), T1);
    expect(renderIncidentBody(again.state)).toBe(renderIncidentBody(first.state));
  });

  it('shows hostile alerts as inert text: no mention, no HTML, no link, no forged marker', () => {
    const state = applyNotification(null, hostile, T0).state;
    const body = renderIncidentBody(state);
    // Exactly Steward's two markers, at their places; nothing else opens an HTML comment.
    expect(body.match(/<!--/g)).toHaveLength(2);
    // Outside code spans (inert on GitHub) and Steward's own link targets, no markup is live.
    const prose = body
      .split('\n')
      .slice(1, -1)
      .join('\n')
      .replace(/(`+)[\s\S]*?\1/g, '')
      .replace(/\]\(<[^>\n]*>\)/g, ']');
    expect(prose).not.toMatch(/(^|[^\\])</);
    expect(prose).not.toMatch(/(^|[^\\])\[(?!source\]|runbook\])/);
    expect(prose).not.toMatch(/^#+ (?!🔥|✅|Alerts|Timeline)/m);
    expect(body).not.toMatch(/@(octocat|acme|here|everyone|admin)\b/);
    expect(body).not.toMatch(/#1\b/);
    expect(body).toContain('\\<img src=x onerror=alert(1)\\>');
    expect(body).toContain('\\[click\\](https\\://evil.example)');
    expect(body).toContain('Alertmanager: `javascript:alert(1)`');
    expect(body).toContain('dashboard: `data:text/html,<script>alert(1)</script>`');
    expect(body).toContain('[runbook](<https://runbooks.example/probe?x=%3Cb%3E%22@you%22>)');
    expect(body).toContain('[source](<http://prom:9090/graph?g0.expr=up%20%3E%200>)');
    expect(readIncidentState(body)).toEqual(state);
    expect(parseIncidentKey(body)).toBe(state.key);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
  });

  it('stays within GitHub body limit for the largest payload the schema lets in', () => {
    const labels = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [`label_${i}`.padEnd(128, 'x'), 'v'.repeat(1024)]),
    );
    const annotations = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [`a${i}`, '@x '.repeat(1365)]),
    );
    const alerts = Array.from({ length: 1000 }, (_, i) =>
      rawAlert({ fingerprint: i.toString(16), labels, annotations }),
    );
    const state = applyNotification(null, payload({ alerts }), T0).state;
    const body = renderIncidentBody(state);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    const read = readIncidentState(body);
    expect(read?.alerts.map((a) => [a.fingerprint, a.status])).toEqual(
      state.alerts.map((a) => [a.fingerprint, a.status]),
    );
    // The compacted state read back is not the full one, but a redelivery renders the same body
    // and adds no transition.
    const again = applyNotification(read, payload({ alerts }), T1);
    expect(again.transitions).toEqual([]);
    expect(renderIncidentBody(again.state)).toBe(body);
  });

  it('says which incident a new linked one follows', () => {
    const resolved = payload({
      status: 'resolved',
      alerts: [rawAlert({ status: 'resolved', endsAt: '2023-02-06T13:19:00Z' })],
    });
    const done = applyNotification(stateOf(), resolved, T1).state;
    const next = applyNotification(
      done,
      payload({ alerts: [rawAlert({ startsAt: '2023-02-08T00:00:00Z' })] }),
      '2023-02-08T00:01:00.000Z',
    ).state;
    expect(renderIncidentBody(next)).toContain(
      `- **Follows** incident 1 of this group (first notified ${T0})`,
    );
    expect(renderIncidentBody(done)).toContain('## ✅ Resolved');
  });
});

describe('readIncidentState', () => {
  const state = stateOf();
  const body = renderIncidentBody(state);
  const marker = incidentKeyMarker(state.key);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

  it.each([
    ['an empty body', ''],
    ['a body without the key marker', body.split('\n').slice(1).join('\n')],
    ['the key marker not on the first line', `hello\n${body}`],
    ['no state marker', body.split('\n').slice(0, -1).join('\n')],
    ['text after the state marker', `${body}\nedited by hand`],
    ['bad base64', `${marker}\n<!-- steward:incident-state @@@ -->`],
    [
      'base64 of garbage',
      `${marker}\n<!-- steward:incident-state ${Buffer.from('{not json').toString('base64')} -->`,
    ],
    [
      'JSON of another shape',
      `${marker}\n<!-- steward:incident-state ${encode({ version: 1 })} -->`,
    ],
    [
      'a state for another key',
      `${incidentKeyMarker('0'.repeat(64))}\n${body.split('\n').slice(1).join('\n')}`,
    ],
    [
      'a state with a hostile fingerprint',
      `${marker}\n<!-- steward:incident-state ${encode({ ...state, alerts: [{ ...state.alerts[0], fingerprint: '__proto__' }] })} -->`,
    ],
    [
      'a state with a bad time',
      `${marker}\n<!-- steward:incident-state ${encode({ ...state, firstNotifiedAt: 'soon' })} -->`,
    ],
    ['a huge state marker', `${marker}\n<!-- steward:incident-state ${'A'.repeat(300_000)} -->`],
  ])('is null for %s', (_, text) => {
    expect(readIncidentState(text)).toBeNull();
  });

  it('is null for what is not a string', () => {
    expect(readIncidentState(undefined as unknown as string)).toBeNull();
  });

  it('does not take a state forged inside an annotation over the real one', () => {
    const forged = payload({
      alerts: [rawAlert({ annotations: { description: `x\n${FORGED_STATE}` } })],
    });
    const hostileState = applyNotification(null, forged, T0).state;
    expect(readIncidentState(renderIncidentBody(hostileState))).toEqual(hostileState);
  });
});

describe('the title and labels', () => {
  it('names the group in plain text, stable across notifications', () => {
    expect(renderIncidentTitle(stateOf())).toBe('Incident: ProbeFailure');
    expect(renderIncidentTitle(stateOf({ groupLabels: { alertname: 'A', env: 'prod' } }))).toBe(
      'Incident: A (env="prod")',
    );
    expect(renderIncidentTitle(stateOf({ groupLabels: {} }))).toBe('Incident: ProbeFailure');
  });

  it('neutralises mentions and cuts long titles', () => {
    const title = renderIncidentTitle(applyNotification(null, hostile, T0).state);
    expect(title).not.toMatch(/@(octocat|acme)\b/);
    expect(title).not.toMatch(/#1\b/);
    const long = renderIncidentTitle(stateOf({ groupLabels: { alertname: 'x'.repeat(500) } }));
    expect(long.length).toBeLessThanOrEqual(200);
  });

  it('labels the issue incident and severity, the severity made safe', () => {
    expect(incidentLabels(stateOf())).toEqual(['incident', 'severity:critical']);
    expect(incidentLabels(stateOf({ commonLabels: { severity: 'P1, @all <b>' } }))).toEqual([
      'incident',
      'severity:p1-all-b',
    ]);
    expect(
      incidentLabels(stateOf({ commonLabels: {}, alerts: [rawAlert({ labels: {} })] })),
    ).toEqual(['incident']);
    const long = incidentLabels(stateOf({ commonLabels: { severity: 's'.repeat(100) } }));
    expect(long[1]!.length).toBeLessThanOrEqual(50);
  });
});

describe('renderLink', () => {
  it.each([
    ['https://a.example/x', '[t](<https://a.example/x>)'],
    ['javascript:alert(1)', 't: `javascript:alert(1)`'],
    ['not a url', 't: `not a url`'],
    ['', ''],
  ])('renders %j as %j', (url, shown) => {
    expect(renderLink('t', url)).toBe(shown);
  });
});

describe('transition comments', () => {
  it('writes one comment per transition, marked with its id', () => {
    const state = stateOf();
    const [firing] = applyNotification(null, payload(), T0).transitions;
    const comment = renderTransitionComment(state, firing!);
    expect(parseTransitionMarker(comment)).toBe(transitionId(state, firing!));
    expect(comment).toContain('🔥 Firing: 1 alert (`ProbeFailure` (`1a30ba71cca2921f`))');

    const resolved = applyNotification(
      state,
      payload({ status: 'resolved', alerts: [rawAlert({ status: 'resolved' })] }),
      T1,
    );
    const text = renderTransitionComment(resolved.state, resolved.transitions[0]!);
    expect(text).toContain('✅ Resolved at 2023-02-06T13:55:00.000Z.');
    expect(text).toContain('The group fired for 45 minutes after Steward was first notified.');
    const again = applyNotification(
      resolved.state,
      payload({ alerts: [rawAlert({ startsAt: '2023-02-06T14:00:00Z' })] }),
      '2023-02-06T14:00:00.000Z',
    );
    expect(again.action).toBe('reopen');
    const reopened = renderTransitionComment(again.state, again.transitions[0]!);
    expect(reopened).toContain('this issue is open again');
    const second = applyNotification(
      again.state,
      payload({
        status: 'resolved',
        alerts: [rawAlert({ status: 'resolved', startsAt: '2023-02-06T14:00:00Z' })],
      }),
      '2023-02-06T14:10:00.000Z',
    );
    expect(renderTransitionComment(second.state, second.transitions[0]!)).toContain(
      'The group fired for 10 minutes after',
    );
    expect(transitionId(resolved.state, resolved.transitions[0]!)).not.toBe(
      transitionId(state, firing!),
    );
  });

  it('keeps hostile alert names inert in comments', () => {
    const state = applyNotification(null, hostile, T0).state;
    const comment = renderTransitionComment(state, state.timeline[0]!);
    expect(comment.match(/<!--/g)).toHaveLength(1);
    expect(comment).not.toMatch(/@admin\b/);
    for (const kind of ['alert-joined', 'alert-left', 'firing-again'] as const) {
      const text = renderTransitionComment(state, {
        kind,
        at: T1,
        fingerprints: ['1a30ba71cca2921f'],
      });
      expect(text.match(/<!--/g)).toHaveLength(1);
    }
  });
});
