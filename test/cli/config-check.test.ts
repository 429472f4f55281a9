import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { runCli } from '../../src/cli/router.ts';
import { memoryIO } from './memory-io.ts';

let repo: string;

beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'steward-cli-'));
});
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

async function writeConfig(text: string, path = '.github/steward.yml'): Promise<void> {
  await mkdir(join(repo, path, '..'), { recursive: true });
  await writeFile(join(repo, path), text);
}

async function check(argv: string[], options: { cwd?: string; color?: boolean } = {}) {
  const io = memoryIO(options.cwd ?? repo, options.color);
  const code = await runCli(['config', 'check', ...argv], io, { commands, version: '0.0.0' });
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('steward config check', () => {
  it('confirms a valid file in one line', async () => {
    await writeConfig('auto-merge:\n  merge-method: squash\n');
    expect(await check([])).toEqual({
      code: 0,
      stdout:
        '✓ .github/steward.yml is valid (auto-merge: merge via squash, bots renovate[bot], dependabot[bot])\n',
      stderr: '',
    });
  });

  it('says so when the default file is missing and the defaults apply', async () => {
    expect(await check([])).toEqual({
      code: 0,
      stdout: 'no .github/steward.yml; using defaults\n',
      stderr: '',
    });
  });

  it('fails naming a FILE that does not exist', async () => {
    const { code, stdout, stderr } = await check(['custom.yml']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('steward config check: no such file: custom.yml\n');
  });

  it('lists each error with file:line:column, path, message and suggestion', async () => {
    await writeConfig('auto-merge:\n  merge-mehtod: squash\n  bots: 3\nreveiw: {}\n');
    const { code, stdout, stderr } = await check([]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        '.github/steward.yml:2:3  auto-merge.merge-mehtod: unknown key. Did you mean "merge-method"?',
        '.github/steward.yml:3:9  auto-merge.bots: expected a list of strings, got a number',
        '.github/steward.yml:4:1  reveiw: unknown key. Did you mean "review"?',
        '✗ .github/steward.yml has 3 errors',
        '',
      ].join('\n'),
    );
  });

  it('checks an explicit FILE', async () => {
    await writeConfig('auto-merge:\n  mode: native\n  merge-method: rebase\n', 'other.yml');
    const { code, stdout } = await check(['other.yml']);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ other.yml is valid (auto-merge: GitHub auto-merge via rebase');
  });

  it('looks in the repository given by --repo', async () => {
    await writeConfig('auto-merge:\n  bots: []\n');
    const { code, stdout } = await check(['--repo', repo], { cwd: tmpdir() });
    expect(code).toBe(0);
    expect(stdout).toContain(
      '.github/steward.yml is valid (auto-merge: merge via squash, no bots)',
    );
  });

  it('fails when --repo is not a directory', async () => {
    const { code, stderr } = await check(['--repo', 'nowhere']);
    expect(code).toBe(1);
    expect(stderr).toBe('steward config check: no such directory: nowhere\n');
  });

  it('fails when FILE is a directory', async () => {
    await mkdir(join(repo, 'dir'));
    const { code, stderr } = await check(['dir']);
    expect(code).toBe(1);
    expect(stderr).toBe('steward config check: cannot read dir: it is a directory\n');
  });

  it('rejects extra arguments as a usage error', async () => {
    const { code, stderr } = await check(['a.yml', 'b.yml']);
    expect(code).toBe(2);
    expect(stderr).toContain('expected at most one FILE, got 2');
  });

  it('colours only when asked to', async () => {
    await writeConfig('reveiw: {}\n');
    expect((await check([])).stderr).not.toContain('\u001b[');
    expect((await check([], { color: true })).stderr).toContain('\u001b[');
  });
});
