import { startGitHubFake } from '../test/support/github-fake/index.ts';
import type { GitHubFake } from '../test/support/github-fake/index.ts';
import { commentPayload, pullRequestPayload } from '../test/app/support/payloads.ts';

/**
 * The webhooks an organisation's app sees, for the app benches: most comments are not commands
 * (no GitHub request), pull request events read the config (app.review off, so nothing more), and
 * a few comments are `/steward help` from a writer (reaction, permission, reply, reaction).
 * Repositories are spread over installations, each throttled on its own as GitHub limits each.
 */
export interface Traffic {
  github: GitHubFake;
  next(i: number): { name: string; payload: unknown };
}

/** Share of webhooks that are commands and pull request events; the rest are plain comments. */
const COMMAND_SHARE = 0.02;
const PULL_REQUEST_SHARE = 0.23;

export async function startTraffic(installations: number): Promise<Traffic> {
  const ids = Array.from({ length: installations }, (_, i) => i + 1);
  const github = await startGitHubFake({
    botLogin: 'steward-app[bot]',
    installationId: ids[0]!,
    moreInstallationIds: ids.slice(1),
  });
  const repos = ids.map((installationId) => {
    const target = { owner: `org${installationId}`, repo: 'service', installationId };
    github.addRepo({ owner: target.owner, repo: target.repo });
    github.addRepo({ owner: target.owner, repo: '.github' });
    github.setPermission(target.owner, target.repo, 'mona', 'write');
    const pr = github.addPullRequest({ owner: target.owner, repo: target.repo });
    return { target, number: pr.number, headSha: pr.headSha };
  });

  function next(i: number): { name: string; payload: unknown } {
    const { target, number, headSha } = repos[i % repos.length]!;
    const roll = (i * 0.6180339887) % 1;
    if (roll < COMMAND_SHARE) {
      const comment = github.addComment(target.owner, target.repo, number, '/steward help', {
        login: 'mona',
        type: 'User',
      });
      return {
        name: 'issue_comment',
        payload: commentPayload(target, {
          id: comment.id,
          issueNumber: number,
          body: '/steward help',
          login: 'mona',
        }),
      };
    }
    if (roll < COMMAND_SHARE + PULL_REQUEST_SHARE) {
      // A new head each time, as pushes bring: the same head again is work already done.
      const sha = (i.toString(16) + headSha).slice(0, 40);
      return {
        name: 'pull_request',
        payload: pullRequestPayload(target, { number, headSha: sha, action: 'synchronize' }),
      };
    }
    return {
      name: 'issue_comment',
      payload: commentPayload(target, {
        id: 1_000_000 + i,
        issueNumber: number,
        body: 'Looks good to me, thanks!',
        login: 'mona',
      }),
    };
  }
  return { github, next };
}

/** A sample from the app's /metrics; NaN when absent. */
export async function appMetric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : Number.NaN;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
