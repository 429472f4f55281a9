import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseHunks, PatchParseError, reconstructOldText } from '../../src/diff/hunks.ts';
import { githubPatch } from '../support/patch.ts';

describe('parseHunks', () => {
  it('numbers lines on both sides and skips the no-newline marker', () => {
    const hunks = parseHunks('@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file');
    expect(hunks[0]!.lines).toEqual([
      { kind: 'context', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'delete', text: 'b', oldLine: 2, newLine: null },
      { kind: 'add', text: 'c', oldLine: null, newLine: 2 },
    ]);
  });

  it('names the line of a malformed patch', () => {
    expect(() => parseHunks('@@ -1 +1 @@\n*oops')).toThrow(/patch line 2/);
    expect(() => parseHunks('text')).toThrow(PatchParseError);
  });
});

describe('reconstructOldText', () => {
  it('rebuilds a package.json from its new text and patch', () => {
    const before = '{\n  "name": "x",\n  "dependencies": {\n    "lodash": "^4.17.20"\n  }\n}\n';
    const after = before.replace('4.17.20', '4.17.21');
    expect(reconstructOldText(after, githubPatch(before, after))).toBe(before);
  });

  it('refuses a patch that does not belong to the file', () => {
    const patch = githubPatch('a\nb\nc\n', 'a\nB\nc\n');
    expect(() => reconstructOldText('x\nB\ny\n', patch)).toThrow(/different commits/);
  });

  const lines = fc.array(fc.constantFrom('a', 'b', 'c', '{', '}', '  "x": "1"', ''), {
    maxLength: 40,
  });
  test.prop([lines, lines, fc.integer({ min: 0, max: 4 })])(
    'inverts any diff, whatever the context size',
    (oldLines, newLines, context) => {
      const before = oldLines.join('\n') + '\n';
      const after = newLines.join('\n') + '\n';
      expect(reconstructOldText(after, githubPatch(before, after, context))).toBe(before);
    },
  );
});
