import type { Kysely } from 'kysely';

import type {
  CarrierDetails,
  NewShipment,
  ShipmentStatusFields,
  ShipmentStore,
} from '../../core/ports/storage.port.js';
import type { CarrierConfidence, Shipment } from '../../core/shipment/shipment.js';
import type { Database, ShipmentUpdate } from '../database.js';
import { newId } from '../ids.js';
import { toFlag } from '../json.js';
import { shipmentRowToShipment } from '../row-mappers.js';

export function normaliseTrackingNumber(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

export class ShipmentRepository implements ShipmentStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts, or returns the existing shipment for the same order and tracking number. */
  async insertShipment(
    storeId: string,
    input: NewShipment,
    now: string,
  ): Promise<{ shipment: Shipment; created: boolean }> {
    const trackingNumber = normaliseTrackingNumber(input.trackingNumber);
    const inserted = await this.db
      .insertInto('shipment')
      .values({
        id: newId(),
        store_id: storeId,
        order_id: input.orderId,
        external_id: input.externalId,
        carrier: input.carrier,
        carrier_confidence: input.carrierConfidence,
        tracking_number: trackingNumber,
        service: input.service,
        items: JSON.stringify(input.items ?? []),
        status: 'pending',
        substatus: 'registered',
        reason: null,
        action_required: 0,
        attempt_number: 0,
        tracker_state: input.trackerState,
        carrier_edd_first: null,
        carrier_edd_latest: null,
        predicted_edd: null,
        signed_by: null,
        shipped_at: input.shippedAt,
        first_scan_at: null,
        out_for_delivery_at: null,
        delivered_at: null,
        exception_at: null,
        last_event_at: null,
        next_check_at: input.nextCheckAt,
        platform_shipment_status: input.platformShipmentStatus ?? null,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['order_id', 'tracking_number']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { shipment: shipmentRowToShipment(inserted), created: true };
    const existing = await this.db
      .selectFrom('shipment')
      .selectAll()
      .where('order_id', '=', input.orderId)
      .where('tracking_number', '=', trackingNumber)
      .executeTakeFirstOrThrow();
    return { shipment: shipmentRowToShipment(existing), created: false };
  }

  async findShipmentById(storeId: string, id: string): Promise<Shipment | undefined> {
    const row = await this.db
      .selectFrom('shipment')
      .selectAll()
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return row ? shipmentRowToShipment(row) : undefined;
  }

  async findShipmentsByTrackingNumber(trackingNumber: string, carrier: string | null): Promise<Shipment[]> {
    let query = this.db
      .selectFrom('shipment')
      .selectAll()
      .where('tracking_number', '=', normaliseTrackingNumber(trackingNumber));
    if (carrier) query = query.where((eb) => eb.or([eb('carrier', '=', carrier), eb('carrier', 'is', null)]));
    const rows = await query.limit(100).execute();
    return rows.map(shipmentRowToShipment);
  }

  async listShipmentsForOrders(orderIds: string[]): Promise<Shipment[]> {
    if (orderIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('shipment')
      .selectAll()
      .where('order_id', 'in', orderIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(shipmentRowToShipment);
  }

  async setShipmentStatus(storeId: string, id: string, fields: ShipmentStatusFields, now: string): Promise<void> {
    const changes: ShipmentUpdate = {
      status: fields.status,
      substatus: fields.substatus,
      reason: fields.reason,
      action_required: toFlag(fields.actionRequired),
      attempt_number: fields.attemptNumber,
      shipped_at: fields.shippedAt,
      first_scan_at: fields.firstScanAt,
      out_for_delivery_at: fields.outForDeliveryAt,
      delivered_at: fields.deliveredAt,
      exception_at: fields.exceptionAt,
      last_event_at: fields.lastEventAt,
      updated_at: now,
    };
    await this.db.updateTable('shipment').set(changes).where('id', '=', id).where('store_id', '=', storeId).execute();
  }

  async setShipmentCarrier(
    storeId: string,
    id: string,
    carrier: string,
    confidence: CarrierConfidence,
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('shipment')
      .set({ carrier, carrier_confidence: confidence, updated_at: now })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .execute();
  }

  async setCarrierDetails(storeId: string, id: string, details: CarrierDetails, now: string): Promise<void> {
    const changes: ShipmentUpdate = { updated_at: now };
    if (details.carrierEddFirst !== undefined) changes.carrier_edd_first = details.carrierEddFirst;
    if (details.carrierEddLatest !== undefined) changes.carrier_edd_latest = details.carrierEddLatest;
    if (details.signedBy !== undefined) changes.signed_by = details.signedBy;
    if (details.trackerState !== undefined) changes.tracker_state = details.trackerState;
    if (details.nextCheckAt !== undefined) changes.next_check_at = details.nextCheckAt;
    await this.db.updateTable('shipment').set(changes).where('id', '=', id).where('store_id', '=', storeId).execute();
  }
}
