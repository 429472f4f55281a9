import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SUBSCRIBED_EVENTS } from '../../app/webhook-routes.ts';

const manifest = parse(readFileSync('app.yml', 'utf8')) as {
  default_events: string[];
  default_permissions: Record<string, string>;
  hook_attributes: { url: string };
};
const readme = readFileSync('README.md', 'utf8');

describe('app.yml', () => {
  it('subscribes to exactly the events the app handles', () => {
    expect([...manifest.default_events].sort()).toEqual([...SUBSCRIBED_EVENTS].sort());
  });

  it('asks for least privilege: writes only pull requests, incident issues and workflow dispatches', () => {
    expect(manifest.default_permissions).toEqual({
      metadata: 'read',
      contents: 'read',
      pull_requests: 'write',
      actions: 'write',
      checks: 'read',
      statuses: 'read',
      issues: 'write',
      deployments: 'read',
    });
    expect(manifest.hook_attributes.url).toMatch(/\/api\/github\/webhooks$/);
  });

  it('matches the registration link in the README', () => {
    const link = /https:\/\/github\.com\/settings\/apps\/new\?[^\s)`]+/.exec(readme)?.[0];
    expect(link, 'the README gives a link that registers the app').toBeDefined();
    const params = new URL(link!).searchParams;
    expect(params.getAll('events[]').sort()).toEqual([...SUBSCRIBED_EVENTS].sort());
    for (const [name, level] of Object.entries(manifest.default_permissions))
      expect(params.get(name), name).toBe(level);
  });

  it('says in the README why each permission is there', () => {
    const section = readme.slice(readme.indexOf('## The GitHub App'));
    for (const name of Object.keys(manifest.default_permissions))
      expect(section, name).toMatch(new RegExp(`\`${name}: (read|write)\``));
  });
});
