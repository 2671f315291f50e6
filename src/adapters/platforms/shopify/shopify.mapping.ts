import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { FinancialStatus, OrderStatus } from '../../../core/order/order-status.js';
import type { Customer, LineItem, PostalAddress } from '../../../core/order/order.js';
import type { PlatformOrder, PlatformShipment } from '../../../core/ports/platform.port.js';

/**
 * Shopify orders → `PlatformOrder`, from either of the two shapes Shopify
 * speaks: the REST Order object (webhook bodies, `orders/{id}.json`) and the
 * GraphQL Admin `Order` node the polling client asks for. Pure.
 *
 * Shopify has no single order status. TAXONOMY §1 derives ours from
 * `cancelled_at`, the order-level fulfilment status and the financial status,
 * in this order of precedence:
 *
 * 1. `cancelled_at` / `cancelledAt` set → `cancelled` (even after fulfilment).
 * 2. Fulfilment `fulfilled` → `fulfilled`; `partial` / `PARTIALLY_FULFILLED` →
 *    `partially_fulfilled`.
 * 3. Financial `refunded` with nothing fulfilled → `refunded`.
 * 4. Fulfilment `ON_HOLD` (GraphQL only; REST bodies do not show holds) → `on_hold`.
 * 5. Otherwise the financial status decides (`SHOPIFY_FINANCIAL_STATUSES`).
 *
 * Archived orders (`closed_at`) keep the status their other fields give; the
 * timestamp stays in `platformStatus`.
 */

export type ShopifyMappingOptions = {
  /**
   * Hears each status value missing from the tables, with the field it came
   * in (`financial_status`, `displayFulfillmentStatus`, `fulfillments.status`…).
   * The value still maps (to the safe value documented on each table) and is
   * kept raw in `platformStatus`.
   */
  onUnknownStatus?: (value: string, field: string) => void;
};

/** How far fulfilment has gone, as far as the order status cares. */
export type ShopifyFulfillmentProgress = 'fulfilled' | 'partially_fulfilled' | 'on_hold' | 'unfulfilled';

/**
 * Order-level fulfilment status, lower-cased: REST `fulfillment_status` and
 * GraphQL `displayFulfillmentStatus` (OrderDisplayFulfillmentStatus). `null`
 * (REST: nothing fulfilled yet) is `unfulfilled`. An unknown value counts as
 * `unfulfilled`: the safe reading, it never claims that parcels left.
 */
export const SHOPIFY_FULFILLMENT_PROGRESS: Readonly<Record<string, ShopifyFulfillmentProgress>> = {
  // REST values.
  fulfilled: 'fulfilled',
  partial: 'partially_fulfilled',
  // "Every line item restocked and the order canceled": cancelled_at decides; without it nothing is out.
  restocked: 'unfulfilled',
  // GraphQL values not already above (FULFILLED lower-cases to the REST word).
  partially_fulfilled: 'partially_fulfilled',
  on_hold: 'on_hold',
  unfulfilled: 'unfulfilled',
  open: 'unfulfilled', // replaced by UNFULFILLED
  in_progress: 'unfulfilled', // sent to the fulfilment service, nothing handed over yet
  pending_fulfillment: 'unfulfilled', // replaced by IN_PROGRESS
  scheduled: 'unfulfilled', // prepaid subscriptions: fulfilment planned for later
  request_declined: 'unfulfilled', // the fulfilment service refused; the merchant must act, nothing shipped
  fulfillment_not_required: 'unfulfilled', // nothing to ship; REST keeps fulfillment_status null for these
};

export type ShopifyFinancialRow = {
  financialStatus: FinancialStatus;
  /** The order status when nothing is fulfilled, not cancelled and not on hold. */
  unfulfilled: OrderStatus;
  /** Overrides `unfulfilled` when the order is not `confirmed` (TAXONOMY: "authorised and confirmed"). */
  unconfirmed?: OrderStatus;
};

/**
 * Financial status, lower-cased: REST `financial_status` and GraphQL
 * `displayFinancialStatus` (OrderDisplayFinancialStatus, same words in upper
 * case plus EXPIRED). An unknown value gives financial status `null` and
 * order status `pending`, which claims nothing about payment or preparation.
 */
export const SHOPIFY_FINANCIAL_STATUSES: Readonly<Record<string, ShopifyFinancialRow>> = {
  pending: { financialStatus: 'pending', unfulfilled: 'pending' },
  authorized: { financialStatus: 'authorized', unfulfilled: 'processing', unconfirmed: 'pending' },
  // Some money is still awaited (deposits, split payments): the order is not confirmed as paid.
  partially_paid: { financialStatus: 'partially_paid', unfulfilled: 'pending' },
  paid: { financialStatus: 'paid', unfulfilled: 'processing' },
  partially_refunded: { financialStatus: 'partially_refunded', unfulfilled: 'processing' },
  refunded: { financialStatus: 'refunded', unfulfilled: 'refunded' },
  // A voided authorisation on an order nobody cancelled: payment is awaited again.
  voided: { financialStatus: 'voided', unfulfilled: 'pending' },
  // GraphQL only: the authorisation lapsed before capture, which leaves the order where a void does.
  expired: { financialStatus: 'voided', unfulfilled: 'pending' },
};

/** Fulfilment record statuses (REST lower case, GraphQL FulfillmentStatus upper case); only `cancelled` voids parcels. */
export const SHOPIFY_FULFILLMENT_RECORD_STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'open',
  'success',
  'cancelled',
  'error',
  'failure',
]);

/** The status fields of either shape, values in any case. */
export type ShopifyStatusFields = {
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  confirmed: boolean | null;
};

type Report = (value: string, field: string) => void;

/**
 * The unified order and financial status of a Shopify order (TAXONOMY §1).
 * `fieldNames` only labels what `onUnknownStatus` hears.
 */
export function deriveShopifyStatus(
  fields: ShopifyStatusFields,
  options: ShopifyMappingOptions & { fieldNames?: { financial: string; fulfillment: string } } = {},
): { orderStatus: OrderStatus; financialStatus: FinancialStatus | null } {
  const report: Report = options.onUnknownStatus ?? (() => undefined);
  const names = options.fieldNames ?? { financial: 'financial_status', fulfillment: 'fulfillment_status' };

  const financialKey = fields.financialStatus?.trim().toLowerCase() || null;
  const financial = financialKey === null ? undefined : SHOPIFY_FINANCIAL_STATUSES[financialKey];
  if (financialKey !== null && !financial) report(fields.financialStatus!, names.financial);

  const fulfillmentKey = fields.fulfillmentStatus?.trim().toLowerCase() || null;
  let progress: ShopifyFulfillmentProgress = 'unfulfilled';
  if (fulfillmentKey !== null) {
    const known = SHOPIFY_FULFILLMENT_PROGRESS[fulfillmentKey];
    if (known) progress = known;
    else report(fields.fulfillmentStatus!, names.fulfillment);
  }

  const financialStatus = financial?.financialStatus ?? null;
  if (fields.cancelledAt) return { orderStatus: 'cancelled', financialStatus };
  if (progress === 'fulfilled' || progress === 'partially_fulfilled') return { orderStatus: progress, financialStatus };
  if (financial?.unfulfilled === 'refunded') return { orderStatus: 'refunded', financialStatus };
  if (progress === 'on_hold') return { orderStatus: 'on_hold', financialStatus };
  if (!financial) return { orderStatus: 'pending', financialStatus };
  const orderStatus =
    fields.confirmed !== true && financial.unconfirmed ? financial.unconfirmed : financial.unfulfilled;
  return { orderStatus, financialStatus };
}

// ---------------------------------------------------------------------------
// Shared value helpers

const ZONED_ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * An ISO-8601 time with a zone (Shopify sends `2008-01-10T11:00:00-05:00`
 * over REST, `…Z` over GraphQL) as UTC with milliseconds; null when it is
 * not one. A time without a zone is refused rather than guessed: Shopify
 * always sends one, so its absence means the shape changed.
 */
export function shopifyInstant(value: string): string | null {
  const trimmed = value.trim();
  if (!ZONED_ISO_INSTANT.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The numeric id in a GraphQL global id (`gid://shopify/Order/450789469` → `450789469`), or null. */
export function shopifyLegacyId(gid: string): string | null {
  return /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid.trim())?.[1] ?? null;
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function toInstant(value: string): string {
  // Only called on values the schema already checked.
  return shopifyInstant(value)!;
}

function maybeInstant(value: string | null | undefined): string | null {
  return value ? shopifyInstant(value) : null;
}

function isoCountry(value: string | null | undefined): string | null {
  const code = clean(value)?.toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

function personName(first: string | null | undefined, last: string | null | undefined): string | null {
  return clean([clean(first), clean(last)].filter(Boolean).join(' '));
}

function languageTag(locale: string | null | undefined): string | null {
  // Shopify writes `pt-BR`; older payloads and some apps write `pt_BR`.
  const tag = clean(locale)?.replace(/_/g, '-');
  return tag && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : null;
}

const instant = z.string().refine((value) => shopifyInstant(value) !== null, {
  message: 'expected an ISO-8601 time with a zone offset',
});
const text = z.string().nullish();
/**
 * REST ids are JSON numbers (some clients send strings). Not `.int()`: zod
 * caps that at 2^53, and Shopify ids can be larger (see restResourceId).
 */
export const shopifyRestIdSchema = z.union([
  z.number().nonnegative().refine(Number.isInteger, { message: 'expected an integer id' }),
  z.string().regex(/^\d+$/),
]);
const restId = shopifyRestIdSchema;

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}`;
}

function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new DomainError(ErrorCode.InvalidInput, `${what} has an unexpected shape at ${describeIssue(parsed.error)}`, {
      details: { issues: parsed.error.issues.slice(0, 5) },
    });
  }
  return parsed.data;
}

/**
 * The exact REST id of a resource. REST ids are JSON numbers, and some
 * (Shopify's own test payloads use 820982911946154508) are beyond 2^53, so
 * JSON.parse has already rounded them; `admin_graphql_api_id` carries the
 * same id as a string, so it wins when present.
 */
function restResourceId(resource: { id: number | string; admin_graphql_api_id?: string | null }): string {
  const fromGid = resource.admin_graphql_api_id ? shopifyLegacyId(resource.admin_graphql_api_id) : null;
  return fromGid ?? String(resource.id);
}

type TrackedParcel = { number: string; carrierName: string | null; url: string | null };

/** One shipment per distinct tracking number of a fulfilment; all share the fulfilment's id. */
function parcelsOfFulfillment(
  fulfillment: {
    externalId: string;
    parcels: TrackedParcel[];
    items: PlatformShipment['items'];
    shippedAt: string | null;
    platformShipmentStatus: string | null;
    status: string | null;
  },
  report: Report,
  statusField: string,
): PlatformShipment[] {
  const status = fulfillment.status?.trim().toLowerCase() ?? null;
  if (status !== null && !SHOPIFY_FULFILLMENT_RECORD_STATUSES.has(status)) report(fulfillment.status!, statusField);
  const seen = new Set<string>();
  const parcels = fulfillment.parcels.filter((parcel) => {
    if (seen.has(parcel.number)) return false;
    seen.add(parcel.number);
    return true;
  });
  return parcels.map((parcel) => ({
    externalId: fulfillment.externalId,
    trackingNumber: parcel.number,
    carrierName: parcel.carrierName,
    trackingUrl: parcel.url,
    // Shopify's fulfilment `service` is the fulfilment-service handle ("manual"), not a carrier service level.
    service: null,
    // Shopify says which items a fulfilment holds, not which of its parcels holds them.
    items: parcels.length === 1 ? fulfillment.items : [],
    shippedAt: fulfillment.shippedAt,
    platformShipmentStatus: fulfillment.platformShipmentStatus,
    cancelled: status === 'cancelled',
  }));
}

// ---------------------------------------------------------------------------
// REST / webhook Order object

const restAddressSchema = z
  .object({
    name: text,
    first_name: text,
    last_name: text,
    city: text,
    province: text,
    province_code: text,
    zip: text,
    country_code: text,
    phone: text,
  })
  .nullish();

const restFulfillmentSchema = z.object({
  id: restId,
  admin_graphql_api_id: text,
  status: text,
  created_at: instant.nullish(),
  shipment_status: text,
  tracking_company: text,
  tracking_number: text,
  tracking_numbers: z.array(z.string().nullable()).nullish(),
  tracking_url: text,
  tracking_urls: z.array(z.string().nullable()).nullish(),
  line_items: z
    .array(z.object({ id: restId, admin_graphql_api_id: text, quantity: z.number().int().nonnegative() }))
    .nullish(),
});

const restOrderSchema = z.object({
  id: restId,
  admin_graphql_api_id: text,
  name: text,
  order_number: z.union([z.number(), z.string()]).nullish(),
  created_at: instant,
  processed_at: instant.nullish(),
  updated_at: instant,
  cancelled_at: instant.nullish(),
  cancel_reason: text,
  closed_at: instant.nullish(),
  confirmed: z.boolean().nullish(),
  financial_status: text,
  fulfillment_status: text,
  email: text,
  contact_email: text,
  phone: text,
  customer_locale: text,
  customer: z.object({ first_name: text, last_name: text, email: text, phone: text }).nullish(),
  shipping_address: restAddressSchema,
  billing_address: restAddressSchema,
  line_items: z
    .array(
      z.object({
        id: restId,
        admin_graphql_api_id: text,
        sku: text,
        name: text,
        title: text,
        quantity: z.number().int().nonnegative(),
      }),
    )
    .nullish(),
  fulfillments: z.array(restFulfillmentSchema).nullish(),
});

type RestOrder = z.infer<typeof restOrderSchema>;
type RestFulfillment = z.infer<typeof restFulfillmentSchema>;

function restTrackedParcels(fulfillment: RestFulfillment): TrackedParcel[] {
  const numbers = fulfillment.tracking_numbers?.length ? fulfillment.tracking_numbers : [fulfillment.tracking_number];
  const urls = fulfillment.tracking_urls?.length ? fulfillment.tracking_urls : [fulfillment.tracking_url];
  const carrierName = clean(fulfillment.tracking_company);
  return numbers.flatMap((raw, index) => {
    const number = clean(raw);
    return number ? [{ number, carrierName, url: clean(urls[index]) }] : [];
  });
}

/**
 * A REST Order object (a webhook body, or the answer of `GET orders/{id}.json`,
 * whose `{ "order": … }` wrapper is removed) → `PlatformOrder`. Throws
 * `invalid_input` naming the field when the body is not an order.
 */
export function mapShopifyRestOrder(body: unknown, options: ShopifyMappingOptions = {}): PlatformOrder {
  const unwrapped = typeof body === 'object' && body !== null && !('id' in body) && 'order' in body ? body.order : body;
  const order: RestOrder = parseOrThrow(restOrderSchema, unwrapped, 'Shopify order');
  const report: Report = options.onUnknownStatus ?? (() => undefined);
  const { orderStatus, financialStatus } = deriveShopifyStatus(
    {
      financialStatus: order.financial_status ?? null,
      fulfillmentStatus: order.fulfillment_status ?? null,
      cancelledAt: order.cancelled_at ?? null,
      confirmed: order.confirmed ?? null,
    },
    { onUnknownStatus: report },
  );

  const address = order.shipping_address;
  const customer: Customer = {
    email: clean(order.email) ?? clean(order.contact_email) ?? clean(order.customer?.email),
    name:
      personName(order.customer?.first_name, order.customer?.last_name) ??
      clean(order.billing_address?.name) ??
      clean(address?.name),
    phone: clean(order.phone) ?? clean(order.customer?.phone) ?? clean(address?.phone),
    language: languageTag(order.customer_locale),
  };
  const shippingAddress: PostalAddress = {
    city: clean(address?.city),
    region: clean(address?.province_code) ?? clean(address?.province),
    postalCode: clean(address?.zip),
    country: isoCountry(address?.country_code),
  };
  const lineItems: LineItem[] = (order.line_items ?? []).map((item) => ({
    externalId: restResourceId(item),
    sku: clean(item.sku),
    name: clean(item.name) ?? clean(item.title) ?? '',
    quantity: item.quantity,
  }));
  const shipments = (order.fulfillments ?? []).flatMap((fulfillment) =>
    parcelsOfFulfillment(
      {
        externalId: restResourceId(fulfillment),
        parcels: restTrackedParcels(fulfillment),
        items: (fulfillment.line_items ?? []).map((item) => ({
          externalId: restResourceId(item),
          quantity: item.quantity,
        })),
        shippedAt: maybeInstant(fulfillment.created_at),
        platformShipmentStatus: clean(fulfillment.shipment_status),
        status: fulfillment.status ?? null,
      },
      report,
      'fulfillments.status',
    ),
  );

  const externalId = restResourceId(order);
  return {
    externalId,
    number: clean(order.name) ?? (order.order_number != null ? String(order.order_number) : externalId),
    orderStatus,
    financialStatus,
    platformStatus: {
      financial_status: order.financial_status ?? null,
      fulfillment_status: order.fulfillment_status ?? null,
      cancelled_at: order.cancelled_at ?? null,
      cancel_reason: order.cancel_reason ?? null,
      closed_at: order.closed_at ?? null,
      confirmed: order.confirmed ?? null,
    },
    cancelReason: clean(order.cancel_reason)?.toLowerCase() ?? null,
    customer,
    shippingAddress,
    lineItems,
    promisedDeliveryDate: null,
    placedAt: toInstant(order.processed_at ?? order.created_at),
    platformUpdatedAt: toInstant(order.updated_at),
    shipments,
  };
}

// ---------------------------------------------------------------------------
// GraphQL Admin Order node

const gid = z.string().min(1);
const pageInfoSchema = z.object({ hasNextPage: z.boolean() }).nullish();

const graphqlFulfillmentSchema = z.object({
  id: gid,
  legacyResourceId: z.union([z.string(), z.number()]).nullish(),
  status: text,
  createdAt: instant.nullish(),
  trackingInfo: z.array(z.object({ company: text, number: text, url: text })).nullish(),
  fulfillmentLineItems: z
    .object({
      pageInfo: pageInfoSchema,
      nodes: z.array(z.object({ quantity: z.number().int().nonnegative(), lineItem: z.object({ id: gid }).nullish() })),
    })
    .nullish(),
  events: z.object({ nodes: z.array(z.object({ status: text })) }).nullish(),
});

const graphqlOrderSchema = z.object({
  id: gid,
  legacyResourceId: z.union([z.string(), z.number()]).nullish(),
  name: text,
  createdAt: instant,
  processedAt: instant.nullish(),
  updatedAt: instant,
  cancelledAt: instant.nullish(),
  cancelReason: text,
  closedAt: instant.nullish(),
  confirmed: z.boolean().nullish(),
  displayFinancialStatus: text,
  displayFulfillmentStatus: text,
  email: text,
  phone: text,
  customerLocale: text,
  customer: z.object({ firstName: text, lastName: text }).nullish(),
  shippingAddress: z
    .object({
      name: text,
      city: text,
      province: text,
      provinceCode: text,
      zip: text,
      countryCodeV2: text,
      phone: text,
    })
    .nullish(),
  lineItems: z
    .object({
      pageInfo: pageInfoSchema,
      nodes: z.array(z.object({ id: gid, sku: text, name: text, quantity: z.number().int().nonnegative() })),
    })
    .nullish(),
  fulfillments: z.array(graphqlFulfillmentSchema).nullish(),
});

export type ShopifyGraphqlOrder = z.infer<typeof graphqlOrderSchema>;

function graphqlResourceId(resource: { id: string; legacyResourceId?: string | number | null }): string {
  if (resource.legacyResourceId != null) return String(resource.legacyResourceId);
  return shopifyLegacyId(resource.id) ?? resource.id;
}

/** Validates a GraphQL Admin `Order` node; throws `invalid_input` naming the field. */
export function parseShopifyGraphqlOrder(node: unknown): ShopifyGraphqlOrder {
  return parseOrThrow(graphqlOrderSchema, node, 'Shopify GraphQL order');
}

/**
 * A GraphQL Admin `Order` node (the fields `shopify.client.ts` asks for) →
 * the same `PlatformOrder` the REST body of that order gives: numeric REST
 * ids (from `legacyResourceId` / the gid), lower-case cancel reason, and the
 * latest fulfilment event's status lower-cased, which is what REST calls
 * `shipment_status`. `platformStatus` keeps the GraphQL fields verbatim.
 */
export function mapShopifyGraphqlOrder(node: unknown, options: ShopifyMappingOptions = {}): PlatformOrder {
  const order = parseShopifyGraphqlOrder(node);
  const report: Report = options.onUnknownStatus ?? (() => undefined);
  const { orderStatus, financialStatus } = deriveShopifyStatus(
    {
      financialStatus: order.displayFinancialStatus ?? null,
      fulfillmentStatus: order.displayFulfillmentStatus ?? null,
      cancelledAt: order.cancelledAt ?? null,
      confirmed: order.confirmed ?? null,
    },
    {
      onUnknownStatus: report,
      fieldNames: { financial: 'displayFinancialStatus', fulfillment: 'displayFulfillmentStatus' },
    },
  );

  const address = order.shippingAddress;
  const customer: Customer = {
    email: clean(order.email),
    name: personName(order.customer?.firstName, order.customer?.lastName) ?? clean(address?.name),
    phone: clean(order.phone) ?? clean(address?.phone),
    language: languageTag(order.customerLocale),
  };
  const shippingAddress: PostalAddress = {
    city: clean(address?.city),
    region: clean(address?.provinceCode) ?? clean(address?.province),
    postalCode: clean(address?.zip),
    country: isoCountry(address?.countryCodeV2),
  };
  const lineItems: LineItem[] = (order.lineItems?.nodes ?? []).map((item) => ({
    externalId: shopifyLegacyId(item.id) ?? item.id,
    sku: clean(item.sku),
    name: clean(item.name) ?? '',
    quantity: item.quantity,
  }));
  const shipments = (order.fulfillments ?? []).flatMap((fulfillment) =>
    parcelsOfFulfillment(
      {
        externalId: graphqlResourceId(fulfillment),
        parcels: (fulfillment.trackingInfo ?? []).flatMap((info) => {
          const number = clean(info.number);
          return number ? [{ number, carrierName: clean(info.company), url: clean(info.url) }] : [];
        }),
        items: (fulfillment.fulfillmentLineItems?.nodes ?? []).map((item) => ({
          externalId: item.lineItem ? (shopifyLegacyId(item.lineItem.id) ?? item.lineItem.id) : null,
          quantity: item.quantity,
        })),
        shippedAt: maybeInstant(fulfillment.createdAt),
        platformShipmentStatus: clean(fulfillment.events?.nodes[0]?.status)?.toLowerCase() ?? null,
        status: fulfillment.status ?? null,
      },
      report,
      'fulfillments.status',
    ),
  );

  const externalId = graphqlResourceId(order);
  return {
    externalId,
    number: clean(order.name) ?? externalId,
    orderStatus,
    financialStatus,
    platformStatus: {
      displayFinancialStatus: order.displayFinancialStatus ?? null,
      displayFulfillmentStatus: order.displayFulfillmentStatus ?? null,
      cancelledAt: order.cancelledAt ?? null,
      cancelReason: order.cancelReason ?? null,
      closedAt: order.closedAt ?? null,
      confirmed: order.confirmed ?? null,
    },
    cancelReason: clean(order.cancelReason)?.toLowerCase() ?? null,
    customer,
    shippingAddress,
    lineItems,
    promisedDeliveryDate: null,
    placedAt: toInstant(order.processedAt ?? order.createdAt),
    platformUpdatedAt: toInstant(order.updatedAt),
    shipments,
  };
}
