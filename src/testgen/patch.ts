import { z } from 'zod';
import type { Funnel } from './types.ts';

/**
 * The patch between the two jobs of test generation. Job 1 (model key, read-only token, runs the
 * pull request's code) writes it as an artifact; job 2 (write token, no key, runs no repository
 * code) reads it with `checkPatch` before it applies anything. Whatever ran in job 1 could have
 * written the artifact, so job 2 treats it as hostile: only test files, only plain relative paths,
 * only text, within size caps, made for the head the pull request still has.
 */

export const PATCH_FORMAT = 'steward-test-patch';
export const PATCH_FORMAT_VERSION = 1;

/** Caps job 2 holds the artifact to: a few generated test files are far below them. */
export const PATCH_LIMITS = {
  /** The artifact's JSON text, read before parsing. */
  artifactBytes: 4 * 1024 * 1024,
  files: 50,
  fileBytes: 256 * 1024,
  totalBytes: 1024 * 1024,
  pathLength: 300,
  /** Each test name, mutant text, assertion of the report. */
  reportText: 2000,
  keptTests: 200,
  possibleBugs: 100,
  mutantsPerTest: 100,
} as const;

/** A mutant a kept test kills, as the body shows it. */
export interface KilledMutant {
  id: string;
  mutator: string;
  line: number;
  original: string;
  replacement: string;
}

/** One kept test: what it tests, where it went, and what it kills or newly covers. */
export interface KeptTestReport {
  name: string;
  /** `TestTarget.name` and the target's source path. */
  target: string;
  sourcePath: string;
  /** The test file it was written into. */
  testPath: string;
  kills: KilledMutant[];
  covers: number[];
}

/** A candidate that fails the pull request's code deterministically on an assertion. */
export interface PossibleBugReport {
  name: string;
  target: string;
  sourcePath: string;
  /** The failing assertion, as the test run reported it. */
  assertion: string;
}

/** What the pull request body reports: the funnel, the kept tests, the possible bugs. */
export interface DeliveryReport {
  funnel: Funnel;
  kept: KeptTestReport[];
  possibleBugs: PossibleBugReport[];
}

export interface PatchFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  text: string;
}

/** The artifact job 1 uploads and job 2 applies. */
export interface TestPatch {
  format: typeof PATCH_FORMAT;
  version: typeof PATCH_FORMAT_VERSION;
  /** `owner/repo` the tests were made in. */
  repository: string;
  pullRequest: number;
  /** The head commit the tests were generated and checked against. */
  headSha: string;
  files: PatchFile[];
  report: DeliveryReport;
}

declare const checked: unique symbol;

/**
 * A patch `checkPatch` accepted: the only kind `deliverTests` takes, so no caller can apply an
 * artifact it did not check.
 */
export type CheckedTestPatch = TestPatch & { readonly [checked]: true };

export function createTestPatch(input: Omit<TestPatch, 'format' | 'version'>): TestPatch {
  return { format: PATCH_FORMAT, version: PATCH_FORMAT_VERSION, ...input };
}

/** The artifact's text: what job 1 writes to disk. */
export function serializeTestPatch(patch: TestPatch): string {
  return `${JSON.stringify(patch, null, 2)}\n`;
}

/** Where a patch went wrong: the field (`files[2].path`), the file's path when there is one, why. */
export interface PatchProblem {
  field: string;
  path?: string;
  message: string;
}

export type PatchCheck =
  | { kind: 'ok'; patch: CheckedTestPatch }
  /** Made for another head than the pull request has now: generate the tests again. */
  | { kind: 'head-moved'; madeFor: string; current: string; message: string }
  | { kind: 'refused'; problems: PatchProblem[] };

export interface PatchCheckOptions {
  /** The project's own test-file rule (its test folders, its `include` globs); beside the built-in names. */
  testFile: (path: string) => boolean;
  /** What job 2 knows for itself (from the event and GitHub), never from the artifact. */
  expected: { repository: string; pullRequest: number; headSha: string };
}

const text = (max: number) => z.string().max(max);
const sha = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'expected a full commit SHA');
const count = z.number().int().nonnegative().max(1_000_000);
const reportText = text(PATCH_LIMITS.reportText);

const funnelSchema = z.strictObject({
  candidates: count,
  typeChecks: count,
  passes: count,
  stable: count,
  addsValue: count,
  kept: count,
  possibleBugs: count,
});

const reportSchema = z.strictObject({
  funnel: funnelSchema,
  kept: z
    .array(
      z.strictObject({
        name: reportText,
        target: reportText,
        sourcePath: reportText,
        testPath: reportText,
        kills: z
          .array(
            z.strictObject({
              id: text(100),
              mutator: text(100),
              line: count,
              original: reportText,
              replacement: reportText,
            }),
          )
          .max(PATCH_LIMITS.mutantsPerTest),
        covers: z.array(count).max(10_000),
      }),
    )
    .max(PATCH_LIMITS.keptTests),
  possibleBugs: z
    .array(
      z.strictObject({
        name: reportText,
        target: reportText,
        sourcePath: reportText,
        assertion: reportText,
      }),
    )
    .max(PATCH_LIMITS.possibleBugs),
});

// Strict objects: an entry with a `mode`, `type: "symlink"` or `target` is not a plain file.
const patchSchema = z.strictObject({
  format: z.literal(PATCH_FORMAT),
  version: z.literal(PATCH_FORMAT_VERSION),
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/repo'),
  pullRequest: z.number().int().positive(),
  headSha: sha,
  files: z
    .array(z.strictObject({ path: z.string(), text: z.string() }))
    .min(1, 'a patch with no files has nothing to deliver')
    .max(PATCH_LIMITS.files),
  report: reportSchema,
});

/** Parses the artifact's text (size first), then checks it like `checkPatch`. */
export function checkPatchText(raw: string, options: PatchCheckOptions): PatchCheck {
  const bytes = Buffer.byteLength(raw);
  if (bytes > PATCH_LIMITS.artifactBytes) {
    return refused([
      {
        field: '(artifact)',
        message: `is ${bytes} bytes, over the ${PATCH_LIMITS.artifactBytes}-byte cap`,
      },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    return refused([{ field: '(artifact)', message: `is not JSON: ${why}` }]);
  }
  return checkPatch(value, options);
}

/**
 * The artifact, checked as hostile input: its shape and format version, the repository and pull
 * request it claims, every file (a test file by name, a plain relative path outside `.github/`,
 * `node_modules/` and dot-folders, no manifest, lockfile or config, valid UTF-8 text within the
 * caps), and finally the head it was made for against the pull request's current head.
 */
export function checkPatch(artifact: unknown, options: PatchCheckOptions): PatchCheck {
  if (typeof artifact === 'object' && artifact !== null && !Array.isArray(artifact)) {
    const { format, version } = artifact as { format?: unknown; version?: unknown };
    if (format === PATCH_FORMAT && typeof version === 'number' && version > PATCH_FORMAT_VERSION) {
      return refused([
        {
          field: 'version',
          message: `is ${version}, made by a newer Steward than this one (format ${PATCH_FORMAT_VERSION}): use the same Steward version in both jobs`,
        },
      ]);
    }
  }
  const parsed = patchSchema.safeParse(artifact);
  if (!parsed.success) {
    return refused(
      parsed.error.issues.slice(0, 20).map((issue) => ({
        field: fieldOf(issue.path) || '(artifact)',
        message: issue.message.replace(/^Invalid input: /, ''),
      })),
    );
  }
  const patch = parsed.data as CheckedTestPatch;
  const problems: PatchProblem[] = [];
  const { expected } = options;
  if (patch.repository.toLowerCase() !== expected.repository.toLowerCase()) {
    problems.push({
      field: 'repository',
      message: `is ${patch.repository}, but this run delivers to ${expected.repository}`,
    });
  }
  if (patch.pullRequest !== expected.pullRequest) {
    problems.push({
      field: 'pullRequest',
      message: `is #${patch.pullRequest}, but this run delivers for #${expected.pullRequest}`,
    });
  }
  problems.push(...fileProblems(patch.files, options.testFile));
  // The report speaks of the files the patch holds, and of no other.
  const paths = new Set(patch.files.map((f) => f.path));
  patch.report.kept.forEach((test, index) => {
    if (!paths.has(test.testPath)) {
      problems.push({
        field: `report.kept[${index}].testPath`,
        path: test.testPath,
        message: 'names a file the patch does not hold',
      });
    }
  });
  if (problems.length > 0) return refused(problems);
  if (patch.headSha !== expected.headSha) {
    return {
      kind: 'head-moved',
      madeFor: patch.headSha,
      current: expected.headSha,
      message: `head moved: the tests were made for ${patch.headSha.slice(0, 7)} but #${expected.pullRequest} is now at ${expected.headSha.slice(0, 7)}; regenerate them`,
    };
  }
  return { kind: 'ok', patch };
}

function refused(problems: PatchProblem[]): PatchCheck {
  return { kind: 'refused', problems };
}

/** Every problem of every file, each naming the file. */
function fileProblems(files: readonly PatchFile[], testFile: (path: string) => boolean) {
  const problems: PatchProblem[] = [];
  const seen = new Map<string, string>();
  let total = 0;
  files.forEach((file, index) => {
    const add = (field: 'path' | 'text', message: string) =>
      problems.push({ field: `files[${index}].${field}`, path: file.path, message });
    const pathProblem = checkPath(file.path, testFile);
    if (pathProblem) add('path', pathProblem);
    // Case-insensitive file systems (macOS, Windows checkouts) would make two entries one file.
    const folded = file.path.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) add('path', `names the same file as ${earlier}`);
    seen.set(folded, file.path);
    const textProblem = checkText(file.text);
    if (textProblem) add('text', textProblem);
    const bytes = Buffer.byteLength(file.text);
    total += bytes;
    if (bytes > PATCH_LIMITS.fileBytes)
      add('text', `is ${bytes} bytes, over the ${PATCH_LIMITS.fileBytes}-byte cap per file`);
  });
  if (total > PATCH_LIMITS.totalBytes) {
    problems.push({
      field: 'files',
      message: `hold ${total} bytes, over the ${PATCH_LIMITS.totalBytes}-byte cap for a patch`,
    });
  }
  return problems;
}

/** Source files a test can be written in. */
const TEST_SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** `args.test.ts`, `args.spec.mjs`, `args.test-d.ts`. */
const TEST_NAME = /\.(?:test|spec)(?:-d)?\.(?:[cm]?[jt]s|[jt]sx)$/;
/** Folders no test belongs in: workflows and git's own, installed packages, dot-folders. */
const FORBIDDEN_SEGMENT = /^(?:\..*|node_modules|bower_components|jspm_packages)$/i;
/** Manifests, lockfiles and tool configs, whatever folder they are in: an install or a run obeys them. */
const FORBIDDEN_NAME =
  /^(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|pnpm-workspace\.yaml|bun\.lockb?|deno\.jsonc?|[tj]sconfig(?:\..*)?\.json)$|^[\w-]+\.(?:config|setup|teardown|workspace)\./i;
/**
 * A file in a test folder that is not itself named as a test, but as what a config points the run
 * at (`test/setup.ts`, `global-setup.ts`, `vitest-config.ts`): refused, since only a test is wanted.
 */
const SETUP_NAME = /(?:^|[.\-_])(?:config|setup|teardown|globalsetup|workspace)(?:[.\-_]|$)/i;

/** Why a path is not a test file Steward may write, or null when it is. */
function checkPath(path: string, testFile: (path: string) => boolean): string | null {
  if (path === '') return 'is empty';
  if (path.length > PATCH_LIMITS.pathLength)
    return `is ${path.length} characters long, over ${PATCH_LIMITS.pathLength}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F]/.test(path)) return 'holds a control character';
  if (path.includes('\\')) return 'holds a backslash: paths are `/`-separated';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return 'climbs out with `..`';
  if (segments.some((s) => s === '' || s === '.'))
    return 'has an empty or `.` segment: name the file plainly';
  if (!path.isWellFormed()) return 'is not valid UTF-8';
  // Windows drops a trailing dot or space (`node_modules.` is `node_modules`) and reads `:` as a
  // stream: such a name is another file there than the one checked here.
  const odd = segments.find((s) => /[.\s]$|[:*?"<>|]/.test(s));
  if (odd !== undefined)
    return `has a segment (\`${odd}\`) ending in a dot or space, or holding one of : * ? " < > |`;
  const forbidden = segments.slice(0, -1).find((s) => FORBIDDEN_SEGMENT.test(s));
  if (forbidden !== undefined)
    return `is inside \`${forbidden}/\`, where no test belongs (workflows, git, dot-folders, installed packages)`;
  const name = segments.at(-1)!;
  if (name.startsWith('.')) return 'is a dotfile (a tool config such as .npmrc), not a test';
  if (FORBIDDEN_NAME.test(name))
    return 'is a manifest, lockfile or tool config, which an install or the test run would obey: not a test';
  if (!TEST_SOURCE.test(name)) return 'is not a JavaScript or TypeScript source file';
  if (TEST_NAME.test(name)) return null;
  if (SETUP_NAME.test(name))
    return 'is named as a setup or config file, which the test run would load: not a test';
  const isTest = segments.slice(0, -1).includes('__tests__') || testFile(path);
  if (!isTest)
    return 'is not a test file (`*.test.*`, `*.spec.*`, `__tests__/`, or the project’s test folders)';
  return null;
}

const TROJAN = /[\u202A-\u202E\u2066-\u2069]/;

function checkText(value: string): string | null {
  if (!value.isWellFormed()) return 'is not valid UTF-8 (a lone surrogate)';
  if (value.includes('\u0000')) return 'holds a NUL byte: not text';
  if (TROJAN.test(value))
    return 'holds a bidirectional override (a "trojan source" character) that hides code from reviewers';
  return null;
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) =>
      typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
}
