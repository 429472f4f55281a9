import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Finding the repository's own packages (vitest, typescript, fast-check): resolved from its
 * package.json as its code would, never from Steward's node_modules unless said so.
 */

/** The package's folder (real path), or undefined when the repository does not have it. */
export function packageDir(root: string, name: string, from?: string): string | undefined {
  try {
    const require = createRequire(from ?? join(root, 'package.json'));
    return realpathSync(dirname(require.resolve(`${name}/package.json`)));
  } catch (error: unknown) {
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw error;
  }
}

/** The first target for the `import` / `node` / `default` conditions of an `exports` entry. */
function conditionTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = conditionTarget(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const condition of ['import', 'node', 'default']) {
    if (condition in conditions) {
      const found = conditionTarget(conditions[condition]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The file `import 'name'` loads from `dir` (a package folder): its ESM entry. */
export function esmEntry(dir: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    module?: unknown;
    main?: unknown;
  };
  const exported =
    typeof manifest.exports === 'object' &&
    manifest.exports !== null &&
    !Array.isArray(manifest.exports) &&
    Object.keys(manifest.exports).some((key) => key.startsWith('.'))
      ? (manifest.exports as Record<string, unknown>)['.']
      : manifest.exports;
  const target =
    conditionTarget(exported) ?? (typeof manifest.main === 'string' ? manifest.main : 'index.js');
  const file = join(dir, target);
  return existsSync(file) ? file : undefined;
}
