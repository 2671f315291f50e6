import type { TrackerRegistry } from '../core/ports/carrier.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import { addMs } from '../core/scheduling/backoff.js';
import { isTerminalStatus } from '../core/shipment/shipping-status.js';
import { recordTrackingEvents } from './record-tracking-events.js';

const HOUR = 60 * 60 * 1000;

/** Columns the worker writes when it finishes a shipment: when it is next due. */
export type RefreshCompletion = { next_check_at: string | null };

/**
 * One tracking refresh of one claimed shipment: ask its carrier, record what
 * came back, and say when to look again. Without a tracker for the carrier
 * the shipment is marked so the merchant sees why it does not move, and is
 * looked at again later in case credentials are added.
 */
export async function refreshShipment(
  deps: { uow: UnitOfWork; clock: Clock; trackers: TrackerRegistry },
  shipment: { id: string; storeId: string; carrier: string | null; trackingNumber: string },
): Promise<RefreshCompletion> {
  const now = deps.clock.now();
  const stores = deps.uow.repositories;
  const tracker = shipment.carrier ? deps.trackers.get(shipment.carrier) : undefined;
  if (!tracker) {
    const trackerState = shipment.carrier ? 'error_carrier_auth' : 'error_unsupported_carrier';
    const nextCheckAt = addMs(now, 6 * HOUR);
    await stores.shipments.setCarrierDetails(shipment.storeId, shipment.id, { trackerState, nextCheckAt }, now);
    return { next_check_at: nextCheckAt };
  }

  const lookup = (await tracker.track([shipment.trackingNumber])).get(shipment.trackingNumber) ?? {
    kind: 'not_found_yet' as const,
  };
  if (lookup.kind === 'invalid_number') {
    await stores.shipments.setCarrierDetails(
      shipment.storeId,
      shipment.id,
      { trackerState: 'error_invalid_number', nextCheckAt: null },
      now,
    );
    return { next_check_at: null };
  }
  if (lookup.kind === 'not_found_yet') {
    return { next_check_at: addMs(now, 2 * HOUR) };
  }
  const outcome = await recordTrackingEvents(deps, {
    storeId: shipment.storeId,
    shipmentId: shipment.id,
    events: lookup.events,
    cause: 'poll',
    carrierDetails: { ...lookup.details, trackerState: 'active' },
  });
  if (isTerminalStatus(outcome.after.status, outcome.after.substatus)) return { next_check_at: null };
  return { next_check_at: addMs(now, outcome.after.status === 'out_for_delivery' ? HOUR / 2 : 2 * HOUR) };
}
