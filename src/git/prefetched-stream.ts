import type { RevisionReader } from '../revision/reader.ts';

/**
 * A git command started before anyone asks for it: a face that knows which `git log` a run will
 * read can start it while the rest of the program (config schema, parser pool, report code) is
 * still loading, so git's seconds and Node's start-up overlap instead of adding up.
 *
 * The wrapped reader's `stream` hands the first caller asking for exactly `args` what git printed
 * so far and then the rest as it comes; any other command, and a second caller, go to `reader` as
 * before. The output is read ahead into memory up to `MAX_AHEAD_BYTES` (then git waits on the pipe,
 * as usual). `cancel()` stops a command nobody took; a failure of git reaches the caller that
 * takes the stream, as with `reader.stream`.
 */
export interface PrefetchedStream {
  reader: RevisionReader;
  /** Stops the command if no caller took it (a no-op once taken). */
  cancel: () => void;
}

/** How much output is read ahead before the taker comes; beyond it git waits on the pipe. */
export const MAX_AHEAD_BYTES = 64 * 1024 * 1024;

export function prefetchStream(reader: RevisionReader, args: readonly string[]): PrefetchedStream {
  const controller = new AbortController();
  const source = reader.stream(args, { signal: controller.signal })[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let ahead = 0;
  let done = false;
  let failure: { error: unknown } | null = null;
  /** Wakes the taker waiting for a chunk, or the pump waiting for room. */
  let wake: (() => void) | null = null;
  const notify = () => {
    const waiting = wake;
    wake = null;
    waiting?.();
  };
  const pump = async () => {
    try {
      for (;;) {
        while (ahead >= MAX_AHEAD_BYTES) await new Promise<void>((resolve) => (wake = resolve));
        const next = await source.next();
        if (next.done) break;
        chunks.push(next.value);
        ahead += next.value.length;
        notify();
      }
    } catch (error: unknown) {
      failure = { error };
    }
    done = true;
    notify();
  };
  void pump();

  let taken = false;
  async function* take(signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      signal?.throwIfAborted();
      for (;;) {
        const chunk = chunks.shift();
        if (chunk) {
          ahead -= chunk.length;
          notify();
          yield chunk;
          continue;
        }
        if (done) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      finished = true;
      if (failure) throw (failure as { error: unknown }).error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Stopping early (break, throw) stops git, as with reader.stream.
      if (!finished) controller.abort();
    }
  }

  const sameArgs = (other: readonly string[]) =>
    other.length === args.length && other.every((arg, i) => arg === args[i]);
  return {
    reader: {
      ...reader,
      stream: (streamArgs, options = {}) => {
        if (taken || !sameArgs(streamArgs)) return reader.stream(streamArgs, options);
        taken = true;
        return take(options.signal);
      },
    },
    cancel: () => {
      if (!taken) controller.abort();
    },
  };
}
