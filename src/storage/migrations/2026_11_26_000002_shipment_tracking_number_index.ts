import type { Kysely, Migration } from 'kysely';

/** Pushed tracking updates (aggregator webhooks) find shipments by number alone, across stores. */
export function shipmentTrackingNumberIndex(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('shipment_tracking_number_idx').on('shipment').column('tracking_number').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('shipment_tracking_number_idx').execute();
    },
  };
}
