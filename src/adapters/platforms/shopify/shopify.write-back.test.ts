import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../../core/errors.js';
import {
  SHIPPING_STATUSES,
  SUBSTATUSES,
  isSubstatusAllowedUnder,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  DOCUMENTED_FULFILLMENT_EVENT_ENUM,
  FAKE_SHOPIFY_VERSIONS,
  FakeShopify,
} from '../../../test-support/fake-shopify.js';
import type { FakeAnswer } from '../../../test-support/fake-http-server.js';
import type { HttpRequest } from '../../carriers/shared/carrier-http.js';
import { SHOPIFY_DEFAULT_API_VERSION } from './shopify.client.js';
import {
  createShopifyWriteBack,
  SHOPIFY_FULFILLMENT_EVENT_STATUSES,
  shopifyEstimatedDeliveryAt,
  shopifyFulfillmentEventStatusesFor,
  statusForVersion,
  type ShopifyWriteBack,
  type ShopifyWriteBackEvent,
  type ShopifyWriteBackOptions,
} from './shopify.write-back.js';

const TOKEN = 'shpat_waymark_writeback_token';
const FULFILLMENT_ID = '5100000000301';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

const DOCUMENTED_ENUM = DOCUMENTED_FULFILLMENT_EVENT_ENUM;
const VERSIONS = FAKE_SHOPIFY_VERSIONS;

let shopify: FakeShopify;
let clock: number;
let sleeps: number[];

beforeEach(async () => {
  shopify = await new FakeShopify(TOKEN, [FULFILLMENT_ID]).start();
  clock = Date.parse('2025-05-02T12:00:00Z');
  sleeps = [];
});

afterEach(async () => {
  await shopify.server.stop();
});

function writeBack(overrides: Partial<ShopifyWriteBackOptions> = {}): ShopifyWriteBack {
  return createShopifyWriteBack({
    credentials: { accessToken: TOKEN },
    baseUrl: shopify.url,
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

function event(overrides: Partial<ShopifyWriteBackEvent> = {}): ShopifyWriteBackEvent {
  return {
    fulfillmentExternalId: FULFILLMENT_ID,
    status: 'out_for_delivery',
    substatus: 'out_for_delivery',
    happenedAt: '2025-05-02T09:15:00+02:00',
    message: ' Out for delivery with the courier ',
    estimatedDeliveryAt: '2025-05-02T18:00:00Z',
    location: { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', postalCode: '69002', country: 'FR' },
    ...overrides,
  };
}

describe('statusForVersion (the mapping table)', () => {
  type Row = [ShippingStatus, Substatus | null, Record<'2024-10' | '2025-01' | '2025-10' | 'unstable', string | null>];
  const same = (value: string | null): Row[2] => ({
    '2024-10': value,
    '2025-01': value,
    '2025-10': value,
    unstable: value,
  });
  it.each<Row>([
    ['pending', 'registered', same(null)],
    ['pending', null, same(null)],
    ['info_received', 'label_created', same('LABEL_PURCHASED')],
    ['info_received', 'label_printed', same('LABEL_PRINTED')],
    ['info_received', 'awaiting_carrier_pickup', same('LABEL_PURCHASED')],
    ['info_received', 'carrier_pickup_failed', same('LABEL_PURCHASED')],
    ['info_received', null, same('LABEL_PURCHASED')],
    [
      'in_transit',
      'picked_up',
      {
        '2024-10': 'IN_TRANSIT',
        '2025-01': 'IN_TRANSIT',
        '2025-10': 'CARRIER_PICKED_UP',
        unstable: 'CARRIER_PICKED_UP',
      },
    ],
    ['in_transit', 'arrived_at_facility', same('IN_TRANSIT')],
    ['in_transit', 'customs_processing', same('IN_TRANSIT')],
    ['in_transit', 'problem_resolved', same('IN_TRANSIT')],
    ['in_transit', null, same('IN_TRANSIT')],
    ['out_for_delivery', 'out_for_delivery', same('OUT_FOR_DELIVERY')],
    ['out_for_delivery', 'appointment_scheduled', same('OUT_FOR_DELIVERY')],
    ['available_for_pickup', 'in_parcel_locker', same('READY_FOR_PICKUP')],
    ['available_for_pickup', 'ready_at_post_office', same('READY_FOR_PICKUP')],
    ['attempt_failed', 'recipient_unavailable', same('ATTEMPTED_DELIVERY')],
    ['attempt_failed', 'refused', same('ATTEMPTED_DELIVERY')],
    ['delivered', 'delivered', same('DELIVERED')],
    ['delivered', 'delivered_safe_place', same('DELIVERED')],
    [
      'delivered',
      'collected_from_pickup_point',
      { '2024-10': 'DELIVERED', '2025-01': 'DELIVERED', '2025-10': 'DELIVERED', unstable: 'PICKED_UP' },
    ],
    [
      'exception',
      'delayed',
      { '2024-10': 'IN_TRANSIT', '2025-01': 'DELAYED', '2025-10': 'DELAYED', unstable: 'DELAYED' },
    ],
    [
      'exception',
      'delayed_weather',
      { '2024-10': 'IN_TRANSIT', '2025-01': 'DELAYED', '2025-10': 'DELAYED', unstable: 'DELAYED' },
    ],
    [
      'exception',
      'customs_hold',
      { '2024-10': 'IN_TRANSIT', '2025-01': 'DELAYED', '2025-10': 'DELAYED', unstable: 'DELAYED' },
    ],
    [
      'exception',
      'address_issue',
      { '2024-10': null, '2025-01': 'DELAYED', '2025-10': 'DELAYED', unstable: 'DELAYED' },
    ],
    [
      'exception',
      'held_by_carrier',
      { '2024-10': null, '2025-01': 'DELAYED', '2025-10': 'DELAYED', unstable: 'DELAYED' },
    ],
    [
      'exception',
      'exception_other',
      { '2024-10': null, '2025-01': 'DELAYED', '2025-10': 'DELAYED', unstable: 'DELAYED' },
    ],
    ['return_to_sender', 'returning', same(null)],
    ['return_to_sender', 'returned', same(null)],
    ['failure', 'lost', same('FAILURE')],
    ['failure', 'undeliverable', same('FAILURE')],
    ['cancelled', 'label_voided', same('FAILURE')],
    ['cancelled', 'cancelled_before_pickup', same('FAILURE')],
    ['expired', 'no_updates_timeout', same(null)],
    ['unknown', 'unmapped_carrier_status', same(null)],
  ])('%s / %s', (status, substatus, expected) => {
    for (const [version, value] of Object.entries(expected)) {
      expect(statusForVersion(status, substatus, version), version).toBe(value);
    }
  });

  it('ignores a substatus that does not belong under the status', () => {
    // picked_up is an in_transit substatus: under exception it says nothing.
    expect(statusForVersion('exception', 'picked_up', '2025-10')).toBe('DELAYED');
    expect(statusForVersion('exception', 'picked_up', '2024-10')).toBeNull();
    expect(statusForVersion('delivered', 'label_printed', '2025-01')).toBe('DELIVERED');
  });

  it('only ever answers a value the version’s documented enum has, for every status and substatus', () => {
    for (const version of VERSIONS) {
      for (const status of SHIPPING_STATUSES) {
        for (const substatus of [null, ...SUBSTATUSES.filter((s) => isSubstatusAllowedUnder(s, status))]) {
          const chosen = statusForVersion(status, substatus, version);
          if (chosen !== null) expect(DOCUMENTED_ENUM[version], `${version} ${status}/${substatus}`).toContain(chosen);
        }
      }
    }
  });

  it('never writes CONFIRMED (Shopify’s “nothing better is known”)', () => {
    for (const status of SHIPPING_STATUSES) {
      for (const substatus of [null, ...SUBSTATUSES]) {
        expect(statusForVersion(status, substatus, 'unstable')).not.toBe('CONFIRMED');
      }
    }
  });

  it.each([
    ['2023-01', 9],
    ['2024-10', 9],
    ['2025-01', 10],
    ['2025-07', 10],
    ['2025-10', 11],
    ['2027-04', 11],
    ['unstable', 12],
    ['2022-10', 0],
  ])('API %s accepts %i statuses', (version, count) => {
    expect(shopifyFulfillmentEventStatusesFor(version).size).toBe(count);
  });

  it('agrees with the documented enum of every version it was checked against', () => {
    for (const version of VERSIONS) {
      expect([...shopifyFulfillmentEventStatusesFor(version)].sort(), version).toEqual(
        [...(DOCUMENTED_ENUM[version] ?? [])].sort(),
      );
    }
    expect([...SHOPIFY_FULFILLMENT_EVENT_STATUSES].sort()).toEqual([...(DOCUMENTED_ENUM.unstable ?? [])].sort());
  });

  it('writes nothing to a version before fulfillmentEventCreate existed', () => {
    expect(statusForVersion('delivered', 'delivered', '2022-10')).toBeNull();
  });

  it.each(['2025-02', 'latest', '', '25-01'])('refuses the API version "%s"', (version) => {
    let error: unknown;
    try {
      statusForVersion('delivered', 'delivered', version);
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('invalid_input');
  });
});

describe('shopifyEstimatedDeliveryAt', () => {
  it.each<[string | null, string | null]>([
    ['2025-05-03', '2025-05-03T12:00:00.000Z'],
    ['2025-05-03T17:00:00-04:00', '2025-05-03T21:00:00.000Z'],
    ['2025-05-03T17:00:00', null],
    ['soon', null],
    ['', null],
    [null, null],
  ])('%s → %s', (value, expected) => {
    expect(shopifyEstimatedDeliveryAt(value)).toBe(expected);
  });
});

describe('createShopifyWriteBack options', () => {
  it.each([
    ['no access token', { credentials: {} }, /credentials\.accessToken/],
    ['no domain and no baseUrl', { baseUrl: undefined, domain: undefined }, /domain/],
    ['a custom storefront domain', { baseUrl: undefined, domain: 'shop.example.com' }, /myshopify\.com/],
    ['a base URL that is not one', { baseUrl: 'not a url' }, /baseUrl/],
    ['an API version that is not a release', { apiVersion: '2025-02' }, /apiVersion/],
    ['an API version without fulfillmentEventCreate', { apiVersion: '2022-10' }, /fulfillmentEventCreate/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
  ])('rejects %s at construction', (_label, overrides, message) => {
    let error: unknown;
    try {
      createShopifyWriteBack({ credentials: { accessToken: TOKEN }, baseUrl: 'http://127.0.0.1:1', ...overrides });
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('config_invalid');
    expect((error as Error).message).toMatch(message);
  });

  it('posts to https://{shop}.myshopify.com/admin/api/{version}/graphql.json with the access token', async () => {
    const sent: HttpRequest[] = [];
    const client = createShopifyWriteBack({
      credentials: { accessToken: TOKEN },
      domain: 'https://Waymark-Test.myshopify.com/',
      apiVersion: '2025-10',
      exchange: (request) => {
        sent.push(request);
        return Promise.resolve({
          status: 200,
          headers: new Headers(),
          text: JSON.stringify(fixture('own_writeback_created.json')),
        });
      },
    });
    expect(client.apiVersion).toBe('2025-10');
    expect(await client.postFulfillmentEvent(event())).toEqual({
      posted: true,
      eventId: 'gid://shopify/FulfillmentEvent/9120000000451',
      shopifyStatus: 'OUT_FOR_DELIVERY',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      url: 'https://waymark-test.myshopify.com/admin/api/2025-10/graphql.json',
      method: 'POST',
      headers: { 'x-shopify-access-token': TOKEN, 'content-type': 'application/json' },
      timeoutMs: 10_000,
    });
  });

  it('defaults to the read client’s API version', () => {
    expect(writeBack().apiVersion).toBe(SHOPIFY_DEFAULT_API_VERSION);
    expect(writeBack().statusFor('exception', 'delayed')).toBe('DELAYED');
  });
});

describe('postFulfillmentEvent: the request', () => {
  it('sends fulfillmentEventCreate with the fulfilment gid, the mapped status and the event fields', async () => {
    const result = await writeBack().postFulfillmentEvent(
      event({
        location: { city: 'Lyon', region: 'ARA', postalCode: '69002', country: 'FR', latitude: 45.76, longitude: 4.83 },
      }),
    );
    expect(result).toEqual({
      posted: true,
      eventId: 'gid://shopify/FulfillmentEvent/9120000000001',
      shopifyStatus: 'OUT_FOR_DELIVERY',
    });

    const [recorded] = shopify.server.requestsTo(`POST /admin/api/${SHOPIFY_DEFAULT_API_VERSION}/graphql.json`);
    expect(recorded?.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(recorded?.headers['content-type']).toBe('application/json');
    const [request] = shopify.graphqlRequests();
    expect(request?.query).toMatch(/^mutation \w+\(\$fulfillmentEvent: FulfillmentEventInput!\)/);
    expect(request?.query).toMatch(/userErrors \{ field message \}/);
    expect(request?.variables).toEqual({
      fulfillmentEvent: {
        fulfillmentId: 'gid://shopify/Fulfillment/5100000000301',
        status: 'OUT_FOR_DELIVERY',
        happenedAt: '2025-05-02T07:15:00.000Z',
        message: 'Out for delivery with the courier',
        estimatedDeliveryAt: '2025-05-02T18:00:00.000Z',
        city: 'Lyon',
        province: 'ARA',
        zip: '69002',
        country: 'FR',
        latitude: 45.76,
        longitude: 4.83,
      },
    });
  });

  it('leaves out what it has nothing for, and takes a fulfilment gid as well as the numeric id', async () => {
    await writeBack().postFulfillmentEvent(
      event({
        fulfillmentExternalId: `gid://shopify/Fulfillment/${FULFILLMENT_ID}`,
        status: 'delivered',
        substatus: 'delivered',
        message: '   ',
        estimatedDeliveryAt: null,
        location: { city: null, region: '', postalCode: null, country: 'US', latitude: 120, longitude: 4 },
      }),
    );
    expect(shopify.graphqlRequests()[0]?.variables.fulfillmentEvent).toEqual({
      fulfillmentId: `gid://shopify/Fulfillment/${FULFILLMENT_ID}`,
      status: 'DELIVERED',
      happenedAt: '2025-05-02T07:15:00.000Z',
      country: 'US',
    });
  });

  it('sends a date-only estimated delivery as noon UTC, and drops one that is not a time', async () => {
    const client = writeBack();
    await client.postFulfillmentEvent(event({ estimatedDeliveryAt: '2025-05-03', location: null }));
    await client.postFulfillmentEvent(event({ estimatedDeliveryAt: 'next week', location: null }));
    const [first, second] = shopify.graphqlRequests();
    expect((first?.variables.fulfillmentEvent as Record<string, unknown>).estimatedDeliveryAt).toBe(
      '2025-05-03T12:00:00.000Z',
    );
    expect(second?.variables.fulfillmentEvent).not.toHaveProperty('estimatedDeliveryAt');
  });

  it.each(VERSIONS)('every mapped milestone is accepted by a %s shop', async (version) => {
    const client = writeBack({ apiVersion: version });
    for (const status of SHIPPING_STATUSES) {
      for (const substatus of SUBSTATUSES.filter((s) => isSubstatusAllowedUnder(s, status))) {
        const result = await client.postFulfillmentEvent(event({ status, substatus }));
        const expected = statusForVersion(status, substatus, version);
        if (expected === null)
          expect(result, `${status}/${substatus}`).toMatchObject({ posted: false, code: 'not_mapped' });
        else expect(result, `${status}/${substatus}`).toMatchObject({ posted: true, shopifyStatus: expected });
      }
    }
    expect(shopify.events.every((e) => e.version === version)).toBe(true);
  });

  it('does not call Shopify for a status that is not written back', async () => {
    const result = await writeBack().postFulfillmentEvent(
      event({ status: 'expired', substatus: 'no_updates_timeout' }),
    );
    expect(result).toEqual({
      posted: false,
      code: 'not_mapped',
      reason: `expired/no_updates_timeout is not written back to Shopify API ${SHOPIFY_DEFAULT_API_VERSION}`,
    });
    expect(shopify.server.requests).toHaveLength(0);
  });

  it.each<[string, Partial<ShopifyWriteBackEvent>, RegExp]>([
    ['a fulfilment id that is not one', { fulfillmentExternalId: 'F-1001' }, /fulfilment id/],
    ['an order gid', { fulfillmentExternalId: 'gid://shopify/Order/5100000000301' }, /fulfilment id/],
    ['a zero id', { fulfillmentExternalId: '0' }, /fulfilment id/],
    ['a time without a zone', { happenedAt: '2025-05-02T09:15:00' }, /happenedAt/],
    ['no time', { happenedAt: '' }, /happenedAt/],
  ])('refuses %s before calling Shopify', async (_label, overrides, message) => {
    const error = await failure(writeBack().postFulfillmentEvent(event(overrides)));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    expect(shopify.server.requests).toHaveLength(0);
  });
});

describe('postFulfillmentEvent: Shopify refuses the event', () => {
  const GRAPHQL = `POST /admin/api/${SHOPIFY_DEFAULT_API_VERSION}/graphql.json`;

  it('a fulfilment the shop does not have → not posted, fulfillment_not_found', async () => {
    const result = await writeBack().postFulfillmentEvent(event({ fulfillmentExternalId: '5100000000999' }));
    expect(result).toMatchObject({ posted: false, code: 'fulfillment_not_found' });
    expect(!result.posted && result.reason).toMatch(
      /gid:\/\/shopify\/Fulfillment\/5100000000999: Fulfillment does not exist/,
    );
  });

  it('the recorded not-found userError → fulfillment_not_found', async () => {
    shopify.server.queue(GRAPHQL, { body: fixture('own_writeback_user_error_not_found.json') });
    expect(await writeBack().postFulfillmentEvent(event())).toMatchObject({
      posted: false,
      code: 'fulfillment_not_found',
    });
  });

  it('a status the shop’s API version does not have → not posted, status_not_accepted, and the circuit stays closed', async () => {
    // A shop answering as 2024-10 while the store is configured for 2025-01 (a table out of date, say).
    shopify.server.queue(
      GRAPHQL,
      ...Array.from({ length: 6 }, () => ({ body: fixture('own_writeback_invalid_status.json') })),
    );
    const client = writeBack({ apiVersion: '2025-01' });
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const result = await client.postFulfillmentEvent(event({ status: 'exception', substatus: 'delayed' }));
      expect(result).toMatchObject({ posted: false, code: 'status_not_accepted' });
      expect(!result.posted && result.reason).toMatch(
        /does not accept status DELAYED: Expected "DELAYED" to be one of/,
      );
    }
    expect(shopify.server.requests).toHaveLength(6);
  });

  it.each<[string, { field: string[] | null; message: string }[], string]>([
    [
      'a userError on the status',
      [{ field: ['fulfillmentEvent', 'status'], message: 'Status is not valid' }],
      'status_not_accepted',
    ],
    [
      'a not-found userError without a field',
      [{ field: null, message: 'Fulfillment could not be found' }],
      'fulfillment_not_found',
    ],
    [
      'any other userError',
      [{ field: ['fulfillmentEvent', 'happenedAt'], message: 'Happened at is in the future' }],
      'rejected',
    ],
  ])('%s → %s', async (_label, userErrors, code) => {
    shopify.server.queue(GRAPHQL, {
      body: { data: { fulfillmentEventCreate: { fulfillmentEvent: null, userErrors } } },
    });
    const result = await writeBack().postFulfillmentEvent(event());
    expect(result).toMatchObject({ posted: false, code });
    expect(!result.posted && result.reason).toContain(userErrors[0]?.message);
  });

  it('a top-level RESOURCE_NOT_FOUND → fulfillment_not_found', async () => {
    shopify.server.queue(GRAPHQL, {
      body: {
        data: { fulfillmentEventCreate: null },
        errors: [{ message: 'Invalid id: gid://shopify/Fulfillment/1', extensions: { code: 'RESOURCE_NOT_FOUND' } }],
      },
    });
    expect(await writeBack().postFulfillmentEvent(event())).toMatchObject({
      posted: false,
      code: 'fulfillment_not_found',
    });
  });
});

describe('postFulfillmentEvent: throttling and failures', () => {
  const GRAPHQL = `POST /admin/api/${SHOPIFY_DEFAULT_API_VERSION}/graphql.json`;

  it('429 with Retry-After → upstream_rate_limited, and the next post waits it out', async () => {
    shopify.server.queue(GRAPHQL, {
      status: 429,
      headers: { 'retry-after': '2.0' },
      body: {
        errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
      },
    });
    const client = writeBack();
    const error = await failure(client.postFulfillmentEvent(event()));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details?.retryAfterMs).toBe(2000);
    expect(await client.postFulfillmentEvent(event())).toMatchObject({ posted: true });
    expect(sleeps).toEqual([2000]);
  });

  it('429 without Retry-After → upstream_rate_limited after Shopify’s default second', async () => {
    shopify.server.queue(GRAPHQL, { status: 429, body: { errors: 'Throttled' } });
    const error = await failure(writeBack().postFulfillmentEvent(event()));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details?.retryAfterMs).toBe(1000);
  });

  it('THROTTLED (HTTP 200) → upstream_rate_limited with retryAfterMs', async () => {
    shopify.server.queue(GRAPHQL, { body: fixture('own_writeback_throttled.json') });
    const error = await failure(writeBack().postFulfillmentEvent(event()));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details?.retryAfterMs).toBe(1000);
  });

  it('pauses before the next post when the bucket cannot pay for another', async () => {
    shopify.bucket = { maximumAvailable: 2000, currentlyAvailable: 4, restoreRate: 100 };
    const client = writeBack();
    await client.postFulfillmentEvent(event());
    await client.postFulfillmentEvent(event());
    // (10 requested − 4 available) / 100 per second.
    expect(sleeps).toEqual([60]);
  });

  it.each<[string, FakeAnswer, string]>([
    ['503', { status: 503, body: 'Service Unavailable' }, 'upstream_unavailable'],
    ['500', { status: 500, body: { errors: 'Internal Server Error' } }, 'upstream_unavailable'],
    ['a dropped connection', { destroy: true }, 'upstream_unavailable'],
    [
      'INTERNAL_SERVER_ERROR',
      { body: { errors: [{ message: 'oops', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } },
      'upstream_unavailable',
    ],
    ['malformed JSON', { body: '<html>not json' }, 'upstream_invalid_response'],
    ['JSON without data', { body: { extensions: {} } }, 'upstream_invalid_response'],
    [
      'a payload without userErrors',
      { body: { data: { fulfillmentEventCreate: { fulfillmentEvent: null } } } },
      'upstream_invalid_response',
    ],
    [
      'neither the event nor userErrors',
      { body: { data: { fulfillmentEventCreate: { fulfillmentEvent: null, userErrors: [] } } } },
      'upstream_invalid_response',
    ],
    [
      'an error about the query itself',
      { body: { errors: [{ message: 'Field does not exist', extensions: { code: 'undefinedField' } }] } },
      'upstream_invalid_response',
    ],
    ['an unexpected status', { status: 418, body: {} }, 'upstream_invalid_response'],
    ['401', { status: 401, body: { errors: '[API] Invalid API key or access token' } }, 'upstream_auth_failed'],
    ['403', { status: 403, body: { errors: 'Forbidden' } }, 'upstream_auth_failed'],
    ['402 (shop frozen)', { status: 402, body: { errors: 'Unavailable Shop' } }, 'upstream_auth_failed'],
    ['404 (no such shop)', { status: 404, body: { errors: 'Not Found' } }, 'upstream_auth_failed'],
    [
      'ACCESS_DENIED (no write_fulfillments scope)',
      {
        body: {
          errors: [
            {
              message:
                'Access denied for fulfillmentEventCreate field. Required access: `write_fulfillments` access scope.',
              extensions: { code: 'ACCESS_DENIED' },
            },
          ],
        },
      },
      'upstream_auth_failed',
    ],
  ])('%s → %s', async (_label, answer, code) => {
    shopify.server.queue(GRAPHQL, answer);
    const error = await failure(writeBack().postFulfillmentEvent(event()));
    expect(error.code).toBe(code);
  });

  it('a wrong access token → upstream_auth_failed from the real check', async () => {
    const error = await failure(
      writeBack({ credentials: { accessToken: 'shpat_revoked' } }).postFulfillmentEvent(event()),
    );
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details?.status).toBe(401);
  });

  it('an answer slower than timeoutMs → upstream_unavailable', async () => {
    shopify.server.queue(GRAPHQL, { delayMs: 800, body: fixture('own_writeback_created.json') });
    const error = await failure(writeBack({ timeoutMs: 150 }).postFulfillmentEvent(event()));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 150 ms/);
  });

  it('stops calling a shop that keeps failing (circuit breaker)', async () => {
    shopify.server.queue(GRAPHQL, ...Array.from({ length: 5 }, () => ({ status: 503 })));
    const client = writeBack();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await failure(client.postFulfillmentEvent(event()))).code).toBe('upstream_unavailable');
    }
    const fastFail = await failure(client.postFulfillmentEvent(event()));
    expect(fastFail.details?.circuit).toBe('open');
    expect(shopify.server.requests).toHaveLength(5);
  });
});
