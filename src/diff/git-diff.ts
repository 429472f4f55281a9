import { commentableLines, DiffParseError, parsePatch } from './review-file.ts';
import type { ReviewFile } from './review-file.ts';
import { GitPathError, readGitPath, unquoteGitPath } from '../review/git-path.ts';

/**
 * Parses the full output of `git <GIT_DIFF_ARGS> base...head` (src/git/diff.ts) into review files.
 *
 * Throws DiffParseError naming the line for anything it does not understand: a review must not
 * anchor comments on a diff it only half read.
 */
export function parseGitDiff(text: string): ReviewFile[] {
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  const starts: number[] = [];
  rows.forEach((row, index) => {
    if (row.startsWith('diff --git ')) starts.push(index);
  });
  if (rows.length > 0 && starts[0] !== 0) {
    throw new DiffParseError(
      `diff line 1: expected "diff --git", found ${JSON.stringify(rows[0]!.slice(0, 80))}`,
    );
  }
  return starts.map((start, i) => parseFileSection(rows, start, starts[i + 1] ?? rows.length));
}

interface Header {
  oldPath: string | null;
  newPath: string | null;
  renameFrom: string | null;
  renameTo: string | null;
  copy: boolean;
  added: boolean;
  deleted: boolean;
  modeChanged: boolean;
  binary: boolean;
}

// Extended header lines whose values the review does not need, only their presence being valid.
const IGNORED_HEADERS = ['index ', 'similarity index ', 'dissimilarity index '];

function parseFileSection(rows: string[], start: number, end: number): ReviewFile {
  const at = (index: number): string => `diff line ${index + 1}`;
  const header: Header = {
    oldPath: null,
    newPath: null,
    renameFrom: null,
    renameTo: null,
    copy: false,
    added: false,
    deleted: false,
    modeChanged: false,
    binary: false,
  };
  let index = start + 1;
  let binaryPatch = false;
  for (; index < end && !rows[index]!.startsWith('@@'); index++) {
    const row = rows[index]!;
    if (binaryPatch) continue; // `git diff --binary` payload: base85 lines, nothing to review
    try {
      binaryPatch = readHeaderLine(row, header);
    } catch (error: unknown) {
      if (error instanceof GitPathError || error instanceof DiffParseError)
        throw new DiffParseError(`${at(index)}: ${error.message}`);
      throw error;
    }
  }
  const gitLine = rows[start]!;
  const fromGitLine = () => {
    try {
      return pathsOfGitLine(gitLine.slice('diff --git '.length));
    } catch (error: unknown) {
      if (error instanceof GitPathError || error instanceof DiffParseError)
        throw new DiffParseError(`${at(start)}: ${error.message}`);
      throw error;
    }
  };
  const path =
    header.renameTo ??
    header.newPath ??
    (header.deleted ? header.oldPath : null) ??
    header.oldPath ??
    fromGitLine().newPath;
  const hunkRows = rows.slice(index, end);
  const patch = hunkRows.length > 0 ? hunkRows.join('\n') : null;
  const hunks = patch === null ? [] : parsePatch(patch, `${at(index)} (${path})`);
  const renamed = header.renameFrom !== null;
  return {
    path,
    previousPath: renamed ? header.renameFrom : null,
    status: statusOf(header, hunks.length > 0),
    binary: header.binary,
    patch,
    patchOmitted: false,
    commentable: commentableLines(hunks),
    hunks,
  };
}

function statusOf(header: Header, hasHunks: boolean): ReviewFile['status'] {
  if (header.added) return 'added';
  if (header.deleted) return 'removed';
  if (header.renameFrom !== null) return header.copy ? 'copied' : 'renamed';
  if (header.modeChanged && !hasHunks && !header.binary) return 'changed';
  return 'modified';
}

/** Applies one extended header line; returns true when a binary patch payload follows. */
function readHeaderLine(row: string, header: Header): boolean {
  const value = (prefix: string) => row.slice(prefix.length);
  if (row.startsWith('--- ')) header.oldPath = prefixedPath(value('--- '), 'a/');
  else if (row.startsWith('+++ ')) header.newPath = prefixedPath(value('+++ '), 'b/');
  else if (row.startsWith('rename from '))
    header.renameFrom = unquoteGitPath(value('rename from '));
  else if (row.startsWith('rename to ')) header.renameTo = unquoteGitPath(value('rename to '));
  else if (row.startsWith('copy from ')) {
    header.renameFrom = unquoteGitPath(value('copy from '));
    header.copy = true;
  } else if (row.startsWith('copy to ')) header.renameTo = unquoteGitPath(value('copy to '));
  else if (row.startsWith('new file mode ')) header.added = true;
  else if (row.startsWith('deleted file mode ')) header.deleted = true;
  else if (row.startsWith('old mode ') || row.startsWith('new mode ')) header.modeChanged = true;
  else if (row.startsWith('Binary files ') && row.endsWith(' differ')) header.binary = true;
  else if (row === 'GIT binary patch') {
    header.binary = true;
    return true;
  } else if (!IGNORED_HEADERS.some((prefix) => row.startsWith(prefix))) {
    throw new DiffParseError(`unexpected header line ${JSON.stringify(row.slice(0, 80))}`);
  }
  return false;
}

/** The path of a ---/+++ line without its a/ or b/ prefix; null for /dev/null. */
function prefixedPath(raw: string, prefix: 'a/' | 'b/'): string | null {
  // Git ends the name with a tab when it holds a space, so patch(1) can tell where it stops.
  const text = raw.replace(/\t$/, '');
  if (text === '/dev/null') return null;
  return stripPrefix(unquoteGitPath(text), prefix);
}

function stripPrefix(path: string, prefix: 'a/' | 'b/'): string {
  if (!path.startsWith(prefix)) {
    throw new DiffParseError(
      `path ${JSON.stringify(path)} lacks the ${prefix} prefix; run git diff with --src-prefix=a/ --dst-prefix=b/`,
    );
  }
  return path.slice(prefix.length);
}

/**
 * Paths of `diff --git a/X b/Y`, needed only when no other header names the file (binary files,
 * mode changes). Unquoted names with spaces are ambiguous in general, but such a line without
 * rename headers always names the same path twice, so the midpoint is the split.
 */
function pathsOfGitLine(rest: string): { oldPath: string; newPath: string } {
  if (rest.startsWith('"')) {
    const first = readGitPath(rest);
    if (rest[first.end] !== ' ') throw new DiffParseError('expected a space after the old path');
    const second = readGitPath(rest, first.end + 1);
    return { oldPath: stripPrefix(first.path, 'a/'), newPath: stripPrefix(second.path, 'b/') };
  }
  if (rest.endsWith('"')) {
    const split = rest.lastIndexOf(' "b/');
    if (split > 0) {
      return {
        oldPath: stripPrefix(rest.slice(0, split), 'a/'),
        newPath: stripPrefix(unquoteGitPath(rest.slice(split + 1)), 'b/'),
      };
    }
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ') {
    const oldPath = stripPrefix(rest.slice(0, half), 'a/');
    const newPath = stripPrefix(rest.slice(half + 1), 'b/');
    if (oldPath === newPath) return { oldPath, newPath };
  }
  const split = rest.indexOf(' b/');
  if (split > 0 && rest.indexOf(' b/', split + 1) < 0) {
    return { oldPath: stripPrefix(rest.slice(0, split), 'a/'), newPath: rest.slice(split + 3) };
  }
  throw new DiffParseError(`cannot tell the two paths apart in "diff --git ${rest}"`);
}
