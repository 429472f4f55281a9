import type { Ignorer, NodePath } from '@stryker-mutator/api/ignore';
import type { MutantResult } from '@stryker-mutator/api/core';

/**
 * Steward's Stryker plugins, loaded by Stryker (`plugins: [<this file>]`) inside the Stryker process.
 *
 * This module is standalone on purpose: Stryker imports it by path from wherever Steward runs (this
 * file under Node's type stripping in development; a separate `stryker-plugins.mjs` beside the
 * bundle once the action ships it), and there is no node_modules beside a bundle. So it imports
 * types only: the plugin declarations are the plain `{ kind, name, value }` objects that
 * `declareValuePlugin` returns, and the Babel paths are read structurally.
 */

/** The name to put in Stryker's `ignorers` option. */
export const ARID_IGNORER_NAME = 'steward-arid';
/** The name to put in Stryker's `reporters` option. */
export const PROGRESS_REPORTER_NAME = 'steward-progress';
/** Environment variable carrying the extra arid call patterns as a JSON array of strings. */
export const ARID_CALLS_ENV = 'STEWARD_ARID_CALLS';

/** Calls whose arguments never deserve a mutant (Google's "arid" nodes): logging, debugging, telemetry. */
export const BUILT_IN_ARID_CALLS: readonly string[] = [
  'console.*',
  'logger.*',
  'log.*',
  'debug',
  'debug.*',
  'telemetry.*',
];

const PATTERN = /^(?:[A-Za-z_$][\w$]*|\*)(?:\.(?:[A-Za-z_$][\w$]*|\*))*$/;

/** Why `pattern` is not a valid arid call pattern, or undefined when it is. */
export function aridPatternProblem(pattern: string): string | undefined {
  return PATTERN.test(pattern)
    ? undefined
    : `"${pattern}" is not a call pattern: use dotted names with * for one segment, like "console.*" or "logger.debug"`;
}

/** Matches a dotted callee name against a pattern; `*` stands for one segment, and a trailing `*` for the rest. */
export function matchesCall(pattern: string, callee: string): boolean {
  const want = pattern.split('.');
  const have = callee.split('.');
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (segment === '*' && i === want.length - 1) return have.length >= want.length;
    if (i >= have.length || (segment !== '*' && segment !== have[i])) return false;
  }
  return have.length === want.length;
}

interface BabelNode {
  type: string;
  [key: string]: unknown;
}

/** `console.log`, `this.logger.debug`, `debug`: the callee as a dotted name, or undefined for a computed one. */
function calleeName(node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as BabelNode;
  if (n.type === 'Identifier') return n.name as string;
  if (n.type === 'ThisExpression') return 'this';
  if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed) {
    const object = calleeName(n.object);
    const property = n.property as BabelNode;
    if (object === undefined || property.type !== 'Identifier') return undefined;
    return `${object}.${property.name as string}`;
  }
  return undefined;
}

function readExtraPatterns(): string[] {
  const raw = process.env[ARID_CALLS_ENV];
  if (raw === undefined || raw === '') return [];
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    throw new Error(`${ARID_CALLS_ENV} must be a JSON array of strings, got ${raw}`);
  }
  const bad = parsed.map(aridPatternProblem).find((p) => p !== undefined);
  if (bad !== undefined) throw new Error(`${ARID_CALLS_ENV}: ${bad}`);
  return parsed;
}

/**
 * The call a node is, or the call a statement consists of: Stryker also mutates the statement
 * `console.log(x);` as a whole (removing it), and that mutant is as arid as those in the arguments.
 */
function aridCallOf(node: BabelNode | undefined): BabelNode | undefined {
  let current = node;
  if (current?.type === 'ExpressionStatement') current = current.expression as BabelNode;
  if (current?.type === 'AwaitExpression') current = current.argument as BabelNode;
  return current?.type === 'CallExpression' || current?.type === 'OptionalCallExpression'
    ? current
    : undefined;
}

/** Creates the ignorer: a call whose callee matches a pattern is skipped whole, arguments and all. */
export function createAridIgnorer(extra: readonly string[]): Ignorer {
  const patterns = [...BUILT_IN_ARID_CALLS, ...extra];
  return {
    shouldIgnore(path: NodePath): string | undefined {
      const node = aridCallOf((path as { node?: BabelNode }).node);
      if (node === undefined) return undefined;
      const name = calleeName(node.callee);
      if (name === undefined) return undefined;
      const bare = name.startsWith('this.') ? name.slice('this.'.length) : name;
      const hit = patterns.find((pattern) => matchesCall(pattern, bare));
      return hit === undefined ? undefined : `Steward: arid call ${bare}(…) matches "${hit}"`;
    },
  };
}

/** Ids of the mutants this run tests; reused (incremental) and early results are reported too, and skipped. */
const toRun = new Set<string>();
let mutantsTested = 0;

/** The report schema's fields of a result, and the file it is in. */
const REPORTED_FIELDS = [
  'id',
  'mutatorName',
  'replacement',
  'description',
  'location',
  'status',
  'statusReason',
  'coveredBy',
  'killedBy',
  'testsCompleted',
  'static',
  'duration',
] as const;

function reportedMutant(result: Readonly<MutantResult>): Record<string, unknown> {
  const out: Record<string, unknown> = { fileName: result.fileName };
  for (const field of REPORTED_FIELDS) {
    const value: unknown = (result as unknown as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** Sends progress to the Steward process that started Stryker (an IPC channel), if any. */
function send(message: object): void {
  process.send?.(message);
}

const progressReporter = {
  onMutationTestingPlanReady({
    mutantPlans,
  }: {
    mutantPlans: readonly { plan: string; mutant: { id: string } }[];
  }): void {
    mutantPlans.filter((p) => p.plan === 'Run').forEach((p) => toRun.add(p.mutant.id));
    send({ type: 'plan', run: toRun.size, early: mutantPlans.length - toRun.size });
  },
  onMutantTested(result: Readonly<MutantResult>): void {
    // Every result goes to Steward as it comes: a Stryker that dies before writing its report
    // (an exception, a kill) still leaves what it tested, reported as partial.
    send({ type: 'result', planned: toRun.has(result.id), mutant: reportedMutant(result) });
    if (!toRun.has(result.id)) return;
    mutantsTested++;
    send({ type: 'tested', tested: mutantsTested, total: toRun.size });
  },
};

/** What Stryker reads from a plugin module: the declarations `declareValuePlugin` would build. */
export const strykerPlugins = [
  { kind: 'Ignore', name: ARID_IGNORER_NAME, value: createAridIgnorer(readExtraPatterns()) },
  { kind: 'Reporter', name: PROGRESS_REPORTER_NAME, value: progressReporter },
];
