#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { commands } from './commands.ts';
import { terminalProgress } from './progress.ts';
import { runCli } from './router.ts';
import { endQuietlyOnClosedPipe } from './closed-pipe.ts';

// The only place that touches the process: streams, environment and exit code. It imports only
// the router and the list of commands; each command's code loads when that command runs.

// V8 keeps compiled code of the modules on disk (in the OS temp dir), so later runs skip compiling
// the TypeScript parser and the rest: most of a warm run's start-up. Node 20 has no compile cache.
nodeModule.enableCompileCache?.();
// Two levels up from src/cli/main.ts and from the bundle's dist/cli/main.mjs alike.
const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

// `steward … | head` closes the pipe early: stop there, quietly, with the exit code so far.
endQuietlyOnClosedPipe(process.stdout, () => process.exit());
endQuietlyOnClosedPipe(process.stderr, () => process.exit());

const progress = process.stderr.isTTY ? terminalProgress(process.stderr) : undefined;
// Whatever is written clears the progress line first, so it never runs into the report.
const writer = (stream: NodeJS.WriteStream) => (text: string) => {
  progress?.clear();
  stream.write(text);
};
try {
  process.exitCode = await runCli(
    process.argv.slice(2),
    {
      stdout: writer(process.stdout),
      stderr: writer(process.stderr),
      cwd: process.cwd(),
      env: process.env,
      color: process.stdout.isTTY === true && !process.env['NO_COLOR'],
      terminal: process.stdout.isTTY === true,
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
