// CONTRACT STUB (owner r-choose)
import type { HotspotsReport } from '../hotspots/types.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorTarget, SkippedTarget } from './types.ts';

export interface ChooseInput {
  report: HotspotsReport;
  texts: ReadonlyMap<string, string>;
  testFiles: ReadonlyMap<string, string>;
  config: RefactorConfig;
  openPullRequestPaths: ReadonlySet<string>;
  rejectedFingerprints: ReadonlySet<string>;
  only?: { path: string; function?: string };
}

export function filesToRead(
  _report: HotspotsReport,
  _config: RefactorConfig,
  _only?: { path: string; function?: string },
): string[] {
  throw new Error('not integrated');
}

export function chooseTargets(_input: ChooseInput): {
  targets: RefactorTarget[];
  skipped: SkippedTarget[];
} {
  throw new Error('not integrated');
}
