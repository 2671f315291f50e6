import type { ShipmentMilestoneTimes, TrackingEvent } from './shipment.js';
import { DEFAULT_REASON_FOR_SUBSTATUS, isActionRequired, isTerminalStatus } from './shipping-status.js';
import type { IncidentReason, ShippingStatus, Substatus } from './shipping-status.js';

/** The fields of a stored tracking event that decide a shipment's status. */
export type ReducibleEvent = Pick<
  TrackingEvent,
  'occurredAt' | 'sequence' | 'status' | 'substatus' | 'reason' | 'dedupeKey'
>;

/** What a shipment's events add up to (TAXONOMY §3). */
export type ShipmentStatusState = ShipmentMilestoneTimes & {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  actionRequired: boolean;
  /** Distinct failed delivery attempts seen so far. */
  attemptNumber: number;
  /** The dedupe key of the event that set the headline; null before any event did. */
  headlineEventKey: string | null;
  /** The newest carrier news (any event but our own `expired` verdict). */
  lastEventAt: string | null;
};

/**
 * How far along its life a parcel is. The headline moves to an equal or higher
 * rank; lower ranks only through the moves in `canMoveHeadline`.
 *
 * - `unknown` ranks with `pending`: both say "no usable news", and `unknown`
 *   may never replace anything better.
 * - `cancelled` sits between the label and the first scan: a void only counts
 *   before pickup, and a scan after a void means the parcel went anyway.
 * - `exception` and `attempt_failed` share one tier with `out_for_delivery` and
 *   `available_for_pickup`. Problems happen at every stage (customs hold in
 *   transit, address issue on the van, unclaimed at a locker), so they must be
 *   able to follow any of these, and each of them must be able to follow a
 *   problem (held → out for delivery, attempt → second van run, attempt → post
 *   office). Only a return to `in_transit` needs the explicit
 *   exception → in_transit permission; an `in_transit` scan after a failed
 *   attempt is the parcel going back to the depot, and the headline rightly
 *   stays "attempted" until the next van run.
 * - `failure` < `delivered`: a parcel declared lost, undeliverable or disposed
 *   that the carrier then reports delivered was delivered after all; the
 *   reverse (delivered, then lost) is a claim for the merchant, not a new
 *   headline.
 * - `return_to_sender` > `delivered` and `failure`: a return is the last thing
 *   that physically happens to a parcel (post-delivery returns, undeliverable
 *   parcels sent back), and a "delivered" after it is the return reaching the
 *   shipper, not the customer.
 * - `expired` is top so any live tracker can expire; what may expire is
 *   limited to non-terminal headlines, and anything may follow it.
 */
export const HEADLINE_RANK: Readonly<Record<ShippingStatus, number>> = {
  unknown: 0,
  pending: 0,
  info_received: 1,
  cancelled: 2,
  in_transit: 3,
  out_for_delivery: 4,
  available_for_pickup: 4,
  attempt_failed: 4,
  exception: 4,
  failure: 5,
  delivered: 6,
  return_to_sender: 7,
  expired: 8,
};

/** Headlines at which the carrier does not have the parcel yet. */
const BEFORE_PICKUP: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>(['pending', 'info_received', 'unknown']);

/**
 * Whether an event with status `to` may replace the headline `from` (TAXONOMY
 * §3 rule 2). The restrictions are checked before the permissions, so
 * "unknown never replaces a known headline" and "cancelled only before
 * pickup" hold even after `expired`.
 */
export function canMoveHeadline(from: ShippingStatus, fromSubstatus: Substatus, to: ShippingStatus): boolean {
  if (to === 'unknown') return from === 'pending' || from === 'unknown';
  if (to === 'cancelled') return from === 'cancelled' || BEFORE_PICKUP.has(from);
  if (to === 'expired') return from === 'expired' || !isTerminalStatus(from, fromSubstatus);
  if (from === 'expired') return true;
  if (from === 'exception' && to === 'in_transit') return true;
  if (from === 'attempt_failed' && to === 'out_for_delivery') return true;
  if (from === 'delivered' && to === 'return_to_sender') return true;
  if (from === 'failure' && fromSubstatus === 'lost' && to === 'delivered') return true;
  return HEADLINE_RANK[to] >= HEADLINE_RANK[from];
}

/** Evidence that a label or the parcel exists, as opposed to tracker bookkeeping. */
const SHIPPED_EVIDENCE: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'info_received',
  'in_transit',
  'out_for_delivery',
  'available_for_pickup',
  'attempt_failed',
  'delivered',
  'exception',
  'return_to_sender',
  'failure',
]);

/**
 * Statuses that prove the carrier physically had the parcel. `exception` and
 * `failure` are left out: a shipper data issue or an undeliverable verdict can
 * come before any scan.
 */
const SCAN_EVIDENCE: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'in_transit',
  'out_for_delivery',
  'available_for_pickup',
  'attempt_failed',
  'delivered',
  'return_to_sender',
]);

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Occurrence time, then the provider's sequence (unsequenced events after
 * sequenced ones), then the dedupe key; the remaining fields only make the
 * order total, so that duplicates that disagree resolve the same way whatever
 * order they arrived in.
 */
function compareEvents(a: ReducibleEvent, b: ReducibleEvent): number {
  return (
    compareText(a.occurredAt, b.occurredAt) ||
    compareSequence(a.sequence, b.sequence) ||
    compareText(a.dedupeKey, b.dedupeKey) ||
    compareText(a.status, b.status) ||
    compareText(a.substatus, b.substatus) ||
    compareText(a.reason ?? '', b.reason ?? '')
  );
}

function compareSequence(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

/** The events once each, in the order they happened. */
export function orderEvents<E extends ReducibleEvent>(events: readonly E[]): E[] {
  const seen = new Set<string>();
  const ordered: E[] = [];
  for (const event of [...events].sort(compareEvents)) {
    if (seen.has(event.dedupeKey)) continue;
    seen.add(event.dedupeKey);
    ordered.push(event);
  }
  return ordered;
}

function earlier(current: string | null, candidate: string): string {
  return current === null || candidate < current ? candidate : current;
}

/**
 * Replays a shipment's events in the order they happened and returns its
 * headline and milestone times. Deterministic for any arrival order and
 * insensitive to duplicates, so it can be re-run over the stored events after
 * every new one (or after a mapping table is fixed).
 *
 * `shippedAt` and `firstScanAt` are the first evidence in any event, so a late
 * older scan moves them back. `outForDeliveryAt`, `deliveredAt` and
 * `exceptionAt` are when the headline last entered that status, so a stray
 * scan that did not move the headline does not move them either.
 */
export function reduceShipmentStatus(events: readonly ReducibleEvent[]): ShipmentStatusState {
  let status: ShippingStatus = 'pending';
  let substatus: Substatus = 'registered';
  let headline: ReducibleEvent | null = null;
  let attemptNumber = 0;
  const times: ShipmentMilestoneTimes = {
    shippedAt: null,
    firstScanAt: null,
    outForDeliveryAt: null,
    deliveredAt: null,
    exceptionAt: null,
  };
  let lastEventAt: string | null = null;

  for (const event of orderEvents(events)) {
    if (SHIPPED_EVIDENCE.has(event.status)) times.shippedAt = earlier(times.shippedAt, event.occurredAt);
    if (SCAN_EVIDENCE.has(event.status)) times.firstScanAt = earlier(times.firstScanAt, event.occurredAt);
    if (event.status === 'attempt_failed') attemptNumber += 1;
    if (event.status !== 'expired') lastEventAt = event.occurredAt;

    if (!canMoveHeadline(status, substatus, event.status)) continue;
    if (event.status !== status) {
      if (event.status === 'out_for_delivery') times.outForDeliveryAt = event.occurredAt;
      if (event.status === 'delivered') times.deliveredAt = event.occurredAt;
      if (event.status === 'exception') times.exceptionAt = event.occurredAt;
    }
    status = event.status;
    substatus = event.substatus;
    headline = event;
  }

  return {
    status,
    substatus,
    reason: headline?.reason ?? DEFAULT_REASON_FOR_SUBSTATUS[substatus] ?? null,
    actionRequired: isActionRequired(status, substatus),
    attemptNumber,
    headlineEventKey: headline?.dedupeKey ?? null,
    ...times,
    lastEventAt,
  };
}
