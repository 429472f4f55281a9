#!/usr/bin/env node
import * as nodeModule from 'node:module';
import { pino } from 'pino';
import { startApp } from './server.ts';
import { SettingsError, readSettings } from './settings.ts';

// The only place that touches the process: environment, signals and exit code.

// Node 20 has no compile cache; the bundle (app/dist/main.mjs) runs there too.
nodeModule.enableCompileCache?.();

let settings;
try {
  settings = readSettings(process.env);
} catch (error: unknown) {
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`steward app: ${error.message}\n`);
  process.exit(1);
}

// JSON lines on stdout: one object per event, each handler's lines carrying its delivery id.
const log = pino({
  name: 'steward-app',
  level: settings.logLevel,
  timestamp: pino.stdTimeFunctions.isoTime,
});

const app = await startApp(settings, log);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutdown requested');
    app.shutdown().then(
      (finished) => {
        log.info({ finished }, 'stopped');
        // Probot's Redis throttling keeps a connection open; the work is done, so leave.
        log.flush(() => process.exit(finished ? 0 : 1));
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        log.flush(() => process.exit(1));
      },
    );
  });
}
