import type { StewardConfig } from '../../src/config/schema.ts';
import { DEFAULT_REOPEN_WINDOW_MS } from '../../src/incidents/incident-state.ts';

/**
 * What the action reads of the config: `chaos.incident` (ChaosConfig, src/chaos/settings.ts) and
 * `incidents.reopen-window` / `incidents.labels` (IncidentsConfig, src/incidents/settings.ts),
 * with their documented defaults while a section is absent from the schema.
 */
export interface ChaosActionSettings {
  /** A failure on the default branch opens or updates an incident issue. */
  incident: boolean;
  reopenWindowMs: number;
  labelNames: readonly string[];
}

export function chaosActionSettings(config: StewardConfig): ChaosActionSettings {
  const sections = config as {
    chaos?: { incident?: boolean };
    incidents?: { reopenWindowMs?: number; labelNames?: readonly string[] };
  };
  return {
    incident: sections.chaos?.incident ?? true,
    reopenWindowMs: sections.incidents?.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS,
    labelNames: sections.incidents?.labelNames ?? [],
  };
}
