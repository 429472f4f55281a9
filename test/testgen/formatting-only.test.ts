import { fc, test } from '@fast-check/vitest';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { formattingOnlyProblem } from '../../src/testgen/formatting-only.ts';
import { VITEST_FILE } from './insert-fixtures.ts';

const PATH = 'test/args.test.ts';

describe('formattingOnlyProblem', () => {
  test.prop([
    fc.record({
      singleQuote: fc.boolean(),
      semi: fc.boolean(),
      tabWidth: fc.constantFrom(2, 4),
      useTabs: fc.boolean(),
      printWidth: fc.constantFrom(40, 80, 120),
      trailingComma: fc.constantFrom('all', 'es5', 'none') as fc.Arbitrary<'all' | 'es5' | 'none'>,
      arrowParens: fc.constantFrom('always', 'avoid') as fc.Arbitrary<'always' | 'avoid'>,
      quoteProps: fc.constantFrom('as-needed', 'consistent', 'preserve') as fc.Arbitrary<
        'as-needed' | 'consistent' | 'preserve'
      >,
    }),
  ])('accepts whatever prettier makes of a test file', async (options) => {
    const text = `${VITEST_FILE}\nconst table = { 'a': 1, b: [1.50, .5, 0XFF], "c-d": (x) => x };\n`;
    const formatted = await format(text, { ...options, filepath: PATH });
    expect(formattingOnlyProblem(PATH, text, formatted)).toBeUndefined();
  });

  it('names a change of code', () => {
    expect(
      formattingOnlyProblem(PATH, VITEST_FILE, VITEST_FILE.replace('toEqual({})', 'toBeDefined()')),
    ).toMatch(
      /changes code, not only its layout \(token \d+: "v:toEqual" became "v:toBeDefined"\)/,
    );
    expect(formattingOnlyProblem(PATH, VITEST_FILE, `${VITEST_FILE}process.exit(1);\n`)).toMatch(
      /changes code/,
    );
    expect(
      formattingOnlyProblem(PATH, VITEST_FILE, VITEST_FILE.replace("'--verbose'", "'--quiet'")),
    ).toMatch(/changes code/);
  });

  it('names a change of comments', () => {
    expect(
      formattingOnlyProblem(
        PATH,
        VITEST_FILE,
        VITEST_FILE.replace('// the happy path', '// @ts-nocheck'),
      ),
    ).toBe('the formatted text changes comments, not only their layout');
    expect(formattingOnlyProblem(PATH, VITEST_FILE, VITEST_FILE.replace(' // keep', ''))).toMatch(
      /comments/,
    );
  });
});
