/**
 * A realistic pull request for bench/review-pipeline.ts: 100 real TypeScript files from the
 * corpus of bench/corpus.ts, each changed the way a feature branch changes code, as GitHub's
 * pull-request files API returns them (hunks only, no ---/+++ header) with both sides' texts.
 *
 * Each file gets about CHANGED_PER_FILE changed lines (additions plus deletions, as GitHub counts
 * them) from a fixed-seed generator, so every run measures the same diff:
 * - a new top-level function (some with nested branches, so the health delta finds smells),
 * - statements inserted before `return`s inside functions,
 * - string literals edited (one line removed, one added),
 * - comment lines removed.
 * Every edit keeps the file parseable; the bench checks that no after-side file gains a syntax
 * error.
 */
import type { PullRequestFile } from '../src/github/client.ts';
import { githubPatch } from '../test/support/patch.ts';
import { readCorpus } from './corpus.ts';

export const FILES = 100;
export const CHANGED_PER_FILE = 50;

export interface BenchFile {
  /** The API's view: path, status, counts and patch. */
  file: PullRequestFile;
  before: string;
  after: string;
  /** New-side line numbers of the statements this generator inserted (suggestions go there). */
  insertedStatements: number[];
}

type Random = () => number;

function seeded(seed: number): Random {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** 100 files of 150 to 900 lines, evenly spread over the sorted corpus (so over its packages). */
function pickFiles(): { path: string; text: string }[] {
  const candidates = readCorpus().filter((f) => {
    const lines = f.text.split('\n').length;
    return lines >= 150 && lines <= 900 && !f.text.includes('\r');
  });
  if (candidates.length < FILES)
    throw new Error(`the corpus has ${candidates.length} files of 150-900 lines; need ${FILES}`);
  const step = candidates.length / FILES;
  return Array.from({ length: FILES }, (_, i) => candidates[Math.floor(i * step)]!);
}

/** A new function a change might add; `nested` makes one the health engine flags. */
function newFunction(name: string, nested: boolean): string[] {
  const body = nested
    ? [
        `export function ${name}(`,
        '  input: Record<string, unknown>,',
        '  options: { strict?: boolean; depth?: number; skip?: string[] } = {},',
        '): Record<string, unknown> {',
        '  const out: Record<string, unknown> = {};',
        '  for (const [key, value] of Object.entries(input)) {',
        '    if (value === undefined || options.skip?.includes(key)) continue;',
        "    if (typeof value === 'object' && value !== null) {",
        '      if (Array.isArray(value)) {',
        '        for (const item of value) {',
        "          if (item !== null && typeof item === 'object' && (options.depth ?? 0) < 3) {",
        '            out[key] = [...((out[key] as unknown[]) ?? []), item];',
        '          } else if (options.strict && item === null) {',
        '            throw new TypeError(`null in ${key}`);',
        '          }',
        '        }',
        '      } else {',
        '        out[key] = value;',
        '      }',
        "    } else if (typeof value === 'string' && value.trim() === '' && options.strict) {",
        '      out[key] = null;',
        '    } else {',
        '      out[key] = value;',
        '    }',
        '  }',
        '  return out;',
        '}',
      ]
    : [
        `export function ${name}(values: readonly string[], limit = 10): string[] {`,
        '  const seen = new Set<string>();',
        '  const out: string[] = [];',
        '  for (const value of values) {',
        '    const key = value.trim().toLowerCase();',
        '    if (key === "" || seen.has(key)) continue;',
        '    seen.add(key);',
        '    out.push(value.trim());',
        '    if (out.length >= limit) break;',
        '  }',
        '  return out;',
        '}',
      ];
  return ['', ...body];
}

const SIMPLE_STRING = /'([A-Za-z][A-Za-z0-9 _-]{2,30})'/;
const COMMENT_LINE = /^\s*\/\/ /;
const INDENTED_RETURN = /^(\s+)return\b/;

/**
 * Edits one file. Each original line takes at most one edit; inserted lines go before it (or,
 * for a function, after a top-level closing brace, or at the end).
 */
function changeFile(path: string, text: string, random: Random, index: number): BenchFile {
  const lines = text.split('\n');
  const before = new Map<number, string[]>(); // line index → lines inserted before it
  const replaced = new Map<number, string | null>(); // line index → new text, or null: deleted
  const taken = new Set<number>();
  let changed = 0;
  const free = (i: number) => !taken.has(i) && !taken.has(i - 1) && !taken.has(i + 1);
  const pick = (test: (line: string, i: number) => boolean): number | undefined => {
    const matches = lines.flatMap((line, i) => (test(line, i) && free(i) ? [i] : []));
    return matches.length ? matches[Math.floor(random() * matches.length)] : undefined;
  };

  // A new function, after a top-level closing brace when there is one, else at the end.
  const nested = index % 3 === 0;
  const fn = newFunction(`${nested ? 'normaliseRecord' : 'uniqueValues'}${index}`, nested);
  const closing = pick((line, i) => line === '}' && i < lines.length - 2);
  const at = closing === undefined ? lines.length : closing + 1;
  before.set(at, [...(before.get(at) ?? []), ...fn]);
  taken.add(at);
  changed += fn.length;

  const target = CHANGED_PER_FILE - 2 + Math.floor(random() * 5);
  const inserted: number[] = []; // original indexes that got a statement before them
  for (let attempts = 0; changed < target && attempts < 400; attempts++) {
    const op = random();
    if (op < 0.5) {
      const i = pick((line) => INDENTED_RETURN.test(line));
      if (i === undefined) continue;
      const indent = INDENTED_RETURN.exec(lines[i]!)![1];
      before.set(i, [`${indent}trace('${path.split('/').pop()}', ${i + 1});`]);
      inserted.push(i);
      taken.add(i);
      changed += 1;
    } else if (op < 0.85 && changed <= target - 2) {
      const i = pick((line) => SIMPLE_STRING.test(line));
      if (i === undefined) continue;
      replaced.set(
        i,
        lines[i]!.replace(SIMPLE_STRING, (_, s: string) => `'${s} (updated)'`),
      );
      taken.add(i);
      changed += 2;
    } else {
      const i = pick((line) => COMMENT_LINE.test(line));
      if (i === undefined) continue;
      replaced.set(i, null);
      taken.add(i);
      changed += 1;
    }
  }

  // Files with few returns, strings or comments to edit get another new function instead.
  for (let extra = 1; changed < target - 6; extra++) {
    const more = newFunction(`uniqueValues${index}x${extra}`, false);
    const spot = pick((line, i) => line === '}' && i < lines.length - 2);
    const where = spot === undefined ? lines.length : spot + 1;
    before.set(where, [...(before.get(where) ?? []), ...more]);
    taken.add(where);
    changed += more.length;
  }

  const out: string[] = [];
  const insertedStatements: number[] = [];
  for (let i = 0; i <= lines.length; i++) {
    for (const added of before.get(i) ?? []) {
      out.push(added);
      if (inserted.includes(i) && added.trimStart().startsWith('trace(')) {
        insertedStatements.push(out.length);
      }
    }
    if (i === lines.length) break;
    const replacement = replaced.has(i) ? replaced.get(i) : lines[i];
    if (replacement !== null && replacement !== undefined) out.push(replacement);
  }
  const after = out.join('\n');
  const patch = githubPatch(text, after);
  let additions = 0;
  let deletions = 0;
  for (const row of patch.split('\n')) {
    if (row.startsWith('+')) additions++;
    else if (row.startsWith('-')) deletions++;
  }
  const repoPath = path.replace(/^node_modules\//, 'packages/');
  return {
    file: { path: repoPath, previousPath: null, status: 'modified', additions, deletions, patch },
    before: text,
    after,
    insertedStatements,
  };
}

/** The pull request: FILES changed files, in the API's order (by path). */
export function benchPullRequest(): BenchFile[] {
  const random = seeded(4);
  return pickFiles()
    .map((f, i) => changeFile(f.path, f.text, random, i))
    .sort((a, b) => a.file.path.localeCompare(b.file.path));
}
