import type { Milestone } from '../notification/milestone.js';
import type { OrderStatus } from '../order/order-status.js';
import type { PostalAddress } from '../order/order.js';
import type { ShippingSummary } from '../order/shipping-summary.js';
import type { ShippingStatus } from '../shipment/shipping-status.js';
import { inferTimeZone, zonedTimeToInstant } from '../tracking/carrier-time.js';
import { addBusinessDays, addCalendarDays, eddDate, localDate, localDateTime } from './calendar.js';
import type { PredictionConfidence } from './predict-delivery.js';

/**
 * The alerts Waymark computes on a schedule (TAXONOMY §5): nothing the
 * carrier or the platform says raises them, the passing of time does. Pure:
 * the scan (`app/plan-scheduled-alerts.ts`) and the dashboard
 * (`app/list-delivery-alerts.ts`) feed them the facts and the clock.
 */

export const DeliveryAlertKind = {
  FulfillmentDelayed: 'fulfillment_delayed',
  StalledInTransit: 'stalled_in_transit',
  PredictedLate: 'predicted_late',
  ArrivingToday: 'arriving_today',
} as const satisfies Record<string, Milestone>;
export type DeliveryAlertKind = (typeof DeliveryAlertKind)[keyof typeof DeliveryAlertKind];
export const DELIVERY_ALERT_KINDS = Object.values(DeliveryAlertKind);

export type AlertSettings = {
  /** An order not shipped by the end of this many business days after the day it was placed is delayed. */
  fulfillmentDelayedBusinessDays: number;
  /** An in-transit parcel with no scan for this many days (24 h each) is stalled. */
  stalledInTransitDays: number;
};

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { fulfillmentDelayedBusinessDays: 2, stalledInTransitDays: 3 };

/** Bounds that keep a typo (0, 900) from alerting on every order or on none. */
const SETTING_RANGE = { min: 1, max: 30 } as const;

/** The store's `notificationSettings.alerts` over the defaults; anything not a whole number in range is ignored. */
export function resolveAlertSettings(notificationSettings: Record<string, unknown>): AlertSettings {
  const stored = notificationSettings.alerts;
  const resolved = { ...DEFAULT_ALERT_SETTINGS };
  if (typeof stored !== 'object' || stored === null) return resolved;
  for (const key of Object.keys(DEFAULT_ALERT_SETTINGS) as (keyof AlertSettings)[]) {
    const value = (stored as Record<string, unknown>)[key];
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= SETTING_RANGE.min &&
      value <= SETTING_RANGE.max
    )
      resolved[key] = value;
  }
  return resolved;
}

/** The zone "today" is read in for a parcel: its destination's when the address says, else the store's. */
export function deliveryTimeZone(address: Pick<PostalAddress, 'country' | 'region'>, storeTimeZone: string): string {
  return inferTimeZone({ country: address.country, region: address.region }) ?? storeTimeZone;
}

/** The instant a local date begins in a zone (UTC midnight when the zone is unknown to Intl). */
export function startOfLocalDate(date: string, timeZone: string): string {
  return zonedTimeToInstant(`${date}T00:00:00`, timeZone) ?? `${date}T00:00:00.000Z`;
}

export type DetectedAlert = {
  milestone: DeliveryAlertKind;
  subject: 'order' | 'shipment';
  orderId: string;
  shipmentId: string | null;
  /** When the alert became true: news older than the notification planner's stale limit is recorded, not sent. */
  since: string;
  details: Record<string, string | number | null>;
};

/** Orders whose status says they will not (or need not) ship: no alert of any kind. */
const CLOSED_ORDER: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['cancelled', 'refunded']);

export type AlertOrderFacts = {
  orderId: string;
  orderStatus: OrderStatus;
  shippingSummary: ShippingSummary;
  placedAt: string;
};

/**
 * The local date after which an order placed at `placedAt` counts as delayed:
 * the end of the N-th business day after the day it was placed (placed on a
 * Friday with N = 2: shipped by the end of Tuesday).
 */
export function fulfillmentDueDate(placedAt: string, businessDays: number, timeZone: string): string {
  return addBusinessDays(localDate(placedAt, timeZone), businessDays);
}

/**
 * Orders placed before this instant are past their fulfilment deadline today:
 * the scan's indexed range on `placed_at`. The deadline only grows with the
 * placing date, so the newest date still overdue bounds the range.
 */
export function fulfillmentDelayedCutoff(now: string, businessDays: number, timeZone: string): string {
  const today = localDate(now, timeZone);
  let placedOn = addCalendarDays(today, -1);
  while (addBusinessDays(placedOn, businessDays) >= today) placedOn = addCalendarDays(placedOn, -1);
  return startOfLocalDate(addCalendarDays(placedOn, 1), timeZone);
}

/**
 * Confirmed (processing) and nothing shipped past the deadline. Pending
 * orders wait on the customer's payment and held ones on the merchant's
 * review: neither is a shipping delay to tell anyone about.
 */
export function detectFulfillmentDelayed(
  order: AlertOrderFacts,
  settings: AlertSettings,
  now: string,
  storeTimeZone: string,
): DetectedAlert | null {
  if (order.orderStatus !== 'processing' || order.shippingSummary !== 'not_shipped') return null;
  const due = fulfillmentDueDate(order.placedAt, settings.fulfillmentDelayedBusinessDays, storeTimeZone);
  if (localDate(now, storeTimeZone) <= due) return null;
  return {
    milestone: 'fulfillment_delayed',
    subject: 'order',
    orderId: order.orderId,
    shipmentId: null,
    since: startOfLocalDate(addCalendarDays(due, 1), storeTimeZone),
    details: { placedAt: order.placedAt, shipBy: due, businessDays: settings.fulfillmentDelayedBusinessDays },
  };
}

export type AlertShipmentFacts = {
  shipmentId: string;
  orderId: string;
  orderStatus: OrderStatus;
  promisedDeliveryDate: string | null;
  shippingAddress: Pick<PostalAddress, 'country' | 'region'>;
  status: ShippingStatus;
  firstScanAt: string | null;
  lastEventAt: string | null;
  carrierEddFirst: string | null;
  predictedEdd: string | null;
  predictedEddEarliest: string | null;
  predictedEddConfidence: PredictionConfidence | null;
};

const HOUR_MS = 3_600_000;

/** In transit and no scan for N days. Only `in_transit`: other statuses have milestones of their own. */
export function detectStalledInTransit(
  shipment: AlertShipmentFacts,
  settings: AlertSettings,
  now: string,
): DetectedAlert | null {
  if (CLOSED_ORDER.has(shipment.orderStatus) || shipment.status !== 'in_transit') return null;
  const lastScan = shipment.lastEventAt ?? shipment.firstScanAt;
  if (!lastScan) return null;
  const since = new Date(Date.parse(lastScan) + settings.stalledInTransitDays * 24 * HOUR_MS).toISOString();
  if (now < since) return null;
  return {
    milestone: 'stalled_in_transit',
    subject: 'shipment',
    orderId: shipment.orderId,
    shipmentId: shipment.shipmentId,
    since,
    details: { lastScanAt: lastScan, days: settings.stalledInTransitDays },
  };
}

/** What the customer was promised: the merchant's date, else the first date the carrier ever gave. */
export function promiseDate(promisedDeliveryDate: string | null, carrierEddFirst: string | null): string | null {
  return eddDate(promisedDeliveryDate) ?? eddDate(carrierEddFirst);
}

/** Statuses where lateness is still news; on the van it is arriving, finished parcels are past it. */
const LATE_CAN_APPLY: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'pending',
  'info_received',
  'in_transit',
  'exception',
  'attempt_failed',
  'unknown',
]);

/**
 * The first local date on which the parcel counts as late, stored with the
 * prediction so the scan reads an index range instead of comparing columns
 * across tables: today when even the early end of the predicted range misses
 * the promise, else the day after the promise (undelivered past it is late
 * whatever was predicted). Null without a promise.
 */
export function lateFromDate(input: {
  promise: string | null;
  predictedEarliest: string | null;
  today: string;
}): string | null {
  if (!input.promise) return null;
  if (input.predictedEarliest && input.predictedEarliest > input.promise) return input.today;
  return addCalendarDays(input.promise, 1);
}

/**
 * Predicted late: the early end of the estimate is after the promise (so
 * even the optimistic outcome misses it; the 10th percentile keeps false
 * alarms near one in ten), or the promise has passed undelivered.
 */
export function detectPredictedLate(
  shipment: AlertShipmentFacts,
  now: string,
  storeTimeZone: string,
): DetectedAlert | null {
  if (CLOSED_ORDER.has(shipment.orderStatus) || !LATE_CAN_APPLY.has(shipment.status)) return null;
  const promise = promiseDate(shipment.promisedDeliveryDate, shipment.carrierEddFirst);
  if (!promise) return null;
  const timeZone = deliveryTimeZone(shipment.shippingAddress, storeTimeZone);
  const today = localDate(now, timeZone);
  const earliest = eddDate(shipment.predictedEddEarliest);
  const predictedAfter = earliest !== null && earliest > promise;
  if (!predictedAfter && today <= promise) return null;
  return {
    milestone: 'predicted_late',
    subject: 'shipment',
    orderId: shipment.orderId,
    shipmentId: shipment.shipmentId,
    since: predictedAfter ? now : startOfLocalDate(addCalendarDays(promise, 1), timeZone),
    details: { promisedDate: promise, predictedEdd: eddDate(shipment.predictedEdd), predictedEarliest: earliest },
  };
}

/** Before this local hour "arriving today" would wake people for a parcel that comes at noon. */
export const ARRIVING_TODAY_FROM_HOUR = 7;

/**
 * The estimate says today and the parcel is still in transit. Once it is out
 * for delivery that milestone tells the customer instead; a low-confidence
 * estimate is not worth a message that says "today".
 */
export function detectArrivingToday(
  shipment: AlertShipmentFacts,
  now: string,
  storeTimeZone: string,
): DetectedAlert | null {
  if (CLOSED_ORDER.has(shipment.orderStatus) || shipment.status !== 'in_transit') return null;
  const expected = eddDate(shipment.predictedEdd);
  if (!expected || shipment.predictedEddConfidence === null || shipment.predictedEddConfidence === 'low') return null;
  const timeZone = deliveryTimeZone(shipment.shippingAddress, storeTimeZone);
  const local = localDateTime(now, timeZone);
  if (local.date !== expected || local.hour < ARRIVING_TODAY_FROM_HOUR) return null;
  return {
    milestone: 'arriving_today',
    subject: 'shipment',
    orderId: shipment.orderId,
    shipmentId: shipment.shipmentId,
    since:
      zonedTimeToInstant(`${expected}T${String(ARRIVING_TODAY_FROM_HOUR).padStart(2, '0')}:00:00`, timeZone) ?? now,
    details: { expectedDate: expected, confidence: shipment.predictedEddConfidence },
  };
}

/** Every scheduled alert that holds for a shipment now. */
export function detectShipmentAlerts(
  shipment: AlertShipmentFacts,
  settings: AlertSettings,
  now: string,
  storeTimeZone: string,
): DetectedAlert[] {
  return [
    detectStalledInTransit(shipment, settings, now),
    detectPredictedLate(shipment, now, storeTimeZone),
    detectArrivingToday(shipment, now, storeTimeZone),
  ].filter((alert): alert is DetectedAlert => alert !== null);
}
