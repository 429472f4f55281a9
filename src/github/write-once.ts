import { isRequestError } from './errors.ts';

/**
 * Octokit request options for a write that must not be repeated blindly: the retry plugin leaves
 * it alone (`retries: 0`), and `writeOnce` decides what a failure means.
 */
export const NO_BLIND_RETRY = { retries: 0 } as const;

/** Attempts at a write whose lookup found nothing after a 5xx. */
const ATTEMPTS = 3;

/**
 * GitHub sometimes does the write and still answers 5xx (or the answer never arrives). Repeating
 * the POST then writes twice: two replies to one command, two reviews. So after a 5xx the write is
 * looked for first (by its hidden marker, by its exact body), and only repeated when it is not
 * there. Anything but a 5xx is the caller's to explain.
 */
export async function writeOnce<T>(
  write: () => Promise<T>,
  lookup: () => Promise<T | null>,
  pause: (attempt: number) => Promise<void> = (attempt) =>
    new Promise((resolve) => setTimeout(resolve, 1000 * attempt * attempt)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error: unknown) {
      if (!isServerError(error) || attempt >= ATTEMPTS) throw error;
      const done = await lookup();
      if (done !== null) return done;
      await pause(attempt);
    }
  }
}

/** A 5xx from GitHub, or no answer at all (Octokit reports a network failure or timeout as 500). */
export function isServerError(error: unknown): boolean {
  return isRequestError(error) && error.status >= 500;
}
