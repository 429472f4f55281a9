import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GIT_DIFF_ARGS } from '../../src/git/diff.ts';
import { GitRepo } from '../support/git-repo.ts';

export interface DiffScenario {
  repo: GitRepo;
  base: string;
  head: string;
  diff: string;
  /** Text of a path at a revision, for checking the parsed hunks against the real files. */
  show(rev: string, path: string): string;
}

/**
 * A realistic multi-file change made with real git: a rename with edits, a binary image, a CRLF
 * file, a file losing its final newline, non-ASCII and spaced names, a deletion, a mode change.
 */
export function buildScenario(): DiffScenario {
  const repo = new GitRepo();
  const body = (n: number, tag = 'v') =>
    Array.from({ length: n }, (_, i) => `export const x${i} = '${tag}${i}';\n`).join('');
  repo
    .write('src/old-name.ts', body(30))
    .write('windows.txt', 'one\r\ntwo\r\nthree\r\n')
    .write('eof.ts', 'const a = 1;\nconst b = 2;\n')
    .write('docs/über straße.md', '# Titel\n\nText\n')
    .write('gone.js', 'module.exports = 1;\n')
    .write('run.sh', 'echo hi\n')
    .write('src/keep.ts', body(40));
  writeFileSync(join(repo.dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
  const base = repo.commit('base');
  repo.move('src/old-name.ts', 'src/new-name.ts');
  repo
    .write('src/new-name.ts', body(30).replace("x3 = 'v3'", "x3 = 'changed'"))
    .write('windows.txt', 'one\r\nTWO\r\nthree\r\n')
    .write('eof.ts', 'const a = 1;\nconst b = 3;')
    .write('docs/über straße.md', '# Titel\n\nMehr Text\n')
    .write(
      'src/keep.ts',
      body(40).replace("x5 = 'v5'", 'x5 = 5').replace("x33 = 'v33'", 'x33 = 33'),
    )
    .write('新しい.ts', 'export {};\n')
    .write('assets/.keep', '')
    .remove('gone.js');
  writeFileSync(join(repo.dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9]));
  writeFileSync(join(repo.dir, 'assets/my logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 7]));
  chmodSync(join(repo.dir, 'run.sh'), 0o755);
  const head = repo.commit('head');
  const diff = repo.git(...GIT_DIFF_ARGS, `${base}...${head}`);
  return {
    repo,
    base,
    head,
    diff,
    show: (rev, path) => repo.git('show', `${rev}:${path}`),
  };
}
