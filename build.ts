/**
 * The one bundler configuration: each action's entry becomes one committed ESM file, so
 * `uses: OWNER/steward/actions/<name>@<sha>` runs with no install step. The test suite rebuilds
 * into a temp directory and fails when a committed bundle differs.
 */
import { build } from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const ACTIONS_DIR = 'actions';

export function actionNames(root = '.'): string[] {
  return readdirSync(join(root, ACTIONS_DIR)).filter((name) =>
    existsSync(join(root, ACTIONS_DIR, name, 'main.ts')),
  );
}

export async function buildActions(root = '.', outRoot = root): Promise<string[]> {
  const outputs: string[] = [];
  for (const name of actionNames(root)) {
    const outfile = join(outRoot, ACTIONS_DIR, name, 'dist', 'index.mjs');
    await build({
      entryPoints: [join(root, ACTIONS_DIR, name, 'main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      minify: false,
      legalComments: 'eof',
      // CommonJS dependencies call require() and read __filename / __dirname (TypeScript's sys
      // does at load); ESM output has none of them, so the banner defines them.
      banner: {
        js: [
          "import { createRequire as __stewardCreateRequire } from 'node:module';",
          "import { dirname as __stewardDirname } from 'node:path';",
          "import { fileURLToPath as __stewardFileURLToPath } from 'node:url';",
          'const require = __stewardCreateRequire(import.meta.url);',
          'const __filename = __stewardFileURLToPath(import.meta.url);',
          'const __dirname = __stewardDirname(__filename);',
        ].join('\n'),
      },
      logLevel: 'warning',
      absWorkingDir: join(process.cwd(), root),
    });
    outputs.push(outfile);
  }
  return outputs;
}

if (import.meta.main) {
  const outputs = await buildActions();
  for (const file of outputs) console.log(`built ${file}`);
}
