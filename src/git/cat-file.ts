import { spawn } from 'node:child_process';
import { gitEnvironment } from './process.ts';
import { GitError } from '../revision/errors.ts';

/**
 * Reads many blobs through one `git cat-file --batch` process: the SHAs go in on stdin, the
 * contents stream back in order. One process for the whole repository, never one per file.
 */
export async function* readBlobs(
  root: string,
  shas: readonly string[],
  signal?: AbortSignal,
  /** Called for an object the repository lacks, which is then skipped; without it, a GitError. */
  onMissing?: (sha: string) => void,
): AsyncGenerator<{ sha: string; content: Buffer }> {
  if (shas.length === 0) return;
  const child = spawn('git', ['cat-file', '--batch'], {
    cwd: root,
    env: gitEnvironment(),
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(signal ? { signal } : {}),
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  exited.catch(() => undefined);
  // Feed stdin without waiting: the pipe's backpressure paces it against our reading.
  child.stdin.on('error', () => undefined);
  child.stdin.end(shas.join('\n') + '\n');

  let buffer: Buffer = Buffer.alloc(0);
  let index = 0;
  try {
    for await (const chunk of child.stdout) {
      buffer = buffer.length === 0 ? (chunk as Buffer) : Buffer.concat([buffer, chunk as Buffer]);
      for (;;) {
        const newline = buffer.indexOf(10);
        if (newline === -1) break;
        const header = buffer.toString('utf8', 0, newline);
        const [sha, type, size] = header.split(' ');
        if (type === 'missing' && onMissing) {
          buffer = buffer.subarray(newline + 1);
          index++;
          onMissing(sha!);
          continue;
        }
        if (type === 'missing' || size === undefined) {
          throw new GitError(
            `git cat-file found no object ${sha} in ${root}.`,
            root,
            'The repository may be a partial clone; fetch the missing objects.',
          );
        }
        const length = Number(size);
        if (buffer.length < newline + 1 + length + 1) break;
        const content = buffer.subarray(newline + 1, newline + 1 + length);
        buffer = buffer.subarray(newline + 1 + length + 1);
        index++;
        yield { sha: sha!, content };
      }
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (index < shas.length) {
    throw new GitError(
      `git cat-file stopped after ${index} of ${shas.length} objects (exit ${code}): ${stderr.trim()}`,
      root,
      'Check that the repository is intact (git fsck).',
    );
  }
}
