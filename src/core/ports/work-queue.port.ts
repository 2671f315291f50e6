import type { BackoffPolicy } from '../scheduling/backoff.js';

/**
 * A table of due rows that workers lease. Implemented once in storage for
 * every claimable table (shipments to refresh, inbox rows, outbox rows).
 */
export interface WorkQueue<Row extends { id: string; attempts: number }> {
  readonly name: string;
  /** Leases up to `limit` due rows to `owner` until `now + leaseMs`. */
  claim(options: { owner: string; limit: number; leaseMs: number; now: string }): Promise<Row[]>;
  /** Ends a lease successfully, applying `changes` (which set the next due time or null). False when the lease was lost. */
  complete(id: string, owner: string, changes: Record<string, unknown>): Promise<boolean>;
  /** Ends a lease with a failure: due again after a backoff, or parked as dead after `maxAttempts`. */
  fail(
    id: string,
    owner: string,
    error: string,
    options: { now: string; maxAttempts: number; backoff: BackoffPolicy; deadChanges?: Record<string, unknown> },
  ): Promise<'retry' | 'dead' | 'lost'>;
  /** Gives leased rows back, due at once, without counting an attempt. */
  release(owner: string, now: string, ids?: string[]): Promise<number>;
  countDue(now: string): Promise<number>;
}
