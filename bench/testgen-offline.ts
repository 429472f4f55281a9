/**
 * What the offline property generator (src/testgen/offline) costs and finds on real code.
 * Rerun: `npm run bench:testgen-offline` (FILES=n to change how many corpus files).
 *
 * For FILES modules of the bench corpus (TypeScript sources of packages in package-lock.json:
 * zod, rxjs, the Anthropic SDK, grpc-js, ajv, Stryker), every exported function is a target;
 * `offlineCandidates` loads the module and the project files it imports (read from disk through
 * its readFile port) and derives properties. It reports the time per module and per target
 * (median, p95, max), the candidates by kind and the commonest reasons a target got none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readCorpus } from './corpus.ts';
import { offlineCandidates } from '../src/testgen/offline/index.ts';
import type { TestTarget } from '../src/testgen/types.ts';

const FILES = Number(process.env['FILES'] ?? 120);

const EXPORTED = /^export\s+(?:async\s+)?(?:function\s*\*?\s*|const\s+)([A-Za-z_$][\w$]*)/gm;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

const modules = readCorpus()
  .map((file) => ({ ...file, names: [...file.text.matchAll(EXPORTED)].map((m) => m[1] ?? '') }))
  .filter((file) => file.names.length > 0);
const step = Math.max(1, Math.floor(modules.length / FILES));
const picked = modules.filter((_, i) => i % step === 0).slice(0, FILES);

const perModule: number[] = [];
const perTarget: number[] = [];
const kinds = new Map<string, number>();
const reasons = new Map<string, number>();
let targets = 0;
let withCandidates = 0;
for (const module of picked) {
  const list: TestTarget[] = module.names.map((name) => ({
    path: module.path,
    name,
    startLine: 1,
    endLine: 1,
    exported: true,
    changedLines: [],
    uncoveredLines: [],
    survivingMutants: [],
  }));
  const start = performance.now();
  const result = await offlineCandidates(module, list, {
    framework: 'vitest',
    importPath: `./${module.path}`,
    readFile: async (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
  });
  const elapsed = performance.now() - start;
  perModule.push(elapsed);
  perTarget.push(elapsed / list.length);
  targets += list.length;
  withCandidates += new Set(result.candidates.map((c) => c.target)).size;
  for (const c of result.candidates) {
    const kind = c.name.includes('deep-equals')
      ? 'round-trip'
      : c.name.includes(') equals ')
        ? 'idempotence'
        : 'declared shape';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  for (const s of result.skipped) {
    const reason = s.reason
      .replace(/\([^)]*\)/g, '(…)')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/parameter \S+/, 'parameter …');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
console.log(`offlineCandidates on ${picked.length} corpus modules, ${targets} exported targets`);
console.log(
  `per module: median ${ms(percentile(perModule, 50))}, p95 ${ms(percentile(perModule, 95))}, max ${ms(Math.max(...perModule))}`,
);
console.log(
  `per target: median ${ms(percentile(perTarget, 50))}, p95 ${ms(percentile(perTarget, 95))}, max ${ms(Math.max(...perTarget))}`,
);
console.log(`targets with at least one property: ${withCandidates} of ${targets}`);
console.log(`candidates by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log('commonest reasons for a skip:');
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(`  ${String(n).padStart(4)}  ${reason}`);
