import { describe, expect, it } from 'vitest';
import {
  ALERTMANAGER_LIMITS,
  formatFieldPath,
  parseAlertmanagerPayload,
  parseRfc3339,
} from '../../src/incidents/alertmanager.ts';
import { rawAlert, rawPayload } from './fixtures.ts';

function errorOf(body: unknown): string {
  const result = parseAlertmanagerPayload(body);
  if (result.ok) throw new Error('expected the payload to be refused');
  return result.error;
}

describe('parseAlertmanagerPayload', () => {
  it('reads the v4 sample, times in UTC, the zero time as none, defaults for optional fields', () => {
    const alert = rawAlert({ startsAt: '2023-02-06T14:08:45.828123456+01:00' });
    delete alert['annotations'];
    delete alert['generatorURL'];
    const body = rawPayload({ alerts: [alert], notification_reason: 'repeat', extra: 'dropped' });
    delete body['truncatedAlerts'];
    const result = parseAlertmanagerPayload(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payload.truncatedAlerts).toBe(0);
    expect(result.payload.notification_reason).toBe('repeat');
    expect(result.payload).not.toHaveProperty('extra');
    expect(result.payload.alerts[0]).toMatchObject({
      startsAt: '2023-02-06T13:08:45.828Z',
      endsAt: null,
      annotations: {},
      generatorURL: '',
      fingerprint: '1a30ba71cca2921f',
    });
  });

  it('accepts the newer routeLabels and a real end time, and lower-cases fingerprints', () => {
    const result = parseAlertmanagerPayload(
      rawPayload({
        routeLabels: { team: 'web' },
        alerts: [rawAlert({ endsAt: '2023-02-06T13:20:00Z', fingerprint: 'ABCDEF' })],
      }),
    );
    expect(result.ok && result.payload.routeLabels).toEqual({ team: 'web' });
    expect(result.ok && result.payload.alerts[0]!.endsAt).toBe('2023-02-06T13:20:00.000Z');
    expect(result.ok && result.payload.alerts[0]!.fingerprint).toBe('abcdef');
  });

  it.each([
    [null, 'payload: expected a JSON object'],
    [[], 'payload: expected a JSON object'],
    ['{"version":"4"}', 'payload: expected a JSON object'],
    [rawPayload({ version: '3' }), 'version: expected "4"'],
    [rawPayload({ version: undefined }), 'version: missing'],
    [rawPayload({ groupKey: '' }), 'groupKey: expected a non-empty string'],
    [rawPayload({ groupKey: 42 }), 'groupKey: expected a string'],
    [rawPayload({ status: 'pending' }), 'status: expected "firing" or "resolved"'],
    [rawPayload({ truncatedAlerts: -1 }), 'truncatedAlerts: expected a whole number from 0'],
    [rawPayload({ truncatedAlerts: 1.5 }), 'truncatedAlerts: expected a whole number'],
    [rawPayload({ alerts: {} }), 'alerts: expected an array'],
    [rawPayload({ alerts: [rawAlert(), 'x'] }), 'alerts[1]: expected an object'],
    [
      rawPayload({
        alerts: [
          rawAlert(),
          rawAlert({ fingerprint: 'f2' }),
          rawAlert({ fingerprint: 'f3', startsAt: 'yesterday' }),
        ],
      }),
      'alerts[2].startsAt: expected an RFC 3339 time',
    ],
    [
      rawPayload({ alerts: [rawAlert({ startsAt: '0001-01-01T00:00:00Z' })] }),
      'alerts[0].startsAt: expected an RFC 3339 time, not the zero time',
    ],
    [
      rawPayload({ alerts: [rawAlert({ startsAt: '2023-02-30T10:00:00Z' })] }),
      'alerts[0].startsAt: expected an RFC 3339 time',
    ],
    [
      rawPayload({ alerts: [rawAlert({ startsAt: '2023-02-06 13:08:45Z' })] }),
      'alerts[0].startsAt: expected an RFC 3339 time',
    ],
    [
      rawPayload({ alerts: [rawAlert({ endsAt: '2023-02-06T25:00:00Z' })] }),
      'alerts[0].endsAt: expected an RFC 3339 time',
    ],
    [rawPayload({ alerts: [rawAlert({ startsAt: undefined })] }), 'alerts[0].startsAt: missing'],
    [
      rawPayload({ alerts: [rawAlert({ fingerprint: '../../etc' })] }),
      'alerts[0].fingerprint: expected a hexadecimal fingerprint',
    ],
    [
      rawPayload({ alerts: [rawAlert({ fingerprint: '__proto__' })] }),
      'alerts[0].fingerprint: expected a hexadecimal fingerprint',
    ],
    [
      rawPayload({ alerts: [rawAlert(), rawAlert({ fingerprint: '1A30BA71CCA2921F' })] }),
      'alerts[1].fingerprint: the same fingerprint as alerts[0]',
    ],
    [
      rawPayload({ alerts: [rawAlert({ labels: { a: 1 } })] }),
      'alerts[0].labels.a: expected a string',
    ],
    [
      rawPayload({ alerts: [rawAlert({ labels: ['a'] })] }),
      'alerts[0].labels: expected an object of strings',
    ],
    [rawPayload({ commonLabels: { 'a b': null } }), 'commonLabels["a b"]: expected a string'],
    [rawPayload({ groupLabels: { '': 'x' } }), 'groupLabels[""]: empty name'],
    [rawPayload({ externalURL: undefined }), 'externalURL: missing'],
  ])('refuses %j naming the field: %s', (body, error) => {
    expect(errorOf(body)).toBe(error);
  });

  it('refuses abuse by its size before walking it', () => {
    const many = Array.from({ length: ALERTMANAGER_LIMITS.maxAlerts + 1 }, (_, i) =>
      rawAlert({ fingerprint: i.toString(16) }),
    );
    expect(errorOf(rawPayload({ alerts: many }))).toBe('alerts: more than 1000 alerts (1001)');

    const labels = Object.fromEntries(Array.from({ length: 1_000_000 }, (_, i) => [`l${i}`, 'v']));
    const started = performance.now();
    expect(errorOf(rawPayload({ alerts: [rawAlert({ labels })] }))).toBe(
      'alerts[0].labels: more than 64 entries (1000000)',
    );
    expect(performance.now() - started).toBeLessThan(5_000);

    const long = 'x'.repeat(ALERTMANAGER_LIMITS.maxLabelValueLength + 1);
    expect(errorOf(rawPayload({ alerts: [rawAlert({ labels: { a: long } })] }))).toBe(
      'alerts[0].labels.a: longer than 1024 characters',
    );
    const longName = 'n'.repeat(ALERTMANAGER_LIMITS.maxNameLength + 1);
    expect(errorOf(rawPayload({ commonAnnotations: { [longName]: 'v' } }))).toBe(
      `commonAnnotations["${'n'.repeat(40)}…"]: name longer than 128 characters`,
    );
    const prose = 'p'.repeat(ALERTMANAGER_LIMITS.maxAnnotationValueLength);
    expect(parseAlertmanagerPayload(rawPayload({ commonAnnotations: { d: prose } })).ok).toBe(true);
    expect(errorOf(rawPayload({ commonAnnotations: { d: `${prose}p` } }))).toBe(
      'commonAnnotations.d: longer than 4096 characters',
    );
    expect(errorOf(rawPayload({ groupKey: 'k'.repeat(5000) }))).toBe(
      'groupKey: longer than 4096 characters',
    );
  });

  it('never throws on hostile values', () => {
    const cyclic: Record<string, unknown> = rawPayload();
    cyclic['alerts'] = [Object.assign(rawAlert(), { labels: cyclic })];
    const hostile: unknown[] = [
      undefined,
      0,
      Symbol('x'),
      Object.create(null),
      cyclic,
      rawPayload({ alerts: [rawAlert({ annotations: Object.create(null) })] }),
      JSON.parse('{"__proto__": {"polluted": true}, "version": "4"}'),
    ];
    for (const body of hostile) expect(() => parseAlertmanagerPayload(body)).not.toThrow();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2023-02-06T13:08:45Z', '2023-02-06T13:08:45.000Z'],
    ['2023-02-06t13:08:45.1z', '2023-02-06T13:08:45.100Z'],
    ['2023-02-06T13:08:45.999999999-02:30', '2023-02-06T15:38:45.999Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'],
    ['0001-01-01T00:00:00Z', null],
    ['0001-01-01T00:00:00+00:00', null],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2023-02-29T00:00:00Z', undefined],
    ['2023-13-01T00:00:00Z', undefined],
    ['2023-02-06T13:08:45', undefined],
    ['2023-02-06T13:08:45.Z', undefined],
    ['1675688925', undefined],
  ])('reads %j as %j', (text, time) => {
    expect(parseRfc3339(text)).toBe(time);
  });
});

describe('formatFieldPath', () => {
  it('writes paths as JSON reads them', () => {
    expect(formatFieldPath([])).toBe('payload');
    expect(formatFieldPath(['alerts', 2, 'labels', 'a-b'])).toBe('alerts[2].labels["a-b"]');
  });
});
