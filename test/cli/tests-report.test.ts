import { describe, expect, it } from 'vitest';
import { colors } from '../../src/cli/color.ts';
import { unifiedDiff } from '../../src/cli/tests-diff.ts';
import {
  funnelLines,
  testsJson,
  testsMarkdown,
  testsText,
  type TestsRun,
} from '../../src/cli/tests-report.ts';
import type { GenerationResult } from '../../src/testgen/generate.ts';
import type { TestTarget } from '../../src/testgen/types.ts';

/** What `steward tests` prints of a run, from a result built by hand. */

const DECODE: TestTarget = {
  path: 'src/codec.ts',
  name: 'decode',
  startLine: 5,
  endLine: 9,
  exported: true,
  changedLines: [6, 7],
  uncoveredLines: [],
  survivingMutants: [
    {
      id: '3',
      mutator: 'EqualityOperator',
      line: 7,
      original: 'i < n',
      replacement: 'i <= n',
      status: 'Survived',
    },
  ],
};

const PARSE: TestTarget = {
  ...DECODE,
  name: 'parse',
  startLine: 12,
  endLine: 14,
  survivingMutants: [],
};

const FUNNEL = {
  candidates: 4,
  typeChecks: 3,
  passes: 3,
  stable: 2,
  addsValue: 1,
  kept: 1,
  possibleBugs: 1,
};

const RESULT: GenerationResult = {
  funnel: FUNNEL,
  files: [{ path: 'test/codec.test.ts', text: "import { test } from 'vitest';\n" }],
  report: {
    funnel: FUNNEL,
    kept: [
      {
        name: 'decode \u001b[31mround-trips encode',
        target: 'decode',
        sourcePath: 'src/codec.ts',
        testPath: 'test/codec.test.ts',
        kills: [
          {
            id: '3',
            mutator: 'EqualityOperator',
            line: 7,
            original: 'i < n',
            replacement: 'i <= n',
          },
          {
            id: '4',
            mutator: 'BlockStatement',
            line: 5,
            original: "{\n  let out = '';\n  return out;\n}",
            replacement: '{}',
          },
          {
            id: '5',
            mutator: 'StringLiteral',
            line: 6,
            original: `"${'x'.repeat(200)}"`,
            replacement: '""',
          },
        ],
        covers: [],
      },
    ],
    possibleBugs: [
      {
        name: 'decodes the empty string',
        target: 'decode',
        sourcePath: 'src/codec.ts',
        assertion: "expected 'x' to be ''",
      },
    ],
  },
  targets: [
    {
      target: DECODE,
      framework: 'vitest',
      testPath: 'test/codec.test.ts',
      funnel: FUNNEL,
      candidates: [
        {
          name: 'decode round-trips encode',
          kind: 'property',
          origin: 'offline',
          round: 1,
          verdict: { kind: 'kept', kills: ['3'], covers: [] },
        },
      ],
      notes: [],
    },
    {
      target: PARSE,
      framework: 'vitest',
      testPath: 'test/codec.test.ts',
      funnel: { ...FUNNEL, candidates: 1, kept: 0, addsValue: 0, possibleBugs: 0 },
      candidates: [
        {
          name: 'parses',
          kind: 'example',
          origin: 'model',
          round: 2,
          verdict: { kind: 'dropped', stage: 'adds-value', reason: 'kills no mutant' },
        },
      ],
      notes: ['the model was not asked: max-calls reached'],
    },
  ],
  usage: null,
  notices: ['generation notice'],
};

function run(overrides: Partial<TestsRun> = {}): TestsRun {
  return {
    base: 'main',
    file: null,
    mode: { model: null, offline: true },
    baseline: { kind: 'measured', partial: false },
    result: RESULT,
    capped: [{ ...PARSE, name: 'later', path: 'src/later.ts' }],
    skipped: [{ path: 'README.md', reason: 'not a source file' }],
    changes: [{ path: 'test/codec.test.ts', before: null, after: RESULT.files[0]!.text }],
    written: false,
    notices: ['no ANTHROPIC_API_KEY', 'generation notice'],
    ...overrides,
  };
}

const PATCH = unifiedDiff(run().changes);

describe('the text report', () => {
  it('shows the funnel beside TestGen-LLM’s, the kept test and what it kills, the bug, and the patch', () => {
    const text = testsText(run(), colors(false), PATCH);
    expect(text).toContain('test generation for changes since main: 2 targets, offline');
    expect(funnelLines(FUNNEL).join('\n')).toBe(
      [
        'stage           tests  share  TestGen-LLM',
        'candidates          4   100%         100%',
        'type-check          3    75%          75%',
        'pass                3    75%            –',
        'pass every run      2    50%          57%',
        'add value           1    25%          25%',
        'kept                1    25%            –',
      ].join('\n'),
    );
    expect(text).toContain(funnelLines(FUNNEL)[4]);
    expect(text).toContain('kills line 7 EqualityOperator: i < n → i <= n');
    expect(text).toContain("kills line 5 BlockStatement: { let out = ''; return out; } → {}");
    expect(text).toContain(`kills line 6 StringLiteral: "${'x'.repeat(78)}… → ""`);
    expect(text).toContain(
      "decodes the empty string  for decode (src/codec.ts)\n      expected 'x' to be ''",
    );
    expect(text).toContain(
      'parse (src/codec.ts:12)\n      the model was not asked: max-calls reached\n      parses: adds-value: kills no mutant',
    );
    expect(text).toContain('not tried (past test-gen.max-targets): later (src/later.ts)');
    expect(text).toContain('not a target: README.md (not a source file)');
    expect(text).toContain('note: no ANTHROPIC_API_KEY');
    expect(text.endsWith(PATCH)).toBe(true);
  });

  it('escapes the control characters a test name brings, and colours only when asked', () => {
    const plain = testsText(run(), colors(false), PATCH);
    expect(plain).not.toContain('\u001b');
    expect(plain).toContain('decode \\x1b[31mround-trips encode');
    const coloured = testsText(run(), colors(true), PATCH);
    expect(coloured).toContain('\u001b[32m+\u001b[39m decode \\x1b[31mround-trips');
  });

  it('shows the patch with its escapes on a terminal, and its exact bytes in a pipe', () => {
    const hostile = unifiedDiff([
      { path: 'test/a.test.ts', before: null, after: 'x\u001b[2J\ty\n' },
    ]);
    expect(testsText(run(), colors(false), hostile)).toContain('+x\u001b[2J\ty');
    expect(testsText(run(), colors(true), hostile)).toContain('+x\\x1b[2J\ty');
  });

  it('says what was written instead of the patch with --write', () => {
    const text = testsText(run({ written: true }), colors(false), PATCH);
    expect(text).toContain('Wrote 1 test file: test/codec.test.ts');
    expect(text).not.toContain('diff --git');
  });
});

describe('the JSON', () => {
  it('has the documented fields', () => {
    const json = testsJson(run(), PATCH);
    expect(Object.keys(json)).toEqual([
      'version',
      'base',
      'file',
      'mode',
      'baseline',
      'funnel',
      'kept',
      'possibleBugs',
      'targets',
      'capped',
      'skipped',
      'files',
      'patch',
      'written',
      'usage',
      'notices',
    ]);
    expect(json['files']).toEqual([
      { path: 'test/codec.test.ts', status: 'added', text: "import { test } from 'vitest';\n" },
    ]);
    expect((json['targets'] as { candidates: unknown[] }[])[1]!.candidates[0]).toEqual({
      name: 'parses',
      kind: 'example',
      origin: 'model',
      round: 2,
      verdict: { kind: 'dropped', stage: 'adds-value', reason: 'kills no mutant' },
    });
    expect(json['patch']).toBe(PATCH);
    expect(testsJson(run({ written: true }), PATCH)['patch']).toBeNull();
    expect(json['capped']).toEqual([
      { path: 'src/later.ts', name: 'later', startLine: 12, endLine: 14 },
    ]);
  });
});

describe('the markdown', () => {
  it('is the pull request body’s report under the CLI’s heading, with no marker, and the patch', () => {
    const md = testsMarkdown(run(), PATCH);
    expect(md.startsWith('### Tests for the changes since `main`\n')).toBe(true);
    expect(md).not.toContain('<!-- steward:tests');
    expect(md).not.toContain('#0');
    expect(md).toContain('| Type-check | 3 | 75% | 75% |');
    expect(md).toContain('#### Possible bugs');
    expect(md).toContain('#### Patch\n\n```diff\ndiff --git a/test/codec.test.ts');
    expect(testsMarkdown(run({ written: true }), PATCH)).not.toContain('#### Patch');
  });
});

describe('the text report, at the edges', () => {
  it('tells a change with no target in words, and the model’s spending when it was asked', () => {
    const empty = testsText(
      run({
        result: { ...RESULT, targets: [], files: [] },
        changes: [],
        capped: [],
        notices: [],
      }),
      colors(false),
      '',
    );
    expect(empty).toContain('Nothing to generate tests for: the change touches no function');
    expect(empty).not.toContain('TestGen-LLM');
    expect(empty).toContain('No test file to write.');
    const usage = {
      requests: 2,
      inputTokens: 3000,
      outputTokens: 400,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      costUsd: 0.0123,
    };
    const spent = testsText(
      run({ mode: { model: 'claude-x', offline: false }, result: { ...RESULT, usage } }),
      colors(false),
      PATCH,
    );
    expect(spent).toContain('2 targets, claude-x\n');
    expect(spent).toContain('Claude: 2 answers, 3000 input and 400 output tokens, $0.01');
  });
});
