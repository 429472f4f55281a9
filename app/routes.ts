import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppMetrics } from './metrics.ts';

export interface RouteState {
  metrics: AppMetrics;
  /** True once a shutdown began: load balancers should stop sending webhooks here. */
  draining(): boolean;
  running(): number;
}

/** `/healthz` and `/metrics`, as a Probot handler (returns true when it answered). */
export function operationalRoutes(state: RouteState) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/healthz') {
      const draining = state.draining();
      res.writeHead(draining ? 503 : 200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(
        JSON.stringify({ status: draining ? 'draining' : 'ok', handlersRunning: state.running() }),
      );
      return true;
    }
    if (path === '/metrics') {
      const text = await state.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': state.metrics.registry.contentType });
      res.end(text);
      return true;
    }
    return false;
  };
}
