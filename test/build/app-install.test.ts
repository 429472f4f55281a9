import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../build.ts';
import { PRIVATE_KEY, WEBHOOK_SECRET } from '../app/support/app-process.ts';

/**
 * The README's way to run the app, `npm ci --omit=dev && npm run app`, in a copy of what a clone
 * holds for it, on the machine's own Node (the oldest `engines` admits, when it is not the
 * suite's 24): no dev dependencies, so no TypeScript-stripping Node from the registry.
 */

/** A PATH whose first `node` is `node`, without node_modules/.bin (where the Node 24 dev dependency sits). */
function pathFor(node: string): string {
  const rest = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'));
  return [dirname(node), ...rest].join(delimiter);
}

/** The first `node` outside node_modules: what a user's shell runs. */
function machineNode(): string {
  for (const dir of pathFor(process.execPath).split(delimiter).slice(1)) {
    if (existsSync(join(dir, 'node'))) return join(dir, 'node');
  }
  return process.execPath;
}

const NODE = machineNode();
let clone: string;

beforeAll(async () => {
  clone = mkdtempSync(join(tmpdir(), 'steward-app-install-'));
  mkdirSync(join(clone, 'scripts'));
  for (const file of ['package.json', 'package-lock.json', 'scripts/prepare.mjs'])
    copyFileSync(file, join(clone, file));
  await buildApp('.', clone);
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe(`npm ci --omit=dev && npm run app, on ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}`, () => {
  it('installs nothing and serves webhooks from the bundle', async () => {
    const env = { ...process.env, PATH: pathFor(NODE) };
    execFileSync('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], {
      cwd: clone,
      env,
      stdio: 'ignore',
    });
    const modules = join(clone, 'node_modules');
    const installed = existsSync(modules)
      ? readdirSync(modules).filter((n) => !n.startsWith('.'))
      : [];
    expect(installed).toEqual([]);

    const app = spawn('npm', ['run', 'app'], {
      cwd: clone,
      env: {
        ...env,
        APP_ID: '1',
        PRIVATE_KEY,
        WEBHOOK_SECRET,
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: stopping npm stops the app it started.
      detached: true,
    });
    let stderr = '';
    app.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const closed = new Promise<void>((done) => app.once('close', () => done()));
    try {
      const port = await new Promise<number>((found, failed) => {
        let out = '';
        app.stdout.setEncoding('utf8').on('data', (text: string) => {
          out += text;
          const match = /"port":(\d+)/.exec(out);
          if (match) found(Number(match[1]));
        });
        app.once('close', (code) => failed(new Error(`npm run app exited ${code}: ${stderr}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      process.kill(-app.pid!, 'SIGTERM');
      await closed;
    }
  });
});
