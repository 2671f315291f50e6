import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { CarrierClient } from '../../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import {
  classifyHttpFailure,
  fetchExchange,
  parseJsonBody,
  type HttpAnswer,
  type HttpExchange,
} from '../shared/carrier-http.js';
import { CircuitBreaker } from '../shared/circuit-breaker.js';
import { guardedCall } from '../shared/guarded-call.js';
import { OAuthTokenCache, type ClientCredentials } from '../shared/oauth-token.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { USPS_CARRIER, normalizeUspsAnswer, normalizeUspsErrorAnswer } from './usps.normalize.js';

export const USPS_PRODUCTION_BASE_URL = 'https://apis.usps.com';
/** USPS's test environment ("TEM"); tracking data there is synthetic. */
export const USPS_TEST_BASE_URL = 'https://apis-tem.usps.com';

/**
 * USPS's default quota is about 60 calls an hour per application, across
 * all v3 APIs and token calls included (USPS/api-examples #107; raised on
 * request). One call a minute keeps a default app inside it; set the
 * credential's real quota here once USPS raises it.
 */
export const USPS_DEFAULT_RATE_PER_SECOND = 60 / 3600;
export const USPS_DEFAULT_TIMEOUT_MS = 10_000;

export type UspsClientOptions = {
  /** The app's Consumer Key / Consumer Secret from the USPS developer portal. */
  credentials: ClientCredentials;
  /** Default `https://apis.usps.com`; tests pass the fake server's URL. */
  baseUrl?: string;
  exchange?: HttpExchange;
  /** Per HTTP exchange; default 10 s. */
  timeoutMs?: number;
  /** Calls per second for this credential; default 60 an hour (USPS's default quota). */
  ratePerSecond?: number;
  now?: () => number;
  /** Hears event codes, wordings, categories and error codes the tables do not know. */
  onUnmappedCode?: (code: string) => void;
  /** Share one limiter between clients that use the same credential (the quota is per app). */
  limiter?: RateLimiter;
  /** Share one breaker between clients of the same carrier. */
  breaker?: CircuitBreaker;
};

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `USPS client: ${message}`);
}

function validateOptions(options: UspsClientOptions): { baseUrl: string; timeoutMs: number; ratePerSecond: number } {
  const { clientId, clientSecret } = options.credentials ?? {};
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw configError('credentials.clientId (the USPS Consumer Key) is missing');
  }
  if (typeof clientSecret !== 'string' || clientSecret.trim() === '') {
    throw configError('credentials.clientSecret (the USPS Consumer Secret) is missing');
  }
  const baseUrl = (options.baseUrl ?? USPS_PRODUCTION_BASE_URL).replace(/\/+$/, '');
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    throw configError(`baseUrl ${JSON.stringify(options.baseUrl)} is not a URL`);
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw configError(`baseUrl must be http(s), got ${protocol}`);
  const timeoutMs = options.timeoutMs ?? USPS_DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw configError('timeoutMs must be a positive number');
  const ratePerSecond = options.ratePerSecond ?? USPS_DEFAULT_RATE_PER_SECOND;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0)
    throw configError('ratePerSecond must be a positive number');
  return { baseUrl, timeoutMs, ratePerSecond };
}

/**
 * USPS numbers are IMpb (20–34 digits with a routing prefix), S10
 * (`EA123456785US`) or older 10–20-character forms. Anything outside letters
 * and digits of that length can never be tracked, and asking would spend the
 * hourly quota.
 */
const PLAUSIBLE_USPS_NUMBER = /^[A-Z0-9]{10,40}$/;

function requestForm(trackingNumber: string): string {
  return trackingNumber.replace(/[\s-]+/g, '').toUpperCase();
}

/** Marks an answer the token was refused for, so the caller can re-authenticate once. */
const TOKEN_REJECTED = Symbol('token_rejected');

/**
 * USPS Tracking v3 (`GET /tracking/v3/tracking/{number}?expand=DETAIL`),
 * one number per call, behind an OAuth client-credentials token.
 */
export function createUspsClient(options: UspsClientOptions): CarrierClient {
  const { baseUrl, timeoutMs, ratePerSecond } = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const now = options.now;
  const tokens = new OAuthTokenCache({
    carrier: USPS_CARRIER,
    tokenUrl: `${baseUrl}/oauth2/v3/token`,
    credentials: options.credentials,
    exchange,
    timeoutMs,
    style: 'form',
    extraForm: { scope: 'tracking' },
    now,
  });
  const guards = {
    limiter: options.limiter ?? new RateLimiter({ ratePerSecond, now }),
    breaker: options.breaker ?? new CircuitBreaker({ carrier: USPS_CARRIER, now }),
  };

  function interpret(requested: string, answer: HttpAnswer): TrackingOutcome {
    if (answer.status === 200) {
      return normalizeUspsAnswer(parseJsonBody(USPS_CARRIER, answer), {
        trackingNumber: requested,
        onUnmappedCode: options.onUnmappedCode,
      });
    }
    // Tracking business errors ("not yet available", "not a USPS number") are HTTP 400 with a 1500xx code;
    // a 404 without USPS's error body is a wrong URL or a proxy, not an unknown parcel.
    if (answer.status === 400 || answer.status === 404) {
      return normalizeUspsErrorAnswer(parseJsonBody(USPS_CARRIER, answer), {
        trackingNumber: requested,
        onUnmappedCode: options.onUnmappedCode,
      });
    }
    const failure = classifyHttpFailure(USPS_CARRIER, answer);
    if (failure) throw failure;
    throw new DomainError(ErrorCode.UpstreamInvalidResponse, `USPS answered an unexpected HTTP ${answer.status}`, {
      details: { status: answer.status, bodyStart: answer.text.slice(0, 200) },
    });
  }

  function attempt(requested: string, number: string): Promise<TrackingOutcome | typeof TOKEN_REJECTED> {
    return guardedCall(guards, async () => {
      const token = await tokens.getToken();
      const answer = await exchange({
        url: `${baseUrl}/tracking/v3/tracking/${encodeURIComponent(number)}?expand=DETAIL`,
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        timeoutMs,
      });
      if (answer.status === 401) return TOKEN_REJECTED;
      return interpret(requested, answer);
    });
  }

  async function trackOne(requested: string): Promise<TrackingOutcome> {
    const number = requestForm(requested);
    if (!PLAUSIBLE_USPS_NUMBER.test(number)) {
      return {
        kind: 'invalid_number',
        trackingNumber: requested,
        message: 'not a possible USPS tracking number (expected 10 to 40 letters and digits)',
      };
    }
    let outcome = await attempt(requested, number);
    if (outcome === TOKEN_REJECTED) {
      // A token can die before its expires_in (revoked, keys rotated): fetch a fresh one and try once more.
      tokens.invalidate();
      outcome = await attempt(requested, number);
    }
    if (outcome === TOKEN_REJECTED) {
      throw new DomainError(ErrorCode.UpstreamAuthFailed, 'USPS refused a freshly issued token (HTTP 401)', {
        details: { status: 401 },
      });
    }
    return outcome;
  }

  return {
    carrier: USPS_CARRIER,
    maxBatchSize: 1,
    pausedForMs: () => Math.max(guards.breaker.retryInMs(), guards.limiter.pausedForMs()),
    async track(trackingNumbers) {
      // More than one number is asked one by one (the CLI does this); each call waits for the limiter.
      const outcomes = new Map<string, TrackingOutcome>();
      for (const requested of trackingNumbers) {
        if (outcomes.has(requested)) continue;
        outcomes.set(requested, await trackOne(requested));
      }
      return outcomes;
    },
  };
}
