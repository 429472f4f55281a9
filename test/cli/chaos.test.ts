import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosReport } from '../../src/chaos/report.ts';
import { CHAOS_MARKER } from '../../src/chaos/summary.ts';
import { fixture } from '../chaos/fixtures.ts';
import { prometheusStub, sloConfig } from '../chaos/prometheus-stub.ts';
import { steward as inProcess } from './memory-io.ts';

/**
 * `steward chaos report FILE…` as users run it: the sources' entry in a child process (Node 24
 * stripping types, as test/cli/main.test.ts runs it), over the recorded objects of test/chaos.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const main = join(root, 'src/cli/main.ts');
const FIXTURES = join(root, 'test/chaos/fixtures');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-chaos-cli-'));
  for (const name of [
    'litmus-2.x-list.yaml',
    'litmus-3.x-documents.yaml',
    'litmus-3.0.0-beta2-result.json',
    'chaos-mesh.yaml',
  ])
    copyFileSync(join(FIXTURES, name), join(dir, name));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function steward(...args: string[]) {
  const result = spawnSync(node, [main, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function litmus(name: string, verdict: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'litmuschaos.io/v1alpha1',
    kind: 'ChaosResult',
    metadata: { name, namespace: 'shop' },
    spec: { experiment: name },
    status: { experimentStatus: { verdict, ...extra } },
  };
}

describe('steward chaos report (child process)', () => {
  it('prints a table of the experiments, failures first, and exits 1 when one failed', () => {
    const { code, stdout, stderr } = steward(
      'chaos',
      'report',
      'litmus-3.x-documents.yaml',
      'chaos-mesh.yaml',
    );
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('✗ Chaos: 1 of 5 experiments failed');
    expect(lines[2]).toMatch(
      /^Experiment +Target +Verdict +Probes +Failed probes +Duration +Trend$/,
    );
    expect(lines[3]).toMatch(
      /^pod-delete +deployment\/checkout +FAIL +50% +check-http +3 min 30 s +4\/5 passed$/,
    );
    expect(lines[7]).toMatch(/^pod-cpu-hog +deployment\/checkout +pass +100%/);
    expect(stdout).toContain(
      'pod-delete: CHAOS_PROBE_ERROR: probe check-http failed: expected 200, got 503',
    );
    // Piped: no colour.
    expect(stdout).not.toContain('\u001b[');
  });

  it('exits 0 on a failure with --fail-on-verdict never, and when nothing failed', () => {
    expect(
      steward('chaos', 'report', 'litmus-2.x-list.yaml', '--fail-on-verdict', 'never').code,
    ).toBe(0);
    const mesh = steward('chaos', 'report', 'chaos-mesh.yaml');
    expect(mesh.code).toBe(0);
    expect(mesh.stdout.split('\n')[0]).toBe(
      '? Chaos: no verdict (3 experiments: 0 passed, 3 without a verdict)',
    );
    writeFileSync(join(dir, 'pass.json'), JSON.stringify(litmus('pod-delete', 'Pass')));
    const pass = steward('chaos', 'report', 'pass.json');
    expect(pass).toMatchObject({ code: 0, stderr: '' });
    expect(pass.stdout.split('\n')[0]).toBe('✓ Chaos: all 1 experiment passed');
  });

  it('prints the summary the action posts with --format markdown', () => {
    const { code, stdout } = steward(
      'chaos',
      'report',
      'litmus-2.x-list.yaml',
      'litmus-3.0.0-beta2-result.json',
      '--format',
      'markdown',
    );
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toBe(CHAOS_MARKER);
    expect(stdout).toBe(
      chaosReport([fixture('litmus-2.x-list.yaml'), fixture('litmus-3.0.0-beta2-result.json')])
        .markdown,
    );
  });

  it('prints {verdict, failed, passed, unknown, rows} with --format json', () => {
    const { code, stdout } = steward(
      'chaos',
      'report',
      '--format=json',
      'litmus-3.x-documents.yaml',
      'chaos-mesh.yaml',
    );
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as Record<string, unknown> & { rows: { verdict: string }[] };
    expect(Object.keys(json)).toEqual(['verdict', 'failed', 'passed', 'unknown', 'rows']);
    expect(json).toMatchObject({ verdict: 'fail', failed: 1, passed: 1, unknown: 3 });
    expect(json.rows.map((r) => r.verdict)).toEqual([
      'fail',
      'unknown',
      'unknown',
      'unknown',
      'pass',
    ]);
    expect(json.rows[0]).toMatchObject({
      tool: 'litmus',
      experiment: 'pod-delete',
      target: 'deployment/checkout',
      source: 'litmus-3.x-documents.yaml',
    });
  });

  it('exits 2 naming a missing file, a directory or a file it may not read', () => {
    const missing = steward('chaos', 'report', 'chaos-mesh.yaml', 'nope.yaml');
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: 'steward chaos report: cannot read nope.yaml: no such file\n',
    });
    mkdirSync(join(dir, 'results'), { recursive: true });
    expect(steward('chaos', 'report', 'results')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'steward chaos report: cannot read results: it is a directory\n',
    });
    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, 'secret.yaml'), 'kind: List\n');
      chmodSync(join(dir, 'secret.yaml'), 0o000);
      const denied = steward('chaos', 'report', 'secret.yaml');
      expect(denied.code).toBe(2);
      expect(denied.stderr).toBe(
        'steward chaos report: cannot read secret.yaml: permission denied\n',
      );
    }
  });

  it('exits 2 on bad usage: no FILE, an unknown format or fail-on-verdict', () => {
    const none = steward('chaos', 'report');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('steward chaos report: name at least one FILE of chaos results');
    const format = steward('chaos', 'report', 'chaos-mesh.yaml', '--format', 'html');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be one of text, markdown, json, got "html"');
    const failOn = steward('chaos', 'report', 'chaos-mesh.yaml', '--fail-on-verdict', 'always');
    expect(failOn.code).toBe(2);
    expect(failOn.stderr).toContain('--fail-on-verdict must be one of fail, never, got "always"');
  });

  it('is listed in the help, with its usage', () => {
    expect(steward('--help').stdout).toMatch(/^ {2}chaos +Chaos experiment results/m);
    const help = steward('chaos', 'report', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: steward chaos report FILE…/);
  });

  it('prints no escape sequence, bidirectional override or line break from the objects', () => {
    const hostile = 'evil\u001b]8;;https://evil.example\u0007link\u001b[2J\u202Egnp.\ninjected';
    writeFileSync(
      join(dir, 'hostile.json'),
      JSON.stringify(litmus(hostile, 'Fail', { failStep: `${hostile}\r\n✓ Chaos: all passed` })),
    );
    const { code, stdout } = steward('chaos', 'report', 'hostile.json');
    expect(code).toBe(1);
    // eslint-disable-next-line no-control-regex -- the control characters are what must not appear
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(stdout).toContain('evil ]8;;https://evil.example link [2J gnp. injected');
    // The failure stays on its own line: it cannot forge a headline of its own.
    expect(stdout.split('\n').filter((l) => l.startsWith('✓'))).toEqual([]);
  });

  it('names a hostile file name without its escape sequences', () => {
    const { code, stderr } = steward('chaos', 'report', 'x\u001b[31m.yaml');
    expect(code).toBe(2);
    expect(stderr).toBe('steward chaos report: cannot read x [31m.yaml: no such file\n');
  });
});

describe('steward chaos report (in process)', () => {
  it('colours the verdicts on a terminal', async () => {
    const run = await inProcess(['chaos', 'report', 'litmus-3.x-documents.yaml'], dir, {
      color: true,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\u001b[31m✗ Chaos: 1 of 2 experiments failed\u001b[39m');
    expect(run.stdout).toContain('\u001b[31mFAIL   \u001b[39m');
    expect(run.stdout).toContain('\u001b[32mpass   \u001b[39m');
  });
});

describe('steward chaos report judging Chaos Mesh (in process)', () => {
  function repoWith(config: string): string {
    const repo = mkdtempSync(join(tmpdir(), 'steward-chaos-repo-'));
    mkdirSync(join(repo, '.github'));
    writeFileSync(join(repo, '.github', 'steward.yml'), config);
    copyFileSync(join(FIXTURES, 'chaos-mesh.yaml'), join(repo, 'chaos-mesh.yaml'));
    return repo;
  }

  it('judges each experiment’s window through the Prometheus the config names', async () => {
    const prometheus = await prometheusStub(0.5);
    const repo = repoWith(sloConfig(prometheus.url));
    try {
      const run = await inProcess(['chaos', 'report', 'chaos-mesh.yaml', '--format', 'json'], repo);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const json = JSON.parse(run.stdout) as { verdict: string; failed: number };
      expect(json.verdict).toBe('fail');
      expect(json.failed).toBeGreaterThan(0);
      expect(prometheus.queries[0]).toBe('sum(rate(http_errors_total[1m]))');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('takes --prometheus instead of chaos.prometheus, and --repo for the config', async () => {
    const prometheus = await prometheusStub(0.01);
    const repo = repoWith(sloConfig('http://127.0.0.1:1'));
    try {
      const run = await inProcess(
        [
          'chaos',
          'report',
          join(repo, 'chaos-mesh.yaml'),
          '--repo',
          repo,
          '--prometheus',
          prometheus.url,
        ],
        dir,
      );
      expect(run.code).toBe(0);
      expect(prometheus.queries.length).toBeGreaterThan(0);
      expect(run.stdout).not.toContain('FAIL');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('exits 1 on an invalid config and 2 on a --prometheus that is no URL', async () => {
    const repo = repoWith('chaos:\n  prometheus: ftp://example\n');
    try {
      const invalid = await inProcess(['chaos', 'report', 'chaos-mesh.yaml'], repo);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('chaos.prometheus');
      const bad = await inProcess(
        ['chaos', 'report', 'chaos-mesh.yaml', '--prometheus', 'file:///etc/passwd'],
        dir,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--prometheus must be Prometheus's base URL");
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
