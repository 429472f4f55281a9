import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * A real git repository in a temp dir, with fixed identities and dates so every mined number is
 * deterministic. Global and system git config are ignored so the machine's settings cannot leak in.
 */
export class GitRepo {
  readonly dir: string;
  private clock = Date.parse('2024-01-01T12:00:00Z');

  constructor(dir?: string, options: { bare?: boolean } = {}) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'steward-repo-'));
    mkdirSync(this.dir, { recursive: true });
    this.git('init', '-q', '-b', 'main', ...(options.bare ? ['--bare'] : []));
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: this.env(), encoding: 'utf8' });
  }

  write(path: string, content: string): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return this;
  }

  /** `git mv`, creating the target folder first. */
  move(from: string, to: string): this {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    this.git('mv', from, to);
    return this;
  }

  remove(path: string): this {
    unlinkSync(join(this.dir, path));
    return this;
  }

  /** Stages everything and commits; each commit is one hour after the last unless `date` is given. */
  commit(
    message: string,
    options: { author?: string; email?: string; date?: string } = {},
  ): string {
    this.git('add', '-A');
    this.clock = options.date ? Date.parse(options.date) : this.clock + 3_600_000;
    const date = new Date(this.clock).toISOString();
    execFileSync('git', ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], {
      cwd: this.dir,
      env: {
        ...this.env(),
        GIT_AUTHOR_NAME: options.author ?? 'Alice',
        GIT_AUTHOR_EMAIL:
          options.email ?? `${(options.author ?? 'alice').toLowerCase()}@example.com`,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Writes `lines` numbered lines, so tests know exactly how many lines a change adds or deletes. */
  lines(path: string, count: number, prefix = 'line'): this {
    return this.write(
      path,
      Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join(''),
    );
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Alice',
      GIT_AUTHOR_EMAIL: 'alice@example.com',
      GIT_COMMITTER_NAME: 'Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.com',
      GIT_COMMITTER_DATE: new Date(this.clock).toISOString(),
      GIT_AUTHOR_DATE: new Date(this.clock).toISOString(),
    };
  }
}

/**
 * Clean-up for a test file: `repo()` makes a GitRepo and `defer(fn)` registers any other disposal;
 * both run after the test that asked, so a failing test leaves no temp directory behind and no
 * test has to remember to dispose.
 */
export function disposables(): { repo: () => GitRepo; defer: (dispose: () => void) => void } {
  const pending: (() => void)[] = [];
  afterEach(() => {
    for (const dispose of pending.splice(0)) dispose();
  });
  return {
    repo: () => {
      const repo = new GitRepo();
      pending.push(() => repo.dispose());
      return repo;
    },
    defer: (dispose) => {
      pending.push(dispose);
    },
  };
}
