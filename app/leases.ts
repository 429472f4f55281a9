/**
 * Short-lived leases on a key: "this delivery is being handled", "this head is being reviewed".
 * In one process a map is enough; with REDIS_URL every instance behind the load balancer shares
 * them, so a redelivery that lands on another instance is still recognised.
 */
export interface Leases {
  /** True when this caller now holds the key; false when someone holds it already. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Leases in this process. At most `maxKeys` are kept (the oldest go first), so a busy process
 * remembers recent deliveries rather than every delivery of the last days.
 */
export function memoryLeases(maxKeys = 100_000, now: () => number = Date.now): Leases {
  const held = new Map<string, number>();
  return {
    async claim(key, ttlMs) {
      const expires = held.get(key);
      if (expires !== undefined && expires > now()) return false;
      held.delete(key);
      held.set(key, now() + ttlMs);
      if (held.size > maxKeys) held.delete(held.keys().next().value!);
      return true;
    },
    async release(key) {
      held.delete(key);
    },
    async close() {
      held.clear();
    },
  };
}

/** The few ioredis calls the leases make. */
interface RedisLike {
  set(key: string, value: string, px: 'PX', ttl: number, nx: 'NX'): Promise<'OK' | null>;
  del(key: string): Promise<number>;
  quit(): Promise<unknown>;
}

const PREFIX = 'steward:claim:';
const REDIS_COMMAND_TIMEOUT_MS = 5000;

export async function redisLeases(url: string): Promise<Leases> {
  const { Redis } = await import('ioredis');
  // A Redis that stops answering fails the claim (and its handler, with the reason) in seconds.
  const redis: RedisLike = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  return {
    async claim(key, ttlMs) {
      return (
        (await redis.set(PREFIX + key, '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK'
      );
    },
    async release(key) {
      await redis.del(PREFIX + key);
    },
    async close() {
      await redis.quit();
    },
  };
}
