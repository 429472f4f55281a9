import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import { MutationReportError, parseMutationReportText } from '../mutation/report.ts';
import type { RevisionReader } from '../revision/reader.ts';

/**
 * The files `steward mutate` reads and writes besides the repository: Stryker's incremental file
 * (one per branch, in the repository's Steward directory), the reports of `--out`, the base report
 * of `--base-report` and the shard reports of `--merge`.
 */

/** Where the incremental files live, under the repository's Steward directory (`.git/steward`). */
export const INCREMENTAL_DIR = 'mutation';

/** What `--out` writes: the whole Stryker report and its HTML page. */
export const OUT_JSON = 'mutation.json';
export const OUT_HTML = 'mutation.html';

/** Longest branch slug kept whole; a longer name is cut and told apart by a digest. */
const MAX_SLUG = 100;

/**
 * The incremental file's name for the checked-out branch: one per branch, so switching branches
 * does not throw away another branch's results. `headRef` is what HEAD points at
 * (`refs/heads/feature/x`), null when detached (then `HEAD`, which no branch can be named). Every
 * byte but letters, digits, `_` and `-` is written `%XX`, so the name has no `/`, no `.` (nor
 * `..`) and cannot clash between two branches; a shard keeps its own file, as shards may run at once.
 */
export function incrementalFileName(
  headRef: string | null,
  shard?: { index: number; count: number },
): string {
  const branch = headRef?.startsWith('refs/heads/') ? headRef.slice('refs/heads/'.length) : null;
  let slug =
    branch === null || branch === ''
      ? 'HEAD'
      : [...Buffer.from(branch, 'utf8')]
          .map((byte) =>
            /[A-Za-z0-9_-]/.test(String.fromCharCode(byte))
              ? String.fromCharCode(byte)
              : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
          )
          .join('');
  if (slug.length > MAX_SLUG) {
    const digest = createHash('sha256')
      .update(branch ?? '')
      .digest('hex')
      .slice(0, 16);
    slug = `${slug.slice(0, MAX_SLUG - 17).replace(/%[0-9A-F]?$/, '')}-${digest}`;
  }
  const part = shard === undefined ? '' : `.shard-${shard.index}-of-${shard.count}`;
  return `${slug}${part}.json`;
}

/**
 * Tracked files whose content in the work tree (or the index) differs from HEAD's. Stryker
 * mutates the files on disk while the lines come from the commits, so with such changes the
 * ranges point at the wrong code.
 */
export async function changedSinceHead(reader: RevisionReader): Promise<string[]> {
  const { stdout } = await reader.run(['diff', '--name-only', '-z', '--no-renames', 'HEAD', '--']);
  return stdout.split('\0').filter((path) => path !== '');
}

/**
 * A mutation report file, checked; a MutationReportError names the file (as `where`, by default
 * the path) and the field.
 */
export async function readReportFile(path: string, where = path): Promise<MutationTestResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new MutationReportError(where, '', `cannot be read (${describeFsError(error)})`);
  }
  return parseMutationReportText(text, where);
}

/**
 * The `--out` directory, created, with the files of an earlier run removed (the report, the HTML
 * page, a shard's record): none is ever shown as this run's.
 */
export async function prepareOut(
  dir: string,
  recordFile: string,
): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const files = { json: join(dir, OUT_JSON), html: join(dir, OUT_HTML) };
  await Promise.all(
    [files.json, files.html, join(dir, recordFile)].map((path) => rm(path, { force: true })),
  );
  return files;
}

/** Writes `mutation.json` (the whole report) and lists what is there, relative to `cwd`. */
export async function writeOut(
  files: { json: string; html: string },
  report: MutationTestResult | null,
  extra: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const written: string[] = [];
  if (report !== null) {
    await writeFile(files.json, `${JSON.stringify(report)}\n`);
    written.push(files.json);
  }
  for (const [path, text] of Object.entries(extra)) {
    await writeFile(path, text);
    written.push(path);
  }
  if (await exists(files.html)) written.push(files.html);
  return written;
}

export function shown(cwd: string, path: string): string {
  return relative(cwd, path) || path;
}

/** One `--merge` argument, read: the report, and the record beside it when there is one. */
export interface MergeArgument {
  report: MutationTestResult | null;
  /** The text of `steward-shard.json` beside the report, unparsed; null when there is none. */
  record: string | null;
  /** The directory the shard was read from, for errors. */
  where: string;
}

/**
 * `--merge` arguments: a shard's directory (its `mutation.json` and `recordFile`), a directory of
 * such directories (an artifacts download), or a `mutation.json` itself.
 * @throws MutationReportError naming the path that holds no report, or the field that is wrong.
 */
export async function readMergeArguments(
  paths: readonly string[],
  cwd: string,
  recordFile: string,
): Promise<MergeArgument[]> {
  const found: MergeArgument[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    const kind = await stat(path).then(
      (s) => (s.isDirectory() ? 'dir' : 'file'),
      (error: unknown) => {
        throw new MutationReportError(given, '', `cannot be read (${describeFsError(error)})`);
      },
    );
    if (kind === 'file') {
      found.push(await readShard(cwd, dirname(path), basename(path), recordFile));
      continue;
    }
    if (await isShardDir(path, recordFile)) {
      found.push(await readShard(cwd, path, OUT_JSON, recordFile));
      continue;
    }
    const inner = (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(path, entry.name))
      .sort();
    const shards: string[] = [];
    for (const dir of inner) if (await isShardDir(dir, recordFile)) shards.push(dir);
    if (shards.length === 0)
      throw new MutationReportError(
        given,
        '',
        `holds no ${OUT_JSON} nor ${recordFile}, nor folders with them: pass the folders \`steward mutate --shard I/N --out DIR\` wrote`,
      );
    for (const dir of shards) found.push(await readShard(cwd, dir, OUT_JSON, recordFile));
  }
  return found;
}

async function isShardDir(dir: string, recordFile: string): Promise<boolean> {
  return (await exists(join(dir, OUT_JSON))) || (await exists(join(dir, recordFile)));
}

async function readShard(
  cwd: string,
  dir: string,
  reportName: string,
  recordFile: string,
): Promise<MergeArgument> {
  const reportPath = join(dir, reportName);
  const recordPath = join(dir, recordFile);
  const record = (await exists(recordPath)) ? await readFile(recordPath, 'utf8') : null;
  const report = (await exists(reportPath))
    ? await readReportFile(reportPath, shown(cwd, reportPath))
    : null;
  if (report === null && record === null)
    throw new MutationReportError(shown(cwd, reportPath), '', 'does not exist');
  return { report, record, where: dir };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
