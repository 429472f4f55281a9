import { describe, expect, it } from 'vitest';
import {
  bugFixMatcher,
  DEFAULT_BUG_FIX_RULE,
  MAX_MATCHED_CHARS,
} from '../../../src/hotspots/history/bug-fix.ts';
import { backtrackingHazard } from '../../../src/hotspots/history/pattern-safety.ts';

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

/** 100 KB of what makes a backtracking pattern try every split: a long run ending in a mismatch. */
const HOSTILE_MESSAGE = `fix ${'a'.repeat(100_000)}!`;

describe('hostile commit messages against user patterns', () => {
  // Each of these takes exponential time on HOSTILE_MESSAGE in JavaScript's engine: they must never
  // be compiled, so this test never runs them.
  it.each([
    '(a+)+$',
    '(a*)*$',
    '^(a|aa)+$',
    '(a|a)*b',
    String.raw`(\w+\s?)*$`,
    '(?:a+){2,}$',
    '((a)+b?)+$',
    '(?<word>a+)+$',
    '(?:x|(?:a+))*$',
    String.raw`^(a+)\1+$`,
    String.raw`(?<x>a)\k<x>`,
    '(a{1,5}){3,}$',
    // Cubic rather than exponential, but as hopeless on 100 KB (or 8 KB).
    'a*a*b',
    '.*.*=.*',
    String.raw`\s+\s*$`,
    '(?:x)+a{2,}$',
    String.raw`\w+\d+$`,
  ])('refuses %j as a config error that says what to do', (pattern) => {
    expect(backtrackingHazard(pattern)).not.toBeNull();
    expect(() => bugFixMatcher({ ...DEFAULT_BUG_FIX_RULE, match: pattern })).toThrow(
      /hotspots\.bug-fix\.match: could take exponential .*Rewrite it/,
    );
    expect(() => bugFixMatcher({ match: 'fix', ignore: pattern })).toThrow(
      /hotspots\.bug-fix\.ignore: could take exponential/,
    );
  });

  it.each([
    DEFAULT_BUG_FIX_RULE.match,
    DEFAULT_BUG_FIX_RULE.ignore,
    String.raw`^\[bug\]`,
    '(?:fix|bug)?:',
    '[ab]*c',
    String.raw`(?:\(\w+\))?!?:`,
    '(ab){2}',
    'a*b',
    String.raw`\s*,\s*`,
    String.raw`\w+\s+#\d+`,
    String.raw`[^\n]*\b`,
    String.raw`[(a+)+]`,
    String.raw`\(a+\)+`,
  ])('accepts %j', (pattern) => {
    expect(backtrackingHazard(pattern)).toBeNull();
  });

  it('matches only the first MAX_MATCHED_CHARS characters of a message', () => {
    const rule = bugFixMatcher();
    const padding = `Handle null entries\n\n${'x'.repeat(MAX_MATCHED_CHARS)}`;
    expect(rule.isFix(`${padding}\n\nCloses #42`)).toBe(false);
    expect(rule.isFix(`Handle null entries\n\nCloses #42\n\n${padding}`)).toBe(true);
    // A pattern quadratic in the text (tried at every position) sees at most that many characters
    // of the 100 KB message.
    const seen: number[] = [];
    const polynomial = bugFixMatcher({ match: 'a*b', ignore: '^$' });
    const test = RegExp.prototype.test;
    RegExp.prototype.test = function (this: RegExp, text: string) {
      seen.push(text.length);
      return test.call(this, text);
    };
    try {
      expect(polynomial.isFix(HOSTILE_MESSAGE)).toBe(false);
    } finally {
      RegExp.prototype.test = test;
    }
    expect(Math.max(...seen)).toBeLessThanOrEqual(MAX_MATCHED_CHARS);
  });
});
