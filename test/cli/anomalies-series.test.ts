import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startPrometheus } from '../support/prometheus.ts';
import type { PrometheusServer } from '../support/prometheus.ts';
import { CART, CHECKOUT, queueDepths, steward } from './anomalies-fixtures.ts';

/**
 * `steward anomalies --series NAME`: a series of the repository's anomaly.series read from a real
 * Prometheus (Debian's, on loopback, with backfilled history) and analysed as the anomaly-watch
 * action analyses it, so it gives what the equivalent explicit flags give; explicit flags
 * override the config; and what is missing (the series, any series, a Prometheus) is named.
 */

const made: string[] = [];

/** A directory holding `.github/steward.yml` with `config`. */
function repoWith(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-anomalies-series-'));
  made.push(dir);
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github/steward.yml'), config);
  return dir;
}

/** The config of the tests: checkout with its own detector, cart on the section's. */
function anomalyConfig(url: string | null): string {
  return [
    'anomaly:',
    ...(url === null ? [] : [`  prometheus: ${url}`]),
    '  range: 9 hours',
    '  horizon: 1 day',
    '  detector: zscore',
    '  series:',
    '    - name: checkout',
    `      query: '${CHECKOUT}'`,
    '      step: 1m',
    '      direction: up',
    '      limit: 100',
    '      detector: mad',
    '    - name: cart',
    `      query: '${CART}'`,
    '      step: 1m',
    '',
  ].join('\n');
}

describe('steward anomalies --series against a real Prometheus', () => {
  let prometheus: PrometheusServer;
  let repo: string;

  beforeAll(async () => {
    prometheus = await startPrometheus(queueDepths());
    repo = repoWith(anomalyConfig(prometheus.url));
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same JSON as the equivalent explicit flags', async () => {
    const fromConfig = await steward(['--series', 'checkout', '--repo', repo, '--format', 'json']);
    const fromFlags = await steward([
      ...['--prometheus', prometheus.url, '--query', CHECKOUT],
      ...['--range', '9h', '--step', '1m', '--direction', 'up', '--limit', '100'],
      ...['--horizon', '1d', '--detector', 'mad', '--format', 'json'],
    ]);
    expect(fromConfig.stderr).toBe('');
    expect(fromFlags.stderr).toBe('');
    expect(fromConfig.code).toBe(fromFlags.code);
    const json = JSON.parse(fromConfig.stdout) as { detector: string; points: unknown[] };
    expect(json.detector).toBe('mad');
    expect(json.points.length).toBeGreaterThan(300);
    expect(json).toEqual(JSON.parse(fromFlags.stdout));
  }, 60_000);

  it("uses anomaly.detector for a series naming none, from the repository's own directory", async () => {
    const fromConfig = await steward(['--series', 'cart', '--format', 'json'], {}, repo);
    const fromFlags = await steward([
      ...['--prometheus', prometheus.url, '--query', CART, '--range', '9h', '--step', '1m'],
      ...['--detector', 'zscore', '--format', 'json'],
    ]);
    expect(fromConfig.stderr).toBe('');
    expect((JSON.parse(fromConfig.stdout) as { detector: string }).detector).toBe('zscore');
    expect(JSON.parse(fromConfig.stdout)).toEqual(JSON.parse(fromFlags.stdout));
  }, 60_000);

  it('lets an explicit flag override the config for that run', async () => {
    const overridden = await steward([
      ...['--series', 'checkout', '--repo', repo, '--format', 'json'],
      ...['--detector', 'default', '--limit', '30', '--horizon', '12h'],
    ]);
    const fromFlags = await steward([
      ...['--prometheus', prometheus.url, '--query', CHECKOUT],
      ...['--range', '9h', '--step', '1m', '--direction', 'up', '--limit', '30'],
      ...['--horizon', '12h', '--detector', 'default', '--format', 'json'],
    ]);
    expect(overridden.stderr).toBe('');
    const json = JSON.parse(overridden.stdout) as { detector: string; forecast: unknown };
    expect(json.detector).toBe('default');
    expect(json).toEqual(JSON.parse(fromFlags.stdout));
  }, 60_000);

  it("lets --prometheus override anomaly.prometheus (the config's one is dead)", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const elsewhere = repoWith(anomalyConfig(dead));
    const unreachable = await steward(['--series', 'cart', '--repo', elsewhere]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(`cannot reach Prometheus at ${dead}`);
    const overridden = await steward([
      ...['--series', 'cart', '--repo', elsewhere, '--prometheus', prometheus.url],
    ]);
    expect({ code: overridden.code, stderr: overridden.stderr }).toEqual({ code: 0, stderr: '' });
    expect(overridden.stdout).toContain('✓ No anomaly');
  }, 60_000);

  it('names an unknown series and lists the ones the config has; exit 2', async () => {
    const { code, stdout, stderr } = await steward(['--series', 'chekout', '--repo', repo]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `steward anomalies: no series is named "chekout" in .github/steward.yml's anomaly.series; the series are checkout, cart. Did you mean "checkout"?\n`,
    );
  }, 60_000);

  it('never echoes control characters of a hostile series name', async () => {
    const { code, stderr } = await steward(['--series', 'x\u001b]0;pwned\u0007y', '--repo', repo]);
    expect(code).toBe(2);
    expect(stderr).toContain('no series is named');
    expect([...stderr].filter((c) => c !== '\n' && (c < ' ' || c === '\u007f'))).toEqual([]);
  }, 60_000);
});

describe('steward anomalies --series: what the config lacks', () => {
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('says there is no anomaly.series and what to add', async () => {
    const repo = repoWith('anomaly:\n  prometheus: http://127.0.0.1:9\n');
    const { code, stdout, stderr } = await steward(['--series', 'checkout', '--repo', repo]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('.github/steward.yml has no anomaly.series');
    expect(stderr).toContain('name: checkout and query:');
  }, 60_000);

  it('says to set a Prometheus when neither --prometheus nor anomaly.prometheus gives one', async () => {
    const repo = repoWith(anomalyConfig(null));
    const { code, stdout, stderr } = await steward(['--series', 'cart', '--repo', repo]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      'steward anomalies: no Prometheus to read cart from: give --prometheus URL, or set anomaly.prometheus in .github/steward.yml\n',
    );
  }, 60_000);

  it('refuses a config range and step asking more points than one read may, naming both', async () => {
    const repo = repoWith(
      'anomaly:\n  prometheus: http://127.0.0.1:9\n  range: 30 days\n  series:\n    - name: big\n      query: up\n      step: 1s\n',
    );
    const { code, stdout, stderr } = await steward(['--series', 'big', '--repo', repo]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(
      'the range (anomaly.range or --range) at the step of big (its step: or --step) is 2,592,000 points, more than 1,000,000',
    );
  }, 60_000);

  it('reports a config error with its file, line and key, exit 2', async () => {
    const repo = repoWith(anomalyConfig('http://127.0.0.1:9').replace('mad', 'madd'));
    const { code, stdout, stderr } = await steward(['--series', 'cart', '--repo', repo]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/\.github\/steward\.yml:12:\d+/);
    expect(stderr).toContain('anomaly.series[0].detector');
    expect(stderr).toContain('fix the config (steward config check) and run again');
  }, 60_000);

  it('refuses --series beside --query or --csv, --repo without --series or not a directory', async () => {
    const both = await steward(['--series', 'cart', '--query', 'up']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      'give --series NAME or --prometheus URL --query PROMQL, not both',
    );
    const csv = await steward(['--series', 'cart', '--csv', 'x.csv']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('give --csv or --series, not both');
    const repoOnly = await steward(['--csv', 'x.csv', '--repo', '.']);
    expect(repoOnly.code).toBe(2);
    expect(repoOnly.stderr).toContain('--repo');
    const file = join(repoWith('anomaly: {}\n'), '.github/steward.yml');
    for (const repo of [file, join(file, 'nowhere')]) {
      const notDirectory = await steward(['--series', 'cart', '--repo', repo]);
      expect(notDirectory.code).toBe(2);
      expect(notDirectory.stderr).toBe(
        `steward anomalies: no such directory: ${repo}; --repo takes the checkout whose .github/steward.yml names the series\n`,
      );
    }
    const empty = await steward(['--series', ' ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--series needs the name of a series');
  }, 60_000);
});
