import type { RevisionReader } from '../../revision/reader.ts';
import { createHash } from 'node:crypto';
import { fixCacheFileFor } from '../cache-location.ts';
import { readJsonCache, writeJsonCache } from '../json-cache.ts';
import type { BugFixMatcher, BugFixRule } from './bug-fix.ts';
import { classifyCommits, readFixCommits } from './fix-commits.ts';

/**
 * The bug-fix rule's verdict on each commit message already read, keyed by commit SHA, on disk
 * beside the history cache. A commit's message never changes while its SHA stays the same, so a
 * verdict stays true for as long as the rule does: the cache is keyed by the rule's two patterns,
 * and a changed `hotspots.bug-fix` starts it afresh (the history cache, keyed by git's settings,
 * is kept). A cache under another key or format, or damaged, is ignored and rewritten.
 *
 *   { format, rule, shas: [sha], fixes: [index into shas] }
 */
export const FIX_CACHE_FORMAT = 1;

/** Beyond this many commits, a save keeps only the commits the run used. */
const MAX_COMMITS = 500_000;
/**
 * Up to this many commits missing from the cache have their messages read one by one; more than
 * that, and the window is walked in full as without a cache.
 */
const MAX_PICKED_COMMITS = 2000;

interface StoredFixCache {
  format: number;
  rule: string;
  shas: string[];
  fixes: number[];
}

export class FixCache {
  readonly file: string;
  private readonly rule: string;
  private verdicts: Map<string, boolean>;
  private dirty = false;

  private constructor(file: string, rule: string, stored: StoredFixCache | null) {
    this.file = file;
    this.rule = rule;
    this.verdicts = new Map(stored?.shas.map((sha) => [sha, false]));
    for (const index of stored?.fixes ?? []) this.verdicts.set(stored!.shas[index]!, true);
  }

  /** Loads the cache for this rule, or starts empty when it is missing, damaged or for another rule. */
  static async load(file: string, rule: BugFixRule): Promise<FixCache> {
    const key = ruleKey(rule);
    const stored = await readJsonCache(file);
    return new FixCache(file, key, isValid(stored, key) ? stored : null);
  }

  get size(): number {
    return this.verdicts.size;
  }

  /** Whether the rule calls the commit a fix; undefined when its message was never read. */
  verdict(sha: string): boolean | undefined {
    return this.verdicts.get(sha);
  }

  put(sha: string, isFix: boolean): void {
    if (this.verdicts.get(sha) === isFix) return;
    this.verdicts.set(sha, isFix);
    this.dirty = true;
  }

  /** Writes the cache (atomically) if it changed; past MAX_COMMITS, only the commits in `used`. */
  async save(used: Iterable<string>): Promise<void> {
    if (!this.dirty) return;
    if (this.verdicts.size > MAX_COMMITS) {
      const kept = new Set(used);
      for (const sha of this.verdicts.keys()) if (!kept.has(sha)) this.verdicts.delete(sha);
    }
    const shas = [...this.verdicts.keys()];
    const stored: StoredFixCache = {
      format: FIX_CACHE_FORMAT,
      rule: this.rule,
      shas,
      fixes: shas.flatMap((sha, index) => (this.verdicts.get(sha) ? [index] : [])),
    };
    await writeJsonCache(this.file, stored);
    this.dirty = false;
  }
}

export interface FixCacheUse {
  /** Verdicts taken from the cache. */
  reused: number;
  /** Messages git printed in this run. */
  read: number;
  /** Whether the window was walked in full (no usable cache, or too much missing from it). */
  full: boolean;
}

export interface CachedFixCommitsOptions {
  /** The newest commit of the window. */
  rev: string;
  /** Only commits with a commit date at or after this; null for all of history. */
  since: Date | null;
  /**
   * The commits whose verdicts are wanted (the mined history's commit list). Awaited only when the
   * cache has verdicts: without them, the window is walked at once, beside the mining.
   */
  commits: PromiseLike<readonly string[]>;
  signal?: AbortSignal | undefined;
  onCacheUse?: (use: FixCacheUse) => void;
}

/**
 * The commits the rule calls fixes, reading only the messages the fix cache lacks. Among
 * `commits`, the answer is the same as readFixCommits over the window: with an empty cache (or a
 * changed rule) it is that walk; otherwise each commit's verdict comes from the cache or from its
 * message, read now. Commits outside `commits` may be left out.
 */
export async function cachedFixCommits(
  reader: RevisionReader,
  matcher: BugFixMatcher,
  options: CachedFixCommitsOptions,
): Promise<Set<string>> {
  const { signal } = options;
  // Not awaited when the window is walked: its failure is the caller's to report, not unhandled.
  const listed = Promise.resolve(options.commits);
  listed.catch(() => undefined);
  const cache = await FixCache.load(await fixCacheFileFor(reader), matcher.rule);
  const walk = async (): Promise<Set<string>> => {
    const walked: string[] = [];
    const fixes = await readFixCommits(reader, matcher, {
      rev: options.rev,
      since: options.since,
      signal,
      onCommit: (sha, isFix) => {
        walked.push(sha);
        cache.put(sha, isFix);
      },
    });
    await cache.save(walked);
    options.onCacheUse?.({ reused: 0, read: walked.length, full: true });
    return fixes;
  };
  if (cache.size === 0) return walk();
  const commits = await listed;
  const missing = commits.filter((sha) => cache.verdict(sha) === undefined);
  if (missing.length > MAX_PICKED_COMMITS) return walk();
  await classifyCommits(reader, matcher, missing, (sha, isFix) => cache.put(sha, isFix), signal);
  const fixes = new Set<string>();
  for (const sha of commits) {
    const verdict = cache.verdict(sha);
    // git printed no message for a commit the history listed: never seen, but not worth a wrong answer.
    if (verdict === undefined) throw new Error(`git log printed no message for commit ${sha}`);
    if (verdict) fixes.add(sha);
  }
  await cache.save(commits);
  options.onCacheUse?.({
    reused: commits.length - missing.length,
    read: missing.length,
    full: false,
  });
  return fixes;
}

/** The cache key of a rule: its format and both patterns, as written. */
function ruleKey(rule: BugFixRule): string {
  const hash = createHash('sha256');
  for (const part of [String(FIX_CACHE_FORMAT), rule.match, rule.ignore]) {
    hash.update(part).update('\0');
  }
  return hash.digest('hex');
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The shape, the rule, every SHA and every index: anything else is damage. */
function isValid(value: unknown, rule: string): value is StoredFixCache {
  if (typeof value !== 'object' || value === null) return false;
  const stored = value as Partial<StoredFixCache>;
  if (stored.format !== FIX_CACHE_FORMAT || stored.rule !== rule) return false;
  const { shas, fixes } = stored;
  if (!Array.isArray(shas) || !shas.every((sha) => typeof sha === 'string' && SHA.test(sha))) {
    return false;
  }
  return (
    Array.isArray(fixes) &&
    fixes.every(
      (index: unknown) =>
        Number.isSafeInteger(index) && (index as number) >= 0 && (index as number) < shas.length,
    )
  );
}
