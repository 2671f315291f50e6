import type { SharedRateBudget } from '../../../core/ports/rate-budget.port.js';
import { RateLimiter } from './rate-limiter.js';

export type SharedRateLimiterOptions = {
  /** One key per credential, e.g. `ups:<hash of the client id>`. */
  key: string;
  ratePerSecond: number;
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Hears each granted call with the shared window it was counted in (metrics, tests). */
  onGranted?: (windowStart: number) => void;
};

/**
 * A credential's rate limit held across every worker process: the local
 * token bucket paces this process, and each call is also counted in a
 * database window (one second, or longer for limits below one call a
 * second, like USPS's 60 an hour) that all processes share. A call that finds
 * its window full waits for the next. If the database cannot be reached the
 * local pacing alone applies — being briefly over a carrier's budget beats
 * stopping all tracking.
 */
export class SharedRateLimiter extends RateLimiter {
  readonly #budget: SharedRateBudget;
  readonly #options: SharedRateLimiterOptions;
  readonly #windowMs: number;
  readonly #callsPerWindow: number;

  constructor(budget: SharedRateBudget, options: SharedRateLimiterOptions) {
    super({ ratePerSecond: options.ratePerSecond, burst: options.burst, now: options.now, sleep: options.sleep });
    this.#budget = budget;
    this.#options = options;
    this.#windowMs = Math.max(1000, Math.ceil(1000 / options.ratePerSecond));
    this.#callsPerWindow = Math.max(1, Math.floor((options.ratePerSecond * this.#windowMs) / 1000));
  }

  override async acquire(): Promise<void> {
    await super.acquire();
    const now = this.#options.now ?? Date.now;
    const sleep = this.#options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (;;) {
      const at = now();
      const windowStart = Math.floor(at / this.#windowMs) * this.#windowMs;
      let calls: number;
      try {
        calls = await this.#budget.take(this.#options.key, new Date(windowStart).toISOString());
      } catch {
        return;
      }
      if (calls <= this.#callsPerWindow) {
        this.#options.onGranted?.(windowStart);
        return;
      }
      await sleep(Math.max(1, windowStart + this.#windowMs - at));
    }
  }
}
