import { defaultHealthSettings } from '../health/settings.ts';
import type { HotspotRanker } from '../health/change-health.ts';
import { defaultReviewConfig } from './settings.ts';
import type { ReviewRunConfig } from './settings.ts';
import { GitError } from '../revision/errors.ts';
import type { RevisionReader } from '../revision/reader.ts';
import type { ModelClient } from '../llm/model-call.ts';
import { fileChanges } from '../diff/review-file.ts';
import type { ReviewFile } from '../diff/review-file.ts';
import { filterFiles } from './filter.ts';
import { parseGitDiff } from '../diff/git-diff.ts';
import { emptyReview } from './result.ts';
import type { ReviewResult } from './result.ts';

/** What `steward review` reports, in every format; `--format json` prints it as it is. */
export interface LocalReview extends ReviewResult {
  /** How the base was chosen. */
  baseFrom: 'given' | 'upstream' | 'default-branch';
}

export interface LocalReviewOptions {
  /** The repository, opened by the face (src/git's openGitRevisionReader). */
  reader: RevisionReader;
  /** Ranks the changed files among the hotspots before the change; absent: no ranks. */
  rank?: HotspotRanker;
  /**
   * Default: the current branch's upstream (unless it is the branch's own copy on the remote),
   * else the default branch (origin/HEAD, main, master).
   */
  base?: string;
  /** Default: HEAD. */
  head?: string;
  /** Default: the defaults of `.github/steward.yml`. */
  config?: ReviewRunConfig;
  /** The model to review with; null or absent runs the offline review. */
  model?: ModelClient | null;
  /** Why this is an offline review, for the report; default: no ANTHROPIC_API_KEY. */
  offlineReason?: string;
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

/**
 * The review of a local change: what `head` adds since its merge base with `base`. The code-health
 * delta gives findings with no model and no key; with a model client, its findings join them.
 */
export async function reviewLocal(options: LocalReviewOptions): Promise<LocalReview> {
  const { reader } = options;
  const head = options.head ?? 'HEAD';
  const chosen = options.base
    ? { ref: options.base, from: 'given' as const }
    : await defaultBase(reader);
  const [baseSha, headSha] = await Promise.all([
    reader.resolveCommit(chosen.ref, '--base'),
    reader.resolveCommit(head, '--head'),
  ]);
  const config = options.config ?? {
    review: defaultReviewConfig(),
    hotspots: defaultHealthSettings(),
  };
  const empty: LocalReview = {
    ...emptyReview({
      base: chosen.ref,
      head,
      baseSha,
      headSha,
      model: options.model?.model ?? null,
      reason: options.offlineReason ?? 'no ANTHROPIC_API_KEY',
    }),
    baseFrom: chosen.from,
  };

  const diff = await reader.diff(`${baseSha}...${headSha}`);
  const files = parseGitDiff(diff);
  if (files.length === 0) return empty;
  // The parsers and the review proper load only when there is a change to review: a run with
  // nothing to do answers in a fraction of the time.
  const [{ runHealthDelta }, { reviewChange }] = await Promise.all([
    import('../health/change-health.ts'),
    import('./review-change.ts'),
  ]);
  const { reviewed, skipped } = filterFiles(files, {
    include: config.review.include,
    exclude: config.review.exclude,
  });

  const { report } = await runHealthDelta({
    reader,
    base: baseSha,
    head: headSha,
    config: config.hotspots,
    ...(options.rank ? { rank: options.rank } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // Suggestions are verified and context cut from the head texts; the offline review needs none.
  const contents = options.model ? await readTexts(reader, headSha, reviewed) : new Map();
  const review = await reviewChange({
    reviewed,
    skipped,
    changes: fileChanges(files),
    contents,
    health: report.files,
    settings: config.review,
    healthFloor: config.hotspots.healthFloor,
    model: options.model ?? null,
    offlineReason: empty.reason ?? '',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { ...empty, ...review, mergeBaseSha: report.mergeBase };
}

/** Head texts of the files still present, through one git cat-file process. */
async function readTexts(
  reader: RevisionReader,
  headSha: string,
  files: readonly ReviewFile[],
): Promise<Map<string, string>> {
  const present = files.filter((f) => f.status !== 'removed' && !f.binary);
  const texts = new Map<string, string>();
  let index = 0;
  for await (const blob of reader.readBlobs(present.map((f) => `${headSha}:${f.path}`))) {
    texts.set(present[index++]!.path, blob.content.toString('utf8'));
  }
  return texts;
}

/** The upstream of the current branch, else the default branch. */
export async function defaultBase(
  reader: RevisionReader,
): Promise<{ ref: string; from: 'upstream' | 'default-branch' }> {
  const upstream = await reader.fullRefName('@{upstream}');
  const branch = await reader.symbolicRef('HEAD');
  // A branch pushed with `-u` tracks its own copy on the remote: diffing against it shows only
  // unpushed commits, not the change. Such an upstream is passed over for the default branch.
  const ownCopy =
    upstream !== null &&
    branch?.startsWith('refs/heads/') === true &&
    upstream.startsWith('refs/remotes/') &&
    upstream.endsWith(`/${shortName(branch)}`) &&
    shortName(branch) !== defaultBranchName(await reader.symbolicRef('refs/remotes/origin/HEAD'));
  if (upstream && !ownCopy) return { ref: shortName(upstream), from: 'upstream' };
  for (const candidate of ['refs/remotes/origin/HEAD', 'refs/heads/main', 'refs/heads/master']) {
    const found = await reader.fullRefName(candidate);
    if (found) return { ref: shortName(found), from: 'default-branch' };
  }
  throw new NoReviewBaseError(reader.repository.root);
}

/** "main" for refs/remotes/origin/main; null when there is no origin/HEAD. */
function defaultBranchName(ref: string | null): string | null {
  return ref === null ? null : ref.replace(/^refs\/remotes\/[^/]+\//, '');
}

function shortName(ref: string): string {
  return ref.replace(/^refs\/(heads|remotes)\//, '');
}
