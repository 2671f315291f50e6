import type { CarrierClient, CarrierRegistry } from '../core/ports/carrier.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import { decideNextCheck } from '../core/scheduling/next-check.js';
import type { Shipment } from '../core/shipment/shipment.js';
import { trackingEventKey } from '../core/tracking/event-key.js';
import type { TrackingOutcome } from '../core/tracking/tracking-result.js';
import { applyTrackingOutcome } from './apply-tracking-outcome.js';
import { recordTrackingEvents } from './record-tracking-events.js';

const HOUR = 60 * 60 * 1000;

/** What the worker writes when it completes a claimed shipment: when it is next due. */
export type RefreshCompletion = { next_check_at: string | null };

export type RefreshResult = { ok: true; completion: RefreshCompletion } | { ok: false; error: unknown };

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * One refresh pass over claimed shipments: grouped by carrier, asked in
 * batches as large as the carrier allows (FedEx 30 a call), each answer
 * applied in its own transaction, and each shipment given its next check.
 * A failed carrier call fails only the shipments of that call.
 */
export async function refreshShipments(
  deps: { uow: UnitOfWork; clock: Clock; carriers: CarrierRegistry; random?: () => number },
  shipmentIds: { id: string; storeId: string }[],
): Promise<Map<string, RefreshResult>> {
  const results = new Map<string, RefreshResult>();
  const shipments: Shipment[] = [];
  for (const ref of shipmentIds) {
    const shipment = await deps.uow.repositories.shipments.findShipmentById(ref.storeId, ref.id);
    if (shipment) shipments.push(shipment);
    else results.set(ref.id, { ok: true, completion: { next_check_at: null } });
  }

  const byCarrier = new Map<string | null, Shipment[]>();
  for (const shipment of shipments)
    byCarrier.set(shipment.carrier, [...(byCarrier.get(shipment.carrier) ?? []), shipment]);

  for (const [carrier, group] of byCarrier) {
    const client = carrier ? deps.carriers.get(carrier) : undefined;
    if (!client) {
      await markUntrackable(deps, group, carrier, results);
      continue;
    }
    for (const batch of chunk(group, Math.max(1, client.maxBatchSize))) {
      let outcomes: Map<string, TrackingOutcome>;
      try {
        outcomes = await client.track(
          batch.map((s) => s.trackingNumber),
          { createdAt: new Map(batch.map((s) => [s.trackingNumber, s.createdAt])) },
        );
      } catch (error) {
        for (const shipment of batch) results.set(shipment.id, { ok: false, error });
        continue;
      }
      for (const shipment of batch) {
        try {
          const outcome = outcomes.get(shipment.trackingNumber) ?? {
            kind: 'not_found_yet',
            trackingNumber: shipment.trackingNumber,
            message: null,
          };
          results.set(shipment.id, { ok: true, completion: await applyAndSchedule(deps, client, shipment, outcome) });
        } catch (error) {
          results.set(shipment.id, { ok: false, error });
        }
      }
    }
  }
  return results;
}

async function applyAndSchedule(
  deps: { uow: UnitOfWork; clock: Clock; random?: () => number },
  client: CarrierClient,
  shipment: Shipment,
  outcome: TrackingOutcome,
): Promise<RefreshCompletion> {
  const applied = await applyTrackingOutcome(deps, shipment, outcome, { cause: 'poll', source: 'carrier_api' });
  if (applied.kind === 'invalid_number') return { next_check_at: null };

  const now = deps.clock.now();
  const current = (await deps.uow.repositories.shipments.findShipmentById(shipment.storeId, shipment.id)) ?? shipment;
  const decision = decideNextCheck({
    now,
    status: current.status,
    substatus: current.substatus,
    createdAt: current.createdAt,
    lastEventAt: current.lastEventAt,
    deliveredAt: current.deliveredAt,
    estimatedDelivery: current.predictedEdd ?? current.carrierEddLatest,
    carrierNextUpdateAt: client.nextUpdateAt?.(current.trackingNumber, current.createdAt, now) ?? null,
    random: (deps.random ?? Math.random)(),
  });
  if (decision.expire) {
    // Expiry is our own verdict, recorded as an event so the reducer, the journal and the page all agree.
    await recordTrackingEvents(deps, {
      storeId: shipment.storeId,
      shipmentId: shipment.id,
      cause: 'poll',
      carrierDetails: { trackerState: 'stopped_stale' },
      events: [
        {
          occurredAt: now,
          occurredAtLocal: null,
          timeZoneInferred: false,
          sequence: null,
          status: 'expired',
          substatus: 'no_updates_timeout',
          reason: null,
          description: 'No carrier updates for 30 days; tracking stopped',
          location: null,
          rawCode: null,
          rawStatus: null,
          source: 'waymark',
          dedupeKey: trackingEventKey({
            carrier: 'waymark',
            rawCode: 'expired',
            occurredAt: now,
            occurredAtLocal: null,
            location: null,
            description: null,
          }),
        },
      ],
    });
    return { next_check_at: null };
  }
  if (decision.nextCheckAt === null && current.status === 'delivered') {
    await deps.uow.repositories.shipments.setCarrierDetails(
      shipment.storeId,
      shipment.id,
      { trackerState: 'stopped_delivered' },
      now,
    );
  }
  return { next_check_at: decision.nextCheckAt };
}

/** No client for the carrier: say why on the shipment and look again later, in case credentials are added. */
async function markUntrackable(
  deps: { uow: UnitOfWork; clock: Clock },
  group: Shipment[],
  carrier: string | null,
  results: Map<string, RefreshResult>,
): Promise<void> {
  const now = deps.clock.now();
  const trackerState = carrier ? 'error_carrier_auth' : 'error_unsupported_carrier';
  const nextCheckAt = new Date(Date.parse(now) + 6 * HOUR).toISOString();
  for (const shipment of group) {
    await deps.uow.repositories.shipments.setCarrierDetails(shipment.storeId, shipment.id, { trackerState }, now);
    results.set(shipment.id, { ok: true, completion: { next_check_at: nextCheckAt } });
  }
}
