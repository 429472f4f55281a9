import { configFromText } from '../config/load.ts';
import type { HotspotsConfig } from '../config/schema.ts';
import { GitError } from '../git/errors.ts';
import { runGit, streamGit } from '../git/process.ts';
import { inspectRepository } from '../git/repository.ts';
import type { FileHealthDelta } from '../hotspots/health/delta.ts';
import { runHealthDelta } from '../hotspots/run-health.ts';
import { anchorFindings } from './anchor.ts';
import type { AnchoredFinding } from './anchor.ts';
import { filterFiles } from './filter.ts';
import type { SkippedFile } from './filter.ts';
import { parseGitDiff } from './git-diff.ts';
import { healthFindings } from './health-findings.ts';
import type { ReviewFinding } from './health-findings.ts';

/** What `steward review` reports, in every format; `--format json` prints it as it is. */
export interface LocalReview {
  base: string;
  head: string;
  /** The revisions as resolved (SHAs), and how the base was chosen. */
  baseSha: string;
  headSha: string;
  baseFrom: 'given' | 'upstream' | 'default-branch';
  /** True when the diff is empty: there is nothing to review. */
  nothingToReview: boolean;
  findings: ReviewFinding[];
  offDiff: (ReviewFinding & { offDiffReason?: string })[];
  skipped: SkippedFile[];
  health: { files: FileHealthDelta[] };
  usage: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
  mode: 'offline';
  /** Why the review ran without a model. */
  reason: string;
}

export interface LocalReviewOptions {
  repoDir: string;
  /**
   * Default: the current branch's upstream (unless it is the branch's own copy on the remote),
   * else the default branch (origin/HEAD, main, master).
   */
  base?: string;
  /** Default: HEAD. */
  head?: string;
  /** Default: the defaults of `.github/steward.yml`. */
  hotspots?: Pick<HotspotsConfig, 'thresholds' | 'exclude' | 'healthFloor'>;
  /** Why this is an offline review, for the report; default: no ANTHROPIC_API_KEY. */
  reason?: string;
  threads?: number;
  onProgress?: (message: string) => void;
}

/** No base was given and none could be guessed. */
export class NoReviewBaseError extends GitError {
  constructor(dir: string) {
    super(
      `${dir}: no base to review against: the current branch has no upstream, and neither origin/HEAD, main nor master exists.`,
      dir,
      'Pass the revision to compare with: `steward review --base <branch|tag|sha>`.',
    );
    this.name = 'NoReviewBaseError';
  }
}

// The diff format parseGitDiff reads, whatever the user's diff settings or external tools.
const DIFF_ARGS = [
  '-c',
  'core.quotePath=true',
  'diff',
  '--no-ext-diff',
  '--no-color',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '-M',
] as const;

/**
 * The offline review of a local change: what `head` adds since its merge base with `base`, with
 * the code-health delta as findings. Needs no model and no key.
 */
export async function reviewLocal(options: LocalReviewOptions): Promise<LocalReview> {
  const { root } = await inspectRepository(options.repoDir);
  const head = options.head ?? 'HEAD';
  const chosen = options.base
    ? { ref: options.base, from: 'given' as const }
    : await defaultBase(root);
  const [baseSha, headSha] = await Promise.all([
    resolveCommit(root, chosen.ref, '--base'),
    resolveCommit(root, head, '--head'),
  ]);
  const hotspots = options.hotspots ?? configFromText(null).hotspots;
  const review: LocalReview = {
    base: chosen.ref,
    head,
    baseSha,
    headSha,
    baseFrom: chosen.from,
    nothingToReview: false,
    findings: [],
    offDiff: [],
    skipped: [],
    health: { files: [] },
    usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    mode: 'offline',
    reason: options.reason ?? 'no ANTHROPIC_API_KEY',
  };

  const diff = await readDiff(root, `${baseSha}...${headSha}`);
  const files = parseGitDiff(diff);
  if (files.length === 0) return { ...review, nothingToReview: true };
  const { reviewed, skipped } = filterFiles(files);
  review.skipped = skipped;
  const reviewedPaths = new Set(reviewed.map((f) => f.path));

  const { report } = await runHealthDelta({
    repoDir: root,
    base: baseSha,
    head: headSha,
    config: hotspots,
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const healthFiles = report.files.filter((f) => reviewedPaths.has(f.path));
  review.health = { files: healthFiles };
  const findings = healthFindings(healthFiles, { healthFloor: hotspots.healthFloor });
  // Health findings carry no suggestions, so anchoring needs no file contents to verify them.
  const anchored = anchorFindings(findings, reviewed);
  review.findings = anchored.inline.map(withSource);
  review.offDiff = anchored.offDiff.map(withSource);
  return review;
}

function withSource(finding: AnchoredFinding): ReviewFinding {
  const { source } = finding as AnchoredFinding & { source?: ReviewFinding['source'] };
  return { ...finding, source: source ?? 'health' };
}

/** The diff as text; streamed from git, so a large diff never meets a buffer limit. */
async function readDiff(root: string, range: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamGit([...DIFF_ARGS, range], { cwd: root })) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function tryResolve(root: string, ref: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', '--symbolic-full-name', ref],
    { cwd: root, acceptExitCodes: [0, 1, 128] },
  );
  return exitCode === 0 && stdout.trim() ? stdout.trim() : null;
}

/** What a symbolic ref points at (refs/heads/feature for HEAD); null when detached or absent. */
async function symbolicRef(root: string, ref: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(['symbolic-ref', '-q', ref], {
    cwd: root,
    acceptExitCodes: [0, 1, 128],
  });
  return exitCode === 0 && stdout.trim() ? stdout.trim() : null;
}

/** The upstream of the current branch, else the default branch. */
async function defaultBase(
  root: string,
): Promise<{ ref: string; from: 'upstream' | 'default-branch' }> {
  const upstream = await tryResolve(root, '@{upstream}');
  const branch = await symbolicRef(root, 'HEAD');
  // A branch pushed with `-u` tracks its own copy on the remote: diffing against it shows only
  // unpushed commits, not the change. Such an upstream is passed over for the default branch.
  const ownCopy =
    upstream !== null &&
    branch?.startsWith('refs/heads/') === true &&
    upstream.startsWith('refs/remotes/') &&
    upstream.endsWith(`/${shortName(branch)}`) &&
    shortName(branch) !== defaultBranchName(await symbolicRef(root, 'refs/remotes/origin/HEAD'));
  if (upstream && !ownCopy) return { ref: shortName(upstream), from: 'upstream' };
  for (const candidate of ['refs/remotes/origin/HEAD', 'refs/heads/main', 'refs/heads/master']) {
    const found = await tryResolve(root, candidate);
    if (found) return { ref: shortName(found), from: 'default-branch' };
  }
  throw new NoReviewBaseError(root);
}

/** "main" for refs/remotes/origin/main; null when there is no origin/HEAD. */
function defaultBranchName(ref: string | null): string | null {
  return ref === null ? null : ref.replace(/^refs\/remotes\/[^/]+\//, '');
}

function shortName(ref: string): string {
  return ref.replace(/^refs\/(heads|remotes)\//, '');
}

async function resolveCommit(root: string, ref: string, option: string): Promise<string> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    { cwd: root, acceptExitCodes: [0, 1, 128] },
  );
  if (exitCode !== 0) {
    throw new GitError(
      `"${ref}" is not a commit in ${root}.`,
      root,
      `Pass a branch, tag or SHA that exists locally as ${option} (git fetch it first).`,
    );
  }
  return stdout.trim();
}
