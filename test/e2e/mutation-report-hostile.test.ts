import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { mutationTest } from './mutation-scenario.ts';

const it = mutationTest;

/**
 * The bundled mutation-report action where what it is handed is hostile: an event whose job holds
 * a write token beside untrusted code, and shard artifacts written by jobs that ran the pull
 * request's code. Neither starts Stryker, so these run in seconds.
 */

describe('actions/mutation-report, bundled, on hostile ground', () => {
  it('refuses to run the pull request’s code on pull_request_target, before anything runs or is written', async ({
    start,
  }) => {
    const s = await start();
    const event = s.event();
    const before = s.github.requests.length;
    const run = await s.runEvent({ name: 'pull_request_target', payload: event.payload });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Steward will not run the pull request's code in a job that publishes \(mode: run\): on pull_request_target/,
    );
    expect(run.stdout).toContain('persist-credentials: false');
    expect(run.stdout).not.toContain('mutating:');
    expect(existsSync(join(s.repo.dir, '.steward'))).toBe(false);
    expect(s.writesSince(before)).toEqual([]);
  });

  it('a tampered shard record fails the merge naming the field, and nothing is published', async ({
    start,
  }) => {
    const s = await start();
    const shard = join(s.repo.dir, 'artifact');
    mkdirSync(shard, { recursive: true });
    writeFileSync(
      join(shard, 'steward-shard.json'),
      JSON.stringify({
        shard: { index: 1, count: 1 },
        headSha: 'main; @octocat',
        kind: 'report',
        mutate: null,
        message: '',
        failingTests: [],
        hint: '',
        partial: false,
        reason: null,
        strykerMs: 0,
        mutantsTested: 0,
        mutantsNotRun: 0,
      }),
    );
    const before = s.github.requests.length;
    const run = await s.run({
      inputs: { mode: 'merge' },
      workspace: s.artifactsWorkspace([shard]),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error::mutation-shard-1\/steward-shard\.json at headSha: must be a full commit SHA/,
    );
    expect(s.writesSince(before)).toEqual([]);
    expect(s.summary()).toBeUndefined();
  });
});
