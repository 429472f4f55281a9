import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../build.ts';

/**
 * The CLI as users run it (`npx steward`: the bundle `npm ci` builds), built from this checkout's
 * sources into a temp dir that is removed when the bench exits. Benches time this, not the
 * TypeScript sources: Node strips types from a hundred source files on every start, which the
 * bundle does not, so the sources would overstate start-up.
 */
export async function builtCli(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-cli-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  copyFileSync('package.json', join(dir, 'package.json'));
  return buildCli('.', dir);
}
