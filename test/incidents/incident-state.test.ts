import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  applyNotification,
  incidentKey,
  MAX_TIMELINE,
  MAX_TRACKED_ALERTS,
} from '../../src/incidents/incident-state.ts';
import type { IncidentState } from '../../src/incidents/incident-state.ts';
import { payload, rawAlert } from './fixtures.ts';

const T0 = '2023-02-06T13:10:00.000Z';
const T1 = '2023-02-06T13:20:00.000Z';
const T2 = '2023-02-06T13:30:00.000Z';
const HOUR = 60 * 60 * 1000;

function later(time: string, ms: number): string {
  return new Date(Date.parse(time) + ms).toISOString();
}

const firing = payload();
const resolved = payload({
  status: 'resolved',
  alerts: [rawAlert({ status: 'resolved', endsAt: '2023-02-06T13:19:00Z' })],
});
/** The alert fires again after it resolved: Alertmanager gives it a new start. */
const firingAnew = payload({ alerts: [rawAlert({ startsAt: '2023-02-06T14:00:00Z' })] });

function created(): IncidentState {
  return applyNotification(null, firing, T0).state;
}

describe('incidentKey', () => {
  it('is the SHA-256 of the group key in hex', () => {
    expect(incidentKey('{}:{alertname="a"}')).toMatch(/^[0-9a-f]{64}$/);
    expect(incidentKey('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(incidentKey('a')).not.toBe(incidentKey('b'));
  });
});

describe('applyNotification', () => {
  it('creates the incident on the first firing notification', () => {
    const { state, transitions, action } = applyNotification(null, firing, T0);
    expect(action).toBe('create');
    expect(transitions).toEqual([{ kind: 'firing', at: T0, fingerprints: ['1a30ba71cca2921f'] }]);
    expect(state).toMatchObject({
      key: incidentKey(firing.groupKey),
      sequence: 1,
      status: 'firing',
      severity: 'critical',
      firstNotifiedAt: T0,
      resolvedAt: null,
      previous: null,
    });
    expect(state.alerts).toEqual([
      expect.objectContaining({ fingerprint: '1a30ba71cca2921f', status: 'firing', endsAt: null }),
    ]);
    expect(state.timeline).toEqual(transitions);
  });

  it('is idempotent: the same notification again changes nothing, at any time it arrives', () => {
    const first = applyNotification(null, firing, T0);
    const again = applyNotification(first.state, firing, T1);
    expect(again).toEqual({ state: first.state, transitions: [], action: 'none' });

    const done = applyNotification(first.state, resolved, T1);
    expect(done.action).toBe('update');
    expect(done.transitions.map((t) => t.kind)).toEqual(['resolved']);
    expect(applyNotification(done.state, resolved, T2)).toEqual({
      state: done.state,
      transitions: [],
      action: 'none',
    });
  });

  it('ignores a firing notification retried after the resolution (same alert, same start)', () => {
    const done = applyNotification(created(), resolved, T1).state;
    expect(applyNotification(done, firing, T2)).toEqual({
      state: done,
      transitions: [],
      action: 'none',
    });
  });

  it('ignores a resolved notification retried after the group fired again', () => {
    const done = applyNotification(created(), resolved, T1).state;
    const back = applyNotification(done, firingAnew, later(T1, HOUR)).state;
    expect(back.status).toBe('firing');
    expect(applyNotification(back, resolved, later(T1, 2 * HOUR))).toEqual({
      state: back,
      transitions: [],
      action: 'none',
    });
    expect(applyNotification(back, firing, later(T1, 2 * HOUR)).action).toBe('none');
  });

  it('resolves alerts Alertmanager left out when the whole group resolves', () => {
    const second = rawAlert({ fingerprint: 'bbbb' });
    const both = applyNotification(created(), payload({ alerts: [rawAlert(), second] }), T1).state;
    const done = applyNotification(
      both,
      payload({
        status: 'resolved',
        truncatedAlerts: 1,
        alerts: [rawAlert({ status: 'resolved' })],
      }),
      T2,
    );
    expect(done.transitions.map((t) => t.kind)).toEqual(['resolved']);
    expect(done.state.alerts.every((a) => a.status === 'resolved')).toBe(true);
  });

  it('reopens a group that fires again within the window, and only once', () => {
    const done = applyNotification(created(), resolved, T1).state;
    const back = applyNotification(done, firingAnew, later(T1, 2 * HOUR));
    expect(back.action).toBe('reopen');
    expect(back.transitions.map((t) => t.kind)).toEqual(['firing-again']);
    expect(back.state).toMatchObject({ status: 'firing', resolvedAt: null, sequence: 1 });
    expect(back.state.timeline.map((t) => t.kind)).toEqual(['firing', 'resolved', 'firing-again']);
    expect(applyNotification(back.state, firingAnew, later(T1, 3 * HOUR)).action).toBe('none');
  });

  it('opens a new incident linking the old one after the window, and only once', () => {
    const done = applyNotification(created(), resolved, T1).state;
    const next = applyNotification(done, firingAnew, later(T1, 25 * HOUR));
    expect(next.action).toBe('new-linked');
    expect(next.transitions.map((t) => t.kind)).toEqual(['firing']);
    expect(next.state).toMatchObject({
      sequence: 2,
      status: 'firing',
      key: done.key,
      firstNotifiedAt: later(T1, 25 * HOUR),
      previous: { sequence: 1, firstNotifiedAt: T0, resolvedAt: T1 },
    });
    expect(next.state.timeline).toHaveLength(1);
    expect(applyNotification(next.state, firingAnew, later(T1, 26 * HOUR)).action).toBe('none');
  });

  it('honours a configured window', () => {
    const done = applyNotification(created(), resolved, T1).state;
    const at = later(T1, 2 * HOUR);
    expect(applyNotification(done, firingAnew, at, { reopenWindowMs: HOUR }).action).toBe(
      'new-linked',
    );
    expect(applyNotification(done, firingAnew, at, { reopenWindowMs: 3 * HOUR }).action).toBe(
      'reopen',
    );
  });

  it('reports alerts joining and leaving a firing group, one transition each', () => {
    const second = rawAlert({
      fingerprint: 'bbbb',
      labels: { alertname: 'ProbeFailure', instance: 'y' },
    });
    const both = payload({ alerts: [rawAlert(), second] });
    const joined = applyNotification(created(), both, T1);
    expect(joined.action).toBe('update');
    expect(joined.transitions).toEqual([{ kind: 'alert-joined', at: T1, fingerprints: ['bbbb'] }]);
    expect(applyNotification(joined.state, both, T2).action).toBe('none');

    const oneResolved = payload({
      alerts: [rawAlert({ status: 'resolved', endsAt: '2023-02-06T13:25:00Z' }), second],
    });
    const left = applyNotification(joined.state, oneResolved, T2);
    expect(left.transitions).toEqual([
      { kind: 'alert-left', at: T2, fingerprints: ['1a30ba71cca2921f'] },
    ]);
    expect(left.state.status).toBe('firing');
    expect(left.state.alerts.find((a) => a.fingerprint === '1a30ba71cca2921f')).toMatchObject({
      status: 'resolved',
      endsAt: '2023-02-06T13:25:00.000Z',
    });
    expect(applyNotification(left.state, oneResolved, later(T2, 1000)).action).toBe('none');
    // A retry of the notification before, arriving late, does not make the alert join again.
    expect(applyNotification(left.state, both, later(T2, 2000)).action).toBe('none');

    // Without send_resolved the alert just goes missing: it left.
    const gone = applyNotification(joined.state, payload({ alerts: [second] }), T2);
    expect(gone.transitions.map((t) => [t.kind, t.fingerprints])).toEqual([
      ['alert-left', ['1a30ba71cca2921f']],
    ]);
  });

  it('does not count alerts Alertmanager truncated as leaving', () => {
    const second = rawAlert({ fingerprint: 'bbbb' });
    const both = applyNotification(created(), payload({ alerts: [rawAlert(), second] }), T1).state;
    const cut = applyNotification(both, payload({ alerts: [second], truncatedAlerts: 1 }), T2);
    expect(cut.transitions).toEqual([]);
    expect(cut.state.alerts.every((a) => a.status === 'firing')).toBe(true);
    expect(cut.state.truncatedAlerts).toBe(1);
  });

  it('tracks at most MAX_TRACKED_ALERTS alerts, counting the rest as truncated, stably', () => {
    const alerts = Array.from({ length: 1000 }, (_, i) =>
      rawAlert({ fingerprint: (0x10000 + i).toString(16) }),
    );
    const big = payload({ alerts });
    const first = applyNotification(null, big, T0);
    expect(first.state.alerts).toHaveLength(MAX_TRACKED_ALERTS);
    expect(first.state.truncatedAlerts).toBe(1000 - MAX_TRACKED_ALERTS);
    expect(applyNotification(first.state, big, T1)).toEqual({
      state: first.state,
      transitions: [],
      action: 'none',
    });
    const reversed = payload({ alerts: [...alerts].reverse() });
    expect(applyNotification(first.state, reversed, T1).action).toBe('none');
  });

  it('updates the body without a transition when only the text changes', () => {
    const changed = payload({
      alerts: [rawAlert({ annotations: { description: 'down for 10m' } })],
    });
    const result = applyNotification(created(), changed, T1);
    expect(result).toMatchObject({ action: 'update', transitions: [] });
    expect(result.state.alerts[0]!.annotations).toEqual({ description: 'down for 10m' });
  });

  it('records a group first seen resolved', () => {
    const result = applyNotification(null, resolved, T0);
    expect(result.action).toBe('create');
    expect(result.state).toMatchObject({ status: 'resolved', resolvedAt: T0 });
    expect(result.transitions.map((t) => t.kind)).toEqual(['resolved']);
  });

  it('takes the severity the alerts share, else the highest one', () => {
    const mixed = payload({
      commonLabels: { alertname: 'ProbeFailure' },
      alerts: [
        rawAlert({ fingerprint: 'aa', labels: { severity: 'warning' } }),
        rawAlert({ fingerprint: 'bb', labels: { severity: 'critical' } }),
        rawAlert({ fingerprint: 'cc', labels: { severity: 'page-me' } }),
      ],
    });
    expect(applyNotification(null, mixed, T0).state.severity).toBe('critical');
    const none = payload({ commonLabels: {}, alerts: [rawAlert({ labels: { a: 'b' } })] });
    expect(applyNotification(null, none, T0).state.severity).toBeNull();
  });

  it('keeps the state bounded however long the incident runs', () => {
    let state = created();
    for (let i = 0; i < MAX_TIMELINE + 50; i++) {
      const fp = (0x1000 + i).toString(16);
      state = applyNotification(
        state,
        payload({ alerts: [rawAlert(), rawAlert({ fingerprint: fp })] }),
        later(T0, i * 1000),
      ).state;
    }
    expect(state.timeline.length).toBe(MAX_TIMELINE);
    expect(state.timeline[0]!.kind).toBe('firing');
    expect(state.timelineDropped).toBeGreaterThan(0);
    expect(state.alerts.length).toBeLessThanOrEqual(MAX_TRACKED_ALERTS);
    expect(state.alerts.find((a) => a.fingerprint === '1a30ba71cca2921f')?.status).toBe('firing');
  });

  test.prop([
    fc.array(
      fc.record({
        fingerprint: fc.constantFrom('aa', 'bb', 'cc'),
        status: fc.constantFrom('firing', 'resolved'),
        start: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 3 },
    ),
    fc.constantFrom('firing', 'resolved'),
    fc.integer({ min: 0, max: 48 }),
  ])(
    'applying any notification twice gives nothing new the second time',
    (alerts, status, hours) => {
      const unique = [...new Map(alerts.map((a) => [a.fingerprint, a])).values()];
      const body = payload({
        status,
        alerts: unique.map((a) =>
          rawAlert({
            fingerprint: a.fingerprint,
            status: a.status,
            startsAt: later(T0, a.start * HOUR),
            endsAt:
              a.status === 'resolved' ? later(T0, (a.start + 1) * HOUR) : '0001-01-01T00:00:00Z',
          }),
        ),
      });
      const before = applyNotification(
        applyNotification(created(), resolved, T1).state,
        firing,
        T2,
      ).state;
      const once = applyNotification(before, body, later(T2, hours * HOUR));
      const twice = applyNotification(once.state, body, later(T2, (hours + 1) * HOUR));
      expect(twice).toEqual({ state: once.state, transitions: [], action: 'none' });
    },
  );
});
