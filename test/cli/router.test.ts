import { describe, expect, it } from 'vitest';
import { UsageError, parseCommandArgs } from '../../src/cli/command.ts';
import type { Command, CommandCode, CommandEntry } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/router.ts';
import { memoryIO } from './memory-io.ts';

const calls: (readonly string[])[] = [];

const greetCode: CommandCode = {
  usage: 'Usage: steward greet [--loud] NAME\n',
  async run(argv, io) {
    calls.push(argv);
    const { values, positionals } = parseCommandArgs(argv, {
      options: { loud: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('expected one NAME');
    io.stdout(`${values.loud ? 'HELLO' : 'hello'} ${positionals[0]}\n`);
    return 0;
  },
};
const greet: Command = { name: 'greet', summary: 'Say hello', load: async () => greetCode };

const commands: CommandEntry[] = [
  greet,
  {
    name: 'config',
    summary: 'Config things',
    subcommands: [{ ...greet, name: 'check', summary: 'Check it' }],
  },
];

async function run(...argv: string[]) {
  const io = memoryIO('/');
  const code = await runCli(argv, io, { commands, version: '1.2.3' });
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('runCli', () => {
  it.each([[[]], [['--help']], [['-h']]])('lists the commands for %j', async (argv: string[]) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Usage: steward <command>');
    expect(stdout).toContain('\n  greet   Say hello\n  config  Config things\n');
  });

  it('prints the version', async () => {
    expect(await run('--version')).toEqual({ code: 0, stdout: '1.2.3\n', stderr: '' });
  });

  it('runs a command with the arguments after its name', async () => {
    calls.length = 0;
    expect(await run('greet', '--loud', 'world')).toEqual({
      code: 0,
      stdout: 'HELLO world\n',
      stderr: '',
    });
    expect(calls).toEqual([['--loud', 'world']]);
  });

  it("shows a command's usage for --help wherever it appears, without running it", async () => {
    calls.length = 0;
    for (const argv of [
      ['greet', '--help'],
      ['greet', 'world', '-h'],
    ]) {
      expect(await run(...argv)).toEqual({ code: 0, stdout: greetCode.usage, stderr: '' });
    }
    expect(calls).toEqual([]);
  });

  it('passes --help after -- to the command as an argument', async () => {
    expect((await run('greet', '--', '--help')).stdout).toBe('hello --help\n');
  });

  it('names an unknown command, suggests the nearest and exits 2', async () => {
    const { code, stdout, stderr } = await run('gret', 'world');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('steward: unknown command "gret". Did you mean "greet"?');
    expect(stderr).toContain('Run "steward --help"');
  });

  it('does not guess when no command is close', async () => {
    const { code, stderr } = await run('deploy');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "deploy".\n');
  });

  it('rejects an unknown global option with exit 2', async () => {
    const { code, stderr } = await run('--verbose', 'greet');
    expect(code).toBe(2);
    expect(stderr).toContain("steward: Unknown option '--verbose'");
  });

  it('turns bad command arguments into a usage error with exit 2', async () => {
    const unknownOption = await run('greet', '--quiet', 'x');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe(
      'steward greet: Unknown option \'--quiet\'\nRun "steward greet --help" for usage.\n',
    );
    const missing = await run('greet');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('steward greet: expected one NAME');
  });

  it('routes subcommands of a group and lists them for the group', async () => {
    expect((await run('config', 'check', 'x')).stdout).toBe('hello x\n');
    const listing = await run('config');
    expect(listing.code).toBe(0);
    expect(listing.stdout).toContain('Usage: steward config <command>');
    expect(listing.stdout).toMatch(/^ {2}check {2}Check it$/m);
    const typo = await run('config', 'chek');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('steward config: unknown command "chek". Did you mean "check"?');
  });
});
