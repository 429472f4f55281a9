// CONTRACT STUB (owner r-choose)
import type { HealthThresholds } from '../health/thresholds.ts';
import type { HotspotsReport } from '../hotspots/types.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorTarget, SkippedTarget } from './types.ts';

export interface ChooseInput {
  report: HotspotsReport;
  /** Source texts of the report's top files. */
  texts: ReadonlyMap<string, string>;
  /** Path → text of the repository's test files. */
  testFiles: ReadonlyMap<string, string>;
  config: RefactorConfig;
  openPullRequestPaths: ReadonlySet<string>;
  rejectedFingerprints: ReadonlySet<string>;
  /** --target PATH[:FUNCTION] */
  only?: TargetSpec;
  /** The smell thresholds (`hotspots.thresholds`); the defaults when left out. */
  thresholds?: HealthThresholds;
}

export interface TargetSpec {
  path: string;
  function?: string;
}

/** The paths whose texts `chooseTargets` reads from `texts`. */
export function filesToRead(
  report: HotspotsReport,
  config: RefactorConfig,
  only?: TargetSpec,
): string[] {
  void [report, config, only];
  throw new Error('not integrated');
}

export function chooseTargets(input: ChooseInput): {
  targets: RefactorTarget[];
  skipped: SkippedTarget[];
} {
  void input;
  throw new Error('not integrated');
}
