/**
 * What inserting and formatting tests costs Steward per target. Rerun: `npm run bench:testgen-insert`.
 *
 * Part 1, in process: `insertTests` of CANDIDATES model-shaped candidates (each with an import to
 * merge, a few hostile ones rejected) into a real-sized vitest file (FILE_TESTS tests, ~12 lines
 * each), then `removeTests` of half of them, median and max of RUNS runs after one warm-up.
 *
 * Part 2, the prettier edge: `createPrettierFormatter().format` of the resulting file in a temp
 * project linking this repository's prettier (one child process per file), median of RUNS.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPrettierFormatter } from '../src/prettier/format.ts';
import { insertTests, removeTests } from '../src/testgen/insert.ts';
import { VITEST_FILE, candidate, request } from '../test/testgen/insert-fixtures.ts';

const RUNS = Number(process.env['RUNS'] ?? 15);
const CANDIDATES = Number(process.env['CANDIDATES'] ?? 8);
const FILE_TESTS = Number(process.env['FILE_TESTS'] ?? 40);

const body = Array.from(
  { length: FILE_TESTS },
  (_, i) =>
    `  // case ${i}\n  it('case ${i}', () => {\n    const input = ['--flag-${i}', 'value'];\n    const parsed = parseOptions(input);\n    expect(parsed).toEqual({\n      ['flag-${i}']: 'value',\n    });\n    expect(Object.keys(parsed)).toHaveLength(1);\n  });\n`,
).join('\n');
const file = VITEST_FILE.replace(
  "describe('parseOptions', () => {\n",
  `describe('parseOptions', () => {\n${body}\n`,
);
const candidates = Array.from({ length: CANDIDATES }, (_, i) =>
  i % 4 === 3
    ? candidate(
        `hostile ${i}`,
        `it('x', () => {});\n});\nprocess.exit(${i});\ndescribe('y', () => {`,
      )
    : candidate(
        `generated ${i}`,
        `it('generated ${i}', () => {\n  const out = formatOptions(parseOptions(['--n', '${i}']));\n  expect(out).toBe('--n ${i}');\n});`,
        [`import { formatOptions } from '../src/args.js';`],
      ),
);

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
}

const insertSamples: number[] = [];
const removeSamples: number[] = [];
let last = insertTests(request(file, candidates));
for (let run = 0; run <= RUNS; run++) {
  const t0 = performance.now();
  last = insertTests(request(file, candidates));
  const t1 = performance.now();
  removeTests(
    last,
    last.placed.filter((_, i) => i % 2 === 0).map((p) => p.name),
  );
  const t2 = performance.now();
  if (run > 0) {
    insertSamples.push(t1 - t0);
    removeSamples.push(t2 - t1);
  }
}
console.log(
  `test file: ${file.split('\n').length} lines, ${FILE_TESTS} tests; ${CANDIDATES} candidates (${last.placed.length} placed, ${last.rejected.length} rejected)`,
);
console.log(`insertTests: ${stats(insertSamples)}`);
console.log(`removeTests (half): ${stats(removeSamples)}`);

const root = mkdtempSync(join(tmpdir(), 'steward-bench-prettier-'));
try {
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'bench', devDependencies: { prettier: '^3' } }),
  );
  writeFileSync(join(root, '.prettierrc'), JSON.stringify({ singleQuote: true }));
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(
    join(process.cwd(), 'node_modules', 'prettier'),
    join(root, 'node_modules', 'prettier'),
    'dir',
  );
  const formatter = createPrettierFormatter({ root });
  const formatSamples: number[] = [];
  let kind = '';
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const outcome = await formatter.format({ path: 'test/args.test.ts', text: last.file.text });
    if (run > 0) formatSamples.push(performance.now() - t0);
    kind = outcome.kind;
  }
  console.log(`prettier in a child process (${kind}): ${stats(formatSamples)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
