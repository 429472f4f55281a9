import type { Logger } from 'pino';
import type { Claims } from './claims.ts';
import type { AppMetrics } from './metrics.ts';

/** What became of a webhook: the `outcome` label of steward_app_webhooks_total. */
export type Outcome =
  'handled' | 'ignored' | 'logged' | 'duplicate' | 'refused' | 'config_invalid' | 'busy' | 'failed';

export interface Delivery {
  /** X-GitHub-Delivery: the same for a redelivery of the same event. */
  id: string;
  /** `pull_request.opened`, `issue_comment.created`, `installation.created`… */
  event: string;
  log: Logger;
}

/**
 * GitHub lets people redeliver a webhook for three days; a delivery is remembered that long (with
 * Redis, or as long as the in-process memory keeps it).
 */
const DELIVERY_TTL_MS = 72 * 3600_000;

/**
 * Runs each webhook's handler after the webhook has been acknowledged, so GitHub hears back in
 * milliseconds however slow the API is; remembers deliveries so a redelivery does nothing twice;
 * and keeps the running handlers so a shutdown can wait for them.
 */
export class DeliveryRunner {
  readonly #running = new Set<Promise<void>>();
  readonly #claims: Claims;
  readonly #metrics: AppMetrics;

  constructor(claims: Claims, metrics: AppMetrics) {
    this.#claims = claims;
    this.#metrics = metrics;
  }

  get running(): number {
    return this.#running.size;
  }

  /** Starts the work and returns at once; the outcome goes to the metrics and the log. */
  start(delivery: Delivery, work: () => Promise<Outcome>): void {
    const started = performance.now();
    this.#metrics.inFlight.inc();
    const task = this.#run(delivery, work)
      .then((outcome) => {
        const seconds = (performance.now() - started) / 1000;
        this.#metrics.webhooks.inc({ event: delivery.event, outcome });
        this.#metrics.handlerSeconds.observe({ event: delivery.event, outcome }, seconds);
        delivery.log.info(
          { outcome, ms: Math.round(seconds * 1000) },
          `${delivery.event} ${outcome}`,
        );
      })
      .finally(() => {
        this.#metrics.inFlight.dec();
        this.#running.delete(task);
      });
    this.#running.add(task);
  }

  async #run(delivery: Delivery, work: () => Promise<Outcome>): Promise<Outcome> {
    const key = `delivery:${delivery.id}`;
    try {
      if (!(await this.#claims.claim(key, DELIVERY_TTL_MS))) return 'duplicate';
    } catch (error: unknown) {
      delivery.log.error({ err: error }, 'cannot record the delivery (is Redis reachable?)');
      return 'failed';
    }
    try {
      return await work();
    } catch (error: unknown) {
      delivery.log.error({ err: error }, `${delivery.event} failed`);
      // Forget the delivery, so redelivering it from the app's settings runs it again.
      await this.#claims.release(key).catch((releaseError: unknown) => {
        delivery.log.warn({ err: releaseError }, 'cannot forget the failed delivery');
      });
      return 'failed';
    }
  }

  /** Waits for every running handler, or until `timeoutMs`; true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = (async () => {
      while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
      return true as const;
    })();
    try {
      return await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
