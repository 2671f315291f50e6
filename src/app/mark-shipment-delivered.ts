import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { NewTrackingEvent, UnitOfWork } from '../core/ports/storage.port.js';
import { recordTrackingEventsWithin, type RecordTrackingOutcome } from './record-tracking-events.js';

/** The raw code of the event a merchant's override records, shown as such in the event history. */
export const MERCHANT_DELIVERED_CODE = 'merchant_marked_delivered';

/**
 * The merchant knows a parcel arrived (the customer said so, the carrier's
 * tracking is dead). Recorded as a tracking event from source `merchant`,
 * through the same path as carrier news: the reducer decides the status, the
 * journal says the user did it, the order rolls up and the `delivered`
 * milestones are planned. The reducer's rules still hold: a parcel on its way
 * back to the sender cannot be declared delivered to the customer.
 */
export async function markShipmentDelivered(
  deps: { uow: UnitOfWork; clock: Clock },
  input: { storeId: string; shipmentId: string; actor: string },
): Promise<RecordTrackingOutcome> {
  const now = deps.clock.now();
  return deps.uow.transaction(async (stores) => {
    const shipment = await stores.shipments.findShipmentById(input.storeId, input.shipmentId);
    if (!shipment) throw new DomainError(ErrorCode.NotFound, 'shipment not found');
    if (shipment.status === 'delivered')
      throw new DomainError(ErrorCode.InvalidTransition, 'the parcel is already delivered');
    const event: NewTrackingEvent = {
      occurredAt: now,
      occurredAtLocal: null,
      timeZoneInferred: false,
      sequence: null,
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      description: 'Marked delivered by the merchant',
      location: null,
      rawCode: MERCHANT_DELIVERED_CODE,
      rawStatus: null,
      source: 'merchant',
      dedupeKey: `merchant:delivered:${shipment.id}:${now}`,
    };
    const outcome = await recordTrackingEventsWithin(stores, deps.clock, {
      storeId: input.storeId,
      shipmentId: shipment.id,
      events: [event],
      cause: 'user',
      causeRef: input.actor,
    });
    if (outcome.after.status !== 'delivered') {
      // Thrown inside the transaction: the event is not kept either.
      throw new DomainError(
        ErrorCode.InvalidTransition,
        `a parcel that is ${shipment.status.replace(/_/g, ' ')} cannot be marked delivered`,
      );
    }
    return outcome;
  });
}
