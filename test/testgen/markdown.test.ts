import { describe, expect, it } from 'vitest';
import {
  BODY_LIMIT,
  readTestsMarker,
  renderDeliverySummary,
  renderTestsBody,
  testsHeadline,
  testsMarker,
} from '../../src/testgen/markdown.ts';
import { checkPatch, createTestPatch, type DeliveryReport } from '../../src/testgen/patch.ts';
import { htmlNodes, mentionsOutsideCode, parseGfm, suggestionBlocks } from '../support/gfm.ts';

const HEAD = 'c'.repeat(40);

function report(overrides: Partial<DeliveryReport> = {}): DeliveryReport {
  return {
    funnel: {
      candidates: 20,
      typeChecks: 15,
      passes: 13,
      stable: 12,
      addsValue: 5,
      kept: 5,
      possibleBugs: 1,
    },
    kept: [
      {
        name: 'rejects an empty flag',
        target: 'parseArgs',
        sourcePath: 'src/args.ts',
        testPath: 'test/args.test.ts',
        kills: [
          {
            id: '1',
            mutator: 'EqualityOperator',
            line: 4,
            original: 'a < b',
            replacement: 'a <= b',
          },
          { id: '2', mutator: 'BooleanLiteral', line: 9, original: 'true', replacement: 'false' },
        ],
        covers: [12],
      },
    ],
    possibleBugs: [
      {
        name: 'parses -1',
        target: 'parseArgs',
        sourcePath: 'src/args.ts',
        assertion: 'AssertionError: expected -1 to be 1',
      },
    ],
    ...overrides,
  };
}

const render = (r: DeliveryReport) =>
  renderTestsBody({ pullRequest: 7, headSha: HEAD, headRefName: 'feature/args', report: r });

describe('the tests pull request body', () => {
  it('opens with the marker for the pull request and head, and nothing else reads as one', () => {
    const body = render(report());
    expect(body.split('\n')[0]).toBe(testsMarker(7, HEAD));
    expect(readTestsMarker(body)).toEqual({ pullRequest: 7, headSha: HEAD });
    expect(readTestsMarker(`quoted\n${testsMarker(7, HEAD)}`)).toBeNull();
    expect(readTestsMarker(`${testsMarker(7, 'main')}\n`)).toBeNull();
  });

  it('shows the funnel as a table with TestGen-LLM’s 75/57/25% beside it', () => {
    const body = render(report());
    const table = parseGfm(body).children.find((n) => n.type === 'table');
    expect(table).toBeDefined();
    expect(body).toContain('| Candidates | 20 | 100% | 100% |');
    expect(body).toContain('| Type-check | 15 | 75% | 75% |');
    expect(body).toContain('| Pass | 13 | 65% | – |');
    expect(body).toContain('| Pass every run (stable) | 12 | 60% | 57% |');
    expect(body).toMatch(/\| Add value .* \| 5 \| 25% \| 25% \|/);
    expect(body).toContain('| Kept | 5 | 25% | – |');
  });

  it('lists each kept test with what it kills, its diffs folded, and the possible bugs apart', () => {
    const body = render(report());
    expect(body).toContain(
      '- `rejects an empty flag` in `test/args.test.ts`, for `parseArgs` (`src/args.ts`): kills 2 mutants, covers line 12',
    );
    expect(body).toContain('<details><summary>The mutants it kills</summary>');
    expect(body).toContain('```diff\n  - a < b\n  + a <= b\n  ```');
    const bugs = body.indexOf('#### Possible bugs');
    expect(bugs).toBeGreaterThan(body.indexOf('#### Kept tests'));
    expect(body.slice(bugs)).toContain('AssertionError: expected -1 to be 1');
    expect(body.slice(bugs)).toMatch(/not committed/);
  });

  it('names the commit by tests and mutants', () => {
    expect(testsHeadline(7, report())).toBe('Tests for #7: 1 test killing 2 mutants');
    const coverOnly = report();
    coverOnly.kept[0]!.kills = [];
    expect(testsHeadline(7, coverOnly)).toBe('Tests for #7: 1 test covering changed lines');
  });

  it('renders hostile names, mutants and assertions inert: no mention, no HTML, no forged marker', () => {
    const evil = `@octocat <img src=x onerror=alert(1)> [x](https://evil.example) \`\` \n${testsMarker(7, 'd'.repeat(40))}\n<!-- steward:tests pr:7 head:${'d'.repeat(40)} -->`;
    const hostile = report({
      kept: [
        {
          name: evil,
          target: `@org/team ${evil}`,
          sourcePath: 'src/<script>.ts',
          testPath: 'test/`x`.test.ts',
          kills: [
            {
              id: '1',
              mutator: `@admin <b>x</b>`,
              line: 1,
              original: '```\n@octocat <!-- x -->',
              replacement: '</details>@team',
            },
          ],
          covers: [],
        },
      ],
      possibleBugs: [
        {
          name: evil,
          target: '@x',
          sourcePath: '@y',
          assertion:
            '```\n</details>\n@octocat please merge <!-- steward:tests pr:7 head:x -->\n```suggestion\nrm -rf /\n```',
        },
      ],
    });
    const body = render(hostile);
    expect(mentionsOutsideCode(body)).toEqual([]);
    // Only Steward's own marker and its <details>/<summary> are HTML.
    expect(
      htmlNodes(body).filter((h) => !/^<\/?(details|summary)>|^<details><summary>/.test(h)),
    ).toEqual([testsMarker(7, HEAD)]);
    expect(body.match(/<!--/g)).toHaveLength(1);
    expect(readTestsMarker(body)).toEqual({ pullRequest: 7, headSha: HEAD });
    expect(suggestionBlocks(body)).toEqual([]);
    const links: unknown[] = [];
    const walk = (n: { type: string; children?: unknown[] }) => {
      if (n.type === 'link') links.push(n);
      for (const c of n.children ?? []) walk(c as never);
    };
    walk(parseGfm(body) as never);
    expect(links).toEqual([]);
  });

  it('stays under GitHub’s body limit however many tests and bugs there are', () => {
    const many = report({
      kept: Array.from({ length: 200 }, (_, i) => ({
        name: `test ${i} ${'x'.repeat(500)}`,
        target: 'f',
        sourcePath: 'src/a.ts',
        testPath: 'test/a.test.ts',
        kills: Array.from({ length: 20 }, (_, k) => ({
          id: String(k),
          mutator: 'M',
          line: k,
          original: 'a'.repeat(200),
          replacement: 'b'.repeat(200),
        })),
        covers: [],
      })),
      possibleBugs: Array.from({ length: 100 }, () => ({
        name: 'b',
        target: 'f',
        sourcePath: 'src/a.ts',
        assertion: 'y'.repeat(2000),
      })),
    });
    const body = render(many);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT + 100);
    expect(body).toMatch(/…and more: the whole report is in the job summary/);
    expect(readTestsMarker(body)).toEqual({ pullRequest: 7, headSha: HEAD });
    expect((body.match(/^\s*```/gm) ?? []).length % 2).toBe(0);
  });
});

describe('the delivery job summary', () => {
  it('lists a refused patch problem by problem, its hostile paths inert', () => {
    const path = '.github/workflows/@octocat <img src=x> <!-- steward:tests pr:7 head:x -->.yml';
    const check = checkPatch(
      {
        ...createTestPatch({
          repository: 'acme/widgets',
          pullRequest: 7,
          headSha: HEAD,
          files: [{ path, text: 'x' }],
          report: { funnel: report().funnel, kept: [], possibleBugs: [] },
        }),
      },
      {
        testFile: () => true,
        expected: { repository: 'acme/widgets', pullRequest: 7, headSha: HEAD },
      },
    );
    const summary = renderDeliverySummary(check);
    expect(summary).toMatch(/^Steward refused the patch and delivered nothing:/);
    expect(summary).toContain('files[0].path');
    expect(mentionsOutsideCode(summary)).toEqual([]);
    expect(htmlNodes(summary)).toEqual([]);
    expect(summary).not.toContain('<!--');
  });

  it('says what was delivered, or why nothing was', () => {
    expect(
      renderDeliverySummary({
        kind: 'pull-request',
        number: 8,
        url: 'https://github.com/acme/widgets/pull/8',
        action: 'created',
        commitSha: HEAD,
        committed: true,
      }),
    ).toBe('Opened #8 (https://github.com/acme/widgets/pull/8), tests commit ccccccc.');
    expect(
      renderDeliverySummary({ kind: 'not-delivered', reason: "cannot deliver to a fork's branch" }),
    ).toBe("Nothing delivered: `cannot deliver to a fork's branch`.");
  });
});
