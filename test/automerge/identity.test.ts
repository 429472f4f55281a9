import { describe, expect, it } from 'vitest';
import { checkIdentity } from '../../src/automerge/identity.ts';
import type { CommitFacts } from '../../src/github/client.ts';

const bots = ['renovate[bot]', 'dependabot[bot]'];
const bot = { login: 'dependabot[bot]', type: 'Bot' };
const commit = (overrides: Partial<CommitFacts> = {}): CommitFacts => ({
  sha: 'a1b2c3d4e5f6',
  author: bot,
  committer: { login: 'web-flow', type: 'User' },
  verified: true,
  verificationReason: 'valid',
  message: 'Bump x',
  ...overrides,
});
const pr = { author: bot, isCrossRepository: false, commitCount: 1 };

describe('checkIdentity', () => {
  it('passes a bot PR whose every commit is the bot’s, signed by GitHub', () => {
    expect(checkIdentity(pr, [commit()], bots)).toEqual([]);
  });

  it('refuses an author who is not a configured bot, or a user named like one', () => {
    expect(
      checkIdentity({ ...pr, author: { login: 'mallory', type: 'User' } }, [], bots)[0],
    ).toMatch(/mallory is not one of/);
    expect(
      checkIdentity({ ...pr, author: { login: 'dependabot[bot]', type: 'User' } }, [], bots)[0],
    ).toMatch(/not a Bot/);
  });

  it('refuses a commit by a person on a bot PR, and an unverified one', () => {
    const problems = checkIdentity(
      { ...pr, commitCount: 3 },
      [
        commit(),
        commit({
          sha: 'bbbbbbb1',
          author: { login: 'mallory', type: 'User' },
          committer: { login: 'mallory', type: 'User' },
        }),
        commit({ sha: 'ccccccc1', verified: false, verificationReason: 'unsigned' }),
      ],
      bots,
    );
    expect(problems).toEqual([
      'commit bbbbbbb is authored by mallory, not dependabot[bot]',
      'commit bbbbbbb is committed by mallory, not dependabot[bot]',
      'commit ccccccc has no verified signature (unsigned)',
    ]);
  });

  it('refuses when not every commit could be listed', () => {
    expect(checkIdentity({ ...pr, commitCount: 300 }, [commit()], bots)[0]).toMatch(
      /300 commits, over the 250 GitHub lists: the commits past the 250th cannot be verified/,
    );
    expect(checkIdentity({ ...pr, commitCount: 2 }, [commit()], bots)[0]).toMatch(
      /2 commits, of which GitHub listed 1/,
    );
  });
});
