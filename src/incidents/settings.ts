import { z } from 'zod';
import { durationHoursSetting } from '../settings/duration-setting.ts';
import { expecting, flag, strictMap } from '../settings/kit.ts';
import { modelSetting } from '../settings/llm.ts';

/** The `incidents:` section of `.github/steward.yml`, declared beside the code it steers. */

export interface IncidentsConfig {
  /** How long after resolving a group that fires again reopens its issue, rather than a new one. */
  reopenWindowMs: number;
  /** How far before the impact started the report looks for merged pull requests and deployments. */
  lookbackMs: number;
  /** Group label names whose values become issue labels `name:value`. */
  labelNames: string[];
  /** With a model key, the report adds a hypothesis citing the changes and alerts it rests on. */
  hypothesis: boolean;
  /** The Anthropic model that writes the hypothesis. */
  model: string;
}

/** Defaults, named so the README and the faces quote the same numbers. */
export const INCIDENTS_DEFAULTS = { reopenWindowHours: 24, lookbackHours: 72 } as const;

const HOUR_MS = 3_600_000;

/** A Prometheus label name, as Alertmanager's group labels are. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const labelNames = z
  .array(
    z
      .string(expecting('a label name such as service'))
      .regex(LABEL_NAME, { error: 'expected a Prometheus label name: letters, digits and _' }),
    expecting('a list of label names such as [service, team]'),
  )
  .max(10, { error: 'at most 10 label names: each becomes an issue label' })
  .default(() => []);

export const incidentsSettings = strictMap('incidents', {
  'reopen-window': durationHoursSetting(
    'How long after an incident resolved a group that fires again reopens its issue (later it opens a new issue linking the old): a duration such as "24 hours".',
  ).default(INCIDENTS_DEFAULTS.reopenWindowHours),
  lookback: durationHoursSetting(
    'How far before the impact started the post-incident report looks for merged pull requests and deployments: a duration such as "3 days".',
  ).default(INCIDENTS_DEFAULTS.lookbackHours),
  'group-labels': labelNames,
  hypothesis: flag(true),
  model: modelSetting,
})
  .transform((v): IncidentsConfig => ({
    reopenWindowMs: v['reopen-window'] * HOUR_MS,
    lookbackMs: v.lookback * HOUR_MS,
    labelNames: v['group-labels'],
    hypothesis: v.hypothesis,
    model: v.model,
  }))
  .prefault({});
