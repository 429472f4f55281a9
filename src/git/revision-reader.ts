import type { ChangedPath, RepositoryState, RevisionReader } from '../revision/reader.ts';
import { GitError } from '../revision/errors.ts';
import { readBlobs } from './cat-file.ts';
import { readGitDiff } from './diff.ts';
import { nulRecords, runGit, streamGit } from './process.ts';
import { inspectRepository, listFiles } from './repository.ts';
import { stewardDirFor } from './steward-dir.ts';
import { listTreeBlobs } from './tree.ts';

/**
 * The revision reader of the work tree at (or above) `dir`, through git processes: the one
 * implementation of the port the faces pass to the core. Opening checks the repository (see
 * inspectRepository: not a repository, bare, empty and partial clones are errors with a hint).
 */
export async function openGitRevisionReader(
  dir: string,
  signal?: AbortSignal,
): Promise<RevisionReader> {
  return gitRevisionReader(await inspectRepository(dir, signal));
}

/** The revision reader of a repository already inspected. */
export function gitRevisionReader(repository: RepositoryState): RevisionReader {
  const { root } = repository;
  return {
    repository,
    resolveCommit: (ref, hint) => resolveCommit(root, ref, hint),
    fullRefName: async (ref) =>
      answer(
        await runGit(['rev-parse', '--verify', '--quiet', '--symbolic-full-name', ref], {
          cwd: root,
          acceptExitCodes: [0, 1, 128],
        }),
      ),
    symbolicRef: async (ref) =>
      answer(
        await runGit(['symbolic-ref', '-q', ref], { cwd: root, acceptExitCodes: [0, 1, 128] }),
      ),
    mergeBase: async (a, b) =>
      answer(await runGit(['merge-base', a, b], { cwd: root, acceptExitCodes: [0, 1] })),
    changedPaths: (from, to) => changedPaths(root, from, to),
    diff: (range) => readGitDiff(root, range),
    listTree: (rev, listSignal) => listTreeBlobs(root, rev, listSignal),
    readBlobs: (objects, readSignal, onMissing) => readBlobs(root, objects, readSignal, onMissing),
    stewardDir: () => stewardDirFor(root),
    listFiles: (rev, listSignal) => listFiles(root, rev, listSignal),
    commitTime: async (rev, timeSignal) => {
      const log = ['log', '-1', '--format=%ct', rev, '--'];
      return Number((await runGit(log, { cwd: root, signal: timeSignal })).stdout.trim());
    },
    run: (args, options = {}) => runGit(args, { ...options, cwd: root }),
    stream: (args, options = {}) => streamGit(args, { ...options, cwd: root }),
    records: (args, options = {}) => nulRecords(streamGit(args, { ...options, cwd: root })),
  };
}

/** The trimmed output of a command that answers by its exit code; null for "no". */
function answer({ stdout, exitCode }: { stdout: string; exitCode: number }): string | null {
  return exitCode === 0 && stdout.trim() ? stdout.trim() : null;
}

async function resolveCommit(root: string, ref: string, hint?: string): Promise<string> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    { cwd: root, acceptExitCodes: [0, 1, 128] },
  );
  if (exitCode !== 0) {
    throw new GitError(
      `"${ref}" is not a commit in ${root}.`,
      root,
      `Pass a branch, tag or SHA that exists locally${hint ? ` as ${hint}` : ''} (git fetch it first).`,
    );
  }
  return stdout.trim();
}

/** Paths changed between two commits, at their new names, with the old name of a rename. */
async function changedPaths(root: string, from: string, to: string): Promise<ChangedPath[]> {
  const changes: ChangedPath[] = [];
  const records = nulRecords(
    streamGit(['-c', 'core.quotePath=false', 'diff', '--name-status', '-z', '-M', from, to], {
      cwd: root,
    }),
  );
  let pending: { status: string; paths: string[] } | null = null;
  for await (const record of records) {
    if (!pending) {
      if (record === '') continue;
      pending = { status: record, paths: [] };
      continue;
    }
    pending.paths.push(record);
    const needed = /^[RC]/.test(pending.status) ? 2 : 1;
    if (pending.paths.length === needed) {
      const [first, second] = pending.paths;
      changes.push(
        needed === 2 ? { path: second!, oldPath: first! } : { path: first!, oldPath: null },
      );
      pending = null;
    }
  }
  return changes;
}
