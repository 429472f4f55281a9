#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { commands } from './commands.ts';
import { terminalProgress } from './progress.ts';
import { runCli } from './router.ts';

// The only place that touches the process: streams, environment and exit code.

// V8 keeps compiled code of the modules on disk (in the OS temp dir), so later runs skip compiling
// the TypeScript parser and the rest: most of a warm run's start-up.
enableCompileCache();
const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

const progress = process.stderr.isTTY ? terminalProgress(process.stderr) : undefined;
try {
  process.exitCode = await runCli(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      cwd: process.cwd(),
      env: process.env,
      color: process.stdout.isTTY === true && !process.env['NO_COLOR'],
      ...(progress ? { progress: progress.update } : {}),
    },
    { commands, version: packageJson.version },
  );
} catch (error: unknown) {
  progress?.clear();
  process.stderr.write(
    `steward: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  progress?.clear();
}
