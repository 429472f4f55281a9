import type { ChaosRead } from './read.ts';
import { readChaosFiles } from './read.ts';
import type { ChaosSummary, ChaosSummaryOptions } from './summary.ts';
import { summariseChaos } from './summary.ts';

export interface ChaosReport extends ChaosSummary {
  read: ChaosRead;
}

/**
 * The use case the faces call (the action's `files:`, `steward chaos report FILE…`, the app's
 * `POST /chaos`): the files' texts in, the objects read and their summary out. Reading the files
 * is the face's job. Chaos Mesh rows take their verdicts from `options.judgements` when given
 * (`judgeChaos` of src/prometheus/judge.ts over the same read, for faces that read first).
 */
export function chaosReport(
  files: readonly { source: string; text: string }[],
  options: ChaosSummaryOptions = {},
): ChaosReport {
  const read = readChaosFiles(files);
  return { ...summariseChaos(read, options), read };
}
