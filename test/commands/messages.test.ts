import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.ts';
import {
  CONFIG_ERROR_MARKER,
  configErrorComment,
  configResolvedComment,
} from '../../src/config/comment.ts';
import {
  pullRequestOnlyText,
  refusalText,
  replyBody,
  unavailableText,
  unknownCommandText,
  usageText,
} from '../../src/commands/messages.ts';
import { inlineCode } from '../../src/commands/markdown.ts';
import { commandSpec, helpText } from '../../src/commands/parse.ts';
import { htmlNodes, mentionsOutsideCode } from '../support/gfm.ts';

/**
 * What the app says on GitHub, as a reader sees it: each message whole, by snapshot. What must
 * hold whatever the input (no mention, no HTML, no forged marker) is asserted beside it, and
 * test/app/command-parsing.test.ts tries hostile inputs against the same functions.
 */

function configErrors(text: string) {
  const parsed = parseConfig(text, '.github/steward.yml');
  if (parsed.ok) throw new Error('expected the config to be refused');
  return parsed.errors.map((error) => ({ file: 'acme/widgets:.github/steward.yml', error }));
}

describe('the config report', () => {
  it('names each error by file, line and column, with a hint, and the files it read', () => {
    const body = configErrorComment(
      configErrors('reveiw:\n  max-comments: 3\nhotspots:\n  top: "@acme/everyone"\n'),
      [
        {
          label: 'acme/widgets:.github/steward.yml',
          repo: { owner: 'acme', repo: 'widgets' },
          path: '.github/steward.yml',
          found: true,
        },
        {
          label: 'acme/.github:.github/steward.yml',
          repo: { owner: 'acme', repo: '.github' },
          path: '.github/steward.yml',
          found: false,
        },
      ],
    );
    expect(body).toMatchInlineSnapshot(`
      "<!-- steward:config-errors -->
      **Steward did nothing here: its configuration has 2 errors.**

      - \`acme/widgets:.github/steward.yml:1:1\` \`reveiw\`: unknown key Did you mean \`review\`?
      - \`acme/widgets:.github/steward.yml:4:8\` \`hotspots.top\`: expected a whole number of 1 or more, got the string \`"@acme/everyone"\`

      Read from \`acme/widgets:.github/steward.yml\`.

      Fix the file named above: \`.github/steward.yml\` on the branch the pull request merges into (the default branch for \`/steward\` commands), or the file it extends. \`steward config check\` reports the same errors locally. Steward runs again on the next event."
    `);
    expect(mentionsOutsideCode(body)).toEqual([]);
    expect(htmlNodes(body)).toEqual([CONFIG_ERROR_MARKER]);
  });

  it('says when the config is valid again', () => {
    expect(configResolvedComment()).toMatchInlineSnapshot(`
      "<!-- steward:config-errors -->
      **Steward's configuration is valid again**: the errors this comment listed are fixed, and Steward runs as configured."
    `);
  });
});

describe('echoed text', () => {
  it('is one code span with no invisible characters and no live marker', () => {
    // A bidirectional override would make the echoed command read differently than it is.
    expect(inlineCode('/steward review\u202E lluf')).toBe('`/steward review lluf`');
    expect(inlineCode('x\u0007<!-- steward:review -->')).toBe('`x<\u200B!-- steward:review -->`');
    expect(inlineCode('a `b` c')).toBe('`` a `b` c ``');
  });
});

describe('replies to commands', () => {
  it('quotes the command, names who asked, and says what happened', () => {
    const body = replyBody(42, '/steward frobnicate <!-- steward:review -->', 'mona', 'ok.');
    // The zero-width space that keeps an echoed `<!--` from being a marker, made visible.
    expect(body.replaceAll('\u200B', '{ZWSP}')).toMatchInlineSnapshot(`
      "<!-- steward:reply:42 -->
      > \`/steward frobnicate <{ZWSP}!-- steward:review -->\`

      @mona, ok."
    `);
    expect(htmlNodes(body)).toEqual(['<!-- steward:reply:42 -->']);
  });

  it('refuses, corrects and explains in one sentence each', () => {
    expect({
      refusal: refusalText('read', 'acme/widgets'),
      refusalWithoutAccess: refusalText('none', 'acme/widgets'),
      unknownCommand: unknownCommandText('reveiw', 'review').split('\n')[0],
      usage: usageText(commandSpec('health'), 'it takes no arguments, got `x`'),
      unavailable: unavailableText(commandSpec('incident')),
      pullRequestOnly: pullRequestOnlyText(commandSpec('review')),
    }).toMatchInlineSnapshot(`
      {
        "pullRequestOnly": "\`/steward review [full]\` works on pull requests; comment it on one.",
        "refusal": "Steward commands need write access to acme/widgets or more; you have read access, so nothing was run. Ask a maintainer to run it, or to grant you write access.",
        "refusalWithoutAccess": "Steward commands need write access to acme/widgets or more; you have no access, so nothing was run. Ask a maintainer to run it, or to grant you write access.",
        "unavailable": "\`/steward incident\` is not available yet: Steward's router knows it, but the capability has not shipped. \`/steward help\` lists what runs today.",
        "unknownCommand": "Steward has no command \`reveiw\`. Did you mean \`/steward review\`?",
        "usage": "\`health\`: it takes no arguments, got \`x\`. Usage: \`/steward health\`",
      }
    `);
  });

  it('help lists every command with its usage', () => {
    expect(helpText()).toMatchInlineSnapshot(`
      "Steward answers these commands on the first line of a comment, from people with write access to the repository:

      | Command | What it does |
      | --- | --- |
      | \`/steward help\` | this list |
      | \`/steward review [full]\` | review the pull request: the commits since the last review, or every change with \`full\` |
      | \`/steward health\` | the code health of the changed files, before and after |
      | \`/steward hotspots\` | where hotspots are computed (they need the git history, so a workflow runs them) |
      | \`/steward config\` | the configuration in force and the files it was read from |
      | \`/steward tests\` | generate tests for the changed functions at the head commit: starts the repository’s test generation workflow, which keeps only tests that pass every time and kill a mutant or cover changed lines |
      | \`/steward mutate\` | mutation-test the changed lines at the head commit: starts the repository’s mutation workflow, whose report appears here |
      | \`/steward refactor [PATH[:FUNCTION]]\` | propose a refactoring of the worst function in the top hotspots, or of the file or function named: starts the repository’s refactoring workflow, which opens a pull request only when types, tests, the public API and a health rise prove it |
      | \`/steward incident\` | build an incident timeline _(not available yet)_ |
      | \`/steward chaos\` | run the chaos experiments for the head commit: starts the repository’s chaos workflow, whose chaos summary appears here |"
    `);
  });
});
