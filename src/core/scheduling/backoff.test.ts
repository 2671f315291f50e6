import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { addMs, backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it.each([
    [1, 0, 500],
    [1, 0.999_999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [10, 0, 30_000],
    [50, 0.999_999, 60_000],
  ])('should give attempt %i with random %f a delay of %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, random, policy)).toBe(expected);
  });

  it('should stay within half and all of the capped exponential ceiling for any attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const delay = backoffDelayMs(attempt, random, policy);
        const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
        return delay >= ceiling / 2 && delay <= ceiling;
      }),
    );
  });

  it('should never shrink as attempts grow for the same random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.99, noNaN: true }), (attempt, random) => {
        return backoffDelayMs(attempt + 1, random, policy) >= backoffDelayMs(attempt, random, policy);
      }),
    );
  });
});

describe('addMs', () => {
  it('should add milliseconds to an ISO instant and keep UTC', () => {
    expect(addMs('2026-11-26T23:59:59.500Z', 1500)).toBe('2026-11-27T00:00:01.000Z');
  });
});
