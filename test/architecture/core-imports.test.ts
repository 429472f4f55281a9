import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CORE_FOLDERS } from './core-folders.ts';

// The lint rule steward/core-imports (eslint.config.js) on snippets placed in the core: an import
// of an edge implementation, src/config or a face is an error that says what to do instead.
const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages
    .filter((message) => message.ruleId === 'steward/core-imports')
    .map((message) => message.message);
}

describe('steward/core-imports', () => {
  it.each(CORE_FOLDERS.filter((folder) => folder !== 'revision'))(
    'reports src/%s importing src/git, naming the port to take instead',
    async (folder) => {
      const messages = await lint(
        `src/${folder}/example.ts`,
        "import { runGit } from '../git/process.ts';\nexport const run = runGit;\n",
      );
      expect(messages).toEqual([
        expect.stringMatching(
          new RegExp(`^src/${folder}/example\\.ts must not import src/git: .*RevisionReader`),
        ),
      ]);
    },
  );

  it('reports imports of src/config, src/cli, actions/ and app/ from any depth, and import()', async () => {
    const messages = await lint(
      'src/hotspots/history/example.ts',
      [
        "import type { StewardConfig } from '../../config/schema.ts';",
        "export { main } from '../../cli/main.ts';",
        "import { run } from '../../../actions/review/main.ts';",
        "export * from '../../../app/leases.ts';",
        "export const later = () => import('../../git/diff.ts');",
        'export type Used = StewardConfig | typeof run;',
      ].join('\n'),
    );
    expect(messages.map((message) => /must not import (\S+):/.exec(message)?.[1])).toEqual([
      'src/config',
      'src/cli',
      'actions',
      'app',
      'src/git',
    ]);
  });

  it('keeps src/health below hotspots and review', async () => {
    const messages = await lint(
      'src/health/complexity/example.ts',
      [
        "import type { HotspotsConfig } from '../../hotspots/settings.ts';",
        "import type { ReviewResult } from '../../review/result.ts';",
        'export type Used = HotspotsConfig | ReviewResult;',
      ].join('\n'),
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^src\/health\/complexity\/example\.ts must not import src\/hotspots: code health/,
      ),
      expect.stringMatching(/must not import src\/review: code health/),
    ]);
    // Hotspots and review use health freely.
    expect(
      await lint(
        'src/hotspots/example.ts',
        "import { assessAll } from '../health/assess.ts';\nexport const a = assessAll;\n",
      ),
    ).toEqual([]);
  });

  it('allows the ports, other capabilities, and packages', async () => {
    const messages = await lint(
      'src/review/example.ts',
      [
        "import type { RevisionReader } from '../revision/reader.ts';",
        "import type { GitHubClient } from '../github/client.ts';",
        "import { assessAll } from '../health/assess.ts';",
        "import { z } from 'zod';",
        'export type Used = RevisionReader | GitHubClient | typeof assessAll | typeof z;',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });

  it('leaves the faces and edges free to import src/git', async () => {
    const code = "import { runGit } from '../git/process.ts';\nexport const run = runGit;\n";
    expect(await lint('src/cli/example.ts', code)).toEqual([]);
    expect(await lint('src/config/example.ts', code)).toEqual([]);
  });

  it('reports a core importing the prettier edge, naming the port', async () => {
    const messages = await lint(
      'src/mutation/example.ts',
      "import { createPrettierFormatter } from '../prettier/format.ts';\nexport const make = createPrettierFormatter;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^src\/mutation\/example\.ts must not import src\/prettier: .*TestFileFormatter/,
      ),
    ]);
  });

  it('reports the mutation core importing the Stryker edge, naming the port', async () => {
    const messages = await lint(
      'src/mutation/example.ts',
      "import { createStrykerRunner } from '../stryker/runner.ts';\nexport const make = createStrykerRunner;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^src\/mutation\/example\.ts must not import src\/stryker: .*MutationRunner/,
      ),
    ]);
  });
});
