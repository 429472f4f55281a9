import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { calculateMutationTestMetrics } from 'mutation-testing-metrics';
import { schema } from 'mutation-testing-report-schema';
import type {
  FileResult,
  MutantResult,
  MutantStatus,
  MutationTestResult,
  TestFile,
} from 'mutation-testing-report-schema';
import type { MutateRange } from './scope.ts';

/**
 * Stryker's `mutation.json` (any tool's report in the mutation-testing-report-schema), read as the
 * hostile input it is: checked against the official JSON schema, then scored with
 * mutation-testing-metrics on the changed lines only. Shards' reports merge into one.
 */

export class MutationReportError extends Error {
  /** Where in the report it went wrong, such as `files["src/a.ts"].mutants[3].status`; '' for the whole. */
  readonly field: string;
  constructor(where: string, field: string, message: string) {
    super(`${where}${field === '' ? '' : ` at ${field}`}: ${message}`);
    this.name = 'MutationReportError';
    this.field = field;
  }
}

let validator: ValidateFunction | undefined;

/**
 * The official schema without `uniqueItems` on arrays of objects (the mutants): ajv checks that by
 * comparing every pair, 12 s for 24,000 mutants, so a large or hostile report would stall the
 * step. parseMutationReport checks what it means instead, in one pass: no two mutants share an id.
 */
function withoutPairwiseChecks(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPairwiseChecks);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, withoutPairwiseChecks(value)]);
  const out = Object.fromEntries(entries) as Record<string, unknown>;
  const items = out['items'] as { type?: unknown } | undefined;
  if (out['uniqueItems'] === true && items?.type === 'object') delete out['uniqueItems'];
  return out;
}

function validate(): ValidateFunction {
  // Compiled once, on first use: ajv's compile is the slow part, the check itself is quick.
  validator ??= new Ajv({ allErrors: false, strict: false, validateFormats: false }).compile(
    withoutPairwiseChecks(schema) as object,
  );
  return validator;
}

/** An ajv instance path (`/files/src~1a.ts/mutants/0/status`) as a field a reader can find. */
function fieldOf(instancePath: string): string {
  if (instancePath === '') return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part, index) =>
      /^\d+$/.test(part)
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
          ? `${index === 0 ? '' : '.'}${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

/** The field of a file in the report: `files["src/a.ts"]`. */
function fileField(path: string): string {
  return fieldOf(`/files/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required')
    return `missing the required field ${String(params.missingProperty)}`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues))
    return `expected one of ${params.allowedValues.join(', ')}`;
  return error.message ?? `fails the schema's ${error.keyword} rule`;
}

/**
 * A report from parsed JSON, or a MutationReportError naming the first field that breaks the
 * schema (and the source file of a mutant that points at no line of it).
 */
export function parseMutationReport(input: unknown, where = 'mutation.json'): MutationTestResult {
  const check = validate();
  if (!check(input)) {
    const error = check.errors?.[0];
    if (error === undefined) throw new MutationReportError(where, '', 'not a mutation report');
    throw new MutationReportError(where, fieldOf(error.instancePath), describeError(error));
  }
  const report = input as MutationTestResult;
  const ids = new Set<string>();
  for (const [path, file] of Object.entries(report.files)) {
    const lineCount = file.source.split('\n').length;
    file.mutants.forEach((mutant, index) => {
      if (ids.has(mutant.id))
        throw new MutationReportError(
          where,
          `${fileField(path)}.mutants[${index}].id`,
          `the id ${JSON.stringify(mutant.id.slice(0, 40))} is not unique; every mutant needs its own`,
        );
      ids.add(mutant.id);
      const { start, end } = mutant.location;
      if (start.line > lineCount || end.line > lineCount || end.line < start.line)
        throw new MutationReportError(
          where,
          `${fileField(path)}.mutants[${index}].location`,
          `lines ${start.line}-${end.line} are not inside the file's ${lineCount} lines of source`,
        );
    });
  }
  return report;
}

/** A report from the text of `mutation.json`. */
export function parseMutationReportText(text: string, where = 'mutation.json'): MutationTestResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MutationReportError(where, '', `not JSON (${reason}); is the file complete?`);
  }
  return parseMutationReport(data, where);
}

/** A report path as the diff names files: forward slashes, no leading `./`. */
export function normaliseReportPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

/**
 * Whether a mutant lies on changed lines: its first and last line inside one range, which is how
 * Stryker places mutants when `mutate` holds ranges.
 */
export function mutantInRanges(
  ranges: readonly MutateRange[],
  path: string,
  mutant: Pick<MutantResult, 'location'>,
): boolean {
  const { start, end } = mutant.location;
  return ranges.some((r) => r.path === path && start.line >= r.startLine && end.line <= r.endLine);
}

/** The report cut down to the mutants on the changed lines (files with none left out). */
export function restrictToRanges(
  report: MutationTestResult,
  ranges: readonly MutateRange[],
): MutationTestResult {
  const files = new Map<string, FileResult>();
  for (const [key, file] of Object.entries(report.files)) {
    const path = normaliseReportPath(key);
    const mutants = file.mutants.filter((m) => mutantInRanges(ranges, path, m));
    if (mutants.length === 0) continue;
    // `./src/a.ts` and `src/a.ts` are one file: their mutants add up, none is lost.
    const seen = files.get(path);
    files.set(path, { ...file, mutants: [...(seen?.mutants ?? []), ...mutants] });
  }
  return { ...report, files: Object.fromEntries(files) };
}

/** The report cut down to whole files (the base branch's report, whose lines differ). */
export function restrictToFiles(
  report: MutationTestResult,
  paths: ReadonlySet<string>,
): MutationTestResult {
  const files = Object.entries(report.files)
    .map(([key, file]): [string, FileResult] => [normaliseReportPath(key), file])
    .filter(([path]) => paths.has(path));
  return { ...report, files: Object.fromEntries(files) };
}

/** What a score is made of, from mutation-testing-metrics. */
export interface MutationCounts {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  compileErrors: number;
  runtimeErrors: number;
  ignored: number;
  pending: number;
  /** Every mutant, valid or not. */
  total: number;
  /** Killed + timeout over killed + timeout + survived + no coverage, 0–100; null with no valid mutant. */
  score: number | null;
}

export function countMutants(report: MutationTestResult): MutationCounts {
  const m = calculateMutationTestMetrics(report).systemUnderTestMetrics.metrics;
  return {
    killed: m.killed,
    survived: m.survived,
    noCoverage: m.noCoverage,
    timeout: m.timeout,
    compileErrors: m.compileErrors,
    runtimeErrors: m.runtimeErrors,
    ignored: m.ignored,
    pending: m.pending,
    total: m.totalMutants,
    score: Number.isNaN(m.mutationScore) ? null : m.mutationScore,
  };
}

export interface ChangedLinesAnalysis {
  /** The head report restricted to the changed lines. */
  report: MutationTestResult;
  counts: MutationCounts;
  /** The score of the same files in the base branch's report; null without one or with no mutant there. */
  baseScore: number | null;
  /** Setup, dry run and mutation, in milliseconds; null when the report has no performance. */
  durationMs: number | null;
  /** Pending mutants are ones Stryker never ran: a crash or timeout left the report partial. */
  partial: boolean;
}

export function analyseChangedLines(
  head: MutationTestResult,
  ranges: readonly MutateRange[],
  base: MutationTestResult | null = null,
): ChangedLinesAnalysis {
  const report = restrictToRanges(head, ranges);
  const counts = countMutants(report);
  const paths = new Set(ranges.map((r) => r.path));
  const baseScore = base === null ? null : countMutants(restrictToFiles(base, paths)).score;
  return {
    report,
    counts,
    baseScore,
    durationMs: durationOf(head),
    partial: counts.pending > 0,
  };
}

function durationOf(report: MutationTestResult): number | null {
  const p = report.performance;
  return p === undefined ? null : p.setup + p.initialRun + p.mutation;
}

/** The same mutant in two reports: where, what and into what. */
function mutantKey(path: string, m: MutantResult): string {
  const { start, end } = m.location;
  return JSON.stringify([
    path,
    m.mutatorName,
    start.line,
    start.column,
    end.line,
    end.column,
    m.replacement ?? null,
  ]);
}

/** A status that says what happened wins over one that says it was not run. */
const STATUS_RANK: Record<MutantStatus, number> = {
  Pending: 0,
  Ignored: 1,
  NoCoverage: 2,
  Survived: 3,
  Killed: 4,
  Timeout: 4,
  RuntimeError: 4,
  CompileError: 4,
};

/**
 * Several shards' reports as one, as if one run had tested every shard's ranges: files are
 * united; a file in several shards must have the same source there, and its mutants are united
 * (the same mutant twice keeps its most decisive status). Ids that clash between shards are
 * made unique, and the tests that killed or covered a mutant follow their renamed ids. Thresholds
 * and metadata come from the first report; the duration is the longest shard's, as the shards run
 * side by side.
 */
export function mergeReports(
  reports: readonly MutationTestResult[],
  where = 'shard',
): MutationTestResult {
  const [first] = reports;
  if (first === undefined) throw new MutationReportError(where, '', 'no report to merge');
  const files = new Map<string, { file: FileResult; mutants: Map<string, MutantResult> }>();
  const mutantIds = new Set<string>();
  const testFiles = new Map<string, TestFile>();
  const testNames = new Map<string, string>();
  reports.forEach((report, shard) => {
    const testIds = new Map<string, string>();
    for (const [key, testFile] of Object.entries(report.testFiles ?? {})) {
      const path = normaliseReportPath(key);
      const merged = testFiles.get(path) ?? { ...testFile, tests: [] };
      for (const test of testFile.tests) {
        let id = test.id;
        const known = testNames.get(id);
        if (known !== undefined && known !== test.name) id = `${test.id}@shard${shard + 1}`;
        testIds.set(test.id, id);
        if (!testNames.has(id)) {
          testNames.set(id, test.name);
          merged.tests.push({ ...test, id });
        }
      }
      testFiles.set(path, merged);
    }
    const renameTests = (ids: string[] | undefined) => ids?.map((id) => testIds.get(id) ?? id);
    for (const [key, file] of Object.entries(report.files)) {
      const path = normaliseReportPath(key);
      let entry = files.get(path);
      if (entry === undefined) {
        entry = { file, mutants: new Map() };
        files.set(path, entry);
      } else if (entry.file.source !== file.source) {
        throw new MutationReportError(
          `${where} ${shard + 1}`,
          `files[${JSON.stringify(path)}].source`,
          'differs from another shard’s: the shards ran on different commits',
        );
      }
      for (const mutant of file.mutants) {
        const k = mutantKey(path, mutant);
        const seen = entry.mutants.get(k);
        if (seen !== undefined && STATUS_RANK[seen.status] >= STATUS_RANK[mutant.status]) continue;
        let id = seen?.id ?? mutant.id;
        if (seen === undefined && mutantIds.has(id)) id = `${mutant.id}@shard${shard + 1}`;
        mutantIds.add(id);
        entry.mutants.set(k, {
          ...mutant,
          id,
          ...(mutant.killedBy === undefined ? {} : { killedBy: renameTests(mutant.killedBy) }),
          ...(mutant.coveredBy === undefined ? {} : { coveredBy: renameTests(mutant.coveredBy) }),
        });
      }
    }
  });
  const performance = reports.every((r) => r.performance !== undefined)
    ? {
        setup: Math.max(...reports.map((r) => r.performance!.setup)),
        initialRun: Math.max(...reports.map((r) => r.performance!.initialRun)),
        mutation: Math.max(...reports.map((r) => r.performance!.mutation)),
      }
    : undefined;
  const merged: MutationTestResult = {
    ...first,
    files: Object.fromEntries(
      [...files].map(([path, { file, mutants }]) => [
        path,
        { ...file, mutants: [...mutants.values()] },
      ]),
    ),
  };
  if (testFiles.size > 0) merged.testFiles = Object.fromEntries(testFiles);
  if (performance !== undefined) merged.performance = performance;
  else delete merged.performance;
  return merged;
}
