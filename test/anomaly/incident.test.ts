import { describe, expect, it } from 'vitest';
import { analyseSeries } from '../../src/anomaly/analyse.ts';
import {
  ANOMALY_ALERTNAME,
  anomalyFingerprint,
  anomalyIncidentPayload,
  describeDeparture,
  recentMsFor,
} from '../../src/anomaly/incident.ts';
import { counterRates } from '../../src/anomaly/rate.ts';
import type { Point } from '../../src/anomaly/types.ts';
import { parseAlertmanagerPayload } from '../../src/incidents/alertmanager.ts';
import { applyNotification, incidentKey } from '../../src/incidents/incident-state.ts';
import {
  MAX_BODY_CHARS,
  MAX_DETAILS_CHARS,
  parseIncidentKey,
  readIncidentState,
  renderIncidentBody,
  renderIncidentTitle,
} from '../../src/incidents/render.ts';
import { htmlNodes, mentionsOutsideCode } from '../support/gfm.ts';

const STEP = 300_000;
const T0 = Date.UTC(2026, 11, 1);
/** Two days at five minutes; the last four points a level shift of +0.5 (then back). */
const N = 2 * 288;

function value(i: number): number {
  const noise = Math.sin(i * 1.7) * 0.02 + Math.sin(i * 0.37) * 0.015;
  return 0.2 + noise + (i >= N - 4 && i < N ? 0.5 : 0);
}

function points(from: number, to: number): Point[] {
  const out: Point[] = [];
  for (let i = from; i < to; i++) out.push({ t: T0 + i * STEP, v: value(i) });
  return out;
}

const SERIES = {
  name: 'api-latency',
  query: 'histogram_quantile(0.99, sum(rate(x[5m])) by (le))',
  counter: false,
};
const RUN = 'https://github.com/acme/shop/actions/runs/42';
/** The shift's first point: where the window, and so the alert, starts. */
const SHIFT_AT = new Date(T0 + (N - 4) * STEP).toISOString();

function payload(
  from: number,
  to: number,
  extra: { receivedAt?: string; recordedStart?: string } = {},
) {
  return anomalyIncidentPayload({
    series: SERIES,
    analysis: analyseSeries(points(from, to), { detector: 'default' }),
    recentMs: recentMsFor(300),
    receivedAt: extra.receivedAt ?? new Date(T0 + to * STEP).toISOString(),
    externalURL: RUN,
    ...(extra.recordedStart === undefined ? {} : { recordedStart: extra.recordedStart }),
  });
}

function accepted(body: unknown) {
  const parsed = parseAlertmanagerPayload(JSON.parse(JSON.stringify(body)));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.payload;
}

describe('recentMsFor', () => {
  it('is five steps, never under 30 minutes', () => {
    expect(recentMsFor(60)).toBe(30 * 60_000);
    expect(recentMsFor(300)).toBe(30 * 60_000);
    expect(recentMsFor(3600)).toBe(5 * 3_600_000);
  });
});

describe('anomalyIncidentPayload', () => {
  it('fires from the window start while the shift is current, saying what moved, when and how far', () => {
    const firing = accepted(payload(0, N));
    expect(firing).toMatchObject({
      status: 'firing',
      receiver: 'steward-anomaly',
      groupKey: 'steward-anomaly:api-latency',
      groupLabels: { alertname: ANOMALY_ALERTNAME, series: 'api-latency' },
      commonLabels: { alertname: 'SeriesAnomalous', series: 'api-latency', severity: 'warning' },
      externalURL: RUN,
    });
    const [alert] = firing.alerts;
    expect(alert).toMatchObject({
      status: 'firing',
      startsAt: SHIFT_AT,
      endsAt: null,
      fingerprint: anomalyFingerprint('api-latency'),
    });
    expect(alert!.annotations['summary']).toBe(
      'api-latency is anomalous since 2026-12-02T23:40:00Z',
    );
    expect(alert!.annotations['description']).toMatch(
      /^The default detector flagged \d+ points? from 2026-12-02T23:40:00Z to .*\. It reached 0\.[67]\d* at .*, 0\.[45]\d* above its normal 0\.2\d* \(the median of the day before\), about 3\.\d times it\. Query: histogram_quantile/,
    );
  });

  it('gives the same notification on a rerun over the same history: the incident core adds nothing', () => {
    const first = accepted(payload(0, N));
    const applied = applyNotification(null, first, '2026-12-03T00:00:00.000Z');
    expect(applied.action).toBe('create');
    // An hour later the same history is read again (the rerun): same start, same words.
    const again = accepted(payload(0, N, { receivedAt: '2026-12-03T01:00:00.000Z' }));
    expect(again).toEqual(first);
    expect(applyNotification(applied.state, again, '2026-12-03T01:00:00.000Z').action).toBe('none');
  });

  it('resolves once no window is current, carrying the recorded start, and the core closes it', () => {
    const first = accepted(payload(0, N));
    const opened = applyNotification(null, first, '2026-12-03T00:00:00.000Z').state;
    // Two hours on, the series is back to normal: the shift's window ended long before.
    const resolved = accepted(
      payload(24, N + 24, {
        recordedStart: first.alerts[0]!.startsAt,
        receivedAt: '2026-12-03T02:00:00.000Z',
      }),
    );
    expect(resolved.status).toBe('resolved');
    expect(resolved.alerts[0]).toMatchObject({
      status: 'resolved',
      startsAt: SHIFT_AT,
      endsAt: '2026-12-03T02:00:00.000Z',
    });
    expect(resolved.commonAnnotations['summary']).toBe('api-latency is back to normal');
    const after = applyNotification(opened, resolved, '2026-12-03T02:00:00.000Z');
    expect(after.state.status).toBe('resolved');
    expect(after.transitions.map((t) => t.kind)).toEqual(['resolved']);
  });

  it('resolves from the time it ran when no start is recorded (a state a person broke)', () => {
    const resolved = accepted(payload(24, N + 24, { receivedAt: '2026-12-03T02:00:00.000Z' }));
    expect(resolved.alerts[0]!.startsAt).toBe('2026-12-03T02:00:00.000Z');
  });

  it('names the series in a stable title and keeps a hostile query inert in the body', () => {
    const hostile = {
      name: 'api-latency',
      counter: false,
      query: '@acme/everyone <!-- steward:incident key=' + '0'.repeat(64) + ' --> <img src=x> up',
    };
    const first = accepted(
      anomalyIncidentPayload({
        series: hostile,
        analysis: analyseSeries(points(0, N), { detector: 'default' }),
        recentMs: recentMsFor(300),
        receivedAt: '2026-12-03T00:00:00.000Z',
        externalURL: RUN,
      }),
    );
    const { state } = applyNotification(null, first, '2026-12-03T00:00:00.000Z');
    expect(renderIncidentTitle(state)).toBe('Incident: SeriesAnomalous (series="api-latency")');
    const body = renderIncidentBody(state);
    expect(parseIncidentKey(body)).toBe(incidentKey('steward-anomaly:api-latency'));
    expect(body.match(/<!-- steward:incident key=/g)).toHaveLength(1);
    expect(mentionsOutsideCode(body)).toEqual([]);
    expect(htmlNodes(body).filter((node) => node.includes('img'))).toEqual([]);
  });
});

describe('a counter', () => {
  it('is described by its rate per second, resets left out', () => {
    expect(
      counterRates([
        { t: 0, v: 10 },
        { t: 1000, v: 12 },
        { t: 2000, v: 3 },
        { t: 4000, v: 7 },
      ]),
    ).toEqual([
      { t: 1000, v: 2 },
      { t: 4000, v: 2 },
    ]);
    // A counter growing 1 per second (one reading per 5 minutes), then 4 per second at the end.
    let total = 0;
    const readings = points(0, N).map((p, i) => {
      total += (i >= N - 4 ? 4 : 1) * 300 + Math.sin(i) * 10;
      return { t: p.t, v: total };
    });
    const analysis = analyseSeries(readings, {
      detector: 'default',
      detectorOptions: { counter: true },
    });
    const window = analysis.anomalies.at(-1)!;
    expect(describeDeparture(analysis.points, window, true)).toMatch(
      /^Its rate reached 4\.\d* per second at .*, 3\.\d* above its normal (0\.9|1\.)\d* \(the median of the day before\), about 4 times it$/,
    );
  });
});

describe('renderIncidentBody details', () => {
  const state = applyNotification(null, accepted(payload(0, N)), '2026-12-03T00:00:00.000Z').state;
  const chart = '```mermaid\nxychart-beta\n  title "api-latency"\n  line [1, 2, 3]\n```';

  it('places the trusted details before the timeline, the markers where they belong', () => {
    const body = renderIncidentBody(state, { details: chart });
    expect(body.indexOf('### Details')).toBeGreaterThan(body.indexOf('### Alerts'));
    expect(body.indexOf(chart)).toBeGreaterThan(body.indexOf('### Details'));
    expect(body.indexOf(chart)).toBeLessThan(body.indexOf('### Timeline'));
    expect(readIncidentState(body)).toEqual(state);
    // Without details the body is what it always was.
    expect(renderIncidentBody(state, { details: null })).toBe(renderIncidentBody(state));
    expect(renderIncidentBody(state)).not.toContain('### Details');
  });

  it('breaks a marker opening in the details and cannot take the key or the state from them', () => {
    const forged = `<!-- steward:incident key=${'0'.repeat(64)} -->\n<!-- steward:incident-state e30= -->`;
    const body = renderIncidentBody(state, { details: forged });
    expect(body.match(/<!--/g)).toHaveLength(2);
    expect(parseIncidentKey(body)).toBe(state.key);
    expect(readIncidentState(body)).toEqual(state);
  });

  it('leaves out details longer than the cap, saying so', () => {
    const body = renderIncidentBody(state, { details: 'x'.repeat(MAX_DETAILS_CHARS + 1) });
    expect(body).not.toContain('x'.repeat(100));
    expect(body).toContain(`are longer than the ${MAX_DETAILS_CHARS} an incident shows`);
  });

  it('drops the details before the state when the body would pass GitHub’s limit', () => {
    const big = {
      ...state,
      commonAnnotations: { summary: 's', description: 'd'.repeat(4000) },
      alerts: Array.from({ length: 9 }, (_, i) => ({
        ...state.alerts[0]!,
        fingerprint: i.toString(16).padStart(16, '0'),
        annotations: { description: 'y'.repeat(4000) },
      })),
    };
    // The whole state fits without the details, not with them.
    expect(renderIncidentBody(big).length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(renderIncidentBody(big).length).toBeGreaterThan(MAX_BODY_CHARS - MAX_DETAILS_CHARS);
    const body = renderIncidentBody(big, { details: 'z'.repeat(MAX_DETAILS_CHARS) });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body).toContain('left out to keep this issue within GitHub');
    expect(readIncidentState(body)).toEqual(big);
  });
});
