import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { CarrierClient } from '../../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import { classifyHttpFailure, fetchExchange, parseJsonBody } from '../shared/carrier-http.js';
import type { HttpAnswer, HttpExchange } from '../shared/carrier-http.js';
import { CircuitBreaker } from '../shared/circuit-breaker.js';
import { guardedCall } from '../shared/guarded-call.js';
import { OAuthTokenCache } from '../shared/oauth-token.js';
import type { ClientCredentials } from '../shared/oauth-token.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { FEDEX_CARRIER, FEDEX_INVALID_NUMBER_ERRORS, normalizeFedexTrackResponse } from './fedex.normalize.js';

export const FEDEX_PRODUCTION_URL = 'https://apis.fedex.com';
export const FEDEX_SANDBOX_URL = 'https://apis-sandbox.fedex.com';
/** "trackingInfo: Maximum limit is 30" (Track API v1). */
export const FEDEX_MAX_BATCH_SIZE = 30;

const CARRIER_NAME = 'FedEx';
const TRACK_PATH = '/track/v1/trackingnumbers';
const TOKEN_PATH = '/oauth/token';

export type FedexClientOptions = {
  /** The Track API project's API key (client_id) and secret key; FedEx issues separate keys per project. */
  credentials: ClientCredentials;
  /** Default `https://apis.fedex.com`; `FEDEX_SANDBOX_URL` for the sandbox, the fake server's URL in tests. */
  baseUrl?: string;
  exchange?: HttpExchange;
  /** Per HTTP exchange (token or track). Default 10 s. */
  timeoutMs?: number;
  /** This credential's budget. Default 10/s; FedEx allows 1400 per 10 s per project, 100K Track calls a day. */
  ratePerSecond?: number;
  /** Clock for token expiry, rate limit and circuit breaker (tests advance it). */
  now?: () => number;
  /** How the rate limiter waits (tests record the pause instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Share one breaker between clients of the same carrier; default: one per client. */
  circuitBreaker?: CircuitBreaker;
  /** Share one limiter between clients of the same credential (or across workers: SharedRateLimiter). */
  limiter?: RateLimiter;
  /** Hears each FedEx code missing from the mapping tables. */
  onUnmappedCode?: (code: string) => void;
};

type BatchAnswer =
  | { kind: 'answered'; outcomes: TrackingOutcome[] }
  /** FedEx refused the whole request because of a number in it (400 TRACKING.TRACKINGNUMBER.*). */
  | { kind: 'number_rejected'; code: string; message: string | null };

type FedexErrorEntry = { code: string; message: string | null };

/**
 * 400 codes that blame a tracking number rather than our request. Not EMPTY:
 * blank numbers never leave this client, so an EMPTY means we built the
 * request wrong.
 */
const NUMBER_REJECTION_CODES: ReadonlySet<string> = new Set([
  'TRACKING.TRACKINGNUMBER.INVALID',
  'TRACKING.TRACKINGNUMBER.NOTFOUND',
]);

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `FedEx client: ${message}`);
}

function validateOptions(options: FedexClientOptions): {
  credentials: ClientCredentials;
  baseUrl: string;
  timeoutMs: number;
  ratePerSecond: number;
} {
  const clientId = options.credentials?.clientId?.trim();
  const clientSecret = options.credentials?.clientSecret?.trim();
  if (!clientId || !clientSecret) {
    throw configError('credentials.clientId and credentials.clientSecret (the Track API project keys) are required');
  }
  const baseUrl = (options.baseUrl ?? FEDEX_PRODUCTION_URL).replace(/\/+$/, '');
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    throw configError(`baseUrl "${baseUrl}" is not a URL`);
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw configError(`baseUrl "${baseUrl}" must be http(s)`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw configError('timeoutMs must be a positive number');
  const ratePerSecond = options.ratePerSecond ?? 10;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw configError('ratePerSecond must be a positive number');
  }
  return { credentials: { clientId, clientSecret }, baseUrl, timeoutMs, ratePerSecond };
}

/**
 * The form FedEx knows a number by: customers paste numbers with spaces or
 * dashes, door tags in lower case. Empty when nothing trackable is left.
 */
export function canonicalFedexNumber(trackingNumber: string): string {
  return trackingNumber.replace(/[\s-]+/g, '').toUpperCase();
}

function readErrors(answer: HttpAnswer): FedexErrorEntry[] {
  try {
    const body: unknown = JSON.parse(answer.text);
    if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return [];
    return (body.errors as unknown[]).flatMap((entry) => {
      if (typeof entry !== 'object' || entry === null) return [];
      const { code, message } = entry as { code?: unknown; message?: unknown };
      return typeof code === 'string' ? [{ code, message: typeof message === 'string' ? message : null }] : [];
    });
  } catch {
    return [];
  }
}

/** Adds FedEx's own error code to a classified failure, keeping its code and details. */
function withFedexCode(failure: DomainError, errors: FedexErrorEntry[]): DomainError {
  const first = errors[0];
  if (!first) return failure;
  return new DomainError(failure.code, `${failure.message}: ${first.code}`, {
    details: { ...failure.details, fedexCode: first.code, fedexMessage: first.message },
  });
}

/**
 * FedEx Track API v1 client: OAuth client credentials (form body), up to 30
 * numbers per `POST /track/v1/trackingnumbers`, every call through the
 * credential's rate limiter and the carrier's circuit breaker.
 *
 * Classification, per number: FedEx answers HTTP 200 with a per-number
 * `error`; `TRACKING.TRACKINGNUMBER.NOTFOUND` (and unknown codes) →
 * `not_found_yet`, `…INVALID` / `…EMPTY` → `invalid_number`; a number FedEx
 * left out of its answer → `not_found_yet`; a blank or non-alphanumeric
 * number → `invalid_number` without a call. A 400 naming
 * `TRACKING.TRACKINGNUMBER.INVALID`/`NOTFOUND` does not say which number, so
 * each number of the batch is asked for alone.
 *
 * Classification, whole call (thrown): any other 400 (e.g. `…EMPTY`, which no
 * number we send can cause) is our request or a contract change →
 * `upstream_invalid_response`; 401 → one new token and one retry, then
 * `upstream_auth_failed`; 403 and refused client credentials →
 * `upstream_auth_failed`; 429 → `upstream_rate_limited` with `retryAfterMs`
 * (the limiter pauses every caller of the credential); 5xx, timeouts, dropped
 * connections, an open circuit → `upstream_unavailable`; malformed JSON, a
 * wrong shape or another status → `upstream_invalid_response`.
 */
export function createFedexClient(options: FedexClientOptions): CarrierClient {
  const { credentials, baseUrl, timeoutMs, ratePerSecond } = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const tokens = new OAuthTokenCache({
    carrier: CARRIER_NAME,
    tokenUrl: `${baseUrl}${TOKEN_PATH}`,
    credentials,
    exchange,
    timeoutMs,
    style: 'form',
    now: options.now,
  });
  const guards = {
    limiter: options.limiter ?? new RateLimiter({ ratePerSecond, now: options.now, sleep: options.sleep }),
    breaker: options.circuitBreaker ?? new CircuitBreaker({ carrier: CARRIER_NAME, now: options.now }),
  };

  async function post(body: string): Promise<HttpAnswer> {
    const token = await tokens.getToken();
    return exchange({
      url: `${baseUrl}${TRACK_PATH}`,
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        // Descriptions are localised; pin them so stored wording does not change with FedEx's guess.
        'x-locale': 'en_US',
      },
      body,
      timeoutMs,
    });
  }

  async function requestBatch(numbers: string[]): Promise<BatchAnswer> {
    const body = JSON.stringify({
      includeDetailedScans: true,
      trackingInfo: numbers.map((trackingNumber) => ({ trackingNumberInfo: { trackingNumber } })),
    });
    let answer = await post(body);
    if (answer.status === 401) {
      // FedEx can expire a token before its expires_in; one fresh token, one retry.
      tokens.invalidate();
      answer = await post(body);
    }
    if (answer.status === 200) {
      const outcomes = normalizeFedexTrackResponse(parseJsonBody(CARRIER_NAME, answer), {
        onUnmappedCode: options.onUnmappedCode,
      });
      return { kind: 'answered', outcomes };
    }
    const errors = readErrors(answer);
    if (answer.status === 400) {
      const rejection = errors.find((entry) => NUMBER_REJECTION_CODES.has(entry.code));
      if (rejection) return { kind: 'number_rejected', code: rejection.code, message: rejection.message };
      // Any other 400 (e.g. TRACKING.TRACKINGNUMBER.EMPTY for a request we built wrong) is our bug or
      // a contract change, not the number's fault: surfaced as a response we cannot use.
      const first = errors[0];
      const said = first ? `: ${first.code}${first.message ? ` (${first.message})` : ''}` : '';
      throw new DomainError(
        ErrorCode.UpstreamInvalidResponse,
        `FedEx rejected the track request with HTTP 400${said}`,
        {
          details: { status: 400, errors },
        },
      );
    }
    const failure = classifyHttpFailure(CARRIER_NAME, answer);
    if (failure) throw withFedexCode(failure, errors);
    throw new DomainError(ErrorCode.UpstreamInvalidResponse, `FedEx answered with unexpected HTTP ${answer.status}`, {
      details: { status: answer.status, errors, bodyStart: answer.text.slice(0, 200) },
    });
  }

  /** Outcomes by canonical number for one batch of at most 30 canonical numbers. */
  async function trackBatch(numbers: string[]): Promise<Map<string, TrackingOutcome>> {
    const answer = await guardedCall(guards, () => requestBatch(numbers));
    if (answer.kind === 'answered') {
      const byNumber = new Map<string, TrackingOutcome>();
      for (const outcome of answer.outcomes) {
        const number = canonicalFedexNumber(
          outcome.kind === 'found' ? outcome.result.trackingNumber : outcome.trackingNumber,
        );
        if (!byNumber.has(number)) byNumber.set(number, outcome);
      }
      return byNumber;
    }
    const [only] = numbers;
    if (numbers.length === 1 && only !== undefined) {
      const outcome: TrackingOutcome = FEDEX_INVALID_NUMBER_ERRORS.has(answer.code)
        ? { kind: 'invalid_number', trackingNumber: only, message: answer.message }
        : { kind: 'not_found_yet', trackingNumber: only, message: answer.message };
      return new Map([[only, outcome]]);
    }
    // FedEx does not say which number it refused: ask for each alone, so one bad
    // number does not keep the other 29 from ever being tracked.
    const merged = new Map<string, TrackingOutcome>();
    for (const number of numbers) {
      for (const [key, outcome] of await trackBatch([number])) merged.set(key, outcome);
    }
    return merged;
  }

  return {
    carrier: FEDEX_CARRIER,
    maxBatchSize: FEDEX_MAX_BATCH_SIZE,
    pausedForMs: () => Math.max(guards.breaker.retryInMs(), guards.limiter.pausedForMs()),

    async track(trackingNumbers: string[]): Promise<Map<string, TrackingOutcome>> {
      const outcomes = new Map<string, TrackingOutcome>();
      const requestedAs = new Map<string, string[]>();
      for (const requested of trackingNumbers) {
        const number = canonicalFedexNumber(requested);
        if (!/^[A-Z0-9]{1,40}$/.test(number)) {
          // Sent to FedEx, a number like this fails the whole batch with a 400.
          outcomes.set(requested, {
            kind: 'invalid_number',
            trackingNumber: requested,
            message: number ? 'a FedEx tracking number has only letters and digits' : 'empty tracking number',
          });
          continue;
        }
        requestedAs.set(number, [...(requestedAs.get(number) ?? []), requested]);
      }

      const numbers = [...requestedAs.keys()];
      for (let start = 0; start < numbers.length; start += FEDEX_MAX_BATCH_SIZE) {
        const batch = numbers.slice(start, start + FEDEX_MAX_BATCH_SIZE);
        const answered = await trackBatch(batch);
        for (const number of batch) {
          const outcome = answered.get(number);
          for (const requested of requestedAs.get(number) ?? []) {
            outcomes.set(requested, outcome ? asRequested(outcome, requested) : missingFromAnswer(requested));
          }
        }
      }
      return outcomes;
    },
  };
}

/** The outcome under the number exactly as the caller wrote it. */
function asRequested(outcome: TrackingOutcome, requested: string): TrackingOutcome {
  if (outcome.kind === 'found') return { kind: 'found', result: { ...outcome.result, trackingNumber: requested } };
  return { ...outcome, trackingNumber: requested };
}

function missingFromAnswer(requested: string): TrackingOutcome {
  return { kind: 'not_found_yet', trackingNumber: requested, message: 'FedEx returned no result for this number' };
}
