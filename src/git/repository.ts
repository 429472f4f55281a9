import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  BareRepositoryError,
  EmptyRepositoryError,
  NotAGitRepositoryError,
  PartialCloneError,
} from '../revision/errors.ts';
import { nulRecords, runGit, streamGit } from './process.ts';
import type { RepositoryState } from '../revision/reader.ts';

export type { RepositoryState };

/**
 * Checks that `dir` is inside the work tree of a non-empty, complete-enough repository and returns
 * its state. Throws {@link NotAGitRepositoryError}, {@link BareRepositoryError},
 * {@link EmptyRepositoryError} or {@link PartialCloneError}, each with a hint. A shallow clone is
 * not an error here: it is reported through `shallowBoundaries` so the caller can warn.
 */
export async function inspectRepository(
  dir: string,
  signal?: AbortSignal,
): Promise<RepositoryState> {
  const absolute = resolve(dir);
  await requireDirectory(absolute);
  const options = { cwd: absolute, signal };

  const facts = await runGit(
    [
      'rev-parse',
      '--is-bare-repository',
      '--is-inside-work-tree',
      '--is-shallow-repository',
      '--git-path',
      'shallow',
    ],
    options,
  );
  const [bare, insideWorkTree, shallow, shallowFile] = facts.stdout.split('\n');
  if (bare === 'true') throw new BareRepositoryError(absolute, false);
  if (insideWorkTree !== 'true') throw new BareRepositoryError(absolute, true);

  const [toplevel, head, promisor] = await Promise.all([
    runGit(['rev-parse', '--show-toplevel'], options),
    runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
      ...options,
      acceptExitCodes: [0, 1],
    }),
    runGit(
      ['config', '--get-regexp', String.raw`^(extensions\.partialclone|remote\..*\.promisor)$`],
      { ...options, acceptExitCodes: [0, 1] },
    ),
  ]);
  const sha = head.stdout.trim();
  if (head.exitCode !== 0 || sha === '') throw new EmptyRepositoryError(absolute);
  const partial = promisor.stdout
    .split('\n')
    .find((line) =>
      /^extensions\.partialclone \S|^remote\..*\.promisor (true|yes|on|1)$/i.test(line),
    );
  if (partial) throw new PartialCloneError(absolute, partial.replace(' ', ' = '));

  const shallowBoundaries = new Set<string>();
  if (shallow === 'true' && shallowFile) {
    const path = isAbsolute(shallowFile) ? shallowFile : resolve(absolute, shallowFile);
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      if (line.trim()) shallowBoundaries.add(line.trim());
    }
  }
  return { root: toplevel.stdout.trim(), head: sha, shallowBoundaries };
}

/**
 * The paths of the files in `commit`'s tree, relative to the top level, read from one streamed
 * `git ls-tree`. Submodules are left out: they are commits of another repository, not files.
 */
export async function listFiles(
  root: string,
  commit: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const files = new Set<string>();
  const output = streamGit(
    ['-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--full-tree', commit],
    { cwd: root, signal },
  );
  // Each record is "<mode> <type> <object>\t<path>"; the path may itself hold tabs.
  for await (const record of nulRecords(output)) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    if (record.startsWith('160000 ')) continue;
    files.add(record.slice(tab + 1));
  }
  return files;
}

async function requireDirectory(dir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotAGitRepositoryError(dir, 'does not exist');
    }
    throw error;
  }
  if (!isDirectory) throw new NotAGitRepositoryError(dir, 'is not a directory');
}
