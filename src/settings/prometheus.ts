import { z } from 'zod';
import { describeValue, quote } from './describe-value.ts';
import { expecting, rejectValue } from './kit.ts';

/**
 * The settings of every section that reads Prometheus (`chaos:`, `anomaly:`): its base URL and
 * durations in Prometheus's own format (`30s`, `1m30s`, `7d`), so both answer a wrong value alike.
 */

const URL_EXAMPLE = 'http://prometheus.monitoring:9090';

/** Prometheus's base URL: http or https, no credentials (headers carry those), no query or fragment. */
export function prometheusUrlSetting(key: string) {
  return z
    .string(expecting(`Prometheus's base URL such as ${URL_EXAMPLE}, or null`))
    .nullable()
    .transform((text, ctx): string | null => {
      if (text === null) return null;
      const trimmed = text.trim();
      let url: URL;
      try {
        url = new URL(trimmed);
      } catch {
        return rejectValue(
          ctx,
          text,
          `cannot read ${quote(text)} as a URL; write Prometheus's base URL such as ${URL_EXAMPLE}`,
          /^[\w.-]+(:\d+)?(\/|$)/.test(trimmed) ? `http://${trimmed}` : undefined,
        );
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return rejectValue(
          ctx,
          text,
          `expected an http or https URL for Prometheus such as ${URL_EXAMPLE}, got ${quote(text)}`,
          /^[\w.-]+:\d+(\/|$)/.test(trimmed) ? `http://${trimmed}` : undefined,
        );
      if (url.username !== '' || url.password !== '')
        return rejectValue(
          ctx,
          text,
          `${key} must not carry a user name or password (this file is public to the repository); remove them and pass credentials to the face instead`,
        );
      if (url.search !== '' || url.hash !== '')
        return rejectValue(
          ctx,
          text,
          `expected Prometheus's base URL without a query or fragment, such as ${URL_EXAMPLE}, got ${quote(text)}`,
          `${url.origin}${url.pathname}`.replace(/\/+$/, ''),
        );
      return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    });
}

/** Prometheus's duration units, in seconds. */
const UNITS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** `30s`, `1m30s`, `500ms`, `7d` (Prometheus's own duration format) or a number of seconds. */
export function parsePromDuration(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const part = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let seconds = 0;
  let matched = 0;
  for (let match = part.exec(text); match !== null; match = part.exec(text)) {
    seconds += Number(match[1]) * UNITS[match[2]!]!;
    matched = part.lastIndex;
  }
  return matched === text.length && text !== '' ? seconds : null;
}

/** A Prometheus duration in seconds, above 0 and at most `maxSeconds`; `what` names it in errors. */
export function promDurationSetting(what: string, maxSeconds: number) {
  return z
    .union([z.string(), z.number()], {
      error: (issue) => `expected ${what}, got ${describeValue(issue.input)}`,
    })
    .nullable()
    .transform((input, ctx): number | null => {
      if (input === null) return null;
      const seconds = parsePromDuration(input);
      if (seconds === null || !(seconds > 0) || seconds > maxSeconds)
        return rejectValue(
          ctx,
          input,
          `expected ${what}, got ${typeof input === 'number' ? input : quote(input)}`,
        );
      return seconds;
    });
}

/** The most a query step may be: a step longer than a day judges a day by one sample. */
export const MAX_STEP_SECONDS = 86_400;

/** A range query's step: `30s`, `1m` or seconds, above 0 and at most a day. */
export const promStepSetting = promDurationSetting(
  'a step such as 30s, 1m or 15 (seconds), above 0 and at most 1d',
  MAX_STEP_SECONDS,
);
