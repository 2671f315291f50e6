import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/** Stores become claimable work: the pull sync of each store is due at `next_sync_at` and leased like any row. */
export function storeSyncSchedule(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('store').addColumn('next_sync_at', t.instant).execute();
      await db.schema.alterTable('store').addColumn('lease_owner', 'text').execute();
      await db.schema.alterTable('store').addColumn('lease_until', t.instant).execute();
      await db.schema
        .alterTable('store')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('store').addColumn('last_error', 'text').execute();
      await db.schema.alterTable('store').addColumn('last_synced_at', t.instant).execute();
      await db.schema
        .createIndex('store_sync_due_idx')
        .on('store')
        .column('next_sync_at')
        .where(sql.ref('next_sync_at'), 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('store_sync_due_idx').execute();
      for (const column of ['last_synced_at', 'last_error', 'attempts', 'lease_until', 'lease_owner', 'next_sync_at']) {
        await db.schema.alterTable('store').dropColumn(column).execute();
      }
    },
  };
}
