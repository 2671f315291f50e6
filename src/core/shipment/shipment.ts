import type { IncidentReason, ShippingStatus, Substatus, TrackerState, EventSource } from './shipping-status.js';

/** How sure we are of the carrier code. */
export const CarrierConfidence = {
  Given: 'given',
  Detected: 'detected',
  Overridden: 'overridden',
  Unknown: 'unknown',
} as const;
export type CarrierConfidence = (typeof CarrierConfidence)[keyof typeof CarrierConfidence];

export type ShipmentMilestoneTimes = {
  shippedAt: string | null;
  firstScanAt: string | null;
  outForDeliveryAt: string | null;
  deliveredAt: string | null;
  exceptionAt: string | null;
};

/** One package with one tracking number. An order has 0..n of them. */
export type Shipment = ShipmentMilestoneTimes & {
  id: string;
  storeId: string;
  orderId: string;
  externalId: string | null;
  carrier: string | null;
  carrierConfidence: CarrierConfidence;
  trackingNumber: string;
  service: string | null;
  items: { externalId: string | null; quantity: number }[];
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  actionRequired: boolean;
  attemptNumber: number;
  trackerState: TrackerState;
  /** First and latest estimated delivery the carrier gave (ISO date or instant). */
  carrierEddFirst: string | null;
  carrierEddLatest: string | null;
  predictedEdd: string | null;
  signedBy: string | null;
  lastEventAt: string | null;
  nextCheckAt: string | null;
  /** The platform's own view of the shipment (e.g. Shopify `shipment_status`), kept apart. */
  platformShipmentStatus: string | null;
  createdAt: string;
  updatedAt: string;
};

export type EventLocation = {
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
};

/** One carrier scan or status report. Append-only; deduplicated by `dedupeKey`. */
export type TrackingEvent = {
  id: string;
  storeId: string;
  shipmentId: string;
  /** The instant, UTC ISO-8601 with milliseconds. */
  occurredAt: string;
  /** The time as the carrier gave it, verbatim. */
  occurredAtLocal: string | null;
  /** True when the zone of a local time had to be inferred. */
  timeZoneInferred: boolean;
  /** The provider's own ordering for events with the same instant, when it gives one. */
  sequence: number | null;
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  description: string | null;
  location: EventLocation | null;
  rawCode: string | null;
  rawStatus: string | null;
  source: EventSource;
  dedupeKey: string;
  receivedAt: string;
};

export function formatLocation(location: EventLocation | null): string | null {
  if (!location) return null;
  const parts = [location.city, location.region, location.postalCode, location.country].filter(
    (part): part is string => typeof part === 'string' && part.length > 0,
  );
  return parts.length > 0 ? parts.join(', ') : null;
}
