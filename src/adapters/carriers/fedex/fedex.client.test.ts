import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isDomainError, type DomainError } from '../../../core/errors.js';
import type { CarrierClient } from '../../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import { CircuitBreaker } from '../shared/circuit-breaker.js';
import {
  createFedexClient,
  FEDEX_MAX_BATCH_SIZE,
  FEDEX_PRODUCTION_URL,
  canonicalFedexNumber,
  type FedexClientOptions,
} from './fedex.client.js';

const TOKEN = 'POST /oauth/token';
const TRACK = 'POST /track/v1/trackingnumbers';
const CREDENTIALS = { clientId: 'l7xx-test-key', clientSecret: 'test-secret' };

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

type TrackRequestBody = {
  includeDetailedScans: boolean;
  trackingInfo: { trackingNumberInfo: { trackingNumber: string } }[];
};

/** The first trackResult of a fixture, re-labelled for another number. */
function trackResultFrom(name: string, trackingNumber: string): Record<string, unknown> {
  const body = fixture(name) as { output: { completeTrackResults: { trackResults: Record<string, unknown>[] }[] } };
  const result = structuredClone(body.output.completeTrackResults[0]!.trackResults[0]!);
  result.trackingNumberInfo = { trackingNumber, trackingNumberUniqueId: `x~${trackingNumber}~FX`, carrierCode: 'FDXE' };
  return result;
}

/**
 * A FedEx that checks what FedEx checks: form-encoded client credentials on
 * the token endpoint, a live bearer token, JSON, at most 30 numbers. Numbers
 * in `known` get that fixture's tracking data, numbers starting with `INV`
 * the per-number INVALID error, all others NOTFOUND.
 */
class FakeFedex {
  readonly server = new FakeHttpServer();
  readonly known = new Map<string, string>();
  readonly liveTokens = new Set<string>();
  issued = 0;
  expiresIn = 3599;

  async start(): Promise<this> {
    this.server.on(TOKEN, (request) => this.#token(request));
    this.server.on(TRACK, (request) => this.#track(request));
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  /** FedEx revokes tokens early sometimes; a revoked token gets 401. */
  revokeAll(): void {
    this.liveTokens.clear();
  }

  trackBodies(): TrackRequestBody[] {
    return this.server.requestsTo(TRACK).map((r) => JSON.parse(r.body) as TrackRequestBody);
  }

  #token(request: RecordedRequest): FakeAnswer {
    const form = new URLSearchParams(request.body);
    const formEncoded = request.headers['content-type'] === 'application/x-www-form-urlencoded';
    if (
      !formEncoded ||
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== CREDENTIALS.clientId ||
      form.get('client_secret') !== CREDENTIALS.clientSecret
    ) {
      return {
        status: 401,
        body: { errors: [{ code: 'NOT.AUTHORIZED.ERROR', message: 'The given client credentials were not valid.' }] },
      };
    }
    this.issued += 1;
    const token = `token-${this.issued}`;
    this.liveTokens.add(token);
    return { body: { ...fixture('oauth_token_response.json'), access_token: token, expires_in: this.expiresIn } };
  }

  #track(request: RecordedRequest): FakeAnswer {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !this.liveTokens.has(token)) return { status: 401, body: fixture('error_unauthorized_401.json') };
    if (request.headers['content-type'] !== 'application/json') return { status: 415, body: { errors: [] } };
    const body = JSON.parse(request.body) as TrackRequestBody;
    if (body.trackingInfo.length > FEDEX_MAX_BATCH_SIZE) {
      return {
        status: 400,
        body: { errors: [{ code: 'TRACKING.TRACKINGINFO.LIMIT', message: 'At most 30 numbers.' }] },
      };
    }
    const completeTrackResults = body.trackingInfo.map(({ trackingNumberInfo: { trackingNumber } }) => {
      const name = this.known.get(trackingNumber);
      if (name) return { trackingNumber, trackResults: [trackResultFrom(name, trackingNumber)] };
      const code = trackingNumber.startsWith('INV')
        ? 'TRACKING.TRACKINGNUMBER.INVALID'
        : 'TRACKING.TRACKINGNUMBER.NOTFOUND';
      return {
        trackingNumber,
        trackResults: [
          {
            trackingNumberInfo: { trackingNumber, trackingNumberUniqueId: '', carrierCode: '' },
            error: { code, message: code.endsWith('INVALID') ? 'Invalid tracking number.' : 'Not found yet.' },
          },
        ],
      };
    });
    return { body: { transactionId: `tx-${this.server.requests.length}`, output: { completeTrackResults } } };
  }
}

let fedex: FakeFedex;
let clock: number;
let sleeps: number[];

beforeEach(async () => {
  fedex = await new FakeFedex().start();
  clock = Date.parse('2026-11-26T12:00:00Z');
  sleeps = [];
});

afterEach(async () => {
  await fedex.server.stop();
});

function client(overrides: Partial<FedexClientOptions> = {}): CarrierClient {
  return createFedexClient({
    credentials: CREDENTIALS,
    baseUrl: fedex.url,
    // Generous for answers that should succeed on a busy machine; the timeout test sets its own.
    timeoutMs: 2000,
    ratePerSecond: 1000,
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function kinds(outcomes: Map<string, TrackingOutcome>): Record<string, string> {
  return Object.fromEntries([...outcomes].map(([number, outcome]) => [number, outcome.kind]));
}

describe('createFedexClient options', () => {
  it.each([
    ['no client id', { credentials: { clientId: '', clientSecret: 's' } }, /credentials\.clientId/],
    ['a blank secret', { credentials: { clientId: 'k', clientSecret: '   ' } }, /clientSecret/],
    ['no credentials at all', { credentials: undefined }, /credentials/],
    ['a base URL that is not one', { baseUrl: 'apis.fedex.com' }, /baseUrl/],
    ['an ftp base URL', { baseUrl: 'ftp://apis.fedex.com' }, /http\(s\)/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
  ])('rejects %s at construction', (_label, overrides, message) => {
    const options = { credentials: CREDENTIALS, ...overrides } as FedexClientOptions;
    let error: unknown;
    try {
      createFedexClient(options);
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('config_invalid');
    expect((error as Error).message).toMatch(message);
  });

  it('defaults to the production API and says what it is', () => {
    const exchange = vi.fn();
    const fedexClient = createFedexClient({ credentials: CREDENTIALS, exchange });
    expect(fedexClient.carrier).toBe('fedex');
    expect(fedexClient.maxBatchSize).toBe(30);
    expect(FEDEX_PRODUCTION_URL).toBe('https://apis.fedex.com');
  });

  it('calls the production URL by default', async () => {
    const urls: string[] = [];
    const fedexClient = createFedexClient({
      credentials: CREDENTIALS,
      exchange: (request) => {
        urls.push(request.url);
        return Promise.resolve({ status: 503, headers: new Headers(), text: '' });
      },
    });
    await failure(fedexClient.track(['794600000001']));
    expect(urls).toEqual(['https://apis.fedex.com/oauth/token']);
  });
});

describe('OAuth and request shape', () => {
  it('asks for a token with client credentials in the form body, then tracks with it', async () => {
    fedex.known.set('738488882438', 'delivered.json');
    const outcomes = await client().track(['738488882438']);

    const [tokenRequest] = fedex.server.requestsTo(TOKEN);
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CREDENTIALS.clientId,
      client_secret: CREDENTIALS.clientSecret,
    });

    const [trackRequest] = fedex.server.requestsTo(TRACK);
    expect(trackRequest?.headers).toMatchObject({
      authorization: 'Bearer token-1',
      'content-type': 'application/json',
      'x-locale': 'en_US',
    });
    expect(JSON.parse(trackRequest?.body ?? '')).toEqual({
      includeDetailedScans: true,
      trackingInfo: [{ trackingNumberInfo: { trackingNumber: '738488882438' } }],
    });

    const outcome = outcomes.get('738488882438');
    expect(outcome?.kind).toBe('found');
    if (outcome?.kind === 'found') {
      expect(outcome.result).toMatchObject({ carrier: 'fedex', status: 'delivered', signedBy: 'CREILLY' });
      expect(outcome.result.events).toHaveLength(17);
    }
  });

  it('keeps the token across calls', async () => {
    const fedexClient = client();
    await fedexClient.track(['794600000001']);
    await fedexClient.track(['794600000002']);
    await fedexClient.track(['794600000003']);
    expect(fedex.server.requestsTo(TOKEN)).toHaveLength(1);
    expect(fedex.server.requestsTo(TRACK).map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-1',
    ]);
  });

  it('fetches a new token when the old one expires in the middle of a run', async () => {
    // The clock moves an hour while FedEx answers the first batch of 30.
    fedex.server.queue(TRACK, (request) => {
      clock += 3600_000;
      return fedex.server.requestsTo(TRACK).length === 1 ? trackAnswer(request) : { status: 500 };
    });
    const numbers = Array.from({ length: 45 }, (_, i) => `7946${String(i).padStart(8, '0')}`);
    const outcomes = await client().track(numbers);
    expect(outcomes.size).toBe(45);
    expect(fedex.server.requestsTo(TOKEN)).toHaveLength(2);
    expect(fedex.server.requestsTo(TRACK).map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('renews a token FedEx rejects mid-run, once, and carries on', async () => {
    const fedexClient = client();
    await fedexClient.track(['794600000001']);
    fedex.revokeAll();
    const outcomes = await fedexClient.track(['794600000002']);
    expect(outcomes.get('794600000002')?.kind).toBe('not_found_yet');
    expect(fedex.server.requestsTo(TOKEN)).toHaveLength(2);
    expect(fedex.server.requestsTo(TRACK).map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1', // 401
      'Bearer token-2',
    ]);
  });

  it('gives up after the one retry: a second 401 is upstream_auth_failed', async () => {
    fedex.server.queue(
      TRACK,
      { status: 401, body: fixture('error_unauthorized_401.json') },
      { status: 401, body: fixture('error_unauthorized_401.json') },
    );
    const error = await failure(client().track(['794600000001']));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toContain('NOT.AUTHORIZED.ERROR');
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(2);
    expect(fedex.server.requestsTo(TOKEN)).toHaveLength(2);
  });

  it('403 is upstream_auth_failed without a retry', async () => {
    fedex.server.queue(TRACK, {
      status: 403,
      body: { errors: [{ code: 'FORBIDDEN.ERROR', message: 'We could not authorize your credentials.' }] },
    });
    const error = await failure(client().track(['794600000001']));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details).toMatchObject({ status: 403, fedexCode: 'FORBIDDEN.ERROR' });
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(1);
  });

  it('wrong client credentials are upstream_auth_failed and no track request leaves', async () => {
    const error = await failure(
      client({ credentials: { clientId: 'l7xx-test-key', clientSecret: 'wrong' } }).track(['794600000001']),
    );
    expect(error.code).toBe('upstream_auth_failed');
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(0);
  });
});

/** What the fake answers by default, for handlers that wrap it. */
function trackAnswer(request: RecordedRequest): FakeAnswer {
  const body = JSON.parse(request.body) as TrackRequestBody;
  return {
    body: {
      output: {
        completeTrackResults: body.trackingInfo.map(({ trackingNumberInfo: { trackingNumber } }) => ({
          trackingNumber,
          trackResults: [{ error: { code: 'TRACKING.TRACKINGNUMBER.NOTFOUND', message: 'Not found yet.' } }],
        })),
      },
    },
  };
}

describe('failures of the whole call', () => {
  it('429 with Retry-After: upstream_rate_limited with retryAfterMs, and the next call waits it out', async () => {
    fedex.server.queue(TRACK, {
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        errors: [{ code: 'RATE.LIMIT.EXCEEDED', message: 'We have received too many requests in a short duration.' }],
      },
    });
    const fedexClient = client();
    const error = await failure(fedexClient.track(['794600000001']));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ retryAfterMs: 1000 });
    expect(sleeps).toEqual([]);

    await fedexClient.track(['794600000001']);
    expect(sleeps).toEqual([1000]);
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(2);
  });

  it('503 is upstream_unavailable with FedEx’s error code', async () => {
    fedex.server.queue(TRACK, { status: 503, body: fixture('error_service_unavailable_503.json') });
    const error = await failure(client().track(['794600000001']));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('SERVICE.UNAVAILABLE.ERROR');
    expect(error.details).toMatchObject({ status: 503 });
  });

  it('an answer slower than timeoutMs is upstream_unavailable', async () => {
    fedex.server.queue(TRACK, { delayMs: 600, body: { output: { completeTrackResults: [] } } });
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 150 }).track(['794600000001']));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 150 ms/);
    expect(Date.now() - started).toBeLessThan(550);
  });

  it('a dropped connection is upstream_unavailable', async () => {
    fedex.server.queue(TRACK, { destroy: true });
    const error = await failure(client().track(['794600000001']));
    expect(error.code).toBe('upstream_unavailable');
  });

  it('a token endpoint that is down is upstream_unavailable', async () => {
    fedex.server.queue(TOKEN, { status: 503, body: fixture('error_service_unavailable_503.json') });
    expect((await failure(client().track(['794600000001']))).code).toBe('upstream_unavailable');
  });

  it('malformed JSON is upstream_invalid_response', async () => {
    fedex.server.queue(TRACK, { body: '{"output": {"completeTrackResults": [' });
    const error = await failure(client().track(['794600000001']));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/not JSON/);
  });

  it('a body of the wrong shape is upstream_invalid_response', async () => {
    fedex.server.queue(TRACK, { body: { output: { completeTrackResults: { oops: true } } } });
    const error = await failure(client().track(['794600000001']));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/output\.completeTrackResults/);
  });

  it('a 400 that blames the request, not a number, is upstream_invalid_response', async () => {
    fedex.server.queue(TRACK, { status: 400, body: fixture('error_tracking_number_empty_400.json') });
    const error = await failure(client().track(['794600000001']));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toBe(
      'FedEx rejected the track request with HTTP 400: TRACKING.TRACKINGNUMBER.EMPTY (Please provide tracking number.)',
    );
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(1);
  });

  it('an unexpected status (404 from a wrong base URL) is upstream_invalid_response', async () => {
    // Under a wrong base the token endpoint answers 404 first: no token in that answer.
    const error = await failure(client({ baseUrl: `${fedex.url}/nowhere` }).track(['794600000001']));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/no access_token/);
    fedex.server.queue(TRACK, {
      status: 404,
      body: { errors: [{ code: 'NOT.FOUND.ERROR', message: 'The resource you requested is no longer available.' }] },
    });
    const notFound = await failure(client().track(['794600000001']));
    expect(notFound.code).toBe('upstream_invalid_response');
    expect(notFound.details).toMatchObject({ status: 404 });
  });

  it('opens the circuit after repeated 503s: then no request leaves', async () => {
    fedex.server.on(TRACK, () => ({ status: 503, body: fixture('error_service_unavailable_503.json') }));
    const fedexClient = client();
    for (let i = 0; i < 5; i += 1) {
      expect((await failure(fedexClient.track(['794600000001']))).code).toBe('upstream_unavailable');
    }
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(5);

    const open = await failure(fedexClient.track(['794600000001']));
    expect(open.code).toBe('upstream_unavailable');
    expect(open.details).toMatchObject({ circuit: 'open' });
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(5);

    // After the open period one probe goes through, and a healthy answer closes the circuit.
    fedex.server.on(TRACK, trackAnswer);
    clock += 30_000;
    expect((await fedexClient.track(['794600000001'])).get('794600000001')?.kind).toBe('not_found_yet');
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(6);
  });

  it('shares a breaker passed in by the caller', async () => {
    const breaker = new CircuitBreaker({ carrier: 'FedEx', failureThreshold: 1, now: () => clock });
    fedex.server.queue(TRACK, { status: 503 });
    await failure(client({ circuitBreaker: breaker }).track(['794600000001']));
    const error = await failure(client({ circuitBreaker: breaker }).track(['794600000001']));
    expect(error.details).toMatchObject({ circuit: 'open' });
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(1);
  });
});

describe('per-number outcomes and batching', () => {
  it('not found and invalid numbers are outcomes, next to found ones', async () => {
    fedex.known.set('286800000000404', 'own_failed_attempt_then_pickup_point.json');
    const outcomes = await client().track(['286800000000404', '794600000001', 'INV0001']);
    expect(kinds(outcomes)).toEqual({
      '286800000000404': 'found',
      '794600000001': 'not_found_yet',
      INV0001: 'invalid_number',
    });
    expect(outcomes.get('794600000001')).toEqual({
      kind: 'not_found_yet',
      trackingNumber: '794600000001',
      message: 'Not found yet.',
    });
    expect(fedex.server.requestsTo(TRACK)).toHaveLength(1);
  });

  it('answers under the number as requested, asking FedEx once per number', async () => {
    fedex.known.set('738488882438', 'delivered.json');
    const outcomes = await client().track(['7384 8888 2438', '738488882438', 'dt1234-5678']);
    expect([...outcomes.keys()]).toEqual(['7384 8888 2438', '738488882438', 'dt1234-5678']);
    const spaced = outcomes.get('7384 8888 2438');
    expect(spaced?.kind === 'found' && spaced.result.trackingNumber).toBe('7384 8888 2438');
    expect(outcomes.get('dt1234-5678')).toMatchObject({ kind: 'not_found_yet', trackingNumber: 'dt1234-5678' });
    expect(fedex.trackBodies()[0]?.trackingInfo.map((i) => i.trackingNumberInfo.trackingNumber)).toEqual([
      '738488882438',
      'DT12345678',
    ]);
  });

  it('numbers FedEx could never accept are invalid without a call', async () => {
    const outcomes = await client().track(['', '   ', '7946/0001', '794600000001']);
    expect(kinds(outcomes)).toEqual({
      '': 'invalid_number',
      '   ': 'invalid_number',
      '7946/0001': 'invalid_number',
      '794600000001': 'not_found_yet',
    });
    expect(fedex.trackBodies()[0]?.trackingInfo).toHaveLength(1);
  });

  it('makes no call for an empty list or a list of invalid numbers only', async () => {
    expect((await client().track([])).size).toBe(0);
    expect((await client().track(['?'])).size).toBe(1);
    expect(fedex.server.requests).toHaveLength(0);
  });

  it('splits more than 30 numbers into batches of at most 30', async () => {
    const numbers = Array.from({ length: 65 }, (_, i) => `7946${String(i).padStart(8, '0')}`);
    fedex.known.set(numbers[64]!, 'own_cancelled.json');
    const outcomes = await client().track(numbers);
    expect(fedex.trackBodies().map((b) => b.trackingInfo.length)).toEqual([30, 30, 5]);
    expect(outcomes.size).toBe(65);
    expect(outcomes.get(numbers[64]!)).toMatchObject({ kind: 'found', result: { status: 'cancelled' } });
    expect(fedex.server.requestsTo(TOKEN)).toHaveLength(1);
  });

  it('a number missing from FedEx’s answer is not found yet', async () => {
    fedex.server.queue(TRACK, { body: { output: { completeTrackResults: [] } } });
    expect(await client().track(['794600000001'])).toEqual(
      new Map([
        [
          '794600000001',
          {
            kind: 'not_found_yet',
            trackingNumber: '794600000001',
            message: 'FedEx returned no result for this number',
          },
        ],
      ]),
    );
  });

  it('a 400 blaming a number in a batch asks for each number alone', async () => {
    fedex.known.set('738488882438', 'delivered.json');
    const invalid400: FakeAnswer = {
      status: 400,
      body: { errors: [{ code: 'TRACKING.TRACKINGNUMBER.INVALID', message: 'Invalid tracking numbers.' }] },
    };
    fedex.server.queue(TRACK, invalid400, (request) => trackAnswerVia(request), invalid400);
    const outcomes = await client().track(['738488882438', '794600000001']);
    expect(fedex.trackBodies().map((b) => b.trackingInfo.map((i) => i.trackingNumberInfo.trackingNumber))).toEqual([
      ['738488882438', '794600000001'],
      ['738488882438'],
      ['794600000001'],
    ]);
    expect(kinds(outcomes)).toEqual({ '738488882438': 'found', '794600000001': 'invalid_number' });
    expect(outcomes.get('794600000001')).toMatchObject({ message: 'Invalid tracking numbers.' });
  });

  it('hands unmapped codes to onUnmappedCode', async () => {
    fedex.known.set('794600000008', 'own_unmapped_codes.json');
    const onUnmappedCode = vi.fn();
    const outcomes = await client({ onUnmappedCode }).track(['794600000008']);
    expect(outcomes.get('794600000008')).toMatchObject({ kind: 'found', result: { status: 'unknown' } });
    expect(onUnmappedCode.mock.calls).toEqual([['ZZ'], ['QQ']]);
  });
});

/** The fake's normal answer, for a queued handler that should behave normally. */
function trackAnswerVia(request: RecordedRequest): FakeAnswer {
  const body = JSON.parse(request.body) as TrackRequestBody;
  return {
    body: {
      output: {
        completeTrackResults: body.trackingInfo.map(({ trackingNumberInfo: { trackingNumber } }) => ({
          trackingNumber,
          trackResults: fedex.known.has(trackingNumber)
            ? [trackResultFrom(fedex.known.get(trackingNumber)!, trackingNumber)]
            : [{ error: { code: 'TRACKING.TRACKINGNUMBER.NOTFOUND', message: 'Not found yet.' } }],
        })),
      },
    },
  };
}

describe('canonicalFedexNumber', () => {
  it('drops blanks and dashes and upper-cases door tags', () => {
    expect(canonicalFedexNumber(' 7946 0000-0001 ')).toBe('794600000001');
    expect(canonicalFedexNumber('dt702642496002')).toBe('DT702642496002');
    expect(canonicalFedexNumber('  ')).toBe('');
  });
});
