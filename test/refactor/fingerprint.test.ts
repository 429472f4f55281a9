import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { analyseSource } from '../../src/health/complexity/analyse.ts';
import {
  collapseWhitespace,
  fingerprintAt,
  functionFingerprint,
  linesOf,
} from '../../src/refactor/fingerprint.ts';
import { tangledFunction } from './choose-fixtures.ts';

const FN = tangledFunction('score');

describe('the fingerprint of a function', () => {
  it('is 16 hex digits of sha256, the same on every call', () => {
    const print = functionFingerprint('src/a.ts', 'score', FN);
    expect(print).toMatch(/^[0-9a-f]{16}$/);
    expect(functionFingerprint('src/a.ts', 'score', FN)).toBe(print);
  });

  it('stays when only the layout changes: indentation, line breaks, CR LF, tabs', () => {
    const print = functionFingerprint('src/a.ts', 'score', FN);
    const layouts = [
      FN.replace(/\n/g, '\r\n'),
      FN.replace(/\n {2}/g, '\n\t'),
      FN.replace(/\n/g, '\n\n'),
      `\n   ${FN}   \n`,
      FN.split('\n').join(' '),
    ];
    for (const text of layouts) expect(functionFingerprint('src/a.ts', 'score', text)).toBe(print);
  });

  it('changes with any token, the name or the path', () => {
    const print = functionFingerprint('src/a.ts', 'score', FN);
    const others = [
      functionFingerprint('src/a.ts', 'score', FN.replace('out += 3;', 'out += 4;')),
      functionFingerprint('src/a.ts', 'rank', FN),
      functionFingerprint('src/b.ts', 'score', FN),
    ];
    expect(new Set([print, ...others]).size).toBe(4);
  });

  it('cannot be forged by moving text between the path, the name and the code', () => {
    // Joined with a separator, these three would read the same.
    const a = functionFingerprint('src/a.ts', 'f g', 'x');
    const b = functionFingerprint('src/a.ts', 'f', 'g x');
    const c = functionFingerprint('src/a.ts f', 'g', 'x');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(functionFingerprint('a', 'b","c', 'd')).not.toBe(functionFingerprint('a', 'b', 'c","d'));
  });

  it('is taken over the lines code health gives the function', () => {
    const text = `// header\n\n${FN}\n\nexport const after = 1;\n`;
    const [fn] = analyseSource('src/a.ts', text).functions;
    expect(linesOf(text, fn!.line, fn!.endLine)).toBe(FN);
    expect(fingerprintAt('src/a.ts', 'score', text, fn!.line, fn!.endLine)).toBe(
      functionFingerprint('src/a.ts', 'score', FN),
    );
  });

  it('numbers lines as the TypeScript parser does', () => {
    const text = 'a\r\nb\rc\u2028d\u2029e\nf';
    expect(linesOf(text, 2, 5)).toBe('b\nc\nd\ne');
    expect(linesOf(text, 6, 9)).toBe('f');
    expect(linesOf(text, 0, 1)).toBe('a');
    expect(collapseWhitespace(' a \n\t b\u00a0c ')).toBe('a b c');
  });

  const token = fc.stringMatching(/^[A-Za-z0-9_$(){};=+<>.,'"-]{1,6}$/);
  const space = fc.stringMatching(/^[ \t\r\n\u00a0\u2028]{1,4}$/);

  test.prop([fc.array(token, { minLength: 1, maxLength: 30 }), fc.array(space, { maxLength: 31 })])(
    'is the same however the tokens are spaced',
    (tokens, spaces) => {
      const laidOut = tokens.map((t, i) => `${spaces[i] ?? ' '}${t}`).join('');
      expect(functionFingerprint('src/a.ts', 'f', laidOut)).toBe(
        functionFingerprint('src/a.ts', 'f', tokens.join(' ')),
      );
    },
  );
});
