/** Requests in a window above which the server counts as busy: 500 a second. */
export const BUSY_REQUESTS_PER_WINDOW = 50;
const WINDOW_MS = 100;

/**
 * How hard the HTTP server is being asked, for background work in the same
 * process to step back (`jobs/pacing.ts`). Counts requests started in fixed
 * 100 ms windows; busy when the current or the previous window reached the
 * threshold. One comparison and one addition per request.
 */
export class RequestPressure {
  #windowStart = 0;
  #current = 0;
  #previous = 0;

  constructor(
    private readonly threshold = BUSY_REQUESTS_PER_WINDOW,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  record(): void {
    this.#roll();
    this.#current += 1;
  }

  isBusy(): boolean {
    this.#roll();
    return this.#current >= this.threshold || this.#previous >= this.threshold;
  }

  #roll(): void {
    const now = this.monotonicMs();
    const elapsed = now - this.#windowStart;
    if (elapsed < WINDOW_MS) return;
    // One window on: the current becomes the previous; more than one: both are empty.
    this.#previous = elapsed < 2 * WINDOW_MS ? this.#current : 0;
    this.#current = 0;
    this.#windowStart = now - (elapsed % WINDOW_MS);
  }
}
