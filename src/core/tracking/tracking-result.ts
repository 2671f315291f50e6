import type { EventLocation } from '../shipment/shipment.js';
import type { IncidentReason, ShippingStatus, Substatus } from '../shipment/shipping-status.js';

/**
 * One carrier event after normalisation: the unified status next to the
 * carrier's raw code, the instant in UTC next to the time as the carrier
 * wrote it.
 */
export type NormalizedEvent = {
  /** ISO-8601 UTC with milliseconds. */
  occurredAt: string;
  /** The time exactly as the carrier gave it (e.g. `2026-11-26T14:05:00` or `20261126 140500`). */
  occurredAtLocal: string | null;
  /** True when the carrier gave no zone and we inferred it (from the event's location or the destination). */
  timeZoneInferred: boolean;
  /** The provider's order among events of the same instant, when it gives one. */
  sequence: number | null;
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  description: string | null;
  location: EventLocation | null;
  /** The most specific carrier code the mapping used (e.g. UPS `5R`/`D`, FedEx `OD`, USPS `01`). */
  rawCode: string | null;
  /** The carrier's coarser status code or type, when it has one. */
  rawStatus: string | null;
};

/** What a carrier says about one tracking number. */
export type TrackingResult = {
  carrier: string;
  trackingNumber: string;
  /** The carrier's current status, normalised. The stored headline is recomputed from the events by the reducer. */
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  /** The carrier's estimated delivery: an ISO date (`2026-11-28`) or instant. */
  estimatedDelivery: string | null;
  deliveredAt: string | null;
  signedBy: string | null;
  service: string | null;
  /** Newest first or oldest first, as the carrier sent them; the reducer orders them. */
  events: NormalizedEvent[];
};

/**
 * The answer for one tracking number. Errors that concern the whole call
 * (auth, rate limit, outage, unreadable body) are thrown as DomainErrors
 * with the upstream_* codes instead.
 */
export type TrackingOutcome =
  | { kind: 'found'; result: TrackingResult }
  /** The carrier has nothing yet (normal for hours after a label is made). */
  | { kind: 'not_found_yet'; trackingNumber: string; message: string | null }
  /** The carrier says the number can never be tracked (bad format, bad check digit). */
  | { kind: 'invalid_number'; trackingNumber: string; message: string | null };
