import { describe, expect, it } from 'vitest';
import { bugFixMatcher, DEFAULT_BUG_FIX_RULE } from '../../../src/hotspots/history/bug-fix.ts';

const rule = bugFixMatcher();

describe('the default bug-fix rule', () => {
  it.each([
    'fix(runtime-core): avoid double mount (#1234)',
    'fix: crash when the list is empty',
    'Fixed off-by-one in pagination',
    'hotfix for login',
    'Bugfix: wrong timezone',
    'Regression in 3.2 parser',
    'Crashes on empty input',
    'Handle null entries\n\nCloses #42',
    'Handle null entries\n\nresolves acme/web#7',
    'Handle null entries\n\nFixes https://github.com/acme/web/issues/9',
  ])('calls %j a fix', (message) => {
    expect(rule.isFix(message)).toBe(true);
  });

  it.each([
    'feat: add a cache',
    'Add prefix option', // "prefix" holds "fix" but not as a word
    'docs: fix a broken link',
    'chore(deps): fix lockfile',
    'test: fix flaky timer',
    'Fix typo in README',
    'fix lint',
    'Revert "fix: crash when the list is empty"',
    // A squash-merged feature listing a fix among its bullets is not a fix.
    'feat(accepts): wildcard media types (#5255)\n\n* fix(accepts): review comments\n* test: more',
    'Mention #42 in the changelog',
  ])('does not call %j a fix', (message) => {
    expect(rule.isFix(message)).toBe(false);
  });
});

describe('a configured bug-fix rule', () => {
  it('matches what the repository calls a fix, and ignores what it says to', () => {
    const custom = bugFixMatcher({ match: String.raw`^\[bug\]`, ignore: 'wip' });
    expect(custom.isFix('[BUG] wrong total')).toBe(true);
    expect(custom.isFix('fix: wrong total')).toBe(false);
    expect(custom.isFix('[bug] WIP wrong total')).toBe(false);
  });

  it('names the key of a pattern that is not a regular expression', () => {
    expect(() => bugFixMatcher({ ...DEFAULT_BUG_FIX_RULE, ignore: '(' })).toThrow(
      /hotspots\.bug-fix\.ignore: not a regular expression/,
    );
  });
});
