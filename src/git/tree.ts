import { nulRecords, streamGit } from './process.ts';
import type { TreeBlob } from '../revision/reader.ts';

/**
 * Every file of a revision's tree with its blob SHA and size, from one streamed
 * `git ls-tree -r --long`. Submodules and symlinks are left out: neither is source to analyse.
 */
export async function listTreeBlobs(
  root: string,
  rev: string,
  signal?: AbortSignal,
): Promise<TreeBlob[]> {
  const blobs: TreeBlob[] = [];
  const output = streamGit(
    ['-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--long', '--full-tree', rev],
    {
      cwd: root,
      signal,
    },
  );
  // "<mode> <type> <sha> <size padded>\t<path>"
  for await (const record of nulRecords(output)) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, sha, size] = record.slice(0, tab).split(/\s+/);
    if (type !== 'blob' || mode === '120000' || !sha) continue;
    blobs.push({ path: record.slice(tab + 1), sha, size: Number(size) });
  }
  return blobs;
}
