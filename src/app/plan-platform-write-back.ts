import type { Stores } from '../core/ports/storage.port.js';
import type { TrackingEvent } from '../core/shipment/shipment.js';

function latest(events: TrackingEvent[], matches: (event: TrackingEvent) => boolean): TrackingEvent | null {
  let found: TrackingEvent | null = null;
  for (const event of events) {
    if (!matches(event)) continue;
    if (found === null || Date.parse(event.occurredAt) >= Date.parse(found.occurredAt)) found = event;
  }
  return found;
}

/** The latest event that says what the shipment now says (the reducer may have kept an earlier substatus). */
function newsEvent(events: TrackingEvent[], status: string, substatus: string): TrackingEvent | null {
  return (
    latest(events, (event) => event.status === status && event.substatus === substatus) ??
    latest(events, (event) => event.status === status)
  );
}

/**
 * Queues a shipment's new status for the selling platform, in the caller's
 * transaction (the one that changed the status), when its store opted in to
 * write-back — so the change and the write-back are committed together or
 * not at all, and a worker posts it afterwards with retries.
 *
 * Nothing is queued for a shipment the platform does not know (no platform
 * fulfilment id), or for news that came from the platform itself (a
 * fulfilment cancelled there): echoing it back would be noise. The key is the
 * fulfilment and the carrier event, so parcels of one fulfilment scanned
 * together post one event, and a repeated change posts nothing new.
 */
export async function planPlatformWriteBack(
  stores: Stores,
  input: { storeId: string; shipmentId: string; now: string },
): Promise<boolean> {
  if (!(await stores.writeBacks.isWriteBackEnabled(input.storeId))) return false;
  const shipment = await stores.shipments.findShipmentById(input.storeId, input.shipmentId);
  if (!shipment?.externalId) return false;
  const event = newsEvent(await stores.events.listEventsForShipment(shipment.id), shipment.status, shipment.substatus);
  if (!event || event.source === 'platform') return false;
  return stores.writeBacks.planWriteBack(
    {
      storeId: input.storeId,
      shipmentId: shipment.id,
      idempotencyKey: [
        'write-back',
        input.storeId,
        shipment.externalId,
        `${shipment.status}/${shipment.substatus}`,
        event.dedupeKey,
      ].join(':'),
      news: {
        shipmentExternalId: shipment.externalId,
        status: shipment.status,
        substatus: shipment.substatus,
        happenedAt: event.occurredAt,
        message: event.description,
        estimatedDeliveryAt: shipment.carrierEddLatest,
        location: event.location,
      },
    },
    input.now,
  );
}
