import type { Kysely, Migration } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/** Customers who said "no more" on a channel, per store. */
export function notificationOptOut(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('notification_opt_out')
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient_key', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_opt_out_pk', ['store_id', 'channel', 'recipient_key'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('notification_opt_out').execute();
    },
  };
}
