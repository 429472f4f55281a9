import { describe, expect, it } from 'vitest';
import type { HotspotsReport } from '../../../src/hotspots/types.ts';
import { renderHotspotsMarkdown } from '../../../src/hotspots/report/markdown.ts';
import { SmellKind } from '../../../src/health/types.ts';
import { entry } from './sample-report.ts';

const report: HotspotsReport = {
  repo: 'acme/shop',
  head: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
  since: null,
  files: [
    entry('src/api/router.ts', { score: 41.5, revisions: 30, loc: 310, health: 6.4 }),
    entry('src/billing/invoice.ts', {
      score: 100,
      revisions: 48,
      loc: 1204,
      health: 2.9,
      smells: [
        {
          kind: SmellKind.complexMethod,
          function: 'total',
          line: 12,
          detail: 'cyclomatic complexity 14 (threshold 9)',
        },
        { kind: SmellKind.largeFile, function: null, line: 1, detail: '1204 lines of code' },
      ],
    }),
    entry('src/util/format.ts', { score: 7.25, revisions: 9, loc: 45, health: 9.1 }),
  ],
  coupling: [{ a: 'src/billing/invoice.ts', b: 'src/api/router.ts', shared: 12, degree: 0.82 }],
};

/** The cells of a GFM table row, split on unescaped pipes as GitHub does. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('renderHotspotsMarkdown', () => {
  it('leads with a short summary and a ranked table, details folded below', () => {
    const out = renderHotspotsMarkdown(report, { top: 2 });

    expect(out).toMatchInlineSnapshot(`
      "### Hotspots in \`acme/shop\` at \`4f2a9c1e8b7d\` (all history)

      **3** files · **1,559** lines of code · mean health **3.8** · **1** in 🔴 alert (health < 4)

      | # | File | Score | Score from | Health | Revisions | Fixes | LOC | Smells |
      | --: | :-- | --: | :-- | --: | --: | --: | --: | :-- |
      | 1 | \`src/billing/invoice.ts\` | 100.0 | 1.0 changes × size 3.32 | 🔴 2.9 | 48 | 0 | 1,204 | Complex Method, Large File |
      | 2 | \`src/api/router.ts\` | 41.5 | 1.0 changes × size 3.32 | 🟡 6.4 | 30 | 0 | 310 | — |

      Top 2 of 3 files by hotspot score.

      <details><summary>Code smells in the top 2</summary>

      **1. \`src/billing/invoice.ts\`**: health 2.9

      - **Complex Method** in \`total\` line 12: cyclomatic complexity 14 (threshold 9)
      - **Large File** in line 1: 1204 lines of code

      </details>

      <details><summary>Change coupling: 1 pair</summary>

      | Degree | Shared revisions | File | Changes with |
      | --: | --: | :-- | :-- |
      | 82% | 12 | \`src/billing/invoice.ts\` | \`src/api/router.ts\` |

      </details>

      <sub>Score: change frequency × complexity. Health 1–10: 🔴 < 4, 🟡 4–8.9, 🟢 ≥ 9.</sub>
      "
    `);
  });

  it('keeps a table row intact when a path holds pipes or backticks', () => {
    const tricky: HotspotsReport = {
      ...report,
      files: [entry('docs/a|b`c``d.md', { score: 3 }), entry('x|y.ts', { score: 1 })],
      coupling: [{ a: 'docs/a|b`c``d.md', b: 'x|y.ts', shared: 2, degree: 0.5 }],
    };

    const out = renderHotspotsMarkdown(tricky, { top: 5 });
    const rows = out.split('\n').filter((l) => l.startsWith('| 1 ') || l.startsWith('| 2 '));
    const couplingRow = out.split('\n').find((l) => l.startsWith('| 50% '))!;

    expect(rows).toHaveLength(2);
    for (const row of rows) expect(cells(row)).toHaveLength(9);
    expect(cells(couplingRow)).toHaveLength(4);
    // A fence longer than the longest backtick run inside the path.
    expect(rows[0]).toContain('```docs/a\\|b`c``d.md```');
  });

  it('cannot be broken out of by repository text: smell details stay text', () => {
    const evil: HotspotsReport = {
      ...report,
      files: [
        entry('src/<img src=x onerror=alert(1)>.ts', {
          score: 9,
          smells: [
            {
              kind: SmellKind.deepNesting,
              function: '</details><script>x</script>',
              line: 3,
              detail: '</details> **bold** [link](http://example.com) & more',
            },
          ],
        }),
      ],
      coupling: [],
    };

    const out = renderHotspotsMarkdown(evil, { top: 5 });

    // Only lines that start with a tag open or close an HTML block; inside code spans tags are text.
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('<details>'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('</details>'))).toHaveLength(1);
    expect(out).toContain(
      '\\</details\\> \\*\\*bold\\*\\* \\[link\\](http://example.com) &amp; more',
    );
    expect(out).toContain('`src/<img src=x onerror=alert(1)>.ts`');
    expect(out).toContain('`</details><script>x</script>`');
  });

  it('folds nothing when there are no smells or couplings', () => {
    const calm: HotspotsReport = { ...report, files: [entry('a.ts', { score: 1 })], coupling: [] };

    const out = renderHotspotsMarkdown(calm, { top: 5 });

    expect(out).not.toContain('<details>');
    expect(out).toContain('| 1 | `a.ts` | 1.00 | 1.0 changes × size 3.32 | 🟢 10.0 |');
    expect(out).not.toContain('Top 1 of');
  });

  it('lists only the strongest couplings and says how many there are', () => {
    const many: HotspotsReport = {
      ...report,
      coupling: Array.from({ length: 30 }, (_, i) => ({
        a: `a${i}.ts`,
        b: `b${i}.ts`,
        shared: 3,
        degree: i / 30,
      })),
    };

    const out = renderHotspotsMarkdown(many, { top: 3, couplings: 5 });

    expect(out).toContain('Change coupling: 30 pairs, strongest 5 shown');
    expect(out).toContain('`a29.ts`');
    expect(out).not.toContain('`a24.ts`');
  });

  it('says so when there is nothing to list', () => {
    const out = renderHotspotsMarkdown({ ...report, files: [], coupling: [] }, { top: 10 });

    expect(out).toContain('No files to report');
    expect(out).not.toContain('|');
  });
});
