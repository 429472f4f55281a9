import { describe, expect, it } from 'vitest';
import { renderHealthMarkdown } from '../../../src/hotspots/report/health.ts';
import type { Smell } from '../../../src/health/types.ts';
import { htmlNodes, mentionsOutsideCode, parseGfm, visibleText } from '../../support/gfm.ts';

/**
 * `/steward health` replies on a pull request with this markdown, and every path, function name
 * and duplication detail in it comes from the pull request's files. A hostile author names them
 * to ping people, hide text or break the table.
 */
const HOSTILE = [
  'docs/cc @acme/security.md',
  'docs/&#64;alice.md',
  'src/<img src=x>.ts',
  'src/<!-- steward:reply:1 -->.ts',
  'src/a|b|c.ts',
  'src/line\nbreak | x.ts',
  'src/`tick`.ts',
  'src/_@erin_.ts',
];

function smell(name: string): Smell {
  return {
    kind: 'Code Duplication',
    function: `${name}\`fn`,
    line: 3,
    detail: `12 duplicated lines, also at ${name}:9 (threshold 10)`,
  };
}

function rowWidths(markdown: string): number[] {
  const widths: number[] = [];
  for (const node of parseGfm(markdown).children)
    if (node.type === 'table') for (const row of node.children) widths.push(row.children.length);
  return widths;
}

describe('health markdown with hostile names from the pull request', () => {
  it.each(HOSTILE)('%j pings no one, adds no HTML, keeps the table whole', (name) => {
    const md = renderHealthMarkdown({
      base: 'a'.repeat(40),
      head: 'b'.repeat(40),
      files: [{ path: name, before: 9, after: 7, delta: -2, introduced: [smell(name)], fixed: [] }],
    });
    expect(mentionsOutsideCode(md)).toEqual([]);
    expect(htmlNodes(md)).toEqual([
      '<details><summary>Smells introduced and fixed</summary>',
      '</details>',
    ]);
    expect(rowWidths(md)).toEqual([6, 6]);
    // The name still reads as written (line breaks as spaces).
    expect(visibleText(md).replace(/[\u2060]/g, '')).toContain(name.replace(/\n/g, ' '));
  });
});

describe('health markdown', () => {
  it('reads as the reply people see: the worst change first, smells folded', () => {
    const md = renderHealthMarkdown({
      base: 'a'.repeat(40),
      head: 'b'.repeat(40),
      files: [
        {
          path: 'src/parser.ts',
          before: 8.2,
          after: 6.9,
          delta: -1.3,
          introduced: [
            {
              kind: 'Complex Method',
              function: 'Parser.parse',
              line: 12,
              detail: 'cyclomatic complexity 14 (threshold 10)',
            },
          ],
          fixed: [],
        },
        { path: 'src/util.ts', before: 9.5, after: 10, delta: 0.5, introduced: [], fixed: [] },
      ],
    });
    expect(md).toMatchInlineSnapshot(`
      "### Code health of \`bbbbbbb\` compared with its merge base with \`aaaaaaa\`

      2 changed file(s) · 1 smell(s) introduced · 0 fixed

      | File | Before | After | Δ | Introduced | Fixed |
      | --- | --- | --- | --- | --- | --- |
      | \`src/parser.ts\` | 8.2 | 6.9 | -1.3 | 1 | 0 |
      | \`src/util.ts\` | 9.5 | 10.0 | +0.5 | 0 | 0 |

      <details><summary>Smells introduced and fixed</summary>

      **\`src/parser.ts\`**

      - ➕ Complex Method in \`Parser.parse:12\`: cyclomatic complexity 14 (threshold 10)

      </details>
      "
    `);
  });
});
