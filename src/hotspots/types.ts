import type { Smell } from '../health/types.ts';

/**
 * The data the hotspots engine passes between its parts (code health's own types are in
 * src/health/types.ts). The JSON that
 * `steward hotspots --format json` and `steward health --format json` print is built from these
 * and documented in README.md; keep field names stable.
 */

export interface FileHistory {
  path: string;
  revisions: number;
  added: number;
  deleted: number;
  authors: number;
  /** ISO dates of the first and last change in the window. */
  firstChange: string;
  lastChange: string;
}

export interface Coupling {
  a: string;
  b: string;
  shared: number;
  /** shared revisions ÷ average revisions of the pair (code-maat), 0–1. */
  degree: number;
}

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
  /** Of those, the bug fixes (hotspots.bug-fix rule). */
  fixes: number;
  added: number;
  deleted: number;
  /** Distinct authors in the window. */
  authors: number;
  /** Non-blank, non-comment lines at head. */
  loc: number;
  /** Code health 1.0–10.0. */
  health: number;
  /** 0–100, the hottest file 100 (see score.ts); higher is where fixes are likelier next. */
  score: number;
  /**
   * What the score is made of: (changes + fixes + coupling) × size × health, before
   * normalisation. changes and fixes are commits weighted by age; size and health are factors.
   */
  contributions: {
    changes: number;
    fixes: number;
    coupling: number;
    size: number;
    health: number;
  };
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
