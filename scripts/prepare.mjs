// npm runs `prepare` on `npm ci` / `npm install` in a clone of Steward, before `npm pack` and
// `npm publish`, and when a git dependency is installed: each time, build the CLI (dist/cli), so
// `npx steward` and the packed `bin` run it. Plain JavaScript, because a production install
// (`npm ci --omit=dev`, the app's) runs this on the machine's Node, which may not strip types; it
// has no esbuild either, and needs no CLI, so it builds nothing and says so. Messages go to
// stderr: stdout is for npm's own answer (`npm pack --json`).
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('esbuild');
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND') throw error;
  console.error('prepare: dev dependencies not installed; the CLI bundle (dist/cli) is not built');
  process.exit(0);
}
const { buildCli } = await import('../build.ts');
console.error(`prepare: built ${await buildCli()}`);
