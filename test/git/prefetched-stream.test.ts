import { afterEach, describe, expect, it } from 'vitest';
import { prefetchStream } from '../../src/git/prefetched-stream.ts';
import { openGitRevisionReader } from '../../src/git/revision-reader.ts';
import { GitError } from '../../src/revision/errors.ts';
import type { RevisionReader } from '../../src/revision/reader.ts';
import { GitRepo } from '../support/git-repo.ts';

/** A git command started ahead of its reader hands over exactly what the command prints. */

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

async function text(chunks: AsyncIterable<Buffer>): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return Buffer.concat(out).toString('utf8');
}

async function repoWithHistory(commits: number): Promise<RevisionReader> {
  repo = new GitRepo();
  for (let i = 0; i < commits; i++) {
    repo.write(`f${i % 7}.ts`, `export const v = ${i};\n${'// line\n'.repeat(i)}`).commit(`c${i}`);
  }
  return openGitRevisionReader(repo.dir);
}

const LOG = ['log', '--numstat', '--format=%H %s'];

describe('prefetchStream', () => {
  it('gives the first caller of the same command exactly what git prints; others run their own', async () => {
    const reader = await repoWithHistory(40);
    const expected = await text(reader.stream(LOG));
    const prefetched = prefetchStream(reader, LOG);
    expect(await text(prefetched.reader.stream(LOG))).toBe(expected);
    // A second caller, and another command, go to git as before.
    expect(await text(prefetched.reader.stream(LOG))).toBe(expected);
    expect(await text(prefetched.reader.stream(['log', '-1', '--format=%s']))).toBe('c39\n');
    prefetched.cancel();
  });

  it('hands git’s failure to the caller that takes the stream', async () => {
    const reader = await repoWithHistory(2);
    const args = ['log', 'no-such-revision', '--'];
    const prefetched = prefetchStream(reader, args);
    const failure = await text(prefetched.reader.stream(args)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitError);
    expect(String((failure as GitError).message)).toMatch(/no-such-revision/);
  });

  it('stops git when the caller stops early or aborts, and on cancel when nobody took it', async () => {
    const reader = await repoWithHistory(30);
    const taken = prefetchStream(reader, LOG);
    for await (const chunk of taken.reader.stream(LOG)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    const controller = new AbortController();
    const aborted = prefetchStream(reader, LOG);
    controller.abort(new Error('stop'));
    const failure = await text(aborted.reader.stream(LOG, { signal: controller.signal })).catch(
      (error: unknown) => error,
    );
    expect((failure as Error).message).toBe('stop');
    const unused = prefetchStream(reader, LOG);
    unused.cancel();
    // Cancelling after the fact changes nothing for a stream already taken.
    taken.cancel();
    expect(await text(unused.reader.stream(['log', '-1', '--format=%s']))).toBe('c29\n');
  });
});
