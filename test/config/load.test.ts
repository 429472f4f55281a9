import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIG_PATH,
  ConfigInvalidError,
  loadConfigFromFile,
  loadConfigFromRepo,
} from '../../src/config/load.ts';
import { defaultConfig } from '../../src/config/schema.ts';

/** A GitHub client that only serves files, and remembers which refs were asked for. */
function fakeClient(files: Record<string, string>) {
  const requests: { path: string; ref: string }[] = [];
  return {
    requests,
    async getFileText(path: string, ref: string): Promise<string | null> {
      requests.push({ path, ref });
      return files[`${ref}:${path}`] ?? null;
    },
  };
}

describe('loadConfigFromRepo', () => {
  it('reads .github/steward.yml at the ref it is given', async () => {
    const client = fakeClient({
      [`main:${CONFIG_PATH}`]: 'auto-merge:\n  merge-method: rebase\n',
      [`feature:${CONFIG_PATH}`]: 'auto-merge:\n  merge-method: merge\n',
    });
    const config = await loadConfigFromRepo(client, 'main');
    expect(config.autoMerge.mergeMethod).toBe('rebase');
    expect(client.requests).toEqual([{ path: '.github/steward.yml', ref: 'main' }]);
  });

  it('gives the defaults when the repository has no config', async () => {
    expect(await loadConfigFromRepo(fakeClient({}), 'main')).toEqual(defaultConfig());
  });

  it('throws ConfigInvalidError listing every error by line', async () => {
    const client = fakeClient({ [`main:${CONFIG_PATH}`]: 'reveiw: {}\nauto-merge:\n  bots: 3\n' });
    const error = await loadConfigFromRepo(client, 'main').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    const invalid = error as ConfigInvalidError;
    expect(invalid.file).toBe(CONFIG_PATH);
    expect(invalid.errors.map((e) => e.path)).toEqual(['reveiw', 'auto-merge.bots']);
    expect(invalid.message).toBe(
      [
        '.github/steward.yml has 2 errors:',
        '.github/steward.yml:1:1  reveiw: unknown key. Did you mean "review"?',
        '.github/steward.yml:3:9  auto-merge.bots: expected a list of strings, got a number',
      ].join('\n'),
    );
  });
});

describe('loadConfigFromFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steward-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file', async () => {
    const path = join(dir, 'steward.yml');
    await writeFile(path, 'auto-merge:\n  mode: native\n');
    const loaded = await loadConfigFromFile(path);
    expect(loaded.found).toBe(true);
    expect(loaded.note).toBeUndefined();
    expect(loaded.config.autoMerge.mode).toBe('native');
  });

  it('gives the defaults with a note when the file is missing', async () => {
    const path = join(dir, 'missing.yml');
    expect(await loadConfigFromFile(path)).toEqual({
      config: defaultConfig(),
      found: false,
      note: `no ${path}; using defaults`,
    });
  });

  it('throws ConfigInvalidError naming the file', async () => {
    const path = join(dir, 'steward.yml');
    await writeFile(path, 'auto-merge:\n  mode: natve\n');
    await expect(loadConfigFromFile(path)).rejects.toMatchObject({
      name: 'ConfigInvalidError',
      file: path,
    });
  });

  it('passes other read failures on', async () => {
    await expect(loadConfigFromFile(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
