import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileAnalysis } from './types.ts';

export interface ParseJob {
  path: string;
  text: string;
}

export interface ParseOptions {
  /** Worker threads to use; 1 analyses in this thread. Defaults to every core. */
  threads?: number;
  /**
   * Parse in worker threads even when there is one: this thread stays free for other work that
   * runs meanwhile (reading the git log of a cold run). Small jobs still run here.
   */
  offMainThread?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Files per message: enough to amortise messaging, small enough to balance the load. */
const BATCH_SIZE = 24;
/** Below this many files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 64;
/**
 * The worker's module, beside this one: parse-worker.ts in the sources, parse-worker.mjs in the
 * CLI bundle (build.ts makes it an entry of its own next to the chunk this code lands in).
 */
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.mjs',
  import.meta.url,
);

type Analyse = (path: string, text: string) => FileAnalysis;

/** A worker started ahead of need (see prewarmParser), until a parse takes it or it is ended. */
let prewarmed: Worker | null = null;

/**
 * Starts one parse worker now, so that the TypeScript parser loads on another core while this
 * thread reads caches and history: on a warm run that must parse a file or two, loading the
 * parser was most of the run. The next analyseInParallel with anything to parse uses it, even for
 * one file; endPrewarmedParser ends it when nothing did. It never keeps the process alive.
 */
export function prewarmParser(): void {
  if (prewarmed) return;
  prewarmed = new Worker(WORKER_URL);
  prewarmed.unref();
  // An error surfaces when the worker is used; unused, it is only ended.
  prewarmed.on('error', () => undefined);
}

/** Ends the prewarmed worker if no parse took it. */
export async function endPrewarmedParser(): Promise<void> {
  const worker = prewarmed;
  prewarmed = null;
  await worker?.terminate();
}

/**
 * Analyses files on every core. Each file's analysis depends only on its own text, and results are
 * placed by job index, so the output is identical to a serial run whatever the scheduling.
 */
export async function analyseInParallel(
  jobs: readonly ParseJob[],
  options: ParseOptions = {},
): Promise<FileAnalysis[]> {
  // Nothing to parse (a warm run): the TypeScript parser is not even loaded.
  if (jobs.length === 0) return [];
  const threads = Math.max(
    1,
    Math.min(options.threads ?? availableParallelism(), Math.ceil(jobs.length / BATCH_SIZE)),
  );
  const ready = prewarmed;
  prewarmed = null;
  if (
    !ready &&
    ((threads === 1 && !options.offMainThread) || jobs.length < MIN_FILES_FOR_WORKERS)
  ) {
    return analyseSerially(jobs, options);
  }

  const results = new Array<FileAnalysis>(jobs.length);
  let next = 0;
  let done = 0;
  // A prewarmed worker alone takes a small job; a large one gets the threads asked for.
  const count = jobs.length < MIN_FILES_FOR_WORKERS ? 1 : threads;
  const workers = ready ? [ready] : [];
  ready?.ref();
  while (workers.length < count) workers.push(new Worker(WORKER_URL));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const sendNext = () => {
              if (next >= jobs.length) {
                resolve();
                return;
              }
              const start = next;
              next = Math.min(jobs.length, next + BATCH_SIZE);
              worker.postMessage({ start, jobs: jobs.slice(start, next) });
            };
            worker.on('message', (message: { start: number; results: FileAnalysis[] }) => {
              message.results.forEach((result, i) => (results[message.start + i] = result));
              done += message.results.length;
              options.onProgress?.(done, jobs.length);
              sendNext();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`a parse worker exited with code ${code}`));
            });
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

async function analyseSerially(
  jobs: readonly ParseJob[],
  options: ParseOptions,
): Promise<FileAnalysis[]> {
  const { analyseSource } = (await import('./complexity/analyse.ts')) as {
    analyseSource: Analyse;
  };
  return jobs.map((job, i) => {
    const result = analyseSource(job.path, job.text);
    options.onProgress?.(i + 1, jobs.length);
    return result;
  });
}
