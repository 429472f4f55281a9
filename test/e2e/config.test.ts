import { describe, expect } from 'vitest';
import {
  LAYERED_SETTINGS,
  REPO_CONFIG,
  seedOrganisationLayers,
  upperLayers,
  yamlBlock,
} from '../support/config-layers.ts';
import { NUMBER, OWNER, REPO } from './review-scenario.ts';
import { autoMergeTest, reviewTest } from './scenario-test.ts';

/**
 * The bundled actions read `.github/steward.yml` through the one loader: the same layers as the
 * app and the CLI, from the pull request's base branch, or from the ref the app dispatched with.
 */

const OFFLINE = { 'anthropic-api-key': '' };

function dispatch(inputs: Record<string, string>) {
  return {
    name: 'workflow_dispatch',
    payload: {
      inputs: { 'pull-request': String(NUMBER), ...inputs },
      ref: 'refs/heads/main',
      repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
    },
  };
}

describe('the actions read config through the one loader', () => {
  const it = reviewTest;

  it('gives the layered settings and names the files in the job summary', async ({ start }) => {
    const s = await start({ config: REPO_CONFIG });
    s.github.addRepo({ owner: OWNER, repo: '.github', defaultBranch: 'main' });
    seedOrganisationLayers(s.github, OWNER);
    const run = await s.run({ inputs: OFFLINE });
    // The organisation's `fail-on: major` gates the step; the repository's max-comments caps it.
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stdout).toContain('(fail-on: major)');
    expect(s.comments().length).toBeLessThanOrEqual(3);
    const files = [`${OWNER}/${REPO}:.github/steward.yml`, ...upperLayers(OWNER)];
    expect(run.summary).toContain(
      `**Configuration**: Read from ${files.map((f) => `\`${f}\``).join(', then ')} (nearest first`,
    );
    expect(run.summary).toContain('(at `main`)');
    expect(yamlBlock(run.summary)).toEqual(LAYERED_SETTINGS);
  });

  it('reads the ref the app dispatched with, not the default branch', async ({ start }) => {
    const s = await start({ config: 'review:\n  max-comments: 10\n' });
    s.github.setFileContents(OWNER, REPO, 'release', {
      '.github/steward.yml': 'review:\n  max-comments: 2\n',
    });
    const run = await s.run({ event: dispatch({ 'config-ref': 'release' }), inputs: OFFLINE });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.summary).toContain('(at `release`)');
    expect(yamlBlock(run.summary)).toEqual({ review: { 'max-comments': 2 } });
    const reads = s.github.requests.filter((r) => r.path.includes('/contents/'));
    expect(reads.map((r) => r.query['ref'])).toEqual(['release']);
  });

  it('refuses a dispatched config ref that is not a plain ref, before reading anything', async ({
    start,
  }) => {
    const s = await start();
    const run = await s.run({ event: dispatch({ 'config-ref': '../../x' }), inputs: OFFLINE });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::The dispatch\'s config ref must be a branch name or commit SHA, got "../../x"',
    );
    expect(s.github.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
  });

  it('fails on a hostile _extends, naming the value by line, and requests nothing it names', async ({
    start,
  }) => {
    const s = await start({ config: '_extends: "r:../../../secrets.yml"\n' });
    const run = await s.run({ inputs: OFFLINE });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error::the Steward config has 1 error:%0Aacme\/widgets:\.github\/steward\.yml:1:11 {2}_extends: "r:\.\.\/\.\.\/\.\.\/secrets\.yml" has a "\." or "\.\." in its path/,
    );
    expect(run.summary).toContain('**Configuration is invalid**');
    const reads = s.github.requests.filter((r) => r.path.includes('/contents/'));
    expect(reads.map((r) => r.path)).toEqual([
      `/repos/${OWNER}/${REPO}/contents/.github%2Fsteward.yml`,
    ]);
  });
});

describe('auto-merge reads the same layers', () => {
  const it = autoMergeTest;

  it("applies the organisation's bots and names the files", async ({ start }) => {
    const s = await start({ bot: 'dependabot[bot]' });
    s.github.addRepo({ owner: OWNER, repo: '.github', defaultBranch: 'main' });
    seedOrganisationLayers(s.github, OWNER);
    s.github.setFileContents(OWNER, REPO, 'main', {
      '.github/steward.yml': `_extends: .github\nauto-merge:\n  registry: ${s.registry.url}\n`,
    });
    const run = await s.run();
    expect(run.outputs['decision'], run.stdout).toBe('refused');
    expect(run.outputs['reason']).toContain('dependabot[bot]');
    const files = [`${OWNER}/${REPO}:.github/steward.yml`, ...upperLayers(OWNER)];
    expect(run.summary).toContain(
      `**Configuration**: Read from ${files.map((f) => `\`${f}\``).join(', then ')} (nearest first`,
    );
    expect(yamlBlock(run.summary)).toMatchObject({ 'auto-merge': { bots: ['renovate[bot]'] } });
    expect(s.github.merges).toEqual([]);
  });
});
