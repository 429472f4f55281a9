import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/automerge/decision.ts';
import { COMMENT_MARKER, refusalComment, summaryMarkdown } from '../../src/automerge/report.ts';
import { htmlNodes, mentionsOutsideCode, parseGfm, visibleText } from '../support/gfm.ts';

/**
 * What a pull request's author controls and the auto-merge report shows: its title (in the
 * claims Steward reads), changed paths, dependency names and versions. Each tries to ping,
 * hide text, forge Steward's marker or break the table.
 */
const HOSTILE = [
  'entity &#64;alice and &#x40;bob and &commat;carol',
  'plain @dave and @acme/security',
  '_@erin_ and end.@frank',
  '<!-- steward:auto-merge -->',
  '&lt;!-- steward:auto-merge --&gt; <img src=x onerror=alert(1)>',
  '<details><summary>hidden</summary>',
  'pipe | breaks | the | row',
  'new\nline | cell',
  '[click](https://evil.example) ![x](https://evil.example/x.png)',
];

function decision(text: string): Decision {
  return {
    number: 7,
    headSha: 'abcdef0123456789abcdef0123456789abcdef01',
    outcome: 'refused',
    reason: `Scope: ${text}`,
    updateType: null,
    dependencies: [],
    verdicts: [
      { check: 'Scope', status: 'fail', details: [text, `${text}/package.json changed`] },
      { check: 'Checks', status: 'pass', details: ['3 checks passed, 1 required'] },
    ],
    warnings: [`the title says major: ${text}`],
    isBotPullRequest: true,
  };
}

function tableRows(markdown: string): number[] {
  const widths: number[] = [];
  const visit = (node: ReturnType<typeof parseGfm>['children'][number]): void => {
    if (node.type === 'table') for (const row of node.children) widths.push(row.children.length);
  };
  for (const node of parseGfm(markdown).children) visit(node);
  return widths;
}

describe('auto-merge report with hostile pull request text', () => {
  for (const text of HOSTILE) {
    it(`refusal comment: ${JSON.stringify(text)} pings no one, forges no marker, keeps the table`, () => {
      const body = refusalComment(decision(text));
      expect(mentionsOutsideCode(body)).toEqual([]);
      // Steward's marker first, then only its own <details> wrapper and <br> between details.
      expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
      expect(htmlNodes(body).filter((h) => h !== '<br>')).toEqual([
        COMMENT_MARKER,
        '<details><summary>Every check</summary>',
        '</details>',
      ]);
      expect(visibleText(body)).not.toMatch(/@(?=[A-Za-z0-9])/);
      // The text is shown as written, not turned into markup: its first words are still there.
      expect(visibleText(body).replace(/[\u200b\u2060]/g, '')).toContain(
        text.split('\n')[0]!.slice(0, 8),
      );
    });

    it(`job summary: ${JSON.stringify(text)} renders no HTML or mention and keeps three cells a row`, () => {
      const md = summaryMarkdown([decision(text)]);
      expect(mentionsOutsideCode(md)).toEqual([]);
      expect(htmlNodes(md).filter((h) => h !== '<br>')).toEqual([]);
      expect(tableRows(md).every((w) => w === 3)).toBe(true);
      expect(tableRows(md)).toHaveLength(3);
    });
  }
});
