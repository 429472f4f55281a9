import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseExtends } from '../../src/config/extends.ts';
import { loadConfig } from '../../src/config/loader.ts';
import type { ConfigOutcome } from '../../src/config/loader.ts';
import {
  MAX_COLLECTION_ITEMS,
  MAX_CONFIG_BYTES,
  MAX_ERRORS_PER_FILE,
  MAX_EXTENDS_DEPTH,
  MAX_NESTING,
} from '../../src/config/limits.ts';
import { repositoryLabel } from '../../src/config/reader.ts';
import type { ConfigLocation, ConfigReader } from '../../src/config/reader.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import {
  BASE_CONFIG,
  LAYERED_SETTINGS,
  ORG_CONFIG,
  REPO_CONFIG,
} from '../support/config-layers.ts';

/**
 * The loader against an in-memory GitHub: files by `owner/repo@ref:path` (ref `HEAD` is the
 * default branch). Every read is recorded, so a test can say exactly what was asked for.
 */
function memoryReader(files: Record<string, string>, unavailable: string[] = []) {
  const reads: string[] = [];
  const reader: ConfigReader = {
    label: repositoryLabel,
    async read(location: ConfigLocation) {
      const key = keyOf(location);
      reads.push(key);
      if (unavailable.includes(key)) return { kind: 'unavailable', reason: 'no token' };
      const text = files[key];
      return text === undefined ? { kind: 'missing' } : { kind: 'text', text };
    },
  };
  return { reader, reads };
}

function keyOf(location: ConfigLocation): string {
  const repo = location.repo ? `${location.repo.owner}/${location.repo.repo}` : '';
  return `${repo}@${location.ref ?? 'HEAD'}:${location.path}`;
}

const HOME = 'acme/widgets@main:.github/steward.yml';
const ORG = 'acme/.github@HEAD:.github/steward.yml';
const widgets = { owner: 'acme', repo: 'widgets' };

function load(files: Record<string, string>, unavailable: string[] = []) {
  const memory = memoryReader(files, unavailable);
  return {
    reads: memory.reads,
    outcome: loadConfig({ reader: memory.reader, repo: widgets, ref: 'main' }),
  };
}

function ok(outcome: ConfigOutcome) {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors, null, 2));
  return outcome;
}

/** The error a bad `_extends` on line 1 of the repository's own file gets. */
function extendsError(message: unknown) {
  return {
    file: 'acme/widgets:.github/steward.yml',
    error: expect.objectContaining({ path: '_extends', line: 1, column: 11, message }),
  };
}

function failed(outcome: ConfigOutcome) {
  if (outcome.ok) throw new Error('expected the config to be invalid');
  return outcome;
}

describe('loadConfig: where the config comes from', () => {
  it('reads the repository file at the ref it is given, and nothing else', async () => {
    const { outcome, reads } = load({ [HOME]: 'review:\n  max-comments: 4\n' });
    const loaded = ok(await outcome);
    expect(loaded.config.review.maxComments).toBe(4);
    expect(reads).toEqual([HOME]);
    expect(loaded.sources).toEqual([
      {
        label: 'acme/widgets:.github/steward.yml',
        repo: widgets,
        path: '.github/steward.yml',
        ref: 'main',
        found: true,
      },
    ]);
  });

  it("falls back to the organisation's .github repository when the repository has no file", async () => {
    const { outcome, reads } = load({ [ORG]: 'review:\n  max-comments: 9\n' });
    const loaded = ok(await outcome);
    expect(loaded.config.review.maxComments).toBe(9);
    expect(reads).toEqual([HOME, ORG]);
    expect(loaded.sources.map((s) => [s.label, s.found])).toEqual([
      ['acme/widgets:.github/steward.yml', false],
      ['acme/.github:.github/steward.yml', true],
    ]);
  });

  it('gives the defaults when neither exists', async () => {
    const loaded = ok(await load({}).outcome);
    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.merged).toEqual({});
  });

  it('notes an organisation layer it could not consult, and goes on with the defaults', async () => {
    const loaded = ok(await load({}, [ORG]).outcome);
    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.notes).toEqual([
      "the organisation's settings (acme/.github:.github/steward.yml) were not consulted: no token",
    ]);
  });

  it('fails when the repository file itself cannot be read', async () => {
    const failure = failed(await load({}, [HOME]).outcome);
    expect(failure.errors[0]!.error.message).toBe('cannot be read: no token');
  });
});

describe('loadConfig: _extends', () => {
  it('follows a chain, merges nearest first, and a nearer list replaces a farther one', async () => {
    const { outcome, reads } = load({
      [HOME]: REPO_CONFIG,
      [ORG]: ORG_CONFIG,
      'acme/shared@HEAD:steward/base.yml': BASE_CONFIG,
    });
    const loaded = ok(await outcome);
    expect(reads).toEqual([HOME, ORG, 'acme/shared@HEAD:steward/base.yml']);
    expect(loaded.merged).toEqual(LAYERED_SETTINGS);
    expect(loaded.config.review.exclude).toEqual(['generated/**']);
    expect(loaded.config.autoMerge.bots).toEqual(['renovate[bot]']);
    expect(loaded.sources.filter((s) => s.found).map((s) => s.label)).toEqual([
      'acme/widgets:.github/steward.yml',
      'acme/.github:.github/steward.yml',
      'acme/shared:steward/base.yml',
    ]);
  });

  it.each([
    ['owner/repo', '_extends: globex/policies\n', 'globex/policies@HEAD:.github/steward.yml'],
    ['repo:path', '_extends: policies:steward.yaml\n', 'acme/policies@HEAD:steward.yaml'],
    ['owner/repo:path', '_extends: globex/p:a/b.yml\n', 'globex/p@HEAD:a/b.yml'],
    [
      'its own repository, at the same ref',
      '_extends: widgets:base.yml\n',
      'acme/widgets@main:base.yml',
    ],
  ])('reads %s', async (_, text, target) => {
    const { outcome, reads } = load({ [HOME]: text, [target]: 'review:\n  drafts: true\n' });
    expect(ok(await outcome).config.review.drafts).toBe(true);
    expect(reads).toEqual([HOME, target]);
  });

  it('refuses a loop, naming the chain, after reading each file once', async () => {
    const { outcome, reads } = load({
      [HOME]: '_extends: .github\n',
      [ORG]: '_extends: widgets\n',
      'acme/widgets@HEAD:.github/steward.yml': '_extends: .github\n',
    });
    const failure = failed(await outcome);
    expect(reads).toEqual([HOME, ORG, 'acme/widgets@HEAD:.github/steward.yml']);
    expect(failure.errors).toEqual([
      extendsError(expect.stringContaining('which is already in the chain')),
    ]);
  });

  it(`stops a chain longer than ${MAX_EXTENDS_DEPTH} files past the first`, async () => {
    const files: Record<string, string> = { [HOME]: '_extends: r0\n' };
    for (let i = 0; i < 20; i++)
      files[`acme/r${i}@HEAD:.github/steward.yml`] = `_extends: r${i + 1}\n`;
    const { outcome, reads } = load(files);
    const failure = failed(await outcome);
    expect(reads).toHaveLength(MAX_EXTENDS_DEPTH + 1);
    expect(failure.errors[0]!.error.message).toContain(
      `one more than the ${MAX_EXTENDS_DEPTH} files an _extends chain may add to the first`,
    );
  });

  it('names an _extends target that does not exist', async () => {
    const failure = failed(await load({ [HOME]: '_extends: nowhere\n' }).outcome);
    expect(failure.errors[0]).toEqual({
      file: 'acme/widgets:.github/steward.yml',
      error: expect.objectContaining({
        line: 1,
        column: 11,
        message: expect.stringMatching(
          /^extends acme\/nowhere:\.github\/steward\.yml, which does not exist/,
        ),
      }),
    });
  });

  it('reports an error in an extended file by that file, line and column', async () => {
    const failure = failed(
      await load({ [HOME]: '_extends: .github\n', [ORG]: 'review:\n  max-coments: 3\n' }).outcome,
    );
    expect(failure.errors).toEqual([
      {
        file: 'acme/.github:.github/steward.yml',
        error: expect.objectContaining({ path: 'review.max-coments', line: 2, column: 3 }),
      },
    ]);
  });
});

describe('loadConfig: hostile _extends is refused before any request', () => {
  it.each([
    ['r:../../../secrets.yml', 'has a "." or ".." in its path'],
    ['..', 'names the repository ".."'],
    ['acme/..', 'names the repository ".."'],
    ['.', 'names the repository "."'],
    ['-bad-/repo', 'names the owner "-bad-"'],
    ['a b/repo', 'names the owner "a b"'],
    ['acme/repo:/etc/passwd.yml', 'has the path "/etc/passwd.yml"'],
    ['acme/repo:dir/./x.yml', 'has a "." or ".." in its path'],
    ['acme/repo:secrets.json', 'has the path "secrets.json"'],
    ['acme/repo:a%2F..%2Fb.yml', 'has the path "a%2F..%2Fb.yml"'],
    ['acme/repo?ref=x', 'names the repository "repo?ref=x"'],
    ['acme/repo/contents', 'names the repository "repo/contents"'],
  ])('%s', async (value, says) => {
    const { outcome, reads } = load({ [HOME]: `_extends: ${JSON.stringify(value)}\n` });
    const failure = failed(await outcome);
    expect(reads).toEqual([HOME]);
    expect(failure.errors).toEqual([extendsError(expect.stringContaining(says))]);
    expect(failure.errors[0]!.error.message).toContain(JSON.stringify(value).slice(0, 20));
  });

  test.prop([fc.string({ maxLength: 60 })])(
    'never lets a path out of its repository, whatever the value',
    (value) => {
      const parsed = parseExtends(value);
      if (!parsed.ok) return;
      const { owner, repo, path } = parsed.target;
      expect(owner === null || /^[A-Za-z\d-]{1,39}$/.test(owner)).toBe(true);
      expect(repo).toMatch(/^[\w.-]+$/);
      expect(['.', '..']).not.toContain(repo);
      if (path !== null) {
        expect(path.split('/')).not.toContain('..');
        expect(path).toMatch(/^[\w.-]+(\/[\w.-]+)*\.ya?ml$/);
      }
    },
  );
});

describe('loadConfig: size limits', () => {
  it('refuses a file over the size limit, naming the limit, without parsing it', async () => {
    const big = `hotspots:\n  exclude:\n${'    - "vendor/some/long/path/**"\n'.repeat(200_000)}`;
    const failure = failed(await load({ [HOME]: big }).outcome);
    expect(failure.errors).toHaveLength(1);
    expect(failure.errors[0]!.error.message).toMatch(
      new RegExp(`^the file is \\d+\\.\\d MB, over the limit of ${MAX_CONFIG_BYTES / 1024} KB`),
    );
  });

  it('refuses a list longer than the limit, naming the key and the limit', async () => {
    const list = `review:\n  exclude: [${Array.from({ length: 5000 }, (_, i) => `a${i}`).join(', ')}]\n`;
    const failure = failed(await load({ [HOME]: list }).outcome);
    expect(failure.errors).toEqual([
      {
        file: 'acme/widgets:.github/steward.yml',
        error: expect.objectContaining({
          path: 'review.exclude',
          line: 2,
          message: `the list has 5000 items, over the limit of ${MAX_COLLECTION_ITEMS} for a Steward config; use globs that cover many names`,
        }),
      },
    ]);
  });

  it('does not follow the _extends of a file that is too big', async () => {
    const text = `_extends: .github\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    const { outcome, reads } = load({ [HOME]: text, [ORG]: '' });
    failed(await outcome);
    expect(reads).toEqual([HOME]);
  });
});

describe('parseConfig: hostile shapes are refused before the YAML parser recurses on them', () => {
  it.each([
    ['flow lists', '['.repeat(30_000)],
    ['flow maps', 'a: ' + '{b: '.repeat(10_000)],
    ['block sequences on one line', `${'- '.repeat(30_000)}x`],
    ['flow lists after an apostrophe', `review:\n  instructions: don't\nx: ${'['.repeat(30_000)}`],
    ['flow lists under a comment that ends like a block scalar', `# |\n  ${'['.repeat(30_000)}`],
    ['flow lists after a | inside a flow list', `x: [a, |\n  ${'['.repeat(30_000)}`],
  ])('nested %s', async (_, text) => {
    const failure = failed(await load({ [HOME]: text }).outcome);
    expect(failure.errors).toHaveLength(1);
    expect(failure.errors[0]!.error.message).toBe(
      `lists and maps are nested more than ${MAX_NESTING} levels deep here, past the limit for a Steward config`,
    );
  });

  it('still reads brackets and dashes inside strings and block text', async () => {
    const text = [
      'review:',
      `  instructions: "${'['.repeat(40)}"`,
      '  exclude: [\'a[1]\', "b{"]',
      '  model: |',
      `    ${'- '.repeat(40)}`,
      '',
    ].join('\n');
    const { review } = ok(await load({ [HOME]: text }).outcome).config;
    expect(review.instructions).toBe('['.repeat(40));
    expect(review.exclude).toEqual(['a[1]', 'b{']);
    expect(review.model).toBe('- '.repeat(40).trim());
  });

  it('finds a repeated key among many, and counts past the errors it shows', async () => {
    const keys = Array.from({ length: 900 }, (_, i) => `  key-${i}: 1`);
    const failure = failed(await load({ [HOME]: `review:\n${keys.join('\n')}\n` }).outcome);
    expect(failure.errors).toHaveLength(MAX_ERRORS_PER_FILE + 1);
    expect(failure.errors.at(-1)!.error.message).toBe(
      `and ${900 - MAX_ERRORS_PER_FILE} more errors from here on; fix these first`,
    );
    const repeated = failed(
      await load({ [HOME]: `review:\n${keys.join('\n')}\n  key-3: 2\n` }).outcome,
    );
    expect(repeated.errors.map((e) => [e.error.line, e.error.message])).toEqual([
      [
        902,
        'YAML syntax error: Map keys must be unique; the key appears twice in the same map, keep one',
      ],
    ]);
  });
});
