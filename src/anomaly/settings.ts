import { z } from 'zod';
import { quote } from '../settings/describe-value.ts';
import { durationHoursSetting } from '../settings/duration-setting.ts';
import { expecting, flag, got, numberIn, oneOf, rejectValue, strictMap } from '../settings/kit.ts';
import { promStepSetting, prometheusUrlSetting } from '../settings/prometheus.ts';
import { parseQuantity } from './quantity.ts';
import { DETECTOR_NAMES, type DetectorName, type Direction } from './types.ts';

/** The `anomaly:` section of `.github/steward.yml`, declared beside the code it steers. */

/** One series the anomaly watch reads from Prometheus. */
export interface AnomalySeries {
  /** Names the series in incidents, charts and capacity rules: letters, digits, `.`, `_`, `-`. */
  name: string;
  /** The PromQL query; it must answer one series (a query answering several is an error). */
  query: string;
  /** The resolution of the range query, in seconds. */
  stepSeconds: number;
  /** Which way a departure matters: a latency only up, free disk only down. */
  direction: Direction;
  /** A limit the series must not reach (disk size, max connections): a forecast is made against it. */
  limit: number | null;
  /** The series is a counter: it is judged on its rate, and resets are not anomalies. */
  counter: boolean;
  /** This series' detector; the section's `detector` when null. */
  detector: DetectorName | null;
}

/** A manifest field raised when a series' forecast reaches its limit within the horizon. */
export interface CapacityRule {
  /** The name of a series with a `limit`. */
  series: string;
  /** The manifest, relative to the repository's root. */
  file: string;
  /** The YAML path of the field, such as `spec.replicas` or `spec.template.spec.containers[0].resources.limits.memory`. */
  path: string;
  /**
   * Which document of a multi-document file (0-based, empty documents not counted); null for a
   * file of one document.
   */
  document: number | null;
  /**
   * The field never goes below min nor above max; each change adds `step`. In base units: the
   * config may write Kubernetes quantities ("10Gi" is 10737418240 bytes, "500m" is 0.5 cores).
   */
  min: number;
  max: number;
  step: number;
}

export interface AnomalyConfig {
  /** Prometheus's base URL (no trailing slash); null: the face must be given one. */
  prometheusUrl: string | null;
  /** How much history each run reads (the watch is stateless: it rereads this window). */
  rangeMs: number;
  /** How far ahead a forecast looks for the limit. */
  horizonMs: number;
  /** The detector of every series that names none. */
  detector: DetectorName;
  /** When true, an anomalous series opens or updates its incident issue, and resolves it once normal. */
  incident: boolean;
  series: AnomalySeries[];
  capacity: CapacityRule[];
}

export const ANOMALY_DEFAULTS = {
  rangeHours: 7 * 24,
  horizonHours: 14 * 24,
  stepSeconds: 300,
  detector: 'default',
} as const;

const HOUR_MS = 3_600_000;

/** A series name: it keys the incident and titles the chart, so plain characters only. */
const SERIES_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const seriesName = z.string(expecting('a series name such as api-latency')).regex(SERIES_NAME, {
  error: (issue) =>
    `expected a series name of letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit), got ${quote(String(issue.input))}`,
});

const detectorName = oneOf(DETECTOR_NAMES);

const seriesSchema = strictMap('anomaly.series[]', {
  name: seriesName,
  query: z
    .string(expecting('a PromQL query such as sum(rate(http_requests_total[5m]))'))
    .trim()
    .min(1, { error: 'must not be empty; write the PromQL query of the series' }),
  step: promStepSetting.default(ANOMALY_DEFAULTS.stepSeconds),
  direction: oneOf(['up', 'down', 'both']).default('both'),
  limit: numberIn('a finite number the series must not reach, or null', Number.isFinite)
    .nullable()
    .default(null),
  counter: flag(false),
  detector: detectorName.nullable().default(null),
}).transform((v): AnomalySeries => ({
  name: v.name,
  query: v.query,
  stepSeconds: v.step ?? ANOMALY_DEFAULTS.stepSeconds,
  direction: v.direction,
  limit: v.limit,
  counter: v.counter,
  detector: v.detector,
}));

/** A file under .github/workflows (however spelled: `./`, doubled slashes, any case). */
export function isWorkflowFile(file: string): boolean {
  const segments = file.split('/').filter((s) => s !== '' && s !== '.');
  return (
    segments.length > 2 &&
    segments[0]!.toLowerCase() === '.github' &&
    segments[1]!.toLowerCase() === 'workflows'
  );
}

/** A repository-relative file: no leading `/`, no `..`, no backslash. */
const manifestFile = z
  .string(expecting('a manifest path in the repository such as deploy/api.yaml'))
  .trim()
  .refine(
    (p) => p !== '' && !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..'),
    {
      error: (issue) =>
        `expected a path inside the repository such as deploy/api.yaml (no leading /, no ..), got ${quote(String(issue.input))}`,
    },
  )
  .refine((p) => /\.ya?ml$/.test(p), {
    error: (issue) => `expected a YAML manifest (.yaml or .yml), got ${quote(String(issue.input))}`,
  })
  .refine((p) => !isWorkflowFile(p), {
    error: (issue) =>
      `expected a manifest, got the workflow file ${quote(String(issue.input))}: Steward's token cannot change workflows, and a workflow holds no capacity`,
  });

/** `spec.replicas`, `spec.template.spec.containers[0].resources.limits.cpu`, `metadata.labels["app.kubernetes.io/name"]`. */
const YAML_PATH = /^(?:[A-Za-z_][\w-]*|\["[^"\\]+"\])(?:\.[A-Za-z_][\w-]*|\[\d+\]|\["[^"\\]+"\])*$/;

const yamlPath = z
  .string(expecting('a YAML path such as spec.replicas'))
  .trim()
  .regex(YAML_PATH, {
    error: (issue) =>
      `expected a YAML path such as spec.replicas or spec.template.spec.containers[0].resources.limits.cpu, got ${quote(String(issue.input))}`,
  });

/** A number, or a Kubernetes quantity ("10Gi", "500m") read as one in base units. */
function capacityAmount(what: string, check: (value: number) => boolean) {
  const expected = `expected ${what}: a number or a Kubernetes quantity such as 10Gi or 500m`;
  return z
    .union([z.number(), z.string()], { error: (issue) => `${expected}, got ${got(issue.input)}` })
    .transform((value, ctx) => {
      const amount =
        typeof value === 'number' ? value : (parseQuantity(value)?.value ?? Number.NaN);
      if (!Number.isFinite(amount) || !check(amount))
        return rejectValue(ctx, value, `${expected}, got ${got(value)}`);
      return amount;
    });
}

const capacitySchema = strictMap('anomaly.capacity[]', {
  series: seriesName,
  file: manifestFile,
  path: yamlPath,
  document: numberIn('a document index of 0 or more', (n) => Number.isInteger(n) && n >= 0)
    .nullable()
    .default(null),
  min: capacityAmount('a finite amount', Number.isFinite),
  max: capacityAmount('a finite amount', Number.isFinite),
  step: capacityAmount('an amount above 0', (n) => n > 0),
}).transform((v, ctx): CapacityRule => {
  if (v.min > v.max)
    return rejectValue(
      ctx,
      v,
      `the capacity rule for ${quote(v.series)} has min ${v.min} above max ${v.max}; swap them`,
    );
  return {
    series: v.series,
    file: v.file,
    path: v.path,
    document: v.document,
    min: v.min,
    max: v.max,
    step: v.step,
  };
});

export const anomalySettings = strictMap('anomaly', {
  prometheus: prometheusUrlSetting('anomaly.prometheus').default(null).meta({
    description:
      "Prometheus's base URL (http or https, no credentials: the action takes them from secrets). The action's `prometheus-url` input overrides it.",
  }),
  range: durationHoursSetting(
    'How much history each run reads (the watch keeps no state between runs): a duration such as "7 days". Seasonal series need at least two of their seasons.',
  ).default(ANOMALY_DEFAULTS.rangeHours),
  horizon: durationHoursSetting(
    'How far ahead a forecast looks for a series reaching its limit: a duration such as "14 days".',
  ).default(ANOMALY_DEFAULTS.horizonHours),
  detector: detectorName.default(ANOMALY_DEFAULTS.detector).meta({
    description: `The detector of every series that names none: ${DETECTOR_NAMES.join(', ')}.`,
  }),
  incident: flag(true).meta({
    description:
      'When true, an anomalous series opens or updates its incident issue (one per series), and a series back to normal resolves it.',
  }),
  series: z
    .array(seriesSchema, expecting('a list of series, each with name and query'))
    .max(50, { error: 'at most 50 series: each is one query per run' })
    .default(() => []),
  capacity: z
    .array(
      capacitySchema,
      expecting('a list of capacity rules, each with series, file, path, min, max and step'),
    )
    .max(20, { error: 'at most 20 capacity rules' })
    .default(() => []),
})
  .transform((v, ctx): AnomalyConfig => {
    const names = new Map<string, (typeof v.series)[number]>();
    for (const [index, series] of v.series.entries()) {
      if (names.has(series.name))
        ctx.addIssue({
          code: 'custom',
          input: series.name,
          path: ['series', index, 'name'],
          message: `the series name ${quote(series.name)} is used twice; give each series its own name`,
        });
      names.set(series.name, series);
    }
    const targets = new Set<string>();
    for (const [index, rule] of v.capacity.entries()) {
      const series = names.get(rule.series);
      if (series === undefined)
        ctx.addIssue({
          code: 'custom',
          input: rule.series,
          path: ['capacity', index, 'series'],
          message: `no series is named ${quote(rule.series)}; name one of anomaly.series${names.size === 0 ? ' (there are none)' : `: ${[...names.keys()].join(', ')}`}`,
        });
      else if (series.limit === null)
        ctx.addIssue({
          code: 'custom',
          input: rule.series,
          path: ['capacity', index, 'series'],
          message: `the series ${quote(rule.series)} has no limit, so there is no forecast to act on; give it limit:`,
        });
      const target = `${rule.file}#${rule.document ?? 0}#${rule.path}`;
      if (targets.has(target))
        ctx.addIssue({
          code: 'custom',
          input: rule.path,
          path: ['capacity', index, 'path'],
          message: `${rule.file} ${rule.path} is already changed by another capacity rule; one field, one rule`,
        });
      targets.add(target);
    }
    return {
      prometheusUrl: v.prometheus,
      rangeMs: v.range * HOUR_MS,
      horizonMs: v.horizon * HOUR_MS,
      detector: v.detector,
      incident: v.incident,
      series: v.series,
      capacity: v.capacity,
    };
  })
  .prefault({});

/** The anomaly settings of a repository that sets none (a fresh copy each call). */
export function defaultAnomalyConfig(): AnomalyConfig {
  return anomalySettings.parse(undefined);
}
