import { streamGit } from './process.ts';

/**
 * The `git` arguments (before the range) whose output parseGitDiff reads, every option that shapes
 * hunks pinned to git's defaults (the ones GitHub's diff uses), so nothing in the user's or the
 * repository's git config moves a hunk: `diff.context` and `diff.interHunkContext` would widen
 * hunks (an "inline" finding would land on lines GitHub does not show), `diff.algorithm` and
 * `diff.indentHeuristic` would cut them differently, a textconv or external driver would replace
 * the text, `diff.relative` would drop paths, `diff.submodule=log` and `diff.suppressBlankEmpty`
 * would change lines the parser reads, and prefixes and colour are fixed for the parser. The
 * GIT_DIFF_OPTS and GIT_EXTERNAL_DIFF variables are dropped from git's environment (process.ts).
 */
export const GIT_DIFF_ARGS = [
  '-c',
  'core.quotePath=true',
  '-c',
  'diff.suppressBlankEmpty=false',
  'diff',
  '--no-ext-diff',
  '--no-textconv',
  '--no-color',
  '--unified=3',
  '--inter-hunk-context=0',
  '--diff-algorithm=myers',
  '--indent-heuristic',
  '--no-relative',
  '--submodule=short',
  '--ignore-submodules=none',
  '-O/dev/null',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '-M',
] as const;

/** The diff of `range` as text; streamed from git, so a large diff never meets a buffer limit. */
export async function readGitDiff(root: string, range: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamGit([...GIT_DIFF_ARGS, range], { cwd: root })) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
