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
  BIGCOMMERCE_INCOMPLETE_STATUS_ID,
  mapBigCommerceOrder,
  parseBigCommerceDateMs,
  parseBigCommerceOrder,
} from './bigcommerce.mapping.js';
import type { BigCommerceOrder } from './bigcommerce.mapping.js';
import { BIGCOMMERCE_SECRET_HEADER } from './bigcommerce.webhook.js';

export const BIGCOMMERCE_API_URL = 'https://api.bigcommerce.com';
/** The general per-page maximum of BigCommerce's REST APIs. */
export const BIGCOMMERCE_MAX_PAGE_SIZE = 250;
/** How far back each new pass re-reads, for orders that reach the list late. */
export const BIGCOMMERCE_DEFAULT_OVERLAP_MS = 5 * 60_000;
/**
 * The hooks `registerWebhooks` creates. Not `store/order/statusUpdated`:
 * `store/order/updated` already fires on every status change, and both
 * would deliver each change twice.
 */
export const BIGCOMMERCE_WEBHOOK_SCOPES = [
  'store/order/created',
  'store/order/updated',
  'store/order/archived',
  'store/shipment/created',
  'store/shipment/updated',
  'store/shipment/deleted',
] as const;

const VENDOR = 'BigCommerce';
/** Sub-resource pages read per order before giving up: 20 × 250 lines is beyond any real order. */
const MAX_SUB_RESOURCE_PAGES = 20;
/** Orders remembered in the cursor as already delivered (see `SyncCursor.seen`). */
const MAX_SEEN_ORDERS = 5000;
/** A 429 without BigCommerce's headers is platform-wide load: wait 5 s, doubling up to 5 min. */
const BARE_RATE_LIMIT_FIRST_PAUSE_MS = 5_000;
const BARE_RATE_LIMIT_MAX_PAUSE_MS = 5 * 60_000;
/** Statuses that mean something was shipped, whatever `items_shipped` says. */
const SHIPPED_STATUS_IDS: ReadonlySet<number> = new Set([2, 3]);

export type BigCommerceClientOptions = {
  /**
   * `StoreSecrets.credentials`: `accessToken` (an API account or app token with
   * Orders read, plus Information & Settings modify for `registerWebhooks`)
   * and `storeHash` (the `{store_hash}` of `api.bigcommerce.com/stores/{store_hash}`).
   */
  credentials: Record<string, string>;
  /** `StoreSecrets.webhookSecret`: the value `registerWebhooks` asks BigCommerce to echo in `X-Waymark-Webhook-Secret`. */
  webhookSecret?: string | null;
  /** Default `https://api.bigcommerce.com`; the fake server's URL in tests. */
  baseUrl?: string;
  exchange?: HttpExchange;
  /** Per HTTP exchange. Default 10 s. */
  timeoutMs?: number;
  /**
   * Our own pace. Default 4/s: the store's quota (150 or 450 per 30 s by plan)
   * is shared with every other app installed on it.
   */
  ratePerSecond?: number;
  /** Pause until the quota window resets when `X-Rate-Limit-Requests-Left` drops to this. Default 5. */
  lowRequestsLeft?: number;
  /** Overlap of each new pull pass. Default 5 minutes. */
  overlapMs?: number;
  /** Clock for the rate limiter and circuit breaker (tests advance it). */
  now?: () => number;
  /** How the rate limiter waits (tests record the pause instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  circuitBreaker?: CircuitBreaker;
  /** Hears each status value missing from the mapping tables. */
  onUnknownStatus?: (value: string) => void;
};

type ValidOptions = {
  accessToken: string;
  storeUrl: string;
  timeoutMs: number;
  ratePerSecond: number;
  lowRequestsLeft: number;
  overlapMs: number;
};

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `BigCommerce client: ${message}`);
}

function positiveNumber(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw configError(`${name} must be a positive number`);
  return value;
}

function validateOptions(options: BigCommerceClientOptions): ValidOptions {
  const accessToken = options.credentials?.accessToken?.trim();
  const storeHash = options.credentials?.storeHash?.trim();
  if (!accessToken || !storeHash) {
    throw configError('credentials.accessToken and credentials.storeHash are required');
  }
  if (!/^[A-Za-z0-9]+$/.test(storeHash)) throw configError(`storeHash "${storeHash}" is not a BigCommerce store hash`);
  const baseUrl = (options.baseUrl ?? BIGCOMMERCE_API_URL).replace(/\/+$/, '');
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    throw configError(`baseUrl "${baseUrl}" is not a URL`);
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw configError(`baseUrl "${baseUrl}" must be http(s)`);
  const lowRequestsLeft = options.lowRequestsLeft ?? 5;
  if (!Number.isInteger(lowRequestsLeft) || lowRequestsLeft < 0) {
    throw configError('lowRequestsLeft must be a whole number, 0 or more');
  }
  const overlapMs = options.overlapMs ?? BIGCOMMERCE_DEFAULT_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) throw configError('overlapMs must be 0 or more');
  return {
    accessToken,
    storeUrl: `${baseUrl}/stores/${storeHash}`,
    timeoutMs: positiveNumber(options.timeoutMs ?? 10_000, 'timeoutMs'),
    ratePerSecond: positiveNumber(options.ratePerSecond ?? 4, 'ratePerSecond'),
    lowRequestsLeft,
    overlapMs,
  };
}

/**
 * Where a pull stands, stored by Waymark between pages (base64url JSON).
 * - `updatedAfter`: the `min_date_modified` of the next request.
 * - `page`: 1, except inside a run of one full page of orders modified in the same second.
 * - `watermark`: the newest `date_modified` seen; a new pass starts `overlapMs` before it.
 * - `seen`: `[order id, date_modified in Unix seconds]` already delivered, so the overlap and the
 *   one-second step back re-list them without fetching their sub-resources again.
 */
const cursorSchema = z.object({
  v: z.literal(1),
  updatedAfter: z.string(),
  page: z.number().int().positive(),
  watermark: z.string(),
  seen: z.array(z.tuple([z.number().int(), z.number().int()])),
});

type SyncCursor = z.infer<typeof cursorSchema>;

function encodeCursor(cursor: SyncCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): SyncCursor {
  try {
    const decoded = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (Number.isNaN(Date.parse(decoded.updatedAfter)) || Number.isNaN(Date.parse(decoded.watermark))) {
      throw new Error('dates');
    }
    return decoded;
  } catch (error) {
    throw new DomainError(ErrorCode.InvalidInput, 'not a BigCommerce sync cursor', { cause: error });
  }
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue, 05 Mar 2019 21:40:11 +0000`: the form v2 itself writes, so the filter is read the way BigCommerce means it. */
export function formatRfc2822(ms: number): string {
  const date = new Date(ms);
  const two = (value: number): string => String(value).padStart(2, '0');
  return (
    `${DAY_NAMES[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTH_NAMES[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

function invalidResponse(message: string, details?: Record<string, unknown>, cause?: unknown): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, message, { details, cause });
}

/** A wrong shape from BigCommerce is its answer being unusable, not our caller's input being wrong. */
function asUpstream<T>(read: () => T, where: string): T {
  try {
    return read();
  } catch (error) {
    if (isDomainError(error) && error.code === ErrorCode.InvalidInput) {
      throw invalidResponse(`${where}: ${error.message}`, undefined, error);
    }
    throw error;
  }
}

function intHeader(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/** v2 errors are `[{status, message}]`, v3 `{status, title, errors}`. */
function vendorMessage(answer: HttpAnswer): string | null {
  try {
    const body: unknown = JSON.parse(answer.text);
    const first: unknown = Array.isArray(body) ? body[0] : body;
    if (typeof first !== 'object' || first === null) return null;
    const { message, title } = first as { message?: unknown; title?: unknown };
    if (typeof message === 'string') return message;
    return typeof title === 'string' ? title : null;
  } catch {
    return null;
  }
}

const hookSchema = z.object({
  id: z.number().int(),
  scope: z.string(),
  destination: z.string(),
  is_active: z.boolean().nullish(),
});

const hooksPageSchema = z.object({
  data: z.array(hookSchema),
  meta: z.object({ pagination: z.object({ total_pages: z.number().int() }).nullish() }).nullish(),
});

/**
 * BigCommerce v2 Orders client.
 *
 * Pull: `GET /v2/orders?min_date_modified=…&sort=date_modified:asc&page&limit`
 * (dates sent and read in RFC 2822), then for each changed order its
 * `/products`, `/shipping_addresses` (skipped when `shipping_address_count`
 * is 0) and `/shipments` (skipped when nothing was shipped). Orders in
 * status 0 (Incomplete) are never returned. Instead of walking page numbers,
 * which skips an order whenever an earlier one is modified mid-pull and
 * moves to the end, each page restarts one second before the last
 * `date_modified` it read (whether `min_date_modified` is inclusive is not
 * documented); page numbers are used only inside a full page of one second.
 *
 * Errors: 401/403 → `upstream_auth_failed`; 429 → `upstream_rate_limited`
 * with `retryAfterMs` from `X-Rate-Limit-Time-Reset-Ms` (a 429 without it
 * backs off from 5 s, doubling); 5xx, timeouts, dropped connections →
 * `upstream_unavailable`; malformed JSON, a wrong shape, another 4xx →
 * `upstream_invalid_response`. When `X-Rate-Limit-Requests-Left` falls to
 * `lowRequestsLeft`, every call waits for the window to reset.
 */
export function createBigCommerceClient(options: BigCommerceClientOptions): PlatformClient {
  const valid = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const mappingOptions = { onUnknownStatus: options.onUnknownStatus };
  const guards = {
    limiter: new RateLimiter({ ratePerSecond: valid.ratePerSecond, now: options.now, sleep: options.sleep }),
    breaker: options.circuitBreaker ?? new CircuitBreaker({ carrier: VENDOR, now: options.now }),
  };
  let bareRateLimits = 0;

  function observeQuota(answer: HttpAnswer): void {
    const left = intHeader(answer.headers, 'x-rate-limit-requests-left');
    const resetMs = intHeader(answer.headers, 'x-rate-limit-time-reset-ms');
    // The quota is the store's, shared with its other apps: stop before it is gone, not after.
    if (left !== null && resetMs !== null && left <= valid.lowRequestsLeft) guards.limiter.backOff(resetMs);
  }

  function rateLimited(answer: HttpAnswer): DomainError {
    const resetMs = intHeader(answer.headers, 'x-rate-limit-time-reset-ms');
    const retryAfterMs =
      resetMs ??
      parseRetryAfter(answer.headers.get('retry-after')) ??
      parseRetryAfter(answer.headers.get('x-retry-after'));
    if (retryAfterMs !== null) {
      return new DomainError(ErrorCode.UpstreamRateLimited, `${VENDOR} rate limit reached (HTTP 429)`, {
        details: { status: 429, retryAfterMs },
      });
    }
    const pause = Math.min(BARE_RATE_LIMIT_MAX_PAUSE_MS, BARE_RATE_LIMIT_FIRST_PAUSE_MS * 2 ** bareRateLimits);
    bareRateLimits += 1;
    return new DomainError(ErrorCode.UpstreamRateLimited, `${VENDOR} is throttling all traffic (HTTP 429)`, {
      details: { status: 429, retryAfterMs: pause, platformWide: true },
    });
  }

  /** One exchange through the limiter and breaker. 2xx and 404 are returned; everything else throws. */
  async function request(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string | number> = {},
    body?: unknown,
  ): Promise<HttpAnswer> {
    const url = new URL(`${valid.storeUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    return guardedCall(guards, async () => {
      const answer = await exchange({
        url: url.toString(),
        method,
        headers: {
          'x-auth-token': valid.accessToken,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: valid.timeoutMs,
      });
      observeQuota(answer);
      if (answer.status === 429) throw rateLimited(answer);
      bareRateLimits = 0;
      if ((answer.status >= 200 && answer.status < 300) || answer.status === 404) return answer;
      const failure = classifyHttpFailure(VENDOR, answer);
      if (failure) throw failure;
      const said = vendorMessage(answer);
      throw invalidResponse(
        `${VENDOR} refused ${method} ${path} with HTTP ${answer.status}${said ? `: ${said}` : ''}`,
        {
          status: answer.status,
          bodyStart: answer.text.slice(0, 200),
        },
      );
    });
  }

  /** A JSON body; null for 204 No Content (BigCommerce's "none") and an empty 200. */
  function jsonOf(answer: HttpAnswer): unknown {
    if (answer.status === 204 || answer.text.trim() === '') return null;
    return parseJsonBody(VENDOR, answer);
  }

  function listOf(answer: HttpAnswer, what: string): unknown[] {
    const body = jsonOf(answer);
    if (body === null) return [];
    if (!Array.isArray(body)) throw invalidResponse(`${VENDOR} ${what} answered with something that is not a list`);
    return body as unknown[];
  }

  /** Every page of a per-order list; 204 and 404 (order gone meanwhile) are empty. */
  async function listAll(path: string): Promise<unknown[]> {
    const all: unknown[] = [];
    for (let page = 1; page <= MAX_SUB_RESOURCE_PAGES; page += 1) {
      const answer = await request('GET', path, { page, limit: BIGCOMMERCE_MAX_PAGE_SIZE });
      if (answer.status === 404) break;
      const rows = listOf(answer, `GET ${path}`);
      all.push(...rows);
      if (rows.length < BIGCOMMERCE_MAX_PAGE_SIZE) break;
    }
    return all;
  }

  /** The order with its sub-resources, mapped. */
  async function complete(order: BigCommerceOrder, raw: unknown): Promise<PlatformOrder> {
    const base = `/v2/orders/${order.id}`;
    const products = await listAll(`${base}/products`);
    const shippingAddresses = order.shipping_address_count === 0 ? [] : await listAll(`${base}/shipping_addresses`);
    // items_shipped is counted from shipments: 0 means none exist, so the call is saved for the
    // many orders that have not shipped yet (each call spends the store's shared quota).
    const mayHaveShipments = order.items_shipped !== 0 || SHIPPED_STATUS_IDS.has(order.status_id);
    const shipments = mayHaveShipments ? await listAll(`${base}/shipments`) : [];
    return asUpstream(
      () => mapBigCommerceOrder({ order: raw, products, shippingAddresses, shipments }, mappingOptions),
      `${VENDOR} order ${order.id}`,
    );
  }

  function modifiedMs(order: BigCommerceOrder): number {
    const ms = parseBigCommerceDateMs(order.date_modified);
    if (ms === null) {
      throw invalidResponse(
        `${VENDOR} order ${order.id} has a date_modified that is not a date: "${order.date_modified}"`,
      );
    }
    return ms;
  }

  return {
    platform: 'bigcommerce',

    async fetchOrder(externalId: string): Promise<PlatformOrder | null> {
      if (!/^[1-9]\d{0,15}$/.test(externalId)) {
        throw new DomainError(ErrorCode.InvalidInput, `"${externalId}" is not a BigCommerce order id`);
      }
      const answer = await request('GET', `/v2/orders/${externalId}`);
      if (answer.status === 404) return null;
      const raw = jsonOf(answer);
      if (raw === null) return null;
      const order = asUpstream(() => parseBigCommerceOrder(raw), `${VENDOR} GET /v2/orders/${externalId}`);
      // An incomplete checkout is not an order to Waymark: as if it did not exist.
      if (order.status_id === BIGCOMMERCE_INCOMPLETE_STATUS_ID) return null;
      return complete(order, raw);
    },

    async listChangedOrders(
      cursor: string | null,
      { since, pageSize }: { since: string; pageSize: number },
    ): Promise<ChangedOrdersPage> {
      if (!Number.isFinite(pageSize) || pageSize < 1) {
        throw new DomainError(ErrorCode.InvalidInput, 'pageSize must be at least 1');
      }
      const limit = Math.min(BIGCOMMERCE_MAX_PAGE_SIZE, Math.floor(pageSize));
      let state: SyncCursor;
      if (cursor) {
        state = decodeCursor(cursor);
      } else {
        const sinceMs = Date.parse(since);
        if (Number.isNaN(sinceMs)) throw new DomainError(ErrorCode.InvalidInput, `since "${since}" is not a date`);
        const start = new Date(sinceMs).toISOString();
        state = { v: 1, updatedAfter: start, page: 1, watermark: start, seen: [] };
      }
      const updatedAfterMs = Date.parse(state.updatedAfter);

      const answer = await request('GET', '/v2/orders', {
        min_date_modified: formatRfc2822(updatedAfterMs),
        sort: 'date_modified:asc',
        page: state.page,
        limit,
      });
      if (answer.status === 404) {
        throw invalidResponse(`${VENDOR} answered 404 for the order list: is the storeHash right?`, { status: 404 });
      }
      const rows = listOf(answer, 'GET /v2/orders');
      const orders = rows.map((row, index) =>
        asUpstream(() => parseBigCommerceOrder(row), `${VENDOR} GET /v2/orders element ${index}`),
      );

      const seen = new Map<number, number>(state.seen);
      let watermarkMs = Date.parse(state.watermark);
      const changed: PlatformOrder[] = [];
      for (const [index, order] of orders.entries()) {
        const orderModifiedMs = modifiedMs(order);
        watermarkMs = Math.max(watermarkMs, orderModifiedMs);
        if (order.status_id === BIGCOMMERCE_INCOMPLETE_STATUS_ID) continue;
        const version = Math.floor(orderModifiedMs / 1000);
        if (seen.get(order.id) === version) continue;
        changed.push(await complete(order, rows[index]));
        seen.set(order.id, version);
      }

      const hasMore = rows.length >= limit;
      let next: { updatedAfterMs: number; page: number };
      const last = orders.at(-1);
      if (!hasMore || !last) {
        next = { updatedAfterMs: watermarkMs - valid.overlapMs, page: 1 };
      } else {
        const stepBack = modifiedMs(last) - 1000;
        next =
          stepBack > updatedAfterMs
            ? { updatedAfterMs: stepBack, page: 1 }
            : // A whole page modified within one second: only page numbers can get past it.
              { updatedAfterMs, page: state.page + 1 };
      }
      // Only versions that can be listed again are worth remembering.
      const keepFromSeconds = Math.floor(Math.min(next.updatedAfterMs, watermarkMs - valid.overlapMs) / 1000);
      const remembered = [...seen.entries()]
        .filter(([, version]) => version >= keepFromSeconds)
        .sort((a, b) => b[1] - a[1])
        .slice(0, MAX_SEEN_ORDERS);

      return {
        orders: changed,
        hasMore,
        nextCursor: encodeCursor({
          v: 1,
          updatedAfter: new Date(next.updatedAfterMs).toISOString(),
          page: next.page,
          watermark: new Date(watermarkMs).toISOString(),
          seen: remembered,
        }),
      };
    },

    async registerWebhooks(callbackUrl: string): Promise<string[]> {
      const secret = options.webhookSecret?.trim();
      if (!secret) throw configError('webhookSecret is required to register webhooks');
      let url: URL;
      try {
        url = new URL(callbackUrl);
      } catch {
        throw configError(`callback URL "${callbackUrl}" is not a URL`);
      }
      // BigCommerce delivers to HTTPS on port 443 only and refuses to create anything else.
      if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) {
        throw configError(`BigCommerce only delivers webhooks to https:// on port 443, not "${callbackUrl}"`);
      }

      const existing: z.infer<typeof hookSchema>[] = [];
      for (let page = 1, totalPages = 1; page <= totalPages && page <= MAX_SUB_RESOURCE_PAGES; page += 1) {
        const answer = await request('GET', '/v3/hooks', { page, limit: BIGCOMMERCE_MAX_PAGE_SIZE });
        if (answer.status === 404) break;
        const body = jsonOf(answer);
        if (body === null) break;
        const parsed = hooksPageSchema.safeParse(body);
        if (!parsed.success) throw invalidResponse(`${VENDOR} GET /v3/hooks answered with an unexpected shape`);
        existing.push(...parsed.data.data);
        totalPages = parsed.data.meta?.pagination?.total_pages ?? 1;
      }

      const registered: string[] = [];
      for (const scope of BIGCOMMERCE_WEBHOOK_SCOPES) {
        const same = existing.filter((hook) => hook.scope === scope && hook.destination === callbackUrl);
        if (same.some((hook) => hook.is_active !== false)) {
          registered.push(scope);
          continue;
        }
        // A deactivated hook (48 h of failures, 90 days unused) is revived with PUT /v3/hooks/{id},
        // which the shared HttpExchange (GET/POST) cannot send: it is left out of the answer.
        if (same.length > 0) continue;
        const answer = await request('POST', '/v3/hooks', undefined, {
          scope,
          destination: callbackUrl,
          is_active: true,
          headers: { [BIGCOMMERCE_SECRET_HEADER]: secret },
        });
        if (answer.status === 404) throw invalidResponse(`${VENDOR} answered 404 to POST /v3/hooks`, { status: 404 });
        registered.push(scope);
      }
      return registered;
    },

    async testConnection(): Promise<void> {
      const answer = await request('GET', '/v2/orders/count');
      if (answer.status === 404) {
        throw invalidResponse(`${VENDOR} answered 404 for the order count: is the storeHash right?`, { status: 404 });
      }
      const body = jsonOf(answer);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw invalidResponse(`${VENDOR} GET /v2/orders/count answered with an unexpected shape`);
      }
    },
  };
}
