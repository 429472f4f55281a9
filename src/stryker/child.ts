import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * The Stryker process: Steward starts it with the repository as its working directory (Stryker
 * resolves everything against process.cwd()) and runs the repository's own Stryker through its
 * JavaScript API. argv: <options JSON file> <path of @stryker-mutator/core's entry>. It reports the
 * end over the IPC channel; the log goes to stdout, where the parent reads failing test names.
 */

interface StrykerModule {
  Stryker: new (options: object) => { runMutationTest(): Promise<unknown> };
}

function finish(message: object, code: number): void {
  if (process.send) process.send(message, () => process.exit(code));
  else process.exit(code);
}

const [optionsFile, corePath] = process.argv.slice(2);
if (optionsFile === undefined || corePath === undefined) {
  finish(
    { type: 'error', name: 'UsageError', message: 'usage: child.ts <options.json> <core entry>' },
    2,
  );
} else {
  try {
    const options = JSON.parse(readFileSync(optionsFile, 'utf8')) as object;
    const { Stryker } = (await import(pathToFileURL(corePath).href)) as StrykerModule;
    await new Stryker(options).runMutationTest();
    finish({ type: 'done' }, 0);
  } catch (error: unknown) {
    const { name, message } =
      error instanceof Error ? error : { name: 'Error', message: String(error) };
    finish({ type: 'error', name, message }, 1);
  }
}
