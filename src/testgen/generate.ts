import type { CallUsage, ModelClient } from '../llm/model-call.ts';
import type { TestFileFormatter } from './formatter.ts';
import type { DeliveryReport, PatchFile } from './patch.ts';
import type { ProjectView } from './project.ts';
import type { OfflineMode, TestGenConfig } from './settings.ts';
import type { TestRunPort } from './test-runner.ts';
import type {
  CandidateVerdict,
  Funnel,
  TestCandidate,
  TestFramework,
  TestTarget,
} from './types.ts';

/**
 * Test generation from end to end, for every face: for each target (best first), the context,
 * candidates from Claude or from the types (offline), inserted by syntax tree into the test file,
 * through the filter chain, one retry with the failures fed back, the dropped tests taken out
 * again, the file formatted. What comes out is the test files with only the kept tests in them and
 * the report the pull request body and the CLI show. Nothing here writes to the repository or to
 * GitHub; the faces do, from the result.
 */

export interface GenerationPorts {
  /** The head revision's files (the checkout). */
  project: ProjectView;
  /** Runs a framework's candidate test files (src/testrun's `createTestRunPort` in production). */
  testRunner(framework: TestFramework): TestRunPort;
  formatter: TestFileFormatter;
  /** Claude through the shared client; null when there is no key or the run is offline. */
  model: ModelClient | null;
  /** Where each target is, for a progress line or the job log. */
  progress?: ((event: GenerationProgress) => void) | undefined;
}

export interface GenerationProgress {
  /** 1-based position of the target, of `total`. */
  index: number;
  total: number;
  target: TestTarget;
  step: 'proposing' | 'offline' | 'checking' | 'retrying' | 'done';
}

export interface GenerationRequest {
  /** Best first (targets.ts ranks them); each gets its own candidates and chain. */
  targets: readonly TestTarget[];
  config: TestGenConfig;
  /** Derive property tests from the types (see {@link usesOffline}). */
  offline: boolean;
  /** A fresh seed per chain run; random by default. */
  nextSeed?: (() => number) | undefined;
}

/** One candidate and what became of it. */
export interface CandidateReport {
  name: string;
  kind: TestCandidate['kind'];
  origin: TestCandidate['origin'];
  /** 1: the first proposal; 2: the retry with the failures fed back. */
  round: 1 | 2;
  verdict: CandidateVerdict;
}

export interface TargetReport {
  target: TestTarget;
  framework: TestFramework;
  /** The test file its tests went (or would have gone) into. */
  testPath: string;
  funnel: Funnel;
  candidates: CandidateReport[];
  /** Why it got fewer candidates than it could: the model unavailable, over budget, an offline skip. */
  notes: string[];
}

export interface GenerationResult {
  /** Summed over every target and both rounds. */
  funnel: Funnel;
  /** The test files holding the kept tests (formatted), one per path; empty when none was kept. */
  files: PatchFile[];
  /** What the pull request body and the CLI report: the funnel, the kept tests, the possible bugs. */
  report: DeliveryReport;
  targets: TargetReport[];
  /** The model's usage summed over the run; null when no call was made. */
  usage: CallUsage | null;
  /** What the user should hear about the run as a whole (the model stopped, the cost cap was met). */
  notices: string[];
}

/**
 * Whether the run derives property tests from types: `--offline` forces it, `always` adds them
 * beside the model's, `auto` uses them only when there is no model, `never` not at all.
 */
export function usesOffline(mode: OfflineMode, hasModel: boolean, forced = false): boolean {
  if (forced) return true;
  if (mode === 'always') return true;
  return mode === 'auto' && !hasModel;
}

export async function generateTests(
  request: GenerationRequest,
  ports: GenerationPorts,
): Promise<GenerationResult> {
  void request;
  void ports;
  throw new Error('not built yet');
}
