import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Customer, LineItem, PostalAddress } from '../../../core/order/order.js';
import type { FinancialStatus, OrderStatus } from '../../../core/order/order-status.js';
import type { PlatformOrder, PlatformShipment } from '../../../core/ports/platform.port.js';
import { DELETED_ON_PLATFORM } from '../../../core/ports/platform.port.js';

/**
 * BigCommerce v2 order → `PlatformOrder` (TAXONOMY §1). Pure: the client
 * fetches the order and its sub-resources (`/products`, `/shipping_addresses`,
 * `/shipments`), this file only reads them.
 */

/** `status_id` 0: the shopper reached the payment page and left. Never imported (TAXONOMY §1). */
export const BIGCOMMERCE_INCOMPLETE_STATUS_ID = 0;

/**
 * Where a `status_id` goes. `by_fulfilment` reads `items_shipped` / `items_total`
 * because the status says nothing about shipping (14 Partially Refunded).
 */
export type BigCommerceStatusRule = OrderStatus | 'by_fulfilment' | 'not_imported';

/** The system statuses of `GET /v2/order_statuses`; merchants rename them (`custom_status`) but not their ids. */
export const BIGCOMMERCE_ORDER_STATUSES: Readonly<Record<number, { name: string; rule: BigCommerceStatusRule }>> = {
  0: { name: 'Incomplete', rule: 'not_imported' },
  1: { name: 'Pending', rule: 'pending' },
  2: { name: 'Shipped', rule: 'fulfilled' },
  3: { name: 'Partially Shipped', rule: 'partially_fulfilled' },
  4: { name: 'Refunded', rule: 'refunded' },
  5: { name: 'Cancelled', rule: 'cancelled' },
  6: { name: 'Declined', rule: 'cancelled' },
  7: { name: 'Awaiting Payment', rule: 'pending' },
  8: { name: 'Awaiting Pickup', rule: 'processing' },
  9: { name: 'Awaiting Shipment', rule: 'processing' },
  // "Completed" is BigCommerce's end state for digital goods: paid and downloadable.
  10: { name: 'Completed', rule: 'fulfilled' },
  11: { name: 'Awaiting Fulfillment', rule: 'processing' },
  12: { name: 'Manual Verification Required', rule: 'on_hold' },
  13: { name: 'Disputed', rule: 'on_hold' },
  // A partial refund changes the money, not the parcels: the status follows what was shipped.
  14: { name: 'Partially Refunded', rule: 'by_fulfilment' },
};

/**
 * `payment_status` → financial status. `''` (no payment recorded, e.g. a
 * manual order) → null.
 */
export const BIGCOMMERCE_PAYMENT_STATUSES: Readonly<Record<string, FinancialStatus | null>> = {
  '': null,
  pending: 'pending',
  // Held by the gateway's fraud review: nothing is collected yet.
  'held for review': 'pending',
  authorized: 'authorized',
  // Capture requested, not settled: the money is still only authorised.
  'capture pending': 'authorized',
  captured: 'paid',
  paid: 'paid',
  'partially refunded': 'partially_refunded',
  refunded: 'refunded',
  void: 'voided',
  'void pending': 'voided',
  // The gateway refused the payment: nothing was or will be collected on it.
  declined: 'voided',
};

/**
 * Key in `platformStatus` that marks an order deleted on the platform; the
 * same string as `DELETED_ON_PLATFORM` in `app/ingest-platform-order.ts`
 * (adapters may not import app/). BigCommerce "archives" instead of deleting
 * (`is_deleted: true`), and a re-fetch of an archived order must not look live.
 */
export const DELETED_ON_PLATFORM_KEY = DELETED_ON_PLATFORM;

export type BigCommerceMappingOptions = {
  /** Hears each status value missing from the tables above ("status_id=15", "payment_status=…"). */
  onUnknownStatus?: (value: string) => void;
};

/** The responses the mapper reads, each exactly as BigCommerce answers (204 → empty array). */
export type BigCommerceOrderParts = {
  /** `GET /v2/orders/{id}` or one element of `GET /v2/orders`. */
  order: unknown;
  /** `GET /v2/orders/{id}/shipping_addresses`. */
  shippingAddresses?: unknown;
  /** `GET /v2/orders/{id}/products`. */
  products?: unknown;
  /** `GET /v2/orders/{id}/shipments`. */
  shipments?: unknown;
};

const text = z.string().nullish();
// Postal codes and phones are strings in the spec, but stores migrated from elsewhere carry numbers.
const textOrNumber = z.union([z.string(), z.number()]).nullish();

const addressSchema = z.object({
  first_name: text,
  last_name: text,
  city: text,
  state: text,
  zip: textOrNumber,
  country: text,
  country_iso2: text,
  phone: textOrNumber,
  email: text,
});

const orderSchema = z.object({
  id: z.number().int().positive(),
  status_id: z.number().int().nonnegative(),
  status: text,
  custom_status: text,
  payment_status: text,
  date_created: z.string(),
  date_modified: z.string(),
  date_shipped: text,
  items_total: z.number().nullish(),
  items_shipped: z.number().nullish(),
  refunded_amount: textOrNumber,
  order_is_digital: z.boolean().nullish(),
  is_deleted: z.boolean().nullish(),
  customer_locale: text,
  billing_address: addressSchema.nullish(),
  shipping_address_count: z.number().nullish(),
});

const shippingAddressSchema = addressSchema.extend({ id: z.number().int() });

const productSchema = z.object({
  id: z.number().int(),
  name: text,
  name_customer: text,
  sku: text,
  quantity: z.number(),
});

const shipmentSchema = z.object({
  id: z.number().int(),
  date_created: text,
  tracking_number: text,
  shipping_method: text,
  shipping_provider: text,
  shipping_provider_display_name: text,
  tracking_carrier: text,
  tracking_link: text,
  generated_tracking_link: text,
  items: z.array(z.object({ order_product_id: z.number().int(), quantity: z.number() })).nullish(),
});

export type BigCommerceOrder = z.infer<typeof orderSchema>;
type BigCommerceAddress = z.infer<typeof addressSchema>;
type BigCommerceShipment = z.infer<typeof shipmentSchema>;

function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  throw new DomainError(
    ErrorCode.InvalidInput,
    `BigCommerce ${what}${path} has an unexpected shape: ${issue?.message ?? 'invalid'}`,
  );
}

/** Validates one v2 order object (list element or single GET). Throws `invalid_input` naming the field. */
export function parseBigCommerceOrder(value: unknown): BigCommerceOrder {
  return validate(orderSchema, value, 'order');
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

const RFC_2822 =
  /^(?:[A-Z][a-z]{2},\s*)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|GMT|UTC?|Z)$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function offsetMinutes(zone: string | undefined): number {
  if (!zone || /^(?:GMT|UTC?|Z)$/.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function instant(
  parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number },
  zone: string | undefined,
): number | null {
  const local = Date.UTC(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second, parts.ms);
  const check = new Date(local);
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is not a date.
  if (
    check.getUTCFullYear() !== parts.year ||
    check.getUTCMonth() !== parts.month ||
    check.getUTCDate() !== parts.day ||
    parts.hour > 23 ||
    parts.minute > 59 ||
    parts.second > 59
  ) {
    return null;
  }
  return local - offsetMinutes(zone) * 60_000;
}

/**
 * Epoch milliseconds of a BigCommerce date: v2 answers in RFC 2822
 * (`Tue, 05 Mar 2019 21:40:11 +0000`), v3 and some filters in ISO 8601. The
 * docs say v2 dates are always UTC, so an ISO time without a zone is read as
 * UTC. Null when the text is not a date.
 */
export function parseBigCommerceDateMs(value: string): number | null {
  const trimmed = value.trim();
  const rfc = RFC_2822.exec(trimmed);
  if (rfc) {
    const [, day, monthName, year, hour, minute, second, zone] = rfc;
    const month = MONTHS[monthName ?? ''];
    if (month === undefined) return null;
    return instant(
      {
        year: Number(year),
        month,
        day: Number(day),
        hour: Number(hour),
        minute: Number(minute),
        second: Number(second ?? 0),
        ms: 0,
      },
      zone,
    );
  }
  const iso = ISO_8601.exec(trimmed);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso;
    return instant(
      {
        year: Number(year),
        month: Number(month) - 1,
        day: Number(day),
        hour: Number(hour),
        minute: Number(minute),
        second: Number(second ?? 0),
        ms: Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)),
      },
      zone,
    );
  }
  return null;
}

/** ISO-8601 UTC with milliseconds, or `invalid_input` naming the field. */
function toIso(value: string, field: string): string {
  const ms = parseBigCommerceDateMs(value);
  if (ms === null) throw new DomainError(ErrorCode.InvalidInput, `BigCommerce ${field} is not a date: "${value}"`);
  return new Date(ms).toISOString();
}

/** BigCommerce writes "no value" as an empty string (`date_shipped: ""`, `tracking_carrier: ""`). */
function blankToNull(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed.length > 0 ? trimmed : null;
}

function statusByFulfilment(order: BigCommerceOrder, nothingShipped: OrderStatus): OrderStatus {
  const shipped = order.items_shipped ?? 0;
  const total = order.items_total ?? 0;
  if (total > 0 && shipped >= total) return 'fulfilled';
  if (shipped > 0) return 'partially_fulfilled';
  // Digital goods are never "shipped"; they are delivered once paid.
  if (order.order_is_digital) return 'fulfilled';
  return nothingShipped;
}

/**
 * The unified status of a (non-incomplete) order. An unknown `status_id`
 * follows what was shipped and otherwise says `pending`: the least an order
 * can claim, so nothing is announced (confirmed, cancelled) that BigCommerce
 * did not say. Status 14 with nothing shipped was paid, so `processing`.
 */
export function mapBigCommerceOrderStatus(
  order: BigCommerceOrder,
  options: BigCommerceMappingOptions = {},
): OrderStatus {
  const known = BIGCOMMERCE_ORDER_STATUSES[order.status_id];
  if (!known) {
    options.onUnknownStatus?.(`status_id=${order.status_id}`);
    return statusByFulfilment(order, 'pending');
  }
  if (known.rule === 'not_imported') {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `BigCommerce order ${order.id} has status_id 0 (Incomplete): incomplete checkouts are not imported`,
    );
  }
  if (known.rule === 'by_fulfilment') return statusByFulfilment(order, 'processing');
  return known.rule;
}

/**
 * The financial status from `payment_status`, except where the order status
 * is itself about money: 4 Refunded and 14 Partially Refunded win over a
 * gateway that has not caught up (or recorded nothing, as on manual orders).
 */
export function mapBigCommerceFinancialStatus(
  order: BigCommerceOrder,
  options: BigCommerceMappingOptions = {},
): FinancialStatus | null {
  if (order.status_id === 4) return 'refunded';
  if (order.status_id === 14) return 'partially_refunded';
  const raw = (order.payment_status ?? '').trim().toLowerCase();
  if (raw in BIGCOMMERCE_PAYMENT_STATUSES) return BIGCOMMERCE_PAYMENT_STATUSES[raw] ?? null;
  options.onUnknownStatus?.(`payment_status=${order.payment_status ?? ''}`);
  return null;
}

function toCustomer(order: BigCommerceOrder): Customer {
  const billing = order.billing_address;
  const name = [blankToNull(billing?.first_name), blankToNull(billing?.last_name)].filter(Boolean).join(' ');
  return {
    email: blankToNull(billing?.email),
    name: name.length > 0 ? name : null,
    phone: blankToNull(billing?.phone),
    language: blankToNull(order.customer_locale),
  };
}

function toPostalAddress(address: BigCommerceAddress | null | undefined): PostalAddress {
  const country = blankToNull(address?.country_iso2)?.toUpperCase() ?? null;
  return {
    city: blankToNull(address?.city),
    region: blankToNull(address?.state),
    postalCode: blankToNull(address?.zip),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
  };
}

/**
 * Merchants put several numbers in the one tracking field ("1Z…, 1Z…") when a
 * shipment went in several boxes. Split on list separators only: some
 * numbers are written with spaces (USPS in groups of four).
 */
export function splitTrackingNumbers(value: string | null | undefined): string[] {
  const numbers = (value ?? '')
    .split(/[,;\n\r]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return [...new Set(numbers)];
}

/**
 * The carrier as the merchant named it: `tracking_carrier` is the AfterShip
 * slug of the actual carrier when set; `shipping_provider` is often a rate
 * source (`shipperhq`, `carrier_12`) rather than a carrier, so its display
 * name comes second and its code last.
 */
function carrierName(shipment: BigCommerceShipment): string | null {
  return (
    blankToNull(shipment.tracking_carrier) ??
    blankToNull(shipment.shipping_provider_display_name) ??
    blankToNull(shipment.shipping_provider)
  );
}

function toShipments(shipments: BigCommerceShipment[]): PlatformShipment[] {
  return shipments.flatMap((shipment, index) => {
    const method = blankToNull(shipment.shipping_method);
    const base = {
      externalId: String(shipment.id),
      carrierName: carrierName(shipment),
      // `tracking_link` is the merchant's own URL; BigCommerce fills the generated one only when it is empty.
      trackingUrl: blankToNull(shipment.tracking_link) ?? blankToNull(shipment.generated_tracking_link),
      // "None" is BigCommerce's placeholder for "no method chosen" in shipments made from the control panel.
      service: method === 'None' ? null : method,
      items: (shipment.items ?? []).map((item) => ({
        externalId: String(item.order_product_id),
        quantity: item.quantity,
      })),
      shippedAt: shipment.date_created ? toIso(shipment.date_created, `shipments.${index}.date_created`) : null,
      // BigCommerce has no delivery concept: all shipping status comes from the carrier.
      platformShipmentStatus: null,
      // A removed shipment disappears from the list; BigCommerce has no cancelled state to report.
      cancelled: false,
    };
    // A shipment without a tracking number (items marked shipped by hand) has nothing to track.
    return splitTrackingNumbers(shipment.tracking_number).map((trackingNumber) => ({ ...base, trackingNumber }));
  });
}

function toLineItems(products: z.infer<typeof productSchema>[]): LineItem[] {
  return products.map((product) => ({
    externalId: String(product.id),
    sku: blankToNull(product.sku),
    name: blankToNull(product.name) ?? blankToNull(product.name_customer) ?? `Product ${product.id}`,
    quantity: product.quantity,
  }));
}

function platformStatusOf(order: BigCommerceOrder): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    status_id: order.status_id,
    status: order.status ?? null,
    custom_status: order.custom_status ?? null,
    payment_status: order.payment_status ?? null,
    items_total: order.items_total ?? null,
    items_shipped: order.items_shipped ?? null,
    date_shipped: order.date_shipped ?? null,
    refunded_amount: order.refunded_amount ?? null,
    is_deleted: order.is_deleted ?? false,
  };
  if (order.is_deleted === true) raw[DELETED_ON_PLATFORM_KEY] = true;
  return raw;
}

function arrayOf<T>(schema: z.ZodType<T>, value: unknown, what: string): T[] {
  // 204 No Content (no shipments, no addresses) reaches us as undefined or null.
  if (value === undefined || value === null) return [];
  return validate(z.array(schema), value, what);
}

/**
 * One BigCommerce order with its sub-resources as a `PlatformOrder`.
 * Throws `invalid_input` on a wrong shape and on a `status_id` 0 order
 * (incomplete checkouts are not imported; callers filter them first).
 *
 * The shipping address is the first of `/shipping_addresses`; an order with
 * none (digital goods, store pickup) falls back to the billing address, so
 * the customer can still look the order up by postal code.
 */
export function mapBigCommerceOrder(
  parts: BigCommerceOrderParts,
  options: BigCommerceMappingOptions = {},
): PlatformOrder {
  const order = parseBigCommerceOrder(parts.order);
  const addresses = arrayOf(shippingAddressSchema, parts.shippingAddresses, 'shipping_addresses');
  const products = arrayOf(productSchema, parts.products, 'products');
  const shipments = arrayOf(shipmentSchema, parts.shipments, 'shipments');
  const orderStatus = mapBigCommerceOrderStatus(order, options);
  return {
    externalId: String(order.id),
    // BigCommerce shows the order id as the order number ("Order #218").
    number: String(order.id),
    orderStatus,
    financialStatus: mapBigCommerceFinancialStatus(order, options),
    platformStatus: platformStatusOf(order),
    // BigCommerce records no reason; "Declined" is the only status that names one.
    cancelReason: order.status_id === 6 ? 'declined' : null,
    customer: toCustomer(order),
    shippingAddress: toPostalAddress(addresses[0] ?? order.billing_address),
    lineItems: toLineItems(products),
    promisedDeliveryDate: null,
    placedAt: toIso(order.date_created, 'order.date_created'),
    platformUpdatedAt: toIso(order.date_modified, 'order.date_modified'),
    shipments: toShipments(shipments),
  };
}
