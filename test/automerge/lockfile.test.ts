import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { LockEntry } from '../../src/automerge/lockfile/entry.ts';
import { judgeLockfileChange } from '../../src/automerge/lockfile/judge.ts';
import { parseLockfile } from '../../src/automerge/lockfile/parse.ts';
import {
  LOCK_FORMATS,
  LOCKFILE_PATH,
  registryUrl,
  renderLockfile,
  type LockFormat,
  type LockPackage,
} from '../support/lockfiles.ts';

const REGISTRIES = ['https://registry.npmjs.org', 'https://registry.yarnpkg.com'];

function parsed(format: LockFormat, packages: readonly LockPackage[]): Map<string, LockEntry> {
  const result = parseLockfile(LOCKFILE_PATH[format], renderLockfile(format, packages));
  if (!result.ok) throw new Error(`${format}: ${result.reason}`);
  return result.entries;
}

function judge(
  format: LockFormat,
  before: LockPackage[],
  after: LockPackage[],
  asked: string[] = [],
) {
  return judgeLockfileChange(LOCKFILE_PATH[format], parsed(format, before), parsed(format, after), {
    registries: REGISTRIES,
    manifestNames: new Set(asked),
  });
}

const segment = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const packageName = fc.oneof(
  segment,
  fc.tuple(segment, segment).map(([scope, name]) => `@${scope}/${name}`),
);
const version = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20))
  .map(([a, b, c]) => `${a + 1}.${b}.${c}`);
const integrity = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((bytes) => `sha512-${Buffer.from(bytes).toString('base64')}`);

/** Packages with distinct names, each depending on some of the others. */
const packages = fc.uniqueArray(packageName, { minLength: 1, maxLength: 8 }).chain((names) =>
  fc.tuple(
    ...names.map((name) =>
      fc
        .record({
          version,
          integrity,
          deps: fc.subarray(names.filter((n) => n !== name)),
        })
        .map(({ version: v, integrity: i, deps }): LockPackage => ({
          name,
          version: v,
          integrity: i,
          ...(deps.length > 0
            ? { dependencies: Object.fromEntries(deps.map((d) => [d, '^1.0.0'])) }
            : {}),
        })),
    ),
  ),
);

describe.each(LOCK_FORMATS)('the %s lockfile parser', (format) => {
  test.prop([packages])('reads back every package a generated lockfile holds', (list) => {
    const entries = [...parsed(format, list).values()];
    const seen = entries
      .map((e) => ({
        name: e.name,
        version: e.version,
        integrity: e.integrity,
        registry: e.source.kind,
        dependencies: e.dependencies,
      }))
      // npm lockfileVersion 2 holds every package twice (packages and the v1 tree): once is enough.
      .filter((e, i, all) => all.findIndex((o) => o.name === e.name) === i)
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(seen).toEqual(
      [...list]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => ({
          name: p.name,
          version: p.version,
          integrity: p.integrity,
          registry: 'registry',
          dependencies: Object.keys(p.dependencies ?? {}).sort(),
        })),
    );
  });

  test.prop([packages, fc.nat(), version, integrity])(
    'finds exactly the entry whose version changed, and nothing to refuse',
    (list, pick, next, nextIntegrity) => {
      const index = pick % list.length;
      fc.pre(list[index]!.version !== next);
      const after = list.map((p, i) =>
        i === index
          ? { ...p, version: next, range: p.range ?? `^${p.version}`, integrity: nextIntegrity }
          : p,
      );
      const result = judge(format, list, after);
      expect(result.problems).toEqual([]);
      expect(result.newVersions).toEqual(
        format === 'npm-2'
          ? [
              { name: list[index]!.name, version: next },
              { name: list[index]!.name, version: next },
            ]
          : [{ name: list[index]!.name, version: next }],
      );
    },
  );

  test.prop([packages, fc.nat(), integrity])(
    'refuses an integrity that changes while the version stays, naming the entry',
    (list, pick, swapped) => {
      const index = pick % list.length;
      fc.pre(list[index]!.integrity !== swapped);
      const after = list.map((p, i) => (i === index ? { ...p, integrity: swapped } : p));
      const { problems } = judge(format, list, after);
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) {
        expect(problem).toContain(
          `${list[index]!.name}@${list[index]!.version}: integrity changed`,
        );
      }
    },
  );
});

const lodash: LockPackage = {
  name: 'lodash',
  version: '4.17.20',
  range: '^4.17.20',
  integrity: 'sha512-old',
};
const bumped: LockPackage = { ...lodash, version: '4.17.21', integrity: 'sha512-new' };

describe('lockfile entries that refuse', () => {
  it.each(['npm-3', 'npm-1', 'yarn-1', 'pnpm-9'] as const)(
    '%s: a resolved URL naming another package on the right registry',
    (format) => {
      const evil = { ...bumped, resolved: registryUrl('lodash-evil', '4.17.21') };
      expect(judge(format, [lodash], [evil]).problems).toEqual([
        expect.stringMatching(
          /lodash@4\.17\.21: resolved https:\/\/registry\.npmjs\.org\/lodash-evil\/-\/lodash-evil-4\.17\.21\.tgz is not the tarball of lodash@4\.17\.21/,
        ),
      ]);
    },
  );

  it('a tarball outside the registry, or over http', () => {
    const elsewhere = { ...bumped, resolved: 'https://evil.example/lodash-4.17.21.tgz' };
    expect(judge('pnpm-6', [lodash], [elsewhere]).problems[0]).toMatch(/outside the registry/);
    const http = {
      ...bumped,
      resolved: registryUrl('lodash', '4.17.21', 'http://registry.npmjs.org'),
    };
    expect(judge('npm-3', [lodash], [http]).problems[0]).toMatch(/not https/);
  });

  it('a Yarn Berry resolution from git, and one naming another package', () => {
    const before = renderLockfile('yarn-berry', [lodash]);
    const git = before
      .replace(
        'resolution: lodash@npm:4.17.20',
        'resolution: lodash@https://github.com/evil/lodash.git#commit=abc',
      )
      .replace('version: 4.17.20', 'version: 4.17.21');
    const other = before.replace(
      'resolution: lodash@npm:4.17.20',
      'resolution: lodash-evil@npm:4.17.20',
    );
    const run = (after: string) => {
      const a = parseLockfile('yarn.lock', before);
      const b = parseLockfile('yarn.lock', after);
      if (!a.ok || !b.ok) throw new Error('unparsable');
      return judgeLockfileChange('yarn.lock', a.entries, b.entries, {
        registries: REGISTRIES,
        manifestNames: new Set(),
      }).problems;
    };
    expect(run(git)).toEqual([
      expect.stringMatching(/lodash@4\.17\.21 resolves from git .*not the registry/),
    ]);
    expect(run(other)).toEqual([
      expect.stringMatching(
        /resolution "lodash-evil@npm:4\.17\.20", which is not lodash@npm:4\.17\.20/,
      ),
    ]);
  });

  it('a pnpm resolution from a git repository', () => {
    const before = renderLockfile('pnpm-9', [lodash]);
    const doc = parse(before) as { packages: Record<string, { resolution: unknown }> };
    doc.packages['lodash@4.17.20']!.resolution = {
      type: 'git',
      repo: 'https://github.com/evil/lodash',
      commit: 'abc',
    };
    const after = stringify(doc);
    const a = parseLockfile('pnpm-lock.yaml', before);
    const b = parseLockfile('pnpm-lock.yaml', after);
    if (!a.ok || !b.ok) throw new Error('unparsable');
    expect(
      judgeLockfileChange('pnpm-lock.yaml', a.entries, b.entries, {
        registries: REGISTRIES,
        manifestNames: new Set(),
      }).problems,
    ).toEqual([
      expect.stringMatching(
        /lodash@4\.17\.20 resolves from git \(https:\/\/github\.com\/evil\/lodash\)/,
      ),
    ]);
  });

  it('a package new to the lockfile that nothing changed asks for', () => {
    const stowaway: LockPackage = { name: 'stowaway', version: '1.0.0', integrity: 'sha512-x' };
    expect(judge('npm-3', [lodash], [bumped, stowaway]).problems).toEqual([
      expect.stringMatching(
        /stowaway@1\.0\.0 is new to the lockfile, and no changed manifest or updated package asks for it/,
      ),
    ]);
    // Asked for by the updated package itself: fine.
    const asking = { ...bumped, dependencies: { stowaway: '^1.0.0' } };
    expect(judge('npm-3', [lodash], [asking, stowaway]).problems).toEqual([]);
  });

  it('an entry that gains an install script', () => {
    expect(judge('npm-3', [lodash], [{ ...bumped, hasInstallScript: true }]).problems).toEqual([
      expect.stringMatching(/lodash@4\.17\.21 gains an install script/),
    ]);
  });

  it.each([
    [
      'package-lock.json',
      '{"lockfileVersion": 4, "packages": {}}',
      /lockfileVersion 4 is not one Steward reads/,
    ],
    [
      'pnpm-lock.yaml',
      "lockfileVersion: '10.0'\n",
      /lockfileVersion "10.0" is not one Steward reads/,
    ],
    ['yarn.lock', '__metadata:\n  version: 9\n', /__metadata.version 9 is not one Steward reads/],
    ['yarn.lock', 'lodash@^1:\n  version "1.0.0"\n', /neither a yarn 1 lockfile/],
  ])('%s in a format it does not know: %s', (path, text, reason) => {
    const result = parseLockfile(path, text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});

describe('lockfiles as the package managers write them', () => {
  const judgeTexts = (path: string, before: string, after: string, registries = REGISTRIES) => {
    const a = parseLockfile(path, before);
    const b = parseLockfile(path, after);
    if (!a.ok || !b.ok) throw new Error(a.ok ? (b.ok ? '' : b.reason) : a.reason);
    return judgeLockfileChange(path, a.entries, b.entries, {
      registries,
      manifestNames: new Set(),
    });
  };

  it('yarn 1 without integrity lines: the #sha1 of resolved is the hash', () => {
    const lock = (v: string, sha: string) =>
      `# yarn lockfile v1\n\n\nlodash@^4.17.20:\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-${v}.tgz#${sha}"\n`;
    expect(judgeTexts('yarn.lock', lock('4.17.20', 'aaa'), lock('4.17.21', 'bbb'))).toEqual({
      problems: [],
      newVersions: [{ name: 'lodash', version: '4.17.21' }],
    });
    expect(
      judgeTexts('yarn.lock', lock('4.17.20', 'aaa'), lock('4.17.20', 'ccc')).problems,
    ).toEqual([
      'yarn.lock: lodash@4.17.20: integrity changed from aaa to ccc while the version stayed the same',
    ]);
  });

  it('an npm alias resolves to the package it names, and is aged under that name', () => {
    const lock = (v: string) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { sw: 'npm:string-width@^4.2.0' } },
          'node_modules/sw': {
            name: 'string-width',
            version: v,
            resolved: registryUrl('string-width', v),
            integrity: `sha512-${v}`,
          },
        },
      });
    expect(judgeTexts('package-lock.json', lock('4.2.0'), lock('4.2.3'))).toEqual({
      problems: [],
      newVersions: [{ name: 'string-width', version: '4.2.3' }],
    });
  });

  it('a private registry under a path prefix, and a link that appears', () => {
    const registry = 'https://npm.corp.example/api/npm/main';
    const lock = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          'node_modules/@acme/ui': {
            version: '2.0.1',
            resolved: `${registry}/@acme/ui/-/ui-2.0.1.tgz`,
            integrity: 'sha512-ui',
          },
          ...extra,
        },
      });
    const before = lock().replaceAll('2.0.1', '2.0.0');
    expect(judgeTexts('package-lock.json', before, lock(), [registry]).problems).toEqual([]);
    const linked = lock({ 'node_modules/left-pad': { resolved: '../evil', link: true } });
    expect(judgeTexts('package-lock.json', before, linked, [registry]).problems).toEqual([
      'package-lock.json: left-pad@(no version) resolves from a link to ../evil, not the registry',
    ]);
  });

  it('pnpm 5.4 keys (/name/version) and Yarn 3 (__metadata 6) are read', () => {
    const pnpm = (v: string) =>
      `lockfileVersion: 5.4\n\npackages:\n\n  /@acme/ui/${v}:\n    resolution: {integrity: sha512-${v}}\n    dev: false\n`;
    expect(judgeTexts('pnpm-lock.yaml', pnpm('1.0.0'), pnpm('1.0.1')).newVersions).toEqual([
      { name: '@acme/ui', version: '1.0.1' },
    ]);
    const berry = (v: string) =>
      `__metadata:\n  version: 6\n  cacheKey: 8\n\n"lodash@npm:^4.17.20":\n  version: ${v}\n  resolution: "lodash@npm:${v}"\n  checksum: c${v}\n  languageName: node\n  linkType: hard\n\n"widgets@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "widgets@workspace:."\n  dependencies:\n    lodash: ^4.17.20\n  languageName: unknown\n  linkType: soft\n`;
    expect(judgeTexts('yarn.lock', berry('4.17.20'), berry('4.17.21'))).toEqual({
      problems: [],
      newVersions: [{ name: 'lodash', version: '4.17.21' }],
    });
  });
});

describe('lockfile tricks on the parsers', () => {
  it('refuses a yarn 1 descriptor with two entries, and a field given twice', () => {
    const block = (v: string) =>
      `lodash@^4.17.20:\n  version "${v}"\n  resolved "${registryUrl('lodash', v)}"\n`;
    const twice = parseLockfile(
      'yarn.lock',
      `# yarn lockfile v1\n\n${block('4.17.21')}\n${block('4.17.20')}`,
    );
    expect(twice).toEqual({
      ok: false,
      reason: '"lodash@^4.17.20" has two entries (lines 3 and 7)',
    });
    const field = parseLockfile(
      'yarn.lock',
      `# yarn lockfile v1\n\n${block('4.17.21')}  resolved "https://evil.example/x.tgz"\n`,
    );
    expect(field).toEqual({ ok: false, reason: 'line 6: "resolved" given twice in one entry' });
  });

  it('refuses an install path that starts resolving to another package (an alias it did not have)', () => {
    const lock = (name: string | undefined, v: string) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          'node_modules/lodash': {
            ...(name ? { name } : {}),
            version: v,
            resolved: registryUrl(name ?? 'lodash', v),
            integrity: `sha512-${name ?? 'lodash'}${v}`,
          },
        },
      });
    const a = parseLockfile('package-lock.json', lock(undefined, '4.17.20'));
    const b = parseLockfile('package-lock.json', lock('lodash-evil', '4.17.21'));
    if (!a.ok || !b.ok) throw new Error('unparsable');
    expect(
      judgeLockfileChange('package-lock.json', a.entries, b.entries, {
        registries: REGISTRIES,
        manifestNames: new Set(['lodash']),
      }).problems,
    ).toEqual([
      'package-lock.json: lodash@4.17.21 now installs the package lodash-evil under the name lodash; an alias the lockfile did not have before',
    ]);
  });
});

describe('a package smuggled in through an entry that did not change version', () => {
  it.each(['npm-3', 'yarn-1', 'yarn-berry', 'pnpm-6', 'pnpm-9'] as const)(
    '%s: the unchanged entry that suddenly asks for it is refused',
    (format) => {
      const zod: LockPackage = { name: 'zod', version: '0.9.0', integrity: 'sha512-zod' };
      const stowaway: LockPackage = { name: 'stowaway', version: '1.0.0', integrity: 'sha512-s' };
      const after = [bumped, { ...zod, dependencies: { stowaway: '^1.0.0' } }, stowaway];
      expect(judge(format, [lodash, zod], after).problems).toEqual([
        expect.stringMatching(
          /zod@0\.9\.0: its dependencies changed from \[\] to \[stowaway\] while the version stayed the same/,
        ),
      ]);
    },
  );
});

describe('what a hostile lockfile can make Steward write', () => {
  it('lists at most 20 refused entries and shortens each', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      name: `p${i}`,
      version: '1.0.0',
      integrity: 'sha512-a',
    }));
    const evil = many.map((p) => ({
      ...p,
      version: '1.0.1',
      resolved: `https://evil.example/${'x'.repeat(1000)}.tgz`,
    }));
    const { problems } = judge('npm-3', many, evil);
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe('package-lock.json: 10 more entries refused');
    expect(Math.max(...problems.map((p) => p.length))).toBeLessThanOrEqual(401);
  });
});

describe("Yarn's builtin compatibility patches", () => {
  const berry = (v: string, hash: string, patch = `~builtin<compat/typescript>`) =>
    [
      '__metadata:',
      '  version: 8',
      '  cacheKey: 10c0',
      '',
      '"typescript@npm:^5.3.0":',
      `  version: ${v}`,
      `  resolution: "typescript@npm:${v}"`,
      `  checksum: 10c0/plain${v}`,
      '  languageName: node',
      '  linkType: hard',
      '',
      `"typescript@patch:typescript@npm%3A^5.3.0#${patch}":`,
      `  version: ${v}`,
      `  resolution: "typescript@patch:typescript@npm%3A${v}#${patch}::version=${v}&hash=${hash}"`,
      `  checksum: 10c0/patched${v}`,
      '  languageName: node',
      '  linkType: hard',
      '',
    ].join('\n');
  const run = (before: string, after: string) => {
    const a = parseLockfile('yarn.lock', before);
    const b = parseLockfile('yarn.lock', after);
    if (!a.ok || !b.ok) throw new Error('unparsable');
    return judgeLockfileChange('yarn.lock', a.entries, b.entries, {
      registries: REGISTRIES,
      manifestNames: new Set(['typescript']),
    });
  };

  it.each(['~builtin<compat/typescript>', 'optional!builtin<compat/typescript>'])(
    'a bump of a package Yarn patches itself (%s) resolves from the registry',
    (patch) => {
      expect(
        run(berry('5.3.2', 'e012d7', patch), berry('5.3.3', 'e012d7', patch)).problems,
      ).toEqual([]);
    },
  );

  it('a patch file of the repository is not the registry', () => {
    const local = berry('5.3.3', 'x').replaceAll(
      '~builtin<compat/typescript>',
      './patches/ts.patch',
    );
    expect(run(berry('5.3.2', 'x'), local).problems).toEqual([
      expect.stringMatching(/typescript@5\.3\.3 resolves from patch .*not the registry/),
    ]);
  });
});

describe('hostile lockfile text', () => {
  const paths = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml'];
  test.prop([fc.constantFrom(...LOCK_FORMATS), packages, fc.nat(), fc.string({ maxLength: 20 })])(
    'a mangled lockfile is read or refused with a reason, never a crash',
    (format, list, at, junk) => {
      const text = renderLockfile(format, list);
      const position = at % (text.length + 1);
      const mangled = text.slice(0, position) + junk + text.slice(position + junk.length);
      const result = parseLockfile(LOCKFILE_PATH[format], mangled);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
      else
        judgeLockfileChange(LOCKFILE_PATH[format], parsed(format, list), result.entries, {
          registries: REGISTRIES,
          manifestNames: new Set(),
        });
    },
  );

  test.prop([fc.constantFrom(...paths), fc.json()])(
    'any JSON or YAML value is read or refused, never a crash',
    (path, text) => {
      const result = parseLockfile(path, text);
      expect(typeof result.ok).toBe('boolean');
    },
  );
});
