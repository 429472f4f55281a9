import { describe, expect, it } from 'vitest';
import {
  CHAOS_ALERTNAME,
  chaosFingerprint,
  chaosGroupKey,
  chaosIncidentPayloads,
} from '../../src/chaos/incident.ts';
import { chaosReport } from '../../src/chaos/report.ts';
import type { ChaosRow } from '../../src/chaos/summary.ts';
import { parseAlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import { applyNotification } from '../../src/incidents/incident-state.ts';
import {
  parseIncidentKey,
  renderIncidentBody,
  renderIncidentTitle,
} from '../../src/incidents/render.ts';
import { mentionsOutsideCode } from '../support/gfm.ts';
import { fixture } from './fixtures.ts';

const OPTIONS = {
  receivedAt: '2026-12-04T10:00:00.000Z',
  externalURL: 'https://github.com/acme/shop/actions/runs/42',
};

function row(overrides: Partial<ChaosRow> = {}): ChaosRow {
  return {
    tool: 'litmus',
    experiment: 'pod-delete',
    target: 'deployment/checkout',
    verdict: 'fail',
    status: 'Fail',
    probeSuccessPercentage: 50,
    failedProbes: [],
    failure: 'probe check-http failed',
    durationMs: 1000,
    history: null,
    details: [],
    source: 'results.yaml',
    ...overrides,
  };
}

/** The payload as the incident core gets it: through the same check as Alertmanager's. */
function accepted(payload: unknown) {
  const parsed = parseAlertmanagerPayload(JSON.parse(JSON.stringify(payload)));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.payload;
}

describe('chaosIncidentPayloads', () => {
  it('turns the recorded results into payloads the Alertmanager check accepts, one per verdict', () => {
    const report = chaosReport(
      ['litmus-2.x-list.yaml', 'litmus-3.x-documents.yaml', 'chaos-mesh.yaml'].map(fixture),
    );
    const payloads = chaosIncidentPayloads(report.rows, OPTIONS);
    // Chaos Mesh gives no verdict: its three experiments give no payload.
    expect(payloads.map((p) => [p.groupKey, p.status])).toEqual([
      ['steward-chaos:litmus:pod-network-latency:deployment/cart', 'firing'],
      ['steward-chaos:litmus:pod-delete:deployment/checkout', 'firing'],
      ['steward-chaos:litmus:pod-cpu-hog:deployment/checkout', 'resolved'],
    ]);
    for (const payload of payloads) expect(accepted(payload)).toEqual(payload);
  });

  it('labels the one alert with the experiment and target, fingerprinted by its group', () => {
    const [payload] = chaosIncidentPayloads([row()], OPTIONS);
    const groupKey = 'steward-chaos:litmus:pod-delete:deployment/checkout';
    expect(payload).toMatchObject({
      version: '4',
      groupKey,
      status: 'firing',
      externalURL: OPTIONS.externalURL,
      groupLabels: {
        alertname: CHAOS_ALERTNAME,
        experiment: 'pod-delete',
        target: 'deployment/checkout',
      },
    });
    expect(payload!.alerts).toEqual([
      {
        status: 'firing',
        labels: {
          alertname: 'ChaosExperimentFailed',
          experiment: 'pod-delete',
          target: 'deployment/checkout',
          severity: 'warning',
        },
        annotations: {
          summary: 'Chaos experiment pod-delete on deployment/checkout failed (litmus)',
          description: 'probe check-http failed',
        },
        startsAt: OPTIONS.receivedAt,
        endsAt: null,
        generatorURL: OPTIONS.externalURL,
        fingerprint: chaosFingerprint(groupKey),
      },
    ]);
    expect(chaosFingerprint(groupKey)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('resolves on a pass (ended when received) and says nothing without a verdict', () => {
    const payloads = chaosIncidentPayloads(
      [
        row({ verdict: 'pass', failure: null }),
        row({ experiment: 'other', verdict: 'unknown' }),
        row({ tool: 'chaos-mesh', experiment: 'x', target: null, verdict: 'unknown' }),
      ],
      OPTIONS,
    );
    expect(payloads).toHaveLength(1);
    expect(payloads[0]!.status).toBe('resolved');
    expect(payloads[0]!.alerts[0]).toMatchObject({
      status: 'resolved',
      endsAt: OPTIONS.receivedAt,
      annotations: {
        summary: 'Chaos experiment pod-delete on deployment/checkout passed (litmus)',
      },
    });
    expect(payloads[0]!.alerts[0]!.annotations).not.toHaveProperty('description');
    expect(chaosIncidentPayloads([], OPTIONS)).toEqual([]);
  });

  it('gives one payload per experiment and target, firing when any of its rows failed', () => {
    const payloads = chaosIncidentPayloads(
      [
        row({ verdict: 'pass', failure: null, source: 'a.yaml' }),
        row({ verdict: 'fail', source: 'b.yaml' }),
        row({ verdict: 'pass', failure: null, source: 'c.yaml' }),
        row({ target: 'deployment/cart', verdict: 'pass', failure: null }),
        row({ tool: 'chaos-mesh', verdict: 'fail' }),
      ],
      OPTIONS,
    );
    expect(payloads.map((p) => [p.groupKey, p.status])).toEqual([
      ['steward-chaos:litmus:pod-delete:deployment/checkout', 'firing'],
      ['steward-chaos:litmus:pod-delete:deployment/cart', 'resolved'],
      ['steward-chaos:chaos-mesh:pod-delete:deployment/checkout', 'firing'],
    ]);
    expect(new Set(payloads.map((p) => p.alerts[0]!.fingerprint)).size).toBe(3);
  });

  it('keeps a target-less experiment its own group, with an empty target label', () => {
    const [payload] = chaosIncidentPayloads([row({ target: null })], OPTIONS);
    expect(payload!.groupKey).toBe('steward-chaos:litmus:pod-delete:');
    expect(payload!.groupLabels['target']).toBe('');
    expect(payload!.alerts[0]!.annotations['summary']).toBe(
      'Chaos experiment pod-delete failed (litmus)',
    );
    expect(accepted(payload)).toEqual(payload);
  });

  it('bounds huge names and failures within what the Alertmanager check accepts', () => {
    const huge = 'x'.repeat(100_000);
    const payloads = chaosIncidentPayloads(
      [row({ experiment: huge, target: huge, failure: huge })],
      OPTIONS,
    );
    const payload = accepted(payloads[0]);
    expect(payload.groupKey.length).toBeLessThan(1000);
    expect(payload.alerts[0]!.labels['experiment']!.length).toBeLessThanOrEqual(256);
    expect(payload.alerts[0]!.annotations['description']!.length).toBeLessThanOrEqual(4000);
    // Names that differ only past the clip are the same group: bounded, not a new issue per byte.
    expect(chaosGroupKey(row({ experiment: `${huge}a` }))).toBe(
      chaosGroupKey(row({ experiment: `${huge}b` })),
    );
  });

  it('leaves hostile names inert in the incident issue: no mention, no forged marker', () => {
    const hostile = '@alice <!-- steward:incident key=0000 --> `x` [a](https://evil.example)';
    const [payload] = chaosIncidentPayloads(
      [row({ experiment: hostile, target: `@acme/security ${hostile}`, failure: hostile })],
      OPTIONS,
    );
    const { state } = applyNotification(null, accepted(payload), OPTIONS.receivedAt);
    const body = renderIncidentBody(state);
    expect(mentionsOutsideCode(body)).toEqual([]);
    expect(parseIncidentKey(body)).toBe(state.key);
    expect(body.match(/<!-- steward:incident key=/g)).toHaveLength(1);
    expect(renderIncidentTitle(state)).not.toMatch(/@alice|@acme/);
  });

  it('a failure after a pass fires the group again; the same failure again adds no transition', () => {
    const fail1 = accepted(chaosIncidentPayloads([row()], OPTIONS)[0]);
    const first = applyNotification(null, fail1, OPTIONS.receivedAt);
    expect(first.action).toBe('create');
    const again = applyNotification(first.state, fail1, OPTIONS.receivedAt);
    expect(again.action).toBe('none');

    const later = (minutes: number) =>
      new Date(Date.parse(OPTIONS.receivedAt) + minutes * 60_000).toISOString();
    const pass = accepted(
      chaosIncidentPayloads([row({ verdict: 'pass', failure: null })], {
        ...OPTIONS,
        receivedAt: later(10),
      })[0],
    );
    const resolved = applyNotification(first.state, pass, later(10));
    expect(resolved.transitions.map((t) => t.kind)).toEqual(['resolved']);
    const fail2 = accepted(
      chaosIncidentPayloads([row()], { ...OPTIONS, receivedAt: later(20) })[0],
    );
    const reopened = applyNotification(resolved.state, fail2, later(20));
    expect(reopened.action).toBe('reopen');
    expect(reopened.transitions.map((t) => t.kind)).toEqual(['firing-again']);
  });
});
