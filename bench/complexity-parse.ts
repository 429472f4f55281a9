/**
 * Per-file complexity analysis throughput on one core: parse, metrics walk, LOC and duplication
 * fingerprints (`analyseSource`), over real TypeScript sources shipped in installed packages.
 * Rerun: `node --expose-gc bench/complexity-parse.ts [rounds]` (Node 24; no network needed).
 *
 * The files are read into memory first, so the figure is analysis alone, without disk reads.
 * The issue asks for at least 200 TypeScript files per second per core. The heap after each
 * round, after a forced collection, shows that memory does not grow with the number of files.
 */
import { analyseSource } from '../src/health/complexity/analyse.ts';
import { readCorpus } from './corpus.ts';

const rounds = Number(process.argv[2] ?? 5);
const files = readCorpus();
const bytes = files.reduce((sum, f) => sum + f.text.length, 0);

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): string => {
  gc?.();
  return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(1);
};

// Warm-up: the first pass also compiles the analyser.
let functions = 0;
let loc = 0;
for (const { path, text } of files) {
  const analysis = analyseSource(path, text);
  functions += analysis.functions.length;
  loc += analysis.loc;
}
console.log(
  `corpus: ${files.length} files, ${(bytes / 2 ** 20).toFixed(1)} MB, ${loc} LOC, ` +
    `${functions} functions; heap after warm-up ${heapMb()} MB${gc ? '' : ' (run with --expose-gc for exact heap)'}`,
);

const rates: number[] = [];
for (let round = 1; round <= rounds; round++) {
  const start = process.hrtime.bigint();
  for (const { path, text } of files) analyseSource(path, text);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = files.length / seconds;
  rates.push(rate);
  console.log(
    `round ${round}: ${seconds.toFixed(2)} s, ${rate.toFixed(0)} files/s, ` +
      `${(bytes / 2 ** 20 / seconds).toFixed(1)} MB/s, heap ${heapMb()} MB`,
  );
}
rates.sort((a, b) => a - b);
console.log(`median: ${rates[Math.floor(rates.length / 2)]!.toFixed(0)} files/s on one core`);
