import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitCommandError, GitNotFoundError } from '../../src/revision/errors.ts';
import { nulRecords, runGit, streamGit } from '../../src/git/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether a process is alive: a zombie no one has reaped yet (the container's init may not) is not. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Waits for a condition that an asynchronous event (a signal's delivery) makes true. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

describe('git processes', () => {
  it('answers small questions', async () => {
    const { stdout, exitCode } = await runGit(['--version'], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^git version \d/);
  });

  it('names the command, the exit status and what git said when it fails', async () => {
    const failure = runGit(['frobnicate'], { cwd: dir });
    await expect(failure).rejects.toThrow(GitCommandError);
    await expect(failure).rejects.toThrow(
      /^`git frobnicate` exited 1 in .*: git: 'frobnicate' is not a git command/,
    );
  });

  it('accepts the exit codes it is told are answers', async () => {
    const result = await runGit(['config', '--get', 'steward.nothing'], {
      cwd: dir,
      acceptExitCodes: [0, 1],
    });
    expect(result).toEqual({ stdout: '', exitCode: 1 });
  });

  it('stops the process when the consumer stops reading', async () => {
    // An alias running `yes` prints forever; breaking out must not hang.
    let seen = 0;
    for await (const chunk of streamGit(['-c', 'alias.forever=!yes', 'forever'], { cwd: dir })) {
      seen += chunk.length;
      if (seen > 100_000) break;
    }
    expect(seen).toBeGreaterThan(100_000);
  });

  it('kills the process and rejects with the reason when aborted mid-stream', async () => {
    const controller = new AbortController();
    const reading = (async () => {
      const args = ['-c', 'alias.forever=!yes', 'forever'];
      for await (const chunk of streamGit(args, { cwd: dir, signal: controller.signal })) {
        if (chunk.length > 0) controller.abort(new Error('user pressed ^C'));
      }
    })();
    await expect(reading).rejects.toThrow('user pressed ^C');
  });

  it('stops what git started too, and does not wait on it, when aborted', async () => {
    // The alias's shell starts a sleeper that inherits git's stdout and never writes: once git
    // is killed, only the sleeper holds the pipe open. Waiting for the pipe to close would hang.
    const pidFile = join(dir, 'sleeper.pid');
    const alias = `alias.hold=!sleep 600 & echo $! > '${pidFile}'; echo started; wait`;
    const controller = new AbortController();
    const reading = (async () => {
      for await (const chunk of streamGit(['-c', alias, 'hold'], {
        cwd: dir,
        signal: controller.signal,
      })) {
        if (chunk.length > 0) controller.abort(new Error('stopped'));
      }
    })();
    await expect(reading).rejects.toThrow('stopped');
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !isRunning(sleeper));
  });

  it('refuses to buffer a long answer', async () => {
    await expect(
      runGit(['-c', 'alias.forever=!yes', 'forever'], { cwd: dir, maxBytes: 10_000 }),
    ).rejects.toThrow(/printed more than 10000 bytes/);
  });

  it('says git is missing when it cannot be started', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-bin');
    try {
      await expect(runGit(['--version'], { cwd: dir })).rejects.toThrow(GitNotFoundError);
    } finally {
      process.env.PATH = path;
    }
  });

  it('splits NUL-terminated records across chunk boundaries, multi-byte letters included', async () => {
    const records: string[] = [];
    const ü = Buffer.from('ü');
    async function* bytes(): AsyncGenerator<Buffer> {
      yield* chunks('a\0b');
      yield ü.subarray(0, 1);
      yield Buffer.concat([ü.subarray(1), Buffer.from('\0\0last')]);
    }
    for await (const record of nulRecords(bytes())) records.push(record);
    expect(records).toEqual(['a', 'bü', '', 'last']);
  });
});
