/**
 * A WooCommerce REST v3 order (`GET /wp-json/wc/v3/orders/{id}`, and the body of the
 * `order.created` / `order.updated` / `order.restored` webhooks, which WooCommerce builds by
 * calling that same endpoint) → `PlatformOrder`. Pure.
 *
 * Vendor facts this leans on (research/platforms.md §4):
 * - `status` is a slug without the database's `wc-` prefix; plugins register more slugs and
 *   REST passes them through unchanged, so any string is accepted.
 * - Dates come without a zone: the plain fields in the site's time zone, the `_gmt` fields in
 *   UTC. Only `_gmt` fields are read here.
 * - Core has no shipment object. Tracking numbers live in order meta written by the tracking
 *   plugins: `_wc_shipment_tracking_items` (WooCommerce Shipment Tracking, and Advanced
 *   Shipment Tracking by zorem, which reuses the key and adds per-item `products_list`).
 * - There is no payment-status field: the financial status is derived from `date_paid_gmt`,
 *   `refunds[]` and the order status.
 */
import { z } from 'zod';

import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Customer, LineItem, PostalAddress } from '../../../core/order/order.js';
import type { FinancialStatus, OrderStatus } from '../../../core/order/order-status.js';
import type { PlatformOrder, PlatformShipment } from '../../../core/ports/platform.port.js';

/**
 * TAXONOMY §1, WooCommerce column, plus the other slugs of core's `OrderStatus` enum.
 * Keys are slugs without the `wc-` prefix.
 */
export const WOOCOMMERCE_CORE_STATUS_MAP: Readonly<Record<string, OrderStatus>> = {
  pending: 'pending',
  'checkout-draft': 'pending',
  processing: 'processing',
  'on-hold': 'on_hold',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  failed: 'cancelled',
  refunded: 'refunded',
  // Core slugs for orders that never got through checkout (webhooks skip them, REST can return them).
  draft: 'pending',
  'auto-draft': 'pending',
  new: 'pending',
  // Trashed orders can come back (`order.restored`, with their old status), so this is a stop by the
  // merchant, not a cancellation the customer should hear about.
  trash: 'on_hold',
};

/**
 * Slugs that common plugins register (Advanced Shipment Tracking and its Local Pickup add-on,
 * WooCommerce Pre-Orders, the "custom order status" plugins' usual names). A match here is not
 * reported as unknown. Chosen to never claim more than the slug says: "delivered" is the
 * carrier's fact, so for the ORDER it only means fulfilled; "ready for pickup" has not left the
 * shop, so it is still processing.
 */
export const WOOCOMMERCE_PLUGIN_STATUS_MAP: Readonly<Record<string, OrderStatus>> = {
  shipped: 'fulfilled',
  'order-shipped': 'fulfilled',
  dispatched: 'fulfilled',
  'in-transit': 'fulfilled',
  'out-for-delivery': 'fulfilled',
  delivered: 'fulfilled',
  'updated-tracking': 'fulfilled',
  pickup: 'fulfilled',
  'picked-up': 'fulfilled',
  'partial-shipped': 'partially_fulfilled',
  'partially-shipped': 'partially_fulfilled',
  'partial-shipment': 'partially_fulfilled',
  'ready-pickup': 'processing',
  'ready-for-pickup': 'processing',
  'ready-to-ship': 'processing',
  'awaiting-shipment': 'processing',
  'awaiting-fulfillment': 'processing',
  packing: 'processing',
  packed: 'processing',
  'in-production': 'processing',
  backordered: 'processing',
  'pre-ordered': 'processing',
  'awaiting-payment': 'pending',
};

/**
 * Any other slug. Processing is the one value that tells the customer nothing untrue: the order
 * exists, and nothing says it was stopped, cancelled, refunded or handed to a carrier.
 */
export const WOOCOMMERCE_UNKNOWN_STATUS_FALLBACK: OrderStatus = 'processing';

export const SHIPMENT_TRACKING_META_KEY = '_wc_shipment_tracking_items';
/** TrackShip (through AST) keeps the carrier's view per tracking item, under the same index. */
export const TRACKSHIP_STATUS_META_KEY = 'shipment_status';
/** Core Fulfillments (WC 10.1+) summary: fulfilled / partially_fulfilled / unfulfilled / no_fulfillments. */
export const CORE_FULFILLMENT_STATUS_META_KEY = '_fulfillment_status';
/** WPML records the language the customer ordered in. */
export const WPML_LANGUAGE_META_KEY = 'wpml_language';

export type WooCommerceMappingOptions = {
  /** Hears each status slug found in neither table (mapped to `processing`, raw value kept). */
  onUnknownStatus?: (value: string) => void;
};

export type WooCommerceStatusMatch = { orderStatus: OrderStatus; source: 'core' | 'plugin' | 'unknown' };

/** The table key for a slug: as REST sends it, or with the `wc-` prefix some plugins leak. */
function statusKey(status: string): string {
  const key = status.trim().toLowerCase();
  return key.startsWith('wc-') ? key.slice(3) : key;
}

export function mapWooCommerceStatus(status: string): WooCommerceStatusMatch {
  const key = statusKey(status);
  const core = WOOCOMMERCE_CORE_STATUS_MAP[key];
  if (core) return { orderStatus: core, source: 'core' };
  const plugin = WOOCOMMERCE_PLUGIN_STATUS_MAP[key];
  if (plugin) return { orderStatus: plugin, source: 'plugin' };
  return { orderStatus: WOOCOMMERCE_UNKNOWN_STATUS_FALLBACK, source: 'unknown' };
}

const ZONELESS_OR_ZONED_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$/;

function invalidOrder(field: string, problem: string): DomainError {
  return new DomainError(ErrorCode.InvalidInput, `WooCommerce order field "${field}": ${problem}`);
}

/**
 * A `_gmt` date (`2017-03-22T19:28:08`, UTC without a zone) as ISO-8601 UTC with milliseconds.
 * An explicit zone, should a filter add one, is honoured.
 */
export function wooCommerceGmtToIso(value: string, field: string): string {
  const match = ZONELESS_OR_ZONED_DATE.exec(value.trim());
  if (!match) throw invalidOrder(field, `"${value}" is not a date like 2017-03-22T19:28:08`);
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const at = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone}`);
  // Date.parse rolls 2024-02-31 over to March; a date that does not exist is a wrong date.
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    Number.isNaN(at) ||
    calendar.getUTCFullYear() !== Number(year) ||
    calendar.getUTCMonth() !== Number(month) - 1 ||
    calendar.getUTCDate() !== Number(day)
  ) {
    throw invalidOrder(field, `"${value}" is not a real date`);
  }
  return new Date(at).toISOString();
}

const positiveId = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/)]);
const optionalText = z.string().nullish();
const looseNumber = z.union([z.number(), z.string()]).nullish();

const addressSchema = z.object({
  first_name: optionalText,
  last_name: optionalText,
  city: optionalText,
  state: optionalText,
  postcode: optionalText,
  country: optionalText,
  email: optionalText,
  phone: optionalText,
});

const lineItemSchema = z.object({
  id: positiveId,
  name: z.string(),
  quantity: z.number().nonnegative(),
  sku: optionalText,
  product_id: z.number().nullish(),
  variation_id: z.number().nullish(),
});

const metaEntrySchema = z.object({ key: z.string(), value: z.unknown() });

const refundSchema = z.object({ total: looseNumber });

const orderSchema = z.object({
  id: positiveId,
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string().regex(/\S/, 'must not be blank'),
  date_created_gmt: z.string(),
  date_modified_gmt: z.string().nullish(),
  date_paid_gmt: z.string().nullish(),
  total: looseNumber,
  billing: addressSchema.nullish(),
  shipping: addressSchema.nullish(),
  line_items: z.array(lineItemSchema),
  meta_data: z.array(metaEntrySchema).nullish(),
  refunds: z.array(refundSchema).nullish(),
});

type WooOrder = z.infer<typeof orderSchema>;
type WooAddress = z.infer<typeof addressSchema>;
type WooLineItem = z.infer<typeof lineItemSchema>;

function parseOrder(raw: unknown): WooOrder {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DomainError(ErrorCode.InvalidInput, 'WooCommerce order: expected a JSON object');
  }
  const parsed = orderSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(order)';
  throw invalidOrder(field, issue?.message ?? 'wrong shape');
}

function nonBlank(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** The first entry of a meta key, as `$order->get_meta($key, true)` reads it. */
function metaValue(order: WooOrder, key: string): unknown {
  const entry = order.meta_data?.find((meta) => meta.key === key);
  if (!entry) return undefined;
  // Meta written through the REST API by other integrations is sometimes a JSON string.
  if (typeof entry.value === 'string' && /^\s*[[{]/.test(entry.value)) {
    try {
      return JSON.parse(entry.value) as unknown;
    } catch {
      return entry.value;
    }
  }
  return entry.value;
}

/**
 * The members of a PHP array as JSON gives it: a list, or — once a plugin has `unset()` a member
 * without reindexing, as AST does when tracking is deleted — an object keyed "0", "2"…
 * Keys are kept: TrackShip's status meta is indexed by the same keys.
 */
function phpArrayEntries(value: unknown): [string, unknown][] {
  if (Array.isArray(value)) return value.map((member, index) => [String(index), member]);
  if (typeof value === 'object' && value !== null) return Object.entries(value);
  return [];
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  times: '\u00d7',
};

/** Product names come HTML-encoded (variation names are joined with ` &ndash; `). */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

function httpUrl(value: unknown): string | null {
  const text = nonBlank(value);
  if (!text) return null;
  try {
    const url = new URL(text);
    // Custom tracking links are free text in the admin; `javascript:` and the like are not links.
    return url.protocol === 'https:' || url.protocol === 'http:' ? text : null;
  } catch {
    return null;
  }
}

/**
 * `date_shipped`: a Unix timestamp (seconds; a number or, after `wc_clean`, a digit string) for
 * both plugins; the Shipment Tracking REST shape uses `YYYY-MM-DD`. WordPress runs PHP in UTC,
 * so a date alone is midnight UTC.
 */
function shippedAtFrom(value: unknown): string | null {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    const at = Date.parse(`${value.trim()}T00:00:00Z`);
    return Number.isNaN(at) ? null : new Date(at).toISOString();
  }
  const seconds =
    typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim())) ? Number(value) : null;
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return null;
  const at = new Date(seconds * 1000);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/**
 * One tracking item's numbers. The official plugin takes free text, and merchants put several
 * numbers in one item separated by commas, semicolons or lines; spaces stay, since carriers
 * print numbers in groups ("1Z 999 AA1 01 2345 6784").
 */
function trackingNumbersFrom(value: unknown): string[] {
  let text: string | null = null;
  if (typeof value === 'string') text = value;
  // A big numeric number stored as a JSON number has already lost digits; only safe integers are real.
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) text = String(value);
  if (!text) return [];
  const numbers = text
    .split(/[,;\r\n]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return [...new Set(numbers)];
}

/**
 * AST's `products_list`: `{ product, item_id?, qty }` per order line. Older AST versions give
 * only the product id; it names a line when exactly one line has that product or variation.
 */
function allocationFrom(value: unknown, lineItems: WooLineItem[]): PlatformShipment['items'] {
  const items: PlatformShipment['items'] = [];
  for (const [, member] of phpArrayEntries(value)) {
    const entry = asRecord(member);
    if (!entry) continue;
    const quantity = toNumber(entry.qty);
    if (quantity === null || quantity <= 0) continue;
    const itemId = toNumber(entry.item_id);
    let externalId: string | null = itemId !== null && Number.isInteger(itemId) && itemId > 0 ? String(itemId) : null;
    if (externalId === null) {
      const productId = toNumber(entry.product);
      const lines = lineItems.filter(
        (line) => productId !== null && (line.product_id === productId || line.variation_id === productId),
      );
      const [only] = lines;
      if (lines.length === 1 && only) externalId = String(only.id);
    }
    items.push({ externalId, quantity });
  }
  return items;
}

type TrackedParcelGroup = { shipments: PlatformShipment[]; items: PlatformShipment['items'] };

function trackingGroups(order: WooOrder): TrackedParcelGroup[] {
  const trackShipByKey = new Map(phpArrayEntries(metaValue(order, TRACKSHIP_STATUS_META_KEY)));
  const groups: TrackedParcelGroup[] = [];
  for (const [key, member] of phpArrayEntries(metaValue(order, SHIPMENT_TRACKING_META_KEY))) {
    const item = asRecord(member);
    if (!item) continue;
    const numbers = trackingNumbersFrom(item.tracking_number);
    if (numbers.length === 0) continue;
    // A custom provider's name is the merchant's words; AST's formatted name the display name;
    // `tracking_provider` alone is a slug ("usps", "dhl-ecommerce"). Waymark normalises all three.
    const carrierName =
      nonBlank(item.custom_tracking_provider) ??
      nonBlank(item.formatted_tracking_provider) ??
      nonBlank(item.tracking_provider);
    const link =
      httpUrl(item.custom_tracking_link) ??
      httpUrl(item.tracking_link) ??
      httpUrl(item.formatted_tracking_link) ??
      httpUrl(item.ast_tracking_link);
    const statusEntry = asRecord(trackShipByKey.get(key));
    const items = allocationFrom(item.products_list, order.line_items);
    const shared = {
      externalId: nonBlank(item.tracking_id),
      service: null,
      items,
      shippedAt: shippedAtFrom(item.date_shipped),
      platformShipmentStatus: nonBlank(statusEntry?.status),
      // Both plugins delete a tracking item outright; there is no cancelled state to read.
      cancelled: false,
    };
    groups.push({
      items,
      shipments: numbers.map((trackingNumber) => ({
        ...shared,
        trackingNumber,
        carrierName,
        // A link carries one number: with several numbers it belongs only to the one it names.
        trackingUrl: numbers.length === 1 || (link !== null && link.includes(trackingNumber)) ? link : null,
      })),
    });
  }
  return groups;
}

/** Whether the plugins' per-line allocations account for every unit of every line. */
function allocationCoversOrder(groups: TrackedParcelGroup[], lineItems: WooLineItem[]): boolean {
  const shipped = new Map<string, number>();
  for (const group of groups) {
    for (const item of group.items) {
      if (item.externalId !== null) shipped.set(item.externalId, (shipped.get(item.externalId) ?? 0) + item.quantity);
    }
  }
  const lines = lineItems.filter((line) => line.quantity > 0);
  return lines.length > 0 && lines.every((line) => (shipped.get(String(line.id)) ?? 0) >= line.quantity);
}

/**
 * TAXONOMY §1 has no WooCommerce status for a partial shipment: it comes "from fulfilments".
 * Only `processing` is refined — every other status is the merchant's explicit word.
 */
function refineProcessing(order: WooOrder, groups: TrackedParcelGroup[]): OrderStatus {
  const coreSummary = nonBlank(metaValue(order, CORE_FULFILLMENT_STATUS_META_KEY));
  if (coreSummary === 'fulfilled') return 'fulfilled';
  if (coreSummary === 'partially_fulfilled') return 'partially_fulfilled';
  if (groups.length === 0) return 'processing';
  // Tracking on a processing order: at least that parcel has left; all of it only when the
  // allocation proves it (merchants often add tracking without marking the order completed).
  return allocationCoversOrder(groups, order.line_items) ? 'fulfilled' : 'partially_fulfilled';
}

function refundedAmount(refunds: readonly { total?: number | string | null }[]): number {
  // Refund totals are negative strings ("-10.00").
  return refunds.reduce((sum, refund) => sum + Math.abs(toNumber(refund.total) ?? 0), 0);
}

/**
 * WooCommerce has no payment status. Full refund (status or amounts) → refunded; some money
 * back → partially_refunded; `date_paid` set → paid; cancelled or failed unpaid → voided
 * (nothing was or will be taken); anything else is still awaiting payment (BACS, cheque and
 * cash on delivery sit in on-hold or processing unpaid).
 */
export function deriveWooCommerceFinancialStatus(order: {
  status: string;
  date_paid_gmt?: string | null;
  total?: number | string | null;
  refunds?: readonly { total?: number | string | null }[] | null;
}): FinancialStatus {
  const key = statusKey(order.status);
  const refunded = refundedAmount(order.refunds ?? []);
  const total = toNumber(order.total) ?? 0;
  if (key === 'refunded' || (refunded > 0 && total > 0 && refunded >= total - 0.005)) return 'refunded';
  if (refunded > 0) return 'partially_refunded';
  if (nonBlank(order.date_paid_gmt)) return 'paid';
  if (key === 'cancelled' || key === 'failed') return 'voided';
  return 'pending';
}

function fullName(address: WooAddress | null | undefined): string | null {
  if (!address) return null;
  return nonBlank([address.first_name, address.last_name].map((part) => part?.trim() ?? '').join(' '));
}

function hasPostalAddress(address: WooAddress | null | undefined): address is WooAddress {
  return Boolean(address && (nonBlank(address.city) || nonBlank(address.postcode) || nonBlank(address.country)));
}

function postalAddress(order: WooOrder): PostalAddress {
  // Orders of virtual goods carry no shipping address; the billing one still answers a
  // tracking-page look-up by postal code.
  const address = hasPostalAddress(order.shipping) ? order.shipping : order.billing;
  const country = nonBlank(address?.country);
  return {
    city: nonBlank(address?.city),
    region: nonBlank(address?.state),
    postalCode: nonBlank(address?.postcode),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
  };
}

function customer(order: WooOrder): Customer {
  const language = nonBlank(metaValue(order, WPML_LANGUAGE_META_KEY));
  return {
    email: nonBlank(order.billing?.email),
    // Shipping phone exists since WooCommerce 5.6; it is the one the carrier calls.
    phone: nonBlank(order.shipping?.phone) ?? nonBlank(order.billing?.phone),
    name: fullName(order.shipping) ?? fullName(order.billing),
    language: language && /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i.test(language) ? language.replace(/_/g, '-') : null,
  };
}

function lineItems(order: WooOrder): LineItem[] {
  return order.line_items.map((line) => ({
    externalId: String(line.id),
    sku: nonBlank(line.sku),
    name: decodeHtmlEntities(line.name),
    quantity: line.quantity,
  }));
}

/** The raw fields the status came from, verbatim from the payload. */
function platformStatusOf(raw: Record<string, unknown>, order: WooOrder): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    status: raw.status,
    date_paid_gmt: raw.date_paid_gmt ?? null,
    date_completed_gmt: raw.date_completed_gmt ?? null,
    refunds: raw.refunds ?? [],
  };
  const coreSummary = metaValue(order, CORE_FULFILLMENT_STATUS_META_KEY);
  if (coreSummary !== undefined) fields[CORE_FULFILLMENT_STATUS_META_KEY] = coreSummary;
  return fields;
}

/**
 * Maps one order. Throws DomainError `invalid_input` naming the field when the payload is not a
 * v3 order; tracking meta written by plugins is read leniently (an unreadable item is skipped).
 */
export function mapWooCommerceOrder(raw: unknown, options: WooCommerceMappingOptions = {}): PlatformOrder {
  const order = parseOrder(raw);
  const status = mapWooCommerceStatus(order.status);
  if (status.source === 'unknown') options.onUnknownStatus?.(order.status);

  const groups = trackingGroups(order);
  const orderStatus =
    status.source === 'core' && statusKey(order.status) === 'processing'
      ? refineProcessing(order, groups)
      : status.orderStatus;
  const placedAt = wooCommerceGmtToIso(order.date_created_gmt, 'date_created_gmt');
  // A freshly created order can come without a modification date; it was last changed when created.
  const modified = nonBlank(order.date_modified_gmt);

  return {
    externalId: String(order.id),
    number: nonBlank(typeof order.number === 'number' ? String(order.number) : order.number) ?? String(order.id),
    orderStatus,
    financialStatus: deriveWooCommerceFinancialStatus(order),
    platformStatus: platformStatusOf(raw as Record<string, unknown>, order),
    cancelReason: statusKey(order.status) === 'failed' ? 'declined' : null,
    customer: customer(order),
    shippingAddress: postalAddress(order),
    lineItems: lineItems(order),
    promisedDeliveryDate: null,
    placedAt,
    platformUpdatedAt: modified ? wooCommerceGmtToIso(modified, 'date_modified_gmt') : placedAt,
    shipments: groups.flatMap((group) => group.shipments),
  };
}
