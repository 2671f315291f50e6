import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/** The whole model of DESIGN §1. */
export function initialMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('store')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('domain', 'text')
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('branding', 'text', (c) => c.notNull())
        .addColumn('notification_settings', 'text', (c) => c.notNull())
        .addColumn('secrets_sealed', 'text', (c) => c.notNull())
        .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sales_order')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('number_key', 'text', (c) => c.notNull())
        .addColumn('order_status', 'text', (c) => c.notNull())
        .addColumn('financial_status', 'text')
        .addColumn('platform_status', 'text', (c) => c.notNull())
        .addColumn('cancel_reason', 'text')
        .addColumn('customer_email', 'text')
        .addColumn('customer_email_key', 'text')
        .addColumn('customer_name', 'text')
        .addColumn('customer_phone', 'text')
        .addColumn('customer_language', 'text')
        .addColumn('ship_city', 'text')
        .addColumn('ship_region', 'text')
        .addColumn('ship_postal_code', 'text')
        .addColumn('ship_postal_code_key', 'text')
        .addColumn('ship_country', 'text')
        .addColumn('line_items', 'text', (c) => c.notNull())
        .addColumn('promised_delivery_date', 'text')
        .addColumn('placed_at', t.instant, (c) => c.notNull())
        .addColumn('platform_updated_at', t.instant)
        .addColumn('shipping_summary', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('sales_order_store_external_unique', ['store_id', 'external_id'])
        .execute();
      // Listing newest first within a store, and the filters the API offers.
      await db.schema
        .createIndex('sales_order_store_placed_idx')
        .on('sales_order')
        .columns(['store_id', 'placed_at', 'id'])
        .execute();
      await db.schema
        .createIndex('sales_order_store_number_idx')
        .on('sales_order')
        .columns(['store_id', 'number_key'])
        .execute();
      await db.schema
        .createIndex('sales_order_store_email_idx')
        .on('sales_order')
        .columns(['store_id', 'customer_email_key'])
        .execute();
      await db.schema
        .createIndex('sales_order_store_status_idx')
        .on('sales_order')
        .columns(['store_id', 'order_status', 'placed_at'])
        .execute();
      await db.schema
        .createIndex('sales_order_store_summary_idx')
        .on('sales_order')
        .columns(['store_id', 'shipping_summary', 'placed_at'])
        .execute();

      await db.schema
        .createTable('shipment')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('order_id', t.id, (c) => c.notNull().references('sales_order.id').onDelete('cascade'))
        .addColumn('external_id', 'text')
        .addColumn('carrier', 'text')
        .addColumn('carrier_confidence', 'text', (c) => c.notNull())
        .addColumn('tracking_number', 'text', (c) => c.notNull())
        .addColumn('service', 'text')
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('substatus', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('action_required', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('attempt_number', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tracker_state', 'text', (c) => c.notNull())
        .addColumn('carrier_edd_first', 'text')
        .addColumn('carrier_edd_latest', 'text')
        .addColumn('predicted_edd', 'text')
        .addColumn('signed_by', 'text')
        .addColumn('shipped_at', t.instant)
        .addColumn('first_scan_at', t.instant)
        .addColumn('out_for_delivery_at', t.instant)
        .addColumn('delivered_at', t.instant)
        .addColumn('exception_at', t.instant)
        .addColumn('last_event_at', t.instant)
        .addColumn('next_check_at', t.instant)
        .addColumn('platform_shipment_status', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.instant)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        // A late duplicate of a fulfilment never adds the same parcel twice.
        .addUniqueConstraint('shipment_order_tracking_unique', ['order_id', 'tracking_number'])
        .execute();
      await db.schema.createIndex('shipment_order_idx').on('shipment').column('order_id').execute();
      await db.schema
        .createIndex('shipment_store_tracking_idx')
        .on('shipment')
        .columns(['store_id', 'tracking_number'])
        .execute();
      await db.schema.createIndex('shipment_store_status_idx').on('shipment').columns(['store_id', 'status']).execute();
      // The claim query reads only due rows; the partial index keeps it flat as delivered shipments pile up.
      await db.schema
        .createIndex('shipment_due_idx')
        .on('shipment')
        .column('next_check_at')
        .where(sql.ref('next_check_at'), 'is not', null)
        .execute();

      await db.schema
        .createTable('tracking_event')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('shipment_id', t.id, (c) => c.notNull().references('shipment.id').onDelete('cascade'))
        .addColumn('occurred_at', t.instant, (c) => c.notNull())
        .addColumn('occurred_at_local', 'text')
        .addColumn('time_zone_inferred', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sequence', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('substatus', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('description', 'text')
        .addColumn('location_city', 'text')
        .addColumn('location_region', 'text')
        .addColumn('location_postal_code', 'text')
        .addColumn('location_country', 'text')
        .addColumn('raw_code', 'text')
        .addColumn('raw_status', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('received_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('tracking_event_dedupe_unique', ['shipment_id', 'dedupe_key'])
        .execute();
      await db.schema
        .createIndex('tracking_event_shipment_time_idx')
        .on('tracking_event')
        .columns(['shipment_id', 'occurred_at'])
        .execute();

      await db.schema
        .createTable('status_change')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', t.id, (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('from_value', 'text')
        .addColumn('to_value', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('cause_ref', 'text')
        .addColumn('at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('status_change_entity_idx')
        .on('status_change')
        .columns(['entity_id', 'at'])
        .execute();

      await db.schema
        .createTable('inbound_webhook')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.references('store.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('topic', 'text')
        .addColumn('provider_event_id', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('headers', 'text', (c) => c.notNull())
        .addColumn('raw_body', 'text', (c) => c.notNull())
        .addColumn('received_at', t.instant, (c) => c.notNull())
        .addColumn('next_attempt_at', t.instant)
        .addColumn('processed_at', t.instant)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.instant)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('inbound_webhook_due_idx')
        .on('inbound_webhook')
        .column('next_attempt_at')
        .where(sql.ref('next_attempt_at'), 'is not', null)
        .execute();
      await db.schema.createIndex('inbound_webhook_received_idx').on('inbound_webhook').column('received_at').execute();

      await db.schema
        .createTable('notification')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('order_id', t.id, (c) => c.references('sales_order.id').onDelete('cascade'))
        .addColumn('shipment_id', t.id, (c) => c.references('shipment.id').onDelete('cascade'))
        .addColumn('milestone', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text')
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('next_attempt_at', t.instant)
        .addColumn('provider_message_id', 'text')
        .addColumn('sent_at', t.instant)
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.instant)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('notification_due_idx')
        .on('notification')
        .column('next_attempt_at')
        .where(sql.ref('next_attempt_at'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('notification_order_idx')
        .on('notification')
        .columns(['order_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('webhook_endpoint')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_endpoint_store_idx').on('webhook_endpoint').column('store_id').execute();

      await db.schema
        .createTable('carrier_account')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.references('store.id').onDelete('cascade'))
        .addColumn('carrier', 'text', (c) => c.notNull())
        .addColumn('credentials_sealed', 'text', (c) => c.notNull())
        .addColumn('rate_limit_per_second', 'real')
        .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('carrier_account_store_carrier_idx')
        .on('carrier_account')
        .columns(['store_id', 'carrier'])
        .execute();

      await db.schema
        .createTable('app_user')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_store_access')
        .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_store_access_pk', ['user_id', 'store_id'])
        .execute();
      await db.schema.createIndex('user_store_access_store_idx').on('user_store_access').column('store_id').execute();

      await db.schema
        .createTable('api_key')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('last_used_at', t.instant)
        .addColumn('revoked_at', t.instant)
        .execute();
      await db.schema.createIndex('api_key_store_idx').on('api_key').column('store_id').execute();

      await db.schema
        .createTable('sync_cursor')
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('cursor', 'text')
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_cursor_pk', ['store_id', 'resource'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'sync_cursor',
        'api_key',
        'user_store_access',
        'app_user',
        'carrier_account',
        'webhook_endpoint',
        'notification',
        'inbound_webhook',
        'status_change',
        'tracking_event',
        'shipment',
        'sales_order',
        'store',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
