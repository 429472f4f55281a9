import * as nodeModule from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { ParseJob } from './parse-pool.ts';

// A worker thread does not share the main thread's compile cache: without its own, V8 compiles the
// TypeScript parser afresh in every worker, which made a worker twice as slow to start parsing as
// the main thread. Enabled before the parser is imported, so that import uses it.
nodeModule.enableCompileCache?.();
const { analyseSource } = await import('./complexity/analyse.ts');

/** Runs in a worker thread of analyseInParallel: analyses each batch it is sent, in order. */
parentPort?.on('message', (message: { start: number; jobs: ParseJob[] }) => {
  const results = message.jobs.map((job) => analyseSource(job.path, job.text));
  parentPort?.postMessage({ start: message.start, results });
});
