import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The sources' entry as `npm run steward` runs it: Node 24 from node_modules, stripping the types of
// src/cli/main.ts (test/cli/package.test.ts runs the bundle users install).
const root = fileURLToPath(new URL('../..', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const main = join(root, 'src/cli/main.ts');

let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'steward-main-'));
  await mkdir(join(repo, '.github'));
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

function steward(...args: string[]) {
  const result = spawnSync(node, [main, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('steward (child process)', () => {
  it('lists config among its commands for --help', () => {
    const { code, stdout, stderr } = steward('--help');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^ {2}config {2}/m);
  });

  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(steward('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 2 on an unknown command, with a suggestion', () => {
    const { code, stderr } = steward('confg');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "confg". Did you mean "config"?');
  });

  it('exits 0 for a missing default config', () => {
    expect(steward('config', 'check')).toEqual({
      code: 0,
      stdout: 'no .github/steward.yml; using defaults\n',
      stderr: '',
    });
  });

  it('exits 0 for a valid file and 1 for an invalid one, without colour when piped', async () => {
    await writeFile(join(repo, 'good.yml'), 'auto-merge:\n  merge-method: rebase\n');
    await writeFile(join(repo, 'bad.yml'), 'auto-merge:\n  merge-method: sqash\n');

    const good = steward('config', 'check', 'good.yml');
    expect(good.code).toBe(0);
    expect(good.stdout).toBe(
      '✓ good.yml is valid (auto-merge: merge via rebase, bots renovate[bot], dependabot[bot])\n',
    );

    const bad = steward('config', 'check', 'bad.yml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'bad.yml:2:17  auto-merge.merge-method: expected one of squash, merge, rebase, got "sqash". Did you mean "squash"?',
    );
    expect(bad.stderr).not.toContain('\u001b[');
  });

  it('exits 1 naming an explicit FILE that does not exist', () => {
    const { code, stderr } = steward('config', 'check', 'missing.yml');
    expect(code).toBe(1);
    expect(stderr).toContain('missing.yml');
  });

  it("shows a command's usage for --help", () => {
    const { code, stdout } = steward('config', 'check', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: steward config check [FILE] [--repo DIR]');
  });
});
