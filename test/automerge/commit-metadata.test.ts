import { describe, expect, it } from 'vitest';
import { changesFromCommitMetadata } from '../../src/automerge/commit-metadata.ts';

const dependabotMessage = (body: string, yaml: string) =>
  `Bump the group\n\n${body}\n\n---\nupdated-dependencies:\n${yaml}...\n\nSigned-off-by: dependabot[bot] <support@github.com>`;

describe('changesFromCommitMetadata', () => {
  it('reads each dependency with its kind, recomputing the type from the versions', () => {
    const message = dependabotMessage(
      'Updates `minimist` from 1.2.5 to 1.2.8\nUpdates `zod` from 0.9.1 to 0.10.0',
      [
        '- dependency-name: minimist',
        '  dependency-version: 1.2.8',
        '  dependency-type: indirect',
        '  update-type: version-update:semver-patch',
        '- dependency-name: zod',
        '  dependency-version: 0.10.0',
        '  dependency-type: direct:development',
        '  update-type: version-update:semver-minor',
        '',
      ].join('\n'),
    );
    expect(changesFromCommitMetadata([message])).toEqual([
      expect.objectContaining({
        name: 'minimist',
        kind: 'dependencies',
        from: '1.2.5',
        to: '1.2.8',
        updateType: 'patch',
      }),
      expect.objectContaining({
        name: 'zod',
        kind: 'devDependencies',
        from: '0.9.1',
        to: '0.10.0',
        updateType: 'major',
      }),
    ]);
  });

  it('falls back to the claimed type, counting a 0.x minor as major', () => {
    const message = dependabotMessage(
      'Bumps golang.org/x/net.',
      '- dependency-name: golang.org/x/net\n  dependency-version: 0.31.0\n  dependency-type: direct:production\n  update-type: version-update:semver-minor\n',
    );
    expect(changesFromCommitMetadata([message])[0]).toMatchObject({
      name: 'golang.org/x/net',
      updateType: 'major',
      from: '?',
    });
  });

  it('finds nothing in a message without metadata, or with broken YAML', () => {
    expect(changesFromCommitMetadata(['Update dependency lodash to v4.17.21'])).toEqual([]);
    expect(changesFromCommitMetadata(['x\n---\nupdated-dependencies: [\n...\n'])).toEqual([]);
  });
});
