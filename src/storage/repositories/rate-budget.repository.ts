import { sql, type Kysely } from 'kysely';

import type { SharedRateBudget } from '../../core/ports/rate-budget.port.js';
import type { Database } from '../database.js';

/**
 * One atomic upsert per call: the row of (key, window) is created or its
 * count incremented, and the new count comes back — no read-then-write race
 * between workers on either database.
 */
export class RateBudgetRepository implements SharedRateBudget {
  constructor(private readonly db: Kysely<Database>) {}

  async take(key: string, windowStart: string): Promise<number> {
    const row = await this.db
      .insertInto('rate_limit_window')
      .values({ key, window_start: windowStart, calls: 1 })
      .onConflict((oc) =>
        oc.columns(['key', 'window_start']).doUpdateSet({ calls: sql<number>`rate_limit_window.calls + 1` }),
      )
      .returning('calls')
      .executeTakeFirstOrThrow();
    return Number(row.calls);
  }

  async count(key: string, windowStart: string): Promise<number> {
    const row = await this.db
      .selectFrom('rate_limit_window')
      .select('calls')
      .where('key', '=', key)
      .where('window_start', '=', windowStart)
      .executeTakeFirst();
    return row ? Number(row.calls) : 0;
  }

  async prune(before: string): Promise<number> {
    const result = await this.db.deleteFrom('rate_limit_window').where('window_start', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
