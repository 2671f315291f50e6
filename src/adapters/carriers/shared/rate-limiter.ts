/**
 * Token bucket for one credential: at most `ratePerSecond` calls a second on
 * average, bursts up to `burst`. `backOff` pauses every caller until the
 * carrier's Retry-After has passed.
 */
export class RateLimiter {
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;

  constructor(
    private readonly options: {
      ratePerSecond: number;
      burst?: number;
      now?: () => number;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.#tokens = this.#burst;
    this.#updatedAt = this.#now();
  }

  get #burst(): number {
    return Math.max(1, this.options.burst ?? Math.ceil(this.options.ratePerSecond));
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #sleep(ms: number): Promise<void> {
    return (this.options.sleep ?? ((wait: number) => new Promise<void>((resolve) => setTimeout(resolve, wait))))(ms);
  }

  /** Milliseconds the next caller would wait; 0 when a call may go now. */
  waitMs(): number {
    const now = this.#now();
    this.#refill(now);
    const pause = Math.max(0, this.#pausedUntil - now);
    const forToken = this.#tokens >= 1 ? 0 : ((1 - this.#tokens) / this.options.ratePerSecond) * 1000;
    return Math.max(pause, Math.ceil(forToken));
  }

  async acquire(): Promise<void> {
    for (;;) {
      const wait = this.waitMs();
      if (wait === 0) {
        this.#tokens -= 1;
        return;
      }
      await this.#sleep(wait);
    }
  }

  /** Milliseconds left of a pause the carrier asked for (`backOff`); 0 when not paused. */
  pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }

  backOff(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    this.#tokens = 0;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.options.ratePerSecond);
    this.#updatedAt = now;
  }
}
