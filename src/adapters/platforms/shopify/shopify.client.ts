import { z } from 'zod';
import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';
import type { ChangedOrdersPage, PlatformClient, PlatformOrder } from '../../../core/ports/platform.port.js';
import {
  classifyHttpFailure,
  fetchExchange,
  parseJsonBody,
  parseRetryAfter,
} from '../../carriers/shared/carrier-http.js';
import type { HttpAnswer, HttpExchange } from '../../carriers/shared/carrier-http.js';
import { CircuitBreaker } from '../../carriers/shared/circuit-breaker.js';
import { guardedCall } from '../../carriers/shared/guarded-call.js';
import { RateLimiter } from '../../carriers/shared/rate-limiter.js';
import {
  mapShopifyGraphqlOrder,
  parseShopifyGraphqlOrder,
  shopifyLegacyId,
  type ShopifyGraphqlOrder,
  type ShopifyMappingOptions,
} from './shopify.mapping.js';

/** A recent stable GraphQL Admin API version; each stays supported for at least 12 months. */
export const SHOPIFY_DEFAULT_API_VERSION = '2025-01';
/** How far back from the latest update seen each sweep starts again (Shopify's search index lags). */
export const SHOPIFY_DEFAULT_OVERLAP_MS = 5 * 60_000;
/** Shopify refuses a single query whose requested cost is above this (MAX_COST_EXCEEDED). */
export const SHOPIFY_MAX_QUERY_COST = 1000;

/** Shopify's own clients wait this long after a 429 without Retry-After. */
const DEFAULT_THROTTLE_PAUSE_MS = 1000;
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

export type ShopifyClientOptions = ShopifyMappingOptions & {
  /** `StoreSecrets.credentials`; needs `accessToken` (the Admin API access token, `shpat_…`). */
  credentials: Record<string, string>;
  /** The shop's `*.myshopify.com` domain (not its custom storefront domain). */
  domain?: string;
  /** Replaces `https://{domain}` (the fake server in tests). */
  baseUrl?: string;
  /** `YYYY-MM` release (January, April, July, October) or `unstable`. Default `SHOPIFY_DEFAULT_API_VERSION`. */
  apiVersion?: string;
  exchange?: HttpExchange;
  /** Per HTTP exchange. Default 10 s. */
  timeoutMs?: number;
  /** Clock for the rate limiter and circuit breaker (tests advance it). */
  now?: () => number;
  /** How the rate limiter waits (tests record the pause instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Request budget on top of Shopify's cost-based throttle. Default 4/s. */
  ratePerSecond?: number;
  /** Share one breaker between the clients of several shops; default: one per client. */
  circuitBreaker?: CircuitBreaker;
  /** Default `SHOPIFY_DEFAULT_OVERLAP_MS`. */
  overlapMs?: number;
};

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `Shopify client: ${message}`);
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const API_VERSION = /^(?:\d{4}-(?:01|04|07|10)|unstable)$/;

function validateOptions(options: ShopifyClientOptions): {
  accessToken: string;
  endpoint: string;
  apiVersion: string;
  timeoutMs: number;
  ratePerSecond: number;
  overlapMs: number;
} {
  const accessToken = options.credentials?.accessToken?.trim();
  if (!accessToken) throw configError('credentials.accessToken (the Admin API access token) is required');
  const apiVersion = options.apiVersion?.trim() ?? SHOPIFY_DEFAULT_API_VERSION;
  if (!API_VERSION.test(apiVersion)) throw configError(`apiVersion "${apiVersion}" is not a YYYY-MM release`);

  let baseUrl: string;
  if (options.baseUrl !== undefined) {
    baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
    let protocol: string;
    try {
      protocol = new URL(baseUrl).protocol;
    } catch {
      throw configError(`baseUrl "${baseUrl}" is not a URL`);
    }
    if (protocol !== 'https:' && protocol !== 'http:') throw configError(`baseUrl "${baseUrl}" must be http(s)`);
  } else {
    const domain = (options.domain ?? '')
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    if (!domain) throw configError('domain (the shop\'s "*.myshopify.com" domain) is required');
    if (!SHOP_DOMAIN.test(domain)) throw configError(`domain "${domain}" is not a "*.myshopify.com" shop domain`);
    baseUrl = `https://${domain}`;
  }

  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw configError('timeoutMs must be a positive number');
  const ratePerSecond = options.ratePerSecond ?? 4;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0)
    throw configError('ratePerSecond must be a positive number');
  const overlapMs = options.overlapMs ?? SHOPIFY_DEFAULT_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) throw configError('overlapMs must be zero or more');
  return {
    accessToken,
    endpoint: `${baseUrl}/admin/api/${apiVersion}/graphql.json`,
    apiVersion,
    timeoutMs,
    ratePerSecond,
    overlapMs,
  };
}

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
// GraphQL envelope

const costSchema = z
  .object({
    requestedQueryCost: z.number().nullish(),
    actualQueryCost: z.number().nullish(),
    throttleStatus: z
      .object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() })
      .nullish(),
  })
  .nullish();
type QueryCost = z.infer<typeof costSchema>;

const graphqlErrorSchema = z.object({
  message: z.string().nullish(),
  extensions: z.object({ code: z.string().nullish() }).nullish(),
});

const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.union([z.array(graphqlErrorSchema), z.string(), z.record(z.string(), z.unknown())]).nullish(),
  extensions: z.object({ cost: costSchema }).nullish(),
});

/** Milliseconds until the bucket holds what the same query asks again; null when Shopify did not say. */
function throttleWaitMs(cost: QueryCost): number | null {
  const status = cost?.throttleStatus;
  if (!status || !(status.restoreRate > 0) || cost?.requestedQueryCost == null) return null;
  const deficit = cost.requestedQueryCost - status.currentlyAvailable;
  return deficit > 0 ? Math.ceil((deficit / status.restoreRate) * 1000) : 0;
}

function throttledError(message: string, retryAfterMs: number, status: number): DomainError {
  return new DomainError(ErrorCode.UpstreamRateLimited, message, { details: { status, retryAfterMs } });
}

function bodyCost(answer: HttpAnswer): QueryCost {
  try {
    return envelopeSchema.safeParse(JSON.parse(answer.text)).data?.extensions?.cost ?? null;
  } catch {
    return null;
  }
}

function describeErrors(errors: z.infer<typeof graphqlErrorSchema>[]): string {
  return errors
    .slice(0, 3)
    .map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message ?? 'no message'}`)
    .join('; ');
}

/** A GraphQL error list → the DomainError it means. */
function classifyGraphqlErrors(errors: z.infer<typeof graphqlErrorSchema>[], cost: QueryCost): DomainError {
  const codes = new Set(errors.map((error) => error.extensions?.code ?? ''));
  const said = describeErrors(errors);
  if (codes.has('THROTTLED')) {
    // A throttled query is answered 200 with this code; the cost block says when the bucket refills.
    return throttledError(
      `${VENDOR} throttled the query (${said})`,
      Math.max(throttleWaitMs(cost) ?? 0, DEFAULT_THROTTLE_PAUSE_MS),
      200,
    );
  }
  if (codes.has('ACCESS_DENIED')) {
    // A missing scope (read_orders, read_all_orders…): the merchant must re-authorise the app.
    return new DomainError(ErrorCode.UpstreamAuthFailed, `${VENDOR} denied access (${said})`, { details: { errors } });
  }
  if (codes.has('INTERNAL_SERVER_ERROR') || codes.has('SERVICE_UNAVAILABLE') || codes.has('TIMEOUT')) {
    return new DomainError(ErrorCode.UpstreamUnavailable, `${VENDOR} failed the query (${said})`, {
      details: { errors },
    });
  }
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `${VENDOR} rejected the query (${said})`, {
    details: { errors },
  });
}

/**
 * Statuses Shopify answers for the shop rather than the request; nothing
 * changes until the merchant (or the connection settings) does, as with
 * refused credentials.
 */
const SHOP_REFUSALS: Readonly<Record<number, string>> = {
  402: 'the shop is frozen (unpaid plan)',
  404: 'no shop or Admin API version at this address',
  423: 'the shop is locked',
};

function invalidResponse(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `${VENDOR} ${message}`, { details });
}

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
 * Throttling: every answer's `extensions.cost.throttleStatus` is read, and
 * when the bucket holds less than the query just cost, the rate limiter
 * pauses every caller until it refills. THROTTLED (200) and 429 (with
 * `Retry-After`) → `upstream_rate_limited` with `retryAfterMs`. 401/403,
 * ACCESS_DENIED, 402 (shop frozen), 423 (shop locked), 404 (no such shop) →
 * `upstream_auth_failed`; 5xx, timeouts, dropped connections →
 * `upstream_unavailable`; malformed JSON or an unexpected shape →
 * `upstream_invalid_response`.
 */
export function createShopifyClient(options: ShopifyClientOptions): PlatformClient {
  const { accessToken, endpoint, apiVersion, timeoutMs, ratePerSecond, overlapMs } = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const mapping: ShopifyMappingOptions = { onUnknownStatus: options.onUnknownStatus };
  const guards = {
    limiter: new RateLimiter({ ratePerSecond, now: options.now, sleep: options.sleep }),
    breaker: options.circuitBreaker ?? new CircuitBreaker({ carrier: VENDOR, now: options.now }),
  };

  async function exchangeOnce(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await exchange({
      url: endpoint,
      method: 'POST',
      headers: {
        'x-shopify-access-token': accessToken,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ query, variables }),
      timeoutMs,
    });
    if (answer.status === 429) {
      const retryAfterMs =
        parseRetryAfter(answer.headers.get('retry-after'), options.now?.()) ??
        throttleWaitMs(bodyCost(answer)) ??
        DEFAULT_THROTTLE_PAUSE_MS;
      throw throttledError(`${VENDOR} rate limit reached (HTTP 429)`, retryAfterMs, 429);
    }
    const shopRefusal = SHOP_REFUSALS[answer.status];
    if (shopRefusal) {
      throw new DomainError(ErrorCode.UpstreamAuthFailed, `${VENDOR}: ${shopRefusal} (HTTP ${answer.status})`, {
        details: { status: answer.status },
      });
    }
    const failure = classifyHttpFailure(VENDOR, answer);
    if (failure) throw failure;
    if (answer.status !== 200) {
      throw invalidResponse(`answered with unexpected HTTP ${answer.status}`, {
        status: answer.status,
        bodyStart: answer.text.slice(0, 200),
      });
    }
    const parsed = envelopeSchema.safeParse(parseJsonBody(VENDOR, answer));
    if (!parsed.success) throw invalidResponse('answered with a body that is not a GraphQL response');
    const { data, errors, extensions } = parsed.data;
    const cost = extensions?.cost ?? null;
    if (errors && (!Array.isArray(errors) || errors.length > 0)) {
      if (!Array.isArray(errors)) throw invalidResponse('answered with errors', { errors });
      throw classifyGraphqlErrors(errors, cost);
    }
    if (!data) throw invalidResponse('answered without data');
    // The next query will ask about as much as this one: wait for the bucket rather than be throttled.
    const wait = throttleWaitMs(cost);
    if (wait) guards.limiter.backOff(wait);
    return data;
  }

  function graphql(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return guardedCall(guards, () => exchangeOnce(query, variables));
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
