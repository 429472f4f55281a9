import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { getOptions } from 'renovate/dist/config/options/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'node_modules', '.bin');

interface Run {
  code: number;
  output: string;
}

// A clean environment: node_modules/.bin first so the validator's `#!/usr/bin/env node` gets the
// project's Node 24 (renovate needs >= 24.11); no inherited RENOVATE_* settings that would change
// what is validated; Node's own proxy support (NODE_USE_ENV_PROXY) aimed at a closed loopback port,
// so any network access fails instead of passing silently (the validator needs none: it also passes
// under `unshare -n`). RE2 is skipped because its native addon may be built for another Node ABI;
// the patterns in these files are plain enough for RegExp.
function validatorEnv(): NodeJS.ProcessEnv {
  return {
    PATH: [bin, process.env.PATH ?? ''].join(delimiter),
    HOME: process.env.HOME ?? tmpdir(),
    TMPDIR: tmpdir(),
    RENOVATE_X_IGNORE_RE2: 'true',
    NODE_USE_ENV_PROXY: '1',
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
    LOG_LEVEL: 'info',
    NO_COLOR: '1',
  };
}

function validate(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      'renovate-config-validator',
      args,
      { cwd, env: validatorEnv(), timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

function without(object: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

// renovate-config-validator checks names and types but not the values of enumerated string options
// (44.121.2 accepts `"rebaseWhen": "sometimes"`), so compare those with Renovate's own option table.
const allowedValues = new Map(
  getOptions().flatMap((option) =>
    option.allowedValues === undefined ? [] : [[option.name, option.allowedValues] as const],
  ),
);

function disallowedValues(config: unknown, path = ''): string[] {
  if (Array.isArray(config)) {
    return config.flatMap((item, index) => disallowedValues(item, `${path}[${index}]`));
  }
  if (typeof config !== 'object' || config === null) return [];
  return Object.entries(config).flatMap(([key, value]) => {
    const where = path === '' ? key : `${path}.${key}`;
    const allowed = allowedValues.get(key);
    const values: unknown[] = Array.isArray(value) ? value : [value];
    const wrong =
      allowed === undefined
        ? []
        : values
            .filter((v) => typeof v === 'string' && !allowed.includes(v))
            .map((v) => `${where}: ${String(v)}`);
    return [...wrong, ...disallowedValues(value, where)];
  });
}

async function readJson(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(root, name), 'utf8')) as Record<string, unknown>;
}

describe('Renovate config', () => {
  it('validates this repository’s renovate.json in strict mode', async () => {
    const run = await validate(['--strict'], root);
    expect(run.output).toContain('Validating renovate.json');
    expect(run.output).toContain('Config validated successfully');
    expect(run.code, run.output).toBe(0);
  });

  it('validates the shared preset default.json as a repo config (--no-global)', async () => {
    const run = await validate(['--strict', '--no-global', 'default.json'], root);
    expect(run.output).toContain('Config validated successfully');
    expect(run.code, run.output).toBe(0);
  });

  it('keeps renovate.json to config:recommended plus the preset’s policy', async () => {
    const repo = await readJson('renovate.json');
    const preset = await readJson('default.json');
    expect(repo.extends).toEqual(['config:recommended']);
    expect(without(repo, 'extends', 'description')).toEqual(without(preset, 'description'));
  });
});

describe('enumerated option values', () => {
  it('uses only values Renovate allows in renovate.json and default.json', async () => {
    expect(disallowedValues(await readJson('renovate.json'))).toEqual([]);
    expect(disallowedValues(await readJson('default.json'))).toEqual([]);
  });

  it('reports a value Renovate does not allow, at its path', async () => {
    const preset = await readJson('default.json');
    const broken = {
      ...preset,
      rebaseWhen: 'sometimes',
      packageRules: [{ matchUpdateTypes: ['tiny'] }],
    };
    expect(disallowedValues(broken)).toEqual([
      'rebaseWhen: sometimes',
      'packageRules[0].matchUpdateTypes: tiny',
    ]);
  });
});

describe('Renovate validator on broken copies of the preset', () => {
  let dir = '';
  let preset: Record<string, unknown> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steward-renovate-'));
    preset = await readJson('default.json');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails on an unknown option', async () => {
    await writeFile(
      join(dir, 'default.json'),
      JSON.stringify({ ...preset, automergeWhenGreen: true }),
    );
    const run = await validate(['--strict', '--no-global', 'default.json'], dir);
    expect(run.output).toContain('Invalid configuration option: automergeWhenGreen');
    expect(run.code).not.toBe(0);
  });

  it('fails in strict mode on an option that needs migration', async () => {
    const rest = without(preset, 'minimumReleaseAge');
    // stabilityDays is the pre-minimumReleaseAge name; Renovate still migrates it.
    await writeFile(join(dir, 'default.json'), JSON.stringify({ ...rest, stabilityDays: 3 }));
    const run = await validate(['--strict', '--no-global', 'default.json'], dir);
    expect(run.output).toContain('Config migration necessary');
    expect(run.code).not.toBe(0);
  });
});
