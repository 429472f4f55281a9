import { z } from 'zod';
import { appSettings } from '../commands/settings.ts';
import type { AppConfig } from '../commands/settings.ts';
import { chaosSettings } from '../chaos/settings.ts';
import type { ChaosConfig } from '../chaos/settings.ts';
import { anomalySettings } from '../anomaly/settings.ts';
import type { AnomalyConfig } from '../anomaly/settings.ts';
import { autoMergeSettings } from '../automerge/settings.ts';
import type { AutoMergeConfig } from '../automerge/settings.ts';
import { hotspotsSettings } from '../hotspots/settings.ts';
import type { HotspotsConfig } from '../hotspots/settings.ts';
import { incidentsSettings } from '../incidents/settings.ts';
import type { IncidentsConfig } from '../incidents/settings.ts';
import { mutationSettings } from '../mutation/settings.ts';
import type { MutationConfig } from '../mutation/settings.ts';
import { refactorSettings } from '../refactor/settings.ts';
import type { RefactorConfig } from '../refactor/settings.ts';
import { reviewSettings } from '../review/settings.ts';
import { testGenSettings } from '../testgen/settings.ts';
import type { TestGenConfig } from '../testgen/settings.ts';
import type { ReviewConfig } from '../review/settings.ts';
import { expecting, section, strictMap } from '../settings/kit.ts';

/**
 * The schema of `.github/steward.yml`, composed of the sections each capability declares beside
 * its code (src/<capability>/settings.ts). Every map is strict, so a misspelt key is an error with
 * a suggestion rather than a setting silently ignored. `_extends` is read by the loader (which
 * follows it before validating); here it is only accepted, so a file that extends another checks.
 */

export interface StewardConfig {
  review: ReviewConfig;
  testGen: TestGenConfig;
  mutation: MutationConfig;
  autoMerge: AutoMergeConfig;
  hotspots: HotspotsConfig;
  refactor: RefactorConfig;
  incidents: IncidentsConfig;
  chaos: ChaosConfig;
  anomaly: AnomalyConfig;
  app: AppConfig;
}

export const stewardConfigSchema = strictMap('', {
  review: section(reviewSettings),
  'test-gen': section(testGenSettings),
  mutation: section(mutationSettings),
  'auto-merge': section(autoMergeSettings),
  hotspots: section(hotspotsSettings),
  refactor: section(refactorSettings),
  incidents: section(incidentsSettings),
  chaos: section(chaosSettings),
  anomaly: section(anomalySettings),
  app: section(appSettings),
  _extends: z
    .string(expecting('a repository to extend, such as .github or acme/shared:steward.yml'))
    .optional()
    .meta({
      description:
        'Another config this one builds on: `repo`, `owner/repo`, `repo:path.yml` or `.github` (the organisation’s `.github` repository). Its settings apply where this file sets nothing.',
    }),
}).transform((v): StewardConfig => ({
  review: v.review,
  testGen: v['test-gen'],
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
