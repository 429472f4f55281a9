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
  return [
    '-c',
    'core.quotePath=false',
    'log',
    '--no-merges',
    '--date-order',
    '-M',
    '--root',
    '--numstat',
    '-z',
    `--format=${LOG_FORMAT}`,
    '--encoding=UTF-8',
    '--no-textconv',
    '--no-ext-diff',
    '--no-show-signature',
    '--no-color',
    ...(since ? [`--since=@${Math.max(0, Math.floor(since.getTime() / 1000))}`] : []),
    head,
    '--',
  ];
}
