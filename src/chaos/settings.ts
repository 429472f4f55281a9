import { z } from 'zod';
import { quote } from '../settings/describe-value.ts';
import { promStepSetting, prometheusUrlSetting } from '../settings/prometheus.ts';
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

export const chaosSettings = strictMap('chaos', {
  workflow: workflowFile.default(CHAOS_DEFAULTS.workflow).meta({
    description:
      'The workflow file under .github/workflows that `/steward chaos` on a pull request dispatches.',
  }),
  incident: flag(CHAOS_DEFAULTS.incident).meta({
    description:
      'When true, a failed experiment on the default branch opens or updates an incident issue (keyed by experiment and target).',
  }),
  prometheus: prometheusUrlSetting('chaos.prometheus').default(null).meta({
    description:
      "Prometheus's base URL (http or https, no credentials): Chaos Mesh experiments are judged by the `slo` queries over their window through its HTTP API. Null turns judging off.",
  }),
  slo: sloList
    .default(() => [])
    .meta({
      description:
        'The SLOs a Chaos Mesh experiment must hold over its window: each `{name, query, max?, min?}`, a PromQL query whose every value must stay at or below max and at or above min. No data is no verdict, never a pass.',
    }),
  step: promStepSetting.default(null).meta({
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
