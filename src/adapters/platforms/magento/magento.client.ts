/**
 * Magento 2 / Adobe Commerce REST pull client. Magento Open Source has no webhooks, so this is
 * the main path for its orders: an `updated_at` watermark over `GET /V1/orders?searchCriteria…`,
 * and the tracks from `GET /V1/shipments?searchCriteria…` for the orders of each page.
 *
 * Credentials (`StoreSecrets.credentials`):
 * - `accessToken` alone: sent as `Authorization: Bearer …`. Works for an admin token, or for an
 *   integration's access token when the merchant has enabled "Allow OAuth Access Tokens to be
 *   used as standalone Bearer tokens" (off by default since 2.4.4).
 * - `consumerKey`, `consumerSecret`, `accessToken`, `accessTokenSecret` (an integration's four
 *   values): every request is signed with OAuth 1.0a HMAC-SHA256, what 2.4.4+ expects.
 */
import { z } from 'zod';

import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';
import type { ChangedOrdersPage, PlatformClient, PlatformOrder } from '../../../core/ports/platform.port.js';
import { Platform } from '../../../core/store/store.js';
import { classifyHttpFailure, fetchExchange, parseJsonBody } from '../../carriers/shared/carrier-http.js';
import type { HttpAnswer, HttpExchange } from '../../carriers/shared/carrier-http.js';
import { CircuitBreaker } from '../../carriers/shared/circuit-breaker.js';
import { guardedCall } from '../../carriers/shared/guarded-call.js';
import { RateLimiter } from '../../carriers/shared/rate-limiter.js';
import { isoToMagentoTime, mapMagentoOrder, parseMagentoShipment } from './magento.mapping.js';
import type { MagentoShipment } from './magento.mapping.js';
import { encodeQuery, oauthAuthorizationHeader, randomNonce } from './magento.oauth.js';
import type { OAuth1Credentials } from './magento.oauth.js';

const VENDOR = 'Magento';

/**
 * Magento 2.4.7's web API input limits cap `searchCriteria[pageSize]` at 300 by default
 * (Stores → Configuration → Services → Web API Input Limits); larger requests are refused.
 */
export const MAGENTO_MAX_PAGE_SIZE = 300;
/** Shipments fetched per request for a page of orders. */
const SHIPMENTS_PAGE_SIZE = 100;
/** Each pull starts again this far before the newest change seen, for saves that committed late. */
export const MAGENTO_DEFAULT_OVERLAP_MS = 5 * 60_000;

export type MagentoClientOptions = {
  /** `StoreSecrets.credentials`: `accessToken`, plus `consumerKey`, `consumerSecret`, `accessTokenSecret` for OAuth 1.0a. */
  credentials: Record<string, string>;
  /** The store's base URL (`https://shop.example.com`, or with the sub-path Magento is installed under). */
  baseUrl?: string;
  /** The store's domain, when no `baseUrl` is given: a host name (`https://<domain>`) or a full base URL. */
  domain?: string;
  /** REST store code (`/rest/<code>/V1`); default none (`/rest/V1`, the default store view). */
  storeCode?: string;
  exchange?: HttpExchange;
  /** Per HTTP exchange. Default 20 s: order searches on small Magento servers are slow. */
  timeoutMs?: number;
  /** Requests per second to this store. Default 4: Magento has no API rate limit of its own, and many servers are small. */
  ratePerSecond?: number;
  /** How far before the newest change seen each pull starts again. Default 5 minutes. */
  overlapMs?: number;
  /** Clock for the rate limiter, the circuit breaker and OAuth timestamps (tests fix it). */
  now?: () => number;
  /** How the rate limiter waits (tests record the pause instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** OAuth nonce source (tests fix it). */
  nonce?: () => string;
  circuitBreaker?: CircuitBreaker;
  /** Hears each Magento `state` missing from the mapping table. */
  onUnknownStatus?: (value: string) => void;
};

type Authorizer = (url: URL) => string;

type SearchFilter = { field: string; value: string; conditionType: string };
type SortOrder = { field: string; direction: 'ASC' | 'DESC' };

/** The pull position: a pass over `updated_at >= updatedFrom`, at `page`, of pages of `pageSize`. */
type SyncCursor = {
  v: 1;
  /** ISO-8601 UTC; Magento filters to the second. */
  updatedFrom: string;
  page: number;
  pageSize: number;
  /** The newest `updated_at` seen so far, ISO-8601 UTC; the next pass starts `overlapMs` before it. */
  newest: string | null;
};

const cursorSchema = z.object({
  v: z.literal(1),
  updatedFrom: z.iso.datetime(),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1).max(MAGENTO_MAX_PAGE_SIZE),
  newest: z.iso.datetime().nullable(),
});

const searchResultSchema = z.object({
  items: z.array(z.unknown()).nullish(),
  total_count: z.number().int().nonnegative(),
});

type SearchResult = { items: unknown[]; totalCount: number };

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `Magento client: ${message}`);
}

function invalidResponse(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, message, details ? { details } : {});
}

const OAUTH_KEYS = ['consumerKey', 'consumerSecret', 'accessTokenSecret'] as const;

function resolveAuthorizer(
  credentials: Record<string, string> | undefined,
  clock: () => number,
  nonce: () => string,
): Authorizer {
  if (typeof credentials !== 'object' || credentials === null) {
    throw configError('credentials are required (accessToken, or the four OAuth 1.0a values of an integration)');
  }
  const value = (key: string) => (typeof credentials[key] === 'string' ? credentials[key].trim() : '');
  const accessToken = value('accessToken');
  if (!accessToken) throw configError('credentials.accessToken is required');
  const present = OAUTH_KEYS.filter((key) => value(key));
  if (present.length === 0) return () => `Bearer ${accessToken}`;
  const missing = OAUTH_KEYS.filter((key) => !value(key));
  if (missing.length > 0) {
    // Half an integration is a copy-paste mistake: falling back to Bearer would hide it behind a 401.
    throw configError(`OAuth 1.0a needs credentials.${missing.join(', credentials.')} as well`);
  }
  const oauth: OAuth1Credentials = {
    consumerKey: value('consumerKey'),
    consumerSecret: value('consumerSecret'),
    token: accessToken,
    tokenSecret: value('accessTokenSecret'),
  };
  return (url) =>
    oauthAuthorizationHeader({
      method: 'GET',
      url,
      credentials: oauth,
      timestampSeconds: Math.floor(clock() / 1000),
      nonce: nonce(),
    });
}

function resolveRestBase(options: MagentoClientOptions): string {
  const domain = options.domain?.trim() ?? '';
  // A store's domain is a host name, but Magento often lives under a sub-path: accept a full URL too.
  const given = options.baseUrl?.trim() || (domain && !/^https?:\/\//i.test(domain) ? `https://${domain}` : domain);
  if (!given) throw configError('baseUrl (or domain) is required: the store’s base URL');
  // Merchants paste the REST endpoint they tested with; the base URL is what comes before it.
  const base = given.replace(/\/+$/, '').replace(/\/rest(\/V1)?$/i, '');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw configError(`baseUrl "${given}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError(`baseUrl "${given}" must be http(s)`);
  if (url.search || url.hash) throw configError(`baseUrl "${given}" must not have a query or fragment`);
  const storeCode = options.storeCode?.trim();
  if (storeCode !== undefined && storeCode !== '' && !/^[a-z0-9_]+$/i.test(storeCode)) {
    throw configError(`storeCode "${storeCode}" is not a Magento store code`);
  }
  return `${base}/rest${storeCode ? `/${storeCode}` : ''}/V1`;
}

function positiveNumber(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved <= 0) throw configError(`${name} must be a positive number`);
  return resolved;
}

/** `searchCriteria` as Magento's REST docs spell it; each filter in its own group (AND). */
function searchCriteria(
  filters: readonly SearchFilter[],
  sortOrders: readonly SortOrder[],
  pageSize: number,
  currentPage: number,
): [string, string][] {
  const pairs: [string, string][] = [];
  filters.forEach((filter, group) => {
    const prefix = `searchCriteria[filter_groups][${group}][filters][0]`;
    pairs.push([`${prefix}[field]`, filter.field], [`${prefix}[value]`, filter.value]);
    pairs.push([`${prefix}[condition_type]`, filter.conditionType]);
  });
  sortOrders.forEach((sort, index) => {
    pairs.push([`searchCriteria[sortOrders][${index}][field]`, sort.field]);
    pairs.push([`searchCriteria[sortOrders][${index}][direction]`, sort.direction]);
  });
  // Without pageSize Magento returns every match in one answer.
  pairs.push(['searchCriteria[pageSize]', String(pageSize)], ['searchCriteria[currentPage]', String(currentPage)]);
  return pairs;
}

/** Magento's error body: `{"message": "… %1 … %name …", "parameters": [...] | {...}}`. */
function magentoMessage(answer: HttpAnswer): string | null {
  try {
    const body = JSON.parse(answer.text) as unknown;
    if (typeof body !== 'object' || body === null) return null;
    const { message, parameters } = body as { message?: unknown; parameters?: unknown };
    if (typeof message !== 'string') return null;
    if (typeof parameters !== 'object' || parameters === null) return message;
    const values: Record<string, unknown> = Array.isArray(parameters)
      ? Object.fromEntries(parameters.map((value: unknown, index) => [String(index + 1), value]))
      : (parameters as Record<string, unknown>);
    return message.replace(/%(\w+)/g, (token, name: string) => {
      const value = values[name];
      return typeof value === 'string' || typeof value === 'number' ? String(value) : token;
    });
  } catch {
    return null;
  }
}

function failureOf(answer: HttpAnswer): DomainError {
  const said = magentoMessage(answer);
  const classified = classifyHttpFailure(VENDOR, answer);
  if (classified) {
    if (!said) return classified;
    return new DomainError(classified.code, `${classified.message}: ${said}`, {
      details: { ...classified.details, magentoMessage: said },
    });
  }
  // 400 (a searchCriteria Magento refuses), 404 on a list, 3xx: our request or the base URL is wrong.
  return invalidResponse(`Magento answered HTTP ${answer.status}${said ? `: ${said}` : ''}`, {
    status: answer.status,
    bodyStart: answer.text.slice(0, 200),
  });
}

function encodeCursor(cursor: SyncCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): SyncCursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new DomainError(ErrorCode.InvalidInput, 'Magento sync cursor is not one this adapter wrote');
  }
}

function isoInstant(value: string, name: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new DomainError(ErrorCode.InvalidInput, `${name} "${value}" is not an ISO-8601 instant`);
  return new Date(at).toISOString();
}

function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * Errors: 401/403 → `upstream_auth_failed` (with Magento's message, e.g. the ACL resource
 * missing from the integration), 429 → `upstream_rate_limited` with `retryAfterMs` (every call
 * of this client then pauses), 5xx (503 in maintenance mode), timeouts and network failures →
 * `upstream_unavailable`, malformed JSON, a wrong shape or another status →
 * `upstream_invalid_response`.
 */
export function createMagentoClient(options: MagentoClientOptions): PlatformClient {
  const clock = options.now ?? Date.now;
  const authorize = resolveAuthorizer(options.credentials, clock, options.nonce ?? randomNonce);
  const restBase = resolveRestBase(options);
  const timeoutMs = positiveNumber(options.timeoutMs, 20_000, 'timeoutMs');
  const ratePerSecond = positiveNumber(options.ratePerSecond, 4, 'ratePerSecond');
  const overlapMs = options.overlapMs ?? MAGENTO_DEFAULT_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) throw configError('overlapMs must be zero or more');
  const exchange = options.exchange ?? fetchExchange;
  const guards = {
    limiter: new RateLimiter({ ratePerSecond, now: options.now, sleep: options.sleep }),
    breaker: options.circuitBreaker ?? new CircuitBreaker({ carrier: VENDOR, now: options.now }),
  };

  /** One GET through the rate limiter and circuit breaker; null on a 404 when `notFoundIsNull`. */
  async function getJson(path: string, query: readonly [string, string][], notFoundIsNull = false): Promise<unknown> {
    return guardedCall(guards, async () => {
      const url = new URL(`${restBase}${path}${query.length > 0 ? `?${encodeQuery(query)}` : ''}`);
      const answer = await exchange({
        url: url.toString(),
        method: 'GET',
        headers: { accept: 'application/json', authorization: authorize(url) },
        timeoutMs,
      });
      if (answer.status === 200) return parseJsonBody(VENDOR, answer);
      if (answer.status === 404 && notFoundIsNull) return null;
      throw failureOf(answer);
    });
  }

  async function search(path: string, query: readonly [string, string][]): Promise<SearchResult> {
    const body = await getJson(path, query);
    const parsed = searchResultSchema.safeParse(body);
    if (!parsed.success) {
      throw invalidResponse(`Magento ${path} answered without items[] and total_count`, {
        issues: parsed.error.issues.slice(0, 3),
      });
    }
    return { items: parsed.data.items ?? [], totalCount: parsed.data.total_count };
  }

  /** Every shipment of these orders, across as many pages as Magento has. */
  async function shipmentsOf(orderIds: readonly string[]): Promise<Map<string, MagentoShipment[]>> {
    const byOrder = new Map<string, MagentoShipment[]>();
    if (orderIds.length === 0) return byOrder;
    const filter: SearchFilter = { field: 'order_id', value: orderIds.join(','), conditionType: 'in' };
    for (let page = 1; ; page += 1) {
      const result = await search(
        '/shipments',
        searchCriteria([filter], [{ field: 'entity_id', direction: 'ASC' }], SHIPMENTS_PAGE_SIZE, page),
      );
      // Past the last page Magento answers the last page again: total_count says when to stop.
      if ((page - 1) * SHIPMENTS_PAGE_SIZE >= result.totalCount) break;
      for (const raw of result.items) {
        let shipment: MagentoShipment;
        try {
          shipment = parseMagentoShipment(raw);
        } catch (error) {
          throw asInvalidResponse(error);
        }
        const orderId = String(shipment.order_id);
        byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), shipment]);
      }
      if (page * SHIPMENTS_PAGE_SIZE >= result.totalCount || result.items.length === 0) break;
    }
    return byOrder;
  }

  function asInvalidResponse(error: unknown): unknown {
    if (isDomainError(error) && error.code === ErrorCode.InvalidInput) {
      return new DomainError(ErrorCode.UpstreamInvalidResponse, error.message, {
        cause: error,
        details: error.details,
      });
    }
    return error;
  }

  function toPlatformOrder(raw: unknown, shipments: Map<string, MagentoShipment[]>): PlatformOrder {
    const id = typeof raw === 'object' && raw !== null ? (raw as { entity_id?: unknown }).entity_id : undefined;
    try {
      return mapMagentoOrder(raw, shipments.get(String(id)) ?? [], { onUnknownStatus: options.onUnknownStatus });
    } catch (error) {
      throw asInvalidResponse(error);
    }
  }

  function orderIdsOf(rows: readonly unknown[]): string[] {
    return rows.flatMap((row) => {
      const id = typeof row === 'object' && row !== null ? (row as { entity_id?: unknown }).entity_id : undefined;
      return typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? [String(id)] : [];
    });
  }

  return {
    platform: Platform.Magento,

    async fetchOrder(externalId: string): Promise<PlatformOrder | null> {
      const id = externalId.trim();
      if (!/^\d+$/.test(id)) {
        throw new DomainError(ErrorCode.InvalidInput, `Magento order id "${externalId}" is not an entity_id`);
      }
      const raw = await getJson(`/orders/${id}`, [], true);
      if (raw === null) return null;
      return toPlatformOrder(raw, await shipmentsOf([id]));
    },

    async listChangedOrders(
      cursor: string | null,
      { since, pageSize }: { since: string; pageSize: number },
    ): Promise<ChangedOrdersPage> {
      if (!Number.isInteger(pageSize) || pageSize < 1) {
        throw new DomainError(ErrorCode.InvalidInput, `pageSize must be a positive integer, not ${pageSize}`);
      }
      const position: SyncCursor = cursor
        ? decodeCursor(cursor)
        : {
            v: 1,
            updatedFrom: isoInstant(since, 'since'),
            page: 1,
            pageSize: Math.min(pageSize, MAGENTO_MAX_PAGE_SIZE),
            newest: null,
          };
      // Mid-pass, page N only means the same rows with the same page size.
      const size = position.page > 1 ? position.pageSize : Math.min(pageSize, MAGENTO_MAX_PAGE_SIZE);
      const result = await search(
        '/orders',
        searchCriteria(
          [{ field: 'updated_at', value: isoToMagentoTime(position.updatedFrom), conditionType: 'gteq' }],
          [
            { field: 'updated_at', direction: 'ASC' },
            // Orders saved in the same second keep one order from page to page.
            { field: 'entity_id', direction: 'ASC' },
          ],
          size,
          position.page,
        ),
      );
      // Past the last page Magento answers the last page again: those rows were already returned.
      const pastTheEnd = position.page > 1 && (position.page - 1) * size >= result.totalCount;
      const rows = pastTheEnd ? [] : result.items;
      const shipments = await shipmentsOf(orderIdsOf(rows));
      const orders = rows.map((row) => toPlatformOrder(row, shipments));

      const pageNewest = orders.reduce<string | null>(
        (newest, order) => laterOf(newest, order.platformUpdatedAt),
        null,
      );
      const newest = laterOf(position.newest, pageNewest);
      const hasMore = !pastTheEnd && position.page * size < result.totalCount;
      let next: SyncCursor;
      if (hasMore && pageNewest !== null && Date.parse(pageNewest) > Date.parse(position.updatedFrom)) {
        // Keyset step: restart at page 1 from this page's newest change, so orders saved while we
        // page (which move to the end of the sort) cannot shift unseen rows onto pages already read.
        next = { v: 1, updatedFrom: pageNewest, page: 1, pageSize: size, newest };
      } else if (hasMore) {
        // The whole page was saved in the same second: only the page number can move on.
        next = { v: 1, updatedFrom: position.updatedFrom, page: position.page + 1, pageSize: size, newest };
      } else {
        const updatedFrom =
          newest === null ? position.updatedFrom : new Date(Date.parse(newest) - overlapMs).toISOString();
        next = { v: 1, updatedFrom, page: 1, pageSize: size, newest };
      }
      return { orders, nextCursor: encodeCursor(next), hasMore };
    },

    async testConnection(): Promise<void> {
      // The smallest call that proves the one ACL resource polling needs (Magento_Sales::actions_view).
      await search('/orders', searchCriteria([], [], 1, 1));
    },
  };
}
