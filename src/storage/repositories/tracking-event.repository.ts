import type { Kysely } from 'kysely';

import type { NewTrackingEvent, TrackingEventStore } from '../../core/ports/storage.port.js';
import type { TrackingEvent } from '../../core/shipment/shipment.js';
import type { Database, NewTrackingEventRow } from '../database.js';
import { newId } from '../ids.js';
import { toFlag } from '../json.js';
import { eventRowToEvent } from '../row-mappers.js';

/** SQLite allows 32766 bound parameters per statement; 20 columns a row leaves room for 1000 rows. */
const INSERT_CHUNK = 500;

export class TrackingEventRepository implements TrackingEventStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Appends events; an event whose dedupe key the shipment already has is
   * skipped, so carriers repeating themselves and redelivered webhooks add
   * nothing. Returns how many were new.
   */
  async appendEvents(storeId: string, shipmentId: string, events: NewTrackingEvent[], now: string): Promise<number> {
    let inserted = 0;
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const rows: NewTrackingEventRow[] = events.slice(start, start + INSERT_CHUNK).map((event) => ({
        id: newId(),
        store_id: storeId,
        shipment_id: shipmentId,
        occurred_at: event.occurredAt,
        occurred_at_local: event.occurredAtLocal,
        time_zone_inferred: toFlag(event.timeZoneInferred),
        sequence: event.sequence,
        status: event.status,
        substatus: event.substatus,
        reason: event.reason,
        description: event.description,
        location_city: event.location?.city ?? null,
        location_region: event.location?.region ?? null,
        location_postal_code: event.location?.postalCode ?? null,
        location_country: event.location?.country ?? null,
        raw_code: event.rawCode,
        raw_status: event.rawStatus,
        source: event.source,
        dedupe_key: event.dedupeKey,
        received_at: now,
      }));
      const result = await this.db
        .insertInto('tracking_event')
        .values(rows)
        .onConflict((oc) => oc.columns(['shipment_id', 'dedupe_key']).doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return inserted;
  }

  /** In the order they happened. */
  async listEventsForShipment(shipmentId: string): Promise<TrackingEvent[]> {
    const rows = await this.db
      .selectFrom('tracking_event')
      .selectAll()
      .where('shipment_id', '=', shipmentId)
      .orderBy('occurred_at')
      .orderBy('sequence')
      .orderBy('dedupe_key')
      .execute();
    return rows.map(eventRowToEvent);
  }

  async listEventsForShipments(shipmentIds: string[]): Promise<TrackingEvent[]> {
    if (shipmentIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('tracking_event')
      .selectAll()
      .where('shipment_id', 'in', shipmentIds)
      .orderBy('shipment_id')
      .orderBy('occurred_at')
      .orderBy('sequence')
      .orderBy('dedupe_key')
      .execute();
    return rows.map(eventRowToEvent);
  }
}
