import type { Order } from '../../core/order/order.js';
import { ORDER_STATUSES } from '../../core/order/order-status.js';
import { SHIPPING_SUMMARIES } from '../../core/order/shipping-summary.js';
import { PLATFORM_SYNC_REF, type NotificationRecord, type StatusChange } from '../../core/ports/storage.port.js';
import { formatLocation, type Shipment, type TrackingEvent } from '../../core/shipment/shipment.js';
import { SHIPPING_STATUSES } from '../../core/shipment/shipping-status.js';
import { formatDay, formatInstant } from './format.js';
import {
  badge,
  carrierName,
  channelLabel,
  humanise,
  milestoneLabel,
  ORDER_STATUS_LABEL,
  SHIPPING_STATUS_LABEL,
  SHIPPING_SUMMARY_LABEL,
} from './labels.js';
import type { OrderDetailView, OrderRowView, Option, ShipmentView, TimeView } from './render-dashboard.js';

export const KNOWN_CARRIERS = ['ups', 'fedex', 'usps', 'dhl', 'dpd', 'canada_post', 'ontrac', 'amazon', 'sandbox'];

export function timeView(iso: string | null | undefined, timeZone: string): TimeView {
  return { iso: iso ?? null, text: formatInstant(iso, timeZone) };
}

function options(
  values: readonly string[],
  labels: Readonly<Record<string, [string, unknown]>>,
  chosen: string,
): Option[] {
  return values.map((value) => ({ value, label: labels[value]?.[0] ?? humanise(value), selected: value === chosen }));
}

export function filterOptions(chosen: { orderStatus: string; shippingStatus: string; shippingSummary: string }) {
  return {
    orderStatus: options(ORDER_STATUSES, ORDER_STATUS_LABEL, chosen.orderStatus),
    shippingStatus: options(SHIPPING_STATUSES, SHIPPING_STATUS_LABEL, chosen.shippingStatus),
    shippingSummary: options(SHIPPING_SUMMARIES, SHIPPING_SUMMARY_LABEL, chosen.shippingSummary),
    carriers: KNOWN_CARRIERS.map(carrierName),
  };
}

export function orderRow(order: Order & { shipments: Shipment[] }, timeZone: string): OrderRowView {
  return {
    href: `/dashboard/orders/${order.id}`,
    number: order.number,
    placedAt: timeView(order.placedAt, timeZone),
    customerName: order.customer.name ?? order.customer.email ?? '—',
    email: order.customer.name ? order.customer.email : null,
    orderStatus: badge.orderStatus(order.orderStatus),
    summary: badge.shippingSummary(order.shippingSummary),
    shipments: order.shipments.map((s) => ({
      carrier: carrierName(s.carrier),
      trackingNumber: s.trackingNumber,
      status: badge.shippingStatus(s.status),
    })),
  };
}

function platformFields(status: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(status).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

const CONFIDENCE_TEXT: Readonly<Record<string, string>> = {
  given: 'given by the platform',
  detected: 'detected from the number',
  overridden: 'set by the merchant',
  unknown: 'unknown',
};

const SOURCE_TEXT: Readonly<Record<string, string>> = {
  carrier_api: 'Carrier API',
  aggregator_webhook: 'Aggregator webhook',
  platform: 'Platform',
  merchant: 'Merchant',
  waymark: 'Waymark',
};

function eventView(event: TrackingEvent, timeZone: string) {
  return {
    at: timeView(event.occurredAt, timeZone),
    local: event.occurredAtLocal,
    status: badge.shippingStatus(event.status),
    substatus: humanise(event.substatus),
    reason: event.reason ? humanise(event.reason) : null,
    description: event.description,
    location: formatLocation(event.location),
    rawCode: event.rawCode,
    rawStatus: event.rawStatus,
    source: SOURCE_TEXT[event.source] ?? humanise(event.source),
  };
}

function shipmentView(shipment: Shipment & { events: TrackingEvent[] }, timeZone: string): ShipmentView {
  const base = `/dashboard/shipments/${shipment.id}`;
  const dates = [
    ['Shipped', shipment.shippedAt],
    ['First scan', shipment.firstScanAt],
    ['Out for delivery', shipment.outForDeliveryAt],
    ['Delivered', shipment.deliveredAt],
    ['Last event', shipment.lastEventAt],
    ['Next check', shipment.nextCheckAt],
  ] as const;
  const estimates = [
    ['Carrier EDD (first)', shipment.carrierEddFirst],
    ['Carrier EDD (latest)', shipment.carrierEddLatest],
    ['Predicted', shipment.predictedEdd],
  ] as const;
  return {
    anchor: `parcel-${shipment.id}`,
    carrier: carrierName(shipment.carrier),
    confidence: CONFIDENCE_TEXT[shipment.carrierConfidence] ?? shipment.carrierConfidence,
    trackingNumber: shipment.trackingNumber,
    service: shipment.service,
    platformShipmentStatus: shipment.platformShipmentStatus,
    status: badge.shippingStatus(shipment.status),
    tracker: badge.trackerState(shipment.trackerState),
    substatus: humanise(shipment.substatus),
    substatusCode: shipment.substatus,
    reason: shipment.reason ? humanise(shipment.reason) : null,
    actionRequired: shipment.actionRequired,
    attemptNumber: shipment.attemptNumber,
    dates: dates.filter(([, at]) => at !== null).map(([label, at]) => ({ label, time: timeView(at, timeZone) })),
    estimates: estimates
      .filter(([, value]) => value !== null)
      .map(([label, value]) => ({ label, value: formatDay(value, timeZone) })),
    signedBy: shipment.signedBy,
    events: [...shipment.events]
      .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0))
      .map((e) => eventView(e, timeZone)),
    actions: {
      refresh: `${base}/refresh`,
      carrier: `${base}/carrier`,
      delivered: `${base}/delivered`,
      canMarkDelivered: shipment.status !== 'delivered' && shipment.status !== 'return_to_sender',
    },
  };
}

const FIELD_TEXT: Readonly<Record<StatusChange['field'], string>> = {
  order_status: 'Order status',
  financial_status: 'Payment status',
  shipping_status: 'Shipping status',
  shipping_summary: 'Shipping summary',
  carrier: 'Carrier',
};

const CAUSE_TEXT: Readonly<Record<string, string>> = {
  event: 'Carrier event',
  webhook: 'Webhook',
  poll: 'Carrier poll',
  api: 'REST API',
  user: 'Dashboard user',
};

/** Who said so. Polls are the carrier's unless the platform sync made them; only the platform sets order and payment status. */
export function causeOf(change: StatusChange, platformLabel: string): { cause: string; ref: string | null } {
  const fromPlatform =
    change.cause === 'poll' &&
    (change.causeRef === PLATFORM_SYNC_REF || change.field === 'order_status' || change.field === 'financial_status');
  if (fromPlatform) return { cause: `${platformLabel} sync`, ref: null };
  return { cause: CAUSE_TEXT[change.cause] ?? humanise(change.cause), ref: change.causeRef };
}

/** Sent, failed or suppressed messages may be sent again; waiting ones are on their way already. */
const RESENDABLE = new Set(['sent', 'failed', 'suppressed', 'dead']);

export function orderDetailParts(
  detail: {
    order: Order & { shipments: (Shipment & { events: TrackingEvent[] })[] };
    journal: StatusChange[];
    notifications: NotificationRecord[];
  },
  context: { timeZone: string; platform: string },
): Pick<OrderDetailView, 'order' | 'shipments' | 'journal' | 'notifications' | 'carrierOptions'> {
  const { order, journal, notifications } = detail;
  const tz = context.timeZone;
  const parcelName = new Map(order.shipments.map((s) => [s.id, `${carrierName(s.carrier)} ${s.trackingNumber}`]));
  const address = [
    order.shippingAddress.city,
    order.shippingAddress.region,
    order.shippingAddress.postalCode,
    order.shippingAddress.country,
  ]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(', ');
  return {
    order: {
      number: order.number,
      placedAt: timeView(order.placedAt, tz),
      platformLabel: humanise(context.platform),
      orderStatus: badge.orderStatus(order.orderStatus),
      financialStatus: order.financialStatus ? humanise(order.financialStatus) : null,
      cancelReason: order.cancelReason,
      platformStatus: platformFields(order.platformStatus),
      summary: badge.shippingSummary(order.shippingSummary),
      promised: order.promisedDeliveryDate ? formatDay(order.promisedDeliveryDate, tz) : null,
      customer: order.customer,
      address: address.length > 0 ? address : null,
      lineItems: order.lineItems.map((li) => ({ name: li.name, sku: li.sku, quantity: li.quantity })),
    },
    shipments: order.shipments.map((s) => shipmentView(s, tz)),
    journal: [...journal].reverse().map((j) => ({
      at: timeView(j.at, tz),
      subject:
        j.entityType === 'order' ? `Order ${order.number}` : `Parcel ${parcelName.get(j.entityId) ?? j.entityId}`,
      field: FIELD_TEXT[j.field] ?? humanise(j.field),
      from: j.from ?? '(none)',
      to: j.to,
      ...causeOf(j, humanise(context.platform)),
    })),
    notifications: [...notifications].reverse().map((n) => ({
      created: timeView(n.createdAt, tz),
      subject: n.shipmentId ? `Parcel ${parcelName.get(n.shipmentId) ?? ''}` : 'Order',
      milestone: milestoneLabel(n.milestone) + (n.idempotencyKey.includes(':resend:') ? ' (resend)' : ''),
      channel: channelLabel(n.channel),
      recipient: n.recipient,
      state: badge.notificationState(n.state),
      reason: n.reason,
      attempts: n.attempts,
      sentAt: timeView(n.sentAt, tz),
      resend: RESENDABLE.has(n.state) ? `/dashboard/notifications/${n.id}/resend` : null,
    })),
    carrierOptions: KNOWN_CARRIERS.map(carrierName),
  };
}
