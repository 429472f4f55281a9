import { parse } from 'yaml';
import type { GitHubFake } from './github-fake/index.ts';

/**
 * One `.github/steward.yml` that extends the organisation's `.github` repository, which extends a
 * file in a third repository: the same layers read through every face (the CLI, the actions, the
 * app) must give the same settings, from the same files, in the same order.
 */
export const REPO_CONFIG = [
  '_extends: .github',
  'review:',
  '  max-comments: 3',
  '  exclude: [generated/**]',
  'hotspots:',
  '  top: 7',
  '',
].join('\n');

export const ORG_CONFIG = [
  '_extends: shared:steward/base.yml',
  'review:',
  '  max-comments: 9',
  '  fail-on: major',
  '  exclude: [vendor/**, dist/**]',
  'auto-merge:',
  "  bots: ['renovate[bot]']",
  '',
].join('\n');

export const BASE_CONFIG = [
  'review:',
  '  drafts: true',
  '  max-comments: 1',
  'hotspots:',
  '  health-floor: 5',
  '',
].join('\n');

/** The settings the three files give together: nearest first, a nearer list replacing a farther. */
export const LAYERED_SETTINGS = {
  review: { drafts: true, 'max-comments': 3, 'fail-on': 'major', exclude: ['generated/**'] },
  hotspots: { 'health-floor': 5, top: 7 },
  'auto-merge': { bots: ['renovate[bot]'] },
};

/** The files after the repository's own, as every face names them. */
export function upperLayers(owner: string): string[] {
  return [`${owner}/.github:.github/steward.yml`, `${owner}/shared:steward/base.yml`];
}

/**
 * Seeds the organisation's `.github` repository and the shared one; the repository's own file is
 * the test's (the CLI has it on disk). The `.github` repository must exist.
 */
export function seedOrganisationLayers(github: GitHubFake, owner: string): void {
  github.addRepo({ owner, repo: 'shared', defaultBranch: 'main' });
  github.setFileContents(owner, '.github', 'main', { '.github/steward.yml': ORG_CONFIG });
  github.setFileContents(owner, 'shared', 'main', { 'steward/base.yml': BASE_CONFIG });
}

/** The YAML of the first ```yaml block of a comment or summary. */
export function yamlBlock(markdown: string): unknown {
  const match = /```yaml\n([\s\S]*?)\n```/.exec(markdown);
  if (!match) throw new Error(`no yaml block in:\n${markdown}`);
  return parse(match[1]!);
}
