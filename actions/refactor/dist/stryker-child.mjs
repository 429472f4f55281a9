import { createRequire as __stewardCreateRequire } from 'node:module';
import { dirname as __stewardDirname } from 'node:path';
import { fileURLToPath as __stewardFileURLToPath } from 'node:url';
const require = __stewardCreateRequire(import.meta.url);
const __filename = __stewardFileURLToPath(import.meta.url);
const __dirname = __stewardDirname(__filename);

// src/stryker/child.ts
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
function finish(message, code) {
  if (process.send) process.send(message, () => process.exit(code));
  else process.exit(code);
}
var [optionsFile, corePath] = process.argv.slice(2);
if (optionsFile === void 0 || corePath === void 0) {
  finish(
    { type: "error", name: "UsageError", message: "usage: child.ts <options.json> <core entry>" },
    2
  );
} else {
  try {
    const options = JSON.parse(readFileSync(optionsFile, "utf8"));
    const { Stryker } = await import(pathToFileURL(corePath).href);
    await new Stryker(options).runMutationTest();
    finish({ type: "done" }, 0);
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
    finish({ type: "error", name, message }, 1);
  }
}
