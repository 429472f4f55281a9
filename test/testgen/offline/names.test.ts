import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameWords, swapWord } from '../../../src/testgen/offline/names.ts';

describe('swapWord', () => {
  it.each([
    ['encodeBase64', 'encode', 'decode', ['decodeBase64']],
    ['base64Encode', 'encode', 'decode', ['base64Decode']],
    ['to_json', 'to', 'from', ['from_json']],
    ['toJSON', 'to', 'from', ['fromJSON']],
    ['URL_ENCODE', 'encode', 'decode', ['URL_DECODE']],
    ['serialize', 'serialize', 'deserialize', ['deserialize']],
    ['tokenize', 'to', 'from', []],
    ['deserialize', 'serialize', 'deserialize', []],
    ['undo', 'to', 'from', []],
    ['photo', 'to', 'from', []],
  ])('%s with %s → %s gives %j', (name, from, to, expected) => {
    expect(swapWord(name, from, to)).toEqual(expected);
  });

  it('is undone by the swap back, for camelCase names made of words', () => {
    const word = fc.constantFrom('base64', 'url', 'json', 'query', 'path', 'text', 'html');
    const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 3 }),
        fc.array(word, { maxLength: 3 }),
        (head, tail) => {
          const name = [...head, 'encode', ...tail].map((w, i) => (i === 0 ? w : cap(w))).join('');
          const swapped = swapWord(name, 'encode', 'decode');
          expect(swapped).toHaveLength(1);
          expect(swapWord(swapped[0] ?? '', 'decode', 'encode')).toEqual([name]);
        },
      ),
    );
  });
});

describe('nameWords', () => {
  it.each([
    ['normalizePath', ['normalize', 'path']],
    ['parseHTTPHeader', ['parse', 'http', 'header']],
    ['to_snake_case', ['to', 'snake', 'case']],
    ['__proto__', ['proto']],
  ])('%s → %j', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});
