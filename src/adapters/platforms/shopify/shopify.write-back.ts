import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { PlatformWriteBack } from '../../../core/ports/platform-write-back.port.js';
import {
  isSubstatusAllowedUnder,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  describeShopifyErrors as describeErrors,
  SHOPIFY_API_VERSION as API_VERSION,
  ShopifyGraphqlTransport,
  shopifyInvalidResponse as invalidResponse,
  type ShopifyGraphqlError as GraphqlError,
  type ShopifyGraphqlOptions,
} from './shopify.graphql.js';
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

export type ShopifyWriteBackOptions = ShopifyGraphqlOptions & {
  /**
   * The shop's transport, shared with its read client (one rate limit and
   * circuit breaker per shop); built from the options otherwise, at 2
   * requests a second. Needs the `write_fulfillments` scope.
   */
  transport?: ShopifyGraphqlTransport;
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

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `Shopify write-back: ${message}`);
}

function invalidInput(message: string): DomainError {
  return new DomainError(ErrorCode.InvalidInput, `Shopify write-back: ${message}`);
}

const payloadSchema = z.object({
  fulfillmentEventCreate: z.object({
    fulfillmentEvent: z.object({ id: z.string().min(1), status: z.string().nullish() }).nullish(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string() })),
  }),
});

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
  const transport =
    options.transport ?? new ShopifyGraphqlTransport(options, { label: 'Shopify write-back', ratePerSecond: 2 });
  const apiVersion = transport.apiVersion;
  if (!versionAtLeast(apiVersion, SHOPIFY_FULFILLMENT_EVENT_CREATE_SINCE)) {
    throw configError(
      `apiVersion ${apiVersion} has no fulfillmentEventCreate (GraphQL, from ${SHOPIFY_FULFILLMENT_EVENT_CREATE_SINCE})`,
    );
  }

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
      // Our input refused (an enum value this version lacks, an unknown id) is not an outage: it is
      // returned rather than thrown, and the circuit breaker does not count it.
      const answer = await transport.requestOrRefusal(
        SHOPIFY_FULFILLMENT_EVENT_MUTATION,
        { fulfillmentEvent },
        (errors) => refusalOf(errors, shopifyStatus),
      );
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

/**
 * The write-back as Waymark's `PlatformWriteBack` port: a shipment's news
 * posted as an event of its fulfilment (`Shipment.externalId` is the
 * fulfilment's id for Shopify orders).
 */
export function createShopifyPlatformWriteBack(options: ShopifyWriteBackOptions): PlatformWriteBack {
  const writeBack = createShopifyWriteBack(options);
  return {
    platform: 'shopify',
    async postShipmentNews(news) {
      const result = await writeBack.postFulfillmentEvent({
        fulfillmentExternalId: news.shipmentExternalId,
        status: news.status,
        substatus: news.substatus,
        happenedAt: news.happenedAt,
        message: news.message,
        estimatedDeliveryAt: news.estimatedDeliveryAt,
        location: news.location,
      });
      return result.posted
        ? { posted: true, eventId: result.eventId, platformStatus: result.shopifyStatus }
        : { posted: false, code: result.code, reason: result.reason };
    },
  };
}
