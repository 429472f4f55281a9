import type { StewardConfig } from '../../src/config/schema.ts';

/** What the action reads of the config: `chaos.incident` and the `incidents:` section. */
export interface ChaosActionSettings {
  /** A failure on the default branch opens or updates an incident issue. */
  incident: boolean;
  reopenWindowMs: number;
  labelNames: readonly string[];
}

export function chaosActionSettings(config: StewardConfig): ChaosActionSettings {
  return {
    incident: config.chaos.incident,
    reopenWindowMs: config.incidents.reopenWindowMs,
    labelNames: config.incidents.labelNames,
  };
}
