import { GitRepo } from '../support/git-repo.ts';

/** Changes for the offline review tests: a function with several smells, and a clean one. */
export const COMPLEX = `export function route(kind: string, n: number): number {
  if (kind === 'a' && n > 1 && n < 10) return 1;
  if (kind === 'b') { for (let i = 0; i < n; i++) { if (i % 2) { if (i > 3) return i; } } }
  switch (kind) { case 'c': return 3; case 'd': return 4; case 'e': return 5; case 'f': return 6; }
  return kind === 'g' ? 7 : n > 0 ? 8 : 9;
}
`;
export const SIMPLE = 'export const add = (a: number, b: number): number => a + b;\n';

/** main with one simple file; branch `feature` checked out. */
export function branchRepository(): GitRepo {
  const r = new GitRepo();
  r.write('src/simple.ts', SIMPLE).commit('start');
  r.git('checkout', '-q', '-b', 'feature');
  return r;
}
