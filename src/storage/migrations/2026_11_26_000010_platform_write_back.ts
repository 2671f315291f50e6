import { sql, type Kysely, type Migration } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/**
 * Write-back to the selling platform: the per-store opt-in, and an outbox of
 * shipment news to post (one row per status change, planned in the
 * transaction that made it, claimed by a worker like the notification outbox).
 */
export function platformWriteBack(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('store')
        .addColumn('platform_write_back', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('platform_write_back')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('shipment_id', t.id, (c) => c.notNull().references('shipment.id').onDelete('cascade'))
        .addColumn('shipment_external_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('news', 'text', (c) => c.notNull())
        .addColumn('happened_at', t.instant, (c) => c.notNull())
        .addColumn('platform_event_id', 'text')
        .addColumn('platform_status', 'text')
        .addColumn('posted_at', t.instant)
        .addColumn('next_attempt_at', t.instant)
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.instant)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('platform_write_back_due_idx')
        .on('platform_write_back')
        .column('next_attempt_at')
        .where(sql.ref('next_attempt_at'), 'is not', null)
        .execute();
      // "Was a later event of this fulfilment already posted?" is asked before every post.
      await db.schema
        .createIndex('platform_write_back_fulfilment_idx')
        .on('platform_write_back')
        .columns(['store_id', 'shipment_external_id', 'happened_at'])
        .execute();
      await db.schema
        .createIndex('platform_write_back_shipment_idx')
        .on('platform_write_back')
        .columns(['shipment_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('platform_write_back').execute();
      await db.schema.alterTable('store').dropColumn('platform_write_back').execute();
    },
  };
}
