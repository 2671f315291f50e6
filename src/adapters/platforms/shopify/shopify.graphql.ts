import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
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

/** A recent stable GraphQL Admin API version; each stays supported for at least 12 months. */
export const SHOPIFY_DEFAULT_API_VERSION = '2025-01';

/** A release (January, April, July, October) or `unstable`. */
export const SHOPIFY_API_VERSION = /^(?:\d{4}-(?:01|04|07|10)|unstable)$/;

/** Shopify's own clients wait this long after a 429 without Retry-After. */
const DEFAULT_THROTTLE_PAUSE_MS = 1000;
const VENDOR = 'Shopify';
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

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

export type ShopifyGraphqlOptions = {
  /** `StoreSecrets.credentials`; needs `accessToken` (the Admin API access token, `shpat_…`). */
  credentials: Record<string, string>;
  /** The shop's `*.myshopify.com` domain (not its custom storefront domain). */
  domain?: string;
  /** Replaces `https://{domain}` (the fake server in tests). */
  baseUrl?: string;
  /** `YYYY-MM` release or `unstable`. Default `SHOPIFY_DEFAULT_API_VERSION`. */
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
  /** Share one breaker between the clients of several shops; default: one per transport. */
  circuitBreaker?: CircuitBreaker;
};

const costSchema = z
  .object({
    requestedQueryCost: z.number().nullish(),
    actualQueryCost: z.number().nullish(),
    throttleStatus: z.object({ currentlyAvailable: z.number(), restoreRate: z.number() }).nullish(),
  })
  .nullish();
type QueryCost = z.infer<typeof costSchema>;

const graphqlErrorSchema = z.object({
  message: z.string().nullish(),
  extensions: z
    .object({
      code: z.string().nullish(),
      /** Variable coercion failures (graphql-ruby): which input field, and why. */
      problems: z
        .array(
          z.object({ path: z.array(z.union([z.string(), z.number()])).nullish(), explanation: z.string().nullish() }),
        )
        .nullish(),
    })
    .nullish(),
});
export type ShopifyGraphqlError = z.infer<typeof graphqlErrorSchema>;

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

export function describeShopifyErrors(errors: ShopifyGraphqlError[]): string {
  return errors
    .slice(0, 3)
    .map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message ?? 'no message'}`)
    .join('; ');
}

/** Errors about the shop or Shopify (thrown whatever the caller asked); null for errors about the request. */
function shopOrShopifyError(errors: ShopifyGraphqlError[], cost: QueryCost): DomainError | null {
  const codes = new Set(errors.map((error) => error.extensions?.code ?? ''));
  const said = describeShopifyErrors(errors);
  if (codes.has('THROTTLED')) {
    // A throttled request is answered 200 with this code; the cost block says when the bucket refills.
    return throttledError(
      `${VENDOR} throttled the request (${said})`,
      Math.max(throttleWaitMs(cost) ?? 0, DEFAULT_THROTTLE_PAUSE_MS),
      200,
    );
  }
  if (codes.has('ACCESS_DENIED')) {
    // A missing scope (read_orders, write_fulfillments…): the merchant must re-authorise the app.
    return new DomainError(ErrorCode.UpstreamAuthFailed, `${VENDOR} denied access (${said})`, { details: { errors } });
  }
  if (codes.has('INTERNAL_SERVER_ERROR') || codes.has('SERVICE_UNAVAILABLE') || codes.has('TIMEOUT')) {
    return new DomainError(ErrorCode.UpstreamUnavailable, `${VENDOR} failed the request (${said})`, {
      details: { errors },
    });
  }
  return null;
}

export function shopifyInvalidResponse(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `${VENDOR} ${message}`, { details });
}

/**
 * Turns top-level GraphQL errors about the request into a value returned to
 * the caller instead of thrown (our input refused: an enum value the API
 * version lacks, an unknown id); null to throw them as an invalid response.
 */
export type ShopifyRefusalReader<R> = (errors: ShopifyGraphqlError[]) => R | null;

/**
 * One shop's GraphQL Admin API (`POST /admin/api/{version}/graphql.json`,
 * `X-Shopify-Access-Token`), shared by the read client and the write-back.
 *
 * Every request waits for the rate limiter and goes through the circuit
 * breaker. Every answer's `extensions.cost.throttleStatus` is read, and when
 * the bucket holds less than the request just cost, the limiter pauses every
 * caller until it refills. THROTTLED (200) and 429 (with `Retry-After`) →
 * `upstream_rate_limited` with `retryAfterMs`; 401/403, ACCESS_DENIED, 402
 * (shop frozen), 423 (shop locked), 404 (no such shop) →
 * `upstream_auth_failed`; 5xx, timeouts, dropped connections,
 * INTERNAL_SERVER_ERROR → `upstream_unavailable`; malformed JSON, an
 * unexpected shape or any other GraphQL error → `upstream_invalid_response`.
 */
export class ShopifyGraphqlTransport {
  readonly apiVersion: string;
  readonly endpoint: string;
  readonly #accessToken: string;
  readonly #timeoutMs: number;
  readonly #exchange: HttpExchange;
  readonly #now: (() => number) | undefined;
  readonly #guards: { limiter: RateLimiter; breaker: CircuitBreaker };

  /** `label` names the caller in configuration errors ("Shopify client", "Shopify write-back"). */
  constructor(options: ShopifyGraphqlOptions, defaults: { label: string; ratePerSecond: number }) {
    const configError = (message: string): DomainError =>
      new DomainError(ErrorCode.ConfigInvalid, `${defaults.label}: ${message}`);
    const accessToken = options.credentials?.accessToken?.trim();
    if (!accessToken) throw configError('credentials.accessToken (the Admin API access token) is required');
    const apiVersion = options.apiVersion?.trim() ?? SHOPIFY_DEFAULT_API_VERSION;
    if (!SHOPIFY_API_VERSION.test(apiVersion)) {
      throw configError(`apiVersion "${apiVersion}" is not a YYYY-MM release`);
    }

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
    const ratePerSecond = options.ratePerSecond ?? defaults.ratePerSecond;
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw configError('ratePerSecond must be a positive number');
    }

    this.apiVersion = apiVersion;
    this.endpoint = `${baseUrl}/admin/api/${apiVersion}/graphql.json`;
    this.#accessToken = accessToken;
    this.#timeoutMs = timeoutMs;
    this.#exchange = options.exchange ?? fetchExchange;
    this.#now = options.now;
    this.#guards = {
      limiter: new RateLimiter({ ratePerSecond, now: options.now, sleep: options.sleep }),
      breaker: options.circuitBreaker ?? new CircuitBreaker({ carrier: VENDOR, now: options.now }),
    };
  }

  /** The `data` of a query or mutation; every GraphQL error is thrown. */
  async request(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const answer = await guardedCall(this.#guards, () => this.#exchangeOnce(query, variables, () => null));
    return (answer as { data: Record<string, unknown> }).data;
  }

  /**
   * The `data`, or what `readRefusal` made of GraphQL errors about our input.
   * A refusal is returned rather than thrown, so the circuit breaker does not
   * count it as an outage.
   */
  requestOrRefusal<R>(
    query: string,
    variables: Record<string, unknown>,
    readRefusal: ShopifyRefusalReader<R>,
  ): Promise<{ data: Record<string, unknown> } | { refused: R }> {
    return guardedCall(this.#guards, () => this.#exchangeOnce(query, variables, readRefusal));
  }

  async #exchangeOnce<R>(
    query: string,
    variables: Record<string, unknown>,
    readRefusal: ShopifyRefusalReader<R>,
  ): Promise<{ data: Record<string, unknown> } | { refused: R }> {
    const answer = await this.#exchange({
      url: this.endpoint,
      method: 'POST',
      headers: {
        'x-shopify-access-token': this.#accessToken,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ query, variables }),
      timeoutMs: this.#timeoutMs,
    });
    if (answer.status === 429) {
      const retryAfterMs =
        parseRetryAfter(answer.headers.get('retry-after'), this.#now?.()) ??
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
      throw shopifyInvalidResponse(`answered with unexpected HTTP ${answer.status}`, {
        status: answer.status,
        bodyStart: answer.text.slice(0, 200),
      });
    }
    const parsed = envelopeSchema.safeParse(parseJsonBody(VENDOR, answer));
    if (!parsed.success) throw shopifyInvalidResponse('answered with a body that is not a GraphQL response');
    const { data, errors, extensions } = parsed.data;
    const cost = extensions?.cost ?? null;
    if (errors && (!Array.isArray(errors) || errors.length > 0)) {
      if (!Array.isArray(errors)) throw shopifyInvalidResponse('answered with errors', { errors });
      const thrown = shopOrShopifyError(errors, cost);
      if (thrown) throw thrown;
      const refused = readRefusal(errors);
      if (refused !== null) return { refused };
      throw shopifyInvalidResponse(`rejected the request (${describeShopifyErrors(errors)})`, { errors });
    }
    if (!data) throw shopifyInvalidResponse('answered without data');
    // The next request will ask about as much as this one: wait for the bucket rather than be throttled.
    const wait = throttleWaitMs(cost);
    if (wait) this.#guards.limiter.backOff(wait);
    return { data };
  }
}
