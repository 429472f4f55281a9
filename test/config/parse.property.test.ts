import { CONFIG_FILE, expectWellFormedErrors } from './config-text.ts';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/parse.ts';
import { knownKeysAt } from '../../src/settings/kit.ts';

/** Every error must point somewhere real and speak Steward's words, not zod's defaults. */
function expectWellFormed(text: string): void {
  const result = parseConfig(text, CONFIG_FILE);
  if (!result.ok) expectWellFormedErrors(text, result.errors);
}

const autoMergeKeys = knownKeysAt('auto-merge')!;
const updateTypeKeys = knownKeysAt('auto-merge.update-types')!;
const sections = knownKeysAt('')!;

/** Values a user might plausibly write, right or wrong. */
const scalar = fc.oneof(
  fc.constantFrom('squash', 'sqash', 'native', 'patch', 'minr', '3 days', '3 dayz', '12', ''),
  fc.constantFrom('renovate[bot]', 'https://registry.npmjs.org', 'ftp://x', 'yes', '__proto__'),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const key = (known: readonly string[]) =>
  fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 12 }));

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const yamlishConfig = fc.dictionary(
  key(sections),
  fc.oneof(
    value,
    fc.dictionary(
      key(autoMergeKeys),
      fc.oneof(
        value,
        fc.array(scalar, { maxLength: 4 }),
        fc.dictionary(key(updateTypeKeys), fc.array(scalar, { maxLength: 4 }), { maxKeys: 4 }),
      ),
      { maxKeys: 6 },
    ),
  ),
  { maxKeys: 5 },
);

test.prop([fc.string({ unit: 'binary', maxLength: 400 })], { numRuns: 500 })(
  'never throws on arbitrary text',
  (text) => {
    expectWellFormed(text);
  },
);

test.prop(
  [
    fc
      .array(
        fc.oneof(
          fc.constantFrom('auto-merge:', '  ', '- ', ': ', '[', ']', '{', '}', '"', "'", '\t'),
          fc.constantFrom('&a ', '*a', '? ', '---', '#', '!!str ', '\n', ',', 'bots', 'mode'),
          fc.string({ maxLength: 6 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join('')),
  ],
  { numRuns: 500 },
)('never throws on YAML-ish fragments', (text) => {
  expectWellFormed(text);
});

test.prop([yamlishConfig], { numRuns: 300 })(
  'never throws on well-formed YAML of plausible shape',
  (config) => {
    expectWellFormed(stringify(config));
  },
);

test.prop([
  fc.record(
    {
      bots: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 3 }),
      mode: fc.constantFrom('merge', 'native'),
      'merge-method': fc.constantFrom('squash', 'merge', 'rebase'),
      'update-types': fc.record(
        {
          dependencies: fc.subarray(['major', 'minor', 'patch', 'pin', 'digest']),
          'peer-dependencies': fc.subarray(['major', 'minor', 'patch', 'pin', 'digest']),
        },
        { requiredKeys: [] },
      ),
      'minimum-release-age': fc.nat({ max: 1000 }),
      'allow-skipped-checks': fc.boolean(),
    },
    { requiredKeys: [] },
  ),
])('accepts every valid auto-merge section and keeps what it says', (section) => {
  const result = parseConfig(stringify({ 'auto-merge': section }), 'steward.yml');
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  const autoMerge = result.config.autoMerge;
  if (section.bots) expect(autoMerge.bots).toEqual(section.bots);
  if (section.mode) expect(autoMerge.mode).toBe(section.mode);
  if (section['merge-method']) expect(autoMerge.mergeMethod).toBe(section['merge-method']);
  const updateTypes = section['update-types'];
  if (updateTypes?.dependencies) {
    expect(autoMerge.updateTypes.dependencies).toEqual(updateTypes.dependencies);
  }
  if (updateTypes?.['peer-dependencies']) {
    expect(autoMerge.updateTypes.peerDependencies).toEqual(updateTypes['peer-dependencies']);
  }
  if (section['minimum-release-age'] !== undefined) {
    expect(autoMerge.minimumReleaseAgeHours).toBe(section['minimum-release-age']);
  }
});
