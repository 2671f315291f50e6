import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { CarrierClient } from '../../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import {
  classifyHttpFailure,
  fetchExchange,
  parseJsonBody,
  parseRetryAfter,
  type HttpAnswer,
  type HttpExchange,
} from '../shared/carrier-http.js';
import { CircuitBreaker } from '../shared/circuit-breaker.js';
import { guardedCall } from '../shared/guarded-call.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import {
  DHL_CARRIER,
  dhlProblemOutcome,
  normalizeDhlShipment,
  parseDhlTrackingBody,
  pickDhlShipment,
  readDhlProblem,
} from './dhl.normalize.js';

export const DHL_PRODUCTION_BASE_URL = 'https://api-eu.dhl.com';

/**
 * The Starter plan DHL grants a new key: 250 calls a day (and at most 1 a
 * second). Spread evenly that is one call every ~5.8 minutes; keys on the
 * Standard plan (1000/day, 2/s) or an upgraded quota should pass their own
 * `ratePerSecond` (e.g. `1000 / 86_400`).
 */
export const DHL_STARTER_RATE_PER_SECOND = 250 / 86_400;

export const DHL_DEFAULT_TIMEOUT_MS = 10_000;

/** Values of the Unified API's `service` parameter (spec enum plus those seen in `possibleAdditionalShipmentsUrl`). */
export const DHL_SERVICES = [
  'express',
  'parcel-de',
  'post-de',
  'ecommerce',
  'ecommerce-europe',
  'ecommerce-apac',
  'parcel-nl',
  'parcel-pl',
  'parcel-uk',
  'freight',
  'dgf',
  'dsc',
  'svb',
  'sameday',
  'post-international',
] as const;
export type DhlService = (typeof DHL_SERVICES)[number];

/** What merchants and platforms write instead of DHL's service names. */
const SERVICE_ALIASES: Record<string, DhlService> = {
  paket: 'parcel-de',
  parcel: 'parcel-de',
  'e-commerce': 'ecommerce',
  'global-mail': 'ecommerce',
  'express-worldwide': 'express',
};

export type DhlClientOptions = {
  /** The consumer key of an app subscribed to "Shipment Tracking - Unified" (developer.dhl.com); the secret is not used. */
  apiKey: string;
  /** Default `https://api-eu.dhl.com`; tests pass a fake server. */
  baseUrl?: string;
  exchange?: HttpExchange;
  timeoutMs?: number;
  /** Calls a second for this key; default the Starter plan, {@link DHL_STARTER_RATE_PER_SECOND}. */
  ratePerSecond?: number;
  now?: () => number;
  /** How the rate limiter waits (tests advance a fake clock instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Share one limiter between clients of the same key. */
  limiter?: RateLimiter;
  /** Share one breaker between all DHL clients. */
  breaker?: CircuitBreaker;
  onUnmappedCode?: (code: string) => void;
};

/**
 * A service hint in DHL's vocabulary (`DHL Express` → `express`, `paket` →
 * `parcel-de`), or null. Only services DHL is known to accept are sent: a
 * 400 is read as "this number is invalid", so an unknown `service` must never
 * be the cause of one. Without a service DHL searches every business and
 * `pickDhlShipment` chooses.
 */
export function toDhlService(hint: string | null | undefined): DhlService | null {
  if (!hint) return null;
  const folded = hint
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^dhl-?/, '');
  const service = SERVICE_ALIASES[folded] ?? folded;
  return (DHL_SERVICES as readonly string[]).includes(service) ? (service as DhlService) : null;
}

function validateOptions(options: DhlClientOptions): {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  ratePerSecond: number;
} {
  const apiKey = typeof options.apiKey === 'string' ? options.apiKey.trim() : '';
  if (!apiKey) {
    throw new DomainError(
      ErrorCode.ConfigInvalid,
      'dhl: apiKey is required (the consumer key of a developer.dhl.com app with "Shipment Tracking - Unified")',
    );
  }
  const baseUrl = (options.baseUrl ?? DHL_PRODUCTION_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new DomainError(ErrorCode.ConfigInvalid, `dhl: baseUrl "${options.baseUrl}" is not an http(s) URL`);
  }
  const timeoutMs = options.timeoutMs ?? DHL_DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new DomainError(ErrorCode.ConfigInvalid, `dhl: timeoutMs must be a positive number (got ${timeoutMs})`);
  }
  const ratePerSecond = options.ratePerSecond ?? DHL_STARTER_RATE_PER_SECOND;
  if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
    throw new DomainError(
      ErrorCode.ConfigInvalid,
      `dhl: ratePerSecond must be a positive number (got ${ratePerSecond}; Starter plan is 250/86400)`,
    );
  }
  return { apiKey, baseUrl, timeoutMs, ratePerSecond };
}

function headerNumber(headers: Headers, names: readonly string[]): number | null {
  for (const name of names) {
    const raw = headers.get(name);
    if (raw === null) continue;
    // Draft RateLimit headers may carry a policy suffix ("0;w=86400"); the number comes first.
    const value = Number(raw.split(/[;,]/)[0]!.trim());
    if (Number.isFinite(value) && value >= 0) return value;
  }
  return null;
}

/**
 * When the quota window resets, from `RateLimit-Reset` (or `X-RateLimit-Reset`):
 * delta seconds per the IETF draft, though some gateways send an epoch time.
 */
export function rateLimitResetMs(headers: Headers, nowMs: number): number | null {
  const reset = headerNumber(headers, ['ratelimit-reset', 'x-ratelimit-reset']);
  if (reset === null) return null;
  return reset > 1_000_000_000 ? Math.max(0, reset * 1000 - nowMs) : Math.round(reset * 1000);
}

export function rateLimitRemaining(headers: Headers): number | null {
  return headerNumber(headers, ['ratelimit-remaining', 'x-ratelimit-remaining']);
}

/** The outcome under the number as the caller wrote it (DHL may answer with the shipment ID for a piece ID). */
function askedAs(outcome: TrackingOutcome, requested: string): TrackingOutcome {
  return outcome.kind === 'found'
    ? { kind: 'found', result: { ...outcome.result, trackingNumber: requested } }
    : { ...outcome, trackingNumber: requested };
}

export function createDhlClient(options: DhlClientOptions): CarrierClient {
  const { apiKey, baseUrl, timeoutMs, ratePerSecond } = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const now = options.now ?? Date.now;
  const limiter = options.limiter ?? new RateLimiter({ ratePerSecond, now, sleep: options.sleep });
  const breaker = options.breaker ?? new CircuitBreaker({ carrier: DHL_CARRIER, now });

  function rateLimited(answer: HttpAnswer): DomainError {
    const retryAfterMs =
      parseRetryAfter(answer.headers.get('retry-after'), now()) ?? rateLimitResetMs(answer.headers, now());
    return new DomainError(ErrorCode.UpstreamRateLimited, 'dhl rate limit reached (HTTP 429)', {
      details: {
        status: 429,
        retryAfterMs,
        limit: headerNumber(answer.headers, ['ratelimit-limit', 'x-ratelimit-limit']),
        remaining: rateLimitRemaining(answer.headers),
      },
    });
  }

  /** A spent daily quota shows as `RateLimit-Remaining: 0` before the first 429: wait for the reset instead of burning calls. */
  function pauseIfQuotaSpent(answer: HttpAnswer): void {
    if (answer.status === 429 || rateLimitRemaining(answer.headers) !== 0) return;
    const resetMs = rateLimitResetMs(answer.headers, now());
    if (resetMs !== null && resetMs > 0) limiter.backOff(resetMs);
  }

  function problemOf(answer: HttpAnswer, number: string): TrackingOutcome {
    const problem = readDhlProblem(parseJsonBody(DHL_CARRIER, answer));
    if (!problem) {
      // A 404 without DHL's problem body is a wrong baseUrl or a proxy, not an unknown parcel.
      throw new DomainError(
        ErrorCode.UpstreamInvalidResponse,
        `dhl answered HTTP ${answer.status} without a problem body (is baseUrl ${baseUrl} right?)`,
        { details: { status: answer.status, bodyStart: answer.text.slice(0, 200) } },
      );
    }
    return dhlProblemOutcome({ ...problem, status: answer.status }, number);
  }

  async function trackOne(number: string, service: string | null): Promise<TrackingOutcome> {
    const query = new URLSearchParams({ trackingNumber: number });
    if (service) query.set('service', service);
    // The text rules are English; DHL localises `status` and `description`.
    query.set('language', 'en');
    const answer = await exchange({
      url: `${baseUrl}/track/shipments?${query.toString()}`,
      method: 'GET',
      headers: { 'DHL-API-Key': apiKey, accept: 'application/json' },
      timeoutMs,
    });
    pauseIfQuotaSpent(answer);
    if (answer.status === 200) {
      const body = parseDhlTrackingBody(parseJsonBody(DHL_CARRIER, answer));
      const shipment = pickDhlShipment(body.shipments, number, service);
      if (!shipment) return { kind: 'not_found_yet', trackingNumber: number, message: 'DHL answered with no shipment' };
      return { kind: 'found', result: normalizeDhlShipment(shipment, { onUnmappedCode: options.onUnmappedCode }) };
    }
    if (answer.status === 404 || answer.status === 400) return problemOf(answer, number);
    if (answer.status === 429) throw rateLimited(answer);
    // No token to refresh: a 401 means the key itself is wrong, revoked or not subscribed to this API.
    const failure = classifyHttpFailure(DHL_CARRIER, answer);
    if (failure) throw failure;
    throw new DomainError(ErrorCode.UpstreamInvalidResponse, `dhl answered with unexpected HTTP ${answer.status}`, {
      details: { status: answer.status, bodyStart: answer.text.slice(0, 200) },
    });
  }

  return {
    carrier: DHL_CARRIER,
    // The Unified API takes one trackingNumber per request.
    maxBatchSize: 1,
    pausedForMs: () => Math.max(breaker.retryInMs(), limiter.pausedForMs()),
    async track(trackingNumbers, trackOptions) {
      const outcomes = new Map<string, TrackingOutcome>();
      if (trackingNumbers.length === 0) return outcomes;
      if (trackingNumbers.length > 1) {
        throw new DomainError(
          ErrorCode.InvalidInput,
          `dhl tracks one number per call (got ${trackingNumbers.length}); split batches by maxBatchSize`,
        );
      }
      const requested = trackingNumbers[0]!;
      // Numbers are often pasted with spaces ("JJD 0000 1234"); DHL wants them without.
      const number = requested.replace(/\s+/g, '');
      if (!number) {
        outcomes.set(requested, {
          kind: 'invalid_number',
          trackingNumber: requested,
          message: 'empty tracking number',
        });
        return outcomes;
      }
      const service = toDhlService(trackOptions?.serviceHint);
      const outcome = await guardedCall({ limiter, breaker }, () => trackOne(number, service));
      outcomes.set(requested, askedAs(outcome, requested));
      return outcomes;
    },
  };
}
