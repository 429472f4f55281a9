import { describe, expect, it } from 'vitest';
import { codeSpan, inlineMarkdown } from '../../src/markdown/untrusted.ts';

describe('codeSpan', () => {
  it.each([
    ['a `b` c', {}, '``a `b` c``'],
    ['a `b` c', { padded: true }, '`` a `b` c ``'],
    ['`x`', {}, '`` `x` ``'],
    ['plain', { padded: true }, '`plain`'],
    ['a|b', { table: true }, '`a\\|b`'],
    ['x\r\ny', { padded: true }, '`x y`'],
    ['', { padded: true }, ''],
  ])('renders %j with %j as %j', (text, options, shown) => {
    expect(codeSpan(text, options)).toBe(shown);
  });
});

describe('inlineMarkdown', () => {
  it('trims by default and keeps the edges as spaces when asked, rendering the rest alike', () => {
    expect(inlineMarkdown('  names @acme <b>  ')).toBe('names @\u2060acme \\<b\\>');
    expect(inlineMarkdown('  names @acme <b>\t', { keepEdges: true })).toBe(
      '  names @\u2060acme \\<b\\> ',
    );
    expect(inlineMarkdown(' \n ', { keepEdges: true })).toBe('   ');
  });
});
