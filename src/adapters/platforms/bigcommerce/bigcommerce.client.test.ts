import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../core/errors.js';
import type { DomainError } from '../../../core/errors.js';
import type { ChangedOrdersPage, PlatformClient } from '../../../core/ports/platform.port.js';
import { FakeHttpServer } from '../../../test-support/fake-http-server.js';
import type { FakeAnswer, FakeHandler, RecordedRequest } from '../../../test-support/fake-http-server.js';
import {
  BIGCOMMERCE_MAX_PAGE_SIZE,
  BIGCOMMERCE_WEBHOOK_SCOPES,
  createBigCommerceClient,
  formatRfc2822,
} from './bigcommerce.client.js';
import type { BigCommerceClientOptions } from './bigcommerce.client.js';
import { mapBigCommerceOrder } from './bigcommerce.mapping.js';

const STORE_HASH = 'wm7x2k9q';
const ACCESS_TOKEN = 'bc-token-for-tests';
const STORE = `/stores/${STORE_HASH}`;
const ORDERS = `GET ${STORE}/v2/orders`;
const HOOKS_GET = `GET ${STORE}/v3/hooks`;
const HOOKS_POST = `POST ${STORE}/v3/hooks`;
const SINCE = '2024-10-01T00:00:00.000Z';
const T0 = Date.parse('2024-10-08T09:00:00.000Z');

type Scenario = {
  order: Record<string, unknown>;
  products: unknown[] | null;
  shipping_addresses: unknown[] | null;
  shipments: unknown[] | null;
};

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;
}

type StoredOrder = {
  order: Record<string, unknown>;
  products: unknown[];
  shippingAddresses: unknown[];
  shipments: unknown[];
};

/** A v2 order (from the awaiting-fulfilment fixture) with its own id and modification time. */
function orderAt(id: number, modifiedMs: number, overrides: Record<string, unknown> = {}): StoredOrder {
  const scenario = fixture<Scenario>('own_awaiting_fulfillment.json');
  return {
    order: { ...scenario.order, id, date_modified: formatRfc2822(modifiedMs), ...overrides },
    products: (scenario.products ?? []).map((product) => ({ ...(product as object), order_id: id })),
    shippingAddresses: (scenario.shipping_addresses ?? []).map((address) => ({ ...(address as object), order_id: id })),
    shipments: [],
  };
}

function fromScenario(name: string): StoredOrder {
  const scenario = fixture<Scenario>(name);
  return {
    order: scenario.order,
    products: scenario.products ?? [],
    shippingAddresses: scenario.shipping_addresses ?? [],
    shipments: scenario.shipments ?? [],
  };
}

/**
 * A BigCommerce store as the v2/v3 APIs present it: X-Auth-Token and Accept
 * checked on every call, rate-limit headers on every answer, orders listed by
 * `min_date_modified` (inclusive) sorted by `date_modified` then id, archived
 * orders left out, `204 No Content` for an empty list, sub-resources paged.
 */
class FakeBigCommerce {
  readonly server = new FakeHttpServer();
  readonly orders = new Map<number, StoredOrder>();
  readonly hooks: { id: number; scope: string; destination: string; is_active: boolean; headers: unknown }[] = [];
  requestsLeft = 140;
  resetMs = 12_000;

  async start(): Promise<this> {
    this.#route(ORDERS, (request) => this.#list(request));
    this.#route(`GET ${STORE}/v2/orders/count`, () => ({ body: { count: this.orders.size, statuses: [] } }));
    this.#route(HOOKS_GET, () => ({
      body: { data: this.hooks, meta: { pagination: { total: this.hooks.length, total_pages: 1, current_page: 1 } } },
    }));
    this.#route(HOOKS_POST, (request) => {
      const body = JSON.parse(request.body) as { scope: string; destination: string; headers: unknown };
      const hook = { id: 9000 + this.hooks.length, is_active: true, ...body };
      this.hooks.push(hook);
      return { body: { data: hook, meta: {} } };
    });
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  put(stored: StoredOrder): this {
    const id = stored.order.id as number;
    const base = `GET ${STORE}/v2/orders/${id}`;
    this.orders.set(id, stored);
    this.#route(base, () => {
      const current = this.orders.get(id);
      return current ? { body: current.order } : { status: 404, body: [{ status: 404, message: 'Not found' }] };
    });
    this.#route(`${base}/products`, (request) => this.#page(request, this.orders.get(id)?.products ?? []));
    this.#route(`${base}/shipping_addresses`, (request) =>
      this.#page(request, this.orders.get(id)?.shippingAddresses ?? []),
    );
    this.#route(`${base}/shipments`, (request) => this.#page(request, this.orders.get(id)?.shipments ?? []));
    return this;
  }

  /** The merchant changes the order: BigCommerce moves its date_modified. */
  touch(id: number, modifiedMs: number): void {
    const stored = this.orders.get(id);
    if (stored) stored.order = { ...stored.order, date_modified: formatRfc2822(modifiedMs) };
  }

  /** Wraps a handler with the checks and headers every BigCommerce endpoint has. */
  #route(route: string, handler: FakeHandler): void {
    this.server.on(route, async (request) => {
      this.requestsLeft = Math.max(0, this.requestsLeft - 1);
      const quota = {
        'x-rate-limit-requests-left': String(this.requestsLeft),
        'x-rate-limit-requests-quota': '150',
        'x-rate-limit-time-reset-ms': String(this.resetMs),
        'x-rate-limit-time-window-ms': '30000',
      };
      if (request.headers['x-auth-token'] !== ACCESS_TOKEN) {
        return { status: 401, headers: quota, body: [{ status: 401, message: 'You are not authorized.' }] };
      }
      if (request.headers.accept !== 'application/json') {
        return { status: 406, headers: quota, body: [{ status: 406, message: 'Not acceptable' }] };
      }
      const answer = await handler(request);
      return { ...answer, headers: { ...quota, ...answer.headers } };
    });
  }

  #page(request: RecordedRequest, rows: unknown[]): FakeAnswer {
    const page = Number(request.query.get('page') ?? 1);
    const limit = Number(request.query.get('limit') ?? 50);
    const slice = rows.slice((page - 1) * limit, page * limit);
    return slice.length === 0 ? { status: 204 } : { body: slice };
  }

  #list(request: RecordedRequest): FakeAnswer {
    const min = request.query.get('min_date_modified');
    const minMs = min === null ? -Infinity : Date.parse(min);
    if (Number.isNaN(minMs)) return { status: 400, body: [{ status: 400, message: 'bad min_date_modified' }] };
    if (request.query.get('sort') !== 'date_modified:asc') {
      return { status: 400, body: [{ status: 400, message: 'this fake only sorts by date_modified:asc' }] };
    }
    const rows = [...this.orders.values()]
      .map((stored) => stored.order)
      .filter((order) => order.is_deleted !== true && Date.parse(order.date_modified as string) >= minMs)
      .sort(
        (a, b) =>
          Date.parse(a.date_modified as string) - Date.parse(b.date_modified as string) ||
          (a.id as number) - (b.id as number),
      );
    return this.#page(request, rows);
  }
}

let bigcommerce: FakeBigCommerce;
let clock: number;
let sleeps: number[];

beforeEach(async () => {
  bigcommerce = await new FakeBigCommerce().start();
  clock = T0;
  sleeps = [];
});

afterEach(async () => {
  await bigcommerce.server.stop();
});

function client(overrides: Partial<BigCommerceClientOptions> = {}): PlatformClient {
  return createBigCommerceClient({
    credentials: { accessToken: ACCESS_TOKEN, storeHash: STORE_HASH },
    webhookSecret: 'wm-hook-3b1f7c0e9a2d4c58b6e1',
    baseUrl: bigcommerce.url,
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

/** Pages through one whole pass, as the sync job does, storing the cursor after each page. */
async function pullAll(
  platform: PlatformClient,
  cursor: string | null,
  pageSize: number,
): Promise<{ pages: ChangedOrdersPage[]; cursor: string }> {
  const pages: ChangedOrdersPage[] = [];
  let current = cursor;
  for (let guard = 0; guard < 50; guard += 1) {
    const page = await platform.listChangedOrders(current, { since: SINCE, pageSize });
    pages.push(page);
    current = page.nextCursor;
    if (!page.hasMore) return { pages, cursor: current };
  }
  throw new Error('the pull never ended');
}

function ids(pages: ChangedOrdersPage[]): string[] {
  return pages.flatMap((page) => page.orders.map((order) => order.externalId));
}

function listQueries(): Record<string, string>[] {
  return bigcommerce.server.requestsTo(ORDERS).map((request) => Object.fromEntries(request.query));
}

describe('createBigCommerceClient options', () => {
  it.each<[string, Partial<BigCommerceClientOptions>, RegExp]>([
    ['no access token', { credentials: { storeHash: STORE_HASH } }, /accessToken and credentials\.storeHash/],
    ['no store hash', { credentials: { accessToken: ACCESS_TOKEN } }, /storeHash/],
    ['a store hash that is a URL', { credentials: { accessToken: 'a', storeHash: 'stores/abc' } }, /store hash/],
    ['a base URL that is not one', { baseUrl: 'api.bigcommerce.com' }, /baseUrl/],
    ['an ftp base URL', { baseUrl: 'ftp://api.bigcommerce.com' }, /http\(s\)/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
    ['a negative overlap', { overlapMs: -1 }, /overlapMs/],
    ['a fractional low-quota mark', { lowRequestsLeft: 1.5 }, /lowRequestsLeft/],
  ])('rejects %s at construction', (_label, overrides, message) => {
    let error: unknown;
    try {
      createBigCommerceClient({ credentials: { accessToken: ACCESS_TOKEN, storeHash: STORE_HASH }, ...overrides });
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('config_invalid');
    expect((error as Error).message).toMatch(message);
  });

  it('calls api.bigcommerce.com by default', async () => {
    const urls: string[] = [];
    const platform = createBigCommerceClient({
      credentials: { accessToken: ACCESS_TOKEN, storeHash: STORE_HASH },
      exchange: (request) => {
        urls.push(request.url);
        return Promise.resolve({ status: 200, headers: new Headers(), text: '{"count":0}' });
      },
    });
    await platform.testConnection();
    expect(urls).toEqual([`https://api.bigcommerce.com/stores/${STORE_HASH}/v2/orders/count`]);
    expect(platform.platform).toBe('bigcommerce');
  });
});

describe('fetchOrder', () => {
  it('reads the order and its sub-resources with X-Auth-Token and Accept, and maps them', async () => {
    const stored = fromScenario('own_partially_shipped.json');
    bigcommerce.put(stored);
    const order = await client().fetchOrder('3102');

    expect(order).toEqual(
      mapBigCommerceOrder({
        order: stored.order,
        products: stored.products,
        shippingAddresses: stored.shippingAddresses,
        shipments: stored.shipments,
      }),
    );
    expect(order?.shipments.map((shipment) => shipment.trackingNumber)).toEqual(['1Z4W81E60393517740']);
    expect(bigcommerce.server.requests.map((request) => request.path)).toEqual([
      `${STORE}/v2/orders/3102`,
      `${STORE}/v2/orders/3102/products`,
      `${STORE}/v2/orders/3102/shipping_addresses`,
      `${STORE}/v2/orders/3102/shipments`,
    ]);
    for (const request of bigcommerce.server.requests) {
      expect(request.headers).toMatchObject({ 'x-auth-token': ACCESS_TOKEN, accept: 'application/json' });
      expect(request.query.get('limit') ?? String(BIGCOMMERCE_MAX_PAGE_SIZE)).toBe('250');
    }
  });

  it('saves the shipments call for an order with nothing shipped, the addresses call for one with none', async () => {
    bigcommerce.put(fromScenario('own_awaiting_fulfillment.json')).put(fromScenario('own_archived.json'));
    await client().fetchOrder('3101');
    await client().fetchOrder('3107');
    expect(bigcommerce.server.requests.map((request) => request.path)).toEqual([
      `${STORE}/v2/orders/3101`,
      `${STORE}/v2/orders/3101/products`,
      `${STORE}/v2/orders/3101/shipping_addresses`,
      `${STORE}/v2/orders/3107`,
      `${STORE}/v2/orders/3107/products`,
    ]);
  });

  it('reads every page of a long sub-resource', async () => {
    const stored = orderAt(3300, T0, { items_total: 300 });
    stored.products = Array.from({ length: 260 }, (_, index) => ({
      id: 10_000 + index,
      name: `Sample ${index}`,
      sku: `S-${index}`,
      quantity: 1,
    }));
    bigcommerce.put(stored);
    const order = await client().fetchOrder('3300');
    expect(order?.lineItems).toHaveLength(260);
    expect(
      bigcommerce.server.requestsTo(`GET ${STORE}/v2/orders/3300/products`).map((r) => r.query.get('page')),
    ).toEqual(['1', '2']);
  });

  it('is null for an order BigCommerce does not know', async () => {
    expect(await client().fetchOrder('999')).toBeNull();
  });

  it('is null for an incomplete checkout (status 0), without reading its sub-resources', async () => {
    bigcommerce.put(orderAt(3301, T0, { status_id: 0, status: 'Incomplete' }));
    expect(await client().fetchOrder('3301')).toBeNull();
    expect(bigcommerce.server.requests).toHaveLength(1);
  });

  it('returns an archived order marked deleted on the platform', async () => {
    bigcommerce.put(fromScenario('own_archived.json'));
    const order = await client().fetchOrder('3107');
    expect(order?.platformStatus).toMatchObject({ is_deleted: true, waymarkDeletedOnPlatform: true });
  });

  it('refuses an id that is not a BigCommerce order id, without a call', async () => {
    const error = await failure(client().fetchOrder('../orders'));
    expect(error.code).toBe('invalid_input');
    expect(bigcommerce.server.requests).toHaveLength(0);
  });
});

describe('listChangedOrders', () => {
  it('asks for orders modified since `since`, oldest first, in RFC 2822', async () => {
    await client().listChangedOrders(null, { since: SINCE, pageSize: 50 });
    expect(listQueries()).toEqual([
      { min_date_modified: 'Tue, 01 Oct 2024 00:00:00 +0000', sort: 'date_modified:asc', page: '1', limit: '50' },
    ]);
  });

  it('answers an empty store (204 No Content) with no orders and no more pages', async () => {
    const page = await client().listChangedOrders(null, { since: SINCE, pageSize: 50 });
    expect(page).toMatchObject({ orders: [], hasMore: false });
    expect(typeof page.nextCursor).toBe('string');
  });

  it('pages through every changed order once, oldest change first', async () => {
    for (let index = 0; index < 5; index += 1) bigcommerce.put(orderAt(3400 + index, T0 + index * 60_000));
    const { pages } = await pullAll(client(), null, 2);

    expect(ids(pages)).toEqual(['3400', '3401', '3402', '3403', '3404']);
    // Each page starts one second before the last change it saw, so no page depends on positions;
    // the price is one row per page listed twice (tiny at the real page size of 250).
    expect(listQueries().map((query) => [query.min_date_modified, query.page])).toEqual([
      ['Tue, 01 Oct 2024 00:00:00 +0000', '1'],
      ['Tue, 08 Oct 2024 09:00:59 +0000', '1'],
      ['Tue, 08 Oct 2024 09:01:59 +0000', '1'],
      ['Tue, 08 Oct 2024 09:02:59 +0000', '1'],
      ['Tue, 08 Oct 2024 09:03:59 +0000', '1'],
    ]);
    expect(pages.map((page) => page.hasMore)).toEqual([true, true, true, true, false]);
    // Orders seen again at a page boundary are not fetched twice.
    expect(bigcommerce.server.requests.filter((request) => request.path.endsWith('/products'))).toHaveLength(5);
  });

  it('never returns incomplete checkouts (status 0)', async () => {
    bigcommerce.put(orderAt(3410, T0)).put(orderAt(3411, T0 + 1000, { status_id: 0, status: 'Incomplete' }));
    const { pages } = await pullAll(client(), null, 50);
    expect(ids(pages)).toEqual(['3410']);
  });

  it('caps the page size at 250 and refuses a page size below 1', async () => {
    await client().listChangedOrders(null, { since: SINCE, pageSize: 1000 });
    expect(listQueries()[0]?.limit).toBe('250');
    expect((await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 0 }))).code).toBe('invalid_input');
  });

  it('resumes from the stored cursor after a crash in the middle of a pass, losing nothing', async () => {
    for (let index = 0; index < 6; index += 1) bigcommerce.put(orderAt(3420 + index, T0 + index * 60_000));
    const first = await client().listChangedOrders(null, { since: SINCE, pageSize: 2 });
    // The worker reads the second page, then dies before storing its cursor.
    await client().listChangedOrders(first.nextCursor, { since: SINCE, pageSize: 2 });

    const restarted = client();
    const { pages } = await pullAll(restarted, first.nextCursor, 2);
    expect(ids([first, ...pages])).toEqual(['3420', '3421', '3422', '3423', '3424', '3425']);
  });

  it('does not skip an order when an earlier one is modified during the pass', async () => {
    for (let index = 0; index < 5; index += 1) bigcommerce.put(orderAt(3430 + index, T0 + index * 60_000));
    const platform = client();
    const first = await platform.listChangedOrders(null, { since: SINCE, pageSize: 2 });
    // With plain page numbers, 3430 moving to the end would slide 3432 onto page 1, already read.
    bigcommerce.touch(3430, T0 + 3600_000);
    const { pages } = await pullAll(platform, first.nextCursor, 2);

    expect(ids([first, ...pages])).toEqual(['3430', '3431', '3432', '3433', '3434', '3430']);
    const modified = pages.flatMap((page) => page.orders).find((order) => order.externalId === '3430');
    expect(modified?.platformUpdatedAt).toBe('2024-10-08T10:00:00.000Z');
  });

  it('gets through a full page of orders modified in the same second with page numbers', async () => {
    for (let index = 0; index < 5; index += 1) bigcommerce.put(orderAt(3440 + index, T0));
    const { pages } = await pullAll(client(), null, 2);
    expect(ids(pages)).toEqual(['3440', '3441', '3442', '3443', '3444']);
    expect(listQueries().map((query) => [query.min_date_modified, query.page])).toEqual([
      ['Tue, 01 Oct 2024 00:00:00 +0000', '1'],
      ['Tue, 08 Oct 2024 08:59:59 +0000', '1'],
      ['Tue, 08 Oct 2024 08:59:59 +0000', '2'],
      ['Tue, 08 Oct 2024 08:59:59 +0000', '3'],
    ]);
  });

  it('starts each new pass 5 minutes before the newest change seen, and catches an order listed late', async () => {
    bigcommerce.put(orderAt(3450, T0)).put(orderAt(3451, T0 + 600_000));
    const platform = client();
    const firstPass = await pullAll(platform, null, 50);
    expect(ids(firstPass.pages)).toEqual(['3450', '3451']);

    // Committed with a date_modified two minutes before the newest order we already read.
    bigcommerce.put(orderAt(3452, T0 + 480_000));
    const secondPass = await pullAll(platform, firstPass.cursor, 50);

    expect(listQueries().at(-1)?.min_date_modified).toBe('Tue, 08 Oct 2024 09:05:00 +0000');
    expect(ids(secondPass.pages)).toEqual(['3452']);
    // 3451 was listed again in the overlap but, unchanged, not fetched again.
    expect(bigcommerce.server.requestsTo(`GET ${STORE}/v2/orders/3451/products`)).toHaveLength(1);
  });

  it('an empty pass keeps its place instead of drifting back', async () => {
    bigcommerce.put(orderAt(3460, T0));
    const platform = client();
    let cursor = (await pullAll(platform, null, 50)).cursor;
    for (let pass = 0; pass < 3; pass += 1) cursor = (await pullAll(platform, cursor, 50)).cursor;
    expect(
      listQueries()
        .slice(1)
        .map((query) => query.min_date_modified),
    ).toEqual([
      'Tue, 08 Oct 2024 08:55:00 +0000',
      'Tue, 08 Oct 2024 08:55:00 +0000',
      'Tue, 08 Oct 2024 08:55:00 +0000',
    ]);
  });

  it('refuses a cursor it did not write', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('{"v":2}').toString('base64url')]) {
      expect((await failure(client().listChangedOrders(cursor, { since: SINCE, pageSize: 2 }))).code).toBe(
        'invalid_input',
      );
    }
    expect(bigcommerce.server.requests).toHaveLength(0);
  });

  it('refuses a `since` that is not a date', async () => {
    expect((await failure(client().listChangedOrders(null, { since: 'last week', pageSize: 2 }))).code).toBe(
      'invalid_input',
    );
  });
});

describe('rate limits', () => {
  it('429 → upstream_rate_limited for X-Rate-Limit-Time-Reset-Ms, and the next call waits that long', async () => {
    bigcommerce.server.queue(ORDERS, {
      status: 429,
      headers: { 'x-rate-limit-requests-left': '0', 'x-rate-limit-time-reset-ms': '7250' },
      body: [{ status: 429, message: 'Too many requests' }],
    });
    const platform = client();
    const error = await failure(platform.listChangedOrders(null, { since: SINCE, pageSize: 2 }));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ retryAfterMs: 7250 });

    await platform.listChangedOrders(null, { since: SINCE, pageSize: 2 });
    expect(sleeps).toContain(7250);
  });

  it('a 429 without BigCommerce headers (platform-wide load) backs off from 5 s, doubling', async () => {
    bigcommerce.server.queue(ORDERS, { status: 429 }, { status: 429 });
    const platform = client();
    const first = await failure(platform.listChangedOrders(null, { since: SINCE, pageSize: 2 }));
    const second = await failure(platform.listChangedOrders(null, { since: SINCE, pageSize: 2 }));
    expect([first.details?.retryAfterMs, second.details?.retryAfterMs]).toEqual([5000, 10_000]);
    expect(second.details).toMatchObject({ platformWide: true });
  });

  it('pauses every call until the window resets when few requests are left', async () => {
    bigcommerce.put(orderAt(3500, T0));
    bigcommerce.requestsLeft = 4;
    bigcommerce.resetMs = 9000;
    await client().fetchOrder('3500');
    expect(sleeps).toContain(9000);
  });

  it('does not pause while the quota is comfortable', async () => {
    bigcommerce.put(orderAt(3501, T0));
    await client().fetchOrder('3501');
    expect(sleeps).toEqual([]);
  });
});

describe('failures', () => {
  it('401 → upstream_auth_failed', async () => {
    const error = await failure(
      client({ credentials: { accessToken: 'revoked', storeHash: STORE_HASH } }).listChangedOrders(null, {
        since: SINCE,
        pageSize: 2,
      }),
    );
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details).toMatchObject({ status: 401 });
  });

  it('403 → upstream_auth_failed (a token without the Orders scope)', async () => {
    bigcommerce.server.queue(ORDERS, { status: 403, body: [{ status: 403, message: 'missing scope' }] });
    expect((await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }))).code).toBe(
      'upstream_auth_failed',
    );
  });

  it.each([500, 502, 503])('%i → upstream_unavailable', async (status) => {
    bigcommerce.server.queue(ORDERS, { status, body: 'upstream error' });
    expect((await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }))).code).toBe(
      'upstream_unavailable',
    );
  });

  it('a 5xx on a sub-resource fails the page, so its cursor is not stored', async () => {
    bigcommerce.put(orderAt(3510, T0));
    bigcommerce.server.queue(`GET ${STORE}/v2/orders/3510/products`, { status: 503 });
    expect((await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }))).code).toBe(
      'upstream_unavailable',
    );
  });

  it('an answer slower than the timeout → upstream_unavailable', async () => {
    bigcommerce.server.queue(ORDERS, { delayMs: 1500, body: [] });
    const error = await failure(client({ timeoutMs: 150 }).listChangedOrders(null, { since: SINCE, pageSize: 2 }));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 150 ms/);
  });

  it('a dropped connection → upstream_unavailable', async () => {
    bigcommerce.server.queue(ORDERS, { destroy: true });
    expect((await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }))).code).toBe(
      'upstream_unavailable',
    );
  });

  it('malformed JSON → upstream_invalid_response', async () => {
    bigcommerce.server.queue(ORDERS, { status: 200, body: 'not json' });
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/not JSON/);
  });

  it('a list that is not a list → upstream_invalid_response', async () => {
    bigcommerce.server.queue(ORDERS, { body: { data: [] } });
    expect((await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }))).code).toBe(
      'upstream_invalid_response',
    );
  });

  it('an order of the wrong shape → upstream_invalid_response naming the field', async () => {
    bigcommerce.server.queue(ORDERS, { body: [{ ...orderAt(3520, T0).order, status_id: 'eleven' }] });
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/order\.status_id/);
  });

  it('another 4xx → upstream_invalid_response with BigCommerce’s message', async () => {
    bigcommerce.server.queue(ORDERS, { status: 400, body: [{ status: 400, message: 'The field sort is invalid.' }] });
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 2 }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/HTTP 400: The field sort is invalid\./);
  });
});

describe('testConnection', () => {
  it('passes with a working token', async () => {
    await client().testConnection();
    expect(bigcommerce.server.requests.map((request) => request.path)).toEqual([`${STORE}/v2/orders/count`]);
  });

  it('fails with upstream_auth_failed for a refused token', async () => {
    const error = await failure(
      client({ credentials: { accessToken: 'nope', storeHash: STORE_HASH } }).testConnection(),
    );
    expect(error.code).toBe('upstream_auth_failed');
  });
});

describe('registerWebhooks', () => {
  const CALLBACK = 'https://track.example.com/webhooks/bigcommerce/store-1';

  it('creates one hook per scope with the secret header BigCommerce will echo', async () => {
    const registered = await client().registerWebhooks!(CALLBACK);
    expect(registered).toEqual([...BIGCOMMERCE_WEBHOOK_SCOPES]);
    const posts = bigcommerce.server.requestsTo(HOOKS_POST);
    expect(posts.map((request) => JSON.parse(request.body) as unknown)).toEqual(
      BIGCOMMERCE_WEBHOOK_SCOPES.map((scope) => ({
        scope,
        destination: CALLBACK,
        is_active: true,
        headers: { 'X-Waymark-Webhook-Secret': 'wm-hook-3b1f7c0e9a2d4c58b6e1' },
      })),
    );
    expect(posts[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-auth-token': ACCESS_TOKEN });
  });

  it('is idempotent: a second run creates nothing', async () => {
    await client().registerWebhooks!(CALLBACK);
    const again = await client().registerWebhooks!(CALLBACK);
    expect(again).toEqual([...BIGCOMMERCE_WEBHOOK_SCOPES]);
    expect(bigcommerce.server.requestsTo(HOOKS_POST)).toHaveLength(BIGCOMMERCE_WEBHOOK_SCOPES.length);
  });

  it('leaves a deactivated hook out of the answer (reviving it needs PUT)', async () => {
    bigcommerce.hooks.push({
      id: 1,
      scope: 'store/order/updated',
      destination: CALLBACK,
      is_active: false,
      headers: null,
    });
    const registered = await client().registerWebhooks!(CALLBACK);
    expect(registered).not.toContain('store/order/updated');
    expect(registered).toHaveLength(BIGCOMMERCE_WEBHOOK_SCOPES.length - 1);
  });

  it.each([['http://track.example.com/hooks'], ['https://track.example.com:8443/hooks'], ['not a url']])(
    'refuses %s: BigCommerce delivers to https on port 443 only',
    async (url) => {
      expect((await failure(client().registerWebhooks!(url))).code).toBe('config_invalid');
      expect(bigcommerce.server.requests).toHaveLength(0);
    },
  );

  it('needs the webhook secret', async () => {
    const error = await failure(client({ webhookSecret: null }).registerWebhooks!(CALLBACK));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/webhookSecret/);
  });
});
