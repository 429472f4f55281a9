import type { StewardConfig } from '../../src/config/schema.ts';

/**
 * What the action reads of the config: `chaos.incident` (ChaosConfig, src/chaos/settings.ts, read
 * structurally with its default while that section is not in the schema) and `incidents:`.
 */
export interface ChaosActionSettings {
  /** A failure on the default branch opens or updates an incident issue. */
  incident: boolean;
  reopenWindowMs: number;
  labelNames: readonly string[];
}

export function chaosActionSettings(config: StewardConfig): ChaosActionSettings {
  const incident = (config as { chaos?: { incident?: unknown } }).chaos?.incident;
  return {
    incident: typeof incident === 'boolean' ? incident : true,
    reopenWindowMs: config.incidents.reopenWindowMs,
    labelNames: config.incidents.labelNames,
  };
}
