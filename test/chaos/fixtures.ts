import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A recorded object file of test/chaos/fixtures, as the action would read it. */
export function fixture(name: string): { source: string; text: string } {
  return { source: name, text: readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8') };
}
