import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { runCli } from '../../src/cli/router.ts';
import { memoryIO, steward as inProcess } from './memory-io.ts';

/**
 * `steward anomalies --csv FILE` as users run it: the sources' entry in a child process (Node 24
 * stripping types, as test/cli/main.test.ts runs it); argument errors in-process, where they are
 * the router's and the parser's.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const main = join(root, 'src/cli/main.ts');

const T0 = 1_772_366_400; // 2026-03-01T12:00:00Z, in seconds
const STEP = 300;
const SHIFT_AT = 450;

/** Deterministic noise in [-0.5, 0.5). */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16_807) % 2_147_483_647;
    return state / 2_147_483_647 - 0.5;
  };
}

/** 600 points every 5 minutes around 20; from point 450 on, around 40 (a level shift). */
function seriesCsv(shift: boolean, seed = 7): string {
  const next = noise(seed);
  const rows = ['timestamp,value'];
  for (let i = 0; i < 600; i++)
    rows.push(`${T0 + i * STEP},${((shift && i >= SHIFT_AT ? 40 : 20) + next() * 2).toFixed(3)}`);
  return `${rows.join('\n')}\n`;
}

/** 300 hourly points growing 0.1 an hour from 50: a disk filling toward its limit. */
function diskCsv(): string {
  const next = noise(11);
  const rows = ['timestamp,value'];
  for (let i = 0; i < 300; i++)
    rows.push(
      `${new Date((T0 + i * 3600) * 1000).toISOString()},${(50 + i * 0.1 + next()).toFixed(3)}`,
    );
  return `${rows.join('\n')}\n`;
}

/**
 * A counter of 600 readings a minute apart: about 10 a second, reset to 0 at reading 300 (a
 * restart), about 50 a second from reading 500 on.
 */
function counterCsv(): string {
  const next = noise(3);
  const rows = ['timestamp,value'];
  let total = 0;
  for (let i = 0; i < 600; i++) {
    if (i === 300) total = 0;
    total += (i >= 500 ? 50 : 10) * 60 * (1 + next() * 0.1);
    rows.push(`${T0 + i * 60},${total.toFixed(1)}`);
  }
  return `${rows.join('\n')}\n`;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-anomalies-cli-'));
  writeFileSync(join(dir, 'shift.csv'), seriesCsv(true));
  writeFileSync(join(dir, 'quiet.csv'), seriesCsv(false));
  writeFileSync(join(dir, 'disk.csv'), diskCsv());
  writeFileSync(join(dir, 'bad.csv'), 'timestamp,value\n1772366400,1\n1772366700,NaN\n');
  writeFileSync(join(dir, 'zoneless.csv'), 'timestamp,value\n2026-03-01T12:00:00,1\n');
  writeFileSync(join(dir, 'header-only.csv'), 'timestamp,value\n');
  mkdirSync(join(dir, 'folder.csv'));
  writeFileSync(join(dir, 'counter.csv'), counterCsv());
  writeFileSync(
    join(dir, 'extremes.csv'),
    `timestamp,value\n${Array.from({ length: 100 }, (_, i) => `${T0 + i * 60},${i % 2 ? '1e308' : '-1e308'}`).join('\n')}\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function steward(...args: string[]) {
  const result = spawnSync(node, [main, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', PROMETHEUS_TOKEN: '' },
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('steward anomalies --csv (child process)', () => {
  it('prints the issue’s JSON shape and exits 1 for a level shift', () => {
    const { code, stdout, stderr } = steward('anomalies', '--csv', 'shift.csv', '--format', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as {
      detector: string;
      points: { timestamp: string; value: number; score: number; anomaly: boolean }[];
      anomalies: { start: string; end: string; peakScore: number }[];
      forecast: unknown;
    };
    expect(Object.keys(json)).toEqual(['detector', 'points', 'anomalies', 'forecast']);
    expect(json.detector).toBe('default');
    expect(json.forecast).toBeNull();
    expect(json.points).toHaveLength(600);
    expect(Object.keys(json.points[0]!)).toEqual(['timestamp', 'value', 'score', 'anomaly']);
    expect(json.points[0]!.timestamp).toBe('2026-03-01T12:00:00.000Z');
    for (const p of json.points) {
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(1);
    }
    expect(json.anomalies).toHaveLength(1);
    const [window] = json.anomalies;
    expect(Object.keys(window!)).toEqual(['start', 'end', 'peakScore']);
    // The window opens at the shift (within three steps): the detector is online.
    const start = Date.parse(window!.start) / 1000;
    expect(start).toBeGreaterThanOrEqual(T0 + SHIFT_AT * STEP);
    expect(start).toBeLessThanOrEqual(T0 + (SHIFT_AT + 3) * STEP);
    expect(window!.peakScore).toBeGreaterThan(0.5);
  });

  it('prints a text summary: points, detector, the window with its departure from normal', () => {
    const { code, stdout, stderr } = steward('anomalies', '--csv', 'shift.csv');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `shift.csv: 600 points from 2026-03-01 12:00 to ${iso(T0 + 599 * STEP)
        .slice(0, 16)
        .replace('T', ' ')} UTC, detector default`,
    );
    expect(lines[1]).toBe('✗ 1 anomaly');
    expect(lines[2]).toMatch(
      /^ {2}2026-03-03 01:3\d(?: – \d\d:\d\d UTC \(\d+ min\)| UTC) {2}peak score \d\.\d\d {2}value 4\d(?:\.\d+)?, normal ~20(?:\.\d+)? \(\+\d+%\)$/,
    );
    // Piped: no colour and no sparkline.
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(lines).toHaveLength(3);
  });

  it('exits 0 with no anomaly', () => {
    const { code, stdout, stderr } = steward('anomalies', '--csv', 'quiet.csv');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('detector default\n✓ No anomaly\n');
  });

  it('runs each detector by name; the exit code says whether it found an anomaly', () => {
    for (const detector of ['default', 'zscore', 'mad', 'holt-winters']) {
      const { code, stdout, stderr } = steward(
        'anomalies',
        '--csv',
        'quiet.csv',
        '--detector',
        detector,
        '--format',
        'json',
      );
      expect(stderr).toBe('');
      const json = JSON.parse(stdout) as { detector: string; anomalies: unknown[] };
      expect(json.detector).toBe(detector);
      expect(code).toBe(json.anomalies.length > 0 ? 1 : 0);
    }
  });

  it('forecasts with --limit: exit 1 when the limit is reached within the horizon, 0 past it', () => {
    const soon = steward('anomalies', '--csv', 'disk.csv', '--limit', '90', '--format', 'json');
    expect(soon.stderr).toBe('');
    expect(soon.code).toBe(1);
    const { forecast, anomalies } = JSON.parse(soon.stdout) as {
      anomalies: unknown[];
      forecast: { limit: number; withinHorizon: boolean; crossingAt: string; method: string };
    };
    expect(anomalies).toEqual([]);
    expect(forecast).toMatchObject({ limit: 90, withinHorizon: true });
    // 90 is 40 above the start at 0.1 an hour: about 400 hours after the first point.
    const hours = (Date.parse(forecast.crossingAt) / 1000 - T0) / 3600;
    expect(hours).toBeGreaterThan(350);
    expect(hours).toBeLessThan(450);

    const text = steward('anomalies', '--csv', 'disk.csv', '--limit', '90');
    expect(text.stdout).toMatch(
      /^Forecast: reaches 90 around 2026-03-\d\d \d\d:\d\d UTC, in \d d/m,
    );

    const later = steward('anomalies', '--csv', 'disk.csv', '--limit', '90', '--horizon', '1d');
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/^Forecast: does not reach 90 within 1 d \(/m);
  });

  it('names the CSV’s line and the problem, and exits 2', () => {
    expect(steward('anomalies', '--csv', 'bad.csv')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'steward anomalies: bad.csv:3: the value is "NaN", not a finite number; drop the row (gaps are allowed) or fix what produced it\n',
    });
    expect(steward('anomalies', '--csv', 'zoneless.csv').stderr).toBe(
      'steward anomalies: zoneless.csv:2: the timestamp "2026-03-01T12:00:00" has no time zone, so the instant is ambiguous; add Z for UTC or an offset such as +02:00\n',
    );
    expect(steward('anomalies', '--csv', 'header-only.csv').stderr).toContain(
      'header-only.csv:2: the file has a header but no rows',
    );
    expect(steward('anomalies', '--csv', 'missing.csv')).toMatchObject({
      code: 2,
      stderr: 'steward anomalies: cannot read missing.csv: no such file\n',
    });
    expect(steward('anomalies', '--csv', 'folder.csv')).toMatchObject({
      code: 2,
      stderr: 'steward anomalies: cannot read folder.csv: it is a directory\n',
    });
  });

  it('is listed by steward --help and documents its exit status', () => {
    expect(steward('--help').stdout).toMatch(/^ {2}anomalies {2}/m);
    const help = steward('anomalies', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: steward anomalies --csv FILE');
    expect(help.stdout).toContain('Exit status: 0 no anomaly');
  });
});

describe('steward anomalies: bad usage (in-process)', () => {
  const cases: [string, string[], string][] = [
    [
      'no series',
      [],
      'name the series: --csv FILE, --prometheus URL --query PROMQL, or --series NAME from the config',
    ],
    [
      'both sources',
      ['--csv', 'a.csv', '--prometheus', 'http://p:9090'],
      'give --csv or --prometheus, not both',
    ],
    [
      'an unknown detector, with the list',
      ['--csv', 'shift.csv', '--detector', 'holtwinters'],
      'unknown detector "holtwinters"; the detectors are default, zscore, mad, holt-winters. Did you mean "holt-winters"?',
    ],
    [
      'a bad format',
      ['--csv', 'shift.csv', '--format', 'yaml'],
      '--format must be one of text, json, got "yaml"',
    ],
    [
      'a bad direction',
      ['--csv', 'shift.csv', '--direction', 'sideways'],
      '--direction must be one of up, down, both, got "sideways"',
    ],
    [
      'a limit that is not a number',
      ['--csv', 'shift.csv', '--limit', '90%'],
      '--limit must be the finite number the series must not reach',
    ],
    [
      'an infinite limit',
      ['--csv', 'shift.csv', '--limit', '1e400'],
      '--limit must be the finite number',
    ],
    [
      '--horizon without --limit',
      ['--csv', 'shift.csv', '--horizon', '3d'],
      '--horizon is how far a forecast looks ahead; it needs --limit N',
    ],
    [
      'a bad horizon',
      ['--csv', 'shift.csv', '--limit', '9', '--horizon', 'soon'],
      '--horizon must be a duration such as 7d',
    ],
    [
      '--query with --csv',
      ['--csv', 'shift.csv', '--query', 'up'],
      '--query goes with --prometheus, not --csv',
    ],
    [
      '--token-env with --csv',
      ['--csv', 'shift.csv', '--token-env', 'X'],
      '--token-env goes with --prometheus, not --csv',
    ],
    ['a positional', ['shift.csv'], 'unexpected argument "shift.csv"'],
    [
      '--prometheus without --query',
      ['--prometheus', 'http://p:9090'],
      '--prometheus needs --query PROMQL',
    ],
    [
      'a Prometheus URL that is not http',
      ['--prometheus', 'ftp://p', '--query', 'up'],
      '--prometheus: expected an http or https URL for Prometheus such as http://prometheus.monitoring:9090, got "ftp://p"',
    ],
    [
      'credentials in the URL',
      ['--prometheus', 'http://u:secret@p:9090', '--query', 'up'],
      '--prometheus must not carry a user name or password (the command line shows in ps and in shell history); put a bearer token in PROMETHEUS_TOKEN instead',
    ],
    [
      'a bad step',
      ['--prometheus', 'http://p:9090', '--query', 'up', '--step', '5 minutes'],
      '--step must be a duration',
    ],
    [
      'a step over a day',
      ['--prometheus', 'http://p:9090', '--query', 'up', '--step', '2d'],
      '--step must be at most 1d',
    ],
    [
      'too many points',
      ['--prometheus', 'http://p:9090', '--query', 'up', '--range', '10y', '--step', '1s'],
      'is 315,360,000 points, more than 1,000,000; raise --step or shorten --range',
    ],
    [
      'a token on the command line',
      ['--prometheus', 'http://p:9090', '--query', 'up', '--token', 's3cret'],
      'a token on the command line shows in ps and in shell history',
    ],
    [
      '--token=…',
      ['--prometheus', 'http://p:9090', '--query', 'up', '--token=s3cret'],
      'a token on the command line',
    ],
    [
      'a token-env that is not a name',
      ['--prometheus', 'http://p:9090', '--query', 'up', '--token-env', 'A B'],
      '--token-env takes the name of an environment variable',
    ],
    [
      'a token-env that is not set',
      ['--prometheus', 'http://p:9090', '--query', 'up', '--token-env', 'STEWARD_TEST_UNSET'],
      '--token-env names STEWARD_TEST_UNSET, which is not set or empty',
    ],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const { code, stdout, stderr } = await inProcess(['anomalies', ...args], dir, { env: {} });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith('steward anomalies: ')).toBe(true);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Run "steward anomalies --help" for usage.');
    // A secret given by mistake is never echoed.
    expect(stderr).not.toContain('s3cret');
    expect(stderr).not.toContain('secret@');
  });

  it('escapes control characters of a file name in its message', async () => {
    const { code, stderr } = await inProcess(['anomalies', '--csv', 'x\u001b[2J.csv'], dir, {
      env: {},
    });
    expect(code).toBe(2);
    expect(stderr).toBe('steward anomalies: cannot read x\\x1b[2J.csv: no such file\n');
  });
});

describe('steward anomalies on a terminal (in-process)', () => {
  async function onTerminal(color: boolean, ...args: string[]) {
    const io = { ...memoryIO(dir, color, {}), terminal: true };
    const code = await runCli(['anomalies', ...args], io, { commands, version: 'test' });
    return { code, stdout: io.out(), stderr: io.err() };
  }

  it('draws a sparkline with the anomalous stretch marked, in red with colour', async () => {
    const { code, stdout } = await onTerminal(true, '--csv', 'shift.csv');
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    const bars = lines[lines.length - 2]!;
    const marks = lines[lines.length - 1]!;
    expect(bars).toContain('\u001b[31m');
    // eslint-disable-next-line no-control-regex -- stripping the colours is the point
    const plain = bars.replace(/\u001b\[\d+m/g, '');
    expect(plain).toMatch(/^[▁▂▃▄▅▆▇█]{72} {2}19(?:\.\d+)? … 4\d(?:\.\d+)?$/);
    // 72 bars over 600 points: the shift at point 450 is bar 54; the low bars come before it.
    expect(plain.slice(0, 50)).toMatch(/^[▁▂▃]+$/);
    expect(plain.slice(56, 72)).toMatch(/^[▆▇█]+$/);
    expect(marks.trim()).toMatch(/^\^+$/);
    expect(marks.indexOf('^')).toBeGreaterThanOrEqual(53);
    expect(marks.indexOf('^')).toBeLessThanOrEqual(55);
  });

  it('marks the stretch without colour under NO_COLOR', async () => {
    const { stdout } = await onTerminal(false, '--csv', 'shift.csv');
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).toMatch(/[▁▂▃▄▅▆▇█]{72}/);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^ +\^+$/);
  });

  it('draws no marks for a series without an anomaly', async () => {
    const { code, stdout } = await onTerminal(false, '--csv', 'quiet.csv');
    expect(code).toBe(0);
    expect(stdout).not.toContain('^');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^[▁▂▃▄▅▆▇█]{72} {2}/);
  });

  it('judges a counter on its rate: the reset is no anomaly, the rate change is, and the sparkline shows the rate', async () => {
    const { code, stdout } = await onTerminal(false, '--csv', 'counter.csv', '--counter');
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('detector default (on the counter’s rate)');
    // Reading 500 is 2026-03-01 20:20 UTC.
    expect(lines[2]).toMatch(
      /^ {2}2026-03-01 20:2\d.*rate (?:4\d|5\d)(?:\.\d+)?, normal ~(?:9|10)(?:\.\d+)? \(\+\d+%\)$/,
    );
    expect(stdout).not.toMatch(/2026-03-01 17:0\d/);
    expect(lines.at(-2)).toMatch(/^▁{55,}[▁-█]*█ {2}\d+(?:\.\d+)? … [45]\d(?:\.\d+)?$/);
  });

  it('draws a bar for every stretch of a series spanning ±1e308', async () => {
    const { stdout } = await onTerminal(false, '--csv', 'extremes.csv');
    const bars = stdout.split('\n').find((line) => /^[▁-█]/.test(line));
    expect(bars).toMatch(/^[▁█]{72} {2}-1\.00e\+308 … 1\.00e\+308$/);
  });
});
