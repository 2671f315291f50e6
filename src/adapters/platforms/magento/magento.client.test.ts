import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { isDomainError, type DomainError } from '../../../core/errors.js';
import type { PlatformClient, PlatformOrder } from '../../../core/ports/platform.port.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import { fetchExchange, type HttpExchange } from '../../carriers/shared/carrier-http.js';
import { MAGENTO_MAX_PAGE_SIZE, createMagentoClient, type MagentoClientOptions } from './magento.client.js';

type Json = Record<string, unknown>;

const ORDERS = 'GET /rest/V1/orders';
const SHIPMENTS = 'GET /rest/V1/shipments';
const TOKEN = 'integration-access-token';
const OAUTH = {
  consumerKey: 'ck-waymark',
  consumerSecret: 'cs-secret/with+odd&chars',
  accessToken: TOKEN,
  accessTokenSecret: 'ats-token-secret',
};
const SINCE = '2026-11-26T08:00:00.000Z';

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Json;
}

/** A REST order like the invoiced fixture, with its own id and `updated_at` (Magento's zone-less UTC). */
function makeOrder(id: number, updatedAt: string, overrides: Json = {}): Json {
  return {
    ...fixture('own_order_processing_invoiced.json'),
    entity_id: id,
    increment_id: String(100000000 + id),
    created_at: '2026-11-20 09:00:00',
    updated_at: updatedAt,
    ...overrides,
  };
}

/** A REST shipment of `orderId` with one UPS track. */
function makeShipment(id: number, orderId: number, trackingNumber: string): Json {
  const template = (fixture('own_shipments_partially_shipped.json').items as Json[])[0]!;
  return {
    ...template,
    entity_id: id,
    order_id: orderId,
    created_at: '2026-11-26 09:30:00',
    items: [{ order_item_id: 203, qty: 1, sku: 'WB-WOOL-SCARF', name: 'Wool Scarf' }],
    tracks: [
      {
        entity_id: id,
        order_id: orderId,
        parent_id: id,
        track_number: trackingNumber,
        carrier_code: 'ups',
        title: 'UPS',
        created_at: '2026-11-26 09:30:00',
      },
    ],
  };
}

/** PHP's rawurlencode (RFC 3986), as Magento's OAuth code uses it. */
function rawUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PHP strnatcmp, closely enough: digit runs compare as numbers. Magento sorts OAuth parameters with it. */
function naturalCompare(a: string, b: string): number {
  const chunksA = a.match(/\d+|\D+/g) ?? [];
  const chunksB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(chunksA.length, chunksB.length); i += 1) {
    const x = chunksA[i]!;
    const y = chunksB[i]!;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      if (Number(x) !== Number(y)) return Number(x) - Number(y);
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return chunksA.length - chunksB.length;
}

/** The header the test exchange adds so the fake sees the request URI byte for byte, as PHP does. */
const RAW_URL_HEADER = 'x-test-raw-url';

/**
 * The query parameters as Magento's OAuth helper reads them from the request URI: split on `&`
 * and `=`, `rawurldecode` each side (so `+` stays a plus), pairs without exactly one `=` left out.
 */
function magentoQueryParameters(request: RecordedRequest): [string, string][] {
  const rawUrl = request.headers[RAW_URL_HEADER];
  if (typeof rawUrl !== 'string') throw new Error(`the test exchange did not send ${RAW_URL_HEADER}`);
  const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  return query
    .split('&')
    .map((pair) => pair.split('='))
    .filter((parts): parts is [string, string] => parts.length === 2)
    .map(([name, value]) => [decodeURIComponent(name), decodeURIComponent(value)]);
}

/** fetch, telling the fake the exact URL it was asked for. */
const rawUrlExchange: HttpExchange = (request) =>
  fetchExchange({ ...request, headers: { ...request.headers, [RAW_URL_HEADER]: request.url } });

type Filter = { field: string; value: string; condition: string };

/**
 * A Magento that checks what Magento checks: the Bearer token, or an OAuth 1.0a HMAC-SHA256
 * signature rebuilt the way Magento does (query split on & and =, rawurldecode, natural sort,
 * nonces used once); and answers `searchCriteria` as Magento does: AND of groups, OR inside a
 * group, sort orders, every match without pageSize, and the last page again past the end.
 */
class FakeMagento {
  readonly server = new FakeHttpServer();
  readonly orders = new Map<number, Json>();
  readonly shipments: Json[] = [];
  mode: 'bearer' | 'oauth' = 'bearer';
  readonly nonces = new Set<string>();
  clockSeconds = () => Math.floor(Date.parse('2026-11-26T12:00:00Z') / 1000);

  async start(): Promise<this> {
    this.server.on(ORDERS, (request) => this.#guarded(request, () => this.#search(request, [...this.orders.values()])));
    this.server.on(SHIPMENTS, (request) => this.#guarded(request, () => this.#search(request, this.shipments)));
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  addOrders(...orders: Json[]): void {
    for (const order of orders) {
      const id = Number(order.entity_id);
      this.orders.set(id, order);
      this.server.on(`GET /rest/V1/orders/${id}`, (request) =>
        this.#guarded(request, () => {
          const current = this.orders.get(id);
          return current ? { body: current } : { status: 404, body: fixture('own_error_404_order.json') };
        }),
      );
    }
  }

  ordersRequests(): URLSearchParams[] {
    return this.server.requestsTo(ORDERS).map((request) => request.query);
  }

  #guarded(request: RecordedRequest, answer: () => FakeAnswer): FakeAnswer {
    const refusal = this.mode === 'bearer' ? this.#checkBearer(request) : this.#checkOAuth(request);
    return refusal ?? answer();
  }

  #checkBearer(request: RecordedRequest): FakeAnswer | null {
    return request.headers.authorization === `Bearer ${TOKEN}`
      ? null
      : { status: 401, body: fixture('own_error_401_acl.json') };
  }

  #checkOAuth(request: RecordedRequest): FakeAnswer | null {
    const refuse = (message: string): FakeAnswer => ({ status: 401, body: { message } });
    const header = request.headers.authorization ?? '';
    const at = header.toLowerCase().indexOf('oauth ');
    if (at === -1) return refuse('Consumer key has expired');
    const protocol: Record<string, string> = {};
    for (const part of header.slice(at + 6).split(',')) {
      const equals = part.indexOf('=');
      if (equals === -1) continue;
      protocol[decodeURIComponent(part.slice(0, equals).trim())] = decodeURIComponent(
        part
          .slice(equals + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      );
    }
    if (protocol.oauth_consumer_key !== OAUTH.consumerKey) return refuse('The consumer key is invalid.');
    if (protocol.oauth_token !== OAUTH.accessToken) return refuse('The token is invalid.');
    if (protocol.oauth_signature_method !== 'HMAC-SHA256') return refuse('Signature method is not supported.');
    if (Math.abs(Number(protocol.oauth_timestamp) - this.clockSeconds()) > 600)
      return refuse('The timestamp is invalid.');
    const nonce = protocol.oauth_nonce ?? '';
    if (!nonce || this.nonces.has(nonce)) return refuse('The nonce is already being used by the consumer.');
    this.nonces.add(nonce);
    const parameters = [...magentoQueryParameters(request), ...Object.entries(protocol)].filter(
      ([name]) => name !== 'oauth_signature',
    );
    const normalised = parameters
      .map(([name, value]) => [rawUrlEncode(name), rawUrlEncode(value)] as const)
      .sort(([a], [b]) => naturalCompare(a, b))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const baseString = ['GET', rawUrlEncode(`${this.url}${request.path}`), rawUrlEncode(normalised)].join('&');
    const key = `${rawUrlEncode(OAUTH.consumerSecret)}&${rawUrlEncode(OAUTH.accessTokenSecret)}`;
    const expected = createHmac('sha256', key).update(baseString).digest('base64');
    return expected === protocol.oauth_signature ? null : refuse('The signature is invalid. Verify and try again.');
  }

  #search(request: RecordedRequest, rows: Json[]): FakeAnswer {
    const groups = new Map<string, Map<string, Partial<Filter>>>();
    const sorts = new Map<string, { field?: string; direction?: string }>();
    let pageSize: number | undefined;
    let currentPage = 1;
    for (const [key, value] of request.query) {
      const filter =
        /^searchCriteria\[filter_groups\]\[(\d+)\]\[filters\]\[(\d+)\]\[(field|value|condition_type)\]$/.exec(key);
      const sort = /^searchCriteria\[sortOrders\]\[(\d+)\]\[(field|direction)\]$/.exec(key);
      if (filter) {
        const [, group, index, part] = filter;
        const filters = groups.get(group!) ?? new Map<string, Partial<Filter>>();
        const entry = filters.get(index!) ?? {};
        entry[part === 'condition_type' ? 'condition' : (part as 'field' | 'value')] = value;
        filters.set(index!, entry);
        groups.set(group!, filters);
      } else if (sort) {
        const entry = sorts.get(sort[1]!) ?? {};
        entry[sort[2] as 'field' | 'direction'] = value;
        sorts.set(sort[1]!, entry);
      } else if (key === 'searchCriteria[pageSize]') {
        pageSize = Number(value);
      } else if (key === 'searchCriteria[currentPage]') {
        currentPage = Number(value);
      } else {
        return {
          status: 400,
          body: { message: '"%fieldName" is not a searchCriteria field.', parameters: { fieldName: key } },
        };
      }
    }
    const matches = (row: Json, { field, value, condition }: Partial<Filter>): boolean => {
      const actual = String(row[field ?? '']);
      if (condition === 'gteq') return actual >= (value ?? '');
      if (condition === 'in') return (value ?? '').split(',').includes(actual);
      return actual === value;
    };
    const matched = rows.filter((row) =>
      [...groups.values()].every((filters) => [...filters.values()].some((f) => matches(row, f))),
    );
    const orderBy = [...sorts.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, s]) => s);
    matched.sort((a, b) => {
      for (const { field = '', direction = 'DESC' } of orderBy) {
        const x = a[field];
        const y = b[field];
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        if (order !== 0) return direction.toUpperCase() === 'ASC' ? order : -order;
      }
      return 0;
    });
    const total = matched.length;
    let items = matched;
    if (pageSize !== undefined) {
      // Magento's collections clamp the page: past the end you get the last page again.
      const page = Math.min(currentPage, Math.max(1, Math.ceil(total / pageSize)));
      items = matched.slice((page - 1) * pageSize, page * pageSize);
    }
    return {
      body: {
        items,
        search_criteria: { filter_groups: [], page_size: pageSize, current_page: currentPage },
        total_count: total,
      },
    };
  }
}

let magento: FakeMagento;
let clock: number;
let sleeps: number[];
let nonceCounter: number;

beforeEach(async () => {
  magento = await new FakeMagento().start();
  clock = Date.parse('2026-11-26T12:00:00Z');
  sleeps = [];
  nonceCounter = 0;
});

afterEach(async () => {
  await magento.server.stop();
});

function client(overrides: Partial<MagentoClientOptions> = {}): PlatformClient {
  return createMagentoClient({
    credentials: { accessToken: TOKEN },
    baseUrl: magento.url,
    exchange: rawUrlExchange,
    // Generous for answers that should succeed on a busy machine; the timeout test sets its own.
    timeoutMs: 2000,
    ratePerSecond: 1000,
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    nonce: () => `nonce-${(nonceCounter += 1)}`,
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

/** Pulls until `hasMore` is false, returning every page. */
async function pullAll(magentoClient: PlatformClient, cursor: string | null, pageSize: number) {
  const pages: { orders: PlatformOrder[]; nextCursor: string; hasMore: boolean }[] = [];
  let next = cursor;
  for (let guard = 0; guard < 50; guard += 1) {
    const page = await magentoClient.listChangedOrders(next, { since: SINCE, pageSize });
    pages.push(page);
    next = page.nextCursor;
    if (!page.hasMore) return pages;
  }
  throw new Error('pagination did not end');
}

function decodeCursor(cursor: string): Json {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Json;
}

const ids = (orders: PlatformOrder[]) => orders.map((order) => order.externalId);

describe('createMagentoClient options', () => {
  it.each<[string, Partial<MagentoClientOptions>, RegExp]>([
    ['no credentials at all', { credentials: undefined }, /credentials are required/],
    ['no access token', { credentials: { consumerKey: 'k' } }, /accessToken is required/],
    [
      'half an OAuth integration',
      { credentials: { accessToken: 't', consumerKey: 'k', consumerSecret: 's' } },
      /credentials\.accessTokenSecret/,
    ],
    ['no base URL or domain', { baseUrl: undefined }, /baseUrl \(or domain\)/],
    ['a base URL that is not one', { baseUrl: 'shop.example.com' }, /not a URL/],
    ['an ftp base URL', { baseUrl: 'ftp://shop.example.com' }, /http\(s\)/],
    ['a base URL with a query', { baseUrl: 'https://shop.example.com/?___store=en' }, /query/],
    ['a store code with a slash', { storeCode: 'en/../admin' }, /storeCode/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
    ['a negative overlap', { overlapMs: -1 }, /overlapMs/],
  ])('should reject %s at construction', (_label, overrides, message) => {
    let error: unknown;
    try {
      createMagentoClient({
        credentials: { accessToken: TOKEN },
        baseUrl: 'https://shop.example.com',
        ...overrides,
      });
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('config_invalid');
    expect((error as Error).message).toMatch(message);
  });

  it.each<[Partial<MagentoClientOptions>, string]>([
    [{ baseUrl: 'https://shop.example.com/' }, 'https://shop.example.com/rest/V1/orders/1'],
    [{ baseUrl: 'https://shop.example.com/rest/V1' }, 'https://shop.example.com/rest/V1/orders/1'],
    [{ baseUrl: 'https://example.com/magento/rest' }, 'https://example.com/magento/rest/V1/orders/1'],
    [{ baseUrl: undefined, domain: 'shop.example.com' }, 'https://shop.example.com/rest/V1/orders/1'],
    [{ baseUrl: undefined, domain: 'http://example.com/magento/' }, 'http://example.com/magento/rest/V1/orders/1'],
    [{ baseUrl: 'https://shop.example.com', storeCode: 'en_gb' }, 'https://shop.example.com/rest/en_gb/V1/orders/1'],
  ])('should call the REST API under %j', async (overrides, expected) => {
    const exchange = vi.fn().mockResolvedValue({ status: 404, headers: new Headers(), text: '{"message":"none"}' });
    const magentoClient = createMagentoClient({
      credentials: { accessToken: TOKEN },
      exchange,
      ...overrides,
    });
    expect(magentoClient.platform).toBe('magento');
    await expect(magentoClient.fetchOrder('1')).resolves.toBeNull();
    expect(exchange).toHaveBeenCalledWith(expect.objectContaining({ url: expected, method: 'GET' }));
  });

  it('should not offer to register webhooks: Magento Open Source has no API for it', () => {
    expect('registerWebhooks' in client()).toBe(false);
  });
});

describe('authentication', () => {
  it('should send the access token as a Bearer token', async () => {
    magento.addOrders(makeOrder(1, '2026-11-26 09:00:00'));
    await expect(client().fetchOrder('1')).resolves.toMatchObject({ externalId: '1' });
    const [request] = magento.server.requestsTo('GET /rest/V1/orders/1');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers.accept).toBe('application/json');
  });

  it('should report a refused token as upstream_auth_failed, with what Magento said', async () => {
    const error = await failure(client({ credentials: { accessToken: 'revoked' } }).testConnection());
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toContain("The consumer isn't authorized to access Magento_Sales::actions_view.");
    expect(error.details).toMatchObject({ status: 401 });
  });

  it('should sign every request with OAuth 1.0a HMAC-SHA256 when the integration’s four values are given', async () => {
    magento.mode = 'oauth';
    magento.addOrders(makeOrder(1, '2026-11-26 09:00:00'), makeOrder(2, '2026-11-26 09:05:00'));
    magento.shipments.push(makeShipment(11, 1, '1Z999AA10000000011'));
    const magentoClient = client({ credentials: OAUTH });
    // A search with spaces and brackets in the signed query, and a path-only request.
    const page = await magentoClient.listChangedOrders(null, { since: SINCE, pageSize: 10 });
    expect(ids(page.orders)).toEqual(['1', '2']);
    expect(page.orders[0]?.shipments).toHaveLength(1);
    await expect(magentoClient.fetchOrder('2')).resolves.toMatchObject({ externalId: '2' });
    await expect(magentoClient.testConnection()).resolves.toBeUndefined();
    // Each request used a fresh nonce (Magento refuses a reused one).
    expect(magento.nonces.size).toBe(magento.server.requests.length);
    expect(magento.server.requests[0]?.headers.authorization).toMatch(/^OAuth oauth_consumer_key="ck-waymark", /);
  });

  it('should be refused when a secret is wrong, or the clock is far off', async () => {
    magento.mode = 'oauth';
    const wrongSecret = await failure(client({ credentials: { ...OAUTH, consumerSecret: 'nope' } }).testConnection());
    expect(wrongSecret.code).toBe('upstream_auth_failed');
    expect(wrongSecret.message).toContain('The signature is invalid');
    clock += 3_600_000;
    const skewed = await failure(client({ credentials: OAUTH }).testConnection());
    expect(skewed.message).toContain('The timestamp is invalid');
  });
});

describe('fetchOrder', () => {
  it('should return the order with the tracks of its shipments', async () => {
    magento.addOrders(fixture('own_order_complete_multi_track.json'), makeOrder(999, '2026-11-26 09:00:00'));
    magento.shipments.push(
      ...(fixture('own_shipments_multi_track.json').items as Json[]),
      makeShipment(50, 999, '1Z999AA10000000050'),
    );
    const order = await client().fetchOrder('106');
    expect(order).toMatchObject({ externalId: '106', number: '000000106', orderStatus: 'fulfilled' });
    expect(order?.shipments.map((parcel) => [parcel.externalId, parcel.trackingNumber])).toEqual([
      ['303', '1Z999AA10123456791'],
      ['303', '1Z999AA10123456808'],
      ['304', 'JD014600006281230101'],
      ['304', 'YT2612345678901234'],
    ]);
    const [shipmentsQuery] = magento.server.requestsTo(SHIPMENTS).map((request) => request.query);
    expect(shipmentsQuery?.get('searchCriteria[filter_groups][0][filters][0][field]')).toBe('order_id');
    expect(shipmentsQuery?.get('searchCriteria[filter_groups][0][filters][0][value]')).toBe('106');
    expect(shipmentsQuery?.get('searchCriteria[filter_groups][0][filters][0][condition_type]')).toBe('in');
    expect(shipmentsQuery?.get('searchCriteria[pageSize]')).toBe('100');
  });

  it('should return null when Magento says the order does not exist', async () => {
    magento.server.on('GET /rest/V1/orders/404', () => ({ status: 404, body: fixture('own_error_404_order.json') }));
    await expect(client().fetchOrder('404')).resolves.toBeNull();
    expect(magento.server.requestsTo(SHIPMENTS)).toHaveLength(0);
  });

  it('should refuse an id Magento cannot have, without a request', async () => {
    const error = await failure(client().fetchOrder('../customers/1'));
    expect(error.code).toBe('invalid_input');
    expect(magento.server.requests).toHaveLength(0);
  });

  it('should read every page of a large order’s shipments', async () => {
    magento.addOrders(makeOrder(7, '2026-11-26 09:00:00'));
    for (let n = 1; n <= 130; n += 1)
      magento.shipments.push(makeShipment(1000 + n, 7, `1Z999AA1${String(n).padStart(8, '0')}`));
    const order = await client().fetchOrder('7');
    expect(order?.shipments).toHaveLength(130);
    expect(
      magento.server.requestsTo(SHIPMENTS).map((request) => request.query.get('searchCriteria[currentPage]')),
    ).toEqual(['1', '2']);
  });
});

describe('listChangedOrders', () => {
  it('should ask for updated_at >= since, oldest first, with an explicit page size', async () => {
    magento.addOrders(makeOrder(1, '2026-11-26 09:00:00'));
    await client().listChangedOrders(null, { since: '2026-11-26T08:00:00.750Z', pageSize: 50 });
    const [query] = magento.ordersRequests();
    expect(Object.fromEntries(query!)).toEqual({
      'searchCriteria[filter_groups][0][filters][0][field]': 'updated_at',
      'searchCriteria[filter_groups][0][filters][0][value]': '2026-11-26 08:00:00',
      'searchCriteria[filter_groups][0][filters][0][condition_type]': 'gteq',
      'searchCriteria[sortOrders][0][field]': 'updated_at',
      'searchCriteria[sortOrders][0][direction]': 'ASC',
      'searchCriteria[sortOrders][1][field]': 'entity_id',
      'searchCriteria[sortOrders][1][direction]': 'ASC',
      'searchCriteria[pageSize]': '50',
      'searchCriteria[currentPage]': '1',
    });
  });

  it('should page through every change, each order with its shipments, one shipments request per page', async () => {
    for (let n = 1; n <= 7; n += 1) magento.addOrders(makeOrder(n, `2026-11-26 09:0${n}:00`));
    magento.addOrders(makeOrder(99, '2026-11-25 23:00:00'));
    magento.shipments.push(makeShipment(21, 2, '1Z999AA10000000021'), makeShipment(26, 6, '1Z999AA10000000026'));
    const pages = await pullAll(client(), null, 3);
    const seen = pages.flatMap((page) => ids(page.orders));
    // Each page restarts from the newest change of the previous one, so its boundary order comes twice.
    expect([...new Set(seen)]).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(seen).not.toContain('99');
    const withParcels = pages.flatMap((page) => page.orders).filter((order) => order.shipments.length > 0);
    expect(new Set(withParcels.map((order) => `${order.externalId}:${order.shipments[0]?.trackingNumber}`))).toEqual(
      new Set(['2:1Z999AA10000000021', '6:1Z999AA10000000026']),
    );
    expect(magento.server.requestsTo(SHIPMENTS)).toHaveLength(pages.length);
    expect(pages.at(-1)?.hasMore).toBe(false);
    expect(pages.slice(0, -1).every((page) => page.hasMore)).toBe(true);
  });

  it('should page by number through orders saved in the same second', async () => {
    for (let n = 1; n <= 5; n += 1) magento.addOrders(makeOrder(n, '2026-11-26 09:00:00'));
    const pages = await pullAll(client(), null, 2);
    expect([...new Set(pages.flatMap((page) => ids(page.orders)))]).toEqual(['1', '2', '3', '4', '5']);
    expect(
      magento
        .ordersRequests()
        .map((query) => [
          query.get('searchCriteria[filter_groups][0][filters][0][value]'),
          query.get('searchCriteria[currentPage]'),
        ]),
    ).toEqual([
      ['2026-11-26 08:00:00', '1'],
      ['2026-11-26 09:00:00', '1'],
      ['2026-11-26 09:00:00', '2'],
      ['2026-11-26 09:00:00', '3'],
    ]);
  });

  it('should resume exactly where a crash left off', async () => {
    for (let n = 1; n <= 5; n += 1) magento.addOrders(makeOrder(n, '2026-11-26 09:00:00'));
    const first = await client().listChangedOrders(null, { since: SINCE, pageSize: 2 });
    const second = await client().listChangedOrders(first.nextCursor, { since: SINCE, pageSize: 2 });
    const third = await client().listChangedOrders(second.nextCursor, { since: SINCE, pageSize: 2 });
    // The process dies after fetching the third page but before storing its cursor: a new
    // client starts again from the last stored cursor and gets the same page.
    const replayed = await client().listChangedOrders(second.nextCursor, { since: SINCE, pageSize: 2 });
    expect(ids(replayed.orders)).toEqual(ids(third.orders));
    expect(replayed.nextCursor).toBe(third.nextCursor);
    expect(decodeCursor(second.nextCursor)).toEqual({
      v: 1,
      updatedFrom: '2026-11-26T09:00:00.000Z',
      page: 2,
      pageSize: 2,
      newest: '2026-11-26T09:00:00.000Z',
    });
  });

  it('should keep the page size of a pass in progress, whatever the caller asks next', async () => {
    for (let n = 1; n <= 5; n += 1) magento.addOrders(makeOrder(n, '2026-11-26 09:00:00'));
    const first = await client().listChangedOrders(null, { since: '2026-11-26T09:00:00Z', pageSize: 2 });
    const second = await client().listChangedOrders(first.nextCursor, { since: SINCE, pageSize: 4 });
    expect(ids(second.orders)).toEqual(['3', '4']);
  });

  it('should start the next pass 5 minutes before the newest change, and so catch a save that committed late', async () => {
    magento.addOrders(makeOrder(1, '2026-11-26 09:00:00'), makeOrder(2, '2026-11-26 10:00:00'));
    const magentoClient = client();
    const pass = await pullAll(magentoClient, null, 10);
    expect(decodeCursor(pass.at(-1)!.nextCursor)).toMatchObject({
      updatedFrom: '2026-11-26T09:55:00.000Z',
      page: 1,
      newest: '2026-11-26T10:00:00.000Z',
    });
    // Saved at 09:58 but committed after the pass read past it.
    magento.addOrders(makeOrder(3, '2026-11-26 09:58:00'));
    const next = await magentoClient.listChangedOrders(pass.at(-1)!.nextCursor, { since: SINCE, pageSize: 10 });
    expect(magento.ordersRequests().at(-1)?.get('searchCriteria[filter_groups][0][filters][0][value]')).toBe(
      '2026-11-26 09:55:00',
    );
    expect(ids(next.orders)).toEqual(['3', '2']);
  });

  it('should honour a configured overlap', async () => {
    magento.addOrders(makeOrder(1, '2026-11-26 10:00:00'));
    const page = await client({ overlapMs: 60_000 }).listChangedOrders(null, { since: SINCE, pageSize: 10 });
    expect(decodeCursor(page.nextCursor)).toMatchObject({ updatedFrom: '2026-11-26T09:59:00.000Z' });
  });

  it('should keep its place when nothing changed, without drifting back', async () => {
    const magentoClient = client();
    const empty = await magentoClient.listChangedOrders(null, { since: SINCE, pageSize: 10 });
    expect(empty).toMatchObject({ orders: [], hasMore: false });
    expect(decodeCursor(empty.nextCursor)).toMatchObject({ updatedFrom: SINCE, page: 1, newest: null });
    const again = await magentoClient.listChangedOrders(empty.nextCursor, { since: SINCE, pageSize: 10 });
    expect(again.nextCursor).toBe(empty.nextCursor);
    expect(magento.server.requestsTo(SHIPMENTS)).toHaveLength(0);
  });

  it('should not return the last page twice when Magento answers a page past the end with it', async () => {
    for (let n = 1; n <= 5; n += 1) magento.addOrders(makeOrder(n, '2026-11-26 09:00:00'));
    const magentoClient = client();
    const first = await magentoClient.listChangedOrders(null, { since: '2026-11-26T09:00:00Z', pageSize: 2 });
    const second = await magentoClient.listChangedOrders(first.nextCursor, { since: SINCE, pageSize: 2 });
    expect(decodeCursor(second.nextCursor)).toMatchObject({ page: 3 });
    // Two orders are deleted before the next call: page 3 no longer exists, Magento repeats page 2.
    magento.orders.delete(4);
    magento.orders.delete(5);
    const third = await magentoClient.listChangedOrders(second.nextCursor, { since: SINCE, pageSize: 2 });
    expect(ids(third.orders)).toEqual([]);
    expect(third.hasMore).toBe(false);
    expect(decodeCursor(third.nextCursor)).toMatchObject({ page: 1, updatedFrom: '2026-11-26T08:55:00.000Z' });
  });

  it('should cap the page size at Magento’s input limit', async () => {
    await client().listChangedOrders(null, { since: SINCE, pageSize: 5000 });
    expect(magento.ordersRequests()[0]?.get('searchCriteria[pageSize]')).toBe(String(MAGENTO_MAX_PAGE_SIZE));
  });

  it.each<[string, string | null, { since: string; pageSize: number }]>([
    ['a cursor it did not write', 'bm90IGEgY3Vyc29y', { since: SINCE, pageSize: 10 }],
    ['a cursor of another version', Buffer.from('{"v":2}').toString('base64url'), { since: SINCE, pageSize: 10 }],
    ['a since that is not a date', null, { since: 'last tuesday', pageSize: 10 }],
    ['a zero page size', null, { since: SINCE, pageSize: 0 }],
    ['a fractional page size', null, { since: SINCE, pageSize: 2.5 }],
  ])('should refuse %s without a request', async (_label, cursor, options) => {
    const error = await failure(client().listChangedOrders(cursor, options));
    expect(error.code).toBe('invalid_input');
    expect(magento.server.requests).toHaveLength(0);
  });
});

describe('failures', () => {
  it('should report 429 as upstream_rate_limited with Retry-After, and pause the next call', async () => {
    magento.server.queue(ORDERS, {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { message: 'Too Many Requests' },
    });
    const magentoClient = client();
    const error = await failure(magentoClient.testConnection());
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 7000 });
    await magentoClient.testConnection();
    expect(sleeps).toEqual([7000]);
  });

  it('should back off for a while on a 429 without Retry-After (a CDN or WAF in front of Magento)', async () => {
    magento.server.queue(ORDERS, { status: 429, body: '<html>Rate limited</html>' });
    const magentoClient = client();
    const error = await failure(magentoClient.testConnection());
    expect(error.details).toMatchObject({ retryAfterMs: null });
    await magentoClient.testConnection();
    expect(sleeps).toEqual([10_000]);
  });

  it.each<[string, FakeAnswer]>([
    ['maintenance mode (503)', { status: 503, body: '<html>Service Temporarily Unavailable</html>' }],
    [
      'a PHP fatal error (500)',
      { status: 500, body: { message: 'Internal Error. Details are available in Magento log file.' } },
    ],
    ['a dropped connection', { destroy: true }],
  ])('should report %s as upstream_unavailable', async (_label, answer) => {
    magento.server.queue(ORDERS, answer);
    expect((await failure(client().testConnection())).code).toBe('upstream_unavailable');
  });

  it('should give up on a slow answer after the timeout', async () => {
    magento.server.queue(ORDERS, { delayMs: 1000, body: { items: [], total_count: 0 } });
    const error = await failure(client({ timeoutMs: 150 }).testConnection());
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('150 ms');
  });

  it.each<[string, FakeAnswer, RegExp]>([
    ['malformed JSON', { body: 'not json' }, /not JSON/],
    ['an HTML storefront page (wrong base URL)', { body: '<!doctype html><title>Home</title>' }, /not JSON/],
    ['no total_count', { body: { items: [] } }, /total_count/],
    ['items that are not a list', { body: { items: 'none', total_count: 1 } }, /items/],
    [
      'an order without a state',
      { body: { items: [{ ...makeOrder(1, '2026-11-26 09:00:00'), state: undefined }], total_count: 1 } },
      /field state/,
    ],
    [
      'a 400 for a search Magento refuses',
      {
        status: 400,
        body: {
          message: '"%fieldName" is required. Enter and try again.',
          parameters: { fieldName: 'searchCriteria' },
        },
      },
      /HTTP 400: "searchCriteria" is required/,
    ],
  ])('should report %s as upstream_invalid_response', async (_label, answer, message) => {
    magento.server.queue(ORDERS, answer);
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 10 }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(message);
  });

  it('should report a broken shipment as upstream_invalid_response too', async () => {
    magento.addOrders(makeOrder(1, '2026-11-26 09:00:00'));
    magento.shipments.push({ ...makeShipment(5, 1, 'X'), tracks: 'none' });
    const error = await failure(client().fetchOrder('1'));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toContain('field tracks');
  });

  it('should report 403 as upstream_auth_failed', async () => {
    magento.server.queue(ORDERS, { status: 403, body: { message: 'Forbidden' } });
    expect((await failure(client().testConnection())).code).toBe('upstream_auth_failed');
  });

  it('should stop calling a store that keeps failing, for a while', async () => {
    for (let n = 0; n < 5; n += 1) magento.server.queue(ORDERS, { status: 503 });
    const magentoClient = client();
    for (let n = 0; n < 5; n += 1)
      expect((await failure(magentoClient.testConnection())).code).toBe('upstream_unavailable');
    const fast = await failure(magentoClient.testConnection());
    expect(fast.details).toMatchObject({ circuit: 'open' });
    expect(magento.server.requestsTo(ORDERS)).toHaveLength(5);
    clock += 31_000;
    await expect(magentoClient.testConnection()).resolves.toBeUndefined();
  });
});

describe('testConnection', () => {
  it('should make the smallest search, one order', async () => {
    await client().testConnection();
    const [query] = magento.ordersRequests();
    expect(query?.get('searchCriteria[pageSize]')).toBe('1');
    expect(query?.get('searchCriteria[currentPage]')).toBe('1');
  });
});
