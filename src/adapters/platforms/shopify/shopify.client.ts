import { z } from 'zod';
import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';
import type { ChangedOrdersPage, PlatformClient, PlatformOrder } from '../../../core/ports/platform.port.js';
import {
  SHOPIFY_DEFAULT_API_VERSION,
  ShopifyGraphqlTransport,
  shopifyInvalidResponse as invalidResponse,
  type ShopifyGraphqlOptions,
} from './shopify.graphql.js';
import {
  mapShopifyGraphqlOrder,
  parseShopifyGraphqlOrder,
  shopifyLegacyId,
  type ShopifyGraphqlOrder,
  type ShopifyMappingOptions,
} from './shopify.mapping.js';

export { SHOPIFY_DEFAULT_API_VERSION };
/** How far back from the latest update seen each sweep starts again (Shopify's search index lags). */
export const SHOPIFY_DEFAULT_OVERLAP_MS = 5 * 60_000;
/** Shopify refuses a single query whose requested cost is above this (MAX_COST_EXCEEDED). */
export const SHOPIFY_MAX_QUERY_COST = 1000;

const VENDOR = 'Shopify';

/** How many nested records one order node asks for; they set the query's requested cost. */
export type ShopifyNestedLimits = {
  lineItems: number;
  fulfillments: number;
  trackingInfo: number;
  fulfillmentLineItems: number;
};

/** Lean enough for several orders per page; an order that fills any of them is fetched again alone. */
const LIST_LIMITS: ShopifyNestedLimits = { lineItems: 20, fulfillments: 3, trackingInfo: 5, fulfillmentLineItems: 10 };
/** One order with room for big ones, still under SHOPIFY_MAX_QUERY_COST. */
const SINGLE_ORDER_LIMITS: ShopifyNestedLimits = {
  lineItems: 100,
  fulfillments: 10,
  trackingInfo: 10,
  fulfillmentLineItems: 25,
};

/**
 * Shopify's requested cost of one order node (objects 1, scalars 0,
 * connections 2 + first × node, lists first × item): the order, its customer
 * and shipping address, the line items, and per fulfilment its tracking
 * infos, line items (each with a line-item object) and latest event.
 */
export function shopifyOrderQueryCost(limits: ShopifyNestedLimits): number {
  const fulfillment = 1 + limits.trackingInfo + (2 + limits.fulfillmentLineItems * 2) + (2 + 1);
  return 3 + (2 + limits.lineItems) + limits.fulfillments * fulfillment;
}

/** Orders per `listChangedOrders` page: as many as fit under the single-query cost limit. */
export const SHOPIFY_MAX_PAGE_SIZE = Math.floor((SHOPIFY_MAX_QUERY_COST - 2) / shopifyOrderQueryCost(LIST_LIMITS));

function orderSelection(limits: ShopifyNestedLimits): string {
  return `
    id legacyResourceId name createdAt processedAt updatedAt
    cancelledAt cancelReason closedAt confirmed
    displayFinancialStatus displayFulfillmentStatus
    email phone customerLocale
    customer { firstName lastName }
    shippingAddress { name city province provinceCode zip countryCodeV2 phone }
    lineItems(first: ${limits.lineItems}) { pageInfo { hasNextPage } nodes { id sku name quantity } }
    fulfillments(first: ${limits.fulfillments}) {
      id legacyResourceId status createdAt
      trackingInfo(first: ${limits.trackingInfo}) { company number url }
      fulfillmentLineItems(first: ${limits.fulfillmentLineItems}) {
        pageInfo { hasNextPage }
        nodes { quantity lineItem { id } }
      }
      events(first: 1, sortKey: HAPPENED_AT, reverse: true) { nodes { status } }
    }`;
}

export const SHOPIFY_CHANGED_ORDERS_QUERY = `query WaymarkChangedOrders($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {${orderSelection(LIST_LIMITS)}
    }
  }
}`;

export const SHOPIFY_ORDER_QUERY = `query WaymarkOrder($id: ID!) {
  order(id: $id) {${orderSelection(SINGLE_ORDER_LIMITS)}
  }
}`;

export const SHOPIFY_SHOP_QUERY = 'query WaymarkTestConnection { shop { name myshopifyDomain } }';

export const SHOPIFY_WEBHOOK_MUTATION = `mutation WaymarkWebhook($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id }
    userErrors { field message }
  }
}`;

/** What Waymark subscribes to: REST topic name (as the deliveries carry it) and GraphQL enum. */
export const SHOPIFY_WEBHOOK_SUBSCRIPTIONS: readonly { topic: string; graphqlTopic: string }[] = [
  { topic: 'orders/create', graphqlTopic: 'ORDERS_CREATE' },
  { topic: 'orders/updated', graphqlTopic: 'ORDERS_UPDATED' },
  { topic: 'orders/cancelled', graphqlTopic: 'ORDERS_CANCELLED' },
  { topic: 'orders/fulfilled', graphqlTopic: 'ORDERS_FULFILLED' },
  { topic: 'orders/partially_fulfilled', graphqlTopic: 'ORDERS_PARTIALLY_FULFILLED' },
  { topic: 'orders/paid', graphqlTopic: 'ORDERS_PAID' },
  { topic: 'orders/delete', graphqlTopic: 'ORDERS_DELETE' },
  { topic: 'fulfillments/create', graphqlTopic: 'FULFILLMENTS_CREATE' },
  { topic: 'fulfillments/update', graphqlTopic: 'FULFILLMENTS_UPDATE' },
];

export type ShopifyClientOptions = ShopifyMappingOptions &
  ShopifyGraphqlOptions & {
    /** Default `SHOPIFY_DEFAULT_OVERLAP_MS`. */
    overlapMs?: number;
    /** The shop's transport, when the write-back shares it; built from the options otherwise. */
    transport?: ShopifyGraphqlTransport;
  };

// ---------------------------------------------------------------------------
// Cursor

const cursorSchema = z.object({
  v: z.literal(1),
  /** Lower bound of the current sweep (`updated_at:>=`); fixed for the sweep, so `after` stays valid. */
  from: z.iso.datetime(),
  /** Shopify's `endCursor` of the last page applied; null at the start of a sweep. */
  after: z.string().min(1).nullable(),
  /** Latest `updatedAt` seen in this sweep so far. */
  seen: z.iso.datetime().nullable(),
});
type ShopifyCursor = z.infer<typeof cursorSchema>;

function encodeCursor(cursor: Omit<ShopifyCursor, 'v'>): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): ShopifyCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) throw new DomainError(ErrorCode.InvalidInput, 'cursor is not a Shopify order cursor');
  return parsed.data;
}

/** Shopify's search syntax takes seconds; flooring only widens the window. */
function searchTime(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function changedOrdersSearch(from: string): string {
  // `status:any`, or closed (archived) and cancelled orders may drop out of the list, as with REST's default.
  return `status:any updated_at:>='${searchTime(from)}'`;
}

function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

// ---------------------------------------------------------------------------
// Answers

/** A mapping failure on an answer is Shopify's answer being unreadable, not bad input from our caller. */
function mapAnswerOrder(node: unknown, options: ShopifyMappingOptions): PlatformOrder {
  try {
    return mapShopifyGraphqlOrder(node, options);
  } catch (error) {
    if (isDomainError(error) && error.code === ErrorCode.InvalidInput) {
      throw new DomainError(
        ErrorCode.UpstreamInvalidResponse,
        `${VENDOR} answered an order we cannot read: ${error.message}`,
        {
          cause: error,
          details: error.details,
        },
      );
    }
    throw error;
  }
}

/** Whether the lean list query may have cut this order short. `fulfillments` is a plain list: full means maybe more. */
function isTruncated(order: ShopifyGraphqlOrder, limits: ShopifyNestedLimits): boolean {
  if (order.lineItems?.pageInfo?.hasNextPage) return true;
  const fulfillments = order.fulfillments ?? [];
  if (fulfillments.length >= limits.fulfillments) return true;
  return fulfillments.some(
    (fulfillment) =>
      (fulfillment.trackingInfo?.length ?? 0) >= limits.trackingInfo ||
      Boolean(fulfillment.fulfillmentLineItems?.pageInfo?.hasNextPage),
  );
}

const ordersPageSchema = z.object({
  orders: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
    nodes: z.array(z.unknown()),
  }),
});

const userErrorsSchema = z.object({
  webhookSubscriptionCreate: z.object({
    webhookSubscription: z.object({ id: z.string() }).nullish(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string() })),
  }),
});

/**
 * Shopify GraphQL Admin API client (`POST /admin/api/{version}/graphql.json`,
 * `X-Shopify-Access-Token`). No REST fallback: REST is legacy for new apps.
 *
 * Polling sweeps `orders(sortKey: UPDATED_AT, query: "status:any
 * updated_at:>='…'")` oldest change first, one page per call. The cursor
 * (base64url JSON `{ v, from, after, seen }`) holds the sweep's lower bound,
 * Shopify's `endCursor` and the latest update seen, so a crash resumes on the
 * very next page; when a sweep ends, the next starts `overlapMs` before the
 * latest update it saw (never before its own start).
 *
 * Requests go through the shop's `ShopifyGraphqlTransport` (rate limit,
 * circuit breaker, Shopify's cost-based throttle), whose error mapping the
 * client keeps: THROTTLED and 429 → `upstream_rate_limited` with
 * `retryAfterMs`; refused credentials or shop → `upstream_auth_failed`;
 * outages → `upstream_unavailable`; anything unreadable →
 * `upstream_invalid_response`.
 */
export function createShopifyClient(options: ShopifyClientOptions): PlatformClient {
  const overlapMs = options.overlapMs ?? SHOPIFY_DEFAULT_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) {
    throw new DomainError(ErrorCode.ConfigInvalid, 'Shopify client: overlapMs must be zero or more');
  }
  const transport =
    options.transport ?? new ShopifyGraphqlTransport(options, { label: 'Shopify client', ratePerSecond: 4 });
  const apiVersion = transport.apiVersion;
  const mapping: ShopifyMappingOptions = { onUnknownStatus: options.onUnknownStatus };

  function graphql(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return transport.request(query, variables);
  }

  async function fetchOrderById(id: string): Promise<PlatformOrder | null> {
    const data = await graphql(SHOPIFY_ORDER_QUERY, { id: `gid://shopify/Order/${id}` });
    if (!('order' in data)) throw invalidResponse('answered the order query without `order`');
    if (data.order === null) return null;
    return mapAnswerOrder(data.order, mapping);
  }

  const webhookUrlField = apiVersion === 'unstable' || apiVersion >= '2025-10' ? 'uri' : 'callbackUrl';

  return {
    platform: 'shopify',

    async fetchOrder(externalId: string): Promise<PlatformOrder | null> {
      const trimmed = externalId.trim();
      const id = /^\d+$/.test(trimmed)
        ? trimmed
        : trimmed.startsWith('gid://shopify/Order/')
          ? shopifyLegacyId(trimmed)
          : null;
      if (!id) throw new DomainError(ErrorCode.InvalidInput, `"${externalId}" is not a Shopify order id`);
      return fetchOrderById(id);
    },

    async listChangedOrders(cursor, { since, pageSize }): Promise<ChangedOrdersPage> {
      let state: ShopifyCursor;
      if (cursor === null) {
        const sinceMs = Date.parse(since);
        if (Number.isNaN(sinceMs)) throw new DomainError(ErrorCode.InvalidInput, `since "${since}" is not a time`);
        state = { v: 1, from: new Date(sinceMs).toISOString(), after: null, seen: null };
      } else {
        state = decodeCursor(cursor);
      }
      if (!Number.isInteger(pageSize) || pageSize < 1) {
        throw new DomainError(ErrorCode.InvalidInput, 'pageSize must be a positive integer');
      }
      const first = Math.min(pageSize, SHOPIFY_MAX_PAGE_SIZE);

      const data = await graphql(SHOPIFY_CHANGED_ORDERS_QUERY, {
        first,
        after: state.after,
        query: changedOrdersSearch(state.from),
      });
      const page = ordersPageSchema.safeParse(data);
      if (!page.success) throw invalidResponse('answered the orders query without `orders.pageInfo` and `nodes`');

      const orders: PlatformOrder[] = [];
      let seen = state.seen;
      for (const node of page.data.orders.nodes) {
        const listed = mapAnswerOrder(node, mapping);
        seen = laterOf(seen, listed.platformUpdatedAt);
        // mapAnswerOrder has validated the node, so this parse cannot fail.
        const truncated = isTruncated(parseShopifyGraphqlOrder(node), LIST_LIMITS);
        orders.push(truncated ? ((await fetchOrderById(listed.externalId)) ?? listed) : listed);
      }

      const { hasNextPage, endCursor } = page.data.orders.pageInfo;
      if (hasNextPage) {
        if (!endCursor) throw invalidResponse('said there is a next page but gave no endCursor');
        return { orders, nextCursor: encodeCursor({ from: state.from, after: endCursor, seen }), hasMore: true };
      }
      const from =
        seen === null
          ? state.from
          : (laterOf(state.from, new Date(Date.parse(seen) - overlapMs).toISOString()) ?? state.from);
      return { orders, nextCursor: encodeCursor({ from, after: null, seen: null }), hasMore: false };
    },

    async registerWebhooks(callbackUrl: string): Promise<string[]> {
      let url: URL;
      try {
        url = new URL(callbackUrl);
      } catch {
        throw new DomainError(ErrorCode.InvalidInput, `callback URL "${callbackUrl}" is not a URL`);
      }
      if (url.protocol !== 'https:') {
        throw new DomainError(ErrorCode.InvalidInput, 'Shopify delivers webhooks to https:// callback URLs only');
      }
      const registered: string[] = [];
      for (const { topic, graphqlTopic } of SHOPIFY_WEBHOOK_SUBSCRIPTIONS) {
        const data = await graphql(SHOPIFY_WEBHOOK_MUTATION, {
          topic: graphqlTopic,
          webhookSubscription: { [webhookUrlField]: url.toString(), format: 'JSON' },
        });
        const result = userErrorsSchema.safeParse(data);
        if (!result.success) throw invalidResponse('answered webhookSubscriptionCreate without userErrors');
        const refusal = result.data.webhookSubscriptionCreate.userErrors.find(
          // Registering again is not an error: the subscription is there.
          (error) => !/already been taken/i.test(error.message),
        );
        if (refusal) {
          throw new DomainError(ErrorCode.InvalidInput, `${VENDOR} refused the ${topic} webhook: ${refusal.message}`, {
            details: { topic, field: refusal.field ?? null },
          });
        }
        registered.push(topic);
      }
      return registered;
    },

    async testConnection(): Promise<void> {
      const data = await graphql(SHOPIFY_SHOP_QUERY);
      if (typeof data.shop !== 'object' || data.shop === null) throw invalidResponse('answered without the shop');
    },
  };
}
