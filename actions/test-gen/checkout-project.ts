import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { constants } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';
import type { ProjectView } from '../../src/testgen/project.ts';
import type { RevisionReader } from '../../src/revision/reader.ts';

/** Most bytes of one file read into the context; a source file worth a test is far smaller. */
export const MAX_PROJECT_FILE_BYTES = 5_000_000;

/**
 * The checkout as test generation reads it: the paths of HEAD's tree, and their texts from the
 * work tree (where the tests run). The pull request chose those files, so a path is read only
 * when it is a regular file inside the checkout: a symlink to `/proc/self/environ` or `~/.ssh`
 * (whose text would reach the model's context and the job's outputs) reads as null, as does
 * anything over {@link MAX_PROJECT_FILE_BYTES} or not UTF-8 text.
 */
export async function checkoutProject(reader: RevisionReader): Promise<ProjectView> {
  const root = realpathSync(reader.repository.root);
  const paths = [...(await reader.listFiles(reader.repository.head))].sort();
  const listed = new Set(paths);
  const cache = new Map<string, string | null>();
  return {
    paths,
    read(path) {
      if (!listed.has(path)) return null;
      if (!cache.has(path)) cache.set(path, readInside(root, path));
      return cache.get(path) ?? null;
    },
  };
}

function readInside(root: string, path: string): string | null {
  let fd: number | undefined;
  try {
    const real = realpathSync(join(root, path));
    const rel = relative(root, real);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
    // O_NOFOLLOW: the last component cannot be swapped for a link between the check and the read.
    fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_PROJECT_FILE_BYTES) return null;
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, read));
    return text;
  } catch {
    // Missing, a dangling link, a folder, not UTF-8: the project has no readable text there.
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
