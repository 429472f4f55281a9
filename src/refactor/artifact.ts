import { z } from 'zod';
import { analyseSource } from '../health/complexity/analyse.ts';
import { DEFAULT_THRESHOLDS, type HealthThresholds } from '../health/thresholds.ts';
import type { FunctionMetrics } from '../health/types.ts';
import { checkRefactoredText } from './apply.ts';
import { fingerprintAt } from './fingerprint.ts';
import { compareHealth } from './health-proof.ts';
import type { HealthComparison, ProofStep, RefactorTarget, TargetOutcome } from './types.ts';

/**
 * The file the propose job hands the deliver job: one proven refactoring, as JSON. The deliver job
 * holds the write token and runs no repository code; the propose job ran the repository's tests and
 * the model's answer, so whatever wrote this file may be hostile. `checkArtifact` believes nothing
 * in it that it can check itself: the shape and sizes, a path that stays inside the repository and
 * names a source file, `after` differing from `before` only in that one function and helpers beside
 * it (the same checker applyProposal uses), the function's place and fingerprint found again in
 * `before`, and the health measures computed again here. What it cannot check (that the proofs ran)
 * it requires to be claimed in full, and shows as the propose job's log.
 */

export const ARTIFACT_VERSION = 1;

/** The whole artifact's characters, and each text's in it: larger is refused unread. */
export const ARTIFACT_MAX_CHARS = 2_500_000;
export const SOURCE_MAX_CHARS = 1_000_000;

/** The proofs a delivered refactoring must claim to have passed (mutation only when configured). */
export const REQUIRED_PROOFS = ['apply', 'health', 'api', 'types', 'tests'] as const;

const SOURCE_EXTENSIONS = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

const proofStep = z.strictObject({
  name: z.enum(['apply', 'health', 'api', 'types', 'tests', 'mutation']),
  ok: z.boolean(),
  detail: z.string().max(2_000),
  durationMs: z.number().finite().nonnegative().max(86_400_000),
});

const artifactSchema = z.strictObject({
  version: z.literal(ARTIFACT_VERSION),
  baseSha: z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'a full commit SHA'),
  path: z.string().min(1).max(300),
  function: z.string().min(1).max(200),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, '16 hex digits'),
  before: z.string().max(SOURCE_MAX_CHARS),
  after: z.string().max(SOURCE_MAX_CHARS),
  proposal: z.strictObject({
    rationale: z.string().max(4_000),
    techniques: z.array(z.string().min(1).max(100)).max(10),
  }),
  proofs: z.array(proofStep).min(1).max(20),
  /** The target as the propose job chose it: only its rank and revisions are taken (for display). */
  target: z.looseObject({
    path: z.string(),
    function: z.string(),
    hotspotRank: z.number().int().min(1).max(100_000),
    revisions: z.number().int().min(0).max(10_000_000),
  }),
});

export type RefactorArtifact = Omit<z.input<typeof artifactSchema>, 'target'> & {
  target: RefactorTarget;
};

/** A proven refactoring as the propose job writes it. */
export function renderArtifact(
  outcome: Extract<TargetOutcome, { kind: 'proven' }>,
  baseSha: string,
): string {
  const artifact: RefactorArtifact = {
    version: ARTIFACT_VERSION,
    baseSha,
    path: outcome.target.path,
    function: outcome.target.function,
    fingerprint: outcome.target.fingerprint,
    before: outcome.before,
    after: outcome.after,
    proposal: {
      rationale: outcome.proposal.rationale,
      techniques: [...outcome.proposal.techniques],
    },
    proofs: outcome.proofs,
    target: outcome.target,
  };
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

/** What the deliver job works from: everything in it checked or computed here. */
export interface DeliverableRefactoring {
  baseSha: string;
  path: string;
  function: string;
  before: string;
  after: string;
  /** Found again in `before`, with the fingerprint computed again and the measures recomputed. */
  target: RefactorTarget;
  health: HealthComparison;
  proposal: { rationale: string; techniques: string[] };
  proofs: ProofStep[];
}

export type ArtifactCheck =
  | { ok: true; artifact: DeliverableRefactoring; health: HealthComparison }
  | { ok: false; problems: string[] };

/** An artifact checkArtifact accepted: what deliverRefactor takes. */
export type CheckedRefactorArtifact = Extract<ArtifactCheck, { ok: true }>;

/**
 * The checks the artifact is held to that other modules own: `checkRefactoredText` from apply.ts,
 * `compareHealth` from health-proof.ts with the thresholds and min-health-gain bound, and
 * `fingerprintAt` from fingerprint.ts (what chooseTargets gives a target). Tests hand in their own.
 */
export interface ArtifactCheckers {
  checkRefactoredText(
    before: string,
    after: string,
    target: RefactorTarget,
  ): { ok: true } | { ok: false; reason: string };
  compareHealth(
    path: string,
    before: string,
    after: string,
    target: RefactorTarget,
  ): { ok: boolean; detail: string; comparison: HealthComparison };
  fingerprintAt(
    path: string,
    name: string,
    fileText: string,
    line: number,
    endLine: number,
  ): string;
}

export interface ArtifactCheckOptions {
  /** The repository's `refactor.min-health-gain` (default 0.5). */
  minHealthGain?: number;
  /** The repository's health thresholds (default the built-in ones). */
  thresholds?: Readonly<HealthThresholds>;
  /** The checkers, when not the modules' own. */
  checkers?: ArtifactCheckers;
}

/** min-health-gain when the face passes none (REFACTOR_DEFAULTS's). */
export const DEFAULT_MIN_HEALTH_GAIN = 0.5;

export function defaultCheckers(
  thresholds: Readonly<HealthThresholds> = DEFAULT_THRESHOLDS,
  minHealthGain = DEFAULT_MIN_HEALTH_GAIN,
): ArtifactCheckers {
  return {
    checkRefactoredText,
    compareHealth: (path, before, after, target) =>
      compareHealth(path, before, after, target, thresholds, minHealthGain),
    fingerprintAt,
  };
}

export function checkArtifact(text: string, options: ArtifactCheckOptions = {}): ArtifactCheck {
  const checkers = options.checkers ?? defaultCheckers(options.thresholds, options.minHealthGain);
  const refuse = (...problems: string[]): ArtifactCheck => ({ ok: false, problems });
  if (text.length > ARTIFACT_MAX_CHARS)
    return refuse(`the artifact is larger than ${ARTIFACT_MAX_CHARS} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse('the artifact is not JSON');
  }
  const parsed = artifactSchema.safeParse(json);
  if (!parsed.success) {
    return refuse(
      ...parsed.error.issues
        .slice(0, 10)
        .map((i) => `${i.path.join('.') || 'artifact'}: ${i.message}`),
    );
  }
  const a = parsed.data;
  const pathProblem = unsafePath(a.path);
  if (pathProblem) return refuse(`path ${JSON.stringify(a.path)}: ${pathProblem}`);
  if (!/^[A-Za-z_$#][\w$]*(?:\.[A-Za-z_$#][\w$]*)?$/.test(a.function))
    return refuse(`function ${JSON.stringify(a.function)}: not a function or Class.method name`);
  if (a.target.path !== a.path || a.target.function !== a.function)
    return refuse('the target names another function than the artifact');
  if (a.after === a.before) return refuse('`after` is the same as `before`: nothing to deliver');

  const missing = REQUIRED_PROOFS.filter((name) => !a.proofs.some((p) => p.name === name));
  if (missing.length > 0) return refuse(`the proofs ${missing.join(', ')} are missing`);
  const failed = a.proofs.filter((p) => !p.ok).map((p) => p.name);
  if (failed.length > 0) return refuse(`the proofs ${failed.join(', ')} did not pass`);

  const found = findFunction(
    a.path,
    a.before,
    a.function,
    (json as { target: { line?: unknown } }).target.line,
  );
  if (typeof found === 'string') return refuse(found);
  const fingerprint = checkers.fingerprintAt(
    a.path,
    a.function,
    a.before,
    found.line,
    found.endLine,
  );
  if (fingerprint !== a.fingerprint)
    return refuse(
      `the fingerprint ${a.fingerprint} is not that of ${a.function} in \`before\` (${fingerprint})`,
    );

  const provisional: RefactorTarget = {
    path: a.path,
    function: a.function,
    line: found.line,
    endLine: found.endLine,
    fingerprint,
    hotspotRank: a.target.hotspotRank,
    revisions: a.target.revisions,
    fileHealth: 0,
    smells: [],
    metrics: found,
  };
  const applied = checkers.checkRefactoredText(a.before, a.after, provisional);
  if (!applied.ok) return refuse(`\`after\` changes more than the function: ${applied.reason}`);
  const health = checkers.compareHealth(a.path, a.before, a.after, provisional);
  if (!health.ok) return refuse(`the health proof does not hold here: ${health.detail}`);
  const before = health.comparison.before;
  const target: RefactorTarget = {
    ...provisional,
    fileHealth: before.fileHealth,
    smells: before.smells.filter((s) => s.function === a.function),
  };
  return {
    ok: true,
    health: health.comparison,
    artifact: {
      baseSha: a.baseSha,
      path: a.path,
      function: a.function,
      before: a.before,
      after: a.after,
      target,
      health: health.comparison,
      proposal: { rationale: a.proposal.rationale, techniques: a.proposal.techniques },
      proofs: a.proofs,
    },
  };
}

/** Why a path is not a repository source file Steward may rewrite, or null when it is. */
function unsafePath(path: string): string | null {
  if (!/^[\w.@+-]+(?:\/[\w.@+-]+)*$/.test(path))
    return 'not a relative path of plain segments (letters, digits, . _ @ + -)';
  const segments = path.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return 'leaves its directory';
  if (segments[0] === '.github' || segments[0] === '.git') return 'is not a source file';
  if (segments.includes('node_modules')) return 'is a dependency';
  if (!SOURCE_EXTENSIONS.test(path) || /\.d\.[mc]?ts$/.test(path))
    return 'is not a TypeScript or JavaScript source file';
  return null;
}

/** The function of that name in `before`; the artifact's line picks one of several of the name. */
function findFunction(
  path: string,
  before: string,
  name: string,
  line: unknown,
): FunctionMetrics | string {
  const analysis = analyseSource(path, before);
  if (analysis.syntaxErrors.length > 0) return '`before` does not parse';
  const named = analysis.functions.filter((f) => f.name === name);
  if (named.length === 0) return `\`before\` has no function ${name}`;
  if (named.length === 1) return named[0]!;
  return (
    named.find((f) => f.line === line) ??
    `\`before\` has ${named.length} functions named ${name} and the artifact names none of them`
  );
}
