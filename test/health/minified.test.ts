import { describe, expect, it } from 'vitest';
import { contentSkipReason } from '../../src/health/skip.ts';
import { hasMinifiedName, minifiedReason } from '../../src/health/minified.ts';
import { fromPullRequestFiles } from '../../src/diff/review-file.ts';
import { filterFiles } from '../../src/review/filter.ts';

/** What each face decides for one file's text: the review's filter and the hotspots' skip rule. */
function verdicts(path: string, text: string) {
  const lines = text.split('\n');
  const patch = `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
  const files = fromPullRequestFiles([
    { path, previousPath: null, status: 'added', additions: lines.length, deletions: 0, patch },
  ]);
  const withContent = filterFiles(files, { contents: new Map([[path, text]]) }).skipped[0];
  const fromPatch = filterFiles(files).skipped[0];
  return {
    review: withContent?.kind ?? null,
    reviewFromPatch: fromPatch?.kind ?? null,
    hotspots: contentSkipReason(Buffer.from(text)),
  };
}

const handWritten = [
  '/**',
  ` * ${'Explains the protocol in one very long paragraph that nobody wrapped. '.repeat(30)}`,
  ' */',
  `/** ${'A one-line JSDoc block that runs on and on. '.repeat(30)}*/`,
  `// ${'a long line comment '.repeat(80)}`,
  'export function parse(text: string): string[] {',
  "  return text.split('\\n').map((line) => line.trim());",
  '}',
  '',
].join('\n');

describe('the one "minified" rule', () => {
  it('keeps a small hand-written file whose JSDoc and comments have very long lines', () => {
    expect(handWritten.split('\n').some((line) => line.length > 2000)).toBe(true);
    expect(verdicts('src/parse.ts', handWritten)).toEqual({
      review: null,
      reviewFromPatch: null,
      hotspots: null,
    });
  });

  it('keeps a file with one long line of code among ordinary ones', () => {
    const text = [
      ...Array.from({ length: 60 }, (_, i) => `export const value${i} = ${i} * 2 + 1;`),
      `export const table = [${Array.from({ length: 300 }, (_, i) => i).join(', ')}];`,
      '',
    ].join('\n');
    expect(verdicts('src/table.ts', text)).toEqual({
      review: null,
      reviewFromPatch: null,
      hotspots: null,
    });
  });

  it('skips a bundle behind a licence banner in both the review and hotspots', () => {
    const text = `/*! lib v1 | MIT */\n!function(e,t){${'var a=e&&t||function(){return 1};'.repeat(200)}}(this);\n`;
    const result = verdicts('public/app.js', text);
    expect(result.review).toBe('minified');
    expect(result.reviewFromPatch).toBe('minified');
    expect(result.hotspots).toMatch(/^minified: \d+% of it is on lines of over 1,000 characters$/);
    expect(minifiedReason(text.split('\n'))).toBe(result.hotspots);
  });

  it('counts code after a comment on the same line as code', () => {
    const line = `/* banner */ var a=1;${'a+=1;'.repeat(400)}`;
    expect(minifiedReason([line])).not.toBeNull();
  });

  it('names minified files alike for both', () => {
    for (const path of ['a.min.js', 'lib/x.min.mjs', 'x.min.cjs', 'style.min.css', 'a.js.map'])
      expect(hasMinifiedName(path), path).toBe(true);
    for (const path of ['admin.js', 'src/min.ts', 'mapping.ts'])
      expect(hasMinifiedName(path)).toBe(false);
  });
});
