import type { Kysely } from 'kysely';

import type { SyncCursorStore } from '../../core/ports/storage.port.js';
import type { Database } from '../database.js';

/** Where each store's incremental pull left off, per resource. */
export class SyncCursorRepository implements SyncCursorStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findCursor(storeId: string, resource: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('sync_cursor')
      .select('cursor')
      .where('store_id', '=', storeId)
      .where('resource', '=', resource)
      .executeTakeFirst();
    return row?.cursor ?? null;
  }

  async saveCursor(storeId: string, resource: string, cursor: string | null, now: string): Promise<void> {
    await this.db
      .insertInto('sync_cursor')
      .values({ store_id: storeId, resource, cursor, updated_at: now })
      .onConflict((oc) => oc.columns(['store_id', 'resource']).doUpdateSet({ cursor, updated_at: now }))
      .execute();
  }
}
