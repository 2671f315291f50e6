import type { Clock } from '../core/ports/clock.port.js';
import type { ChangeCause, NewTrackingEvent, UnitOfWork } from '../core/ports/storage.port.js';
import type { EventSource } from '../core/shipment/shipping-status.js';
import { trackingEventKey } from '../core/tracking/event-key.js';
import type { TrackingOutcome, TrackingResult } from '../core/tracking/tracking-result.js';
import { recordTrackingEvents, type RecordTrackingOutcome } from './record-tracking-events.js';

/** A carrier's events as rows to append, each with the identity that makes redeliveries harmless. */
export function toNewTrackingEvents(result: TrackingResult, source: EventSource): NewTrackingEvent[] {
  return result.events.map((event) => ({
    ...event,
    source,
    dedupeKey: trackingEventKey({
      carrier: result.carrier,
      rawCode: event.rawCode,
      occurredAt: event.occurredAt,
      occurredAtLocal: event.occurredAtLocal,
      location: event.location,
      description: event.description,
    }),
  }));
}

export type AppliedOutcome =
  { kind: 'recorded'; record: RecordTrackingOutcome } | { kind: 'not_found_yet' } | { kind: 'invalid_number' };

/**
 * Applies what a carrier said about one shipment, whether it came from a
 * poll or a webhook: new events recorded (status recomputed, journaled,
 * order rolled up), carrier facts kept, tracker health set.
 */
export async function applyTrackingOutcome(
  deps: { uow: UnitOfWork; clock: Clock },
  shipment: { id: string; storeId: string },
  outcome: TrackingOutcome,
  origin: { cause: ChangeCause; source: EventSource; causeRef?: string | null },
): Promise<AppliedOutcome> {
  const now = deps.clock.now();
  if (outcome.kind === 'invalid_number') {
    await deps.uow.repositories.shipments.setCarrierDetails(
      shipment.storeId,
      shipment.id,
      { trackerState: 'error_invalid_number' },
      now,
    );
    return { kind: 'invalid_number' };
  }
  if (outcome.kind === 'not_found_yet') {
    await deps.uow.repositories.shipments.setCarrierDetails(
      shipment.storeId,
      shipment.id,
      { trackerState: 'active' },
      now,
    );
    return { kind: 'not_found_yet' };
  }
  const { result } = outcome;
  const record = await recordTrackingEvents(deps, {
    storeId: shipment.storeId,
    shipmentId: shipment.id,
    events: toNewTrackingEvents(result, origin.source),
    cause: origin.cause,
    causeRef: origin.causeRef ?? null,
    carrierDetails: {
      trackerState: 'active',
      ...(result.estimatedDelivery ? { carrierEddLatest: result.estimatedDelivery } : {}),
      ...(result.signedBy ? { signedBy: result.signedBy } : {}),
    },
  });
  return { kind: 'recorded', record };
}
