import { z } from 'zod';
import { describeValue, quote } from './describe-value.ts';
import type { MergeMethod } from '../github/types.ts';
import { parseCalendarDuration, parseDurationHours } from './duration.ts';
import type { CalendarDuration } from './duration.ts';
import { UPDATE_TYPES, type UpdateType } from '../automerge/update-type.ts';
import { DEFAULT_THRESHOLDS } from '../hotspots/health/thresholds.ts';
import type { HealthThresholds } from '../hotspots/health/thresholds.ts';
import { DEFAULT_MODEL } from '../llm/models.ts';
import { PACK_DEFAULTS } from '../review/model/pack.ts';
import { FOCUS_AREAS, type FocusArea } from '../review/model/types.ts';
import { SEVERITIES, type Severity } from '../review/severity.ts';

/**
 * The schema of `.github/steward.yml`: one section per capability, kebab-case keys in YAML and
 * camelCase fields in the parsed result. Every object is strict, so a misspelt key is an error
 * with a suggestion rather than a setting silently ignored.
 */

export const AUTO_MERGE_MODES = ['merge', 'native'] as const;
export type AutoMergeMode = (typeof AUTO_MERGE_MODES)[number];

export const MERGE_METHODS = [
  'squash',
  'merge',
  'rebase',
] as const satisfies readonly MergeMethod[];

export interface UpdateTypesByKind {
  dependencies: UpdateType[];
  devDependencies: UpdateType[];
  optionalDependencies: UpdateType[];
  peerDependencies: UpdateType[];
  /** For `@types/*` packages in any kind of dependency. */
  types: UpdateType[];
}

export interface ReviewConfig {
  /** The Anthropic model that reviews pull requests. */
  model: string;
  /** Most model calls one review makes; a diff that needs more is cut, the rest listed unreviewed. */
  maxCalls: number;
  /** Cap in US dollars on the worst-case cost of one review, summed over its calls. */
  maxCostUsd: number;
  /** Estimated input tokens one call may carry: system prompt, instructions and diff. */
  perCallInputTokens: number;
  /** What the model looks for; every area by default, each listed once. */
  focus: FocusArea[];
  /** The project's own instructions added to the model's prompt, trimmed; '' for none. */
  instructions: string;
  /** Path globs to review; empty reviews every file that is not excluded. */
  include: string[];
  /** Path globs never reviewed (on top of lockfiles, generated and vendored files). */
  exclude: string[];
  /** Most inline comments posted on a pull request; 0 posts the summary only. */
  maxComments: number;
  /** The check fails when a finding is at least this severe; null never fails it. */
  failOn: Severity | null;
  /** Whether draft pull requests are reviewed. */
  drafts: boolean;
}

export interface AutoMergeConfig {
  /** Accounts whose pull requests may be merged; every commit must be theirs too. */
  bots: string[];
  /** `merge`: Steward merges itself; `native`: Steward arms GitHub's auto-merge. */
  mode: AutoMergeMode;
  mergeMethod: MergeMethod;
  /** Globs of further manifests and lockfiles a pull request may change (other ecosystems). */
  extraFiles: string[];
  updateTypes: UpdateTypesByKind;
  /** Package-name globs; empty allows every package. */
  allow: string[];
  /** Package-name globs that are never merged, whatever else allows them. */
  deny: string[];
  /** Update types allowed on top of the per-kind lists when the pull request is a security fix. */
  security: { updateTypes: UpdateType[] };
  minimumReleaseAgeHours: number;
  registry: string;
  allowWithoutRequiredChecks: boolean;
  allowSkippedChecks: boolean;
  allowNeutralChecks: boolean;
  /** Label added when Steward declines to merge; null adds none. */
  refusalLabel: string | null;
  commentOnRefusal: boolean;
  /**
   * Branch-name globs besides the default branch that bot pull requests may target; read from the
   * default branch's config only, so a side branch cannot open auto-merge for itself.
   */
  baseBranches: string[];
}

export interface HotspotsConfig {
  /** How far back history is mined: calendar months (and years) plus exact hours. */
  since: CalendarDuration;
  /** Files listed by default, highest hotspot score first. */
  top: number;
  /** Path globs left out of the analysis (vendored, generated code). */
  exclude: string[];
  /** Commits touching more files than this are left out of change coupling (mass renames). */
  maxChangesetSize: number;
  coupling: {
    /** A file must have changed this often to be coupled to anything. */
    minRevisions: number;
    /** A pair must have changed together this often. */
    minShared: number;
    /** Shared revisions ÷ average revisions of the pair, 0–1. */
    minDegree: number;
  };
  thresholds: HealthThresholds;
  /** Files with code health below this are called unhealthy (CodeScene's red is below 4). */
  healthFloor: number;
}

/** A capability whose settings are not defined yet: only `{}` (or nothing) is accepted. */
export type EmptySection = Record<string, never>;

export const APP_REVIEW_MODES = ['off', 'offline', 'model'] as const;
export type AppReviewMode = (typeof APP_REVIEW_MODES)[number];
export const APP_DISPATCH_KINDS = ['workflow', 'repository'] as const;
export type AppDispatchKind = (typeof APP_DISPATCH_KINDS)[number];

/** What the Steward GitHub App does in a repository; the actions and the CLI ignore it. */
export interface AppConfig {
  /**
   * On pull request events: `off` does nothing, `offline` runs the offline review in the app,
   * `model` runs it and also hands the model review to the repository's workflow.
   */
  review: AppReviewMode;
  /** How model reviews reach the workflow: workflow_dispatch or repository_dispatch. */
  dispatch: AppDispatchKind;
  /** The workflow file (under .github/workflows) that workflow_dispatch starts. */
  workflow: string;
  /** The repository_dispatch event type the workflow listens for. */
  eventType: string;
}

export interface StewardConfig {
  review: ReviewConfig;
  testgen: EmptySection;
  mutation: EmptySection;
  autoMerge: AutoMergeConfig;
  hotspots: HotspotsConfig;
  refactor: EmptySection;
  incidents: EmptySection;
  chaos: EmptySection;
  anomaly: EmptySection;
  app: AppConfig;
}

/** Error text for a value of the wrong type or outside a fixed set; other checks keep their own. */
function expecting(what: string) {
  return {
    error: (issue: { code?: string; input?: unknown }) =>
      issue.code === 'invalid_type' || issue.code === 'invalid_value'
        ? `expected ${what}, got ${describeValue(issue.input)}`
        : undefined,
  };
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue: { input?: unknown }) =>
      `expected one of ${values.join(', ')}, got ${
        typeof issue.input === 'string' ? quote(issue.input) : describeValue(issue.input)
      }`,
  });
}

const nonEmptyString = z
  .string(expecting('a string'))
  .min(1, { error: 'must not be empty; remove the empty item' });

const stringList = z.array(nonEmptyString, expecting('a list of strings'));

const updateTypeList = z.array(
  oneOf(UPDATE_TYPES),
  expecting(`a list of update types (${UPDATE_TYPES.join(', ')})`),
);

/**
 * The keys each map accepts, by the YAML path of that map ("" is the top level), so an unknown
 * key can be answered with the nearest known one.
 */
const knownKeys = new Map<string, readonly string[]>();

export function knownKeysAt(path: string): readonly string[] | undefined {
  return knownKeys.get(path);
}

/** The paths of the maps that accept `key` (compared loosely), to say where a stray key belongs. */
export function whereKeyBelongs(key: string): string[] {
  const wanted = key.toLowerCase();
  return [...knownKeys]
    .filter(([, keys]) => keys.some((known) => known.toLowerCase() === wanted))
    .map(([path]) => path);
}

function strictMap<const Shape extends z.ZodRawShape>(path: string, shape: Shape) {
  knownKeys.set(path, Object.keys(shape));
  return z.strictObject(shape, expecting('a map of settings'));
}

/** A section may be left empty (`review:` on its own line) to take every default. */
function section<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema);
}

const ALL_BUT_MAJOR: UpdateType[] = ['patch', 'minor', 'pin', 'digest'];
const updateTypes = (...types: UpdateType[]) => updateTypeList.default(() => [...types]);

const updateTypesSchema = strictMap('auto-merge.update-types', {
  dependencies: updateTypes(...ALL_BUT_MAJOR),
  'dev-dependencies': updateTypes(...ALL_BUT_MAJOR),
  'optional-dependencies': updateTypes(...ALL_BUT_MAJOR),
  'peer-dependencies': updateTypes('patch', 'pin'),
  types: updateTypes(...ALL_BUT_MAJOR),
})
  .transform((v): UpdateTypesByKind => ({
    dependencies: v.dependencies,
    devDependencies: v['dev-dependencies'],
    optionalDependencies: v['optional-dependencies'],
    peerDependencies: v['peer-dependencies'],
    types: v.types,
  }))
  .prefault({});

const securitySchema = strictMap('auto-merge.security', {
  'update-types': updateTypes('patch', 'minor'),
})
  .transform((v): AutoMergeConfig['security'] => ({ updateTypes: v['update-types'] }))
  .prefault({});

const releaseAgeSchema = z.unknown().transform((value, ctx): number => {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `expected a number of hours of 0 or more, got ${value}`,
    });
    return z.NEVER;
  }
  if (typeof value !== 'string') {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `expected a duration such as "3 days" or a number of hours, got ${describeValue(value)}`,
    });
    return z.NEVER;
  }
  const duration = parseDurationHours(value);
  if (duration.ok) return duration.hours;
  ctx.addIssue({
    code: 'custom',
    input: value,
    message: duration.message,
    params: duration.suggestion === undefined ? {} : { suggestion: duration.suggestion },
  });
  return z.NEVER;
});

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'https:' || protocol === 'http:';
}

const registrySchema = z.string(expecting('a URL')).refine(isHttpUrl, {
  error: (issue) =>
    `expected an http(s) URL such as https://registry.npmjs.org, got ${quote(String(issue.input))}`,
});

const refusalLabelSchema = z
  .string(expecting('a label name, or an empty value for no label'))
  .max(50, { error: 'GitHub labels are at most 50 characters' })
  .nullable()
  .transform((label) => (label === null || label.trim() === '' ? null : label));

const flag = (fallback: boolean) => z.boolean(expecting('true or false')).default(fallback);

const autoMergeSchema = strictMap('auto-merge', {
  bots: stringList.default(() => ['renovate[bot]', 'dependabot[bot]']),
  mode: oneOf(AUTO_MERGE_MODES).default('merge'),
  'merge-method': oneOf(MERGE_METHODS).default('squash'),
  'extra-files': stringList.default(() => []),
  'update-types': updateTypesSchema,
  allow: stringList.default(() => []),
  deny: stringList.default(() => []),
  security: securitySchema,
  'minimum-release-age': releaseAgeSchema.default(72),
  registry: registrySchema.default('https://registry.npmjs.org'),
  'allow-without-required-checks': flag(false),
  'allow-skipped-checks': flag(false),
  'allow-neutral-checks': flag(false),
  'refusal-label': refusalLabelSchema.default('steward:not-merged'),
  'comment-on-refusal': flag(true),
  'base-branches': stringList.default(() => []),
})
  .transform((v): AutoMergeConfig => ({
    bots: v.bots,
    mode: v.mode,
    mergeMethod: v['merge-method'],
    extraFiles: v['extra-files'],
    updateTypes: v['update-types'],
    allow: v.allow,
    deny: v.deny,
    security: v.security,
    minimumReleaseAgeHours: v['minimum-release-age'],
    registry: v.registry,
    allowWithoutRequiredChecks: v['allow-without-required-checks'],
    allowSkippedChecks: v['allow-skipped-checks'],
    allowNeutralChecks: v['allow-neutral-checks'],
    refusalLabel: v['refusal-label'],
    commentOnRefusal: v['comment-on-refusal'],
    baseBranches: v['base-branches'],
  }))
  .prefault({});

/** A number as it reads in an error: the value itself, or what kind of thing it was instead. */
function got(input: unknown): string {
  return typeof input === 'number' ? String(input) : describeValue(input);
}

/** A number checked against its range with a single message for every way it can be wrong. */
function numberIn(what: string, check: (value: number) => boolean) {
  const error = (issue: { input?: unknown }) => `expected ${what}, got ${got(issue.input)}`;
  return z.number({ error }).refine(check, { error });
}

/** A whole number of `min` or more: counts of revisions, files, lines, parameters. */
const wholeNumber = (fallback: number, min = 1) =>
  numberIn(`a whole number of ${min} or more`, (n) => Number.isInteger(n) && n >= min).default(
    fallback,
  );

const sinceSchema = z.unknown().transform((value, ctx): CalendarDuration => {
  if (typeof value !== 'string') {
    const bare = typeof value === 'number';
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `expected a duration such as "12 months" or "1 year", got ${bare ? `${value} with no unit` : describeValue(value)}`,
      params: bare ? { suggestion: `${value} months` } : {},
    });
    return z.NEVER;
  }
  const result = parseCalendarDuration(value);
  if (!result.ok) {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: result.message,
      params: result.suggestion === undefined ? {} : { suggestion: result.suggestion },
    });
    return z.NEVER;
  }
  if (result.duration.months === 0 && result.duration.hours === 0) {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `expected a duration longer than 0, such as "12 months", got ${quote(value)}`,
    });
    return z.NEVER;
  }
  return result.duration;
});

/** The share of revisions a pair has in common; "30" is taken for a percentage and corrected. */
const degreeSchema = z.unknown().transform((value, ctx): number => {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  const percent = typeof value === 'number' && value > 1 && value <= 100;
  ctx.addIssue({
    code: 'custom',
    input: value,
    message: `expected a fraction from 0 to 1 such as 0.3, got ${got(value)}${percent ? `; write ${value / 100} for ${value}%` : ''}`,
    params: percent ? { suggestion: String(value / 100) } : {},
  });
  return z.NEVER;
});

const couplingSchema = strictMap('hotspots.coupling', {
  'min-revisions': wholeNumber(5),
  'min-shared': wholeNumber(5),
  'min-degree': degreeSchema.default(0.3),
})
  .transform((v): HotspotsConfig['coupling'] => ({
    minRevisions: v['min-revisions'],
    minShared: v['min-shared'],
    minDegree: v['min-degree'],
  }))
  .prefault({});

const thresholdsSchema = strictMap('hotspots.thresholds', {
  'complex-method': wholeNumber(DEFAULT_THRESHOLDS.complexMethod),
  'large-method': wholeNumber(DEFAULT_THRESHOLDS.largeMethod),
  'deep-nesting': wholeNumber(DEFAULT_THRESHOLDS.deepNesting),
  'bumpy-road': wholeNumber(DEFAULT_THRESHOLDS.bumpyRoad),
  'complex-conditional': wholeNumber(DEFAULT_THRESHOLDS.complexConditional),
  'many-arguments': wholeNumber(DEFAULT_THRESHOLDS.manyArguments, 0),
  'constructor-arguments': wholeNumber(DEFAULT_THRESHOLDS.constructorArguments, 0),
  'large-file': wholeNumber(DEFAULT_THRESHOLDS.largeFile),
  // A mean, so it may have a fraction; below 1 every file with a function would be flagged.
  'overall-complexity': numberIn('a number of 1 or more', (n) => n >= 1).default(
    DEFAULT_THRESHOLDS.overallComplexity,
  ),
  'code-duplication': wholeNumber(DEFAULT_THRESHOLDS.codeDuplication),
})
  .transform((v): HealthThresholds => ({
    complexMethod: v['complex-method'],
    largeMethod: v['large-method'],
    deepNesting: v['deep-nesting'],
    bumpyRoad: v['bumpy-road'],
    complexConditional: v['complex-conditional'],
    manyArguments: v['many-arguments'],
    constructorArguments: v['constructor-arguments'],
    largeFile: v['large-file'],
    overallComplexity: v['overall-complexity'],
    codeDuplication: v['code-duplication'],
  }))
  .prefault({});

const hotspotsSchema = strictMap('hotspots', {
  since: sinceSchema.default(() => ({ months: 12, hours: 0 })),
  top: wholeNumber(20),
  exclude: stringList.default(() => []),
  'max-changeset-size': wholeNumber(30),
  coupling: section(couplingSchema),
  thresholds: section(thresholdsSchema),
  'health-floor': numberIn('a code health from 1 to 10', (n) => n >= 1 && n <= 10).default(4),
})
  .transform((v): HotspotsConfig => ({
    since: v.since,
    top: v.top,
    exclude: v.exclude,
    maxChangesetSize: v['max-changeset-size'],
    coupling: v.coupling,
    thresholds: v.thresholds,
    healthFloor: v['health-floor'],
  }))
  .prefault({});

const modelSchema = z
  .string(expecting(`a model name such as ${DEFAULT_MODEL}`))
  .trim()
  .min(1, { error: `must not be empty; remove the key to use ${DEFAULT_MODEL}` });

const focusSchema = z
  .array(oneOf(FOCUS_AREAS), expecting(`a list of focus areas (${FOCUS_AREAS.join(', ')})`))
  .min(1, {
    error: `list at least one focus area (${FOCUS_AREAS.join(', ')}), or remove the key for all of them`,
  })
  .transform((areas): FocusArea[] => [...new Set(areas)]);

/** An amount written with its currency ("$2", "2 USD", "2 dollars"): the bare number it meant. */
function bareAmount(text: string): number | undefined {
  const match = /^\s*(?:\$|usd)?\s*(\d+(?:\.\d+)?|\.\d+)\s*(?:\$|usd|dollars?)?\s*$/i.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/** US dollars, more than 0; "$2" or "2 USD" is answered with the bare number to write. */
const costSchema = z.unknown().transform((value, ctx): number => {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  const expected = 'expected a number of US dollars greater than 0, such as 1.5';
  const amount = typeof value === 'string' ? bareAmount(value) : undefined;
  const bare = amount !== undefined && amount > 0 ? String(amount) : undefined;
  ctx.addIssue({
    code: 'custom',
    input: value,
    message: `${expected}, got ${got(value)}${bare === undefined ? '' : `; write the bare number ${bare}`}`,
    params: bare === undefined ? {} : { suggestion: bare },
  });
  return z.NEVER;
});

const instructionsSchema = z
  .string(expecting('text, or an empty value for none'))
  .nullable()
  .transform((text) => (text ?? '').trim());

const reviewSchema = strictMap('review', {
  model: modelSchema.default(DEFAULT_MODEL),
  'max-calls': wholeNumber(PACK_DEFAULTS.maxCalls),
  'max-cost-usd': costSchema.default(PACK_DEFAULTS.maxCostUsd),
  'max-input-tokens-per-call': wholeNumber(PACK_DEFAULTS.perCallInputTokens, 4000),
  focus: focusSchema.default(() => [...FOCUS_AREAS]),
  instructions: instructionsSchema.default(''),
  include: stringList.default(() => []),
  exclude: stringList.default(() => []),
  'max-comments': wholeNumber(20, 0),
  'fail-on': oneOf(SEVERITIES).nullable().default(null),
  drafts: flag(false),
})
  .transform((v): ReviewConfig => ({
    model: v.model,
    maxCalls: v['max-calls'],
    maxCostUsd: v['max-cost-usd'],
    perCallInputTokens: v['max-input-tokens-per-call'],
    focus: v.focus,
    instructions: v.instructions,
    include: v.include,
    exclude: v.exclude,
    maxComments: v['max-comments'],
    failOn: v['fail-on'],
    drafts: v.drafts,
  }))
  .prefault({});

/** `off` is a string in YAML 1.2, but people write `false` too: both turn app reviews off. */
const appReviewSchema = z.preprocess(
  (value) => (value === false ? 'off' : value),
  oneOf(APP_REVIEW_MODES),
);

const appSchema = strictMap('app', {
  review: appReviewSchema.default('off'),
  dispatch: oneOf(APP_DISPATCH_KINDS).default('workflow'),
  workflow: nonEmptyString
    .regex(/^[\w.-]+\.ya?ml$/, {
      error: (issue) =>
        `expected a workflow file name under .github/workflows such as steward.yml, got ${quote(String(issue.input))}`,
    })
    .default('steward.yml'),
  'event-type': nonEmptyString
    .max(100, { error: 'GitHub takes repository_dispatch event types of at most 100 characters' })
    .default('steward-review'),
})
  .transform((v): AppConfig => ({
    review: v.review,
    dispatch: v.dispatch,
    workflow: v.workflow,
    eventType: v['event-type'],
  }))
  .prefault({});

/** A capability section with no settings yet; unknown keys in it are still reported. */
function emptySection(name: string) {
  return section(
    strictMap(name, {})
      .transform((): EmptySection => ({}))
      .prefault({}),
  );
}

export const stewardConfigSchema = strictMap('', {
  review: section(reviewSchema),
  testgen: emptySection('testgen'),
  mutation: emptySection('mutation'),
  'auto-merge': section(autoMergeSchema),
  hotspots: section(hotspotsSchema),
  refactor: emptySection('refactor'),
  incidents: emptySection('incidents'),
  chaos: emptySection('chaos'),
  anomaly: emptySection('anomaly'),
  app: section(appSchema),
}).transform((v): StewardConfig => ({
  review: v.review,
  testgen: v.testgen,
  mutation: v.mutation,
  autoMerge: v['auto-merge'],
  hotspots: v.hotspots,
  refactor: v.refactor,
  incidents: v.incidents,
  chaos: v.chaos,
  anomaly: v.anomaly,
  app: v.app,
}));

/** The configuration of a repository without `.github/steward.yml` (a fresh copy each call). */
export function defaultConfig(): StewardConfig {
  return stewardConfigSchema.parse({});
}
