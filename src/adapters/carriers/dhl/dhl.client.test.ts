import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import type { HttpExchange } from '../shared/carrier-http.js';
import {
  createDhlClient,
  DHL_PRODUCTION_BASE_URL,
  DHL_STARTER_RATE_PER_SECOND,
  rateLimitResetMs,
  toDhlService,
  type DhlClientOptions,
} from './dhl.client.js';

const ROUTE = 'GET /track/shipments';
const API_KEY = 'test-consumer-key';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

/** Which fixture the fake DHL answers for which number. */
const ANSWERS: Record<string, string> = {
  '4837261950': 'express_delivered_two_pieces.json',
  JD014600003827461902: 'express_delivered_two_pieces.json',
  '7391046285': 'express_held_for_payment_no_offsets.json',
  '6632190458': 'two_shipments_same_number.json',
  '9910023847': 'express_unmapped_codes.json',
  '00340434188200000024': 'parcel_de_packstation_pickup.json',
};

/** Behaves like the Unified API: key check, one number per call, 404 / 400 problem bodies. */
function dhlLike(request: RecordedRequest): FakeAnswer {
  if (request.headers['dhl-api-key'] !== API_KEY) {
    return { status: 401, body: { status: 401, title: 'Unauthorized', detail: 'Unauthorized for given resource.' } };
  }
  const number = request.query.get('trackingNumber') ?? '';
  if (!/^[A-Z0-9]{6,35}$/i.test(number)) {
    return {
      status: 400,
      headers: { 'content-type': 'application/problem+json' },
      body: { title: 'Invalid tracking number', status: 400, detail: 'The tracking number is not valid.' },
    };
  }
  const name = ANSWERS[number];
  if (!name) {
    return {
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: {
        title: 'No result found',
        detail: 'No shipment with given tracking number found.',
        status: 404,
        instance: `/shipment/${number}`,
      },
    };
  }
  return { status: 200, body: fixture(name) };
}

let server: FakeHttpServer;

beforeEach(async () => {
  server = await new FakeHttpServer().on(ROUTE, dhlLike).start();
});

afterEach(async () => {
  await server.stop();
});

/**
 * Calls that should succeed get a roomy timeout so a busy machine cannot fail
 * them; the slow-answer test sets its own small one.
 */
const TIMEOUT_MS = 2_000;

function client(overrides: Partial<DhlClientOptions> = {}) {
  return createDhlClient({
    apiKey: API_KEY,
    baseUrl: server.url,
    timeoutMs: TIMEOUT_MS,
    ratePerSecond: 1000,
    ...overrides,
  });
}

/** A clock the rate limiter's sleep advances, so pauses are seen without waiting for them. */
function fakeClock(start = 1_750_000_000_000) {
  const clock = { now: start, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
  };
}

describe('request', () => {
  it('GET /track/shipments with the DHL-API-Key header, the number, the service and language=en', async () => {
    const outcomes = await client().track(['4837261950'], { serviceHint: 'express' });
    const [request] = server.requestsTo(ROUTE);
    expect(request!.method).toBe('GET');
    expect(request!.headers['dhl-api-key']).toBe(API_KEY);
    expect(request!.headers.accept).toBe('application/json');
    expect(Object.fromEntries(request!.query)).toEqual({
      trackingNumber: '4837261950',
      service: 'express',
      language: 'en',
    });
    expect(outcomes.get('4837261950')).toMatchObject({
      kind: 'found',
      result: { carrier: 'dhl', trackingNumber: '4837261950', status: 'delivered', signedBy: 'HUBER' },
    });
  });

  it('sends no service without a hint, and a normalised one with a loose hint', async () => {
    const dhl = client();
    await dhl.track(['4837261950']);
    await dhl.track(['4837261950'], { serviceHint: 'DHL Paket' });
    await dhl.track(['4837261950'], { serviceHint: 'not a service!' });
    const services = server.requestsTo(ROUTE).map((request) => request.query.get('service'));
    expect(services).toEqual([null, 'parcel-de', null]);
  });

  it('strips spaces from the number but answers under the number as asked', async () => {
    const outcomes = await client().track(['4837 2619 50']);
    expect(server.requestsTo(ROUTE)[0]!.query.get('trackingNumber')).toBe('4837261950');
    expect(outcomes.get('4837 2619 50')).toMatchObject({ kind: 'found', result: { trackingNumber: '4837 2619 50' } });
  });

  it('a piece ID answers with its shipment, keyed by the piece ID', async () => {
    const outcomes = await client().track(['JD014600003827461902']);
    expect(outcomes.get('JD014600003827461902')).toMatchObject({
      kind: 'found',
      result: { trackingNumber: 'JD014600003827461902', status: 'delivered' },
    });
  });

  it('picks the hinted business when several answer for one number', async () => {
    const dhl = client();
    const hinted = await dhl.track(['6632190458'], { serviceHint: 'express' });
    const unhinted = await dhl.track(['6632190458']);
    expect(hinted.get('6632190458')).toMatchObject({ result: { status: 'delivered', service: 'EXPRESS WORLDWIDE' } });
    expect(unhinted.get('6632190458')).toMatchObject({ result: { status: 'info_received', service: 'DHL PAKET' } });
  });

  it('passes unmapped codes to onUnmappedCode', async () => {
    const onUnmappedCode = vi.fn();
    await client({ onUnmappedCode }).track(['9910023847']);
    expect(onUnmappedCode.mock.calls).toEqual([['ZQ'], ['on-hold']]);
  });

  it('uses the production URL by default', async () => {
    const seen: string[] = [];
    const exchange: HttpExchange = (request) => {
      seen.push(request.url);
      return Promise.resolve({
        status: 404,
        headers: new Headers(),
        text: JSON.stringify({ title: 'No result found', status: 404, detail: 'No shipment found.' }),
      });
    };
    await createDhlClient({ apiKey: API_KEY, exchange }).track(['1234567890']);
    expect(seen).toEqual([`${DHL_PRODUCTION_BASE_URL}/track/shipments?trackingNumber=1234567890&language=en`]);
  });
});

describe('success-path outcomes', () => {
  it('404 problem → not_found_yet with DHL’s detail', async () => {
    const outcomes = await client().track(['5550001111']);
    expect(outcomes.get('5550001111')).toEqual({
      kind: 'not_found_yet',
      trackingNumber: '5550001111',
      message: 'No shipment with given tracking number found.',
    });
  });

  it('400 problem → invalid_number', async () => {
    const outcomes = await client().track(['12-34']);
    expect(outcomes.get('12-34')).toEqual({
      kind: 'invalid_number',
      trackingNumber: '12-34',
      message: 'The tracking number is not valid.',
    });
  });

  it('200 with no shipment → not_found_yet', async () => {
    server.queue(ROUTE, { status: 200, body: { shipments: [] } });
    expect((await client().track(['4837261950'])).get('4837261950')).toMatchObject({ kind: 'not_found_yet' });
  });

  it('an empty number is invalid without a call', async () => {
    const outcomes = await client().track(['   ']);
    expect(outcomes.get('   ')).toMatchObject({ kind: 'invalid_number' });
    expect(server.requestsTo(ROUTE)).toHaveLength(0);
  });
});

describe('batching', () => {
  it('takes one number per call', () => {
    expect(client().maxBatchSize).toBe(1);
  });

  it('no numbers: no call', async () => {
    expect((await client().track([])).size).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('more than one number is refused before any call', async () => {
    await expect(client().track(['4837261950', '7391046285'])).rejects.toMatchObject({ code: 'invalid_input' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('failures of the call', () => {
  it('401: upstream_auth_failed, and no retry (there is no token to refresh)', async () => {
    await expect(client({ apiKey: 'wrong-key' }).track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_auth_failed',
      details: { status: 401 },
    });
    expect(server.requestsTo(ROUTE)).toHaveLength(1);
  });

  it('403: upstream_auth_failed', async () => {
    server.queue(ROUTE, { status: 403, body: { status: 403, title: 'Forbidden' } });
    await expect(client().track(['4837261950'])).rejects.toMatchObject({ code: 'upstream_auth_failed' });
  });

  it('429 with Retry-After: upstream_rate_limited with retryAfterMs, and the next call waits that long', async () => {
    const { clock, now, sleep } = fakeClock();
    const dhl = client({ now, sleep });
    server.queue(ROUTE, {
      status: 429,
      headers: { 'retry-after': '7', 'ratelimit-limit': '250', 'ratelimit-remaining': '0' },
      body: { status: 429, title: 'Too many requests' },
    });
    await expect(dhl.track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      details: { status: 429, retryAfterMs: 7000, limit: 250, remaining: 0 },
    });
    const outcomes = await dhl.track(['4837261950']);
    expect(clock.sleeps).toEqual([7000]);
    expect(outcomes.get('4837261950')).toMatchObject({ kind: 'found' });
    expect(server.requestsTo(ROUTE)).toHaveLength(2);
  });

  it('429 without Retry-After: the wait comes from RateLimit-Reset', async () => {
    server.queue(ROUTE, { status: 429, headers: { 'ratelimit-reset': '30' }, body: { status: 429 } });
    await expect(client().track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      details: { retryAfterMs: 30_000 },
    });
  });

  it('a spent quota (RateLimit-Remaining: 0) pauses the next call until the reset, before any 429', async () => {
    const { clock, now, sleep } = fakeClock();
    const dhl = client({ now, sleep });
    server.queue(ROUTE, (request) => ({
      ...dhlLike(request),
      headers: { 'ratelimit-limit': '250', 'ratelimit-remaining': '0', 'ratelimit-reset': '120' },
    }));
    await dhl.track(['4837261950']);
    expect(clock.sleeps).toEqual([]);
    await dhl.track(['4837261950']);
    expect(clock.sleeps).toEqual([120_000]);
  });

  it('503: upstream_unavailable', async () => {
    server.queue(ROUTE, { status: 503, body: 'Service Unavailable' });
    await expect(client().track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_unavailable',
      details: { status: 503 },
    });
  });

  it('an answer slower than timeoutMs: upstream_unavailable', async () => {
    server.queue(ROUTE, { delayMs: 600, body: fixture('express_delivered_two_pieces.json') });
    await expect(client({ timeoutMs: 100 }).track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_unavailable',
      message: expect.stringMatching(/within 100 ms/) as unknown,
    });
  });

  it('a dropped connection: upstream_unavailable', async () => {
    server.queue(ROUTE, { destroy: true });
    await expect(client().track(['4837261950'])).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('malformed JSON: upstream_invalid_response', async () => {
    server.queue(ROUTE, { status: 200, body: '{"shipments": [' });
    await expect(client().track(['4837261950'])).rejects.toMatchObject({ code: 'upstream_invalid_response' });
  });

  it('JSON of the wrong shape: upstream_invalid_response naming the field', async () => {
    server.queue(ROUTE, { status: 200, body: { shipments: [{ id: '4837261950', events: [{ status: 'PU' }] }] } });
    await expect(client().track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_invalid_response',
      message: expect.stringMatching(/shipments\.0\.events\.0\.timestamp/) as unknown,
    });
  });

  it('a 404 that is not DHL’s problem body (wrong baseUrl, proxy page): upstream_invalid_response', async () => {
    server.queue(ROUTE, { status: 404, body: '<html>Not Found</html>' });
    await expect(client().track(['5550001111'])).rejects.toMatchObject({ code: 'upstream_invalid_response' });
    server.queue(ROUTE, { status: 404, body: { error: 'route not found' } });
    await expect(client().track(['5550001111'])).rejects.toMatchObject({ code: 'upstream_invalid_response' });
  });

  it('an unexpected status: upstream_invalid_response', async () => {
    server.queue(ROUTE, { status: 418, body: { status: 418, title: "I'm a teapot" } });
    await expect(client().track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_invalid_response',
      details: { status: 418 },
    });
  });

  it('repeated 503s open the circuit: then no request leaves', async () => {
    const { now, sleep } = fakeClock();
    const dhl = client({ now, sleep });
    server.on(ROUTE, () => ({ status: 503, body: 'down' }));
    for (let i = 0; i < 5; i += 1) {
      await expect(dhl.track(['4837261950'])).rejects.toMatchObject({ code: 'upstream_unavailable' });
    }
    expect(server.requestsTo(ROUTE)).toHaveLength(5);
    await expect(dhl.track(['4837261950'])).rejects.toMatchObject({
      code: 'upstream_unavailable',
      details: { circuit: 'open' },
    });
    expect(server.requestsTo(ROUTE)).toHaveLength(5);
  });

  it('not-found and invalid answers do not count towards opening the circuit', async () => {
    const dhl = client();
    for (let i = 0; i < 8; i += 1) await dhl.track(['5550001111']);
    expect((await dhl.track(['4837261950'])).get('4837261950')).toMatchObject({ kind: 'found' });
  });
});

describe('rate limit', () => {
  it('defaults to the Starter plan: 250 calls a day, one every 345.6 s', async () => {
    const { clock, now, sleep } = fakeClock();
    const dhl = createDhlClient({ apiKey: API_KEY, baseUrl: server.url, timeoutMs: TIMEOUT_MS, now, sleep });
    expect(DHL_STARTER_RATE_PER_SECOND * 86_400).toBeCloseTo(250);
    await dhl.track(['4837261950']);
    await dhl.track(['4837261950']);
    expect(clock.sleeps).toEqual([345_600]);
  });

  it('RateLimit-Reset as delta seconds or as an epoch time', () => {
    const nowMs = 1_750_000_000_000;
    expect(rateLimitResetMs(new Headers({ 'ratelimit-reset': '42' }), nowMs)).toBe(42_000);
    expect(rateLimitResetMs(new Headers({ 'x-ratelimit-reset': String(nowMs / 1000 + 60) }), nowMs)).toBe(60_000);
    expect(rateLimitResetMs(new Headers({ 'ratelimit-reset': '15;w=86400' }), nowMs)).toBe(15_000);
    expect(rateLimitResetMs(new Headers(), nowMs)).toBeNull();
    expect(rateLimitResetMs(new Headers({ 'ratelimit-reset': 'soon' }), nowMs)).toBeNull();
  });
});

describe('options are checked at construction', () => {
  it.each<[string, Partial<DhlClientOptions>, RegExp]>([
    ['an empty key', { apiKey: '  ' }, /apiKey is required/],
    ['a missing key', { apiKey: undefined }, /apiKey is required/],
    ['a baseUrl that is not http(s)', { baseUrl: 'ftp://dhl.example' }, /baseUrl/],
    ['a baseUrl that is no URL', { baseUrl: 'api-eu.dhl.com' }, /baseUrl/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
    ['an infinite rate', { ratePerSecond: Number.POSITIVE_INFINITY }, /ratePerSecond/],
  ])('refuses %s', (_label, overrides, message) => {
    expect(() => createDhlClient({ apiKey: API_KEY, ...overrides })).toThrow(message);
    try {
      createDhlClient({ apiKey: API_KEY, ...overrides });
    } catch (error) {
      expect(error).toMatchObject({ code: 'config_invalid' });
    }
  });

  it('accepts a baseUrl with a trailing slash', async () => {
    await client({ baseUrl: `${server.url}/` }).track(['4837261950']);
    expect(server.requestsTo(ROUTE)).toHaveLength(1);
  });
});

describe('toDhlService', () => {
  it.each([
    ['express', 'express'],
    ['DHL Express', 'express'],
    ['dhl_express', 'express'],
    ['DHL Paket', 'parcel-de'],
    ['parcel-de', 'parcel-de'],
    ['DHL eCommerce', 'ecommerce'],
    ['ecommerce-europe', 'ecommerce-europe'],
    ['Freight', 'freight'],
    ['', null],
    [null, null],
    [undefined, null],
    ['express; drop table', null],
    // not (yet) a service DHL accepts: dropped rather than risking a 400 that reads as "invalid number"
    ['ecommerce-global', null],
  ])('%s → %s', (hint, service) => {
    expect(toDhlService(hint)).toBe(service);
  });
});
