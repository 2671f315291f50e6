import { randomUUID } from 'node:crypto';
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
import { CircuitBreaker, type CircuitState } from '../shared/circuit-breaker.js';
import { guardedCall } from '../shared/guarded-call.js';
import { OAuthTokenCache, type ClientCredentials } from '../shared/oauth-token.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { normalizeUpsTrackResponse, UPS_CARRIER } from './ups.normalize.js';

export const UPS_PRODUCTION_BASE_URL = 'https://onlinetools.ups.com';
/** UPS's Customer Integration Environment: canned answers, no real data. */
export const UPS_CIE_BASE_URL = 'https://wwwcie.ups.com';

export type UpsClientOptions = {
  /** OAuth client id and secret of the UPS developer app. */
  credentials: ClientCredentials;
  /** Default: production. Tests pass the fake server's URL. */
  baseUrl?: string;
  exchange?: HttpExchange;
  /** Per HTTP exchange (token and track). Default 10 s. */
  timeoutMs?: number;
  /** UPS publishes no limit (it raises one on request), so this is per credential. Default 5. */
  ratePerSecond?: number;
  burst?: number;
  /** Sent as `transactionSrc`. Default `waymark`. */
  transactionSource?: string;
  /**
   * Clock for token expiry and the circuit breaker. The rate limiter keeps
   * the real clock: it really sleeps, and a frozen clock would never refill.
   */
  now?: () => number;
  onUnmappedCode?: (code: string) => void;
  /** Circuit breaker tuning; defaults are the shared breaker's (5 failures, 30 s open). */
  circuit?: { failureThreshold?: number; openMs?: number; onStateChange?: (state: CircuitState) => void };
  /** Share one limiter / breaker between clients of the same credential / carrier. */
  limiter?: RateLimiter;
  breaker?: CircuitBreaker;
};

const TRACK_QUERY = new URLSearchParams({
  locale: 'en_US',
  returnSignature: 'false',
  returnMilestones: 'false',
  returnPOD: 'false',
}).toString();

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `UPS client: ${message}`);
}

function validatedBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw configError(`baseUrl "${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError('baseUrl must be http(s)');
  return url.toString().replace(/\/+$/, '');
}

/** What UPS accepts in the path: letters and digits, spaces and dashes dropped as people type them. */
function inquiryNumberOf(requested: string): string {
  return requested.replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * UPS Track API v1 client: OAuth client credentials (HTTP Basic) cached per
 * client, one number per call, every call rate-limited and behind the
 * carrier's circuit breaker. A 401 on the track call drops the token and
 * retries once with a new one.
 */
export function createUpsClient(options: UpsClientOptions): CarrierClient {
  const clientId = options.credentials?.clientId?.trim();
  const clientSecret = options.credentials?.clientSecret?.trim();
  if (!clientId || !clientSecret) {
    throw configError('credentials.clientId and credentials.clientSecret are required (UPS developer app)');
  }
  const baseUrl = validatedBaseUrl(options.baseUrl ?? UPS_PRODUCTION_BASE_URL);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) throw configError('timeoutMs must be positive');
  const ratePerSecond = options.ratePerSecond ?? 5;
  if (!(ratePerSecond > 0)) throw configError('ratePerSecond must be positive');
  const transactionSource = options.transactionSource?.trim() || 'waymark';
  const exchange = options.exchange ?? fetchExchange;

  const tokens = new OAuthTokenCache({
    carrier: UPS_CARRIER,
    tokenUrl: `${baseUrl}/security/v1/oauth/token`,
    credentials: { clientId, clientSecret },
    exchange,
    timeoutMs,
    style: 'basic',
    now: options.now,
  });
  const limiter = options.limiter ?? new RateLimiter({ ratePerSecond, burst: options.burst });
  const breaker =
    options.breaker ??
    new CircuitBreaker({
      carrier: UPS_CARRIER,
      failureThreshold: options.circuit?.failureThreshold,
      openMs: options.circuit?.openMs,
      onStateChange: options.circuit?.onStateChange,
      now: options.now,
    });

  async function requestDetails(inquiryNumber: string): Promise<HttpAnswer> {
    const token = await tokens.getToken();
    return exchange({
      url: `${baseUrl}/api/track/v1/details/${encodeURIComponent(inquiryNumber)}?${TRACK_QUERY}`,
      method: 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        // Required by UPS and unique per request; it is how UPS support finds a call in its logs.
        transId: randomUUID().replace(/-/g, ''),
        transactionSrc: transactionSource,
      },
      timeoutMs,
    });
  }

  async function trackOne(inquiryNumber: string): Promise<TrackingOutcome> {
    let answer = await requestDetails(inquiryNumber);
    if (answer.status === 401) {
      // Tokens can die before expires_in says (revoked, rotated secret): one fresh token, one retry.
      tokens.invalidate();
      answer = await requestDetails(inquiryNumber);
    }
    const failure = classifyHttpFailure(UPS_CARRIER, answer);
    if (failure) throw failure;
    if (answer.status !== 200 && answer.status !== 400 && answer.status !== 404) {
      throw new DomainError(ErrorCode.UpstreamInvalidResponse, `UPS answered an unexpected HTTP ${answer.status}`, {
        details: { status: answer.status, bodyStart: answer.text.slice(0, 200) },
      });
    }
    // 200 (found, or TW0001 "not found" — UPS's usual answer), 400 (TV1002) and 404 all carry a body we read.
    const body = parseJsonBody(UPS_CARRIER, answer);
    const outcomes = normalizeUpsTrackResponse(body, { inquiryNumber, onUnmappedCode: options.onUnmappedCode });
    return pickOutcome(inquiryNumber, outcomes);
  }

  return {
    carrier: UPS_CARRIER,
    maxBatchSize: 1,
    pausedForMs: () => Math.max(breaker.retryInMs(), limiter.pausedForMs()),
    async track(trackingNumbers) {
      const distinct = [...new Set(trackingNumbers)];
      if (distinct.length > 1) {
        throw new DomainError(
          ErrorCode.InvalidInput,
          `UPS tracks one number per call; got ${distinct.length} (use maxBatchSize)`,
        );
      }
      const outcomes = new Map<string, TrackingOutcome>();
      for (const requested of distinct) {
        const inquiryNumber = inquiryNumberOf(requested);
        if (!/^[A-Z0-9]{1,64}$/.test(inquiryNumber)) {
          outcomes.set(requested, {
            kind: 'invalid_number',
            trackingNumber: requested,
            message: 'not a UPS inquiry number (letters and digits only)',
          });
          continue;
        }
        outcomes.set(requested, await guardedCall({ limiter, breaker }, () => trackOne(inquiryNumber)));
      }
      return outcomes;
    },
  };
}

/**
 * The outcome for the number asked: the package with that number, else the
 * first package of a multi-piece answer (asked by its lead number), else
 * whatever UPS said about the inquiry.
 */
function pickOutcome(inquiryNumber: string, outcomes: TrackingOutcome[]): TrackingOutcome {
  const numberOf = (outcome: TrackingOutcome): string =>
    inquiryNumberOf(outcome.kind === 'found' ? outcome.result.trackingNumber : outcome.trackingNumber);
  const exact = outcomes.find((outcome) => numberOf(outcome) === inquiryNumber);
  const chosen = exact ?? outcomes.find((outcome) => outcome.kind === 'found') ?? outcomes[0];
  if (!chosen) {
    throw new DomainError(ErrorCode.UpstreamInvalidResponse, 'UPS track answer lists no shipment');
  }
  return chosen;
}
