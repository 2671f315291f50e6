import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DomainError } from '../../../core/errors.js';
import type { CarrierClient } from '../../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import {
  USPS_DEFAULT_RATE_PER_SECOND,
  USPS_PRODUCTION_BASE_URL,
  createUspsClient,
  type UspsClientOptions,
} from './usps.client.js';

const fixtures = new Map<string, unknown>();

function fixture(name: string): unknown {
  if (!fixtures.has(name)) {
    fixtures.set(name, JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown);
  }
  return fixtures.get(name);
}

/**
 * Generous for calls that should succeed (the machine may be busy); the
 * timeout test sets its own short one.
 */
const COMFORTABLE_TIMEOUT_MS = 3_000;

const CREDENTIALS = { clientId: 'waymark-test-consumer-key', clientSecret: 'waymark-test-consumer-secret' };
const TOKEN_ROUTE = 'POST /oauth2/v3/token';
const trackRoute = (number: string): string => `GET /tracking/v3/tracking/${number}`;

const DELIVERED = '9261290289104185136058';
const IN_TRANSIT = '9202290317456200135409';
const NOT_YET = '9400111206213859420650';
const PICKUP_CONFIRMATION = 'WTC1234567890';

const unauthorizedBody = {
  apiVersion: '/tracking/v3',
  error: { code: '401', message: 'Unauthorized', errors: [{ status: '401', code: '', title: 'Invalid token' }] },
};

/**
 * A fake USPS: issues numbered tokens to the right client, honours only
 * tokens it has issued and not revoked, serves DETAIL answers by number and
 * "not yet available" for any other number.
 */
class FakeUsps {
  readonly server = new FakeHttpServer();
  readonly validTokens = new Set<string>();
  tokenLifetimeSeconds = '28799';
  #issued = 0;

  async start(): Promise<this> {
    await this.server.start();
    this.server.on(TOKEN_ROUTE, (request) => this.#token(request));
    this.serve(DELIVERED, fixture('delivered_mailbox.json'));
    this.serve(IN_TRANSIT, fixture('in_transit.json'));
    this.serve(NOT_YET, fixture('not_yet_available_400.json'), 400);
    this.serve(PICKUP_CONFIRMATION, fixture('invalid_pickup_confirmation_150011_400.json'), 400);
    return this;
  }

  serve(number: string, body: unknown, status = 200): void {
    this.server.on(trackRoute(number), (request) => this.#authorised(request) ?? { status, body });
  }

  tracked(number: string): RecordedRequest[] {
    return this.server.requestsTo(trackRoute(number));
  }

  get tokenRequests(): RecordedRequest[] {
    return this.server.requestsTo(TOKEN_ROUTE);
  }

  #token(request: RecordedRequest): FakeAnswer {
    const form = new URLSearchParams(request.body);
    if (form.get('client_id') !== CREDENTIALS.clientId || form.get('client_secret') !== CREDENTIALS.clientSecret) {
      return { status: 401, body: fixture('oauth_invalid_client.json') };
    }
    this.#issued += 1;
    const token = `token-${this.#issued}`;
    this.validTokens.add(token);
    const example = fixture('oauth_token_response.json') as Record<string, unknown>;
    return { body: { ...example, access_token: token, expires_in: this.tokenLifetimeSeconds } };
  }

  #authorised(request: RecordedRequest): FakeAnswer | null {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !this.validTokens.has(token)) return { status: 401, body: unauthorizedBody };
    if (request.query.get('expand') !== 'DETAIL') return { body: { trackingNumber: 'x', eventSummaries: ['…'] } };
    return null;
  }
}

let usps: FakeUsps;

beforeEach(async () => {
  usps = await new FakeUsps().start();
});

afterEach(async () => {
  await usps.server.stop();
});

function client(overrides: Partial<UspsClientOptions> = {}): CarrierClient {
  return createUspsClient({
    credentials: CREDENTIALS,
    baseUrl: usps.server.url,
    timeoutMs: COMFORTABLE_TIMEOUT_MS,
    ratePerSecond: 1000,
    ...overrides,
  });
}

async function trackOne(carrier: CarrierClient, number: string): Promise<TrackingOutcome | undefined> {
  return (await carrier.track([number])).get(number);
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a DomainError');
}

describe('createUspsClient — OAuth and the tracking request', () => {
  it('asks for a client-credentials token with the credentials in the form body, then tracks with it', async () => {
    const outcome = await trackOne(client(), DELIVERED);

    expect(outcome).toMatchObject({
      kind: 'found',
      result: { carrier: 'usps', status: 'delivered', substatus: 'delivered' },
    });
    const [tokenRequest] = usps.tokenRequests;
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CREDENTIALS.clientId,
      client_secret: CREDENTIALS.clientSecret,
      scope: 'tracking',
    });
    const [trackRequest] = usps.tracked(DELIVERED);
    expect(trackRequest?.headers.authorization).toBe('Bearer token-1');
    expect(trackRequest?.headers.accept).toBe('application/json');
    expect(trackRequest?.query.get('expand')).toBe('DETAIL');
  });

  it('keeps one token across calls', async () => {
    const carrier = client();
    await carrier.track([DELIVERED]);
    await carrier.track([IN_TRANSIT]);
    await carrier.track([DELIVERED]);

    expect(usps.tokenRequests).toHaveLength(1);
    expect(usps.tracked(DELIVERED).map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
    ]);
  });

  it('fetches a new token when the cached one expires mid-run', async () => {
    let clock = Date.parse('2026-03-03T12:00:00Z');
    usps.tokenLifetimeSeconds = '3600';
    const carrier = client({ now: () => clock });

    await carrier.track([DELIVERED]);
    clock += 30 * 60_000;
    await carrier.track([DELIVERED]);
    clock += 30 * 60_000;
    await carrier.track([DELIVERED]);

    expect(usps.tokenRequests).toHaveLength(2);
    expect(usps.tracked(DELIVERED).map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('re-authenticates once when USPS refuses a token before its expiry', async () => {
    const carrier = client();
    await carrier.track([DELIVERED]);
    usps.validTokens.clear(); // revoked on USPS's side

    expect(await trackOne(carrier, IN_TRANSIT)).toMatchObject({ kind: 'found', result: { status: 'in_transit' } });
    expect(usps.tokenRequests).toHaveLength(2);
    expect(usps.tracked(IN_TRANSIT).map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('gives up with upstream_auth_failed when even a fresh token is refused (one retry only)', async () => {
    usps.server.queue(
      trackRoute(DELIVERED),
      { status: 401, body: unauthorizedBody },
      { status: 401, body: unauthorizedBody },
    );

    const error = await failure(client().track([DELIVERED]));

    expect(error.code).toBe('upstream_auth_failed');
    expect(usps.tracked(DELIVERED)).toHaveLength(2);
    expect(usps.tokenRequests).toHaveLength(2);
  });

  it('reports invalid_client on the token endpoint as upstream_auth_failed, without tracking', async () => {
    const error = await failure(
      client({ credentials: { clientId: CREDENTIALS.clientId, clientSecret: 'wrong' } }).track([DELIVERED]),
    );

    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details).toMatchObject({ status: 401 });
    expect(usps.tracked(DELIVERED)).toHaveLength(0);
  });

  it('reports 403 on tracking (app without the tracking product) as upstream_auth_failed, without a retry', async () => {
    usps.server.queue(trackRoute(DELIVERED), { status: 403, body: { error: { code: '403', message: 'Forbidden' } } });

    expect((await failure(client().track([DELIVERED]))).code).toBe('upstream_auth_failed');
    expect(usps.tracked(DELIVERED)).toHaveLength(1);
  });

  it('passes unmapped codes to onUnmappedCode', async () => {
    const number = '9400100000000000000017';
    usps.serve(number, fixture('missing_offsets_unknown_codes.json'));
    const unmapped: string[] = [];

    await client({ onUnmappedCode: (code) => unmapped.push(code) }).track([number]);

    expect(unmapped).toEqual(['Q7', 'ZZ']);
  });
});

describe('createUspsClient — not found and invalid numbers', () => {
  it('maps 400 / 150001 to not_found_yet under the number as requested', async () => {
    expect(await trackOne(client(), NOT_YET)).toEqual({
      kind: 'not_found_yet',
      trackingNumber: NOT_YET,
      message: expect.stringMatching(/^A status update is not yet available on your package\./) as unknown,
    });
  });

  it('maps 400 / 150011 to invalid_number', async () => {
    expect(await trackOne(client(), PICKUP_CONFIRMATION)).toMatchObject({
      kind: 'invalid_number',
      trackingNumber: PICKUP_CONFIRMATION,
    });
  });

  it.each(['ABC', '9400 10', '94001000000000000000!!', 'X'.repeat(41)])(
    'answers %j as invalid_number without spending quota on a request',
    async (number) => {
      expect(await trackOne(client(), number)).toMatchObject({ kind: 'invalid_number', trackingNumber: number });
      expect(usps.server.requests).toHaveLength(0);
    },
  );

  it('asks for the compact upper-case form and answers under the number as given', async () => {
    usps.serve('EA123456785US', fixture('delivered_left_with_individual_signed.json'));

    const outcomes = await client().track(['ea 123 456 785 us']);

    expect(outcomes.get('ea 123 456 785 us')).toMatchObject({ kind: 'found', result: { signedBy: 'M RIVERA' } });
    expect(usps.tracked('EA123456785US')).toHaveLength(1);
  });
});

describe('createUspsClient — batching', () => {
  it('declares one number per call and asks several numbers one by one, each once', async () => {
    const carrier = client();
    expect(carrier.maxBatchSize).toBe(1);

    const outcomes = await carrier.track([DELIVERED, NOT_YET, DELIVERED, IN_TRANSIT]);

    expect([...outcomes.keys()]).toEqual([DELIVERED, NOT_YET, IN_TRANSIT]);
    expect(outcomes.get(NOT_YET)?.kind).toBe('not_found_yet');
    expect(usps.tracked(DELIVERED)).toHaveLength(1);
    expect(usps.tracked(NOT_YET)).toHaveLength(1);
    expect(usps.tracked(IN_TRANSIT)).toHaveLength(1);
  });

  it('answers an empty batch without any request', async () => {
    expect((await client().track([])).size).toBe(0);
    expect(usps.server.requests).toHaveLength(0);
  });
});

describe('createUspsClient — failures', () => {
  it('throws upstream_rate_limited with retryAfterMs on 429, and the limiter holds the next call back', async () => {
    const carrier = client();
    let nextArrivedAt = 0;
    usps.server.on(trackRoute(IN_TRANSIT), () => {
      nextArrivedAt = Date.now();
      return { body: fixture('in_transit.json') };
    });
    usps.server.queue(trackRoute(DELIVERED), {
      status: 429,
      headers: { 'retry-after': '0.3' },
      body: { apiVersion: '/tracking/v3', error: { code: '429', message: 'Too Many Requests' } },
    });

    const error = await failure(carrier.track([DELIVERED]));
    const failedAt = Date.now();
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ retryAfterMs: 300 });

    await carrier.track([IN_TRANSIT]);
    expect(nextArrivedAt - failedAt).toBeGreaterThanOrEqual(250);
  });

  it('throws upstream_unavailable on 503', async () => {
    usps.server.queue(trackRoute(DELIVERED), {
      status: 503,
      body: { error: { code: '503', message: 'Service Unavailable' } },
    });

    const error = await failure(client().track([DELIVERED]));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ status: 503 });
  });

  it('throws upstream_unavailable when USPS answers slower than timeoutMs', async () => {
    usps.server.queue(trackRoute(DELIVERED), { delayMs: 1_500, body: fixture('delivered_mailbox.json') });

    const startedAt = Date.now();
    const error = await failure(client({ timeoutMs: 200 }).track([DELIVERED]));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 200 ms/);
    expect(Date.now() - startedAt).toBeLessThan(1_200);
  });

  it('throws upstream_unavailable when the connection drops', async () => {
    usps.server.queue(trackRoute(DELIVERED), { destroy: true });

    expect((await failure(client().track([DELIVERED]))).code).toBe('upstream_unavailable');
  });

  it('throws upstream_invalid_response for a body that is not JSON', async () => {
    usps.server.queue(trackRoute(DELIVERED), { status: 200, body: '<html>Access Denied</html>' });

    const error = await failure(client().track([DELIVERED]));

    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toBe('usps answered HTTP 200 with a body that is not JSON');
  });

  it('throws upstream_invalid_response for JSON of the wrong shape', async () => {
    usps.server.queue(trackRoute(DELIVERED), {
      status: 200,
      body: { trackingNumber: DELIVERED, trackingEvents: 'none' },
    });

    expect((await failure(client().track([DELIVERED]))).code).toBe('upstream_invalid_response');
  });

  it('throws upstream_invalid_response for a 404 that is not a USPS error (wrong base URL)', async () => {
    const error = await failure(client().track(['9400100000000000000055']));

    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toBe(
      "USPS error answer is not in USPS's error shape: no fake route for GET /tracking/v3/tracking/9400100000000000000055",
    );
  });

  it('throws upstream_invalid_response for a status USPS does not document for tracking', async () => {
    usps.server.queue(trackRoute(DELIVERED), {
      status: 405,
      body: { error: { code: '405', message: 'Method Not Allowed' } },
    });

    const error = await failure(client().track([DELIVERED]));

    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toBe('USPS answered an unexpected HTTP 405');
  });

  it('opens the circuit after five 503s in a row, after which no request leaves', async () => {
    const carrier = client();
    const outage: FakeAnswer = { status: 503, body: { error: { code: '503', message: 'Service Unavailable' } } };
    usps.server.queue(trackRoute(DELIVERED), outage, outage, outage, outage, outage);

    for (let call = 0; call < 5; call += 1) {
      expect((await failure(carrier.track([DELIVERED]))).code).toBe('upstream_unavailable');
    }
    const requestsBefore = usps.server.requests.length;
    const error = await failure(carrier.track([DELIVERED]));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ circuit: 'open' });
    expect(usps.server.requests).toHaveLength(requestsBefore);
    expect(usps.tracked(DELIVERED)).toHaveLength(5);
  });
});

describe('createUspsClient — options', () => {
  it.each<[string, Partial<UspsClientOptions>, RegExp]>([
    ['a missing client id', { credentials: { clientId: '', clientSecret: 'x' } }, /clientId/],
    ['a missing client secret', { credentials: { clientId: 'x', clientSecret: '  ' } }, /clientSecret/],
    ['a base URL that is not a URL', { baseUrl: 'apis.usps.com' }, /baseUrl/],
    ['a base URL that is not http(s)', { baseUrl: 'ftp://apis.usps.com' }, /http/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
  ])('refuses %s at construction with config_invalid', (_label, overrides, message) => {
    let thrown: unknown;
    try {
      createUspsClient({ credentials: CREDENTIALS, ...overrides });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('config_invalid');
    expect((thrown as DomainError).message).toMatch(message);
  });

  it('defaults to production and to USPS default quota of 60 calls an hour', () => {
    expect(USPS_PRODUCTION_BASE_URL).toBe('https://apis.usps.com');
    expect(USPS_DEFAULT_RATE_PER_SECOND * 3600).toBeCloseTo(60);
    expect(createUspsClient({ credentials: CREDENTIALS }).carrier).toBe('usps');
  });
});
