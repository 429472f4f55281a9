import { afterEach, describe, expect, it } from 'vitest';
import { checkReleaseAge } from '../../src/automerge/release-age.ts';
import type { DependencyChange } from '../../src/automerge/manifest-diff.ts';
import { createNpmRegistry } from '../../src/registry/npm-registry.ts';
import { startNpmRegistryFake, type NpmRegistryFake } from '../support/npm-registry-fake.ts';

const now = new Date('2026-11-23T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const change = (name: string, to: string): DependencyChange => ({
  manifest: 'package.json',
  name,
  section: 'dependencies',
  kind: 'dependencies',
  from: '^1.0.0',
  to,
  updateType: 'patch',
});

let registry: NpmRegistryFake | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

describe('release age against an npm registry', () => {
  it('passes old versions and holds young ones, for scoped packages too', async () => {
    registry = await startNpmRegistryFake();
    registry.publish('lodash', '1.0.1', hoursAgo(100));
    registry.publish('@scope/pkg', '1.0.2', hoursAgo(5));
    const changes = [change('lodash', '^1.0.1'), change('@scope/pkg', '1.0.2')];
    const times = await createNpmRegistry(registry.url).publishTimes([
      { name: 'lodash', version: '1.0.1' },
      { name: '@scope/pkg', version: '1.0.2' },
    ]);
    expect(checkReleaseAge(changes, times, 72, now)).toEqual({
      problems: [],
      young: ['@scope/pkg@1.0.2 was published 5 hours ago; the minimum release age is 3 days'],
    });
    expect(registry.requests).toContain('/@scope%2Fpkg');
  });

  it('refuses, naming the registry, when it cannot be reached or lacks the version', async () => {
    registry = await startNpmRegistryFake();
    registry.publish('lodash', '1.0.0', hoursAgo(1000));
    const missing = await createNpmRegistry(registry.url).publishTimes([
      { name: 'lodash', version: '1.0.1' },
    ]);
    expect(checkReleaseAge([change('lodash', '1.0.1')], missing, 72, now).problems[0]).toMatch(
      /lists no publish time/,
    );

    registry.failWith(503);
    const down = await createNpmRegistry(registry.url).publishTimes([
      { name: 'lodash', version: '1.0.1' },
    ]);
    expect(checkReleaseAge([change('lodash', '1.0.1')], down, 72, now).problems[0]).toMatch(
      /could not be asked \(HTTP 503\)/,
    );

    const closed = await createNpmRegistry('http://127.0.0.1:9').publishTimes([
      { name: 'lodash', version: '1.0.1' },
    ]);
    expect(checkReleaseAge([change('lodash', '1.0.1')], closed, 72, now).problems[0]).toMatch(
      /release age is unknown/,
    );
  });
});
