import { isAnalysable } from '../health/complexity/languages.ts';
import type { HealthThresholds } from '../health/thresholds.ts';
import type { HotspotsConfig } from '../hotspots/settings.ts';
import type { HotspotsReport } from '../hotspots/types.ts';
import type { RevisionReader } from '../revision/reader.ts';
import { testFilesOf, type ProjectView } from '../testgen/project.ts';
import { chooseTargets, filesToRead } from './choose.ts';
import type { TargetSpec } from './target-spec.ts';
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
  only?: TargetSpec;
  openPullRequestPaths?: ReadonlySet<string>;
  rejectedFingerprints?: ReadonlySet<string>;
  threads?: number;
  onProgress?: (message: string) => void;
  /** chooseTargets and filesToRead unless given (tests). */
  selector?: Selector;
}

/** The selection rules (src/refactor/choose.ts). */
export interface Selector {
  chooseTargets: (input: Parameters<typeof chooseTargets>[0]) => {
    targets: RefactorTarget[];
    skipped: SkippedTarget[];
  };
  filesToRead: typeof filesToRead;
}

const SELECTOR: Selector = { chooseTargets, filesToRead };

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
  const { targets, skipped } = chooseFromReport(run.report, {
    ...input,
    thresholds: input.hotspots.thresholds,
  });
  return { report: run.report, targets, skipped, warnings: run.warnings };
}

/** The selection over a report already made: the texts chooseTargets reads, then its verdict. */
export function chooseFromReport(
  report: HotspotsReport,
  input: Pick<
    RefactorPlanInput,
    'project' | 'config' | 'only' | 'openPullRequestPaths' | 'rejectedFingerprints' | 'selector'
  > & { thresholds?: HealthThresholds },
): { targets: RefactorTarget[]; skipped: SkippedTarget[] } {
  const selector = input.selector ?? SELECTOR;
  const paths = selector.filesToRead(report, input.config, input.only);
  const { texts, testFiles, sources } = selectionTexts(paths, input.project);
  return selector.chooseTargets({
    report,
    texts,
    testFiles,
    sources,
    config: input.config,
    openPullRequestPaths: input.openPullRequestPaths ?? new Set(),
    rejectedFingerprints: input.rejectedFingerprints ?? new Set(),
    ...(input.only ? { only: input.only } : {}),
    ...(input.thresholds ? { thresholds: input.thresholds } : {}),
  });
}

/** The most source files read to follow the tests' imports through (a monorepo's worth). */
export const MAX_SOURCE_FILES = 20_000;

/**
 * The texts selection needs: the files `filesToRead` names (the top hotspot files, and the file
 * `--target` names), every test file of the project, and its other JavaScript and TypeScript
 * sources (to tell which modules a test loads, directly or through a barrel). A file that cannot
 * be read is left out; selection says why it passed it over.
 */
export function selectionTexts(
  paths: readonly string[],
  project: ProjectView,
): {
  texts: Map<string, string>;
  testFiles: Map<string, string>;
  sources: Map<string, string>;
} {
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
  const sources = new Map<string, string>();
  for (const path of project.paths) {
    if (sources.size >= MAX_SOURCE_FILES) break;
    if (texts.has(path) || testFiles.has(path) || !isAnalysable(path)) continue;
    if (path.includes('node_modules/')) continue;
    const text = project.read(path);
    if (text !== null) sources.set(path, text);
  }
  return { texts, testFiles, sources };
}
