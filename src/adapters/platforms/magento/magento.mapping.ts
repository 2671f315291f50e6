/**
 * Magento 2 / Adobe Commerce order (REST `sales-data-order-interface`, as `GET /V1/orders/{id}`
 * and `GET /V1/orders?searchCriteria…` return it) and shipments (`sales-data-shipment-interface`
 * from `GET /V1/shipments`) → Waymark's `PlatformOrder`. Pure: no I/O.
 *
 * Magento's quirks handled here:
 * - Times (`created_at`, `updated_at`) are `YYYY-MM-DD HH:MM:SS` without a zone; Magento stores
 *   and serves them in UTC.
 * - The REST output drops null fields, so almost everything is optional; numbers sometimes come
 *   as numeric strings (model dumps, third-party modules), so both are accepted.
 * - The order's position is `state` (a fixed set in code) plus `status` (merchant-configurable
 *   per state): the unified status is keyed on `state`; both are kept verbatim.
 * - Configurable and bundle products appear twice in `items[]` (parent and child, linked by
 *   `parent_item_id`); line items are the top-level rows.
 */
import { z } from 'zod';

import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Customer, LineItem, PostalAddress } from '../../../core/order/order.js';
import { FinancialStatus, OrderStatus } from '../../../core/order/order-status.js';
import type { PlatformOrder, PlatformShipment } from '../../../core/ports/platform.port.js';

/**
 * TAXONOMY §1, keyed on Magento's `state`. `processing` is refined by what has shipped
 * (see `magentoOrderStatus`).
 */
export const MAGENTO_STATE_TO_ORDER_STATUS = {
  new: OrderStatus.Pending,
  pending_payment: OrderStatus.Pending,
  payment_review: OrderStatus.Pending,
  processing: OrderStatus.Processing,
  holded: OrderStatus.OnHold,
  complete: OrderStatus.Fulfilled,
  canceled: OrderStatus.Cancelled,
  closed: OrderStatus.Refunded,
} as const satisfies Record<string, OrderStatus>;

export type MagentoState = keyof typeof MAGENTO_STATE_TO_ORDER_STATUS;

/**
 * States are defined in code, so an unknown one comes from a third-party module. `pending`
 * claims the least ("the order exists, nothing confirmed"): it never tells a customer that an
 * order shipped, was cancelled or refunded on the strength of a value we do not understand.
 */
export const MAGENTO_UNKNOWN_STATE_ORDER_STATUS: OrderStatus = OrderStatus.Pending;

/**
 * Magento's own carrier modules: for these the `carrier_code` names the carrier exactly, while
 * the track `title` is the merchant-editable method title ("Express delivery").
 */
const MAGENTO_BUILT_IN_CARRIER_CODES: ReadonlySet<string> = new Set(['ups', 'usps', 'fedex', 'dhl']);

/** Magento's code for a free-text carrier: it says nothing, the title is the name. */
const CUSTOM_CARRIER_CODE = 'custom';

/** Money and quantities are decimals; compare to the cent. */
const EPSILON = 0.005;

export type MagentoMappingOptions = {
  /** Hears each Magento `state` missing from the mapping table (the order still maps, to `pending`). */
  onUnknownStatus?: (value: string) => void;
};

// ---------------------------------------------------------------------------------------------
// Shapes

const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'expected a number')
    .transform(Number),
]);

const entityId = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/, 'expected an id')]);

const flag = z.union([z.boolean(), numeric]).transform((value) => value === true || value === 1);

const text = z.string().nullish();

const addressSchema = z.object({
  address_type: text,
  firstname: text,
  middlename: text,
  lastname: text,
  city: text,
  region: text,
  region_code: text,
  postcode: text,
  country_id: text,
  telephone: text,
  email: text,
});

const orderItemSchema = z.object({
  item_id: entityId.nullish(),
  parent_item_id: entityId.nullish(),
  sku: text,
  name: text,
  product_type: text,
  is_virtual: flag.nullish(),
  qty_ordered: numeric.nullish(),
  qty_shipped: numeric.nullish(),
  qty_canceled: numeric.nullish(),
  qty_refunded: numeric.nullish(),
});

const statusHistorySchema = z.object({
  comment: text,
  status: text,
  is_visible_on_front: flag.nullish(),
  created_at: text,
});

const paymentSchema = z.object({
  amount_authorized: numeric.nullish(),
  amount_paid: numeric.nullish(),
  amount_refunded: numeric.nullish(),
});

const orderSchema = z.object({
  entity_id: entityId,
  increment_id: z.union([z.string().trim().min(1), z.number()]),
  state: z.string().trim().min(1),
  status: text,
  hold_before_state: text,
  hold_before_status: text,
  created_at: z.string(),
  updated_at: z.string(),
  customer_email: text,
  customer_firstname: text,
  customer_middlename: text,
  customer_lastname: text,
  grand_total: numeric.nullish(),
  total_paid: numeric.nullish(),
  total_refunded: numeric.nullish(),
  items: z.array(orderItemSchema).nullish(),
  billing_address: addressSchema.nullish(),
  payment: paymentSchema.nullish(),
  status_histories: z.array(statusHistorySchema).nullish(),
  extension_attributes: z
    .object({
      shipping_assignments: z
        .array(z.object({ shipping: z.object({ address: addressSchema.nullish() }).nullish() }))
        .nullish(),
    })
    .nullish(),
});

const trackSchema = z.object({
  entity_id: entityId.nullish(),
  track_number: z.union([z.string(), z.number()]).nullish(),
  title: text,
  carrier_code: text,
  created_at: text,
});

const shipmentSchema = z.object({
  entity_id: entityId,
  order_id: entityId,
  created_at: text,
  items: z.array(z.object({ order_item_id: entityId.nullish(), qty: numeric.nullish() })).nullish(),
  tracks: z.array(trackSchema).nullish(),
});

export type MagentoOrder = z.infer<typeof orderSchema>;
export type MagentoOrderItem = z.infer<typeof orderItemSchema>;
export type MagentoShipment = z.infer<typeof shipmentSchema>;

function invalidShape(what: string, error: z.ZodError): DomainError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(the whole value)';
  return new DomainError(ErrorCode.InvalidInput, `${what}: field ${field}: ${issue?.message ?? 'invalid'}`, {
    details: { field, issues: error.issues.slice(0, 5) },
  });
}

/** Validates a Magento REST order; throws `invalid_input` naming the first wrong field. */
export function parseMagentoOrder(raw: unknown): MagentoOrder {
  const parsed = orderSchema.safeParse(raw);
  if (!parsed.success) throw invalidShape('Magento order', parsed.error);
  return parsed.data;
}

/** Validates a Magento REST shipment; throws `invalid_input` naming the first wrong field. */
export function parseMagentoShipment(raw: unknown): MagentoShipment {
  const parsed = shipmentSchema.safeParse(raw);
  if (!parsed.success) throw invalidShape('Magento shipment', parsed.error);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Times

const MAGENTO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A Magento date-time as ISO-8601 UTC with milliseconds. Magento writes `2026-11-26 10:00:00`
 * with no zone and means UTC; an explicit zone, where a module adds one, is honoured.
 */
export function magentoTimeToIso(value: string, field: string): string {
  const match = MAGENTO_DATE_TIME.exec(value.trim());
  const invalid = () =>
    new DomainError(ErrorCode.InvalidInput, `Magento ${field} "${value}" is not a date-time (YYYY-MM-DD HH:MM:SS)`, {
      details: { field, value },
    });
  if (!match) throw invalid();
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const milliseconds = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const local = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const check = new Date(local);
  // Date.UTC rolls 2026-02-30 over into March; Magento's zero date 0000-00-00 lands here too.
  if (
    check.getUTCFullYear() !== Number(year) ||
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    throw invalid();
  }
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return new Date(local + milliseconds - offsetMinutes * 60_000).toISOString();
}

/** An instant in the form Magento filters `updated_at` with (UTC, whole seconds, rounded down). */
export function isoToMagentoTime(instant: string | number): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError(ErrorCode.InvalidInput, `"${String(instant)}" is not an ISO-8601 instant`);
  }
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------------
// Status

/** How much of the order has been handed over for shipping, judged from `items[]`. */
export type MagentoShippingProgress = 'none' | 'some' | 'all';

function isVirtualItem(item: MagentoOrderItem): boolean {
  return item.is_virtual === true || item.product_type === 'virtual' || item.product_type === 'downloadable';
}

function quantityLeftToShip(item: MagentoOrderItem): number {
  return (item.qty_ordered ?? 0) - (item.qty_shipped ?? 0) - (item.qty_refunded ?? 0) - (item.qty_canceled ?? 0);
}

/**
 * A configurable product ships as its parent row (the child stays at qty_shipped 0); a bundle
 * shipped separately ships as its children. So a top-level row is done when it has nothing
 * left to ship, or when all of its children have nothing left.
 */
export function magentoShippingProgress(items: readonly MagentoOrderItem[]): MagentoShippingProgress {
  const physical = items.filter((item) => !isVirtualItem(item));
  if (!physical.some((item) => (item.qty_shipped ?? 0) > EPSILON)) return 'none';
  const childrenOf = new Map<string, MagentoOrderItem[]>();
  for (const item of physical) {
    if (item.parent_item_id == null) continue;
    const key = String(item.parent_item_id);
    childrenOf.set(key, [...(childrenOf.get(key) ?? []), item]);
  }
  const done = (item: MagentoOrderItem) => quantityLeftToShip(item) <= EPSILON;
  const allDone = physical
    .filter((item) => item.parent_item_id == null)
    .every((item) => {
      if (done(item)) return true;
      const children = item.item_id == null ? undefined : childrenOf.get(String(item.item_id));
      return children !== undefined && children.length > 0 && children.every(done);
    });
  return allDone ? 'all' : 'some';
}

function isKnownState(state: string): state is MagentoState {
  return Object.hasOwn(MAGENTO_STATE_TO_ORDER_STATUS, state);
}

/**
 * The unified order status from `state`, per TAXONOMY §1. `processing` becomes
 * `partially_fulfilled` once something has shipped, and `fulfilled` once everything has:
 * Magento only moves to `complete` when the order is both shipped and invoiced, so a store
 * that ships before capturing payment keeps a fully shipped order in `processing` for days.
 */
export function magentoOrderStatus(
  state: string,
  items: readonly MagentoOrderItem[],
  options: MagentoMappingOptions = {},
): OrderStatus {
  if (!isKnownState(state)) {
    options.onUnknownStatus?.(state);
    return MAGENTO_UNKNOWN_STATE_ORDER_STATUS;
  }
  const unified = MAGENTO_STATE_TO_ORDER_STATUS[state];
  if (unified !== OrderStatus.Processing) return unified;
  const progress = magentoShippingProgress(items);
  if (progress === 'all') return OrderStatus.Fulfilled;
  if (progress === 'some') return OrderStatus.PartiallyFulfilled;
  return OrderStatus.Processing;
}

/**
 * Magento has no financial-status field: it is read from the totals (absent when zero, since
 * REST drops nulls). Refunds first, then the cancelled and closed states, then what was paid
 * or authorised.
 */
export function magentoFinancialStatus(order: MagentoOrder): FinancialStatus {
  const grandTotal = order.grand_total ?? 0;
  const paid = order.total_paid ?? order.payment?.amount_paid ?? 0;
  const refunded = order.total_refunded ?? order.payment?.amount_refunded ?? 0;
  if (refunded > EPSILON) {
    return refunded + EPSILON >= paid ? FinancialStatus.Refunded : FinancialStatus.PartiallyRefunded;
  }
  // Closed without a refunded amount: a zero-total or offline credit memo.
  if (order.state === 'closed') return FinancialStatus.Refunded;
  if (paid > EPSILON) return paid + EPSILON >= grandTotal ? FinancialStatus.Paid : FinancialStatus.PartiallyPaid;
  if (order.state === 'canceled') return FinancialStatus.Voided;
  if (grandTotal <= EPSILON) return FinancialStatus.Paid;
  if ((order.payment?.amount_authorized ?? 0) > EPSILON) return FinancialStatus.Authorized;
  return FinancialStatus.Pending;
}

/**
 * Magento records no cancel reason. The only place a merchant writes one is a comment made
 * visible to the customer when the order entered its cancelled status.
 */
function cancelReason(order: MagentoOrder): string | null {
  if (order.state !== 'canceled') return null;
  const histories = [...(order.status_histories ?? [])].sort((a, b) =>
    (b.created_at ?? '').localeCompare(a.created_at ?? ''),
  );
  const visible = histories.find(
    (entry) => entry.is_visible_on_front === true && entry.status === order.status && entry.comment?.trim(),
  );
  return visible?.comment?.trim() ?? null;
}

// ---------------------------------------------------------------------------------------------
// Customer, address, items

type MagentoAddress = z.infer<typeof addressSchema>;

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function fullName(...parts: (string | null | undefined)[]): string | null {
  const name = parts
    .map(blankToNull)
    .filter((part): part is string => part !== null)
    .join(' ');
  return name || null;
}

function shippingAddressOf(order: MagentoOrder): MagentoAddress | null {
  for (const assignment of order.extension_attributes?.shipping_assignments ?? []) {
    if (assignment.shipping?.address) return assignment.shipping.address;
  }
  return null;
}

function countryCode(value: string | null | undefined): string | null {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

function postalAddress(address: MagentoAddress | null): PostalAddress {
  return {
    city: blankToNull(address?.city),
    region: blankToNull(address?.region_code) ?? blankToNull(address?.region),
    postalCode: blankToNull(address?.postcode),
    country: countryCode(address?.country_id),
  };
}

function customerOf(order: MagentoOrder, shipping: MagentoAddress | null): Customer {
  const billing = order.billing_address ?? null;
  return {
    email: blankToNull(order.customer_email) ?? blankToNull(billing?.email) ?? blankToNull(shipping?.email),
    // Guest orders have no customer_firstname/lastname: the address names are all there is.
    name:
      fullName(order.customer_firstname, order.customer_middlename, order.customer_lastname) ??
      fullName(shipping?.firstname, shipping?.middlename, shipping?.lastname) ??
      fullName(billing?.firstname, billing?.middlename, billing?.lastname),
    phone: blankToNull(shipping?.telephone) ?? blankToNull(billing?.telephone),
    // The order carries a store_id, not a locale.
    language: null,
  };
}

function lineItemsOf(order: MagentoOrder): LineItem[] {
  return (order.items ?? [])
    .filter((item) => item.parent_item_id == null)
    .map((item) => ({
      externalId: item.item_id == null ? null : String(item.item_id),
      sku: blankToNull(item.sku),
      name: blankToNull(item.name) ?? blankToNull(item.sku) ?? 'Item',
      quantity: item.qty_ordered ?? 0,
    }));
}

// ---------------------------------------------------------------------------------------------
// Shipments

function carrierNameOf(track: z.infer<typeof trackSchema>): string | null {
  const code = blankToNull(track.carrier_code);
  const title = blankToNull(track.title);
  if (code && MAGENTO_BUILT_IN_CARRIER_CODES.has(code.toLowerCase())) return code;
  if (title) return title;
  return code && code.toLowerCase() !== CUSTOM_CARRIER_CODE ? code : null;
}

/**
 * One `PlatformShipment` per track. Magento does not split a shipment's items among its tracks,
 * so every parcel of a shipment carries the shipment's whole item list. Magento cannot cancel
 * a shipment (a deleted track simply disappears), so none is ever flagged cancelled.
 */
export function mapMagentoShipments(shipments: readonly MagentoShipment[]): PlatformShipment[] {
  const ordered = [...shipments].sort(
    (a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || Number(a.entity_id) - Number(b.entity_id),
  );
  const parcels: PlatformShipment[] = [];
  for (const shipment of ordered) {
    const externalId = String(shipment.entity_id);
    const items = (shipment.items ?? [])
      .filter((item) => (item.qty ?? 0) > 0)
      .map((item) => ({
        externalId: item.order_item_id == null ? null : String(item.order_item_id),
        quantity: item.qty ?? 0,
      }));
    const seen = new Set<string>();
    for (const track of shipment.tracks ?? []) {
      const trackingNumber = track.track_number == null ? '' : String(track.track_number).trim();
      if (!trackingNumber || seen.has(trackingNumber)) continue;
      seen.add(trackingNumber);
      const shippedAt = blankToNull(track.created_at) ?? blankToNull(shipment.created_at);
      parcels.push({
        externalId,
        trackingNumber,
        carrierName: carrierNameOf(track),
        trackingUrl: null,
        service: null,
        items,
        shippedAt: shippedAt ? magentoTimeToIso(shippedAt, `shipment ${externalId} created_at`) : null,
        platformShipmentStatus: null,
        cancelled: false,
      });
    }
  }
  return parcels;
}

// ---------------------------------------------------------------------------------------------
// Order

function platformStatusOf(order: MagentoOrder): Record<string, unknown> {
  const raw: Record<string, unknown> = { state: order.state, status: order.status ?? null };
  // Set while an order is on hold: where it returns when released.
  if (order.hold_before_state != null) raw.hold_before_state = order.hold_before_state;
  if (order.hold_before_status != null) raw.hold_before_status = order.hold_before_status;
  return raw;
}

/**
 * A Magento order and its shipments (from `GET /V1/shipments`, any order's: those of other
 * orders are ignored) as Waymark's `PlatformOrder`. Throws `invalid_input` on a wrong shape.
 */
export function mapMagentoOrder(
  rawOrder: unknown,
  rawShipments: readonly unknown[] = [],
  options: MagentoMappingOptions = {},
): PlatformOrder {
  const order = parseMagentoOrder(rawOrder);
  const externalId = String(order.entity_id);
  const shipments = rawShipments
    .map(parseMagentoShipment)
    .filter((shipment) => String(shipment.order_id) === externalId);
  const shipping = shippingAddressOf(order);
  return {
    externalId,
    number: String(order.increment_id).trim(),
    orderStatus: magentoOrderStatus(order.state, order.items ?? [], options),
    financialStatus: magentoFinancialStatus(order),
    platformStatus: platformStatusOf(order),
    cancelReason: cancelReason(order),
    customer: customerOf(order, shipping),
    shippingAddress: postalAddress(shipping),
    lineItems: lineItemsOf(order),
    promisedDeliveryDate: null,
    placedAt: magentoTimeToIso(order.created_at, 'created_at'),
    platformUpdatedAt: magentoTimeToIso(order.updated_at, 'updated_at'),
    shipments: mapMagentoShipments(shipments),
  };
}
