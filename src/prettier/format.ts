/**
 * The project's prettier, for the test files Steward writes. Prettier's config files and plugins are
 * the repository's code (the pull request's, when it changes them), so they never load in Steward's
 * process: prettier runs in a child process with the allow-listed environment (no token, no key),
 * and what it returns must be the same code, only laid out differently.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { FormatOutcome, TestFileFormatter } from '../testgen/formatter.ts';
import { formattingOnlyProblem } from '../testgen/formatting-only.ts';
import type { SourceText } from '../testgen/types.ts';
import { untrustedEnvironment } from '../stryker/environment.ts';

export interface PrettierFormatterOptions {
  /** The repository's working tree. */
  root: string;
  /** How long prettier may take for one file before Steward keeps the text unformatted. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const CONFIG_FILES = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.json5',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.toml',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  '.prettierrc.ts',
  '.prettierrc.cts',
  '.prettierrc.mts',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
  'prettier.config.ts',
  'prettier.config.cts',
  'prettier.config.mts',
];

/** The most a child may write back (a formatted test file is far smaller). */
const MAX_OUTPUT = 16 * 1024 * 1024;

/**
 * The child: reads `{ entry, file, text, ignorePath }` from stdin, loads prettier from the
 * repository, resolves its config for the file and formats, then answers over IPC. Source text
 * run with `node -e`, so it ships inside every bundle with nothing to copy beside it.
 */
const CHILD = `
import { pathToFileURL } from 'node:url';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { entry, file, text, ignorePath } = JSON.parse(input);
const answer = (message) => new Promise((done) => process.send(message, () => done()));
try {
  const loaded = await import(pathToFileURL(entry).href);
  const prettier = typeof loaded.format === 'function' ? loaded : loaded.default;
  const info = await prettier.getFileInfo(file, { ignorePath, resolveConfig: false });
  if (info.ignored) {
    await answer({ kind: 'ignored' });
  } else {
    const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
    const formatted = await prettier.format(text, { ...config, filepath: file });
    await answer({ kind: 'formatted', text: formatted, version: String(prettier.version) });
  }
} catch (error) {
  await answer({ kind: 'failed', message: String(error instanceof Error ? error.message : error).slice(0, 2000) });
}
process.exit(0);
`;

type ChildAnswer =
  | { kind: 'formatted'; text: string; version: string }
  | { kind: 'ignored' }
  | { kind: 'failed'; message: string };

/** Whether a directory uses prettier: its package.json declares it, or it has a prettier config. */
function declaresPrettier(root: string): boolean {
  if (CONFIG_FILES.some((name) => existsSync(join(root, name)))) return true;
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    if (manifest.prettier !== undefined) return true;
    return ['dependencies', 'devDependencies'].some((field) => {
      const deps = manifest[field];
      return typeof deps === 'object' && deps !== null && 'prettier' in deps;
    });
  } catch {
    // No package.json, or one that does not parse: the project declares nothing.
    return false;
  }
}

function runChild(
  root: string,
  request: { entry: string; file: string; text: string; ignorePath: string },
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<ChildAnswer | { kind: 'crashed'; message: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
      env: untrustedEnvironment(env, { FORCE_COLOR: '0' }),
    });
    let answer: ChildAnswer | undefined;
    let log = '';
    let finished = false;
    const keep = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-4096);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (message: unknown) => {
      if (answer === undefined && isAnswer(message)) answer = message;
    });
    const timer = setTimeout(() => {
      finish({ kind: 'crashed', message: `prettier took longer than ${String(timeoutMs)} ms` });
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (outcome: ChildAnswer | { kind: 'crashed'; message: string }): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done(outcome);
    };
    child.on('error', (error) => finish({ kind: 'crashed', message: error.message }));
    child.on('close', (code) =>
      finish(
        answer ?? {
          kind: 'crashed',
          message: `prettier's process ended (exit code ${String(code)}) without an answer${log.trim() === '' ? '' : `: ${log.trim().slice(-500)}`}`,
        },
      ),
    );
    child.stdin?.on('error', () => undefined); // a child that exits before reading: its close says why
    child.stdin?.end(JSON.stringify(request));
  });
}

function isAnswer(message: unknown): message is ChildAnswer {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m.kind === 'formatted')
    return (
      typeof m.text === 'string' && m.text.length <= MAX_OUTPUT && typeof m.version === 'string'
    );
  if (m.kind === 'failed') return typeof m.message === 'string';
  return m.kind === 'ignored';
}

/**
 * The formatter for a repository: its prettier when it uses one, run on the file at its path in the
 * working tree (so its config and ignore file apply); the text unchanged, with the reason, otherwise.
 */
export function createPrettierFormatter(options: PrettierFormatterOptions): TestFileFormatter {
  const root = resolve(options.root);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env = options.env ?? process.env;
  return {
    async format(source: SourceText): Promise<FormatOutcome> {
      const { path, text } = source;
      const file = resolve(root, path);
      const inside = relative(root, file);
      if (isAbsolute(path) || inside === '' || inside.startsWith('..') || isAbsolute(inside))
        return {
          kind: 'unformatted',
          text,
          reason: `${path} is not a path inside the repository`,
        };
      // The file's directory up to the repository root: a package of a monorepo may have its own.
      const dirs: string[] = [];
      for (let dir = dirname(file); ; dir = dirname(dir)) {
        dirs.push(dir);
        if (dir === root) break;
      }
      if (!dirs.some(declaresPrettier))
        return {
          kind: 'no-formatter',
          text,
          reason: 'the project does not use prettier (no config file, not in package.json)',
        };
      const home = dirs.find((dir) =>
        existsSync(join(dir, 'node_modules', 'prettier', 'package.json')),
      );
      let entry: string;
      try {
        if (home === undefined) throw new Error('no node_modules/prettier');
        entry = createRequire(join(home, 'package.json')).resolve('prettier');
      } catch (error: unknown) {
        return {
          kind: 'no-formatter',
          text,
          reason: `the project uses prettier but it is not installed (${error instanceof Error ? error.message : String(error)}): run its install step first`,
        };
      }
      const answer = await runChild(
        root,
        { entry, file, text, ignorePath: join(root, '.prettierignore') },
        timeoutMs,
        env,
      );
      if (answer.kind === 'ignored')
        return { kind: 'unformatted', text, reason: `.prettierignore lists ${path}` };
      if (answer.kind === 'failed')
        return { kind: 'unformatted', text, reason: `prettier failed: ${answer.message}` };
      if (answer.kind === 'crashed') return { kind: 'unformatted', text, reason: answer.message };
      const problem = formattingOnlyProblem(path, text, answer.text);
      if (problem !== undefined)
        return { kind: 'unformatted', text, reason: `prettier's output was not used: ${problem}` };
      return { kind: 'formatted', text: answer.text, formatter: `prettier ${answer.version}` };
    },
  };
}
