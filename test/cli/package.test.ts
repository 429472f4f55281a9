import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo } from '../support/git-repo.ts';

/**
 * Steward as a user installs it: `npm pack` (which builds the CLI through `prepare`), the tarball
 * installed into an empty project with no network, and `steward` run in a real git repository,
 * on the Node the suite runs on and on an older one `engines` admits when the machine has one.
 */

const ROOT = resolve('.');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  engines: { node: string };
};

/** A Node older than the suite's (20 to 23) on the machine, when `engines` admits it. */
function olderNode(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/local/bin', '/usr/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'node');
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    const major = semver.valid(version) ? semver.major(version) : 0;
    if (major >= 20 && major < 24 && semver.satisfies(version, manifest.engines.node))
      return candidate;
  }
  return undefined;
}

const NODES: [string, string][] = [[process.version, process.execPath]];
const OLDER = olderNode();
if (OLDER) NODES.push([spawnSync(OLDER, ['--version'], { encoding: 'utf8' }).stdout.trim(), OLDER]);

let work: string;
let files: string[];
let bin: string;
let repo: GitRepo;

const COMPLEX = `export function route(kind: string, n: number): number {
  if (kind === 'a' && n > 1 && n < 10) return 1;
  if (kind === 'b') { for (let i = 0; i < n; i++) { if (i % 2) { if (i > 3) return i; } } }
  switch (kind) { case 'c': return 3; case 'd': return 4; case 'e': return 5; case 'f': return 6; }
  return kind === 'g' ? 7 : n > 0 ? 8 : 9;
}
`;
/** More files than the parse pool analyses in one thread, so `--threads 2` starts the worker. */
const MODULES = 80;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'steward-package-'));
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [info] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
  files = info!.files.map((file) => file.path);

  const project = join(work, 'project');
  execFileSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), '{ "name": "try-steward", "private": true }\n');
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', join(work, info!.filename)],
    { cwd: project, stdio: 'ignore' },
  );
  bin = join(project, 'node_modules', '.bin', 'steward');

  repo = new GitRepo(join(work, 'repo'));
  repo.write('.github/steward.yml', 'hotspots:\n  top: 5\n');
  for (let i = 0; i < MODULES; i++)
    repo.write(`src/mod${i}.ts`, `export const value${i} = (n: number): number => n + ${i};\n`);
  repo.commit('start');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write('src/router.ts', COMPLEX).commit('route');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `steward …` as the shell runs it: the bin's `#!/usr/bin/env node` finds `node` on PATH. */
function steward(node: string, args: string[], cwd = repo.dir) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(node)}${delimiter}${process.env['PATH'] ?? ''}`,
    NO_COLOR: '1',
  };
  delete env['ANTHROPIC_API_KEY'];
  delete env['ANTHROPIC_BASE_URL'];
  const run = spawnSync(bin, args, { cwd, env, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the npm package', () => {
  it('holds the built CLI and nothing else of the repository', () => {
    expect(files).toContain('dist/cli/main.mjs');
    expect(files).toContain('dist/cli/parse-worker.mjs');
    for (const path of files)
      expect(path).toMatch(/^(package\.json|README\.md|LICENSE|dist\/cli\/[\w-]+\.mjs)$/);
  });

  it('installs with no dependencies, under its scoped name, with `steward` on the PATH', () => {
    const installed = JSON.parse(
      readFileSync(join(work, 'project/node_modules', manifest.name, 'package.json'), 'utf8'),
    ) as { dependencies?: object; bin: Record<string, string> };
    expect(installed.dependencies ?? {}).toEqual({});
    expect(installed.bin).toEqual({ steward: 'dist/cli/main.mjs' });
    expect(readFileSync(join(work, 'project/package-lock.json'), 'utf8')).not.toMatch(
      /"node_modules\/(?!@steward-oss\/steward")/,
    );
  });
});

describe.each(NODES)('the installed steward on Node %s', (_version, node) => {
  it('prints its version', () => {
    expect(steward(node, ['--version'])).toEqual({
      code: 0,
      stdout: `${manifest.version}\n`,
      stderr: '',
    });
  });

  it('reviews the branch offline', () => {
    const { code, stdout, stderr } = steward(node, ['review', '--format', 'json']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as {
      mode: string;
      findings: { path: string; title: string }[];
    };
    expect(report.mode).toBe('offline');
    expect(report.findings.map((f) => `${f.path} ${f.title}`)).toContainEqual(
      expect.stringMatching(/^src\/router\.ts Complex Method, Deep Nesting.* in route$/),
    );
  });

  it('ranks hotspots, parsing in worker threads', () => {
    // A cold run (earlier runs filled the cache), so every file goes through the parse workers.
    rmSync(join(repo.dir, '.git', 'steward'), { recursive: true, force: true });
    const { code, stdout, stderr } = steward(node, [
      'hotspots',
      '--all-time',
      '--threads',
      '2',
      '--format',
      'json',
    ]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as { files: { path: string }[]; skipped: unknown[] };
    expect(report.files).toHaveLength(MODULES + 1);
    expect(report.files[0]!.path).toBe('src/router.ts');
    expect(report.skipped).toEqual([]);
    expect(stderr).toMatch(new RegExp(`parsed ${MODULES + 1}, 0 from cache`));
  });

  it('analyses the repository --repo names, from elsewhere', () => {
    const { code, stdout, stderr } = steward(
      node,
      ['hotspots', '--repo', repo.dir, '--all-time'],
      work,
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('src/router.ts');
  });

  it('checks the config', () => {
    expect(steward(node, ['config', 'check'])).toEqual({
      code: 0,
      stdout:
        '✓ .github/steward.yml is valid (auto-merge: merge via squash, bots renovate[bot], dependabot[bot])\n',
      stderr: '',
    });
  });

  it.each([['--help'], ['hotspots', '--all-time', '--format', 'json']])(
    'ends quietly when the reader of its output is gone (`steward %s | head`)',
    async (...args: string[]) => {
      const child = spawn(bin, args, {
        cwd: repo.dir,
        env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env['PATH'] ?? ''}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Our end of the pipe closes before steward writes: its first write fails with EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const code = await new Promise<number | null>((done) => child.once('close', done));
      expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
      expect(code).toBe(0);
    },
  );
});
