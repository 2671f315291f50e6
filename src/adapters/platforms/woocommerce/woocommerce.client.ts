/**
 * WooCommerce REST API v3 client (`{site}/wp-json/wc/v3/…`).
 *
 * Auth: HTTP Basic with the REST API consumer key and secret, which WooCommerce accepts only
 * over HTTPS (plain HTTP needs OAuth 1.0a, not supported here; loopback hosts are let through
 * for local fakes). Credential keys in `StoreSecrets.credentials`: `consumerKey` (`ck_…`) and
 * `consumerSecret` (`cs_…`). For hosts that drop the Authorization header, WooCommerce also
 * reads them as `consumer_key` / `consumer_secret` query parameters (`credentialsInQuery`).
 *
 * Polling: `GET /orders?modified_after=…&dates_are_gmt=true&orderby=modified&order=asc`.
 * Page numbers over a list ordered by modification shift under our feet — an order modified
 * mid-pass jumps to the end and the one behind it slides onto a page already read — so each
 * page re-anchors `modified_after` one second before the last modification it saw and starts
 * again at page 1, remembering the ids of that second it already handed over so they are not
 * handed over twice; page numbers only advance when a whole page shares one second. At the end
 * of a pass the next one starts `overlapMs` before the last modification seen, for orders whose
 * save committed after a later one was already visible (those are handed over again, on purpose).
 * The cursor is base64url JSON `{v: 1, after, page, seen}`.
 *
 * Core WooCommerce does not rate-limit the admin API, but hosts and WAFs do, with 429 and
 * Retry-After, with the Store API's `RateLimit-*` headers, or with an HTML 403.
 */
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { ChangedOrdersPage, PlatformClient, PlatformOrder } from '../../../core/ports/platform.port.js';
import {
  classifyHttpFailure,
  fetchExchange,
  parseJsonBody,
  parseRetryAfter,
} from '../../carriers/shared/carrier-http.js';
import type { HttpAnswer, HttpExchange, HttpRequest } from '../../carriers/shared/carrier-http.js';
import { CircuitBreaker } from '../../carriers/shared/circuit-breaker.js';
import { guardedCall } from '../../carriers/shared/guarded-call.js';
import { RateLimiter } from '../../carriers/shared/rate-limiter.js';
import { mapWooCommerceOrder } from './woocommerce.mapping.js';
import { WOOCOMMERCE_ORDER_TOPICS } from './woocommerce.webhook.js';

const VENDOR = 'WooCommerce';
const API_PREFIX = '/wp-json/wc/v3';
/** WordPress caps `per_page` at 100. */
export const WOOCOMMERCE_MAX_PAGE_SIZE = 100;
export const WOOCOMMERCE_DEFAULT_OVERLAP_MS = 5 * 60_000;
const CURSOR_VERSION = 1;
const ONE_SECOND_MS = 1000;

export type WooCommerceClientOptions = {
  /** `StoreSecrets.credentials`; reads `consumerKey` and `consumerSecret`. */
  credentials: Record<string, string>;
  /** The WordPress site's URL (`https://shop.example.com`, or with its sub-folder). */
  baseUrl?: string;
  /** The site's host when no baseUrl is given: `https://{domain}`. */
  domain?: string;
  /** The secret `registerWebhooks` sets on each webhook (the store's `webhookSecret`). */
  webhookSecret?: string | null;
  exchange?: HttpExchange;
  /** Per HTTP exchange. Default 20 s: WordPress builds each order page in PHP, often on shared hosting. */
  timeoutMs?: number;
  /** Default 2/s: the research's "1–2 concurrent requests per store"; the site is also serving shoppers. */
  ratePerSecond?: number;
  /** How far before the last modification seen the next pass starts. Default 5 minutes. */
  overlapMs?: number;
  /** Send the keys as query parameters instead of an Authorization header. */
  credentialsInQuery?: boolean;
  /** Clock for the rate limiter and the circuit breaker. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  circuitBreaker?: CircuitBreaker;
  onUnknownStatus?: (value: string) => void;
};

/**
 * Where a pull stands: orders modified after `after` (ISO UTC, whole seconds), this page of that
 * query, and the ids already handed over whose change falls in the second right after `after`
 * (the page boundary is re-read to keep its ties; these are not handed over twice).
 */
export type WooCommerceCursor = { v: typeof CURSOR_VERSION; after: string; page: number; seen: string[] };

type ValidOptions = {
  consumerKey: string;
  consumerSecret: string;
  baseUrl: string;
  timeoutMs: number;
  ratePerSecond: number;
  overlapMs: number;
};

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `WooCommerce client: ${message}`);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function validateOptions(options: WooCommerceClientOptions): ValidOptions {
  const consumerKey = options.credentials?.consumerKey?.trim();
  const consumerSecret = options.credentials?.consumerSecret?.trim();
  if (!consumerKey || !consumerSecret) {
    throw configError(
      'credentials.consumerKey and credentials.consumerSecret (WooCommerce REST API keys) are required',
    );
  }
  // Keys are issued as ck_… / cs_…; this catches the two pasted the wrong way round.
  if (!consumerKey.startsWith('ck_')) throw configError('credentials.consumerKey must start with "ck_"');
  if (!consumerSecret.startsWith('cs_')) throw configError('credentials.consumerSecret must start with "cs_"');

  const domain = options.domain?.trim();
  const rawBaseUrl = options.baseUrl?.trim() || (domain ? `https://${domain}` : '');
  if (!rawBaseUrl) throw configError('baseUrl (the WordPress site URL) or domain is required');
  let url: URL;
  try {
    url = new URL(rawBaseUrl);
  } catch {
    throw configError(`baseUrl "${rawBaseUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw configError(
      `baseUrl "${rawBaseUrl}" must be https: WooCommerce accepts API keys in Basic auth only over HTTPS`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw configError(`baseUrl "${rawBaseUrl}" must not carry a query, fragment or credentials`);
  }
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/wp-json$/, '')}`;

  const timeoutMs = options.timeoutMs ?? 20_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw configError('timeoutMs must be a positive number');
  const ratePerSecond = options.ratePerSecond ?? 2;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw configError('ratePerSecond must be a positive number');
  }
  const overlapMs = options.overlapMs ?? WOOCOMMERCE_DEFAULT_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) throw configError('overlapMs must be zero or more');
  return { consumerKey, consumerSecret, baseUrl, timeoutMs, ratePerSecond, overlapMs };
}

/** A cursor never remembers more ids than this; past it, a few boundary orders may come twice. */
const MAX_SEEN_IDS = 1000;

function wholeSecond(ms: number): number {
  return Math.floor(ms / ONE_SECOND_MS) * ONE_SECOND_MS;
}

export function encodeWooCommerceCursor(cursor: Omit<WooCommerceCursor, 'v' | 'seen'> & { seen?: string[] }): string {
  const afterMs = Date.parse(cursor.after);
  if (Number.isNaN(afterMs))
    throw new DomainError(ErrorCode.InvalidInput, `cursor start "${cursor.after}" is not a date`);
  const after = new Date(wholeSecond(afterMs)).toISOString();
  const seen = (cursor.seen ?? []).slice(-MAX_SEEN_IDS);
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, after, page: cursor.page, seen })).toString('base64url');
}

export function decodeWooCommerceCursor(cursor: string): WooCommerceCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const candidate = parsed as Partial<Record<keyof WooCommerceCursor, unknown>> | null;
  const seen = candidate?.seen ?? [];
  if (
    !candidate ||
    candidate.v !== CURSOR_VERSION ||
    typeof candidate.after !== 'string' ||
    Number.isNaN(Date.parse(candidate.after)) ||
    typeof candidate.page !== 'number' ||
    !Number.isSafeInteger(candidate.page) ||
    candidate.page < 1 ||
    !Array.isArray(seen) ||
    !seen.every((id) => typeof id === 'string' && /^\d+$/.test(id))
  ) {
    throw new DomainError(ErrorCode.InvalidInput, 'not a WooCommerce sync cursor');
  }
  return {
    v: CURSOR_VERSION,
    after: new Date(wholeSecond(Date.parse(candidate.after))).toISOString(),
    page: candidate.page,
    seen: seen as string[],
  };
}

/**
 * `modified_after` as WooCommerce parses it with `dates_are_gmt=true`: zone-less UTC, whole
 * seconds (rounded down, so nothing at the boundary second is skipped).
 */
function asWooCommerceGmt(iso: string): string {
  return new Date(wholeSecond(Date.parse(iso))).toISOString().slice(0, 19);
}

function wooErrorCode(answer: HttpAnswer): { code: string | null; message: string | null } {
  try {
    const body = JSON.parse(answer.text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const { code, message } = body as { code?: unknown; message?: unknown };
      return { code: typeof code === 'string' ? code : null, message: typeof message === 'string' ? message : null };
    }
  } catch {
    // Not JSON: a host's or firewall's page.
  }
  return { code: null, message: null };
}

/**
 * How long the host asked us to wait: `Retry-After`, else the Store API's `RateLimit-Retry-After`
 * (seconds), else `RateLimit-Reset` (a Unix timestamp in WooCommerce; delta seconds in the IETF draft).
 */
function retryAfterMs(answer: HttpAnswer, nowMs: number): number | null {
  const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), nowMs);
  if (retryAfter !== null) return retryAfter;
  const rateLimitRetry = parseRetryAfter(answer.headers.get('ratelimit-retry-after'), nowMs);
  if (rateLimitRetry !== null) return rateLimitRetry;
  const reset = Number(answer.headers.get('ratelimit-reset') ?? NaN);
  if (!Number.isFinite(reset) || reset < 0) return null;
  return reset > 1e9 ? Math.max(0, reset * 1000 - nowMs) : reset * 1000;
}

function failureOf(answer: HttpAnswer, nowMs: number): DomainError {
  const { code, message } = wooErrorCode(answer);
  const said = code ? `: ${code}${message ? ` (${message})` : ''}` : '';
  const details = { status: answer.status, wooCommerceCode: code };
  if (answer.status === 429) {
    return new DomainError(ErrorCode.UpstreamRateLimited, `${VENDOR} rate limit reached (HTTP 429)`, {
      details: { ...details, retryAfterMs: retryAfterMs(answer, nowMs) },
    });
  }
  if (answer.status === 403 && code === null) {
    // WooCommerce's own refusals are JSON with a code; an HTML 403 is a host or WAF throttling us.
    return new DomainError(
      ErrorCode.UpstreamRateLimited,
      `${VENDOR} site's host or firewall refused the request (HTTP 403, not from WooCommerce)`,
      {
        details: { ...details, retryAfterMs: retryAfterMs(answer, nowMs), bodyStart: answer.text.slice(0, 200) },
      },
    );
  }
  const classified = classifyHttpFailure(VENDOR, answer);
  if (classified) {
    return new DomainError(classified.code, `${classified.message}${said}`, {
      details: { ...classified.details, ...details },
    });
  }
  return new DomainError(
    ErrorCode.UpstreamInvalidResponse,
    `${VENDOR} answered with unexpected HTTP ${answer.status}${said}`,
    {
      details: { ...details, bodyStart: answer.text.slice(0, 200) },
    },
  );
}

/** A 200 body that is not the expected JSON shape. */
function wrongShape(what: string, cause?: unknown): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `${VENDOR} answered with ${what}`, { cause });
}

function totalPagesOf(answer: HttpAnswer): number | null {
  const value = answer.headers.get('x-wp-totalpages');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

type WebhookSummary = { id: number; topic: string; deliveryUrl: string };

function webhookSummaries(body: unknown): WebhookSummary[] {
  if (!Array.isArray(body)) throw wrongShape('a webhook list that is not an array');
  return body.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { id, topic, delivery_url: deliveryUrl } = entry as Record<string, unknown>;
    return typeof id === 'number' && typeof topic === 'string' && typeof deliveryUrl === 'string'
      ? [{ id, topic, deliveryUrl }]
      : [];
  });
}

/**
 * The WooCommerce `PlatformClient`. Errors: 401 and WooCommerce's JSON 403 →
 * `upstream_auth_failed`; 429 and a host's HTML 403 → `upstream_rate_limited` with
 * `retryAfterMs` (every caller of this client pauses); 5xx, timeouts, dropped connections, an
 * open circuit → `upstream_unavailable`; malformed JSON, a wrong shape, a missing REST route,
 * an order that does not map → `upstream_invalid_response`.
 */
export function createWooCommerceClient(options: WooCommerceClientOptions): PlatformClient {
  const valid = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const clock = options.now ?? Date.now;
  const limiter = new RateLimiter({ ratePerSecond: valid.ratePerSecond, now: options.now, sleep: options.sleep });
  const guards = {
    limiter,
    breaker: options.circuitBreaker ?? new CircuitBreaker({ carrier: VENDOR, now: options.now }),
  };
  const authorization = `Basic ${Buffer.from(`${valid.consumerKey}:${valid.consumerSecret}`).toString('base64')}`;

  function urlFor(path: string, query: Record<string, string>): string {
    const params = new URLSearchParams(query);
    if (options.credentialsInQuery) {
      params.set('consumer_key', valid.consumerKey);
      params.set('consumer_secret', valid.consumerSecret);
    }
    const search = params.toString();
    return `${valid.baseUrl}${API_PREFIX}${path}${search ? `?${search}` : ''}`;
  }

  /** Pauses every caller when a successful answer says the window is used up. */
  function honourRateLimitHeaders(answer: HttpAnswer): void {
    if (answer.headers.get('ratelimit-remaining')?.trim() !== '0') return;
    const wait = retryAfterMs(answer, clock());
    if (wait !== null && wait > 0) limiter.backOff(wait);
  }

  type Call = { query?: Record<string, string>; body?: unknown; readsStatus?: number };

  /** One API call through the rate limiter and circuit breaker; `readsStatus` is left to the caller. */
  async function send(method: NonNullable<HttpRequest['method']>, path: string, call: Call = {}): Promise<HttpAnswer> {
    const { query = {}, body, readsStatus } = call;
    return guardedCall(guards, async () => {
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Waymark' };
      if (!options.credentialsInQuery) headers.authorization = authorization;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const answer = await exchange({
        url: urlFor(path, query),
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: valid.timeoutMs,
      });
      if (answer.status >= 400 && answer.status !== readsStatus) throw failureOf(answer, clock());
      if (answer.status >= 200 && answer.status < 300) honourRateLimitHeaders(answer);
      return answer;
    });
  }

  function expectOk(answer: HttpAnswer): unknown {
    if (answer.status < 200 || answer.status >= 300) throw failureOf(answer, clock());
    return parseJsonBody(VENDOR, answer);
  }

  function mapPulled(raw: unknown): PlatformOrder {
    try {
      return mapWooCommerceOrder(raw, { onUnknownStatus: options.onUnknownStatus });
    } catch (error) {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      const message = error instanceof Error ? error.message : String(error);
      throw wrongShape(
        `order ${typeof id === 'number' || typeof id === 'string' ? id : '(no id)'} that cannot be read: ${message}`,
        error,
      );
    }
  }

  return {
    platform: 'woocommerce',

    async fetchOrder(externalId: string): Promise<PlatformOrder | null> {
      const id = externalId.trim();
      // REST order ids are post ids; anything else cannot name an order (and would hit no route).
      if (!/^[1-9]\d*$/.test(id)) return null;
      // A missing order is an answer, not a failure.
      const answer = await send('GET', `/orders/${id}`, { readsStatus: 404 });
      if (answer.status === 404) {
        const { code } = wooErrorCode(answer);
        if (code !== null && code.endsWith('_invalid_id')) return null;
        // rest_no_route or an HTML 404: WooCommerce (or pretty permalinks) is missing, not the order.
        throw failureOf(answer, clock());
      }
      return mapPulled(expectOk(answer));
    },

    async listChangedOrders(cursor, { since, pageSize }): Promise<ChangedOrdersPage> {
      let position: WooCommerceCursor;
      if (cursor) {
        position = decodeWooCommerceCursor(cursor);
      } else {
        const sinceMs = Date.parse(since);
        if (Number.isNaN(sinceMs)) throw new DomainError(ErrorCode.InvalidInput, `since "${since}" is not a date`);
        // WooCommerce dates are whole seconds; so is every window start.
        position = decodeWooCommerceCursor(encodeWooCommerceCursor({ after: since, page: 1 }));
      }
      if (!Number.isFinite(pageSize) || pageSize < 1) {
        throw new DomainError(ErrorCode.InvalidInput, 'pageSize must be at least 1');
      }
      const perPage = Math.min(WOOCOMMERCE_MAX_PAGE_SIZE, Math.floor(pageSize));

      const answer = await send('GET', '/orders', {
        query: {
          modified_after: asWooCommerceGmt(position.after),
          dates_are_gmt: 'true',
          orderby: 'modified',
          order: 'asc',
          per_page: String(perPage),
          page: String(position.page),
        },
        readsStatus: 400,
      });
      // WordPress answers a page past the last with 400 *_invalid_page_number: orders left the window
      // between two calls. That is an empty page, the end of this pass.
      const pastTheEnd = answer.status === 400 && (wooErrorCode(answer).code ?? '').endsWith('_invalid_page_number');
      const body = pastTheEnd ? [] : expectOk(answer);
      if (!Array.isArray(body)) throw wrongShape('an order list that is not an array');
      const pageOrders = body.map(mapPulled);

      const afterMs = Date.parse(position.after);
      const boundarySecondMs = afterMs + ONE_SECOND_MS;
      const seen = new Set(position.seen);
      const orders = pageOrders.filter(
        (order) =>
          !(seen.has(order.externalId) && wholeSecond(Date.parse(order.platformUpdatedAt)) === boundarySecondMs),
      );

      const totalPages = totalPagesOf(answer);
      // Caching proxies sometimes strip the WP headers: a full page then means "maybe more".
      const hasMore = totalPages !== null ? position.page < totalPages : body.length === perPage;
      const lastSecondMs = wholeSecond(
        pageOrders.reduce((latest, order) => Math.max(latest, Date.parse(order.platformUpdatedAt)), -Infinity),
      );
      const idsInLastSecond = pageOrders
        .filter((order) => wholeSecond(Date.parse(order.platformUpdatedAt)) === lastSecondMs)
        .map((order) => order.externalId);

      let next: Parameters<typeof encodeWooCommerceCursor>[0];
      if (hasMore && Number.isFinite(lastSecondMs) && lastSecondMs - ONE_SECOND_MS > afterMs) {
        // Re-anchor one second before the last change (`modified_after` is exclusive), so the orders
        // sharing that second are not lost; the ones already handed over are remembered.
        next = { after: new Date(lastSecondMs - ONE_SECOND_MS).toISOString(), page: 1, seen: idsInLastSecond };
      } else if (hasMore) {
        // The whole page shares the boundary second: only a page number moves past it.
        next = {
          after: position.after,
          page: position.page + 1,
          seen: [...new Set([...position.seen, ...idsInLastSecond])],
        };
      } else {
        const restartMs = Number.isFinite(lastSecondMs) ? Math.max(afterMs, lastSecondMs - valid.overlapMs) : afterMs;
        next = { after: new Date(restartMs).toISOString(), page: 1 };
      }
      return { orders, nextCursor: encodeWooCommerceCursor(next), hasMore };
    },

    async registerWebhooks(callbackUrl: string): Promise<string[]> {
      const secret = options.webhookSecret?.trim();
      if (!secret) throw configError('webhookSecret is required to register webhooks (WooCommerce signs with it)');
      let callback: URL;
      try {
        callback = new URL(callbackUrl);
      } catch {
        throw new DomainError(ErrorCode.InvalidInput, `callback URL "${callbackUrl}" is not a URL`);
      }
      if (callback.protocol !== 'https:' && callback.protocol !== 'http:') {
        throw new DomainError(ErrorCode.InvalidInput, `callback URL "${callbackUrl}" must be http(s)`);
      }

      const existing: WebhookSummary[] = [];
      for (let page = 1; ; page += 1) {
        const answer = await send('GET', '/webhooks', {
          query: { per_page: String(WOOCOMMERCE_MAX_PAGE_SIZE), page: String(page) },
        });
        existing.push(...webhookSummaries(expectOk(answer)));
        const totalPages = totalPagesOf(answer);
        if (totalPages === null || page >= totalPages) break;
      }

      const registered: string[] = [];
      for (const topic of WOOCOMMERCE_ORDER_TOPICS) {
        const current = existing.find((hook) => hook.topic === topic && hook.deliveryUrl === callbackUrl);
        const settings = { status: 'active', secret };
        // Updating re-activates a webhook WooCommerce disabled after failed deliveries, and makes its
        // secret ours; creating one makes WooCommerce send the setup ping.
        // WordPress routes a POST to /webhooks/{id} to the update handler, like PUT.
        const answer = current
          ? await send('POST', `/webhooks/${current.id}`, { body: settings })
          : await send('POST', '/webhooks', {
              body: { ...settings, name: `Waymark ${topic}`, topic, delivery_url: callbackUrl },
            });
        const saved = expectOk(answer) as { topic?: unknown } | null;
        if (typeof saved !== 'object' || saved === null || saved.topic !== topic) {
          throw wrongShape(`a webhook for ${topic} that is not one`);
        }
        registered.push(topic);
      }
      return registered;
    },

    async testConnection(): Promise<void> {
      // The smallest call that needs the keys' read permission on orders.
      const body = expectOk(await send('GET', '/orders', { query: { per_page: '1', _fields: 'id' } }));
      if (!Array.isArray(body)) throw wrongShape('an order list that is not an array');
    },
  };
}
