/**
 * The revision-reader port: what the core reads from a repository's history, as an interface the
 * faces pass in (ARCHITECTURE.md, "ports, not imports"). src/git implements it with git processes
 * (openGitRevisionReader); nothing under src/<capability> imports src/git. Failures are the
 * classes of ./errors.ts, each with a hint.
 */

/** What history mining needs to know about a work tree before it reads the log. */
export interface RepositoryState {
  /** Absolute path of the work tree's top level; every path git prints is relative to it. */
  root: string;
  /** The commit HEAD points to. */
  head: string;
  /**
   * The commits where a shallow clone's history is cut off (the `.git/shallow` list); empty for a
   * complete clone. Git shows such a commit as adding every file it has, so miners skip them.
   */
  shallowBoundaries: ReadonlySet<string>;
}

/** One file of a revision's tree. */
export interface TreeBlob {
  path: string;
  /** Blob SHA: the content's identity, so an unchanged file is recognised across commits. */
  sha: string;
  size: number;
}

/** A path changed between two commits, at its new name, with the old name of a rename. */
export interface ChangedPath {
  path: string;
  oldPath: string | null;
}

export interface RevisionReader {
  /** The repository as it was opened: its top level, HEAD and shallow boundaries. */
  readonly repository: RepositoryState;
  /**
   * The commit SHA a ref (branch, tag, SHA, `HEAD~2`) names. Throws a GitError naming the ref,
   * whose hint ends with `hint` when given (say, which option to correct).
   */
  resolveCommit(ref: string, hint?: string): Promise<string>;
  /** The full name of a ref (`refs/heads/main` for `main`, the upstream for `@{upstream}`); null when absent. */
  fullRefName(ref: string): Promise<string | null>;
  /** What a symbolic ref points at (refs/heads/feature for HEAD); null when detached or absent. */
  symbolicRef(ref: string): Promise<string | null>;
  /** The best common ancestor of two commits; null when they share no history. */
  mergeBase(a: string, b: string): Promise<string | null>;
  /** Paths changed between two commits, renames followed. */
  changedPaths(from: string, to: string): Promise<ChangedPath[]>;
  /** The unified diff of a range (`base...head`), as `git diff` prints it (see src/diff/git-diff.ts). */
  diff(range: string): Promise<string>;
  /** Every file of a revision's tree with its blob SHA and size (no submodules, no symlinks). */
  listTree(rev: string, signal?: AbortSignal): Promise<TreeBlob[]>;
  /**
   * The contents of objects (blob SHAs, or `rev:path`), in the order asked. An object the
   * repository lacks is passed to `onMissing` and skipped; without it, it is a GitError naming it.
   */
  readBlobs(
    objects: readonly string[],
    signal?: AbortSignal,
    onMissing?: (object: string) => void,
  ): AsyncIterable<{ sha: string; content: Buffer }>;
  /** Where Steward keeps its per-repository caches (shared by the repository's work trees). */
  stewardDir(): Promise<string>;
  /** The paths of the files in a commit's tree (no submodules). */
  listFiles(rev: string, signal?: AbortSignal): Promise<Set<string>>;
  /** A commit's committer time, seconds since the epoch. */
  commitTime(rev: string, signal?: AbortSignal): Promise<number>;
  /**
   * History mining reads git's own log formats (log-command.ts builds the arguments, log-parser.ts
   * reads them), so the port lets it run a read-only git command in the repository: `run` collects
   * the output, `stream` yields it as it comes (stopping early stops the command), `records` yields
   * the NUL-terminated records of a `-z` output. A failing exit (other than `acceptExitCodes`) is
   * the most specific GitError.
   */
  run(args: readonly string[], options?: GitCommandOptions): Promise<GitOutput>;
  stream(args: readonly string[], options?: GitCommandOptions): AsyncIterable<Buffer>;
  records(args: readonly string[], options?: GitCommandOptions): AsyncIterable<string>;
}

export interface GitCommandOptions {
  signal?: AbortSignal | undefined;
  /** Exit codes that are answers rather than failures. Default [0]. */
  acceptExitCodes?: readonly number[];
}

export interface GitOutput {
  stdout: string;
  exitCode: number;
}
