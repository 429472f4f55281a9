// CONTRACT STUB (owner r-choose)
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
  /** `--target PATH[:FUNCTION]`. */
  only?: { path: string; function?: string };
}

export function chooseTargets(input: ChooseInput): {
  targets: RefactorTarget[];
  skipped: SkippedTarget[];
} {
  void input;
  throw new Error('not integrated');
}

/** `src/a.ts:fn` → { path: 'src/a.ts', function: 'fn' }; `src/a.ts` → { path: 'src/a.ts' }. */
export function parseTargetSpec(spec: string): { path: string; function?: string } {
  // The stub splits at the last colon, as the contract's example reads; r-choose's file replaces it.
  const colon = spec.lastIndexOf(':');
  return colon <= 0
    ? { path: spec }
    : { path: spec.slice(0, colon), function: spec.slice(colon + 1) };
}
