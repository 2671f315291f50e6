export type BackoffPolicy = {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Upper bound for any single delay, in ms. */
  maxMs: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 6 * 60 * 60 * 1000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is
 * random, so retries of many rows that failed together (a carrier outage)
 * spread out instead of returning in lockstep, yet never come back at once.
 * `attempt` is 1 for the first retry. `random` is in [0, 1).
 */
export function backoffDelayMs(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const half = ceiling / 2;
  return Math.round(half + half * Math.min(Math.max(random, 0), 0.999_999));
}

/** Adds milliseconds to an ISO instant. */
export function addMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}
