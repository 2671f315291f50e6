import { LinkSigner } from '../../adapters/auth/signed-link.js';
import type { LinkClaims } from '../../core/ports/signed-links.port.js';
import type { JourneyStepKey, JourneyStepState } from '../../core/journey/customer-journey.js';
import type { Milestone } from '../../core/notification/milestone.js';
import type { ShippingStatus, Substatus } from '../../core/shipment/shipping-status.js';
import type { NotificationTemplateInput, TemplateChannel } from './render-notification.js';
import { resolveNotificationLocale } from './render-notification.js';
import type { SupportedLocale } from './templates/locale-copy.js';

const SAMPLE_STORE_ID = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b';
const SAMPLE_ORDER_ID = '019ab3c4-7e8f-7a90-8b1c-3d4e5f6a7b8c';
/** A fixed key: sample links are real signed links, as long as the ones customers get. */
const SAMPLE_SIGNER = new LinkSigner(Buffer.alloc(32, 0x5a));
const SAMPLE_EXPIRY = new Date('2027-02-24T00:00:00.000Z');

function sampleLink(path: 't' | 'u', claims: LinkClaims): string {
  return `https://track.northwind.example/${path}/${SAMPLE_SIGNER.sign(claims, SAMPLE_EXPIRY)}`;
}

const CUSTOMER_NAMES: Readonly<Record<SupportedLocale, string>> = {
  en: 'Alex Morgan',
  es: 'Lucía Fernández',
  fr: 'Camille Dubois',
  de: 'Jonas Müller',
};

type SampleShipment = { status: ShippingStatus; substatus: Substatus; estimatedDelivery: string | null };

// 2026-11-26 is a Thursday; the late prediction moves it to the Monday after.
const ON_TIME = '2026-11-26';
const LATE = '2026-11-30';

/** What the parcel looks like when each milestone fires; null for order-level milestones. */
const SHIPMENT_AT: Readonly<Record<Milestone, SampleShipment | null>> = {
  order_confirmed: null,
  order_cancelled: null,
  shipped: { status: 'info_received', substatus: 'label_created', estimatedDelivery: ON_TIME },
  in_transit: { status: 'in_transit', substatus: 'picked_up', estimatedDelivery: ON_TIME },
  out_for_delivery: { status: 'out_for_delivery', substatus: 'out_for_delivery', estimatedDelivery: ON_TIME },
  available_for_pickup: {
    status: 'available_for_pickup',
    substatus: 'ready_at_pickup_point',
    estimatedDelivery: null,
  },
  attempt_failed: { status: 'attempt_failed', substatus: 'recipient_unavailable', estimatedDelivery: ON_TIME },
  delivered: { status: 'delivered', substatus: 'delivered', estimatedDelivery: null },
  exception: { status: 'exception', substatus: 'customs_hold', estimatedDelivery: LATE },
  return_to_sender: { status: 'return_to_sender', substatus: 'returning', estimatedDelivery: null },
  all_delivered: null,
  fulfillment_delayed: null,
  stalled_in_transit: { status: 'in_transit', substatus: 'in_transit', estimatedDelivery: ON_TIME },
  predicted_late: { status: 'in_transit', substatus: 'in_transit', estimatedDelivery: LATE },
  arriving_today: { status: 'in_transit', substatus: 'at_local_delivery_depot', estimatedDelivery: ON_TIME },
};

const STANDARD: readonly JourneyStepKey[] = [
  'ordered',
  'processing',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'delivered',
];
const PICKUP: readonly JourneyStepKey[] = ['ordered', 'processing', 'shipped', 'in_transit', 'ready_for_pickup'];

function bar(keys: readonly JourneyStepKey[], current: JourneyStepKey | null) {
  const at = current === null ? keys.length : keys.indexOf(current);
  return keys.map((key, index) => {
    const state: JourneyStepState = index < at ? 'done' : index === at ? 'current' : 'upcoming';
    return { key, state };
  });
}

const JOURNEY_AT: Readonly<Record<Milestone, NotificationTemplateInput['journey']>> = {
  order_confirmed: bar(STANDARD, 'processing'),
  order_cancelled: [
    { key: 'ordered', state: 'done' },
    { key: 'cancelled', state: 'done' },
  ],
  shipped: bar(STANDARD, 'shipped'),
  in_transit: bar(STANDARD, 'in_transit'),
  out_for_delivery: bar(STANDARD, 'out_for_delivery'),
  available_for_pickup: bar(PICKUP, 'ready_for_pickup'),
  attempt_failed: bar(STANDARD, 'out_for_delivery'),
  delivered: bar(STANDARD, null),
  exception: bar(STANDARD, 'in_transit'),
  return_to_sender: [...bar(STANDARD.slice(0, 4), null), { key: 'return_to_sender', state: 'current' }],
  all_delivered: bar(STANDARD, null),
  fulfillment_delayed: bar(STANDARD, 'processing'),
  stalled_in_transit: bar(STANDARD, 'in_transit'),
  predicted_late: bar(STANDARD, 'in_transit'),
  arriving_today: bar(STANDARD, 'in_transit'),
};

/**
 * A realistic message input for previews and tests: a US store with full
 * branding, a customer whose name fits the locale, a UPS parcel in the state
 * the milestone implies, and links as long as real signed ones.
 */
export function sampleNotificationInput(
  milestone: Milestone,
  locale: string,
  channel: TemplateChannel = 'email',
): NotificationTemplateInput {
  const shipment = SHIPMENT_AT[milestone];
  const customerLanguage = resolveNotificationLocale(locale, null).language;
  return {
    milestone,
    channel,
    locale,
    store: {
      name: 'Northwind Outfitters',
      locale: 'en-US',
      timeZone: 'America/New_York',
      branding: {
        displayName: 'Northwind Outfitters',
        logoUrl: 'https://cdn.northwind.example/brand/logo-240x80.png',
        primaryColor: '#1d4ed8',
        accentColor: '#f59e0b',
        supportEmail: 'help@northwind.example',
        supportUrl: 'https://northwind.example/pages/help',
      },
    },
    order: { number: '#1042', customerName: CUSTOMER_NAMES[customerLanguage] },
    shipment: shipment && { carrier: 'ups', trackingNumber: '1Z999AA10123456784', ...shipment },
    journey: JOURNEY_AT[milestone],
    trackingUrl: sampleLink('t', { kind: 'track', storeId: SAMPLE_STORE_ID, orderId: SAMPLE_ORDER_ID }),
    unsubscribeUrl: sampleLink('u', {
      kind: 'unsubscribe',
      storeId: SAMPLE_STORE_ID,
      channel,
      recipient: channel === 'sms' ? '+15555550142' : 'alex.morgan@example.com',
    }),
    attemptNumber: milestone === 'out_for_delivery' || milestone === 'attempt_failed' ? 1 : 0,
    exceptionKind:
      shipment && (milestone === 'exception' || milestone === 'attempt_failed') ? shipment.substatus : null,
  };
}
