import { LOG_FORMAT } from './log-parser.ts';

/**
 * The one `git log` that history mining reads. Exported so the benchmark times exactly this
 * command on its own.
 *
 * - `--no-merges`: a change brought in by a merge is counted once, in the commit that made it, under
 *   its real author. Git prints no diff for merge commits by default anyway, so keeping them would
 *   only add empty commits; `--first-parent` with `-m` would instead fold each merged branch into
 *   one commit by the person who merged it, losing authors and revisions.
 * - `--date-order`: children before parents even when clocks were skewed, which rename following
 *   relies on (see RenameTracker).
 * - `-M`: rename detection, so a renamed file keeps its history under its new name. It also
 *   overrides `diff.renames=copies` in git config: a copy is not a rename (its source lives on).
 * - `-z` and `core.quotePath=false`: paths raw and NUL-terminated, whatever characters they hold.
 * - `--root`: the first commit's files count as changed even with `log.showRoot=false`.
 * - `--no-textconv --no-ext-diff --no-show-signature --no-color`: keep user configuration from
 *   running programs per file or mixing other text into the output.
 * - `--since`: the window is chosen by commit date, as git does.
 */
export function gitLogArgs(head: string, since: Date | null): string[] {
  return [...logOptions(), '--date-order', ...sinceArgs(since), head, '--'];
}

/**
 * The same records as gitLogArgs prints, for the given commits only (none of them a merge), in no
 * particular order: a commit's record depends only on the commit and its first parent, not on the
 * walk that reached it. Used to fill the history cache with the commits it lacks.
 */
export function gitLogCommitsArgs(shas: readonly string[]): string[] {
  return [...logOptions(), '--no-walk=unsorted', ...shas, '--'];
}

/**
 * The fallback when the repository lacks file contents that `--numstat` and rename detection need
 * (a damaged clone): the same walk with the changed paths only (`--name-only`, read from trees
 * alone), no line counts, renames not followed. LogParser reads it with `namesOnly`.
 */
export function gitLogNamesOnlyArgs(head: string, since: Date | null): string[] {
  return [
    ...logOptions(['--no-renames', '--name-only']),
    '--date-order',
    ...sinceArgs(since),
    head,
    '--',
  ];
}

/**
 * The same records for the commits after `from` up to `to` whose commit date is at or before
 * `until`, oldest first: what a backtest reads to follow files forward from its cut-off.
 */
export function gitLogForwardArgs(from: string, to: string, until: Date): string[] {
  return [
    ...logOptions(),
    '--date-order',
    '--reverse',
    `--until=@${gitSeconds(until)}`,
    `${from}..${to}`,
    '--',
  ];
}

/**
 * The SHAs of exactly the commits gitLogArgs prints, in the same order (rev-list and log share the
 * revision walk, and no diff option changes it), without computing a single diff. With the history
 * cache, this is the order and the window (git's own `--since`, cut-off rules included) that the
 * cached records are replayed in.
 */
export function gitRevListArgs(head: string, since: Date | null): string[] {
  return ['rev-list', '--no-merges', '--date-order', ...sinceArgs(since), head, '--'];
}

/** The options every mining `git log` shares; `changes` says how each commit's files are listed. */
function logOptions(changes: readonly string[] = ['-M', '--numstat']): string[] {
  return [
    '-c',
    'core.quotePath=false',
    'log',
    '--no-merges',
    ...changes,
    '--root',
    '-z',
    `--format=${LOG_FORMAT}`,
    '--encoding=UTF-8',
    '--no-textconv',
    '--no-ext-diff',
    '--no-show-signature',
    '--no-color',
  ];
}

function sinceArgs(since: Date | null): string[] {
  return since ? [`--since=@${gitSeconds(since)}`] : [];
}

/** A date as git's `@<seconds>` takes it (never before the epoch). */
export function gitSeconds(date: Date): number {
  return Math.max(0, Math.floor(date.getTime() / 1000));
}
