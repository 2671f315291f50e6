import { sql, type Kysely, type Selectable } from 'kysely';

import { addMs, backoffDelayMs, type BackoffPolicy } from '../core/scheduling/backoff.js';
import type { Database } from './database.js';
import type { DialectName } from './migrations/column-types.js';

/** Tables whose rows workers claim, and the column saying when each row is due. */
const DUE_COLUMN = {
  shipment: 'next_check_at',
  inbound_webhook: 'next_attempt_at',
  notification: 'next_attempt_at',
  store: 'next_sync_at',
  delivery_alert_scan: 'next_scan_at',
  platform_write_back: 'next_attempt_at',
} as const;
export type ClaimableTable = keyof typeof DUE_COLUMN;

export type ClaimOptions = {
  /** Unique per worker loop, e.g. `host:pid:loop:random`. */
  owner: string;
  limit: number;
  leaseMs: number;
  now: string;
};

export type FailureOutcome = 'retry' | 'dead' | 'lost';

/**
 * The one mechanism workers use to take due rows, on both databases.
 *
 * Claiming moves a row's due time to the end of its lease and stamps the
 * owner. The row thereby leaves the due range, so other claimers skip it
 * without looking at lease columns, and if the owner dies the row simply
 * becomes due again when the lease runs out. On PostgreSQL the inner select
 * takes `FOR UPDATE SKIP LOCKED`, so concurrent claimers never wait on each
 * other or take the same row; on SQLite the single writer makes the UPDATE
 * atomic. Every later write checks the owner, so a worker whose lease was
 * taken over cannot overwrite the new owner's result.
 */
// Structurally a WorkQueue; `implements` cannot be checked for a generic table.
export class WorkClaimer<T extends ClaimableTable> {
  // The table is chosen at run time, so the schema type cannot follow it; the columns used are common to every claimable table.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly #db: Kysely<any>;
  readonly #dialect: DialectName;
  readonly #name: T;
  /** Plain strings: the generic table type would defeat Kysely's inference. */
  readonly #table: string;
  readonly #due: string;

  constructor(db: Kysely<Database>, dialect: DialectName, table: T) {
    this.#db = db;
    this.#dialect = dialect;
    this.#name = table;
    this.#table = table;
    this.#due = DUE_COLUMN[table];
  }

  get table(): T {
    return this.#name;
  }

  get name(): string {
    return this.#name;
  }

  async claim(options: ClaimOptions): Promise<Selectable<Database[T]>[]> {
    const leaseUntil = addMs(options.now, options.leaseMs);
    let due = this.#db
      .selectFrom(this.#table)
      .select('id')
      .where(this.#due, '<=', options.now)
      .orderBy(this.#due)
      .limit(options.limit);
    if (this.#dialect === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.#db
      .updateTable(this.#table)
      .set({
        [this.#due]: leaseUntil,
        lease_owner: options.owner,
        lease_until: leaseUntil,
        attempts: sql`attempts + 1`,
      })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows as Selectable<Database[T]>[];
  }

  /**
   * Ends the claim successfully: clears the lease and the attempt count and
   * applies `changes`, which must set the next due time (or null).
   * Returns false when the lease was lost to another worker.
   */
  async complete(id: string, owner: string, changes: Record<string, unknown>): Promise<boolean> {
    const result = await this.#db
      .updateTable(this.#table)
      .set({ lease_owner: null, lease_until: null, attempts: 0, last_error: null, ...changes })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Ends the claim with a failure: due again after a backoff, or parked as
   * dead (due null, `deadChanges` applied) once `maxAttempts` is reached.
   */
  async fail(
    id: string,
    owner: string,
    error: string,
    options: {
      now: string;
      maxAttempts: number;
      backoff: BackoffPolicy;
      random?: () => number;
      deadChanges?: Record<string, unknown>;
    },
  ): Promise<FailureOutcome> {
    const row = await this.#db
      .selectFrom(this.#table)
      .select(['attempts'])
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (!row) return 'lost';
    const attempts = Number(row.attempts);
    const message = error.slice(0, 2000);
    if (attempts >= options.maxAttempts) {
      const result = await this.#db
        .updateTable(this.#table)
        .set({ ...options.deadChanges, [this.#due]: null, lease_owner: null, lease_until: null, last_error: message })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? 'dead' : 'lost';
    }
    const delay = backoffDelayMs(attempts, (options.random ?? Math.random)(), options.backoff);
    const result = await this.#db
      .updateTable(this.#table)
      .set({ [this.#due]: addMs(options.now, delay), lease_owner: null, lease_until: null, last_error: message })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? 'retry' : 'lost';
  }

  /**
   * Gives rows back without counting an attempt, due at once (graceful
   * shutdown: another worker should not wait for the lease to run out).
   */
  async release(owner: string, now: string, ids?: string[]): Promise<number> {
    let query = this.#db
      .updateTable(this.#table)
      .set({
        [this.#due]: now,
        lease_owner: null,
        lease_until: null,
        attempts: sql`case when attempts > 0 then attempts - 1 else 0 end`,
      })
      .where('lease_owner', '=', owner);
    if (ids) {
      if (ids.length === 0) return 0;
      query = query.where('id', 'in', ids);
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Rows due now (queue depth), for metrics. */
  async countDue(now: string): Promise<number> {
    const row = await this.#db
      .selectFrom(this.#table)
      .select(sql<number>`count(*)`.as('count'))
      .where(this.#due, '<=', now)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
