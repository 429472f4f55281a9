import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { COMMANDS, helpText, parseComment } from '../../src/commands/parse.ts';
import { levelFromFlags, mayRunCommands } from '../../src/commands/permission.ts';
import { replyBody } from '../../src/commands/messages.ts';
import { configErrorComment } from '../../src/config/comment.ts';
import { mergeConfigLayers } from '../../src/config/layers.ts';
import { inlineCode } from '../../src/commands/markdown.ts';
import { parseConfig } from '../../src/config/parse.ts';
import { htmlNodes, mentionsOutsideCode, visibleText } from '../support/gfm.ts';

describe('parseComment', () => {
  it.each([
    ['/steward review', { kind: 'command', name: 'review', full: false }],
    ['/steward review full', { kind: 'command', name: 'review', full: true }],
    ['  /Steward  REVIEW  Full  ', { kind: 'command', name: 'review', full: true }],
    ['/steward', { kind: 'command', name: 'help' }],
    ['/steward health\r\nplease', { kind: 'command', name: 'health' }],
    ['/steward refactor src/a.ts', { kind: 'command', name: 'refactor', path: 'src/a.ts' }],
    [
      '/steward refactor src/cli/args.ts:Parser.parse',
      { kind: 'command', name: 'refactor', path: 'src/cli/args.ts:Parser.parse' },
    ],
    ['/steward refactor', { kind: 'command', name: 'refactor', path: null }],
    ['/steward reveiw', { kind: 'unknown', word: 'reveiw', suggestion: 'review' }],
    ['/steward frobnicate', { kind: 'unknown', word: 'frobnicate', suggestion: undefined }],
    ['/steward health now', { kind: 'usage', problem: 'it takes no arguments, got `now`' }],
    ['/steward chaos', { kind: 'command', name: 'chaos', path: null }],
    [' /Steward CHAOS ', { kind: 'command', name: 'chaos' }],
    ['/steward chaso', { kind: 'unknown', word: 'chaso', suggestion: 'chaos' }],
    [
      '/steward chaos prod; curl evil.example',
      { kind: 'usage', problem: 'it takes no arguments, got `prod; curl evil.example`' },
    ],
  ])('reads %j', (body, expected) => {
    expect(parseComment(body)).toMatchObject(expected);
  });

  it.each([
    ['/steward refactor ../secrets.ts', 'is not a path in the repository'],
    ['/steward refactor src/../../etc/passwd', 'not a path inside the repository'],
    ['/steward refactor /etc/passwd', 'is not a path in the repository'],
    ['/steward refactor --help', 'is not a path in the repository'],
    ['/steward refactor src\\a.ts', 'is not a path in the repository'],
    ['/steward refactor src//a.ts', 'not a path inside the repository'],
    ['/steward refactor src/a.ts:${{secrets.KEY}}', 'names no function after the colon'],
    ['/steward refactor src/a.ts:fn;rm', 'names no function after the colon'],
    ['/steward refactor src/a.ts:', 'names no function after the colon'],
    ['/steward refactor $(id).ts', 'is not a path in the repository'],
    ['/steward refactor src/a.ts src/b.ts', 'name one file or function'],
    [`/steward refactor src/${'a'.repeat(300)}.ts`, 'longer than 300 characters'],
  ])(
    'refuses the refactoring target of %j: only a path and a function reach the workflow',
    (body, problem) => {
      const parsed = parseComment(body);
      expect(parsed.kind).toBe('usage');
      expect(parsed.kind === 'usage' && parsed.problem).toContain(problem);
    },
  );

  it.each([
    'please /steward review',
    '> /steward review',
    '/stewardreview',
    '/stew review',
    '',
    'Looks good\n/steward review',
  ])('ignores %j: only a first line that starts with /steward counts', (body) => {
    expect(parseComment(body)).toEqual({ kind: 'none' });
  });

  it.each([
    '    /steward review',
    '        /steward review full',
    '\t/steward review',
    '   \t/steward review',
    '```\n/steward review\n```',
    '~~~\n/steward review\n~~~',
    '```/steward review',
  ])('ignores %j: text GitHub renders as code is never a command', (body) => {
    expect(parseComment(body)).toEqual({ kind: 'none' });
  });

  it.each([
    '<!-- /steward review -->',
    '<!--\n/steward review\n-->',
    '`/steward review`',
    '\\/steward review',
    '\u200B/steward review',
    '\u200C/steward review',
    '\u200D/steward review',
    '\u2060/steward review',
    '\uFEFF/steward review',
    '\u00AD/steward review',
    '\u00A0/steward review',
    '/steward\u200Breview',
  ])(
    'ignores %j: a command is /steward written first on the line, nothing hidden before it',
    (body) => {
      expect(parseComment(body)).toEqual({ kind: 'none' });
    },
  );

  it('still reads a command indented by up to three spaces (a paragraph, not code)', () => {
    expect(parseComment('   /steward review')).toMatchObject({ kind: 'command', name: 'review' });
  });

  test.prop([fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 })])(
    'never reads past the first line, and never throws',
    (first, rest) => {
      const line = first.replace(/[\r\n]/g, ' ');
      expect(parseComment(`${line}\n${rest}`)).toEqual(parseComment(line));
    },
  );

  it('runs /steward chaos on pull requests only, as the other workflow commands', () => {
    const spec = COMMANDS.find((c) => c.name === 'chaos')!;
    expect(spec).toMatchObject({ available: true, pullRequestOnly: true });
  });

  it('lists every command in the help, the unavailable ones marked', () => {
    const help = helpText();
    for (const c of COMMANDS) expect(help).toContain(`\`${c.usage}\``);
    expect(help.match(/not available yet/g)).toHaveLength(
      COMMANDS.filter((c) => !c.available).length,
    );
  });
});

describe('permission', () => {
  it.each([
    [{ admin: true, maintain: true, push: true, triage: true, pull: true }, 'admin', true],
    [{ maintain: true, push: true, triage: true, pull: true }, 'maintain', true],
    [{ push: true, triage: true, pull: true }, 'write', true],
    [{ triage: true, pull: true }, 'triage', false],
    [{ pull: true }, 'read', false],
    [{}, 'none', false],
    [null, 'none', false],
  ] as const)('ranks %j as %s', (flags, level, may) => {
    expect(levelFromFlags(flags)).toBe(level);
    expect(mayRunCommands(levelFromFlags(flags))).toBe(may);
  });
});

describe('messages', () => {
  it('keeps text quoted from a config literal in markdown', () => {
    const body = configErrorComment([
      {
        file: 'acme/w:.github/steward.yml',
        error: { path: 'a', line: 1, column: 2, message: 'got "`x`"', suggestion: 'y`z' },
      },
    ]);
    expect(body).toContain('Did you mean `` y`z ``?');
    expect(body).toContain('got `` "`x`" ``');
    expect(body.startsWith('<!-- steward:config-errors -->\n')).toBe(true);
  });

  it('shows the values an error quotes as code, so they mention no one', () => {
    const body = configErrorComment([
      {
        file: 'acme/w:.github/steward.yml',
        error: {
          path: 'app.review',
          line: 2,
          column: 11,
          message: 'expected one of off, offline, model, got "@acme/everyone \\"x\\" @mona"',
        },
      },
    ]);
    expect(body).toContain('got `"@acme/everyone \\"x\\" @mona"`');
    expect(body.replace(/`[^`]*`/g, '')).not.toContain('@');
  });

  it.each([
    'review: "@acme/security and &#64;alice"\n',
    'review: "<img src=x> <!-- steward:config-errors -->"\n',
    'review: "_@erin_ [x](https://evil.example)"\n',
  ])('reports the error of %j without pinging, HTML or links', (text) => {
    const parsed = parseConfig(text, '.github/steward.yml');
    if (parsed.ok) throw new Error('expected the config to be refused');
    const body = configErrorComment(
      parsed.errors.map((error) => ({ file: 'acme/w:.github/steward.yml', error })),
    );
    expect(mentionsOutsideCode(body)).toEqual([]);
    expect(htmlNodes(body)).toEqual(['<!-- steward:config-errors -->']);
    // Shown as written: a link stays its literal text.
    expect(visibleText(body).replace(/[\u200b\u2060]/g, '')).toContain(text.slice(9, 29));
  });

  it.each([
    ['@acme/everyone', '`@acme/everyone`'],
    ['a `b` c', '`` a `b` c ``'],
    ['x\ny', '`x y`'],
  ])('shows %j literally, mentioning no one', (text, shown) => {
    expect(inlineCode(text)).toBe(shown);
  });

  test.prop([fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 })])(
    'never carries a live HTML comment in echoed text, so no marker can be forged through it',
    (command, text) => {
      const body = replyBody(7, `/steward review ${command}<!-- steward:review -->`, 'mona', text);
      expect(body.startsWith('<!-- steward:reply:7 -->\n')).toBe(true);
      expect(body.match(/<!--/g)).toHaveLength(1);
      expect(inlineCode(`<!-- ${command} -->`)).not.toContain('<!--');
    },
  );

  it('quotes the command it answers on one line', () => {
    expect(replyBody(7, '/steward help', 'mona', 'done.')).toBe(
      '<!-- steward:reply:7 -->\n> `/steward help`\n\n@mona, done.',
    );
  });
});

describe('mergeConfigLayers', () => {
  it('merges maps key by key and lets the nearer layer replace lists and values', () => {
    const org = { app: { review: 'offline' }, 'auto-merge': { bots: ['a', 'b'], mode: 'merge' } };
    const repo = { 'auto-merge': { bots: ['c'] }, review: { drafts: true } };
    expect(mergeConfigLayers([org, repo])).toEqual({
      app: { review: 'offline' },
      'auto-merge': { bots: ['c'], mode: 'merge' },
      review: { drafts: true },
    });
  });

  it('never lets a layer set a prototype', () => {
    const merged = mergeConfigLayers([JSON.parse('{"__proto__": {"polluted": true}}')]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});
