import { lstatSync, openSync, readSync, closeSync, fstatSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { ProjectView } from '../testgen/project.ts';
import { listFiles } from './repository.ts';

/**
 * The project as test generation reads it from a checkout: the files of the commit's tree (so
 * node_modules, build output and whatever .gitignore hides are not there), each read from the
 * working tree, where the tests will run. The files are the pull request's: a symbolic link is
 * never followed (it could point at the runner's secrets, and what is read goes to the model),
 * and a file over the size cap reads as absent.
 */

/** Larger files are not context a test needs; reading them only costs memory. */
export const MAX_PROJECT_FILE_BYTES = 2 * 1024 * 1024;

export async function checkoutProject(root: string, commit = 'HEAD'): Promise<ProjectView> {
  const paths = [...(await listFiles(root, commit))].sort();
  const cache = new Map<string, string | null>();
  return {
    paths,
    read(path) {
      if (cache.has(path)) return cache.get(path)!;
      const text = readRegularFile(root, path);
      cache.set(path, text);
      return text;
    },
  };
}

/** A regular file's text inside `root`, or null (missing, a link, a directory, too large, binary). */
export function readRegularFile(root: string, path: string): string | null {
  if (path.startsWith('/') || path.split('/').includes('..')) return null;
  // Every folder on the way must be a real folder too: a linked folder leads out of the checkout.
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i += 1) {
    try {
      if (!lstatSync(join(root, ...parts.slice(0, i))).isDirectory()) return null;
    } catch {
      return null;
    }
  }
  let fd: number;
  try {
    fd = openSync(join(root, path), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_PROJECT_FILE_BYTES) return null;
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buffer.subarray(0, read);
    if (bytes.subarray(0, 8000).includes(0)) return null;
    return bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
