import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/automerge/decision.ts';
import {
  COMMENT_MARKER,
  refusalComment,
  resolvedComment,
  summaryMarkdown,
} from '../../src/automerge/report.ts';
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

/** A Renovate major update, refused, beside a patch update that merged: the two common reports. */
const REFUSED: Decision = {
  number: 12,
  headSha: '0123456789abcdef0123456789abcdef01234567',
  outcome: 'refused',
  reason:
    'Update type: lodash ^4.17.21 → ^5.0.0 is a major update; allowed: patch, minor, pin, digest',
  updateType: 'major',
  dependencies: [
    {
      manifest: 'package.json',
      name: 'lodash',
      section: 'dependencies',
      kind: 'dependencies',
      from: '^4.17.21',
      to: '^5.0.0',
      updateType: 'major',
    },
  ],
  verdicts: [
    { check: 'Base branch', status: 'pass', details: ['main is the default branch'] },
    { check: 'Identity', status: 'pass', details: ['renovate[bot], 1 verified commit'] },
    { check: 'Scope', status: 'pass', details: ['package.json', 'package-lock.json'] },
    {
      check: 'Update type',
      status: 'fail',
      details: ['lodash ^4.17.21 → ^5.0.0 is a major update; allowed: patch, minor, pin, digest'],
    },
    { check: 'Checks', status: 'pending', details: ['e2e: still running'] },
  ],
  warnings: ['the title says minor, the diff says major'],
  isBotPullRequest: true,
};

const MERGED: Decision = {
  ...REFUSED,
  number: 13,
  outcome: 'merged',
  reason: 'every check passed',
  updateType: 'patch',
  dependencies: [{ ...REFUSED.dependencies[0]!, to: '^4.17.22', updateType: 'patch' }],
  verdicts: [
    ...REFUSED.verdicts.slice(0, 3),
    { check: 'Update type', status: 'pass', details: ['lodash ^4.17.21 → ^4.17.22: patch'] },
    { check: 'Checks', status: 'pass', details: ['3 checks passed, 1 required'] },
  ],
  warnings: [],
};

const PENDING: Decision = {
  ...MERGED,
  number: 14,
  outcome: 'pending',
  reason: 'Checks: e2e: still running',
  updateType: 'minor',
  dependencies: [{ ...REFUSED.dependencies[0]!, to: '^4.18.0', updateType: 'minor' }],
  warnings: ['the title says patch, the diff says minor'],
  verdicts: [
    ...REFUSED.verdicts.slice(0, 3),
    { check: 'Update type', status: 'pass', details: ['lodash ^4.17.21 → ^4.18.0: minor'] },
    { check: 'Checks', status: 'pending', details: ['e2e: still running'] },
  ],
};

describe('auto-merge report', () => {
  it('refusal comment: the reason, the warnings and every check, under the marker', () => {
    expect(refusalComment(REFUSED)).toMatchInlineSnapshot(`
      "<!-- steward:auto-merge -->
      **Steward did not merge this pull request** (head \`0123456\`).

      - **Update type:** lodash ^4.17.21 → ^5.0.0 is a major update; allowed: patch, minor, pin, digest
      - ⚠️ the title says minor, the diff says major

      <details><summary>Every check</summary>

      | Check | Verdict | Details |
      | --- | --- | --- |
      | Base branch | ✅ pass | main is the default branch |
      | Identity | ✅ pass | renovate\\[bot\\], 1 verified commit |
      | Scope | ✅ pass | package.json<br>package-lock.json |
      | Update type | ❌ fail | lodash ^4.17.21 → ^5.0.0 is a major update; allowed: patch, minor, pin, digest |
      | Checks | ⏳ pending | e2e: still running |

      </details>

      Steward re-evaluates on the next push or check result. Merge by hand if the update is wanted anyway."
    `);
  });

  it('resolved comment: what the refusal comment becomes once the pull request qualifies', () => {
    expect(resolvedComment(MERGED, false)).toMatchInlineSnapshot(`
      "<!-- steward:auto-merge -->
      **Steward merged this pull request** at head \`0123456\`: every check passed.

      An earlier head was refused; that refusal no longer applies."
    `);
    expect(resolvedComment(MERGED, true)).toMatchInlineSnapshot(`
      "<!-- steward:auto-merge -->
      **Steward armed GitHub auto-merge for this pull request** at head \`0123456\`: every check passed but still-running checks, which GitHub now waits for.

      An earlier head was refused; that refusal no longer applies."
    `);
  });

  it('job summary: one section per pull request the event named', () => {
    expect(summaryMarkdown([MERGED, PENDING])).toMatchInlineSnapshot(`
      "### Steward auto-merge · #13 · ✅ Merged

      every check passed · head \`0123456\` · patch update

      | Check | Verdict | Details |
      | --- | --- | --- |
      | Base branch | ✅ pass | main is the default branch |
      | Identity | ✅ pass | renovate\\[bot\\], 1 verified commit |
      | Scope | ✅ pass | package.json<br>package-lock.json |
      | Update type | ✅ pass | lodash ^4.17.21 → ^4.17.22: patch |
      | Checks | ✅ pass | 3 checks passed, 1 required |

      ### Steward auto-merge · #14 · ⏳ Waiting

      Checks: e2e: still running · head \`0123456\` · minor update

      > ⚠️ the title says patch, the diff says minor

      | Check | Verdict | Details |
      | --- | --- | --- |
      | Base branch | ✅ pass | main is the default branch |
      | Identity | ✅ pass | renovate\\[bot\\], 1 verified commit |
      | Scope | ✅ pass | package.json<br>package-lock.json |
      | Update type | ✅ pass | lodash ^4.17.21 → ^4.18.0: minor |
      | Checks | ⏳ pending | e2e: still running |
      "
    `);
  });
});
