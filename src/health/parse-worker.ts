import { parentPort } from 'node:worker_threads';
import { analyseSource } from './complexity/analyse.ts';
import type { ParseJob } from './parse-pool.ts';

/** Runs in a worker thread of analyseInParallel: analyses each batch it is sent, in order. */
parentPort?.on('message', (message: { start: number; jobs: ParseJob[] }) => {
  const results = message.jobs.map((job) => analyseSource(job.path, job.text));
  parentPort?.postMessage({ start: message.start, results });
});
