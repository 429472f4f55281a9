import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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

const ERASE_LINE = '\u001b[2K';
const ESC = '\u001b';

/** What a terminal shows for `raw`: carriage returns, "erase line" and newlines applied. */
function screen(raw: string): string[] {
  const lines: string[] = [];
  let line = '';
  let column = 0;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '\r') column = 0;
    else if (char === '\n') {
      lines.push(line);
      line = '';
      column = 0;
    } else if (raw.startsWith(ERASE_LINE, i)) {
      line = '';
      i += ERASE_LINE.length - 1;
    } else if (char === ESC) {
      // Any other escape sequence (colours): skipped up to its final letter.
      while (i < raw.length && !/[A-Za-z]/.test(raw[i]!)) i++;
    } else {
      line = line.slice(0, column).padEnd(column) + char + line.slice(column + 1);
      column++;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

const SCRIPT = '/usr/bin/script';

describe('steward on a terminal', () => {
  it.skipIf(!existsSync(SCRIPT))(
    'clears the progress line before the report, so the two never share a line',
    () => {
      const repo = new GitRepo();
      try {
        for (let i = 0; i < 30; i++) repo.write(`m${i}.ts`, `export const v${i} = ${i};\n`);
        repo.commit('files');
        const command = [process.execPath, resolve('src/cli/main.ts'), 'hotspots', '--all-time'];
        // util-linux script(1) runs the command on a pseudo-terminal: stdout and stderr are TTYs.
        const run = spawnSync(
          SCRIPT,
          ['-qfec', command.map((a) => `'${a}'`).join(' '), '/dev/null'],
          {
            cwd: repo.dir,
            env: { ...process.env, NO_COLOR: '1' },
            encoding: 'utf8',
          },
        );
        expect(run.status, run.stderr).toBe(0);
        // The progress line was drawn…
        expect(run.stdout).toContain(`\r${ERASE_LINE}parsing `);
        // …and what stays on screen is the report and the closing note, nothing else.
        const shown = screen(run.stdout);
        expect(shown[0]).toMatch(/^Hotspots in /);
        expect(shown.filter((line) => /reading|parsing \d/.test(line))).toEqual([]);
        expect(shown.at(-1)).toMatch(/^30 files, 1 commits; parsed 30, 0 from cache/);
      } finally {
        repo.dispose();
      }
    },
  );
});
