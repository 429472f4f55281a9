import { backtrackingHazard } from './pattern-safety.ts';

/**
 * Which commits are bug fixes, from their message alone (Steward reads no issue tracker). A commit
 * is a fix when its message matches `match` and its first line does not match `ignore`; both are
 * JavaScript regular expressions, matched case-insensitively, configurable as
 * `hotspots.bug-fix.match` and `hotspots.bug-fix.ignore` in .github/steward.yml.
 *
 * The default `match` finds:
 * - in the first line, a fix word: fix, fixes, fixed, fixing, bugfix, hotfix, bug, bugs, defect,
 *   regression, crash (conventional commits' `fix:` and `fix(scope):` included). Only the first
 *   line: a squash-merged feature lists "fix review comments" among its bullets;
 * - anywhere, a linked issue closed by one of GitHub's closing keywords: `closes #12`, `resolves
 *   owner/repo#12`, `fixes https://github.com/owner/repo/issues/12`.
 *
 * The default `ignore` drops commits whose first line says they only touch documentation, typos,
 * lint, formatting, tests, CI or the build (`docs:`, `chore:`, `style:`, `test:`, `ci:`, `build:`,
 * "fix typo", "fix lint", "fix formatting"), and reverts, which undo a change rather than fix code.
 *
 * Commit messages are anyone's text, so a pattern that could backtrack catastrophically is refused
 * (see pattern-safety.ts), and only the first MAX_MATCHED_CHARS characters of a message are matched.
 */
export interface BugFixRule {
  /** Source of a case-insensitive regular expression matched against the whole message. */
  match: string;
  /** Source of a case-insensitive regular expression; a first line it matches is not a fix. */
  ignore: string;
}

const CLOSING_KEYWORD = String.raw`(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)`;
const ISSUE_REFERENCE = String.raw`(?:[\w.-]+\/[\w.-]+)?#\d+|https?:\/\/\S+\/issues\/\d+`;

export const DEFAULT_BUG_FIX_RULE: Readonly<BugFixRule> = {
  match: String.raw`^[^\n]*\b(?:fix(?:e[sd]|ing)?|bugfix|hotfix|bugs?|defect|regression|crash(?:e[sd])?)\b|\b${CLOSING_KEYWORD}:?\s+(?:${ISSUE_REFERENCE})`,
  ignore: String.raw`^(?:revert\b|(?:docs?|chore|style|test|tests|ci|build)(?:\([^)]*\))?!?:)|\b(?:typos?|lint(?:ing)?|formatting|spelling)\b`,
};

/** Only this much of a message is matched: enough for a long squash-merge body and its `closes #12`. */
export const MAX_MATCHED_CHARS = 8192;

/** A rule compiled once; `isFix` is what every caller uses. */
export interface BugFixMatcher {
  readonly rule: BugFixRule;
  isFix(message: string): boolean;
}

/**
 * Compiles a rule. Throws a SyntaxError naming the key when a pattern is not a regular expression;
 * the config loader checks this first, so users see it as a config error.
 */
export function bugFixMatcher(rule: BugFixRule = DEFAULT_BUG_FIX_RULE): BugFixMatcher {
  const match = compile(rule.match, 'hotspots.bug-fix.match');
  const ignore = compile(rule.ignore, 'hotspots.bug-fix.ignore');
  return {
    rule,
    isFix(message: string): boolean {
      const text = message.trimStart().slice(0, MAX_MATCHED_CHARS);
      const firstLine = text.split('\n', 1)[0] ?? '';
      return match.test(text) && !ignore.test(firstLine);
    },
  };
}

function compile(source: string, key: string): RegExp {
  const reason = invalidPattern(source);
  if (reason !== null) throw new SyntaxError(`${key}: ${reason}`);
  return new RegExp(source, 'i');
}

/** Why a pattern is not a valid rule, or null: for the config schema. */
export function invalidPattern(source: string): string | null {
  try {
    new RegExp(source, 'i');
  } catch (error: unknown) {
    return `not a regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  const hazard = backtrackingHazard(source);
  if (hazard === null) return null;
  return (
    `could take exponential or steep polynomial time on a long commit message: ${hazard}. Rewrite it without ` +
    `repeating a group that has its own quantifier or alternatives (e.g. "(a+)+" as "a+", ` +
    `"(a|b)*" as "[ab]*"), without two unbounded repeats in a row (".*.*" as ".*") and without ` +
    `backreferences`
  );
}
