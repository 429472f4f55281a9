import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/**
 * The Steward app as it runs in production: `node app/main.ts` in a child process, configured by
 * environment variables, receiving HMAC-signed webhooks over HTTP. Its JSON log lines are kept so
 * a test can wait for a delivery's outcome (handlers run after the webhook is acknowledged).
 */

/** STEWARD_APP_MAIN runs another copy of the app, e.g. a production install (`npm ci --omit=dev`). */
export const MAIN =
  process.env['STEWARD_APP_MAIN'] ??
  fileURLToPath(new URL('../../../app/main.ts', import.meta.url));
export const WEBHOOK_SECRET = 'test-webhook-secret';

/** A throwaway RSA key: the fake checks that App JWTs are well-formed, not their signature. */
export const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;

export interface LogLine {
  level: number;
  msg: string;
  delivery?: string;
  event?: string;
  outcome?: string;
  [key: string]: unknown;
}

export interface AppProcess {
  readonly url: string;
  readonly logs: readonly LogLine[];
  readonly stderr: () => string;
  /** Sends a signed webhook; returns GitHub's view of the answer: status and body. */
  send(
    name: string,
    payload: unknown,
    options?: { delivery?: string; secret?: string },
  ): Promise<{ status: number; body: string; delivery: string }>;
  /** Resolves with the log line that ends the handling of this delivery. */
  outcome(delivery: string): Promise<LogLine>;
  /** Resolves with the first log line matching. */
  waitForLog(match: (line: LogLine) => boolean, what: string): Promise<LogLine>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface AppEnv {
  GHE_HOST: string;
  [name: string]: string | undefined;
}

const WAIT_MS = 30_000;

export async function startAppProcess(env: AppEnv): Promise<AppProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'],
      APP_ID: '1',
      PRIVATE_KEY,
      WEBHOOK_SECRET,
      GHE_PROTOCOL: 'http',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch (error: unknown) {
        throw new Error(`the app wrote a line that is not JSON: ${line}`, { cause: error });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const waitForLog = (match: (line: LogLine) => boolean, what: string) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found) {
          cleanup();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`the app did not log ${what}; stderr:\n${stderr}\nlog:\n${tail(logs)}`));
      }, WAIT_MS);
      const onExit = () => {
        cleanup();
        reject(new Error(`the app exited before logging ${what}; stderr:\n${stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', onExit);
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });

  const listening = await waitForLog((l) => typeof l['port'] === 'number', 'that it listens').catch(
    (error: unknown) => {
      // Never leave an app that did not start running behind the test or bench.
      child.kill('SIGKILL');
      throw error;
    },
  );
  const url = `http://127.0.0.1:${listening['port'] as number}`;

  return {
    url,
    logs,
    stderr: () => stderr,
    async send(name, payload, options = {}) {
      const delivery = options.delivery ?? randomUUID();
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac('sha256', options.secret ?? WEBHOOK_SECRET)
        .update(body)
        .digest('hex')}`;
      const response = await fetch(`${url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': name,
          'x-github-delivery': delivery,
          'x-hub-signature-256': signature,
          'user-agent': 'GitHub-Hookshot/test',
        },
        body,
      });
      return { status: response.status, body: await response.text(), delivery };
    },
    outcome: (delivery) =>
      waitForLog(
        (l) => l.delivery === delivery && typeof l.outcome === 'string',
        `the outcome of delivery ${delivery}`,
      ),
    waitForLog,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

function tail(logs: readonly LogLine[]): string {
  return logs
    .slice(-15)
    .map((l) => JSON.stringify(l))
    .join('\n');
}

/** Runs the app's entry with `env` and resolves with its exit code and stderr (for refusals). */
export function runAppExpectingExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env['PATH'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}
