import { describe, expect, it } from 'vitest';
import {
  isSummaryComment,
  mutantMarker,
  notStartedComment,
  nothingToMutateComment,
  parseMutantMarker,
  sameSummaryApartFromDuration,
  summaryComment,
  survivorComment,
} from '../../src/mutation/markdown.ts';
import { analyseChangedLines } from '../../src/mutation/report.ts';
import type { MutateRange } from '../../src/mutation/scope.ts';
import { selectSurvivors, survivorsOf } from '../../src/mutation/survivors.ts';
import { mathReport, mutant, realMathReport } from './report-fixtures.ts';

const real = realMathReport;
const RANGES: MutateRange[] = [{ path: 'src/math.ts', startLine: 2, endLine: 9 }];
const OPTIONS = { maxPerLine: 1, maxComments: 10, ignore: [] };

describe('the summary comment', () => {
  it('shows the score with base beside it, counts, survivors and what was left out', () => {
    const base = mathReport();
    const analysis = analyseChangedLines(real, RANGES, base);
    const selection = selectSurvivors(analysis.report, { ...OPTIONS, maxComments: 2 });
    expect(
      summaryComment({
        analysis,
        selection,
        ranges: RANGES,
        reportUrl: 'https://github.com/o/r/actions/runs/1',
        durationMs: 65_400,
      }),
    ).toMatchInlineSnapshot(`
      "<!-- steward:mutation -->
      ## Mutation report

      **Changed-lines mutation score: 53.8%** (base: 37.5%) · 13 mutants on 8 changed lines in 1 file · 1 min 5 s

      | Killed | Survived | No coverage | Timeout | Compile errors | Runtime errors |
      | --: | --: | --: | --: | --: | --: |
      | 7 | 5 | 1 | 0 | 0 | 0 |

      ### Surviving mutants (5)

      | Where | Mutator | Original → mutant | Note |
      | --- | --- | --- | --- |
      | \`src/math.ts:2\` | EqualityOperator | \`value < low\` → \`value <= low\` | 💬 |
      | \`src/math.ts:3\` | ConditionalExpression | \`value > high\` → \`true\` |  |
      | \`src/math.ts:3\` | EqualityOperator | \`value > high\` → \`value >= high\` |  |
      | \`src/math.ts:9\` | ConditionalExpression | \`age >= 18\` → \`true\` |  |
      | \`src/math.ts:9\` | EqualityOperator | \`age >= 18\` → \`age > 18\` | 💬 |

      Not commented inline: 1 survivor over the per-line cap · 2 survivors over the per-PR cap · 1 mutant in arid code (logging, debug) ignored.

      [HTML report](https://github.com/o/r/actions/runs/1)"
    `);
  });

  it('says when every mutant was detected, and when the result is partial', () => {
    const report = mathReport([
      mutant('0', 'EqualityOperator', 9, [10, 19], 'age > 18', 'Killed'),
      mutant('1', 'BooleanLiteral', 9, [10, 19], 'false', 'Pending'),
    ]);
    const analysis = analyseChangedLines(report, RANGES);
    const body = summaryComment({
      analysis,
      selection: selectSurvivors(analysis.report, OPTIONS),
      ranges: RANGES,
    });
    expect(body).toMatchInlineSnapshot(`
      "<!-- steward:mutation -->
      ## Mutation report

      **Changed-lines mutation score: 100.0%** · 2 mutants on 8 changed lines in 1 file · 5.0 s

      > [!WARNING]
      > Partial result: 1 mutant did not run (Stryker stopped early); the score counts the others.

      | Killed | Survived | No coverage | Timeout | Compile errors | Runtime errors |
      | --: | --: | --: | --: | --: | --: |
      | 1 | 0 | 0 | 0 | 0 | 0 |

      Every mutant on the changed lines was detected."
    `);
  });

  it('reads two summaries as the same when only the duration differs, and only then', () => {
    const analysis = analyseChangedLines(real, RANGES);
    const selection = selectSurvivors(analysis.report, OPTIONS);
    const at = (durationMs: number) =>
      summaryComment({ analysis, selection, ranges: RANGES, durationMs });
    expect(sameSummaryApartFromDuration(at(12_000), at(3_400))).toBe(true);
    expect(sameSummaryApartFromDuration(at(65_000), at(7_300_000))).toBe(true);
    const fewer = selectSurvivors(analysis.report, { ...OPTIONS, maxComments: 0 });
    const other = summaryComment({
      analysis,
      selection: fewer,
      ranges: RANGES,
      durationMs: 12_000,
    });
    expect(sameSummaryApartFromDuration(at(12_000), other)).toBe(false);
  });

  it('says when the changed lines had no mutant at all', () => {
    const analysis = analyseChangedLines(real, [{ path: 'src/math.ts', startLine: 7, endLine: 7 }]);
    const body = summaryComment({
      analysis,
      selection: selectSurvivors(analysis.report, OPTIONS),
      ranges: [{ path: 'src/math.ts', startLine: 7, endLine: 7 }],
    });
    expect(body).toContain('Changed-lines mutation score: n/a');
    expect(body).toContain('Stryker made no mutant on the changed lines');
  });

  it('links only an https report address', () => {
    const analysis = analyseChangedLines(real, RANGES);
    const selection = selectSurvivors(analysis.report, OPTIONS);
    for (const reportUrl of [
      'javascript:alert(1)',
      'https://x.io/a) [y](https://evil',
      'http://x.io',
    ])
      expect(summaryComment({ analysis, selection, ranges: RANGES, reportUrl })).not.toContain(
        'HTML report',
      );
  });

  it('is found again by its first line, and only there', () => {
    const analysis = analyseChangedLines(real, RANGES);
    const body = summaryComment({
      analysis,
      selection: selectSurvivors(analysis.report, OPTIONS),
      ranges: RANGES,
    });
    expect(isSummaryComment(body)).toBe(true);
    expect(isSummaryComment(`quote:\n${body}`)).toBe(false);
  });

  it('says nothing to mutate, with the files left out and why', () => {
    expect(
      nothingToMutateComment('nothing to mutate: no changed file is source code Stryker mutates', [
        { path: 'src/a.spec.ts', reason: 'a test file' },
        { path: 'docs/<img src=x>.md', reason: 'not a JavaScript or TypeScript source file' },
      ]),
    ).toMatchInlineSnapshot(`
      "<!-- steward:mutation -->
      ## Mutation report

      nothing to mutate: no changed file is source code Stryker mutates

      <details><summary>Changed files not mutated</summary>

      - \`src/a.spec.ts\`: a test file
      - \`docs/<img src=x>.md\`: not a JavaScript or TypeScript source file

      </details>"
    `);
  });
});

describe('a survivor comment', () => {
  it('shows the mutant as a diff and the test that would catch it', () => {
    const [survivor] = selectSurvivors(real, OPTIONS).comment;
    expect(survivorComment(survivor!)).toMatchInlineSnapshot(`
      "<!-- steward:mutant:9248ec1380d20b2eb21b shape:49b2bb815ee353cced94 -->
      **Surviving mutant** (EqualityOperator): no test fails when \`value < low\` becomes \`value <= low\`.

      \`\`\`diff
      -  if (value < low) return low;
      +  if (value <= low) return low;
      \`\`\`

      A test on the boundary of \`value < low\`, where both sides are equal, would catch it.

      Tests that ran it and passed: \`clamps below\`, \`clamps above\`.

      <sub>👍 useful · 👎 not useful: Steward stops reporting this mutator on this kind of code.</sub>"
    `);
  });

  it('carries a marker the next run reads back', () => {
    const [survivor] = survivorsOf(real);
    const body = survivorComment(survivor!);
    expect(parseMutantMarker(body)).toEqual({
      fingerprint: survivor!.fingerprint,
      shapeKey: survivor!.shapeKey,
    });
    expect(parseMutantMarker(`> ${body}`)).toBeNull();
    expect(() => mutantMarker({ fingerprint: 'zz -->', shapeKey: 'abcdef12' })).toThrow(
      /not a mutant fingerprint/,
    );
  });
});

describe('hostile code and reports', () => {
  /** A source whose changed line holds a mention, a Steward marker and HTML, and a test name that does too. */
  function hostile() {
    const line =
      "  if (user === '@octocat <!-- steward:mutation --> <img src=x onerror=alert(1)>') return ok;";
    const report = mathReport([
      {
        ...mutant(
          '0',
          'ConditionalExpression',
          2,
          [7, line.indexOf(') return') + 1],
          'true',
          'Survived',
        ),
        mutatorName: 'Equality<b>@octocat</b>',
        coveredBy: ['0'],
      },
      mutant(
        '1',
        'StringLiteral',
        2,
        [16, line.indexOf("')") + 2],
        '"<!-- steward:mutant:0123456789abcdef0123 shape:0123456789abcdef0123 -->"',
        'Survived',
      ),
    ]);
    report.files['src/math.ts']!.source = `export function f(user: string) {\n${line}\n}\n`;
    report.testFiles = {
      'src/math.test.ts': {
        tests: [{ id: '0', name: 'pings @octocat <!-- steward:mutation -->' }],
      },
    };
    return report;
  }

  function expectInert(body: string) {
    // No live mention: every @ that starts a name is followed by a word joiner or sits in code.
    // The first line is Steward's own marker; everything after it is checked.
    const rest = body.slice(body.indexOf('\n') + 1);
    const outsideCode = rest.replace(/```[\s\S]*?```/g, '').replace(/(`+)[\s\S]*?\1/g, '');
    expect(outsideCode).not.toMatch(/@(?!\u2060)[A-Za-z0-9]/);
    expect(outsideCode).not.toMatch(
      /(?<!\\)<(?!sub>|\/sub>|details>|\/details>|summary>|\/summary>)[A-Za-z!/]/,
    );
    // No second Steward marker anywhere in the raw body, in code or not.
    expect(body.match(/<!-- steward/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(rest).not.toContain('<!-- steward');
  }

  it('renders a source line with @octocat, a forged marker and <img> inert in the inline comment', () => {
    for (const survivor of survivorsOf(hostile())) {
      const body = survivorComment(survivor);
      expectInert(body);
      expect(body).toContain('<\u200B!-- steward:mutation -->');
      expect(body.startsWith('<!-- steward:mutant:')).toBe(true);
    }
  });

  it('renders the same inert in the summary', () => {
    const report = hostile();
    const ranges: MutateRange[] = [{ path: 'src/math.ts', startLine: 2, endLine: 2 }];
    const analysis = analyseChangedLines(report, ranges);
    const body = summaryComment({
      analysis,
      selection: selectSurvivors(analysis.report, OPTIONS),
      ranges,
    });
    expectInert(body);
    expect(body).toContain('Equality\\<b\\>@\u2060octocat\\</b\\>');
  });

  it('keeps a survivor with pipes in its code inside its table row', () => {
    const report = mathReport([mutant('0', 'LogicalOperator', 9, [10, 19], 'a && b', 'Survived')]);
    report.files['src/math.ts']!.source = report.files['src/math.ts']!.source.replace(
      'age >= 18',
      'a || b   ',
    );
    const analysis = analyseChangedLines(report, RANGES);
    const body = summaryComment({
      analysis,
      selection: selectSurvivors(analysis.report, OPTIONS),
      ranges: RANGES,
    });
    const row = body.split('\n').find((line) => line.includes('LogicalOperator'))!;
    expect(row).toContain('`a \\|\\| b`');
    // Five unescaped pipes: the row keeps its four cells.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
  });

  it('renders a hostile path inert', () => {
    const body = nothingToMutateComment('nothing to mutate', [
      { path: '@octocat/<!-- steward:mutation -->.md', reason: '<img src=x> @team' },
    ]);
    expectInert(body);
  });
});

describe('when mutation cannot start', () => {
  it('names the failing tests and gives no score', () => {
    const body = notStartedComment({
      reason: 'There were failed tests in the initial test run.',
      failingTests: ['math > clamps above', 'pings @octocat <!-- steward:mutation -->'],
    });
    expect(body).toMatchInlineSnapshot(`
      "<!-- steward:mutation -->
      ## Mutation report

      > [!CAUTION]
      > Mutation testing could not start: There were failed tests in the initial test run.

      Stryker first runs the test suite unchanged, and every test must pass for a mutant to mean anything; no score is given.

      Failing tests:

      - \`math > clamps above\`
      - \`pings @octocat <\u200B!-- steward:mutation -->\`"
    `);
    expect(isSummaryComment(body)).toBe(true);
    expect(body).not.toMatch(/score:/);
    expect(body.slice(body.indexOf('\n') + 1)).not.toContain('<!-- steward');
  });
});
