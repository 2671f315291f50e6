import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** Failures that say the carrier is in trouble, as opposed to our request being wrong. */
function isOutage(error: unknown): boolean {
  return (
    isDomainError(error) &&
    (error.code === ErrorCode.UpstreamUnavailable || error.code === ErrorCode.UpstreamInvalidResponse)
  );
}

/**
 * One per carrier. After `failureThreshold` outages in a row the circuit
 * opens and calls fail fast (no request leaves) for `openMs`, doubling on
 * each failed probe up to `maxOpenMs`; then one probe goes through
 * (half-open) and its result closes or reopens the circuit. Failing fast
 * keeps workers from piling onto a carrier that is down and frees them for
 * the carriers that are up.
 */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #currentOpenMs: number;
  #probing = false;

  constructor(
    private readonly options: {
      carrier: string;
      failureThreshold?: number;
      openMs?: number;
      maxOpenMs?: number;
      now?: () => number;
      onStateChange?: (state: CircuitState) => void;
    },
  ) {
    this.#currentOpenMs = options.openMs ?? 30_000;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#currentOpenMs) return 'half_open';
    return this.#state;
  }

  /** When a caller may try again, for scheduling; 0 when closed. */
  retryInMs(): number {
    return this.#state === 'open' ? Math.max(0, this.#openedAt + this.#currentOpenMs - this.#now()) : 0;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half_open' && this.#probing)) {
      throw new DomainError(
        ErrorCode.UpstreamUnavailable,
        `${this.options.carrier} circuit is open after repeated failures; retrying in ${Math.ceil(this.retryInMs() / 1000)} s`,
        {
          details: { circuit: 'open', retryAfterMs: this.retryInMs() },
        },
      );
    }
    const probing = state === 'half_open';
    if (probing) this.#probing = true;
    try {
      const result = await call();
      this.#onSuccess();
      return result;
    } catch (error) {
      if (isOutage(error)) this.#onFailure(probing);
      else if (probing) this.#onSuccess();
      throw error;
    } finally {
      if (probing) this.#probing = false;
    }
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #set(state: CircuitState): void {
    if (state !== this.#state) {
      this.#state = state;
      this.options.onStateChange?.(state);
    }
  }

  #onSuccess(): void {
    this.#failures = 0;
    this.#currentOpenMs = this.options.openMs ?? 30_000;
    this.#set('closed');
  }

  #onFailure(probing: boolean): void {
    this.#failures += 1;
    if (probing) {
      this.#currentOpenMs = Math.min(this.options.maxOpenMs ?? 10 * 60_000, this.#currentOpenMs * 2);
      this.#openedAt = this.#now();
      this.#state = 'open';
      this.options.onStateChange?.('open');
      return;
    }
    if (this.#failures >= (this.options.failureThreshold ?? 5)) {
      this.#openedAt = this.#now();
      this.#set('open');
    }
  }
}
