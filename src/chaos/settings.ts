import { z } from 'zod';
import { describeValue, quote } from '../settings/describe-value.ts';
import {
  expecting,
  flag,
  nonEmptyString,
  numberIn,
  rejectValue,
  strictMap,
} from '../settings/kit.ts';

/** The `chaos:` section of `.github/steward.yml`, declared beside the code it steers. */

/** One service-level objective a Chaos Mesh experiment is judged by, through Prometheus. */
export interface ChaosSlo {
  /** How the SLO is named in the summary. */
  name: string;
  /** The PromQL expression, evaluated over the experiment's window (`query_range`). */
  query: string;
  /** Every value over the window must be at most this; null when there is no upper bound. */
  max: number | null;
  /** Every value over the window must be at least this; null when there is no lower bound. */
  min: number | null;
}

export interface ChaosConfig {
  /** The workflow file under .github/workflows that `/steward chaos` dispatches. */
  workflow: string;
  /** When true, a failed experiment on the default branch opens or updates an incident issue. */
  incident: boolean;
  /** Prometheus's base URL (no trailing slash) for judging Chaos Mesh experiments; null turns judging off. */
  prometheusUrl: string | null;
  /** The SLOs a Chaos Mesh experiment must hold over its window. */
  slo: ChaosSlo[];
  /** The resolution of the range queries in seconds; null picks one from the window's length. */
  stepSeconds: number | null;
}

export const CHAOS_DEFAULTS = { workflow: 'chaos.yml', incident: true } as const;

/** A workflow file name under .github/workflows: no directory, no `..`, a .yml or .yaml name. */
const workflowFile = nonEmptyString.regex(/^[\w.-]+\.ya?ml$/, {
  error: (issue) =>
    `expected a workflow file name under .github/workflows such as chaos.yml, got ${quote(String(issue.input))}`,
});

const URL_EXAMPLE = 'http://prometheus.monitoring:9090';

/** Prometheus's base URL: http or https, no credentials (headers carry those), no query or fragment. */
const prometheusUrl = z
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
        'the Prometheus URL must not carry a user name or password (this file is public to the repository); remove them and pass credentials to the face instead',
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

const bound = (which: 'max' | 'min') =>
  numberIn(
    `a number the SLO's values must stay ${which === 'max' ? 'at or below' : 'at or above'}`,
    Number.isFinite,
  ).optional();

const sloSchema = strictMap('chaos.slo[]', {
  name: z
    .string(expecting('a name for the SLO such as p99-latency'))
    .trim()
    .min(1, { error: 'must not be empty; name the SLO, such as p99-latency' }),
  query: z
    .string(expecting('a PromQL query such as histogram_quantile(0.99, …)'))
    .trim()
    .min(1, { error: 'must not be empty; write the PromQL query the SLO bounds' }),
  max: bound('max'),
  min: bound('min'),
}).transform((v, ctx): ChaosSlo => {
  if (v.max === undefined && v.min === undefined)
    return rejectValue(
      ctx,
      v,
      `the SLO ${quote(v.name)} has neither max nor min; add max: (values must stay at or below it) or min: (at or above it)`,
    );
  if (v.max !== undefined && v.min !== undefined && v.min > v.max)
    return rejectValue(
      ctx,
      v,
      `the SLO ${quote(v.name)} has min ${v.min} above max ${v.max}, so no value could hold it; swap them`,
    );
  return { name: v.name, query: v.query, max: v.max ?? null, min: v.min ?? null };
});

const sloList = z
  .array(sloSchema, expecting('a list of SLOs, each with name, query and max or min'))
  .transform((list, ctx) => {
    const seen = new Set<string>();
    for (const [index, slo] of list.entries()) {
      if (seen.has(slo.name))
        ctx.addIssue({
          code: 'custom',
          input: slo.name,
          path: [index, 'name'],
          message: `the SLO name ${quote(slo.name)} is used twice; give each SLO its own name`,
        });
      seen.add(slo.name);
    }
    return list;
  });

/** Prometheus's duration units, in seconds. */
const STEP_UNITS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};

/** The most a step may be: a step longer than a day would judge a whole experiment by one sample. */
const MAX_STEP_SECONDS = 86_400;

/** `30s`, `1m30s`, `500ms` (Prometheus's own duration format) or a number of seconds. */
export function parseStepSeconds(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const part = /(\d+)(ms|s|m|h|d|w)/gy;
  let seconds = 0;
  let matched = 0;
  for (let match = part.exec(text); match !== null; match = part.exec(text)) {
    seconds += Number(match[1]) * STEP_UNITS[match[2]!]!;
    matched = part.lastIndex;
  }
  return matched === text.length && text !== '' ? seconds : null;
}

const STEP_WHAT = `a step such as 30s, 1m or 15 (seconds), above 0 and at most 1d`;

const stepSetting = z
  .union([z.string(), z.number()], {
    error: (issue) => `expected ${STEP_WHAT}, got ${describeValue(issue.input)}`,
  })
  .nullable()
  .transform((input, ctx): number | null => {
    if (input === null) return null;
    const seconds = parseStepSeconds(input);
    if (seconds === null || !(seconds > 0) || seconds > MAX_STEP_SECONDS)
      return rejectValue(
        ctx,
        input,
        `expected ${STEP_WHAT}, got ${typeof input === 'number' ? input : quote(input)}`,
      );
    return seconds;
  });

export const chaosSettings = strictMap('chaos', {
  workflow: workflowFile.default(CHAOS_DEFAULTS.workflow).meta({
    description:
      'The workflow file under .github/workflows that `/steward chaos` on a pull request dispatches.',
  }),
  incident: flag(CHAOS_DEFAULTS.incident).meta({
    description:
      'When true, a failed experiment on the default branch opens or updates an incident issue (keyed by experiment and target).',
  }),
  prometheus: prometheusUrl.default(null).meta({
    description:
      "Prometheus's base URL (http or https, no credentials): Chaos Mesh experiments are judged by the `slo` queries over their window through its HTTP API. Null turns judging off.",
  }),
  slo: sloList
    .default(() => [])
    .meta({
      description:
        'The SLOs a Chaos Mesh experiment must hold over its window: each `{name, query, max?, min?}`, a PromQL query whose every value must stay at or below max and at or above min. No data is no verdict, never a pass.',
    }),
  step: stepSetting.default(null).meta({
    description:
      'The resolution of the SLO range queries (`30s`, `1m`, or seconds); null picks one from the window, at most 500 points.',
  }),
})
  .transform((v): ChaosConfig => ({
    workflow: v.workflow,
    incident: v.incident,
    prometheusUrl: v.prometheus,
    slo: v.slo,
    stepSeconds: v.step,
  }))
  .prefault({});

/** The chaos settings of a repository that sets none (a fresh copy each call). */
export function defaultChaosConfig(): ChaosConfig {
  return chaosSettings.parse(undefined);
}
