import { z } from 'zod';
import { stewardConfigSchema } from './schema.ts';

/** Where the JSON Schema is published in the repository, for `# yaml-language-server: $schema=`. */
export const JSON_SCHEMA_PATH = 'schema/steward.schema.json';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema of `.github/steward.yml`, generated from the zod schema (what a user may write,
 * so the input side), for editors to validate the file as it is typed. Steward's own checks say
 * more (durations, suggestions, positions); the JSON Schema is the editor's first line.
 */
export function stewardJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(stewardConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-07',
  }) as JsonObject;
  allowEmptySections(schema);
  return {
    $schema: schema['$schema'],
    title: 'Steward configuration (.github/steward.yml)',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}

/** `review:` with nothing after it is YAML's null, which every section takes as "all defaults". */
function allowEmptySections(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  for (const value of Object.values(node)) allowEmptySections(value);
  const properties = (node as JsonObject)['properties'];
  if (properties === null || typeof properties !== 'object') return;
  for (const property of Object.values(properties as JsonObject)) {
    const section = property as JsonObject;
    if (section['type'] === 'object' && isEmptyDefault(section['default']))
      section['type'] = ['object', 'null'];
  }
}

function isEmptyDefault(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value as object).length === 0;
}
