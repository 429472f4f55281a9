import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_PATH, stewardJsonSchema } from '../../src/config/json-schema.ts';
import { knownKeysAt } from '../../src/settings/kit.ts';

describe('the published JSON Schema', () => {
  it('is the one the zod schema generates (run `node scripts/write-json-schema.ts` after changing it)', () => {
    const committed = JSON.parse(readFileSync(JSON_SCHEMA_PATH, 'utf8'));
    expect(committed).toEqual(stewardJsonSchema());
  });

  it('knows every key Steward accepts, _extends included, and no others', () => {
    const schema = stewardJsonSchema() as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties).sort()).toEqual([...knownKeysAt('')!].sort());
    expect(schema.properties).toHaveProperty('_extends');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties['auto-merge']!.properties!).sort()).toEqual(
      [...knownKeysAt('auto-merge')!].sort(),
    );
  });

  it('lets a section be left empty, as Steward does', () => {
    const schema = stewardJsonSchema() as { properties: Record<string, { type: unknown }> };
    expect(schema.properties['review']!.type).toEqual(['object', 'null']);
  });
});
