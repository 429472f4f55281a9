import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../src/cli/progress.ts';
import type { CommandIO } from '../../src/cli/command.ts';
import { commands } from '../../src/cli/commands.ts';
import { runCli } from '../../src/cli/router.ts';
import { GitRepo } from '../support/git-repo.ts';

describe('progress on a terminal', () => {
  it('rewrites one line, cut to the terminal width, and clears it at the end', () => {
    let written = '';
    const progress = terminalProgress({ write: (t) => ((written += t), true), columns: 30 });
    progress.update('reading history: 1000 commits and then some more');
    expect(written).toBe('\r\u001b[2Kreading history: 1000 commit…');
    progress.update('too soon: dropped');
    expect(written).not.toContain('too soon');
    progress.clear();
    expect(written.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('is what steward hotspots reports its phases through, and nothing when absent', async () => {
    const repo = new GitRepo();
    try {
      repo.write('a.ts', 'export const a = 1;\n').commit('one');
      const messages: string[] = [];
      let stderr = '';
      const io: CommandIO = {
        stdout: () => {},
        stderr: (t) => (stderr += t),
        cwd: repo.dir,
        color: false,
        progress: (m) => messages.push(m),
      };
      expect(await runCli(['hotspots', '--all-time'], io, { commands, version: 't' })).toBe(0);
      expect(messages.some((m) => m.startsWith('parsing 1/1'))).toBe(true);
      expect(stderr).not.toMatch(/\r/);
    } finally {
      repo.dispose();
    }
  });
});
