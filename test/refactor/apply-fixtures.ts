import type { RefactorProposal, RefactorTarget } from '../../src/refactor/types.ts';

/**
 * A small module with the three kinds of target (a function declaration, a class method, an arrow
 * in a const) and neighbours that must stay byte for byte, for the apply and health tests.
 */
export const FILE = `// Copyright the authors.

import { readFileSync } from 'node:fs';

export interface Options {
  verbose: boolean;
  files: string[];
}

/**
 * Reads the command line.
 * Keeps the order of the files.
 */
export function parseOptions(args: string[]): Options {
  const options: Options = { verbose: false, files: [] };
  for (const arg of args) {
    if (arg.startsWith('-')) {
      if (arg === '-v') {
        if (!options.verbose) {
          options.verbose = true;
        }
      }
    } else {
      options.files.push(arg);
    }
  }
  return options;
}

/** How many lines a file has. */
export function countLines(path: string): number {
  return readFileSync(path, 'utf8').split('\\n').length;
}

export class Report {
  private readonly lines: string[] = [];

  /** Adds a line, trimmed. */
  add(line: string): void {
    if (line.trim() !== '') {
      if (line.length < 200) {
        this.lines.push(line.trim());
      }
    }
  }

  size(): number {
    return this.lines.length;
  }
}

// Formats a size for the summary.
export const formatSize = (size: number): string => {
  if (size === 0) {
    return 'none';
  } else {
    if (size === 1) {
      return 'one';
    }
  }
  return String(size);
};
`;

export function target(
  name: string,
  line = FILE.split('\n').findIndex((l) => l.includes(name.split('.').pop()!)) + 1,
): RefactorTarget {
  return {
    path: 'src/options.ts',
    function: name,
    line,
    endLine: line + 10,
    fingerprint: '0123456789abcdef',
    hotspotRank: 1,
    revisions: 12,
    fileHealth: 7.5,
    smells: [],
    metrics: {
      name,
      kind: 'function',
      line,
      endLine: line + 10,
      cyclomatic: 6,
      cognitive: 10,
      nesting: 4,
      length: 14,
      params: 1,
      bumps: 1,
      complexConditional: null,
    },
  };
}

export function proposal(
  name: string,
  code: string,
  helpers: string[] = [],
  path = 'src/options.ts',
): RefactorProposal {
  return {
    path,
    function: name,
    code,
    helpers,
    rationale: 'Guard clauses instead of nested ifs.',
    techniques: ['guard clauses'],
  };
}

export const FLAT_PARSE_OPTIONS = `export function parseOptions(args: string[]): Options {
  const options: Options = { verbose: false, files: [] };
  for (const arg of args) readArg(arg, options);
  return options;
}`;

export const READ_ARG = `function readArg(arg: string, options: Options): void {
  if (!arg.startsWith('-')) {
    options.files.push(arg);
    return;
  }
  if (arg === '-v') options.verbose = true;
}`;
