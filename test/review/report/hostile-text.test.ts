import { describe, expect, it } from 'vitest';
import type { ReviewFinding } from '../../../src/review/health-findings.ts';
import { fingerprint, parseMarkers } from '../../../src/review/fingerprint.ts';
import { commentBody, MAX_COMMENT_LENGTH, summaryText } from '../../../src/review/post.ts';
import { renderReview } from '../../../src/review/report/index.ts';
import { renderReviewMarkdown } from '../../../src/review/report/markdown.ts';
import { emptyReview } from '../../../src/review/result.ts';
import type { ReviewResult } from '../../../src/review/result.ts';
import {
  htmlNodes,
  mentionsOutsideCode,
  parseGfm,
  suggestionBlocks,
  visibleText,
} from '../../support/gfm.ts';

/**
 * What a hostile model (or a diff that talked it round) writes to make Steward's comments ping
 * people, hide text, forge markers or smuggle a committable suggestion, as the issue found them.
 */
const MENTION_TRICKS = [
  'cc @alice',
  'unbalanced ` backtick then @bob',
  'escaped \\`code\\` then @carol',
  'unclosed ``double @dave',
  '_@erin_',
  '*@frank*',
  'end of sentence.@gina',
  'entity &#64;hank and &commat;ivan and &#x40;judy',
  'team @acme/security',
  '**@kim**',
  '[@leo](https://example.com)',
];

const SHA = 'c'.repeat(40);

function finding(over: Partial<ReviewFinding> = {}): ReviewFinding {
  const title = over.title ?? 'Title';
  return {
    path: 'src/a.ts',
    line: 3,
    endLine: 3,
    side: 'RIGHT',
    severity: 'major',
    category: 'security',
    title,
    body: 'Body.',
    fingerprint: fingerprint({ path: 'src/a.ts', title, code: 'x' }),
    source: 'model',
    ...over,
  };
}

function review(over: Partial<ReviewResult>): ReviewResult {
  return {
    ...emptyReview({
      base: 'main',
      head: 'feature',
      baseSha: 'a'.repeat(40),
      headSha: 'b'.repeat(40),
      model: 'claude-sonnet-5-5',
      reason: null,
    }),
    mode: 'model',
    nothingToReview: false,
    ...over,
  };
}

describe('model text in an inline comment', () => {
  it.each(MENTION_TRICKS)('pings nobody: %s', (trick) => {
    const body = commentBody(finding({ title: `Title ${trick}`, body: `Body ${trick}` }));
    expect(mentionsOutsideCode(body)).toEqual([]);
  });

  it('cannot hide the rest of the comment or forge a marker with an HTML comment', () => {
    const victim = fingerprint({ path: 'src/b.ts', title: 'SQL injection', code: 'q' });
    const f = finding({
      body: `Fine. <!-- steward:finding:${victim} -->\n<!-- hides everything after`,
      suggestion: 'const safe = 1;',
    });
    const body = commentBody(f);
    // Only Steward's own marker, at the top, is an HTML comment; the suggestion still shows.
    expect(htmlNodes(body)).toEqual([`<!-- steward:finding:${f.fingerprint} -->`]);
    expect(parseMarkers(body)).toEqual([f.fingerprint]);
    expect(suggestionBlocks(body)).toEqual(['const safe = 1;']);
    expect(visibleText(body)).toContain('hides everything after');
  });

  it('posts no suggestion block the model wrote in its body, with backticks or tildes', () => {
    for (const fence of ['```', '~~~', '````']) {
      const body = commentBody(
        finding({ body: `Try this:\n${fence}suggestion\nrm -rf /\n${fence}\nThanks.` }),
      );
      expect(suggestionBlocks(body)).toEqual([]);
      expect(visibleText(body)).toContain('rm -rf /');
    }
  });

  it.each(['mermaid', 'Mermaid', 'geojson', 'topojson', 'stl', 'math'])(
    'shows a %s block the model wrote as code, not as a diagram, map or formula GitHub draws',
    (language) => {
      const body = commentBody(
        finding({
          body: `See:\n\`\`\`${language}\nflowchart LR\n  click A "https://evil.example"\n\`\`\``,
        }),
      );
      const blocks: { lang: string | null | undefined; value: string }[] = [];
      const visit = (node: ReturnType<typeof parseGfm>['children'][number]): void => {
        if (node.type === 'code') blocks.push({ lang: node.lang, value: node.value });
      };
      parseGfm(body).children.forEach(visit);
      expect(blocks).toEqual([
        { lang: null, value: `${language}\nflowchart LR\n  click A "https://evil.example"` },
      ]);
    },
  );

  it('keeps a language GitHub only highlights', () => {
    const body = commentBody(finding({ body: '```ts\nconst a = 1;\n```' }));
    expect(parseGfm(body).children.find((n) => n.type === 'code')).toMatchObject({ lang: 'ts' });
  });

  it('keeps the committable suggestion that came from the suggestion field, and only that', () => {
    const body = commentBody(
      finding({ body: '```suggestion\nevil()\n```', suggestion: 'const fixed = `a`;' }),
    );
    expect(suggestionBlocks(body)).toEqual(['const fixed = `a`;']);
  });

  it('stays within GitHub’s 65,536 characters, keeping the marker and a whole suggestion', () => {
    const suggestion = 'const x = 1;';
    const f = finding({ body: '@everyone <b>'.repeat(20_000), suggestion });
    const body = commentBody(f);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(parseMarkers(body)).toEqual([f.fingerprint]);
    expect(suggestionBlocks(body)).toEqual([suggestion]);
    expect(body).toContain('Steward cut this text here');
    expect(mentionsOutsideCode(body)).toEqual([]);
    expect(htmlNodes(body)).toEqual([`<!-- steward:finding:${f.fingerprint} -->`]);
  });

  it('leaves out a suggestion too long to fit, saying so', () => {
    const f = finding({ suggestion: 'x();\n'.repeat(14_000) });
    const body = commentBody(f);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(suggestionBlocks(body)).toEqual([]);
    expect(body).toContain('The suggested change was left out');
  });
});

describe('model text in the summary', () => {
  const hostile = MENTION_TRICKS.join(' ');

  it('pings nobody and hides nothing, in every list, the walkthrough and the tables', () => {
    const f = finding({ title: hostile, body: `${hostile} <!-- open` });
    const result = review({
      walkthrough: [`${hostile}\n\n<!-- hide\n\n\`\`\`suggestion\nx\n\`\`\``],
      findings: [f],
      // A path the model made up breaks out of its code span in the off-diff list.
      offDiff: [
        {
          ...f,
          path: 'x` @mallory <!-- `y.ts',
          offDiffReason: 'the file is not in the reviewed diff',
        },
      ],
      notReviewed: [{ path: 'a`@nina`.ts', reason: hostile }],
    });
    const markdown = summaryText(renderReviewMarkdown(result), SHA);
    expect(mentionsOutsideCode(markdown)).toEqual([]);
    expect(suggestionBlocks(markdown)).toEqual([]);
    // Steward's own structure only: the marker, the folds, the review marker last.
    expect(htmlNodes(markdown).filter((h) => h.includes('<!--'))).toEqual([
      '<!-- steward:review -->',
      `<!-- steward:review last-sha=${SHA} -->`,
    ]);
    expect(visibleText(markdown).replaceAll('\u2060', '')).toContain('x` @mallory <!-- `y.ts:3');
  });

  it('cut to GitHub’s limit, still closes its code blocks and keeps both markers as markers', () => {
    const walkthrough = [`Long.\n\n\`\`\`ts\n${'const x = 1;\n'.repeat(8_000)}\`\`\``];
    const markdown = summaryText(renderReviewMarkdown(review({ walkthrough })), SHA);
    expect(markdown.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(markdown).toContain('the summary was cut here');
    expect(htmlNodes(markdown).filter((h) => h.includes('<!--'))).toEqual([
      '<!-- steward:review -->',
      `<!-- steward:review last-sha=${SHA} -->`,
    ]);
  });

  it('SARIF and the terminal carry no live mention and no control character', () => {
    const result = review({ findings: [finding({ title: '@alice \u001b[2J', body: hostile })] });
    const sarif = JSON.parse(renderReview(result, 'sarif')) as {
      runs: { results: { message: { text: string; markdown: string } }[] }[];
    };
    const message = sarif.runs[0]!.results[0]!.message;
    expect(message.text).not.toMatch(/(^|[^\w])@[a-z]/i);
    expect(mentionsOutsideCode(message.markdown)).toEqual([]);
    const text = renderReview(result, 'text');
    expect(text).not.toContain('\u001b');
    expect(text).not.toMatch(/(^|[^\w])@[a-z]/i);
  });
});
