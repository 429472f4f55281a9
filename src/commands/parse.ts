import { suggest } from '../settings/suggest.ts';
import { inlineCode } from './markdown.ts';

/**
 * The slash commands of the Steward app: their grammar, the router's table and the help text.
 * Plain data in, plain data out; the app's face does the talking to GitHub.
 */

export const COMMAND_PREFIX = '/steward';

export interface CommandSpec {
  readonly name: string;
  /** What a person types, with its arguments. */
  readonly usage: string;
  readonly summary: string;
  /** False for commands the router knows but Steward does not run yet. */
  readonly available: boolean;
  /** Commands about a change need a pull request; the rest also work on issues. */
  readonly pullRequestOnly: boolean;
}

/** The router's table: every command a comment may name, in the order help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'help',
    usage: '/steward help',
    summary: 'this list',
    available: true,
    pullRequestOnly: false,
  },
  {
    name: 'review',
    usage: '/steward review [full]',
    summary:
      'review the pull request: the commits since the last review, or every change with `full`',
    available: true,
    pullRequestOnly: true,
  },
  {
    name: 'health',
    usage: '/steward health',
    summary: 'the code health of the changed files, before and after',
    available: true,
    pullRequestOnly: true,
  },
  {
    name: 'hotspots',
    usage: '/steward hotspots',
    summary: 'where hotspots are computed (they need the git history, so a workflow runs them)',
    available: true,
    pullRequestOnly: false,
  },
  {
    name: 'config',
    usage: '/steward config',
    summary: 'the configuration in force and the files it was read from',
    available: true,
    pullRequestOnly: false,
  },
  {
    name: 'tests',
    usage: '/steward tests',
    summary:
      'generate tests for the changed functions at the head commit: starts the repository’s test generation workflow, which keeps only tests that pass every time and kill a mutant or cover changed lines',
    available: true,
    pullRequestOnly: true,
  },
  {
    name: 'mutate',
    usage: '/steward mutate',
    summary:
      'mutation-test the changed lines at the head commit: starts the repository’s mutation workflow, whose report appears here',
    available: true,
    pullRequestOnly: true,
  },
  {
    name: 'refactor',
    usage: '/steward refactor [PATH[:FUNCTION]]',
    summary:
      'propose a refactoring of the worst function in the top hotspots, or of the file or function named: starts the repository’s refactoring workflow, which opens a pull request only when types, tests, the public API and a health rise prove it',
    available: true,
    pullRequestOnly: false,
  },
  {
    name: 'incident',
    usage: '/steward incident',
    summary: 'build an incident timeline',
    available: false,
    pullRequestOnly: false,
  },
  {
    name: 'chaos',
    usage: '/steward chaos',
    summary:
      'run the chaos experiments for the head commit: starts the repository’s chaos workflow, whose chaos summary appears here',
    available: true,
    pullRequestOnly: true,
  },
];

export type CommandName =
  | 'help'
  | 'review'
  | 'health'
  | 'hotspots'
  | 'config'
  | 'tests'
  | 'mutate'
  | 'refactor'
  | 'incident'
  | 'chaos';

/** Four columns of leading indentation, a tab counting to the next tab stop: an indented code block. */
const INDENTED_CODE = /^(?: {0,3}\t| {4})/;

/** What the first line of a comment asks for. */
export type ParsedComment =
  /** Not addressed to Steward: the app says and does nothing. */
  | { kind: 'none' }
  | { kind: 'command'; name: CommandName; full: boolean; path: string | null; text: string }
  /** `/steward <word>` with a word no command has: answered with the help text. */
  | { kind: 'unknown'; word: string; suggestion: string | undefined; text: string }
  /** A known command with arguments it does not take. */
  | { kind: 'usage'; spec: CommandSpec; problem: string; text: string };

/**
 * Reads the first line of a comment, the only line that counts (as in slash-command-dispatch), so
 * a command quoted or mentioned further down never runs, nor one in a code block. `/steward` on
 * its own asks for help.
 */
export function parseComment(body: string | null | undefined): ParsedComment {
  const line = (body ?? '').split(/\r?\n|\r/, 1)[0]!;
  // Text GitHub renders as code is shown, not asked: an indented code block (four columns of
  // indentation, a tab counting to the next multiple of four) and fences (whose first word is
  // not the prefix anyway).
  if (INDENTED_CODE.test(line)) return { kind: 'none' };
  // Only spaces and tabs may come before the prefix: a byte-order mark, a no-break space or any
  // other invisible character in front (which String#trim would drop) is not a command as written.
  const text = line.replace(/^[ \t]+/, '').trimEnd();
  const words = text.split(/\s+/);
  if (words[0]?.toLowerCase() !== COMMAND_PREFIX) return { kind: 'none' };
  const [word = 'help', ...args] = words.slice(1).map((w) => w.toLowerCase());
  const rawArgs = words.slice(2);
  const spec = COMMANDS.find((c) => c.name === word);
  if (!spec) {
    return {
      kind: 'unknown',
      word: words[1]!,
      suggestion: suggest(
        word,
        COMMANDS.map((c) => c.name),
      ),
      text,
    };
  }
  const name = spec.name as CommandName;
  if (name === 'review') {
    if (args.length === 0 || (args.length === 1 && args[0] === 'full'))
      return { kind: 'command', name, full: args.length === 1, path: null, text };
    return { kind: 'usage', spec, problem: `unexpected ${inlineCode(rawArgs.join(' '))}`, text };
  }
  if (name === 'refactor') {
    if (rawArgs.length === 0) return { kind: 'command', name, full: false, path: null, text };
    const problem =
      rawArgs.length > 1
        ? `name one file or function (PATH or PATH:FUNCTION, no spaces), got ${inlineCode(rawArgs.join(' '))}`
        : refactorTargetProblem(rawArgs[0]!);
    if (problem === null) return { kind: 'command', name, full: false, path: rawArgs[0]!, text };
    return { kind: 'usage', spec, problem, text };
  }
  if (args.length > 0)
    return {
      kind: 'usage',
      spec,
      problem: `it takes no arguments, got ${inlineCode(rawArgs.join(' '))}`,
      text,
    };
  return { kind: 'command', name, full: false, path: null, text };
}

/** The longest refactoring target a comment or the action's `target` input may name. */
export const MAX_TARGET_LENGTH = 300;

/**
 * Why `PATH[:FUNCTION]` cannot name a refactoring target, or null when it can: a relative path
 * inside the repository (no leading `/` or `-`, no `.` or `..` segment, no backslash) of the
 * characters file names use, and a function name of identifier characters (`Class.method`).
 * What a comment says reaches the workflow as an input, so nothing else gets through.
 */
export function refactorTargetProblem(text: string): string | null {
  const shown = inlineCode(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  if (text.length > MAX_TARGET_LENGTH)
    return `the target is longer than ${MAX_TARGET_LENGTH} characters`;
  const colon = text.lastIndexOf(':');
  const path = colon < 0 ? text : text.slice(0, colon);
  const fn = colon < 0 ? null : text.slice(colon + 1);
  if (!/^[\w@+-][\w@+./-]*$/.test(path) || path.startsWith('-'))
    return `${shown} is not a path in the repository (PATH or PATH:FUNCTION, such as src/cli/args.ts:parseOptions)`;
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..'))
    return `${shown} is not a path inside the repository: no empty, \`.\` or \`..\` part`;
  if (fn !== null && !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$#][\w$]*)*$/.test(fn))
    return `${shown} names no function after the colon (PATH:FUNCTION, a method as Class.method)`;
  return null;
}

export function commandSpec(name: CommandName): CommandSpec {
  return COMMANDS.find((c) => c.name === name)!;
}

/** The help text: every command, the ones not available yet marked as such. */
export function helpText(): string {
  const rows = COMMANDS.map(
    (c) => `| \`${c.usage}\` | ${c.summary}${c.available ? '' : ' _(not available yet)_'} |`,
  );
  return [
    'Steward answers these commands on the first line of a comment, from people with write access to the repository:',
    '',
    '| Command | What it does |',
    '| --- | --- |',
    ...rows,
  ].join('\n');
}
