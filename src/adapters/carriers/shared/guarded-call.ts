import { ErrorCode, isDomainError } from '../../../core/errors.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { RateLimiter } from './rate-limiter.js';

/** When a carrier says 429 without Retry-After, wait this long. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 10_000;

/**
 * Every carrier call goes through here: wait for the credential's rate
 * limit, go through the carrier's circuit breaker, and when the carrier
 * answers 429, pause every caller of that credential for its Retry-After.
 */
export async function guardedCall<T>(
  guards: { limiter: RateLimiter; breaker: CircuitBreaker },
  call: () => Promise<T>,
): Promise<T> {
  await guards.limiter.acquire();
  try {
    return await guards.breaker.run(call);
  } catch (error) {
    if (isDomainError(error) && error.code === ErrorCode.UpstreamRateLimited) {
      const retryAfterMs = error.details?.retryAfterMs;
      guards.limiter.backOff(typeof retryAfterMs === 'number' ? retryAfterMs : DEFAULT_RATE_LIMIT_PAUSE_MS);
    }
    throw error;
  }
}
