import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isDomainError, type DomainError } from '../../../core/errors.js';
import type { PlatformClient } from '../../../core/ports/platform.port.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import type { HttpRequest } from '../../carriers/shared/carrier-http.js';
import {
  createWooCommerceClient,
  decodeWooCommerceCursor,
  encodeWooCommerceCursor,
  WOOCOMMERCE_MAX_PAGE_SIZE,
  type WooCommerceClientOptions,
} from './woocommerce.client.js';

const CONSUMER_KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const CONSUMER_SECRET = 'cs_fedcba9876543210fedcba9876543210fedcba98';
const CREDENTIALS = { consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET };
const WEBHOOK_SECRET = 'wm_whsec_4c1f0e9a7b2d';
const ORDERS = 'GET /wp-json/wc/v3/orders';
const WEBHOOKS = 'GET /wp-json/wc/v3/webhooks';
const CREATE_WEBHOOK = 'POST /wp-json/wc/v3/webhooks';
const SINCE = '2026-01-01T00:00:00.000Z';

type RawOrder = Record<string, unknown> & { id: number; date_modified_gmt: string };
type FakeWebhook = { id: number; name: string; status: string; topic: string; delivery_url: string; secret: string };

const template = JSON.parse(
  readFileSync(new URL('./__fixtures__/order.v3.get.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** An order like the documentation's, with its own id and modification time (UTC, zone-less). */
function wooOrder(id: number, modifiedGmt: string, status = 'processing'): RawOrder {
  return {
    ...structuredClone(template),
    id,
    number: String(id),
    status,
    date_created_gmt: '2026-01-01T00:00:00',
    date_modified_gmt: modifiedGmt,
    // The site runs three hours behind UTC; a client reading these would be wrong.
    date_modified: new Date(Date.parse(`${modifiedGmt}Z`) - 3 * 3600_000).toISOString().slice(0, 19),
  };
}

/** `2026-01-10T10:00:00` plus some seconds, as WooCommerce writes `_gmt` dates. */
function at(seconds: number): string {
  return new Date(Date.parse('2026-01-10T10:00:00Z') + seconds * 1000).toISOString().slice(0, 19);
}

function wooError(status: number, code: string, message: string): FakeAnswer {
  return { status, body: { code, message, data: { status } } };
}

/**
 * A WooCommerce site as the REST API v3 behaves: Basic auth with the consumer key and secret
 * (or the keys as query parameters), `modified_after` exclusive and compared with the GMT
 * column when `dates_are_gmt=true`, `orderby=modified`, `per_page` ≤ 100, `X-WP-Total` and
 * `X-WP-TotalPages`, 404 `woocommerce_rest_shop_order_invalid_id` for a missing order,
 * webhooks created with POST and updated with POST to their id.
 */
class FakeWooCommerce {
  readonly server = new FakeHttpServer();
  readonly orders = new Map<number, RawOrder>();
  readonly webhooks: FakeWebhook[] = [];
  #nextWebhookId = 40;

  async start(): Promise<this> {
    this.server.on(ORDERS, (request) => this.#authorised(request, () => this.#listOrders(request)));
    this.server.on(WEBHOOKS, (request) => this.#authorised(request, () => this.#listWebhooks(request)));
    this.server.on(CREATE_WEBHOOK, (request) => this.#authorised(request, () => this.#createWebhook(request)));
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  put(...orders: RawOrder[]): void {
    for (const order of orders) {
      this.orders.set(order.id, order);
      this.server.on(`GET /wp-json/wc/v3/orders/${order.id}`, (request) =>
        this.#authorised(request, () => {
          const current = this.orders.get(order.id);
          return current ? { body: current } : wooError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
        }),
      );
    }
  }

  /** The order changed on the site: a new modification time. */
  modify(id: number, modifiedGmt: string, status?: string): void {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    this.orders.set(id, { ...order, date_modified_gmt: modifiedGmt, ...(status ? { status } : {}) });
  }

  listQueries(): URLSearchParams[] {
    return this.server.requestsTo(ORDERS).map((request) => request.query);
  }

  #authorised(request: RecordedRequest, answer: () => FakeAnswer): FakeAnswer {
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [key, secret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':')
      : [request.query.get('consumer_key'), request.query.get('consumer_secret')];
    if (!key && !secret) return wooError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    if (key !== CONSUMER_KEY || secret !== CONSUMER_SECRET) {
      return wooError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    }
    return answer();
  }

  #listOrders(request: RecordedRequest): FakeAnswer {
    const { query } = request;
    const perPage = Number(query.get('per_page') ?? 10);
    const page = Number(query.get('page') ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return wooError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page');
    }
    const orderby = query.get('orderby');
    if (orderby !== null && !['date', 'id', 'include', 'title', 'slug', 'modified'].includes(orderby)) {
      return wooError(400, 'rest_invalid_param', 'Invalid parameter(s): orderby');
    }
    const after = query.get('modified_after');
    // Without dates_are_gmt the bound would be compared with the site's local column.
    const column = query.get('dates_are_gmt') === 'true' ? 'date_modified_gmt' : 'date_modified';
    let matching = [...this.orders.values()];
    if (after !== null) matching = matching.filter((order) => String(order[column]) > after);
    matching.sort((a, b) =>
      orderby === 'modified' ? a.date_modified_gmt.localeCompare(b.date_modified_gmt) || a.id - b.id : b.id - a.id,
    );
    if (query.get('order') === 'desc') matching.reverse();
    const totalPages = Math.ceil(matching.length / perPage);
    return {
      body: matching.slice((page - 1) * perPage, page * perPage),
      headers: { 'X-WP-Total': String(matching.length), 'X-WP-TotalPages': String(totalPages) },
    };
  }

  #listWebhooks(request: RecordedRequest): FakeAnswer {
    const perPage = Number(request.query.get('per_page') ?? 10);
    const page = Number(request.query.get('page') ?? 1);
    const shown = this.webhooks.map(({ secret: _secret, ...visible }) => visible);
    return {
      body: shown.slice((page - 1) * perPage, page * perPage),
      headers: {
        'X-WP-Total': String(shown.length),
        'X-WP-TotalPages': String(Math.ceil(shown.length / perPage)),
      },
    };
  }

  #createWebhook(request: RecordedRequest): FakeAnswer {
    const body = JSON.parse(request.body) as Partial<FakeWebhook>;
    if (!body.topic || !body.delivery_url) return wooError(400, 'rest_missing_callback_param', 'Missing parameter(s)');
    const webhook: FakeWebhook = {
      id: (this.#nextWebhookId += 1),
      name: body.name ?? 'Webhook',
      status: body.status ?? 'active',
      topic: body.topic,
      delivery_url: body.delivery_url,
      secret: body.secret ?? 'derived-from-user',
    };
    this.webhooks.push(webhook);
    this.server.on(`POST /wp-json/wc/v3/webhooks/${webhook.id}`, (update) =>
      this.#authorised(update, () => {
        Object.assign(webhook, JSON.parse(update.body) as Partial<FakeWebhook>);
        return { body: webhook };
      }),
    );
    return { status: 201, body: webhook };
  }
}

let woo: FakeWooCommerce;
let clock: number;
let sleeps: number[];

beforeEach(async () => {
  woo = await new FakeWooCommerce().start();
  clock = Date.parse('2026-01-20T12:00:00Z');
  sleeps = [];
});

afterEach(async () => {
  await woo.server.stop();
});

function client(overrides: Partial<WooCommerceClientOptions> = {}): PlatformClient {
  return createWooCommerceClient({
    credentials: CREDENTIALS,
    baseUrl: woo.url,
    webhookSecret: WEBHOOK_SECRET,
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

/** Pulls pages until the pass ends; returns the order ids in the order they came and the final cursor. */
async function pullPass(
  platform: PlatformClient,
  cursor: string | null,
  pageSize: number,
  beforeEachPage: (pageIndex: number) => void = () => {},
): Promise<{ ids: string[]; cursor: string; pages: number }> {
  const ids: string[] = [];
  let current = cursor;
  for (let pages = 0; pages < 50; pages += 1) {
    beforeEachPage(pages);
    const page = await platform.listChangedOrders(current, { since: SINCE, pageSize });
    ids.push(...page.orders.map((order) => order.externalId));
    current = page.nextCursor;
    if (!page.hasMore) return { ids, cursor: current, pages: pages + 1 };
  }
  throw new Error('the pass never ended');
}

describe('createWooCommerceClient options', () => {
  it.each([
    ['no credentials at all', { credentials: undefined }, /consumerKey/],
    ['no consumer secret', { credentials: { consumerKey: CONSUMER_KEY } }, /consumerSecret/],
    [
      'the key and secret swapped',
      { credentials: { consumerKey: CONSUMER_SECRET, consumerSecret: CONSUMER_KEY } },
      /"ck_"/,
    ],
    ['a secret that is not one', { credentials: { consumerKey: CONSUMER_KEY, consumerSecret: 'hunter2' } }, /"cs_"/],
    ['neither baseUrl nor domain', { baseUrl: undefined }, /baseUrl .* or domain/],
    ['a base URL that is not one', { baseUrl: 'shop example org' }, /not a URL/],
    ['plain http to a real host', { baseUrl: 'http://shop.example.org' }, /must be https/],
    ['a base URL with a query', { baseUrl: 'https://shop.example.org/?consumer_key=x' }, /query/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
    ['a negative overlap', { overlapMs: -1 }, /overlapMs/],
  ])('should refuse %s at construction', (_label, overrides, message) => {
    const options = { credentials: CREDENTIALS, baseUrl: 'https://shop.example.org', ...overrides };
    let error: unknown;
    try {
      createWooCommerceClient(options as WooCommerceClientOptions);
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('config_invalid');
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    [{ domain: 'shop.example.org' }, 'https://shop.example.org/wp-json/wc/v3/orders/727'],
    [{ baseUrl: 'https://shop.example.org/' }, 'https://shop.example.org/wp-json/wc/v3/orders/727'],
    [{ baseUrl: 'https://example.org/store/wp-json/' }, 'https://example.org/store/wp-json/wc/v3/orders/727'],
  ])('should build the API URL from %j', async (where, expected) => {
    const urls: string[] = [];
    const exchange = (request: HttpRequest) => {
      urls.push(request.url);
      return Promise.resolve({ status: 200, headers: new Headers(), text: JSON.stringify(template) });
    };
    await createWooCommerceClient({ credentials: CREDENTIALS, exchange, ...where }).fetchOrder('727');
    expect(urls).toEqual([expected]);
  });
});

describe('WooCommerce authentication', () => {
  it('should send the consumer key and secret as HTTP Basic', async () => {
    woo.put(wooOrder(727, at(0)));
    const order = await client().fetchOrder('727');
    expect(order?.externalId).toBe('727');
    const [request] = woo.server.requestsTo('GET /wp-json/wc/v3/orders/727');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${CONSUMER_KEY}:${CONSUMER_SECRET}`).toString('base64')}`,
    );
    expect(request?.query.has('consumer_key')).toBe(false);
  });

  it('should send the keys as query parameters when the host drops the Authorization header', async () => {
    woo.put(wooOrder(727, at(0)));
    await client({ credentialsInQuery: true }).fetchOrder('727');
    const [request] = woo.server.requestsTo('GET /wp-json/wc/v3/orders/727');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.query.get('consumer_key')).toBe(CONSUMER_KEY);
    expect(request?.query.get('consumer_secret')).toBe(CONSUMER_SECRET);
  });

  it('should report refused keys as upstream_auth_failed with WooCommerce’s code', async () => {
    woo.put(wooOrder(727, at(0)));
    const refused = client({ credentials: { consumerKey: CONSUMER_KEY, consumerSecret: 'cs_wrong' } });
    const error = await failure(refused.fetchOrder('727'));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toMatch(/HTTP 401.*woocommerce_rest_authentication_error/);
    expect(error.details).toMatchObject({ status: 401, wooCommerceCode: 'woocommerce_rest_authentication_error' });
  });

  it('should test the connection with one cheap authenticated call', async () => {
    await client().testConnection();
    const [request] = woo.server.requestsTo(ORDERS);
    expect(request?.query.get('per_page')).toBe('1');
    const refused = client({ credentials: { consumerKey: 'ck_other', consumerSecret: CONSUMER_SECRET } });
    expect((await failure(refused.testConnection())).code).toBe('upstream_auth_failed');
  });

  it('should treat WooCommerce’s JSON 403 as refused permissions', async () => {
    woo.server.queue(ORDERS, wooError(403, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'));
    expect((await failure(client().testConnection())).code).toBe('upstream_auth_failed');
  });
});

describe('WooCommerce fetchOrder', () => {
  it('should map the order, reading the UTC times', async () => {
    woo.put(wooOrder(4104, at(30), 'completed'));
    const order = await client().fetchOrder('4104');
    expect(order).toMatchObject({
      externalId: '4104',
      orderStatus: 'fulfilled',
      platformUpdatedAt: '2026-01-10T10:00:30.000Z',
    });
  });

  it('should answer null for an order WooCommerce says does not exist', async () => {
    woo.put(wooOrder(4104, at(0)));
    woo.orders.delete(4104);
    expect(await client().fetchOrder('4104')).toBeNull();
  });

  it('should answer null without a call for an id that cannot be an order', async () => {
    expect(await client().fetchOrder('abc')).toBeNull();
    expect(await client().fetchOrder('0')).toBeNull();
    expect(woo.server.requests).toHaveLength(0);
  });

  it('should not mistake a missing REST route for a missing order', async () => {
    woo.server.on('GET /wp-json/wc/v3/orders/55', () =>
      wooError(404, 'rest_no_route', 'No route was found matching the URL and request method.'),
    );
    const error = await failure(client().fetchOrder('55'));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/rest_no_route/);
    woo.server.on('GET /wp-json/wc/v3/orders/56', () => ({ status: 404, body: '<html>Not Found</html>' }));
    expect((await failure(client().fetchOrder('56'))).code).toBe('upstream_invalid_response');
  });

  it('should report an order it cannot read as an invalid response naming the order', async () => {
    woo.put({ ...wooOrder(4104, at(0)), date_created_gmt: 'yesterday' });
    const error = await failure(client().fetchOrder('4104'));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/order 4104.*"date_created_gmt"/);
  });
});

describe('WooCommerce listChangedOrders', () => {
  it('should ask for orders modified after `since`, in UTC, oldest change first', async () => {
    woo.put(wooOrder(1, at(0)));
    await client().listChangedOrders(null, { since: '2026-01-10T09:59:59.750Z', pageSize: 25 });
    const [query] = woo.listQueries();
    expect(Object.fromEntries(query ?? [])).toEqual({
      modified_after: '2026-01-10T09:59:59',
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: '25',
      page: '1',
    });
  });

  it('should page through every changed order once, oldest first, and say when the pass ends', async () => {
    woo.put(...[5, 3, 1, 4, 2].map((n) => wooOrder(100 + n, at(n * 60))));
    woo.put(wooOrder(99, '2025-12-31T23:00:00'));
    const { ids, pages } = await pullPass(client(), null, 2);
    expect(ids).toEqual(['101', '102', '103', '104', '105']);
    // Each page after the first re-reads the boundary order (not handed over again): 1 + 1 + 1 + 2 new.
    expect(pages).toBe(4);
  });

  it('should keep no order out when orders change while it pages (modified orders move to the end)', async () => {
    woo.put(...Array.from({ length: 6 }, (_, n) => wooOrder(200 + n, at(n * 60))));
    const seen = new Set<string>();
    const { ids } = await pullPass(client(), null, 2, (pageIndex) => {
      // After the first page, an already-read order changes: with plain page numbers, 202 would slide
      // onto page 1 and never be read.
      if (pageIndex === 1) woo.modify(200, at(3600));
    });
    ids.forEach((id) => seen.add(id));
    expect([...seen].sort()).toEqual(['200', '201', '202', '203', '204', '205']);
    expect(ids.at(-1)).toBe('200');
  });

  it('should resume exactly where a crash left off, from the stored cursor, in a new client', async () => {
    woo.put(...Array.from({ length: 7 }, (_, n) => wooOrder(300 + n, at(n * 10))));
    const first = client();
    const page1 = await first.listChangedOrders(null, { since: SINCE, pageSize: 3 });
    expect(page1.orders.map((order) => order.externalId)).toEqual(['300', '301', '302']);
    expect(page1.hasMore).toBe(true);
    // The worker stored page1.nextCursor, then crashed before the next page.
    const restarted = client();
    const rest = await pullPass(restarted, page1.nextCursor, 3);
    expect(rest.ids).toEqual(['303', '304', '305', '306']);
  });

  it('should keep an opaque, versioned cursor: where the window starts and which page of it', async () => {
    woo.put(...Array.from({ length: 3 }, (_, n) => wooOrder(400 + n, at(n * 60))));
    const page = await client().listChangedOrders(null, { since: SINCE, pageSize: 2 });
    expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    // Re-anchored one second before the last change seen (modified_after is exclusive), remembering
    // the order of that second that was already handed over.
    expect(decodeWooCommerceCursor(page.nextCursor)).toEqual({
      v: 1,
      after: '2026-01-10T10:00:59.000Z',
      page: 1,
      seen: ['401'],
    });
  });

  it('should start the next pass five minutes before the last change seen, to catch late commits', async () => {
    woo.put(wooOrder(501, at(0)), wooOrder(502, at(600)));
    const pass = await pullPass(client(), null, 10);
    expect(pass.ids).toEqual(['501', '502']);
    expect(decodeWooCommerceCursor(pass.cursor)).toEqual({
      v: 1,
      after: '2026-01-10T10:05:00.000Z',
      page: 1,
      seen: [],
    });

    // An order saved two minutes before 502 but committed after the pull.
    woo.put(wooOrder(503, at(480)));
    const next = await pullPass(client(), pass.cursor, 10);
    expect(next.ids).toEqual(['503', '502']);
  });

  it('should take the overlap from the options and never move the window backwards', async () => {
    woo.put(wooOrder(601, at(0)));
    const pass = await pullPass(client({ overlapMs: 60_000 }), null, 10);
    expect(decodeWooCommerceCursor(pass.cursor).after).toBe('2026-01-10T09:59:00.000Z');
    const later = encodeWooCommerceCursor({ after: '2026-01-10T09:59:30.000Z', page: 1 });
    const again = await pullPass(client({ overlapMs: 60_000 }), later, 10);
    expect(decodeWooCommerceCursor(again.cursor).after).toBe('2026-01-10T09:59:30.000Z');
  });

  it('should keep the window where it is when nothing changed', async () => {
    const page = await client().listChangedOrders(null, { since: SINCE, pageSize: 10 });
    expect(page).toEqual({
      orders: [],
      nextCursor: encodeWooCommerceCursor({ after: SINCE, page: 1 }),
      hasMore: false,
    });
  });

  it('should advance page numbers when more than a page of orders share one second', async () => {
    woo.put(...Array.from({ length: 5 }, (_, n) => wooOrder(700 + n, at(0))));
    woo.put(wooOrder(799, at(5)));
    const { ids } = await pullPass(client(), null, 2);
    expect(ids).toEqual(['700', '701', '702', '703', '704', '799']);
  });

  it('should neither lose nor repeat orders that share the second a page ends on', async () => {
    woo.put(wooOrder(751, at(0)), wooOrder(752, at(5)), wooOrder(753, at(5)), wooOrder(754, at(9)));
    const { ids } = await pullPass(client(), null, 2);
    expect(ids).toEqual(['751', '752', '753', '754']);
  });

  it('should hand an order over again when it changed again after it was seen', async () => {
    woo.put(wooOrder(761, at(0)), wooOrder(762, at(5)), wooOrder(763, at(7)));
    const platform = client();
    const first = await platform.listChangedOrders(null, { since: SINCE, pageSize: 2 });
    expect(first.orders.map((order) => order.externalId)).toEqual(['761', '762']);
    woo.modify(762, at(8), 'completed');
    const rest = await pullPass(platform, first.nextCursor, 2);
    expect(rest.ids).toEqual(['763', '762']);
  });

  it('should ask for at most WordPress’s 100 per page', async () => {
    await client().listChangedOrders(null, { since: SINCE, pageSize: 500 });
    expect(woo.listQueries()[0]?.get('per_page')).toBe(String(WOOCOMMERCE_MAX_PAGE_SIZE));
  });

  it('should take a full page as "maybe more" when a proxy stripped X-WP-TotalPages', async () => {
    woo.put(wooOrder(801, at(0)), wooOrder(802, at(1)));
    woo.server.queue(ORDERS, { body: [wooOrder(801, at(0)), wooOrder(802, at(1))] });
    const page = await client().listChangedOrders(null, { since: SINCE, pageSize: 2 });
    expect(page.hasMore).toBe(true);
  });

  it('should end the pass on WordPress’s 400 for a page past the last', async () => {
    woo.server.queue(
      ORDERS,
      wooError(
        400,
        'rest_post_invalid_page_number',
        'The page number requested is larger than the number of pages available.',
      ),
    );
    const cursor = encodeWooCommerceCursor({ after: SINCE, page: 4 });
    const page = await client().listChangedOrders(cursor, { since: SINCE, pageSize: 10 });
    expect(page).toEqual({
      orders: [],
      nextCursor: encodeWooCommerceCursor({ after: SINCE, page: 1 }),
      hasMore: false,
    });
  });

  it.each([
    '',
    'not-a-cursor',
    Buffer.from('{"v":1,"after":"never","page":1}').toString('base64url'),
    Buffer.from('{"v":2}').toString('base64url'),
    Buffer.from('{"v":1,"after":"2026-01-01T00:00:00Z","page":1,"seen":[7]}').toString('base64url'),
  ])('should refuse the cursor %j', async (cursor) => {
    // An empty string is "no cursor"; everything else must be one of ours.
    if (cursor === '') {
      await expect(client().listChangedOrders(cursor, { since: SINCE, pageSize: 1 })).resolves.toBeDefined();
      return;
    }
    expect((await failure(client().listChangedOrders(cursor, { since: SINCE, pageSize: 1 }))).code).toBe(
      'invalid_input',
    );
  });

  it('should say when a site is too old to order by modification', async () => {
    woo.server.queue(ORDERS, wooError(400, 'rest_invalid_param', 'Invalid parameter(s): orderby'));
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 10 }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/HTTP 400: rest_invalid_param \(Invalid parameter\(s\): orderby\)/);
  });

  it('should refuse a page with an order it cannot read', async () => {
    woo.put({ ...wooOrder(901, at(0)), line_items: 'none' });
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 10 }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/order 901.*"line_items"/);
  });
});

describe('WooCommerce failures', () => {
  it('should report a host’s 429 with its Retry-After, and pause every later call', async () => {
    woo.server.queue(ORDERS, { status: 429, headers: { 'Retry-After': '7' }, body: '<html>Too Many Requests</html>' });
    const platform = client();
    const error = await failure(platform.testConnection());
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 7000 });
    await platform.testConnection();
    expect(sleeps).toEqual([7000]);
  });

  it('should read the Store API’s RateLimit-Retry-After when there is no Retry-After', async () => {
    woo.server.queue(ORDERS, {
      status: 429,
      headers: { 'RateLimit-Limit': '25', 'RateLimit-Remaining': '0', 'RateLimit-Retry-After': '4' },
      body: { code: 'rate_limit_exceeded', message: 'Too many requests. Please wait 4 seconds before trying again.' },
    });
    const error = await failure(client().testConnection());
    expect(error.details).toMatchObject({ retryAfterMs: 4000, wooCommerceCode: 'rate_limit_exceeded' });
  });

  it('should pause before the next call when a successful answer says the window is used up', async () => {
    const resetAt = Math.floor(clock / 1000) + 3;
    woo.server.queue(ORDERS, {
      body: [],
      headers: { 'RateLimit-Limit': '25', 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(resetAt) },
    });
    const platform = client();
    await platform.testConnection();
    await platform.testConnection();
    expect(sleeps).toEqual([3000]);
  });

  it('should take a firewall’s HTML 403 for throttling, not for refused keys', async () => {
    woo.server.queue(ORDERS, { status: 403, body: '<html><title>Access denied | Cloudflare</title></html>' });
    const error = await failure(client().testConnection());
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.message).toMatch(/host or firewall/);
  });

  it.each([500, 502, 503, 504])('should report HTTP %i as upstream_unavailable', async (status) => {
    woo.server.queue(ORDERS, { status, body: '<html>Error establishing a database connection</html>' });
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 10 }));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ status });
  });

  it('should give up on a slow answer after the timeout', async () => {
    woo.server.queue(ORDERS, { delayMs: 1000, body: [] });
    const error = await failure(client({ timeoutMs: 150 }).listChangedOrders(null, { since: SINCE, pageSize: 10 }));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 150 ms/);
  });

  it('should report a dropped connection as upstream_unavailable', async () => {
    woo.server.queue(ORDERS, { destroy: true });
    expect((await failure(client().testConnection())).code).toBe('upstream_unavailable');
  });

  it.each([
    ['malformed JSON', { body: '[{"id": 1,' }],
    ['a PHP notice before the JSON', { body: '<br /><b>Notice</b>: Undefined index\n[]' }],
    ['an object instead of a list', { body: { orders: [] } }],
  ])('should report %s as upstream_invalid_response', async (_label, answer) => {
    woo.server.queue(ORDERS, answer);
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 10 }));
    expect(error.code).toBe('upstream_invalid_response');
  });

  it('should stop calling a site that keeps failing (circuit open), without a request', async () => {
    const platform = client();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      woo.server.queue(ORDERS, { status: 503 });
      await failure(platform.testConnection());
    }
    const before = woo.server.requests.length;
    const error = await failure(platform.testConnection());
    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ circuit: 'open' });
    expect(woo.server.requests).toHaveLength(before);
  });
});

describe('WooCommerce registerWebhooks', () => {
  const CALLBACK = 'https://waymark.example.com/webhooks/woocommerce/store_1';

  it('should create the four order webhooks with Waymark’s URL and secret', async () => {
    const topics = await client().registerWebhooks?.(CALLBACK);
    expect(topics).toEqual(['order.created', 'order.updated', 'order.deleted', 'order.restored']);
    expect(
      woo.webhooks.map(({ topic, delivery_url, secret, status }) => ({ topic, delivery_url, secret, status })),
    ).toEqual(topics?.map((topic) => ({ topic, delivery_url: CALLBACK, secret: WEBHOOK_SECRET, status: 'active' })));
  });

  it('should update rather than duplicate on a second run, re-activating a disabled webhook', async () => {
    await client().registerWebhooks?.(CALLBACK);
    const updated = woo.webhooks.find((hook) => hook.topic === 'order.updated');
    if (!updated) throw new Error('no order.updated webhook');
    updated.status = 'disabled';
    updated.secret = 'old-secret';
    await client({ webhookSecret: 'wm_whsec_rotated' }).registerWebhooks?.(CALLBACK);
    expect(woo.webhooks).toHaveLength(4);
    expect(updated).toMatchObject({ status: 'active', secret: 'wm_whsec_rotated' });
    expect(woo.server.requestsTo(CREATE_WEBHOOK)).toHaveLength(4);
  });

  it('should leave other integrations’ webhooks alone', async () => {
    woo.webhooks.push({
      id: 7,
      name: 'ERP',
      status: 'active',
      topic: 'order.updated',
      delivery_url: 'https://erp.example.com/hook',
      secret: 'erp',
    });
    await client().registerWebhooks?.(CALLBACK);
    expect(woo.webhooks.find((hook) => hook.id === 7)).toMatchObject({
      delivery_url: 'https://erp.example.com/hook',
      secret: 'erp',
    });
    expect(woo.webhooks).toHaveLength(5);
  });

  it('should need the store’s webhook secret and a real callback URL', async () => {
    expect((await failure(client({ webhookSecret: null }).registerWebhooks!(CALLBACK))).code).toBe('config_invalid');
    expect((await failure(client().registerWebhooks!('ftp://waymark.example.com/'))).code).toBe('invalid_input');
    expect(woo.server.requests).toHaveLength(0);
  });

  it('should report read-only keys as refused credentials', async () => {
    woo.server.queue(
      CREATE_WEBHOOK,
      wooError(401, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.'),
    );
    const error = await failure(client().registerWebhooks!(CALLBACK));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toMatch(/woocommerce_rest_cannot_create/);
  });
});
