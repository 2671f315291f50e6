import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isDomainError, type DomainError } from '../../../core/errors.js';
import type { CarrierClient } from '../../../core/ports/carrier.port.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import { createUpsClient, UPS_PRODUCTION_BASE_URL, type UpsClientOptions } from './ups.client.js';

const TOKEN = 'POST /security/v1/oauth/token';
const CREDENTIALS = { clientId: 'ups-client-id', clientSecret: 'ups-client-secret' };
const DELIVERED = '1Z1442YY7229014688';
const NOT_FOUND = '1Z9912350341235622';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

function trackRoute(number: string): string {
  return `GET /api/track/v1/details/${number}`;
}

/**
 * A UPS that checks what UPS checks: HTTP Basic client credentials and a
 * form body on the token endpoint, a live bearer token plus `transId` and
 * `transactionSrc` on the track call. Tokens are issued as UPS does (strings,
 * `expires_in` in seconds).
 */
class FakeUps {
  readonly server = new FakeHttpServer();
  readonly liveTokens = new Set<string>();
  issued = 0;
  expiresIn = '14399';

  async start(): Promise<this> {
    this.server.on(TOKEN, (request) => this.#token(request));
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  /** UPS answers this body (HTTP `status`) for `number`, if the token is live. */
  answer(number: string, body: unknown, status = 200): this {
    this.server.on(trackRoute(number), (request) => this.#track(request, { status, body }));
    return this;
  }

  revokeAll(): void {
    this.liveTokens.clear();
  }

  trackRequests(number: string): RecordedRequest[] {
    return this.server.requestsTo(trackRoute(number));
  }

  #token(request: RecordedRequest): FakeAnswer {
    const basic = `Basic ${Buffer.from(`${CREDENTIALS.clientId}:${CREDENTIALS.clientSecret}`).toString('base64')}`;
    const form = new URLSearchParams(request.body);
    if (
      request.headers.authorization !== basic ||
      request.headers['content-type'] !== 'application/x-www-form-urlencoded' ||
      form.get('grant_type') !== 'client_credentials'
    ) {
      return { status: 401, body: fixture('auth_error_250003.json') };
    }
    this.issued += 1;
    const token = `ups-token-${this.issued}`;
    this.liveTokens.add(token);
    return {
      body: { ...fixture('oauth_token_response.json'), access_token: token, expires_in: this.expiresIn },
    };
  }

  #track(request: RecordedRequest, answer: FakeAnswer): FakeAnswer {
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!this.liveTokens.has(token)) {
      return {
        status: 401,
        body: { response: { errors: [{ code: '250002', message: 'Invalid Authentication Information.' }] } },
      };
    }
    if (!request.headers.transid || request.headers.transactionsrc !== 'waymark') {
      return { status: 400, body: { response: { errors: [{ code: '10001', message: 'Missing transId' }] } } };
    }
    return answer;
  }
}

let ups: FakeUps;

beforeEach(async () => {
  ups = await new FakeUps().start();
  ups.answer(DELIVERED, fixture('delivered.json'));
  ups.answer(NOT_FOUND, fixture('not_found_TW0001_http200.json'));
});

afterEach(async () => {
  await ups.server.stop();
});

function client(options: Partial<UpsClientOptions> = {}): CarrierClient {
  return createUpsClient({
    credentials: CREDENTIALS,
    baseUrl: ups.url,
    // Roomy for the first request of a cold worker; the timeout test sets its own.
    timeoutMs: 1000,
    ratePerSecond: 100,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createUpsClient options', () => {
  it('refuses to start without credentials, with a clear message', () => {
    expect(() => createUpsClient({ credentials: { clientId: '', clientSecret: 'x' } })).toThrow(
      /credentials.clientId and credentials.clientSecret are required/,
    );
    expect(() => createUpsClient({ credentials: undefined as unknown as UpsClientOptions['credentials'] })).toThrow(
      expect.objectContaining({ code: 'config_invalid' }) as Error,
    );
  });

  it('validates the URL, the timeout and the rate', () => {
    expect(() => createUpsClient({ credentials: CREDENTIALS, baseUrl: 'not a url' })).toThrow(/baseUrl/);
    expect(() => createUpsClient({ credentials: CREDENTIALS, baseUrl: 'ftp://ups.example' })).toThrow(/http/);
    expect(() => createUpsClient({ credentials: CREDENTIALS, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createUpsClient({ credentials: CREDENTIALS, ratePerSecond: -1 })).toThrow(/ratePerSecond/);
  });

  it('defaults to UPS production, one number per call', () => {
    expect(UPS_PRODUCTION_BASE_URL).toBe('https://onlinetools.ups.com');
    const ups = createUpsClient({ credentials: CREDENTIALS });
    expect(ups.carrier).toBe('ups');
    expect(ups.maxBatchSize).toBe(1);
  });
});

describe('UPS client against a fake UPS', () => {
  it('asks for a token with HTTP Basic and tracks with the documented request', async () => {
    const outcomes = await client().track([DELIVERED]);
    expect(outcomes.get(DELIVERED)).toMatchObject({
      kind: 'found',
      result: {
        carrier: 'ups',
        trackingNumber: DELIVERED,
        status: 'delivered',
        deliveredAt: '2022-01-26T21:30:00.000Z',
      },
    });

    const [tokenRequest] = ups.server.requestsTo(TOKEN);
    expect(tokenRequest!.body).toBe('grant_type=client_credentials');
    expect(tokenRequest!.headers.accept).toBe('application/json');

    const [track] = ups.trackRequests(DELIVERED);
    expect(Object.fromEntries(track!.query)).toEqual({
      locale: 'en_US',
      returnSignature: 'false',
      returnMilestones: 'false',
      returnPOD: 'false',
    });
    expect(track!.headers.authorization).toBe('Bearer ups-token-1');
    expect(track!.headers.transactionsrc).toBe('waymark');
    expect(track!.headers.transid).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends a new transId with every request', async () => {
    const ups1 = client();
    await ups1.track([DELIVERED]);
    await ups1.track([DELIVERED]);
    const [first, second] = ups.trackRequests(DELIVERED).map((r) => r.headers.transid);
    expect(first).not.toBe(second);
  });

  it('caches the token across calls and renews it when it is about to expire', async () => {
    let now = Date.parse('2026-11-26T10:00:00Z');
    ups.expiresIn = '120';
    const tracker = client({ now: () => now });
    await tracker.track([DELIVERED]);
    await tracker.track([NOT_FOUND]);
    expect(ups.server.requestsTo(TOKEN)).toHaveLength(1);

    // 120 s token, renewed a minute before it ends.
    now += 61_000;
    await tracker.track([DELIVERED]);
    expect(ups.server.requestsTo(TOKEN)).toHaveLength(2);
    expect(ups.trackRequests(DELIVERED).map((r) => r.headers.authorization)).toEqual([
      'Bearer ups-token-1',
      'Bearer ups-token-2',
    ]);
  });

  it('a 401 mid-run drops the token and retries once with a new one', async () => {
    const tracker = client();
    await tracker.track([DELIVERED]);
    ups.revokeAll();
    const outcomes = await tracker.track([DELIVERED]);
    expect(outcomes.get(DELIVERED)?.kind).toBe('found');
    expect(ups.server.requestsTo(TOKEN)).toHaveLength(2);
    expect(ups.trackRequests(DELIVERED).map((r) => r.headers.authorization)).toEqual([
      'Bearer ups-token-1',
      'Bearer ups-token-1',
      'Bearer ups-token-2',
    ]);
  });

  it('a second 401 in a row is upstream_auth_failed (no loop)', async () => {
    ups.server.queue(
      trackRoute(DELIVERED),
      { status: 401, body: fixture('auth_error_250003.json') },
      {
        status: 401,
        body: fixture('auth_error_250003.json'),
      },
    );
    const error = await rejection(client().track([DELIVERED]));
    expect(error.code).toBe('upstream_auth_failed');
    expect(ups.trackRequests(DELIVERED)).toHaveLength(2);
    expect(ups.server.requestsTo(TOKEN)).toHaveLength(2);
  });

  it('refused client credentials are upstream_auth_failed before any track request', async () => {
    const error = await rejection(
      client({ credentials: { clientId: 'wrong', clientSecret: 'wrong' } }).track([DELIVERED]),
    );
    expect(error.code).toBe('upstream_auth_failed');
    expect(ups.trackRequests(DELIVERED)).toHaveLength(0);
  });

  it('429 with Retry-After: upstream_rate_limited with retryAfterMs, and the next call waits', async () => {
    const tracker = client();
    ups.server.queue(trackRoute(DELIVERED), {
      status: 429,
      headers: { 'retry-after': '1' },
      body: 'Too Many Requests',
    });
    const error = await rejection(tracker.track([DELIVERED]));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details?.retryAfterMs).toBe(1000);

    const started = Date.now();
    await tracker.track([DELIVERED]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('503 → upstream_unavailable', async () => {
    ups.server.queue(trackRoute(DELIVERED), {
      status: 503,
      body: { response: { errors: [{ code: '10002', message: 'Service unavailable' }] } },
    });
    expect((await rejection(client().track([DELIVERED]))).code).toBe('upstream_unavailable');
  });

  it('an answer slower than timeoutMs → upstream_unavailable', async () => {
    const tracker = client({ timeoutMs: 200 });
    await tracker.track([NOT_FOUND]);
    ups.server.queue(trackRoute(DELIVERED), { delayMs: 500, body: fixture('delivered.json') });
    const error = await rejection(tracker.track([DELIVERED]));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 200 ms/);
  });

  it('malformed JSON → upstream_invalid_response', async () => {
    ups.server.queue(trackRoute(DELIVERED), { status: 200, body: '<html>Service Temporarily Unavailable' });
    expect((await rejection(client().track([DELIVERED]))).code).toBe('upstream_invalid_response');
  });

  it('JSON of the wrong shape → upstream_invalid_response', async () => {
    ups.server.queue(trackRoute(DELIVERED), { body: { trackResponse: { shipment: 'nope' } } });
    const error = await rejection(client().track([DELIVERED]));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/^UPS track answer has an unexpected shape at trackResponse\.shipment/);
  });

  it('a dropped connection → upstream_unavailable', async () => {
    ups.server.queue(trackRoute(DELIVERED), { destroy: true });
    expect((await rejection(client().track([DELIVERED]))).code).toBe('upstream_unavailable');
  });

  it('not found: HTTP 200 with TW0001, and HTTP 404 with TW0001, are not_found_yet', async () => {
    const tracker = client();
    expect((await tracker.track([NOT_FOUND])).get(NOT_FOUND)).toEqual({
      kind: 'not_found_yet',
      trackingNumber: NOT_FOUND,
      message: 'Tracking Information Not Found',
    });
    ups.answer('1ZW2A7350398766007', fixture('own_not_found_TW0001_http404.json'), 404);
    expect((await tracker.track(['1ZW2A7350398766007'])).get('1ZW2A7350398766007')).toMatchObject({
      kind: 'not_found_yet',
    });
  });

  it('invalid number: HTTP 400 TV1002 → invalid_number; garbage never leaves', async () => {
    ups.answer('1Z12345', fixture('invalid_inquiry_number_TV1002.json'), 400);
    const tracker = client();
    expect((await tracker.track(['1Z12345'])).get('1Z12345')).toEqual({
      kind: 'invalid_number',
      trackingNumber: '1Z12345',
      message: 'TV1002 Invalid inquiry number',
    });
    const garbage = 'abc/../../x';
    expect((await tracker.track([garbage])).get(garbage)).toMatchObject({ kind: 'invalid_number' });
    expect(ups.server.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('an auth error body on HTTP 400 is still upstream_auth_failed', async () => {
    ups.answer('1ZAUTH', fixture('auth_error_250003.json'), 400);
    expect((await rejection(client().track(['1ZAUTH']))).code).toBe('upstream_auth_failed');
  });

  it('keys the outcome by the number as asked, and asks UPS for it without spaces', async () => {
    const asked = '1z 1442 yy72 2901 4688';
    const outcomes = await client().track([asked]);
    expect([...outcomes.keys()]).toEqual([asked]);
    expect(outcomes.get(asked)?.kind).toBe('found');
    expect(ups.trackRequests(DELIVERED)).toHaveLength(1);
  });

  it('multi-piece answer: the package asked for, else the first package of the shipment', async () => {
    const body = fixture('own_multi_piece_in_transit.json');
    ups.answer('1ZW2A7350398765008', body).answer('1ZW2A7350312345006', body);
    const tracker = client();
    const second = (await tracker.track(['1ZW2A7350398765008'])).get('1ZW2A7350398765008');
    expect(second).toMatchObject({ kind: 'found', result: { trackingNumber: '1ZW2A7350398765008' } });
    const lead = (await tracker.track(['1ZW2A7350312345006'])).get('1ZW2A7350312345006');
    expect(lead).toMatchObject({ kind: 'found', result: { trackingNumber: '1ZW2A7350312345006' } });
  });

  it('passes unmapped codes to onUnmappedCode', async () => {
    ups.answer('1ZA1B2C3D4E5F6G003', fixture('own_unmapped_codes.json'));
    const onUnmappedCode = vi.fn();
    await client({ onUnmappedCode }).track(['1ZA1B2C3D4E5F6G003']);
    expect(onUnmappedCode.mock.calls).toEqual([['ZZ'], ['150']]);
  });

  it('batching: one number per call; duplicates collapse; nothing asked, nothing sent', async () => {
    const tracker = client();
    const error = await rejection(tracker.track([DELIVERED, NOT_FOUND]));
    expect(error.code).toBe('invalid_input');
    expect(ups.server.requests).toHaveLength(0);

    expect((await tracker.track([])).size).toBe(0);
    expect(ups.server.requests).toHaveLength(0);

    const outcomes = await tracker.track([DELIVERED, DELIVERED]);
    expect(outcomes.size).toBe(1);
    expect(ups.trackRequests(DELIVERED)).toHaveLength(1);
  });

  it('opens the circuit after repeated 503s, and then no request leaves', async () => {
    const tracker = client({ circuit: { failureThreshold: 3, openMs: 60_000 } });
    ups.server.queue(trackRoute(DELIVERED), { status: 503 }, { status: 503 }, { status: 503 });
    for (let i = 0; i < 3; i += 1) {
      expect((await rejection(tracker.track([DELIVERED]))).code).toBe('upstream_unavailable');
    }
    const before = ups.server.requests.length;
    const error = await rejection(tracker.track([DELIVERED]));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.details?.circuit).toBe('open');
    expect(ups.server.requests.length).toBe(before);
  });

  it('the circuit closes again after openMs on a good probe', async () => {
    let now = Date.parse('2026-11-26T10:00:00Z');
    const tracker = client({ circuit: { failureThreshold: 2, openMs: 30_000 }, now: () => now });
    ups.server.queue(trackRoute(DELIVERED), { status: 503 }, { status: 503 });
    await rejection(tracker.track([DELIVERED]));
    await rejection(tracker.track([DELIVERED]));
    expect((await rejection(tracker.track([DELIVERED]))).details?.circuit).toBe('open');
    now += 30_000;
    expect((await tracker.track([DELIVERED])).get(DELIVERED)?.kind).toBe('found');
  });
});
