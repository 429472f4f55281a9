import type { Logger } from 'pino';
import type { Leases } from './leases.ts';
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
  /** The installation it came through (0 for none): in-flight work is bounded per installation. */
  installation: number;
  /** What the work is (a command comment, a pull request head): claimed like the delivery id. */
  workKey?: string;
}

export interface RunnerLimits {
  /** Handlers running at once in this process. */
  maxRunning: number;
  /** Handlers running at once for one installation (its writes are serialised anyway). */
  maxPerInstallation: number;
}

/**
 * GitHub lets people redeliver a webhook for three days; a delivery is remembered that long (with
 * Redis, or as long as the in-process memory keeps it).
 */
const DELIVERY_TTL_MS = 72 * 3600_000;

/** Outcomes after which the same work may run again under another delivery id. */
const DID_NOTHING = new Set<Outcome>(['config_invalid', 'busy', 'ignored']);

/**
 * Runs each webhook's handler after the webhook has been acknowledged, so GitHub hears back in
 * milliseconds however slow the API is; remembers deliveries so a redelivery does nothing twice;
 * and keeps the running handlers so a shutdown can wait for them.
 */
export class DeliveryRunner {
  readonly #running = new Set<Promise<void>>();
  readonly #perInstallation = new Map<number, number>();
  readonly #leases: Leases;
  readonly #metrics: AppMetrics;
  readonly #limits: RunnerLimits;

  constructor(leases: Leases, metrics: AppMetrics, limits: RunnerLimits) {
    this.#leases = leases;
    this.#metrics = metrics;
    this.#limits = limits;
  }

  get running(): number {
    return this.#running.size;
  }

  /** Why a handler for this installation cannot start now (shed it), or null when it can. */
  admission(installation: number): 'handlers' | 'installation_handlers' | null {
    if (this.#running.size >= this.#limits.maxRunning) return 'handlers';
    if ((this.#perInstallation.get(installation) ?? 0) >= this.#limits.maxPerInstallation)
      return 'installation_handlers';
    return null;
  }

  /** Starts the work and returns at once; the outcome goes to the metrics and the log. */
  start(delivery: Delivery, work: () => Promise<Outcome>): void {
    const started = performance.now();
    const { installation } = delivery;
    this.#perInstallation.set(installation, (this.#perInstallation.get(installation) ?? 0) + 1);
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
        const left = (this.#perInstallation.get(installation) ?? 1) - 1;
        if (left > 0) this.#perInstallation.set(installation, left);
        else this.#perInstallation.delete(installation);
        this.#metrics.inFlight.dec();
        this.#running.delete(task);
      });
    this.#running.add(task);
  }

  async #run(delivery: Delivery, work: () => Promise<Outcome>): Promise<Outcome> {
    // The delivery id, then what the work is: the same event redelivered under a new id (GitHub's
    // "redeliver", a proxy sending twice) finds the work claimed, here or in another instance.
    const keys = [
      `delivery:${delivery.id}`,
      ...(delivery.workKey ? [`work:${delivery.workKey}`] : []),
    ];
    const held: string[] = [];
    const forget = async () => {
      for (const key of held)
        await this.#leases.release(key).catch((releaseError: unknown) => {
          delivery.log.warn({ err: releaseError }, 'cannot forget the failed delivery');
        });
    };
    try {
      for (const key of keys) {
        if (!(await this.#leases.claim(key, DELIVERY_TTL_MS))) {
          await forget();
          return 'duplicate';
        }
        held.push(key);
      }
    } catch (error: unknown) {
      delivery.log.error({ err: error }, 'cannot record the delivery (is Redis reachable?)');
      await forget();
      return 'failed';
    }
    try {
      const outcome = await work();
      // Work that did nothing (an invalid config, a head already under review) may be asked for
      // again under a new delivery id, once whatever stopped it has changed.
      if (DID_NOTHING.has(outcome) && delivery.workKey)
        await this.#leases.release(`work:${delivery.workKey}`).catch((error: unknown) => {
          delivery.log.warn({ err: error }, 'cannot release the work claim');
        });
      return outcome;
    } catch (error: unknown) {
      delivery.log.error({ err: error }, `${delivery.event} failed`);
      // Forget the delivery and its work, so redelivering it from the app's settings runs it again.
      await forget();
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
