// CONTRACT STUB (owner r-choose): the signatures of r-choose's choose.ts as the faces use them.
import type { HealthThresholds } from '../health/thresholds.ts';
import type { HotspotsReport } from '../hotspots/types.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorTarget, SkippedTarget } from './types.ts';

/** `--target PATH[:FUNCTION]`, `/steward refactor PATH[:FUNCTION]`, the action's `target` input. */
export interface TargetSpec {
  path: string;
  function?: string;
}

export interface ChooseInput {
  report: HotspotsReport;
  /** The texts of the files `filesToRead` names (the report's top files), by path. */
  texts: ReadonlyMap<string, string>;
  /** Path → text of the repository's test files. */
  testFiles: ReadonlyMap<string, string>;
  config: RefactorConfig;
  openPullRequestPaths: ReadonlySet<string>;
  rejectedFingerprints: ReadonlySet<string>;
  only?: TargetSpec;
  thresholds?: HealthThresholds;
}

export interface TargetChoice {
  targets: RefactorTarget[];
  skipped: SkippedTarget[];
  capped: RefactorTarget[];
}

/** Reads `PATH[:FUNCTION]`; the path must stay inside the repository. */
export function parseTargetSpec(
  text: string,
): { ok: true; target: TargetSpec } | { ok: false; message: string } {
  // The stub splits at the last colon; r-choose's file (testgen's parseFileSpec) replaces it.
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return { ok: true, target: { path: text } };
  return { ok: true, target: { path: text.slice(0, colon), function: text.slice(colon + 1) } };
}

export function filesToRead(
  report: HotspotsReport,
  config: RefactorConfig,
  only?: TargetSpec,
): string[] {
  void report;
  void config;
  void only;
  throw new Error('not integrated');
}

export function chooseTargets(input: ChooseInput): TargetChoice {
  void input;
  throw new Error('not integrated');
}
