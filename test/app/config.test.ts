import { describe, expect, it } from 'vitest';
import { MAX_COLLECTION_ITEMS, MAX_CONFIG_BYTES } from '../../src/config/limits.ts';
import {
  LAYERED_SETTINGS,
  REPO_CONFIG,
  seedOrganisationLayers,
  upperLayers,
  yamlBlock,
} from '../support/config-layers.ts';
import { sharedWorld } from './support/world.ts';
import type { Scenario } from './support/world.ts';

/** The app reads config through the one loader: layers, hostile `_extends`, oversized files. */
const world = sharedWorld();

const people = { mona: 'write' } as const;

async function outcomeOf(s: Scenario) {
  const sent = await s.pullRequestEvent('opened');
  expect(sent.status).toBe(200);
  return (await world.app.outcome(sent.delivery)).outcome;
}

function configReport(s: Scenario): string {
  const report = s.botComments().find((c) => c.body.includes('<!-- steward:config-errors -->'));
  if (!report) throw new Error(`no config report on ${s.repo}`);
  return report.body;
}

describe.concurrent('the app reads config through the one loader', () => {
  it('gives the layered settings, and names the files nearest first', async () => {
    const s = world.scenario({ owner: 'initech', config: REPO_CONFIG, people });
    seedOrganisationLayers(world.github, 'initech');
    const { sent } = await s.comment('mona', '/steward config');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments().find((c) => c.body.includes('/steward config'))!.body;
    expect(yamlBlock(reply)).toEqual(LAYERED_SETTINGS);
    const files = [`initech/${s.repo}:.github/steward.yml`, ...upperLayers('initech')];
    expect(reply).toContain(
      `Read from ${files.map((f) => `\`${f}\``).join(', then ')} (nearest first`,
    );
  });

  it('shows settings in a block no value can close, so they mention no one', async () => {
    const s = world.scenario({
      config: 'review:\n  instructions: "```\\n@acme/everyone, look"\n',
      people,
    });
    const { sent } = await s.comment('mona', '/steward config');
    expect((await world.app.outcome(sent.delivery)).outcome).toBe('handled');
    const reply = s.botComments().find((c) => c.body.includes('/steward config'))!.body;
    const fenced = /^(`{4,})yaml\n[\s\S]*?\n\1$/m.exec(reply);
    expect(fenced?.[0]).toContain('@acme/everyone, look');
    expect(reply.replace(fenced![0], '')).not.toContain('@acme');
  });

  it('reads a pull request event’s config from its base branch', async () => {
    const s = world.scenario({ config: 'app:\n  review: offline\n' });
    // The pull request head says "off"; only the base branch's file counts.
    world.github.setFileContents(s.owner, s.repo, s.headSha, {
      '.github/steward.yml': 'app:\n  review: off\n',
    });
    expect(await outcomeOf(s)).toBe('handled');
    const reads = s
      .requests()
      .filter((r) => r.path.endsWith('/contents/.github%2Fsteward.yml'))
      .map((r) => r.query['ref']);
    expect(reads).toEqual(['main']);
  });
});

describe.concurrent('a hostile _extends is refused before any request', () => {
  it.each([
    ['r:../../../secrets.yml', '`"r:../../../secrets.yml"` has a `"."` or `".."` in its path'],
    ['..', '`".."` names the repository `".."`'],
    ['acme/..', '`"acme/.."` names the repository `".."`'],
    ['-evil-/repo', '`"-evil-/repo"` names the owner `"-evil-"`'],
    ['acme/repo:/etc/steward.yml', 'has the path `"/etc/steward.yml"`'],
    ['@acme/everyone', 'names the owner `"@acme"`'],
  ])('%s', async (value, says) => {
    const s = world.scenario({ config: `_extends: ${JSON.stringify(value)}\n` });
    expect(await outcomeOf(s)).toBe('config_invalid');
    const report = configReport(s);
    expect(report).toContain(`\`acme/${s.repo}:.github/steward.yml:1:11\` \`_extends\`: `);
    expect(report).toContain(says);
    // What the config says is quoted as code: it mentions no one.
    expect(report.replace(/`[^`]*`/g, '')).not.toContain('@');
    expect(report).toContain(`Read from \`acme/${s.repo}:.github/steward.yml\`.`);
    // One read of the repository's own file; nothing the value names was asked for.
    const reads = world.github.requests.filter(
      (r) => r.method === 'GET' && r.path.includes('/contents/'),
    );
    expect(reads.filter((r) => r.path.startsWith(`/repos/acme/${s.repo}/`))).toHaveLength(1);
    expect(reads.filter((r) => /\.\.|secrets|%2E%2E/i.test(r.path))).toEqual([]);
  });
});

describe.concurrent(
  'oversized configs are refused, naming the limit, and the app stays responsive',
  () => {
    it('a 5 MB file with 100,000 exclude globs', async () => {
      const globs = Array.from(
        { length: 100_000 },
        (_, i) => `    - "vendor/third-party/package-${i}/dist/**/*.min.js"`,
      );
      const big = `hotspots:\n  exclude:\n${globs.join('\n')}\n`;
      expect(big.length).toBeGreaterThan(5_000_000);
      const s = world.scenario({ config: big });
      const sent = await s.pullRequestEvent('opened');
      const health = await fetch(`${world.app.url}/healthz`);
      expect(health.status).toBe(200);
      expect((await world.app.outcome(sent.delivery)).outcome).toBe('config_invalid');
      // Named as far as it was read: the app stops reading at the limit.
      expect(configReport(s)).toContain(
        `- \`acme/${s.repo}:.github/steward.yml\` the file is more than 64 KB, over the limit of ${MAX_CONFIG_BYTES / 1024} KB for a Steward config`,
      );
      expect((await fetch(`${world.app.url}/healthz`)).status).toBe(200);
    });

    it('a list longer than the limit', async () => {
      const items = Array.from({ length: 5000 }, (_, i) => `g${i}`).join(', ');
      const s = world.scenario({ config: `review:\n  exclude: [${items}]\n` });
      expect(await outcomeOf(s)).toBe('config_invalid');
      expect(configReport(s)).toContain(
        `\`review.exclude\`: the list has 5000 items, over the limit of ${MAX_COLLECTION_ITEMS} for a Steward config`,
      );
      expect((await fetch(`${world.app.url}/healthz`)).status).toBe(200);
    });
  },
);
