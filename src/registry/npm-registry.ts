import type { PublishTimeSource } from '../automerge/evaluate.ts';
import { publishKey, type PublishTimes } from '../automerge/release-age.ts';

const TIMEOUT_MS = 15_000;
/** Packuments asked for at once: a lockfile update can bring hundreds of transitive versions. */
const CONCURRENCY = 8;

/**
 * Publish times from an npm registry's packument (`time` field). One request per package, at most
 * eight at a time; any failure is recorded per version so the decision can name it.
 */
export function createNpmRegistry(
  registryUrl: string,
  fetchImpl: typeof fetch = fetch,
): PublishTimeSource {
  const base = registryUrl.replace(/\/+$/, '');
  return {
    async publishTimes(packages) {
      const times: PublishTimes = new Map();
      const byName = new Map<string, string[]>();
      for (const { name, version } of packages)
        byName.set(name, [...(byName.get(name) ?? []), version]);
      await inBatches([...byName], CONCURRENCY, async ([name, versions]) => {
        const url = `${base}/${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`;
        const result = await fetchTimes(fetchImpl, url);
        for (const version of versions) {
          if (!result.ok) {
            times.set(publishKey(name, version), {
              ok: false,
              reason: `registry ${base} could not be asked (${result.reason}), so the release age is unknown`,
            });
            continue;
          }
          const stamp = result.time[version];
          times.set(
            publishKey(name, version),
            typeof stamp === 'string' && !Number.isNaN(Date.parse(stamp))
              ? { ok: true, time: new Date(stamp) }
              : { ok: false, reason: `registry ${base} lists no publish time for this version` },
          );
        }
      });
      return times;
    },
  };
}

async function fetchTimes(
  fetchImpl: typeof fetch,
  url: string,
): Promise<{ ok: true; time: Record<string, unknown> } | { ok: false; reason: string }> {
  try {
    const response = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    const body = (await response.json()) as { time?: Record<string, unknown> };
    return { ok: true, time: body.time ?? {} };
  } catch (error: unknown) {
    const cause =
      error instanceof Error
        ? ((error.cause as Error | undefined)?.message ?? error.message)
        : String(error);
    return { ok: false, reason: cause };
  }
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(work));
  }
}
