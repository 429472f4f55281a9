import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  classifyGitFailure,
  GitError,
  GitNotFoundError,
  NotAGitRepositoryError,
} from '../revision/errors.ts';

/**
 * Git as a child process whose output is streamed, never collected whole: a `git log` over a big
 * history prints hundreds of megabytes, and buffering it (execSync, maxBuffer) is what broke the
 * npm `code-complexity` tool on large repositories.
 */
export interface GitRunOptions {
  /** The directory git runs in. */
  cwd: string;
  /** Aborting kills the git process; the call then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Exit codes that are answers rather than failures (`rev-parse --verify -q` exits 1). Default [0]. */
  acceptExitCodes?: readonly number[];
}

/** Windows has no process groups to signal; there git is stopped alone. */
const OWN_PROCESS_GROUP = process.platform !== 'win32';

/** The tail of stderr kept for error messages. */
const STDERR_TAIL = 16 * 1024;

/**
 * Runs `git <args>` and yields its stdout chunk by chunk as it arrives; the consumer's pace is the
 * process's pace (backpressure through the pipe). The generator returns the exit code. A failing
 * exit throws the most specific {@link GitError} stderr allows. Stopping early (break, throw)
 * kills the process.
 */
export async function* streamGit(
  args: readonly string[],
  options: GitRunOptions,
): AsyncGenerator<Buffer, number, undefined> {
  const { cwd, signal } = options;
  signal?.throwIfAborted();
  const child = spawn('git', args, {
    cwd,
    env: gitEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it reaches what git started too (an alias's shell, a
    // helper): killing git alone leaves them holding the pipe open, and reading never ends.
    detached: OWN_PROCESS_GROUP,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, killedBy) => resolve({ code, signal: killedBy }));
    },
  );
  // Awaited below; this keeps a spawn failure from surfacing as an unhandled rejection meanwhile.
  exit.catch(() => undefined);

  // Stopping early closes our end of the pipes, so nothing is left to wait for, whoever still
  // holds the other end, and ends the process group.
  const stop = (reason?: unknown) => {
    child.stdout.destroy(reason as Error | undefined);
    child.stderr.destroy();
    killGroup(child);
  };
  const onAbort = () => stop(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let drained = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    drained = true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!drained) stop();
  }

  let status: { code: number | null; signal: NodeJS.Signals | null };
  try {
    status = await exit;
  } catch (error: unknown) {
    throw spawnFailure(error, cwd, signal);
  }
  if (signal?.aborted) throw signal.reason;
  const accepted = options.acceptExitCodes ?? [0];
  if (status.code === null || !accepted.includes(status.code)) {
    throw classifyGitFailure(cwd, args, status.code, status.signal, stderr);
  }
  return status.code;
}

/**
 * Runs a git command with a small answer (rev-parse, config) and returns its stdout as text. Output
 * past `maxBytes` is an error: this is not the way to read a log.
 */
export async function runGit(
  args: readonly string[],
  options: GitRunOptions & { maxBytes?: number },
): Promise<{ stdout: string; exitCode: number }> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  const output = streamGit(args, options);
  for (;;) {
    const next = await output.next();
    if (next.done) return { stdout: Buffer.concat(chunks).toString('utf8'), exitCode: next.value };
    size += next.value.length;
    if (size > maxBytes) {
      await output.return(0);
      throw new GitError(
        `\`git ${args.join(' ')}\` printed more than ${maxBytes} bytes in ${options.cwd}.`,
        options.cwd,
        'This command was expected to answer briefly; stream its output instead.',
      );
    }
    chunks.push(next.value);
  }
}

/**
 * Yields the NUL-terminated records of a `-z` output as UTF-8 strings, whatever the chunk
 * boundaries (a NUL byte never occurs inside a multi-byte UTF-8 character, so a record decodes only
 * once it is complete).
 */
export async function* nulRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest: Buffer | null = null;
  for await (const chunk of chunks) {
    const buffer: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(0, start); end !== -1; end = buffer.indexOf(0, start)) {
      yield buffer.toString('utf8', start, end);
      start = end + 1;
    }
    rest = start < buffer.length ? buffer.subarray(start) : null;
  }
  if (rest) yield rest.toString('utf8');
}

/**
 * The environment for every git process: English messages (errors are recognised by their text),
 * no credential prompts, and no GIT_DIR / GIT_WORK_TREE inherited from a hook or a parent git,
 * which would silently point git at another repository than the directory asked for. Nor
 * GIT_DIFF_OPTS (it overrides `-U`) or GIT_EXTERNAL_DIFF: diffs Steward reads have a fixed shape.
 */
export function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
  for (const name of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_COMMON_DIR',
    'GIT_DIFF_OPTS',
    'GIT_EXTERNAL_DIFF',
  ]) {
    delete env[name];
  }
  return env;
}

/** Ends git and everything it started (its process group); quiet when they are already gone. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (OWN_PROCESS_GROUP) process.kill(-child.pid, 'SIGTERM');
    else child.kill();
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException | null)?.code !== 'ESRCH') throw error;
  }
}

function spawnFailure(error: unknown, cwd: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
    // spawn reports a missing working directory and a missing executable alike.
    return existsSync(cwd)
      ? new GitNotFoundError(cwd, { cause: error })
      : new NotAGitRepositoryError(cwd, 'does not exist');
  }
  return error;
}
