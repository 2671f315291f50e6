import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import {
  isSubstatusAllowedUnder,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
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
import { SHOPIFY_DEFAULT_API_VERSION } from './shopify.client.js';
import { shopifyInstant, shopifyLegacyId } from './shopify.mapping.js';

/**
 * Write-back: Waymark's carrier milestones posted to Shopify as fulfilment
 * events (GraphQL Admin `fulfillmentEventCreate`), so the order status page
 * and the admin show what the carrier said. Opt-in per store: this module
 * does not read store settings; the caller decides whether to call it.
 *
 * Two parts: a pure, version-aware table from our shipping status /
 * substatus (TAXONOMY §2) to Shopify's `FulfillmentEventStatus`, and a small
 * GraphQL client that posts one event.
 */

// ---------------------------------------------------------------------------
// Shopify's FulfillmentEventStatus, per API version

/**
 * The first GraphQL Admin API version that accepts each value
 * (shopify.dev `admin-graphql/{version}/enums/FulfillmentEventStatus` and
 * the changelog):
 *
 * - the nine base values: in 2024-01 and 2024-04 (read); assumed since
 *   2023-01, when `fulfillmentEventCreate` arrived in GraphQL (the REST
 *   endpoint had the same words);
 * - `DELAYED`: "As of Admin API 2025-01" (changelog; absent from 2024-04, in 2025-01);
 * - `CARRIER_PICKED_UP`: "As of version 2025-10" (changelog; absent from 2025-01, in 2025-10 and later);
 * - `PICKED_UP`: only in `unstable` so far (absent from every stable page read, up to 2026-10).
 *
 * Values have only ever been added, so what an older version accepts a newer
 * one accepts too (Shopify serves the oldest supported version to a request
 * for a retired one, which therefore still accepts our choice).
 */
export const SHOPIFY_FULFILLMENT_EVENT_STATUS_SINCE = {
  ATTEMPTED_DELIVERY: '2023-01',
  CONFIRMED: '2023-01',
  DELIVERED: '2023-01',
  FAILURE: '2023-01',
  IN_TRANSIT: '2023-01',
  LABEL_PRINTED: '2023-01',
  LABEL_PURCHASED: '2023-01',
  OUT_FOR_DELIVERY: '2023-01',
  READY_FOR_PICKUP: '2023-01',
  DELAYED: '2025-01',
  CARRIER_PICKED_UP: '2025-10',
  PICKED_UP: 'unstable',
} as const;

export type ShopifyFulfillmentEventStatus = keyof typeof SHOPIFY_FULFILLMENT_EVENT_STATUS_SINCE;
export const SHOPIFY_FULFILLMENT_EVENT_STATUSES = Object.keys(
  SHOPIFY_FULFILLMENT_EVENT_STATUS_SINCE,
) as ShopifyFulfillmentEventStatus[];

/** `fulfillmentEventCreate` exists in the GraphQL Admin API from this version on (changelog, 2023-01). */
export const SHOPIFY_FULFILLMENT_EVENT_CREATE_SINCE = '2023-01';

const API_VERSION = /^(?:\d{4}-(?:01|04|07|10)|unstable)$/;

/** Whether `apiVersion` is at or after `since`; `unstable` is after every release. */
function versionAtLeast(apiVersion: string, since: string): boolean {
  if (since === 'unstable') return apiVersion === 'unstable';
  return apiVersion === 'unstable' || apiVersion >= since;
}

function checkedVersion(apiVersion: string): string {
  const version = apiVersion.trim();
  if (!API_VERSION.test(version)) {
    throw new DomainError(ErrorCode.InvalidInput, `Shopify API version "${apiVersion}" is not a YYYY-MM release`);
  }
  return version;
}

/**
 * The `FulfillmentEventStatus` values an API version accepts; empty before
 * 2023-01 (no `fulfillmentEventCreate` in GraphQL). Throws `invalid_input`
 * for a string that is not a release (`YYYY-01|04|07|10`) or `unstable`.
 */
export function shopifyFulfillmentEventStatusesFor(apiVersion: string): ReadonlySet<ShopifyFulfillmentEventStatus> {
  const version = checkedVersion(apiVersion);
  if (!versionAtLeast(version, SHOPIFY_FULFILLMENT_EVENT_CREATE_SINCE)) return new Set();
  return new Set(
    SHOPIFY_FULFILLMENT_EVENT_STATUSES.filter((status) =>
      versionAtLeast(version, SHOPIFY_FULFILLMENT_EVENT_STATUS_SINCE[status]),
    ),
  );
}

// ---------------------------------------------------------------------------
// Our shipping status → Shopify

/** Candidates, best first; the first one the API version accepts is written. Empty: never written. */
type Candidates = readonly ShopifyFulfillmentEventStatus[];

export type ShopifyWriteBackRow = {
  /** For every substatus not listed below (and for none). */
  default: Candidates;
  /** Substatuses that deserve a different Shopify word. */
  substatuses?: Partial<Record<Substatus, Candidates>>;
};

/** Every `exception` substatus meaning "late but moving": IN_TRANSIT is still true where DELAYED does not exist. */
const DELAY: Candidates = ['DELAYED', 'IN_TRANSIT'];

/**
 * Our shipping status (and substatus) → Shopify `FulfillmentEventStatus`, as
 * data. Rows follow research/features.md §4.5 (outbound column), with these
 * decisions where it is silent or the Admin API lacks its target:
 *
 * - `pending`, `expired`, `unknown`: never written. Pending says the carrier
 *   knows nothing yet (Shopify already shows the fulfilment as confirmed);
 *   expired is our own conclusion, not carrier news; unknown is never guessed.
 *   So `CONFIRMED` (Shopify's "nothing better is known") is never sent.
 * - `exception`: the delay substatuses (`delayed*`, `customs_hold`) →
 *   `DELAYED`, else `IN_TRANSIT` (the parcel is still moving, only late).
 *   Every other exception (held, address issue, refused, damaged…) →
 *   `DELAYED` (still not final, the closest Shopify word) and **nothing**
 *   before 2025-01: calling a held or refused parcel "in transit" would
 *   hide the problem.
 * - `return_to_sender`: never written. The Admin API has no
 *   `RETURNING_TO_SENDER` (Customer API unstable only), and `FAILURE` would
 *   overwrite `DELIVERED` after a post-delivery return (TAXONOMY §3 allows
 *   delivered → return_to_sender).
 * - `cancelled` → `FAILURE` (Shopify's REST docs: failure covers a cancelled
 *   shipment), as for `failure` (lost, destroyed, undeliverable).
 * - `in_transit/picked_up` → `CARRIER_PICKED_UP` from 2025-10, else `IN_TRANSIT`.
 * - `delivered/collected_from_pickup_point` → `PICKED_UP` where accepted
 *   (`unstable` only so far), else `DELIVERED`.
 */
export const SHOPIFY_WRITE_BACK_TABLE: Readonly<Record<ShippingStatus, ShopifyWriteBackRow>> = {
  pending: { default: [] },
  info_received: {
    default: ['LABEL_PURCHASED'],
    substatuses: { label_printed: ['LABEL_PRINTED'] },
  },
  in_transit: {
    default: ['IN_TRANSIT'],
    substatuses: { picked_up: ['CARRIER_PICKED_UP', 'IN_TRANSIT'] },
  },
  out_for_delivery: { default: ['OUT_FOR_DELIVERY'] },
  available_for_pickup: { default: ['READY_FOR_PICKUP'] },
  attempt_failed: { default: ['ATTEMPTED_DELIVERY'] },
  delivered: {
    default: ['DELIVERED'],
    substatuses: { collected_from_pickup_point: ['PICKED_UP', 'DELIVERED'] },
  },
  exception: {
    default: ['DELAYED'],
    substatuses: {
      delayed: DELAY,
      delayed_weather: DELAY,
      delayed_carrier_processing: DELAY,
      customs_hold: DELAY,
    },
  },
  return_to_sender: { default: [] },
  failure: { default: ['FAILURE'] },
  cancelled: { default: ['FAILURE'] },
  expired: { default: [] },
  unknown: { default: [] },
};

/**
 * The `FulfillmentEventStatus` to write for a shipping status in an API
 * version, or null when nothing should be written (see
 * SHOPIFY_WRITE_BACK_TABLE). A substatus that does not belong under the
 * status (TAXONOMY §2) is ignored: the status's own row decides. Throws
 * `invalid_input` for an API version that is not one.
 */
export function statusForVersion(
  status: ShippingStatus,
  substatus: Substatus | null | undefined,
  apiVersion: string,
): ShopifyFulfillmentEventStatus | null {
  const accepted = shopifyFulfillmentEventStatusesFor(apiVersion);
  const row = SHOPIFY_WRITE_BACK_TABLE[status];
  if (!row) return null;
  const bySubstatus =
    substatus && isSubstatusAllowedUnder(substatus, status) ? row.substatuses?.[substatus] : undefined;
  return (bySubstatus ?? row.default).find((candidate) => accepted.has(candidate)) ?? null;
}

// ---------------------------------------------------------------------------
// The GraphQL client

export const SHOPIFY_FULFILLMENT_EVENT_MUTATION = `mutation WaymarkFulfillmentEvent($fulfillmentEvent: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
    fulfillmentEvent { id status }
    userErrors { field message }
  }
}`;

export type ShopifyWriteBackOptions = {
  /** `StoreSecrets.credentials`; needs `accessToken` (scope `write_fulfillments`). */
  credentials: Record<string, string>;
  /** The shop's `*.myshopify.com` domain. */
  domain?: string;
  /** Replaces `https://{domain}` (the fake server in tests). */
  baseUrl?: string;
  /** `YYYY-MM` release from 2023-01 on, or `unstable`. Default `SHOPIFY_DEFAULT_API_VERSION`. */
  apiVersion?: string;
  exchange?: HttpExchange;
  /** Per HTTP exchange. Default 10 s. */
  timeoutMs?: number;
  /** Clock for the rate limiter and circuit breaker. */
  now?: () => number;
  /** How the rate limiter waits (tests record the pause instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Request budget on top of Shopify's cost-based throttle. Default 2/s. */
  ratePerSecond?: number;
  /** Share the breaker of the shop's read client; default: one per write-back. */
  circuitBreaker?: CircuitBreaker;
};

export type ShopifyWriteBackLocation = {
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  latitude?: number | null;
  longitude?: number | null;
};

export type ShopifyWriteBackEvent = {
  /** The fulfilment's numeric REST id (`legacyResourceId`); a `gid://shopify/Fulfillment/…` is accepted too. */
  fulfillmentExternalId: string;
  status: ShippingStatus;
  substatus: Substatus | null;
  /** When the carrier says it happened (ISO-8601 with a zone). */
  happenedAt: string;
  message?: string | null;
  estimatedDeliveryAt?: string | null;
  location?: ShopifyWriteBackLocation | null;
};

/**
 * Why nothing was posted. `not_mapped`: the status has no Shopify word in
 * this API version (no request sent). `status_not_accepted`: Shopify refused
 * the status. `fulfillment_not_found`: no such fulfilment in this shop.
 * `rejected`: any other refusal of the input (userErrors). None of them is
 * fixed by retrying the same event.
 */
export type ShopifyWriteBackSkip = 'not_mapped' | 'status_not_accepted' | 'fulfillment_not_found' | 'rejected';

export type ShopifyWriteBackResult =
  | { posted: true; eventId: string; shopifyStatus: ShopifyFulfillmentEventStatus }
  | { posted: false; code: ShopifyWriteBackSkip; reason: string };

export type ShopifyWriteBack = {
  readonly apiVersion: string;
  /** `statusForVersion` with this write-back's API version. */
  statusFor(status: ShippingStatus, substatus: Substatus | null): ShopifyFulfillmentEventStatus | null;
  postFulfillmentEvent(input: ShopifyWriteBackEvent): Promise<ShopifyWriteBackResult>;
};

const VENDOR = 'Shopify';
/** Shopify's own clients wait this long after a 429 without Retry-After. */
const DEFAULT_THROTTLE_PAUSE_MS = 1000;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
/** Statuses Shopify answers for the shop rather than the request (as in shopify.client.ts). */
const SHOP_REFUSALS: Readonly<Record<number, string>> = {
  402: 'the shop is frozen (unpaid plan)',
  404: 'no shop or Admin API version at this address',
  423: 'the shop is locked',
};

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `Shopify write-back: ${message}`);
}

function invalidInput(message: string): DomainError {
  return new DomainError(ErrorCode.InvalidInput, `Shopify write-back: ${message}`);
}

function invalidResponse(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `${VENDOR} ${message}`, { details });
}

function validateOptions(options: ShopifyWriteBackOptions): {
  accessToken: string;
  endpoint: string;
  apiVersion: string;
  timeoutMs: number;
  ratePerSecond: number;
} {
  const accessToken = options.credentials?.accessToken?.trim();
  if (!accessToken) throw configError('credentials.accessToken (the Admin API access token) is required');
  const apiVersion = options.apiVersion?.trim() ?? SHOPIFY_DEFAULT_API_VERSION;
  if (!API_VERSION.test(apiVersion)) throw configError(`apiVersion "${apiVersion}" is not a YYYY-MM release`);
  if (!versionAtLeast(apiVersion, SHOPIFY_FULFILLMENT_EVENT_CREATE_SINCE)) {
    throw configError(
      `apiVersion ${apiVersion} has no fulfillmentEventCreate (GraphQL, from ${SHOPIFY_FULFILLMENT_EVENT_CREATE_SINCE})`,
    );
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
  const ratePerSecond = options.ratePerSecond ?? 2;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw configError('ratePerSecond must be a positive number');
  }
  return {
    accessToken,
    endpoint: `${baseUrl}/admin/api/${apiVersion}/graphql.json`,
    apiVersion,
    timeoutMs,
    ratePerSecond,
  };
}

// GraphQL envelope (the client's schemas are module-private; the minimum is repeated here).

const costSchema = z
  .object({
    requestedQueryCost: z.number().nullish(),
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
type GraphqlError = z.infer<typeof graphqlErrorSchema>;

const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.union([z.array(graphqlErrorSchema), z.string(), z.record(z.string(), z.unknown())]).nullish(),
  extensions: z.object({ cost: costSchema }).nullish(),
});

const payloadSchema = z.object({
  fulfillmentEventCreate: z.object({
    fulfillmentEvent: z.object({ id: z.string().min(1), status: z.string().nullish() }).nullish(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string() })),
  }),
});

/** Milliseconds until the bucket holds what the same query asks again; null when Shopify did not say. */
function throttleWaitMs(cost: QueryCost): number | null {
  const status = cost?.throttleStatus;
  if (!status || !(status.restoreRate > 0) || cost?.requestedQueryCost == null) return null;
  const deficit = cost.requestedQueryCost - status.currentlyAvailable;
  return deficit > 0 ? Math.ceil((deficit / status.restoreRate) * 1000) : 0;
}

function bodyCost(answer: HttpAnswer): QueryCost {
  try {
    return envelopeSchema.safeParse(JSON.parse(answer.text)).data?.extensions?.cost ?? null;
  } catch {
    return null;
  }
}

function throttledError(message: string, retryAfterMs: number, status: number): DomainError {
  return new DomainError(ErrorCode.UpstreamRateLimited, message, { details: { status, retryAfterMs } });
}

function describeErrors(errors: GraphqlError[]): string {
  return errors
    .slice(0, 3)
    .map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message ?? 'no message'}`)
    .join('; ');
}

/** Errors that are about the shop or Shopify, thrown; null for errors about our input. */
function classifyGraphqlErrors(errors: GraphqlError[], cost: QueryCost): DomainError | null {
  const codes = new Set(errors.map((error) => error.extensions?.code ?? ''));
  const said = describeErrors(errors);
  if (codes.has('THROTTLED')) {
    return throttledError(
      `${VENDOR} throttled the mutation (${said})`,
      Math.max(throttleWaitMs(cost) ?? 0, DEFAULT_THROTTLE_PAUSE_MS),
      200,
    );
  }
  if (codes.has('ACCESS_DENIED')) {
    // Usually the write_fulfillments scope is missing: the merchant must re-authorise the app.
    return new DomainError(ErrorCode.UpstreamAuthFailed, `${VENDOR} denied access (${said})`, { details: { errors } });
  }
  if (codes.has('INTERNAL_SERVER_ERROR') || codes.has('SERVICE_UNAVAILABLE') || codes.has('TIMEOUT')) {
    return new DomainError(ErrorCode.UpstreamUnavailable, `${VENDOR} failed the mutation (${said})`, {
      details: { errors },
    });
  }
  return null;
}

/** A variable Shopify could not coerce (`Variable $fulfillmentEvent … was provided invalid value for status`). */
function inputProblems(errors: GraphqlError[]): { path: string; explanation: string }[] {
  return errors.flatMap((error) =>
    (error.extensions?.problems ?? []).map((problem) => ({
      path: (problem.path ?? []).join('.'),
      explanation: problem.explanation ?? error.message ?? 'invalid value',
    })),
  );
}

/** Shopify's words for a fulfilment it does not have (unverified against a live shop; see the tests). */
const NOT_FOUND =
  /not\s+(?:be\s+)?found|does\s*n[o']t\s+exist|could\s*n[o']t\s+(?:be\s+)?found|could\s*n[o']t\s+find|invalid\s+id/i;
/** Top-level error codes some Admin mutations answer for an id they cannot resolve. */
const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['NOT_FOUND', 'RESOURCE_NOT_FOUND']);

function fulfillmentGid(externalId: string): string {
  const trimmed = externalId.trim();
  const id = /^\d+$/.test(trimmed)
    ? trimmed
    : trimmed.startsWith('gid://shopify/Fulfillment/')
      ? shopifyLegacyId(trimmed)
      : null;
  if (!id || /^0+$/.test(id)) throw invalidInput(`"${externalId}" is not a Shopify fulfilment id`);
  return `gid://shopify/Fulfillment/${id}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A carrier's estimated delivery (an ISO date or a zoned instant, as
 * `TrackingResult.estimatedDelivery`) as a DateTime; null when it is neither.
 * A bare date becomes noon UTC, which is that same calendar day from UTC−12
 * to UTC+11, where the order status page shows it.
 */
export function shopifyEstimatedDeliveryAt(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  if (ISO_DATE.test(trimmed)) {
    const ms = Date.parse(`${trimmed}T12:00:00Z`);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  return shopifyInstant(trimmed);
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/**
 * The `FulfillmentEventInput` for an event, without the fields we have
 * nothing for. `happenedAt` must carry a zone (`invalid_input` otherwise: a
 * zone-less time would be read in the server's zone); an estimated delivery
 * that is not a date or zoned time is left out rather than failing the
 * milestone. Location: `region` → `province`, `postalCode` → `zip`,
 * `country` as given (Waymark keeps ISO 3166 alpha-2 codes; Shopify's field
 * is free text); latitude/longitude only as a valid pair.
 */
export function shopifyFulfillmentEventInput(
  input: ShopifyWriteBackEvent,
  status: ShopifyFulfillmentEventStatus,
): Record<string, string | number> {
  const happenedAt = shopifyInstant(input.happenedAt ?? '');
  if (!happenedAt) throw invalidInput(`happenedAt "${input.happenedAt}" is not an ISO-8601 time with a zone`);
  const variables: Record<string, string | number> = {
    fulfillmentId: fulfillmentGid(input.fulfillmentExternalId),
    status,
    happenedAt,
  };
  const message = text(input.message);
  if (message) variables.message = message;
  const estimatedDeliveryAt = shopifyEstimatedDeliveryAt(input.estimatedDeliveryAt);
  if (estimatedDeliveryAt) variables.estimatedDeliveryAt = estimatedDeliveryAt;
  const location = input.location;
  if (location) {
    const fields: [string, string | null][] = [
      ['city', text(location.city)],
      ['province', text(location.region)],
      ['zip', text(location.postalCode)],
      ['country', text(location.country)],
    ];
    for (const [key, value] of fields) if (value) variables[key] = value;
    const { latitude, longitude } = location;
    if (
      typeof latitude === 'number' &&
      typeof longitude === 'number' &&
      Number.isFinite(latitude) &&
      Number.isFinite(longitude) &&
      Math.abs(latitude) <= 90 &&
      Math.abs(longitude) <= 180
    ) {
      variables.latitude = latitude;
      variables.longitude = longitude;
    }
  }
  return variables;
}

/**
 * Posts Waymark's carrier milestones to one shop as fulfilment events
 * (`POST /admin/api/{version}/graphql.json`, `X-Shopify-Access-Token`,
 * `fulfillmentEventCreate`). Needs the `write_fulfillments` scope.
 *
 * `postFulfillmentEvent` maps the status for the configured API version
 * (statusForVersion): nothing to write → `{ posted: false, code:
 * 'not_mapped' }` without a request. Shopify's refusals of the event itself
 * (userErrors; a status the version's enum rejects; an unknown fulfilment)
 * → `{ posted: false }` with a code and Shopify's words. Everything else
 * throws as the read client does: 429 / THROTTLED → `upstream_rate_limited`
 * with `retryAfterMs`; 401/403, ACCESS_DENIED (scope missing), 402, 423,
 * 404 (no shop) → `upstream_auth_failed`; 5xx, timeouts, dropped
 * connections, INTERNAL_SERVER_ERROR → `upstream_unavailable`; malformed
 * JSON or an unexpected shape → `upstream_invalid_response`. Bad input
 * (a fulfilment id or time that is not one) → `invalid_input` before any
 * request.
 *
 * Shopify does not deduplicate fulfilment events: a retry after a timeout
 * may post the event twice. Callers record what was posted (the event id)
 * and send each milestone once.
 */
export function createShopifyWriteBack(options: ShopifyWriteBackOptions): ShopifyWriteBack {
  const { accessToken, endpoint, apiVersion, timeoutMs, ratePerSecond } = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const guards = {
    limiter: new RateLimiter({ ratePerSecond, now: options.now, sleep: options.sleep }),
    breaker: options.circuitBreaker ?? new CircuitBreaker({ carrier: VENDOR, now: options.now }),
  };

  /** Data, or Shopify's refusal of our input before it ran the mutation. */
  type Answer = { data: Record<string, unknown> } | { refused: Refusal };
  type Refusal = { code: ShopifyWriteBackSkip; reason: string };

  function refusalOf(errors: GraphqlError[], status: ShopifyFulfillmentEventStatus): Refusal | null {
    const problems = inputProblems(errors);
    const onStatus = problems.find((problem) => /(^|\.)status$/.test(problem.path));
    if (onStatus) {
      return {
        code: 'status_not_accepted',
        reason: `Shopify API ${apiVersion} does not accept status ${status}: ${onStatus.explanation}`,
      };
    }
    if (errors.some((error) => NOT_FOUND_CODES.has(error.extensions?.code ?? ''))) {
      return { code: 'fulfillment_not_found', reason: `Shopify has no such fulfilment (${describeErrors(errors)})` };
    }
    if (problems.length > 0) {
      const said = problems.map((problem) => `${problem.path || '(input)'}: ${problem.explanation}`).join('; ');
      return { code: 'rejected', reason: `Shopify refused the event: ${said}` };
    }
    return null;
  }

  async function exchangeOnce(
    fulfillmentEvent: Record<string, unknown>,
    status: ShopifyFulfillmentEventStatus,
  ): Promise<Answer> {
    const answer = await exchange({
      url: endpoint,
      method: 'POST',
      headers: {
        'x-shopify-access-token': accessToken,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ query: SHOPIFY_FULFILLMENT_EVENT_MUTATION, variables: { fulfillmentEvent } }),
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
      const thrown = classifyGraphqlErrors(errors, cost);
      if (thrown) throw thrown;
      // Our input refused (an enum value this version lacks, an unknown id): not an outage, so it is
      // returned rather than thrown, and the circuit breaker does not count it.
      const refused = refusalOf(errors, status);
      if (refused) return { refused };
      throw invalidResponse(`rejected the mutation (${describeErrors(errors)})`, { errors });
    }
    if (!data) throw invalidResponse('answered without data');
    // The next mutation will ask about as much as this one: wait for the bucket rather than be throttled.
    const wait = throttleWaitMs(cost);
    if (wait) guards.limiter.backOff(wait);
    return { data };
  }

  return {
    apiVersion,

    statusFor(status, substatus) {
      return statusForVersion(status, substatus, apiVersion);
    },

    async postFulfillmentEvent(input) {
      const shopifyStatus = statusForVersion(input.status, input.substatus, apiVersion);
      if (shopifyStatus === null) {
        const ours = input.substatus ? `${input.status}/${input.substatus}` : input.status;
        return {
          posted: false,
          code: 'not_mapped',
          reason: `${ours} is not written back to Shopify API ${apiVersion}`,
        };
      }
      const fulfillmentEvent = shopifyFulfillmentEventInput(input, shopifyStatus);
      const answer = await guardedCall(guards, () => exchangeOnce(fulfillmentEvent, shopifyStatus));
      if ('refused' in answer) return { posted: false, ...answer.refused };

      const payload = payloadSchema.safeParse(answer.data);
      if (!payload.success) throw invalidResponse('answered fulfillmentEventCreate without userErrors');
      const { fulfillmentEvent: created, userErrors } = payload.data.fulfillmentEventCreate;
      if (userErrors.length > 0) {
        const said = userErrors.map((error) => error.message).join('; ');
        const fields = userErrors.map((error) => (error.field ?? []).join('.'));
        if (fields.some((field) => /(^|\.)status$/.test(field))) {
          return {
            posted: false,
            code: 'status_not_accepted',
            reason: `Shopify refused status ${shopifyStatus}: ${said}`,
          };
        }
        if (
          fields.some((field) => /(^|\.)fulfillmentId$/.test(field)) ||
          userErrors.some((error) => NOT_FOUND.test(error.message))
        ) {
          return {
            posted: false,
            code: 'fulfillment_not_found',
            reason: `Shopify has no fulfilment ${fulfillmentEvent.fulfillmentId}: ${said}`,
          };
        }
        return { posted: false, code: 'rejected', reason: `Shopify refused the event: ${said}` };
      }
      if (!created) throw invalidResponse('answered fulfillmentEventCreate with neither the event nor userErrors');
      return { posted: true, eventId: created.id, shopifyStatus };
    },
  };
}
