import type { HotspotsConfig } from '../hotspots/settings.ts';
import type { HotspotsReport } from '../hotspots/types.ts';
import type { RevisionReader } from '../revision/reader.ts';
import { testFilesOf, type ProjectView } from '../testgen/project.ts';
import { chooseTargets, type ChooseInput } from './choose.ts';
import type { RefactorConfig } from './settings.ts';
import type { RefactorTarget, SkippedTarget } from './types.ts';

/**
 * What to refactor, for either face: the hotspots of the repository's history (src/hotspots), the
 * texts of the top files and of the test files from the checkout, and the selection rules of
 * chooseTargets. The faces pass the open pull requests' paths and the rejected fingerprints (from
 * GitHub) when they have them; the CLI has none.
 */

export interface RefactorPlanInput {
  reader: RevisionReader;
  /** The checkout as the proofs see it: HEAD's files, read from the working tree. */
  project: ProjectView;
  config: RefactorConfig;
  hotspots: HotspotsConfig;
  /** Start of the history window; null for all of history. */
  since: Date | null;
  repoLabel: string;
  /** `--target PATH[:FUNCTION]`. */
  only?: { path: string; function?: string };
  openPullRequestPaths?: ReadonlySet<string>;
  rejectedFingerprints?: ReadonlySet<string>;
  threads?: number;
  onProgress?: (message: string) => void;
  /** chooseTargets unless given (tests). */
  choose?: (input: ChooseInput) => { targets: RefactorTarget[]; skipped: SkippedTarget[] };
}

export interface RefactorPlan {
  report: HotspotsReport;
  targets: RefactorTarget[];
  skipped: SkippedTarget[];
  /** The history's warnings (a shallow clone, missing objects), for the face to show. */
  warnings: { message: string; hint: string }[];
}

export async function planRefactor(input: RefactorPlanInput): Promise<RefactorPlan> {
  // The history miner and the parser load only when a plan is made.
  const { runHotspots } = await import('../hotspots/run-hotspots.ts');
  const run = await runHotspots({
    reader: input.reader,
    since: input.since,
    config: input.hotspots,
    repoLabel: input.repoLabel,
    ...(input.threads === undefined ? {} : { threads: input.threads }),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  return { report: run.report, ...chooseFromReport(run.report, input), warnings: run.warnings };
}

/** The selection over a report already made: the texts chooseTargets reads, then its verdict. */
export function chooseFromReport(
  report: HotspotsReport,
  input: Pick<
    RefactorPlanInput,
    'project' | 'config' | 'only' | 'openPullRequestPaths' | 'rejectedFingerprints' | 'choose'
  >,
): { targets: RefactorTarget[]; skipped: SkippedTarget[] } {
  const { texts, testFiles } = selectionTexts(report, input.project, input.config, input.only);
  const choose = input.choose ?? chooseTargets;
  return choose({
    report,
    texts,
    testFiles,
    config: input.config,
    openPullRequestPaths: input.openPullRequestPaths ?? new Set(),
    rejectedFingerprints: input.rejectedFingerprints ?? new Set(),
    ...(input.only ? { only: input.only } : {}),
  });
}

/**
 * The texts selection needs: the top `topFiles` hotspot files (and the file `--target` names,
 * wherever it ranks), and every test file of the project (to tell which modules a test imports).
 * A file that cannot be read is left out; selection says why it passed it over.
 */
export function selectionTexts(
  report: HotspotsReport,
  project: ProjectView,
  config: Pick<RefactorConfig, 'topFiles'>,
  only?: { path: string },
): { texts: Map<string, string>; testFiles: Map<string, string> } {
  const paths = report.files.slice(0, Math.max(0, config.topFiles)).map((file) => file.path);
  if (only !== undefined && !paths.includes(only.path)) paths.push(only.path);
  const texts = new Map<string, string>();
  for (const path of paths) {
    const text = project.read(path);
    if (text !== null) texts.set(path, text);
  }
  const testFiles = new Map<string, string>();
  for (const path of testFilesOf(project)) {
    const text = project.read(path);
    if (text !== null) testFiles.set(path, text);
  }
  return { texts, testFiles };
}
