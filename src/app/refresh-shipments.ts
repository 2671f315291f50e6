import type { CarrierClientChoice, CarrierClientResolver } from '../core/ports/carrier-account.port.js';
import type { CarrierClient, CarrierRegistry } from '../core/ports/carrier.port.js';
import { DomainError, ErrorCode } from '../core/errors.js';
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

/** Without store accounts wired in, every store tracks with the instance-wide clients. */
function instanceWideOnly(carriers: CarrierRegistry): CarrierClientResolver {
  return {
    clientFor: (_storeId, carrier) => {
      const client = carriers.get(carrier);
      return Promise.resolve(client ? { kind: 'client', client, credential: 'env' } : { kind: 'credentials_missing' });
    },
  };
}

/**
 * One refresh pass over claimed shipments: grouped by carrier credential (a
 * store's own account, or the instance-wide one), asked in batches as large
 * as the carrier allows (FedEx 30 a call), each answer applied in its own
 * transaction, and each shipment given its next check. A failed carrier call
 * fails only the shipments of that call. Shipments with no credential to
 * call with are marked and looked at again hours later, without a call.
 */
export async function refreshShipments(
  deps: {
    uow: UnitOfWork;
    clock: Clock;
    carriers: CarrierRegistry;
    /** Per store and carrier: its own account or the instance-wide client. Default: instance-wide only. */
    clients?: CarrierClientResolver;
    random?: () => number;
  },
  shipmentIds: { id: string; storeId: string }[],
): Promise<Map<string, RefreshResult>> {
  const results = new Map<string, RefreshResult>();
  const shipments: Shipment[] = [];
  for (const ref of shipmentIds) {
    const shipment = await deps.uow.repositories.shipments.findShipmentById(ref.storeId, ref.id);
    if (shipment) shipments.push(shipment);
    else results.set(ref.id, { ok: true, completion: { next_check_at: null } });
  }

  const resolver = deps.clients ?? instanceWideOnly(deps.carriers);
  const choices = new Map<string, CarrierClientChoice | { kind: 'failed'; error: unknown }>();
  const byCredential = new Map<string, { client: CarrierClient; shipments: Shipment[] }>();
  const untrackable: Shipment[] = [];
  for (const shipment of shipments) {
    const carrier = shipment.carrier;
    if (!carrier) {
      untrackable.push(shipment);
      continue;
    }
    const storeCarrier = `${shipment.storeId}\u0000${carrier}`;
    let choice = choices.get(storeCarrier);
    if (!choice) {
      try {
        choice = await resolver.clientFor(shipment.storeId, carrier);
      } catch (error) {
        choice = { kind: 'failed', error };
      }
      choices.set(storeCarrier, choice);
    }
    if (choice.kind === 'failed') {
      results.set(shipment.id, { ok: false, error: choice.error });
    } else if (choice.kind === 'credentials_missing') {
      untrackable.push(shipment);
    } else {
      const credential = `${carrier}\u0000${choice.credential}`;
      const group = byCredential.get(credential) ?? { client: choice.client, shipments: [] };
      group.shipments.push(shipment);
      byCredential.set(credential, group);
    }
  }
  await markUntrackable(deps, untrackable, results);

  for (const { client, shipments: group } of byCredential.values()) {
    for (const batch of chunk(group, Math.max(1, client.maxBatchSize))) {
      const pausedMs = client.pausedForMs?.() ?? 0;
      if (pausedMs > 0) {
        // Waiting out an open circuit or a Retry-After here would hold the whole pass, and every
        // other carrier's shipments in it; these fail at once and come back with the worker's backoff.
        const error = new DomainError(
          ErrorCode.UpstreamUnavailable,
          `${client.carrier} takes no calls for another ${Math.ceil(pausedMs / 1000)} s (circuit open or asked to wait); retrying later`,
          { details: { retryAfterMs: pausedMs } },
        );
        for (const shipment of batch) results.set(shipment.id, { ok: false, error });
        continue;
      }
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

/** No credential for the carrier: say why on the shipment and look again later, in case credentials are added. */
async function markUntrackable(
  deps: { uow: UnitOfWork; clock: Clock },
  shipments: Shipment[],
  results: Map<string, RefreshResult>,
): Promise<void> {
  const now = deps.clock.now();
  const nextCheckAt = new Date(Date.parse(now) + 6 * HOUR).toISOString();
  for (const shipment of shipments) {
    const trackerState = shipment.carrier ? 'error_carrier_auth' : 'error_unsupported_carrier';
    await deps.uow.repositories.shipments.setCarrierDetails(shipment.storeId, shipment.id, { trackerState }, now);
    results.set(shipment.id, { ok: true, completion: { next_check_at: nextCheckAt } });
  }
}
