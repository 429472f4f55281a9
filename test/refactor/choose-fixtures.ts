import { analyseSource } from '../../src/health/complexity/analyse.ts';
import { assessFile } from '../../src/health/score.ts';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds.ts';
import { hotspotEntries, type ScoreHistory } from '../../src/hotspots/hotspot-score.ts';
import type { HotspotsReport } from '../../src/hotspots/types.ts';

/**
 * Hotspots reports made the way `steward hotspots` makes them: each file's text analysed by code
 * health, its smells and health assessed, and the files scored against a history of commits
 * written as ages in days, so the ranks and numbers are the engine's own.
 */

const DAY = 86_400;
const NOW = Date.parse('2026-06-01T00:00:00Z') / 1000;

export interface FixtureFile {
  text: string;
  /** Commits that changed the file, one a day back from NOW; 0 for a file not changed. */
  revisions: number;
}

export function reportOf(files: Readonly<Record<string, FixtureFile>>): HotspotsReport {
  const commitList: { sha: string; time: number }[] = [];
  const touches = new Map<string, { commit: number; lines: number }[]>();
  for (const [path, { revisions }] of Object.entries(files)) {
    const list: { commit: number; lines: number }[] = [];
    for (let i = 0; i < revisions; i++) {
      list.push({ commit: commitList.length, lines: 5 });
      commitList.push({ sha: `${path}@${i}`, time: NOW - (i + 1) * DAY });
    }
    touches.set(path, list);
  }
  const history: ScoreHistory = { commitList, touches, fixes: new Set(), coupling: [], now: NOW };
  const inputs = Object.entries(files).map(([path, { text, revisions }]) => {
    const analysis = analyseSource(path, text);
    return {
      path,
      analysis,
      health: assessFile(analysis, DEFAULT_THRESHOLDS),
      history:
        revisions === 0
          ? undefined
          : {
              path,
              revisions,
              added: revisions * 4,
              deleted: revisions,
              authors: 1,
              firstChange: '2026-05-01',
              lastChange: '2026-05-31',
            },
    };
  });
  return {
    repo: 'fixture',
    head: 'f'.repeat(40),
    since: null,
    files: hotspotEntries(inputs, history),
    coupling: [],
  };
}

/**
 * A function body with a loop and four nested ifs, five branches and a condition of three
 * operands: cyclomatic complexity 9 (Complex Method), nesting 5 (Deep Nesting) and a Complex
 * Conditional at the default thresholds.
 */
export function tangled(indent = '  '): string {
  return [
    'let out = 0;',
    'for (const x of items) {',
    '  if (x > 0) {',
    '    if (x % 2 === 0) {',
    '      if (x > 10) {',
    '        if (x > 100) {',
    '          out += 3;',
    '        } else {',
    '          out += 2;',
    '        }',
    '      }',
    '    } else if (x === 1 || x === 3 || x === 5) {',
    '      out -= 1;',
    '    }',
    '  }',
    '}',
    'return out;',
  ]
    .map((line) => `${indent}${line}`)
    .join('\n');
}

/** `export function name(items: number[]): number { …tangled… }`. */
export function tangledFunction(name: string, exported = true): string {
  return `${exported ? 'export ' : ''}function ${name}(items: number[]): number {\n${tangled()}\n}`;
}

/** A function whose only smell is a Complex Conditional: little for a refactoring to win. */
export function fussyFunction(name: string): string {
  return [
    `export function ${name}(a: number, b: number): boolean {`,
    '  if (a > 0 && b > 0 && a !== b) {',
    '    return true;',
    '  }',
    '  return false;',
    '}',
  ].join('\n');
}

export function source(...parts: string[]): string {
  return `${parts.join('\n\n')}\n`;
}

/** The 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} is not in the text`);
  return index + 1;
}
