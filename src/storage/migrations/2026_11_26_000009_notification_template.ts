import type { Kysely, Migration } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/**
 * Stores' own message templates, and the outbound webhook delivery log.
 *
 * `notification` records one outcome per message (state, attempts, last
 * error); it cannot say which endpoint answered what, when or how fast, nor
 * keep what was sent for a replay. `webhook_delivery` adds one row per
 * attempt per endpoint.
 */
export function notificationTemplate(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('notification_template')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('milestone', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('html', 'text')
        .addColumn('text_body', 'text')
        .addColumn('sms_body', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('notification_template_key_uq', ['store_id', 'milestone', 'channel', 'locale'])
        .execute();

      await db.schema
        .createTable('webhook_delivery')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('endpoint_id', t.id, (c) => c.notNull().references('webhook_endpoint.id').onDelete('cascade'))
        .addColumn('notification_id', t.id, (c) => c.references('notification.id').onDelete('set null'))
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('replay_of', t.id)
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response_ms', 'integer')
        .addColumn('error', 'text')
        .addColumn('attempted_at', t.instant, (c) => c.notNull())
        .addColumn('completed_at', t.instant)
        .execute();
      // The log page: one endpoint's deliveries, newest first (ids are time-ordered).
      await db.schema
        .createIndex('webhook_delivery_endpoint_idx')
        .on('webhook_delivery')
        .columns(['endpoint_id', 'id'])
        .execute();
      // Attempt numbering and "which endpoints already have this message".
      await db.schema
        .createIndex('webhook_delivery_message_idx')
        .on('webhook_delivery')
        .columns(['message_id', 'endpoint_id'])
        .execute();
      await db.schema
        .createIndex('webhook_delivery_notification_idx')
        .on('webhook_delivery')
        .column('notification_id')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('webhook_delivery').execute();
      await db.schema.dropTable('notification_template').execute();
    },
  };
}
