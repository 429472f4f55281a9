import { globSync, readFileSync } from 'node:fs';

/** TypeScript source (not declaration) files of packages in package-lock.json: real code to measure on. */
export const CORPUS = [
  'node_modules/zod/src/**/*.ts',
  'node_modules/rxjs/src/**/*.ts',
  'node_modules/@anthropic-ai/sdk/src/**/*.ts',
  'node_modules/@grpc/grpc-js/src/**/*.ts',
  'node_modules/ajv/lib/**/*.ts',
  'node_modules/@stryker-mutator/*/src/**/*.ts',
];

export function readCorpus(): { path: string; text: string }[] {
  const paths = CORPUS.flatMap((pattern) => globSync(pattern))
    .filter((path) => !/\.d\.[cm]?ts$/.test(path))
    .sort();
  if (paths.length === 0) throw new Error('No corpus files found: run `npm ci` first.');
  return paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}
