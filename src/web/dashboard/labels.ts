import type { OrderStatus } from '../../core/order/order-status.js';
import type { ShippingSummary } from '../../core/order/shipping-summary.js';
import type { Milestone } from '../../core/notification/milestone.js';
import type { DashboardRole } from '../../core/ports/session.port.js';
import type { ShippingStatus, TrackerState } from '../../core/shipment/shipping-status.js';

/**
 * The merchant's words for every status the dashboard shows. A badge always
 * carries its text; the tone only adds colour, never meaning of its own.
 */
export type Tone = 'neutral' | 'info' | 'progress' | 'success' | 'warning' | 'danger';
export type Badge = { text: string; tone: Tone; title: string };

export const ORDER_STATUS_LABEL: Readonly<Record<OrderStatus, [string, Tone]>> = {
  pending: ['Pending', 'neutral'],
  processing: ['Processing', 'info'],
  on_hold: ['On hold', 'warning'],
  partially_fulfilled: ['Partially fulfilled', 'progress'],
  fulfilled: ['Fulfilled', 'success'],
  cancelled: ['Cancelled', 'neutral'],
  refunded: ['Refunded', 'neutral'],
};

export const SHIPPING_STATUS_LABEL: Readonly<Record<ShippingStatus, [string, Tone]>> = {
  pending: ['Pending', 'neutral'],
  info_received: ['Label created', 'info'],
  in_transit: ['In transit', 'progress'],
  out_for_delivery: ['Out for delivery', 'progress'],
  available_for_pickup: ['Ready for pickup', 'progress'],
  attempt_failed: ['Failed attempt', 'warning'],
  delivered: ['Delivered', 'success'],
  exception: ['Exception', 'warning'],
  return_to_sender: ['Returning', 'danger'],
  failure: ['Failure', 'danger'],
  cancelled: ['Cancelled', 'neutral'],
  expired: ['Expired', 'warning'],
  unknown: ['Unknown', 'neutral'],
};

export const SHIPPING_SUMMARY_LABEL: Readonly<Record<ShippingSummary, [string, Tone]>> = {
  not_shipped: ['Not shipped', 'neutral'],
  partially_shipped: ['Partially shipped', 'info'],
  in_transit: ['In transit', 'progress'],
  out_for_delivery: ['Out for delivery', 'progress'],
  partially_delivered: ['Partially delivered', 'progress'],
  delivered: ['Delivered', 'success'],
  attention: ['Needs attention', 'danger'],
  cancelled: ['Cancelled', 'neutral'],
};

export const TRACKER_STATE_LABEL: Readonly<Record<TrackerState, [string, Tone]>> = {
  active: ['Tracking', 'info'],
  stopped_delivered: ['Stopped: delivered', 'neutral'],
  stopped_stale: ['Stopped: no news', 'warning'],
  error_invalid_number: ['Invalid tracking number', 'danger'],
  error_carrier_auth: ['Carrier credentials missing', 'danger'],
  error_unsupported_carrier: ['Carrier not supported', 'warning'],
};

export const NOTIFICATION_STATE_LABEL: Readonly<Record<string, [string, Tone]>> = {
  planned: ['Planned', 'info'],
  held: ['Held', 'warning'],
  sending: ['Sending', 'progress'],
  sent: ['Sent', 'success'],
  failed: ['Failed', 'danger'],
  suppressed: ['Suppressed', 'neutral'],
  dead: ['Gave up', 'danger'],
};

export const WEBHOOK_OUTCOME_LABEL: Readonly<Record<string, [string, Tone]>> = {
  pending: ['Pending', 'warning'],
  delivered: ['Delivered', 'success'],
  failed: ['Failed', 'danger'],
};

export const MILESTONE_LABEL: Readonly<Record<Milestone, string>> = {
  order_confirmed: 'Order confirmed',
  order_cancelled: 'Order cancelled',
  shipped: 'Shipped',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  available_for_pickup: 'Ready for pickup',
  attempt_failed: 'Failed attempt',
  delivered: 'Delivered',
  exception: 'Exception',
  return_to_sender: 'Returning to sender',
  all_delivered: 'All parcels delivered',
  fulfillment_delayed: 'Fulfilment delayed',
  stalled_in_transit: 'Stalled in transit',
  predicted_late: 'Predicted late',
  arriving_today: 'Arriving today',
};

export const CHANNEL_LABEL: Readonly<Record<string, string>> = { email: 'Email', sms: 'SMS', webhook: 'Webhook' };

const CARRIER_NAME: Readonly<Record<string, string>> = {
  ups: 'UPS',
  fedex: 'FedEx',
  usps: 'USPS',
  dhl: 'DHL',
  dpd: 'DPD',
  canada_post: 'Canada Post',
  ontrac: 'OnTrac',
  amazon: 'Amazon',
  sandbox: 'Sandbox',
};

export function roleLabel(role: DashboardRole): string {
  return role === 'owner' ? 'Owner' : 'Staff';
}

/** Credential fields by the names each carrier's developer portal gives them, so they can be matched when copied. */
const CREDENTIAL_FIELD_LABEL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ups: { clientId: 'Client ID', clientSecret: 'Client secret' },
  fedex: { clientId: 'API key (client ID)', clientSecret: 'Secret key (client secret)' },
  usps: { clientId: 'Consumer key (client ID)', clientSecret: 'Consumer secret (client secret)' },
  dhl: { apiKey: 'API key' },
};

export function credentialFieldLabel(carrier: string, field: string): string {
  return CREDENTIAL_FIELD_LABEL[carrier]?.[field] ?? humanise(field.replace(/([A-Z])/g, '_$1').toLowerCase());
}

/** Turns `return_to_sender` into "Return to sender" for vocabularies without a table here. */
export function humanise(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.length === 0 ? code : words.charAt(0).toUpperCase() + words.slice(1);
}

export function carrierName(code: string | null): string {
  if (!code) return 'Unknown carrier';
  return CARRIER_NAME[code] ?? code.toUpperCase();
}

function lookup(table: Readonly<Record<string, [string, Tone]>>, code: string, kind: string): Badge {
  const found = Object.hasOwn(table, code) ? table[code] : undefined;
  const [text, tone] = found ?? [humanise(code), 'neutral'];
  return { text, tone, title: `${kind}: ${code}` };
}

export const badge = {
  orderStatus: (code: string): Badge => lookup(ORDER_STATUS_LABEL, code, 'Order status'),
  shippingStatus: (code: string): Badge => lookup(SHIPPING_STATUS_LABEL, code, 'Shipping status'),
  shippingSummary: (code: string): Badge => lookup(SHIPPING_SUMMARY_LABEL, code, 'Shipping summary'),
  trackerState: (code: string): Badge => lookup(TRACKER_STATE_LABEL, code, 'Tracker'),
  notificationState: (code: string): Badge => lookup(NOTIFICATION_STATE_LABEL, code, 'Notification'),
  webhookOutcome: (code: string): Badge => lookup(WEBHOOK_OUTCOME_LABEL, code, 'Delivery'),
};

export function milestoneLabel(code: string): string {
  return Object.hasOwn(MILESTONE_LABEL, code) ? MILESTONE_LABEL[code as Milestone] : humanise(code);
}

export function channelLabel(code: string): string {
  return CHANNEL_LABEL[code] ?? humanise(code);
}
