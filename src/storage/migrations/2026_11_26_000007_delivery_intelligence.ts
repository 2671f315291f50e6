import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

const SHIPMENT_PREDICTION_COLUMNS = [
  'predicted_edd_earliest',
  'predicted_edd_latest',
  'predicted_edd_confidence',
  'predicted_edd_basis',
  'predicted_edd_samples',
  'predicted_at',
  'late_from',
] as const;

/**
 * Delivery intelligence: transit samples per lane (one row per delivered
 * parcel, so "the last 200 deliveries of this lane" is one index range), the
 * prediction's range and confidence beside `shipment.predicted_edd`, the
 * ledger of scheduled alerts raised, and a claimable row per store for the
 * alert scan.
 */
export function deliveryIntelligence(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('delivery_sample')
        .addColumn('shipment_id', t.id, (c) => c.primaryKey().references('shipment.id').onDelete('cascade'))
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('carrier', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('origin_area', 'text', (c) => c.notNull())
        .addColumn('destination_area', 'text', (c) => c.notNull())
        .addColumn('days_from_shipped', 'integer')
        .addColumn('days_from_first_scan', 'integer')
        .addColumn('delivered_at', t.instant, (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      // One index per lane level, each ending in delivered_at: "newest N of this lane" is a bounded range read.
      await db.schema
        .createIndex('delivery_sample_lane_idx')
        .on('delivery_sample')
        .columns(['store_id', 'carrier', 'service', 'origin_area', 'destination_area', 'delivered_at'])
        .execute();
      await db.schema
        .createIndex('delivery_sample_service_idx')
        .on('delivery_sample')
        .columns(['store_id', 'carrier', 'service', 'delivered_at'])
        .execute();
      await db.schema
        .createIndex('delivery_sample_carrier_idx')
        .on('delivery_sample')
        .columns(['store_id', 'carrier', 'delivered_at'])
        .execute();

      await db.schema
        .createTable('delivery_alert')
        .addColumn('subject_id', t.id, (c) => c.notNull())
        .addColumn('milestone', 'text', (c) => c.notNull())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('order_id', t.id, (c) => c.notNull().references('sales_order.id').onDelete('cascade'))
        .addColumn('shipment_id', t.id, (c) => c.references('shipment.id').onDelete('cascade'))
        .addColumn('since', t.instant, (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('raised_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('delivery_alert_pk', ['subject_id', 'milestone'])
        .execute();
      await db.schema
        .createIndex('delivery_alert_store_raised_idx')
        .on('delivery_alert')
        .columns(['store_id', 'raised_at'])
        .execute();

      await db.schema
        .createTable('delivery_alert_scan')
        .addColumn('id', t.id, (c) => c.primaryKey().references('store.id').onDelete('cascade'))
        .addColumn('next_scan_at', t.instant)
        .addColumn('last_scanned_at', t.instant)
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.instant)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('delivery_alert_scan_due_idx')
        .on('delivery_alert_scan')
        .column('next_scan_at')
        .where(sql.ref('next_scan_at'), 'is not', null)
        .execute();

      await db.schema.alterTable('shipment').addColumn('predicted_edd_earliest', 'text').execute();
      await db.schema.alterTable('shipment').addColumn('predicted_edd_latest', 'text').execute();
      await db.schema.alterTable('shipment').addColumn('predicted_edd_confidence', 'text').execute();
      await db.schema.alterTable('shipment').addColumn('predicted_edd_basis', 'text').execute();
      await db.schema.alterTable('shipment').addColumn('predicted_edd_samples', 'integer').execute();
      await db.schema.alterTable('shipment').addColumn('predicted_at', t.instant).execute();
      await db.schema.alterTable('shipment').addColumn('late_from', 'text').execute();
      // The alert scan's ranges: stalled parcels by last scan, late ones by the day they turn late, arrivals by date.
      await db.schema
        .createIndex('shipment_store_status_last_event_idx')
        .on('shipment')
        .columns(['store_id', 'status', 'last_event_at'])
        .execute();
      await db.schema
        .createIndex('shipment_store_late_from_idx')
        .on('shipment')
        .columns(['store_id', 'late_from'])
        .where(sql.ref('late_from'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('shipment_store_predicted_edd_idx')
        .on('shipment')
        .columns(['store_id', 'predicted_edd'])
        .where(sql.ref('predicted_edd'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('sales_order_store_promised_idx')
        .on('sales_order')
        .columns(['store_id', 'promised_delivery_date'])
        .where(sql.ref('promised_delivery_date'), 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const index of [
        'sales_order_store_promised_idx',
        'shipment_store_predicted_edd_idx',
        'shipment_store_late_from_idx',
        'shipment_store_status_last_event_idx',
      ]) {
        await db.schema.dropIndex(index).execute();
      }
      for (const column of [...SHIPMENT_PREDICTION_COLUMNS].reverse()) {
        await db.schema.alterTable('shipment').dropColumn(column).execute();
      }
      for (const table of ['delivery_alert_scan', 'delivery_alert', 'delivery_sample']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
