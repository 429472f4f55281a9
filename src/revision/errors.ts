/**
 * What can go wrong at the git edge, each as its own class so callers can tell the cases apart, and
 * each with a `hint`: the one thing to do about it. The message says what was wrong and where.
 */
export class GitError extends Error {
  /** What the user should do, in one or two sentences. */
  readonly hint: string;
  /** The directory git was asked to work in. */
  readonly dir: string;
  constructor(message: string, dir: string, hint: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GitError';
    this.dir = dir;
    this.hint = hint;
  }
}

/** `git` could not be started at all. */
export class GitNotFoundError extends GitError {
  constructor(dir: string, options?: ErrorOptions) {
    super(
      'git could not be started: no `git` executable on PATH.',
      dir,
      'Install git (for example `apt-get install git`) and make sure it is on PATH.',
      options,
    );
    this.name = 'GitNotFoundError';
  }
}

export class NotAGitRepositoryError extends GitError {
  constructor(dir: string, detail = 'is not inside a git repository') {
    super(
      `${dir} ${detail}.`,
      dir,
      'Run it in a git clone of the repository, or pass the directory of one.',
    );
    this.name = 'NotAGitRepositoryError';
  }
}

/** A bare repository, or a directory inside `.git`: there is no work tree to analyse. */
export class BareRepositoryError extends GitError {
  constructor(dir: string, insideGitDir: boolean) {
    super(
      insideGitDir
        ? `${dir} is inside a .git directory, not a work tree.`
        : `${dir} is a bare repository: it has history but no work tree (checked-out files).`,
      dir,
      insideGitDir
        ? 'Pass the directory that contains .git instead.'
        : `Clone it with a work tree (\`git clone ${dir} <dir>\`) and analyse the clone.`,
    );
    this.name = 'BareRepositoryError';
  }
}

export class EmptyRepositoryError extends GitError {
  constructor(dir: string) {
    super(
      `${dir} has no commits yet: HEAD points to a branch with no history.`,
      dir,
      'Commit something first, or check out a branch that has commits.',
    );
    this.name = 'EmptyRepositoryError';
  }
}

/**
 * A partial clone (`git clone --filter=…`) lacks file contents until git fetches them one by one,
 * and counting changed lines needs every version of every file: git would either fail with
 * "unable to read <blob>" or fetch for a very long time.
 */
export class PartialCloneError extends GitError {
  constructor(dir: string, setting: string, options?: ErrorOptions) {
    super(
      `${dir} is a partial clone (${setting}): file contents of past commits are missing, and counting changed lines needs them.`,
      dir,
      'Use a full clone: in actions/checkout leave `filter` unset and set `fetch-depth: 0`; locally, clone again without `--filter`.',
      options,
    );
    this.name = 'PartialCloneError';
  }
}

/**
 * An object the command needs is not in the repository: a damaged clone, or a partial one whose
 * promisor settings were lost. Names the object, so `git cat-file -t <sha>` or `git fsck` can be
 * pointed at it.
 */
export class MissingObjectError extends GitError {
  readonly object: string;
  constructor(dir: string, object: string, options?: ErrorOptions) {
    super(
      `${dir} lacks git object ${object}, which the history needs: the clone is damaged or partial.`,
      dir,
      'Run `git fsck` there to see what is missing, then fetch it again (`git fetch --refetch`) or clone afresh without `--filter`.',
      options,
    );
    this.name = 'MissingObjectError';
    this.object = object;
  }
}

/** Git refuses a repository owned by another user (CVE-2022-24765), common in CI containers. */
export class DubiousOwnershipError extends GitError {
  constructor(dir: string) {
    super(
      `git refuses to read ${dir}: the repository is owned by another user ("dubious ownership").`,
      dir,
      `Mark it as safe: \`git config --global --add safe.directory ${dir}\`.`,
    );
    this.name = 'DubiousOwnershipError';
  }
}

/** Any other failing git command: names the command, the exit status and git's own words. */
export class GitCommandError extends GitError {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(
    dir: string,
    args: readonly string[],
    exitCode: number | null,
    signal: NodeJS.Signals | null,
    stderr: string,
  ) {
    const how = exitCode === null ? `was killed by ${signal ?? 'a signal'}` : `exited ${exitCode}`;
    const said = stderr.trim().split('\n').slice(-3).join(' / ');
    super(
      `\`git ${args.join(' ')}\` ${how} in ${dir}${said ? `: ${said}` : ''}`,
      dir,
      'Run the same command in that directory to see git’s full output.',
    );
    this.name = 'GitCommandError';
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/**
 * Turns a failed command into the most specific error its stderr allows. Git's messages are matched
 * in English because every git process is started with LC_ALL=C.
 */
export function classifyGitFailure(
  dir: string,
  args: readonly string[],
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): GitError {
  if (/not a git repository/i.test(stderr)) return new NotAGitRepositoryError(dir);
  if (/dubious ownership/i.test(stderr)) return new DubiousOwnershipError(dir);
  const generic = new GitCommandError(dir, args, exitCode, signal, stderr);
  if (/promisor/i.test(stderr)) {
    return new PartialCloneError(dir, 'objects missing from a promisor pack', { cause: generic });
  }
  const missing =
    /unable to read ([0-9a-f]{40,64})|missing (?:blob|tree|commit) (?:object )?'?([0-9a-f]{40,64})|Could not read ([0-9a-f]{40,64})/i.exec(
      stderr,
    );
  if (missing) {
    return new MissingObjectError(dir, (missing[1] ?? missing[2] ?? missing[3])!, {
      cause: generic,
    });
  }
  return generic;
}
