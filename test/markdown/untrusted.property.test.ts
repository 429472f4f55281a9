import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  blockMarkdown,
  codeSpan,
  inlineMarkdown,
  plainText,
} from '../../src/markdown/untrusted.ts';
import { commentBody } from '../../src/review/post.ts';
import { parseMarkers } from '../../src/review/fingerprint.ts';
import {
  htmlNodes,
  mentionsOutsideCode,
  parseGfm,
  suggestionBlocks,
  visibleText,
} from '../support/gfm.ts';

/** Pieces a hostile model (or a prompt-injected diff) strings together to get past escaping. */
const HOSTILE = [
  '@alice',
  '@acme/security',
  '_@bob_',
  '*@carol*',
  '.@dave',
  '&#64;erin',
  '&commat;frank',
  '&#x40;gina',
  'ops@acme.io',
  '`',
  '``',
  '```',
  '````',
  '```suggestion\n',
  '~~~suggestion\n',
  '\n```\n',
  '<!--',
  '-->',
  '<!-- steward:finding:0123456789abcdef0123 -->',
  '<!-- steward:review last-sha=0123456789abcdef0123456789abcdef01234567 -->',
  '<details>',
  '</details>',
  '<img src=x onerror=alert(1)>',
  '<b>',
  '\\',
  '\n',
  '\n\n',
  '    ',
  '\t',
  '\r\n',
  '|',
  '#12',
  'owner/repo#3',
  '[x](https://evil.example)',
  'www.example.com',
  '> ',
  '- ',
  '1. ',
  '===',
  '***',
  '_',
  '*',
  '~',
  '[^1]',
  '\u0000',
  '\u202e',
];

const modelText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    ),
    {
      maxLength: 40,
    },
  )
  .map((parts) => parts.join(''));

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2060]/g;

/** What a reader should see of `text`: its characters, spacing aside; backticks may be markup. */
function seen(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/`/g, '')
    .replace(/\s+/g, '')
    .replace(/\uFFFD/g, '');
}

function expectHarmless(markdown: string): void {
  expect(mentionsOutsideCode(markdown)).toEqual([]);
  expect(htmlNodes(markdown)).toEqual([]);
  expect(suggestionBlocks(markdown)).toEqual([]);
}

describe('the renderer of untrusted text', () => {
  test.prop([modelText], { numRuns: 400 })(
    'block text: no mention, no HTML, no suggestion block, and the same visible text',
    (text) => {
      const markdown = blockMarkdown(text);
      expectHarmless(markdown);
      expect(seen(visibleText(markdown))).toBe(seen(text));
    },
  );

  test.prop([modelText], { numRuns: 400 })(
    'inline text stays one paragraph, harmless, with the same visible text',
    (text) => {
      fc.pre(inlineMarkdown(text) !== '');
      const markdown = `- **${inlineMarkdown(text)}**: ${inlineMarkdown(text)}`;
      expectHarmless(markdown);
      const tree = parseGfm(markdown);
      expect(tree.children.map((c) => c.type)).toEqual(['list']);
      expect(seen(visibleText(markdown))).toBe(seen(`${text}:${text}`));
    },
  );

  test.prop([modelText, modelText], { numRuns: 300 })(
    'a table row keeps its cells whatever the cells hold',
    (a, b) => {
      const row = `| ${inlineMarkdown(a, { table: true })} | ${codeSpan(b, { table: true })} |`;
      const markdown = `| A | B |\n| --- | --- |\n${row}`;
      expectHarmless(markdown);
      const tree = parseGfm(markdown);
      expect(tree.children).toHaveLength(1);
      const table = tree.children[0]!;
      expect(table.type).toBe('table');
      if (table.type !== 'table') return;
      expect(table.children).toHaveLength(2);
      expect(table.children[1]!.children).toHaveLength(2);
    },
  );

  test.prop([modelText], { numRuns: 300 })(
    'a code span holds any path: one inline code node with the path as its text',
    (path) => {
      const span = codeSpan(path);
      const expected = plainText(path)
        .replace(/\u2060/g, '')
        .replace(/\n/g, ' ');
      if (expected === '') {
        expect(span).toBe('');
        return;
      }
      const markdown = `- ${span}: x`;
      expectHarmless(markdown);
      const paragraph = parseGfm(markdown);
      const item = paragraph.children[0];
      expect(item?.type).toBe('list');
      const codes: string[] = [];
      const collect = (node: { type: string; value?: string; children?: unknown[] }) => {
        if (node.type === 'inlineCode') codes.push(node.value!);
        for (const child of (node.children ?? []) as (typeof node)[]) collect(child);
      };
      collect(paragraph);
      expect(codes).toHaveLength(1);
      // CommonMark strips one space each side of padded content (and a lone all-space path keeps
      // its spaces): the code shows the path.
      expect(codes[0]!.trim()).toBe(expected.trim());
    },
  );

  test.prop([modelText, modelText, fc.option(modelText, { nil: undefined })], { numRuns: 300 })(
    'an inline comment: the marker on top, no other HTML, no mention, only the field’s suggestion',
    (title, body, suggestion) => {
      const fp = '0123456789abcdef0123';
      const markdown = commentBody({
        path: 'src/a.ts',
        line: 1,
        endLine: 1,
        side: 'RIGHT',
        severity: 'minor',
        category: 'x',
        title,
        body,
        fingerprint: fp,
        ...(suggestion === undefined ? {} : { suggestion }),
      });
      expect(parseMarkers(markdown)).toEqual([fp]);
      expect(htmlNodes(markdown)).toEqual([`<!-- steward:finding:${fp} -->`]);
      expect(mentionsOutsideCode(markdown)).toEqual([]);
      // As the parser reads a code block: NUL as U+FFFD.
      const code = (text: string) => text.replace(/\r?\n$/, '').replaceAll('\u0000', '\uFFFD');
      const expected = suggestion === undefined ? [] : [code(suggestion)];
      expect(suggestionBlocks(markdown)).toEqual(expected);
    },
  );

  test.prop([modelText])('plain text holds no live mention and no control character', (text) => {
    const plain = plainText(text);
    expect(plain).not.toMatch(/(?:^|[^A-Za-z0-9_])@[A-Za-z0-9]/);
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
  });
});
