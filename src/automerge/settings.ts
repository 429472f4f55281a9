import { z } from 'zod';
import type { MergeMethod } from '../github/client.ts';
import { quote } from '../settings/describe-value.ts';
import { durationHoursSetting } from '../settings/duration-setting.ts';
import { expecting, flag, oneOf, stringList, strictMap } from '../settings/kit.ts';
import { UPDATE_TYPES, type UpdateType } from './update-type.ts';

/** The `auto-merge:` section of `.github/steward.yml`, declared beside the code it steers. */

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

const updateTypeList = z.array(
  oneOf(UPDATE_TYPES),
  expecting(`a list of update types (${UPDATE_TYPES.join(', ')})`),
);

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

const releaseAgeSchema = durationHoursSetting(
  'How old a release must be before it is merged: a duration such as "3 days", or a number of hours.',
);

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

export const autoMergeSettings = strictMap('auto-merge', {
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
