import { createHash } from 'node:crypto';
import { analyseSource } from '../../src/health/complexity/analyse.ts';
import { assessFile } from '../../src/health/score.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import type { ArtifactCheckers } from '../../src/refactor/artifact.ts';
import type { FunctionMeasures, RefactorTarget } from '../../src/refactor/types.ts';

/**
 * A smelly function and a proven refactoring of it, the artifact the propose job would write, and
 * stand-ins for the checkers other modules own (apply.ts's checkRefactoredText, health-proof.ts's
 * compareHealth, fingerprint.ts's functionFingerprint): each does what its contract says, simply,
 * so the delivery is tested on what it does with their answers.
 */

export const PATH = 'src/calc.ts';
export const FUNCTION = 'classify';

export const BEFORE = `import { log } from './log.ts';

/** Names a number. */
export function classify(n: number, flags: string[]): string {
  let out = '';
  if (n > 0) {
    if (n > 10) {
      if (flags.includes('a') && flags.includes('b')) {
        out = 'big-ab';
      } else if (flags.includes('a') || flags.includes('c')) {
        out = 'big-a';
      } else {
        for (const f of flags) {
          if (f === 'z') {
            out = 'big-z';
          }
        }
      }
    } else {
      if (flags.includes('s')) {
        out = 'small-s';
      } else {
        out = 'small';
      }
    }
  } else {
    if (n === 0) {
      out = 'zero';
    } else {
      out = 'negative';
    }
  }
  log(out);
  return out;
}

export function other(x: number): number {
  return x + 1;
}
`;

export const AFTER = `import { log } from './log.ts';

/** Names a number. */
export function classify(n: number, flags: string[]): string {
  const out = n > 0 ? positive(n, flags) : n === 0 ? 'zero' : 'negative';
  log(out);
  return out;
}

function positive(n: number, flags: string[]): string {
  if (n <= 10) return flags.includes('s') ? 'small-s' : 'small';
  if (flags.includes('a') && flags.includes('b')) return 'big-ab';
  if (flags.includes('a') || flags.includes('c')) return 'big-a';
  return flags.includes('z') ? 'big-z' : '';
}

export function other(x: number): number {
  return x + 1;
}
`;

export function fingerprintOf(
  path: string,
  name: string,
  fileText: string,
  line: number,
  endLine: number,
): string {
  const text = fileText
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .slice(line - 1, endLine)
    .join('\n');
  return createHash('sha256')
    .update(JSON.stringify([path, name, text.replace(/\s+/g, ' ').trim()]))
    .digest('hex')
    .slice(0, 16);
}

function measures(path: string, text: string, name: string): FunctionMeasures {
  const analysis = analyseSource(path, text);
  const health = assessFile(analysis, DEFAULT_THRESHOLDS);
  const fn = analysis.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no ${name}`);
  return {
    fileHealth: health.health,
    cognitive: fn.cognitive,
    cyclomatic: fn.cyclomatic,
    nesting: fn.nesting,
    length: fn.length,
    smells: health.smells,
  };
}

export const checkers: ArtifactCheckers = {
  checkRefactoredText(before, after, target) {
    const lines = before.split('\n');
    const head = lines.slice(0, target.line - 1).join('\n');
    const tail = lines.slice(target.endLine).join('\n');
    if (!after.startsWith(head)) return { ok: false, reason: 'changes text before the function' };
    if (!after.endsWith(tail)) return { ok: false, reason: 'changes text after the function' };
    return { ok: true };
  },
  compareHealth(path, before, after, target) {
    const comparison = {
      before: measures(path, before, target.function),
      after: measures(path, after, target.function),
    };
    const ok =
      comparison.after.fileHealth >= comparison.before.fileHealth + 0.5 &&
      comparison.after.cognitive < comparison.before.cognitive;
    return {
      ok,
      detail: `health ${comparison.before.fileHealth} → ${comparison.after.fileHealth}`,
      comparison,
    };
  },
  fingerprintAt: fingerprintOf,
};

export function targetIn(text = BEFORE, path = PATH, name = FUNCTION): RefactorTarget {
  const fn = analyseSource(path, text).functions.find((f) => f.name === name)!;
  const m = measures(path, text, name);
  return {
    path,
    function: name,
    line: fn.line,
    endLine: fn.endLine,
    fingerprint: fingerprintOf(path, name, text, fn.line, fn.endLine),
    hotspotRank: 2,
    revisions: 17,
    fileHealth: m.fileHealth,
    smells: m.smells.filter((s) => s.function === name),
    metrics: fn,
  };
}

/** The artifact as the propose job writes it; `patch` reshapes it as a hostile job might. */
export function artifactJson(
  baseSha: string,
  patch: (artifact: Record<string, unknown>) => void = () => {},
): string {
  const target = targetIn();
  const artifact: Record<string, unknown> = {
    version: 1,
    baseSha,
    path: PATH,
    function: FUNCTION,
    fingerprint: target.fingerprint,
    before: BEFORE,
    after: AFTER,
    proposal: {
      rationale: 'Extracted the positive branch into `positive` and returned early.',
      techniques: ['Extract Function', 'Replace Nested Conditional with Guard Clauses'],
    },
    proofs: [
      { name: 'apply', ok: true, detail: 'replaced classify, added positive', durationMs: 12 },
      { name: 'health', ok: true, detail: 'health 6.1 → 9.0', durationMs: 30 },
      { name: 'api', ok: true, detail: 'declarations unchanged', durationMs: 400 },
      { name: 'types', ok: true, detail: 'no new diagnostics', durationMs: 2100 },
      { name: 'tests', ok: true, detail: '2 runs, 14 tests passed', durationMs: 5300 },
    ],
    target,
  };
  patch(artifact);
  return JSON.stringify(artifact);
}
