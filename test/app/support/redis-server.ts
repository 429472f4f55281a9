import { spawn, spawnSync } from 'node:child_process';
import { freePort } from '../../support/free-port.ts';

/** A throwaway redis-server on loopback (Debian's, from scripts/setup-system.sh). */
export interface RedisServer {
  readonly url: string;
  stop(): void;
}

const REDIS_SERVER = process.env['STEWARD_REDIS_SERVER'] ?? 'redis-server';

export async function startRedisServer(): Promise<RedisServer> {
  if (spawnSync(REDIS_SERVER, ['--version']).error) {
    throw new Error(
      `${REDIS_SERVER} is not installed: run scripts/setup-system.sh (Debian's redis-server), or point STEWARD_REDIS_SERVER at one`,
    );
  }
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}
