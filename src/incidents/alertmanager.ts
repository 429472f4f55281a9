import { z } from 'zod';

/**
 * Alertmanager's webhook payload, version "4" (notify/webhook/webhook.go, template/template.go at
 * v0.34.0). Alertmanager does not sign its bodies and whoever holds the token can post anything,
 * so every field is checked and bounded here: a payload is refused with the path of the first
 * field that is wrong (`alerts[2].startsAt: expected an RFC 3339 time`), never half-read.
 */

/** Bounds that no honest Alertmanager reaches (its `max_alerts` cuts a group down beforehand). */
export const ALERTMANAGER_LIMITS = {
  /** Alerts in one notification. */
  maxAlerts: 1000,
  /** Entries in one label or annotation map. */
  maxEntries: 64,
  /** Length of a label or annotation name. */
  maxNameLength: 128,
  /** Length of a label value. */
  maxLabelValueLength: 1024,
  /** Length of an annotation value (descriptions are prose). */
  maxAnnotationValueLength: 4096,
  /** Length of groupKey, receiver, URLs and the other single strings. */
  maxStringLength: 4096,
} as const;

const L = ALERTMANAGER_LIMITS;

/** Go's zero time, which Alertmanager writes for "no end yet". */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 time as an ISO string in UTC with milliseconds, `null` for Go's zero time (any time
 * in year 1, the way Go marshals `time.Time{}` in any zone), `undefined` when it is not one.
 */
export function parseRfc3339(text: string): string | null | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = m;
  if (year === '0001') return null;
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31)
    return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) return undefined;
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const leap = second === '60' ? '59' : second; // a leap second counts as the one before it
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${leap}${millis}${zone!.toUpperCase()}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 31 February over into March: refuse a day the month does not have.
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (check.getUTCDate() !== Number(day)) return undefined;
  return new Date(ms).toISOString();
}

const TIME_ERROR = 'expected an RFC 3339 time';

function boundedString(max: number) {
  return z
    .string({ error: 'expected a string' })
    .max(max, { error: `longer than ${max} characters` });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A map of strings to strings (labels, annotations), its size checked before its entries are, so
 * a map of a million keys is refused without walking it.
 */
function stringMap(maxValueLength: number) {
  return z
    .custom<Record<string, unknown>>(isPlainObject, { error: 'expected an object of strings' })
    .check((ctx) => {
      const count = Object.keys(ctx.value).length;
      if (count > L.maxEntries)
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `more than ${L.maxEntries} entries (${count})`,
        });
    })
    .pipe(
      z.record(
        z
          .string()
          .min(1, { error: 'empty name' })
          .max(L.maxNameLength, { error: `name longer than ${L.maxNameLength} characters` }),
        boundedString(maxValueLength),
      ),
    );
}

const labels = () => stringMap(L.maxLabelValueLength);
const annotations = () => stringMap(L.maxAnnotationValueLength);

const requiredTime = boundedString(64).transform((text, ctx) => {
  const time = parseRfc3339(text);
  if (time === undefined || time === null) {
    ctx.issues.push({
      code: 'custom',
      input: text,
      message: time === null ? `${TIME_ERROR}, not the zero time` : TIME_ERROR,
    });
    return z.NEVER;
  }
  return time;
});

const optionalTime = boundedString(64).transform((text, ctx) => {
  const time = parseRfc3339(text);
  if (time === undefined) {
    ctx.issues.push({ code: 'custom', input: text, message: TIME_ERROR });
    return z.NEVER;
  }
  return time;
});

const status = z.enum(['firing', 'resolved'], { error: 'expected "firing" or "resolved"' });

const alertSchema = z.object(
  {
    status,
    labels: labels(),
    annotations: annotations().optional().default({}),
    startsAt: requiredTime,
    endsAt: optionalTime.nullish().transform((time) => time ?? null),
    generatorURL: boundedString(L.maxStringLength).optional().default(''),
    fingerprint: z
      .string({ error: 'expected a string' })
      .regex(/^[0-9a-fA-F]{1,64}$/, { error: 'expected a hexadecimal fingerprint' })
      .transform((fp) => fp.toLowerCase()),
  },
  { error: 'expected an object' },
);

const alertsSchema = z
  .custom<unknown[]>(Array.isArray, { error: 'expected an array' })
  .check((ctx) => {
    if (ctx.value.length > L.maxAlerts)
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `more than ${L.maxAlerts} alerts (${ctx.value.length})`,
      });
  })
  .pipe(z.array(alertSchema))
  .check((ctx) => {
    const seen = new Map<string, number>();
    ctx.value.forEach((alert, index) => {
      const first = seen.get(alert.fingerprint);
      if (first !== undefined)
        ctx.issues.push({
          code: 'custom',
          input: alert.fingerprint,
          path: [index, 'fingerprint'],
          message: `the same fingerprint as alerts[${first}]`,
        });
      else seen.set(alert.fingerprint, index);
    });
  });

export const alertmanagerPayloadSchema = z.object(
  {
    version: z.literal('4', { error: 'expected "4"' }),
    groupKey: boundedString(L.maxStringLength).min(1, { error: 'expected a non-empty string' }),
    truncatedAlerts: z
      .number({ error: 'expected a number' })
      .int({ error: 'expected a whole number' })
      .min(0, { error: 'expected a whole number from 0' })
      .optional()
      .default(0),
    status,
    receiver: boundedString(L.maxStringLength),
    groupLabels: labels(),
    commonLabels: labels(),
    commonAnnotations: annotations(),
    externalURL: boundedString(L.maxStringLength),
    alerts: alertsSchema,
    /** v0.32.0 and later. */
    notification_reason: boundedString(L.maxStringLength).optional(),
    /** v0.34.0 and later, not documented yet. */
    routeLabels: labels().optional(),
  },
  { error: 'expected a JSON object' },
);

export type AlertmanagerPayload = z.output<typeof alertmanagerPayloadSchema>;
export type AlertmanagerAlert = AlertmanagerPayload['alerts'][number];

export type ParsePayloadResult =
  { ok: true; payload: AlertmanagerPayload } | { ok: false; error: string };

/** A path as it reads in JSON: `alerts[2].labels["odd key"]`; long keys are cut. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(shown)
        ? `${out === '' ? '' : '.'}${shown}`
        : `[${JSON.stringify(shown)}]`;
    }
  }
  return out === '' ? 'payload' : out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const part of path) {
    if (typeof here !== 'object' || here === null || !Object.hasOwn(here, part)) return undefined;
    here = (here as Record<PropertyKey, unknown>)[part];
  }
  return here;
}

/**
 * Checks a decoded webhook body. Never throws; the error names the first field that is wrong and
 * what was expected there. Unknown fields are dropped.
 */
export function parseAlertmanagerPayload(body: unknown): ParsePayloadResult {
  const result = alertmanagerPayloadSchema.safeParse(body);
  if (result.success) return { ok: true, payload: result.data };
  let issue = result.error.issues[0]!;
  // A map key that fails its own check comes wrapped, with the key's problem inside.
  if (issue.code === 'invalid_key' && issue.issues[0] !== undefined)
    issue = { ...issue.issues[0], path: issue.path } as typeof issue;
  const missing = issue.path.length > 0 && valueAt(body, issue.path) === undefined;
  return {
    ok: false,
    error: `${formatFieldPath(issue.path)}: ${missing ? 'missing' : issue.message}`,
  };
}
