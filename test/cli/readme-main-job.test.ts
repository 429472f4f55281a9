import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The README's main job, `npx steward review`, on a clone of this very repository, with no key. */

const ROOT = resolve('.');
let clone: string;

function git(...args: string[]) {
  return execFileSync('git', args, { cwd: clone, encoding: 'utf8' });
}

function steward(...args: string[]) {
  const env = { ...process.env };
  delete env.ANTHROPIC_API_KEY;
  delete env.ANTHROPIC_BASE_URL;
  const run = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: clone,
    env,
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  clone = join(mkdtempSync(join(tmpdir(), 'steward-readme-')), 'steward');
  execFileSync('git', ['clone', '-q', '--no-hardlinks', ROOT, clone]);
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
});
afterAll(() => rmSync(resolve(clone, '..'), { recursive: true, force: true }));

describe("the README's main job", () => {
  it('is `npm ci && npx steward review`', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(
      /# 1\. Set up and run Steward's main job on this repository\nnpm ci && npx steward review\n/,
    );
  });

  it('runs with no key on a fresh clone of the default branch, and says why it is offline', () => {
    const { code, stdout, stderr } = steward('review');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^steward review .*offline \(no ANTHROPIC_API_KEY\)/);
  });

  it('reviews a change made on a branch of this repository', () => {
    git('checkout', '-q', '-b', 'feature');
    appendFileSync(
      join(clone, 'src/review/severity.ts'),
      `\nexport function grade(a: number, b: number, c: boolean): string {\n  if (a > 1 && b > 2 && c) { for (let i = 0; i < a; i++) { if (i % 2) { if (i > b) return 'x'; } } }\n  switch (a) { case 1: return 'a'; case 2: return 'b'; case 3: return 'c'; case 4: return 'd'; }\n  return c ? 'e' : b > 0 ? 'f' : 'g';\n}\n`,
    );
    git('commit', '-qam', 'grade');
    const { code, stdout, stderr } = steward('review', '--format', 'json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      mode: 'offline',
      reason: 'no ANTHROPIC_API_KEY',
      nothingToReview: false,
    });
    expect(
      report.findings.map((f: { path: string; title: string }) => `${f.path} ${f.title}`),
    ).toContain('src/review/severity.ts Complex Method, Deep Nesting in grade');
  });
});
