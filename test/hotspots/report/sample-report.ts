import type { HotspotEntry, HotspotsReport } from '../../../src/hotspots/types.ts';
import { SmellKind, type Smell } from '../../../src/health/types.ts';

/** A deterministic generator, so every run of a report test sees the same repository. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const folders = [
  'src/api/routes',
  'src/api/middleware',
  'src/core/billing',
  'src/core/accounts',
  'src/core/search',
  'src/db/migrations',
  'src/db/repositories',
  'src/ui/components',
  'src/ui/pages',
  'src/ui/hooks',
  'src/utils',
  'src/workers',
  'test/api',
  'test/core',
  'scripts',
  'packages/sdk/src',
  'packages/cli/src',
];
const stems = [
  'index',
  'invoice',
  'payment',
  'session',
  'user',
  'query',
  'parser',
  'router',
  'cache',
  'queue',
  'format',
  'validate',
  'schema',
  'table',
  'modal',
  'sync',
  'retry',
  'token',
  'report',
  'export',
];
const functionNames = ['handle', 'parse', 'render', 'build', 'resolve', 'apply', 'merge', 'load'];
const smellKinds = Object.values(SmellKind);

function smell(kind: SmellKind, fn: string | null, line: number): Smell {
  const detail: Record<SmellKind, string> = {
    'Complex Method': 'cyclomatic complexity 14 (threshold 9)',
    'Large Method': '112 lines (threshold 70)',
    'Deep Nesting': 'nesting depth 5 (threshold 4)',
    'Bumpy Road': '3 separate nested chunks (threshold 2)',
    'Complex Conditional': '3 logical operators in one condition (threshold 2)',
    'Many Arguments': '6 parameters (threshold 4)',
    'Large File': '1,240 lines of code (threshold 1000)',
    'Overall Complexity': 'mean cyclomatic complexity 5.2 (threshold 4)',
    'Code Duplication': '14 duplicated lines',
  };
  return { kind, function: fn, line, detail: detail[kind] };
}

/** A plausible repository: a few hot, large, sick files among many calm small ones. */
export function sampleReport(count: number, seed = 7): HotspotsReport {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const seen = new Set<string>();
  const files: HotspotEntry[] = [];
  for (let n = 0; files.length < count; n++) {
    const folder = pick(folders);
    const ext = folder.startsWith('src/ui') ? '.tsx' : '.ts';
    const name = `${pick(stems)}${n >= stems.length * folders.length ? `-${n}` : ''}`;
    const path = `${folder}/${name}${folder.startsWith('test') ? '.test' : ''}${ext}`;
    if (seen.has(path)) continue;
    seen.add(path);
    const loc = Math.max(3, Math.round(Math.exp(3.6 + random() * 2.2 + random() * 1.2)));
    const revisions = Math.max(1, Math.round(Math.exp(random() * 4.3) - 0.5));
    const smells: Smell[] = [];
    const smellCount = Math.floor(random() * random() * (loc / 60));
    for (let k = 0; k < smellCount; k++) {
      const kind = pick(smellKinds);
      const fileLevel = kind === SmellKind.largeFile || kind === SmellKind.overallComplexity;
      smells.push(
        smell(kind, fileLevel ? null : `${pick(functionNames)}${pick(stems)}`, 1 + k * 23),
      );
    }
    const health = Math.max(1, Math.round((10 - smellCount * 0.9 - random() * 0.6) * 10) / 10);
    const functions = Array.from({ length: 1 + Math.floor(loc / 40) }, (_, k) => ({
      name: `${pick(functionNames)}${pick(stems)}`,
      line: 1 + k * 40,
      cyclomatic: 1 + Math.floor(random() * random() * 20),
      cognitive: Math.floor(random() * random() * 30),
      nesting: Math.floor(random() * 5),
      length: 3 + Math.floor(random() * 80),
      params: Math.floor(random() * 6),
    }));
    files.push({
      path,
      revisions,
      fixes: Math.floor(revisions * random() * 0.4),
      added: revisions * Math.round(5 + random() * 40),
      deleted: revisions * Math.round(2 + random() * 20),
      authors: 1 + Math.floor(random() * Math.min(8, revisions)),
      loc,
      health,
      score: revisions * (11 - health) * Math.log10(10 + loc),
      contributions: {
        changes: Math.round(revisions * random() * 100) / 100,
        fixes: 0,
        coupling: 0,
        size: Math.round(Math.sqrt(1 + loc) * 100) / 100,
        health: 1,
      },
      smells,
      functions,
    });
  }
  const max = Math.max(...files.map((f) => f.score));
  // As the engine scores: 0–100, one decimal, the hottest file 100.
  for (const f of files) f.score = Math.round((f.score / max) * 1000) / 10;
  files.sort((x, y) => y.score - x.score);

  const coupling = [];
  for (let k = 0; k < Math.min(40, count); k++) {
    const a = files[Math.floor(random() * Math.min(files.length, 30))]!;
    const b = files[Math.floor(random() * files.length)]!;
    if (a === b) continue;
    const shared = 1 + Math.floor(random() * Math.min(a.revisions, b.revisions));
    coupling.push({
      a: a.path,
      b: b.path,
      shared,
      degree: Math.min(1, Math.round((shared / ((a.revisions + b.revisions) / 2)) * 100) / 100),
    });
  }
  return {
    repo: 'acme/storefront',
    head: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
    since: '2025-11-01',
    files,
    coupling,
  };
}

/** One file entry with sensible defaults, for tests that care about a few fields. */
export function entry(path: string, fields: Partial<HotspotEntry> = {}): HotspotEntry {
  return {
    path,
    revisions: 1,
    fixes: 0,
    added: 0,
    deleted: 0,
    authors: 1,
    loc: 10,
    health: 10,
    score: 0,
    contributions: { changes: 1, fixes: 0, coupling: 0, size: 3.32, health: 1 },
    smells: [],
    functions: [],
    ...fields,
  };
}

/** Paths a repository may really hold, each able to break naive HTML or JSON embedding. */
export const evilPaths = [
  'src/</script><script>window.__pwned = 1</script>.ts',
  'src/<img src=x onerror="window.__pwned = 2">.ts',
  `docs/Tom & Jerry's "quotes".md`,
  'src/<!--comment-->.ts',
  'lib/\u2028line\u2029sep.js',
];

export const evilReport: HotspotsReport = {
  repo: 'acme/<b>shop</b> & "co"',
  head: 'main<script>',
  since: null,
  files: evilPaths.map((path, i) =>
    entry(path, {
      score: 50 - i,
      loc: 100 + i * 40,
      health: 3 + i,
      smells: [
        {
          kind: SmellKind.complexMethod,
          function: '<script>alert(1)</script>',
          line: 4,
          detail: '</script><script>window.__pwned = 3</script>',
        },
      ],
      functions: [
        {
          name: '<img src=x onerror=alert(1)>',
          line: 4,
          cyclomatic: 12,
          cognitive: 20,
          nesting: 4,
          length: 80,
          params: 5,
        },
      ],
    }),
  ),
  coupling: [{ a: evilPaths[0]!, b: evilPaths[2]!, shared: 3, degree: 0.75 }],
};
