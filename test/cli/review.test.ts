import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.ts';
import { commands } from '../../src/cli/commands.ts';
import { createReviewCommand } from '../../src/cli/review-command.ts';
import { runCli } from '../../src/cli/router.ts';
import type { GitRepo } from '../support/git-repo.ts';
import { branchRepository, COMPLEX, SIMPLE } from '../review/review-fixture.ts';
import { memoryIO } from './memory-io.ts';
import { anthropicTest } from '../support/anthropic-world.ts';

/** `steward review` in-process on real repositories, with the API key injected. */

/** For the tests that talk to a model: the Anthropic fake, checked for stray requests after each. */
const withModel = anthropicTest({ apiKey: 'sk-test' });

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

async function steward(argv: string[], cwd: string, model?: { key: string; url: string }) {
  const review = createReviewCommand({
    apiKey: () => model?.key ?? '',
    baseUrl: () => model?.url,
  });
  const list = commands.map((c) => (c.name === 'review' ? { ...c, load: async () => review } : c));
  const io = memoryIO(cwd);
  const code = await runCli(argv, io, { commands: list, version: 'test' });
  return { code, stdout: io.out(), stderr: io.err() };
}

function complexBranch(): GitRepo {
  const r = branchRepository();
  r.write('src/simple.ts', `${SIMPLE}\n${COMPLEX}`)
    .write('package-lock.json', '{}\n')
    .commit('add route');
  return r;
}

describe('steward review', () => {
  it('is the first command steward lists', async () => {
    expect(commands[0]!.name).toBe('review');
    expect((await (commands[0] as Command).load()).usage).toContain('--base REF');
  });

  it('prints the documented JSON of the offline review, and exits 0 with findings', async () => {
    repo = complexBranch();
    const { code, stdout, stderr } = await steward(['review', '--format', 'json'], repo.dir);
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      base: 'main',
      mode: 'offline',
      reason: 'no ANTHROPIC_API_KEY',
      usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      skipped: [{ path: 'package-lock.json', kind: 'lockfile' }],
    });
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      expect(finding).toMatchObject({
        path: 'src/simple.ts',
        side: 'RIGHT',
        source: 'health',
        category: 'maintainability',
      });
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{20}$/);
    }
  });

  withModel(
    'with a key set, Claude reviews too: its finding and the health findings in one report',
    async ({ anthropic: fake }) => {
      repo = complexBranch();
      // src/simple.ts is SIMPLE, a blank line, then route() from line 3.
      const line = 3;
      fake.enqueue(() => {
        return {
          toolUse: {
            name: 'report_findings',
            input: {
              findings: [
                {
                  path: 'src/simple.ts',
                  line,
                  severity: 'major',
                  category: 'correctness',
                  title: 'route ignores its error path',
                  body: 'The error branch returns undefined.',
                },
              ],
              summary: 'Adds a route function.',
            },
          },
          usage: { input_tokens: 1200, output_tokens: 80 },
        };
      });
      const { code, stdout, stderr } = await steward(
        ['review', '--base', 'main', '--format', 'json'],
        repo.dir,
        { key: 'sk-test', url: fake.url },
      );
      expect(code, stderr).toBe(0);
      const report = JSON.parse(stdout);
      expect(report).toMatchObject({
        mode: 'model',
        reason: null,
        walkthrough: ['Adds a route function.'],
        usage: { calls: 1, inputTokens: 1200, outputTokens: 80 },
      });
      expect(report.findings.map((f: { source: string }) => f.source)).toContain('model');
      expect(report.findings.map((f: { source: string }) => f.source)).toContain('health');
      // The request carried the diff as delimited data, and nothing from the environment.
      const sent = JSON.stringify(fake.requests[0]!.body);
      expect(sent).toContain('<untrusted-diff path=\\"src/simple.ts\\"');
      expect(sent).toContain('     3 +export function route');
      expect(sent).not.toContain('sk-test');

      const offline = await steward(['review', '--offline', '--format', 'json'], repo.dir, {
        key: 'sk-test',
        url: fake.url,
      });
      expect(offline.stderr).toBe('');
      expect(JSON.parse(offline.stdout)).toMatchObject({ mode: 'offline', reason: '--offline' });
      expect(fake.requests).toHaveLength(1);
    },
  );

  it('writes SARIF to --out, and --fail-on turns findings into exit 1', async () => {
    repo = complexBranch();
    const { code } = await steward(
      ['review', '--format', 'sarif', '--out', 'review.sarif', '--fail-on', 'minor'],
      repo.dir,
    );
    expect(code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'review.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  it('says there is nothing to review on an empty diff', async () => {
    repo = branchRepository();
    const { code, stdout } = await steward(['review', '--format', 'markdown'], repo.dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Nothing to review');
  });

  it('names --base when no base can be found', async () => {
    repo = branchRepository();
    repo.git('branch', '-q', '-D', 'main');
    const { code, stderr } = await steward(['review'], repo.dir);
    expect(code).toBe(1);
    expect(stderr).toContain('no base to review against');
    expect(stderr).toContain('--base');
  });

  it('rejects an unknown format or severity as bad usage', async () => {
    repo = branchRepository();
    expect((await steward(['review', '--format', 'html'], repo.dir)).code).toBe(2);
    expect((await steward(['review', '--fail-on', 'huge'], repo.dir)).code).toBe(2);
  });
});
