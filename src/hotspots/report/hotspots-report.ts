import type { Coupling, Smell } from '../types.ts';

/**
 * What `steward hotspots --format json` prints, and what every other format renders. Field names
 * are the documented JSON of issue 3: keep them stable.
 */
export interface HotspotsReport {
  /** The repository as the user named it (a directory or an owner/name). */
  repo: string;
  /** The commit the report describes. */
  head: string;
  /** Start of the history window (ISO date), or null for all of history. */
  since: string | null;
  /** Sorted by score, highest first. */
  files: HotspotEntry[];
  coupling: Coupling[];
}

export interface HotspotEntry {
  path: string;
  /** Commits that changed the file in the window. */
  revisions: number;
  added: number;
  deleted: number;
  /** Distinct authors in the window. */
  authors: number;
  /** Non-blank, non-comment lines at head. */
  loc: number;
  /** Code health 1.0–10.0. */
  health: number;
  /** Change frequency × complexity, normalised; higher is hotter. */
  score: number;
  smells: Smell[];
  functions: HotspotFunction[];
}

export interface HotspotFunction {
  name: string;
  line: number;
  cyclomatic: number;
  cognitive: number;
  nesting: number;
  length: number;
  params: number;
}
