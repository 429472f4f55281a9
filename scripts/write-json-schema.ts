import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { JSON_SCHEMA_PATH, stewardJsonSchema } from '../src/config/json-schema.ts';

// Regenerates the committed JSON Schema from the zod schema: `node scripts/write-json-schema.ts`.
const options = (await resolveConfig(JSON_SCHEMA_PATH)) ?? {};
const text = await format(JSON.stringify(stewardJsonSchema()), {
  ...options,
  filepath: JSON_SCHEMA_PATH,
});
writeFileSync(JSON_SCHEMA_PATH, text);
process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
