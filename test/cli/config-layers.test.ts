import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LAYERED_SETTINGS,
  REPO_CONFIG,
  seedOrganisationLayers,
  upperLayers,
} from '../support/config-layers.ts';
import { GitRepo } from '../support/git-repo.ts';
import type { GitHubFake } from '../support/github-fake/index.ts';
import { gitHubTest } from '../support/github-world.ts';
import { steward } from './memory-io.ts';

/**
 * The CLI reads the repository's config from the top level of the checkout, wherever it runs,
 * and what the config extends from GitHub (with a token), through the same loader as the app.
 */

let repo: GitRepo | undefined;
afterEach(() => {
  repo?.dispose();
  repo = undefined;
});

function checkout(config: string): GitRepo {
  const r = new GitRepo();
  r.write('.github/steward.yml', config)
    .write('src/deep/a.ts', 'export const a = 1;\n')
    .write('src/b.ts', 'export const b = 2;\n')
    .commit('start');
  r.git('remote', 'add', 'origin', 'https://github.com/acme/widgets.git');
  return r;
}

describe('the CLI from a subdirectory', () => {
  it('checks the repository’s config, found at the top level', async () => {
    repo = checkout('review:\n  fail-on: minor\n');
    const { code, stdout } = await steward(['config', 'check'], join(repo.dir, 'src', 'deep'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✓ .*\.github\/steward\.yml is valid/);
  });

  it('runs hotspots with the repository’s settings', async () => {
    repo = checkout('hotspots:\n  exclude: [src/deep/**]\n');
    const { code, stdout, stderr } = await steward(
      ['hotspots', '--all-time', '--format', 'json'],
      join(repo.dir, 'src'),
    );
    expect(code, stderr).toBe(0);
    const paths = JSON.parse(stdout).files.map((f: { path: string }) => f.path);
    expect(paths).toContain('src/b.ts');
    expect(paths).not.toContain('src/deep/a.ts');
  });

  it('fails on the repository’s invalid config instead of ignoring it', async () => {
    repo = checkout('hotspots:\n  top: none\n');
    const { code, stderr } = await steward(['hotspots', '--all-time'], join(repo.dir, 'src'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/\.github\/steward\.yml:2:8 {2}hotspots\.top: expected a whole number/);
  });
});

describe('the CLI follows _extends and the organisation layer on GitHub', () => {
  /** acme/widgets (the checkout's origin) on the fake; its config on disk. */
  const it = gitHubTest({ token: 'ghs_cli' });

  function layered(github: GitHubFake) {
    github.addRepo({ owner: 'acme', repo: '.github', defaultBranch: 'main' });
    seedOrganisationLayers(github, 'acme');
    return { GITHUB_API_URL: github.url, GITHUB_TOKEN: github.token };
  }

  it('gives the same settings from the same files as the app and the actions', async ({
    github: { fake: github },
  }) => {
    const env = layered(github);
    repo = checkout(REPO_CONFIG);
    mkdirSync(join(repo.dir, 'src', 'deep'), { recursive: true });
    const { code, stdout, stderr } = await steward(
      ['config', 'check', '--format', 'json'],
      join(repo.dir, 'src', 'deep'),
      { env },
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.settings).toEqual(LAYERED_SETTINGS);
    expect(report.sources.slice(1)).toEqual(upperLayers('acme'));
    expect(report.sources[0]).toMatch(/\.github\/steward\.yml$/);
    expect(report.config.review.failOn).toBe('major');
    const text = await steward(['config', 'check'], repo.dir, { env });
    expect(text.stdout).toContain(
      `Read from .github/steward.yml, then ${upperLayers('acme').join(', then ')} (nearest first`,
    );
  });

  it('uses the organisation’s file when the repository has none', async ({
    github: { fake: github },
  }) => {
    const env = layered(github);
    repo = checkout('');
    repo.git('rm', '-q', '.github/steward.yml');
    const { code, stdout } = await steward(['config', 'check', '--format', 'json'], repo.dir, {
      env,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).sources).toEqual(upperLayers('acme'));
  });

  it('without a token, requests nothing and says what to set', async ({
    github: { fake: github },
  }) => {
    repo = checkout(REPO_CONFIG);
    const { code, stderr } = await steward(['config', 'check'], repo.dir, {
      env: { GITHUB_API_URL: github.url },
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      '.github/steward.yml:1:11  _extends: extends acme/.github:.github/steward.yml, which cannot be read: it is on GitHub and no GITHUB_TOKEN (or GH_TOKEN) is set',
    );
    expect(github.requests).toEqual([]);
  });

  it('says when the organisation layer was not consulted for want of a token', async ({
    github: { fake: github },
  }) => {
    repo = checkout('');
    repo.git('rm', '-q', '.github/steward.yml');
    const { code, stdout, stderr } = await steward(['config', 'check'], repo.dir, {
      env: { GITHUB_API_URL: github.url },
    });
    expect(code).toBe(0);
    expect(stdout).toBe('no .github/steward.yml; using defaults\n');
    expect(stderr).toMatch(
      /^note: the organisation's settings \(acme\/\.github:\.github\/steward\.yml\) were not consulted: it is on GitHub and no GITHUB_TOKEN/,
    );
    expect(github.requests).toEqual([]);
  });

  it('reads a file of its own repository from the checkout, with no token', async ({
    github: { fake: github },
  }) => {
    repo = checkout('_extends: widgets:config/base.yml\nreview:\n  max-comments: 2\n');
    repo.write('config/base.yml', 'review:\n  drafts: true\n');
    const { code, stdout } = await steward(['config', 'check', '--format', 'json'], repo.dir);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.sources).toEqual(['.github/steward.yml', 'config/base.yml']);
    expect(report.settings).toEqual({ review: { drafts: true, 'max-comments': 2 } });
    expect(github.requests).toEqual([]);
  });

  it.for(['r:../../../secrets.yml', '..', 'bad owner/repo'])(
    'refuses _extends: %s before any request',
    async (value, { github: { fake: github } }) => {
      const env = layered(github);
      repo = checkout(`_extends: ${JSON.stringify(value)}\n`);
      const { code, stderr } = await steward(['config', 'check'], repo.dir, { env });
      expect(code).toBe(1);
      expect(stderr).toContain(`.github/steward.yml:1:11  _extends: ${JSON.stringify(value)}`);
      expect(github.requests).toEqual([]);
    },
  );
});
