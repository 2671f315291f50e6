import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../../core/errors.js';
import type { PlatformClient } from '../../../core/ports/platform.port.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import type { HttpRequest } from '../../carriers/shared/carrier-http.js';
import {
  createShopifyClient,
  SHOPIFY_DEFAULT_API_VERSION,
  SHOPIFY_MAX_PAGE_SIZE,
  SHOPIFY_MAX_QUERY_COST,
  SHOPIFY_WEBHOOK_SUBSCRIPTIONS,
  type ShopifyClientOptions,
} from './shopify.client.js';

const TOKEN = 'shpat_waymark_test_token';
const GRAPHQL = `POST /admin/api/${SHOPIFY_DEFAULT_API_VERSION}/graphql.json`;

type OrderNode = Record<string, unknown> & { legacyResourceId: string; updatedAt: string };
type GraphqlRequest = { query: string; variables: Record<string, unknown> };

function templateNode(name: string): OrderNode {
  const nodes = (
    JSON.parse(readFileSync(new URL('./__fixtures__/own_graphql_orders.json', import.meta.url), 'utf8')) as {
      nodes: OrderNode[];
    }
  ).nodes;
  return structuredClone(nodes.find((node) => node.name === name)!);
}

/** A GraphQL order node like the fixture's #2201, with its own id and update time. */
function orderNode(id: number, updatedAt: string, overrides: Record<string, unknown> = {}): OrderNode {
  return {
    ...templateNode('#2201'),
    id: `gid://shopify/Order/${id}`,
    legacyResourceId: String(id),
    name: `#${id}`,
    displayFulfillmentStatus: 'UNFULFILLED',
    updatedAt,
    ...overrides,
  };
}

function fulfillmentNode(id: number, number: string): Record<string, unknown> {
  return {
    id: `gid://shopify/Fulfillment/${id}`,
    legacyResourceId: String(id),
    status: 'SUCCESS',
    createdAt: '2025-05-01T08:00:00Z',
    trackingInfo: [{ company: 'UPS', number, url: null }],
    fulfillmentLineItems: { pageInfo: { hasNextPage: false }, nodes: [] },
    events: { nodes: [] },
  };
}

/**
 * A Shopify GraphQL Admin API that checks what Shopify checks (the access
 * token, POST JSON) and answers the four operations the client sends:
 * `orders` filtered by `updated_at:>=`, sorted by update time, paginated
 * by an opaque cursor that remembers the last (updatedAt, id) like
 * Shopify's; `order(id:)`; `shop`; `webhookSubscriptionCreate`. Every
 * answer carries `extensions.cost` from `bucket`.
 */
class FakeShopify {
  readonly server = new FakeHttpServer();
  /** The store's orders as GraphQL nodes (what the list query returns). */
  orders: OrderNode[] = [];
  /** Nodes returned by `order(id:)` instead of the list node (bigger than the list query shows). */
  readonly fullOrders = new Map<string, OrderNode>();
  readonly subscriptions: { topic: string; input: Record<string, unknown> }[] = [];
  bucket = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 };

  async start(): Promise<this> {
    this.server.on(GRAPHQL, (request) => this.#answer(request));
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  graphqlRequests(): GraphqlRequest[] {
    return this.server.requestsTo(GRAPHQL).map((request) => JSON.parse(request.body) as GraphqlRequest);
  }

  listRequests(): GraphqlRequest[] {
    return this.graphqlRequests().filter((request) => request.query.includes('WaymarkChangedOrders'));
  }

  #cost(requestedQueryCost: number): Record<string, unknown> {
    return {
      cost: {
        requestedQueryCost,
        actualQueryCost: Math.min(requestedQueryCost, 12),
        throttleStatus: { ...this.bucket },
      },
    };
  }

  #answer(request: RecordedRequest): FakeAnswer {
    if (request.headers['x-shopify-access-token'] !== TOKEN) {
      return {
        status: 401,
        body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      };
    }
    if (request.headers['content-type'] !== 'application/json') return { status: 415, body: { errors: 'JSON only' } };
    const { query, variables } = JSON.parse(request.body) as GraphqlRequest;
    if (query.includes('WaymarkChangedOrders')) return this.#list(query, variables);
    if (query.includes('WaymarkOrder(')) {
      const id = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(String(variables.id))?.[1];
      const node = (id && (this.fullOrders.get(id) ?? this.orders.find((o) => o.legacyResourceId === id))) || null;
      return { body: { data: { order: node }, extensions: this.#cost(765) } };
    }
    if (query.includes('WaymarkTestConnection')) {
      return {
        body: {
          data: { shop: { name: 'Waymark Test', myshopifyDomain: 'waymark-test.myshopify.com' } },
          extensions: this.#cost(1),
        },
      };
    }
    if (query.includes('webhookSubscriptionCreate')) {
      const topic = String(variables.topic);
      const input = variables.webhookSubscription as Record<string, unknown>;
      const url = input.callbackUrl ?? input.uri;
      const taken = this.subscriptions.some((s) => s.topic === topic && (s.input.callbackUrl ?? s.input.uri) === url);
      if (!taken) this.subscriptions.push({ topic, input });
      return {
        body: {
          data: {
            webhookSubscriptionCreate: {
              webhookSubscription: taken
                ? null
                : { id: `gid://shopify/WebhookSubscription/${this.subscriptions.length}` },
              userErrors: taken
                ? [{ field: ['callbackUrl'], message: 'Address for this topic has already been taken' }]
                : [],
            },
          },
          extensions: this.#cost(10),
        },
      };
    }
    return { status: 400, body: { errors: [{ message: 'unknown operation' }] } };
  }

  #list(query: string, variables: Record<string, unknown>): FakeAnswer {
    const first = Number(variables.first);
    if (!query.includes('sortKey: UPDATED_AT') || !(first >= 1 && first <= 250)) {
      return { body: { errors: [{ message: 'bad orders arguments', extensions: { code: 'BAD_REQUEST' } }] } };
    }
    const search = String(variables.query);
    const from = /updated_at:>='([^']+)'/.exec(search)?.[1];
    // Without status:any, archived and cancelled orders would drop out (as REST's default does).
    const anyStatus = /(^|\s)status:any(\s|$)/.test(search);
    const key = (node: OrderNode): string => `${node.updatedAt}|${node.legacyResourceId.padStart(20, '0')}`;
    const after = typeof variables.after === 'string' ? Buffer.from(variables.after, 'base64').toString('utf8') : null;
    const matching = this.orders
      .filter((node) => (from ? Date.parse(node.updatedAt) >= Date.parse(from) : true))
      .filter((node) => anyStatus || (node.closedAt == null && node.cancelledAt == null))
      .sort((a, b) => key(a).localeCompare(key(b)))
      .filter((node) => after === null || key(node) > after);
    const nodes = matching.slice(0, first);
    const last = nodes.at(-1);
    return {
      body: {
        data: {
          orders: {
            pageInfo: {
              hasNextPage: matching.length > first,
              endCursor: last ? Buffer.from(key(last)).toString('base64') : null,
            },
            nodes,
          },
        },
        extensions: this.#cost(2 + first * 118),
      },
    };
  }
}

let shopify: FakeShopify;
let clock: number;
let sleeps: number[];

beforeEach(async () => {
  shopify = await new FakeShopify().start();
  clock = Date.parse('2025-05-01T12:00:00Z');
  sleeps = [];
});

afterEach(async () => {
  await shopify.server.stop();
});

function client(overrides: Partial<ShopifyClientOptions> = {}): PlatformClient {
  return createShopifyClient({
    credentials: { accessToken: TOKEN },
    baseUrl: shopify.url,
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

function decodeCursor(cursor: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const SINCE = '2025-05-01T00:00:00.000Z';

describe('createShopifyClient options', () => {
  it.each([
    ['no access token', { credentials: {} }, /credentials\.accessToken/],
    ['a blank access token', { credentials: { accessToken: '  ' } }, /accessToken/],
    ['no domain and no baseUrl', { baseUrl: undefined, domain: undefined }, /domain/],
    ['a custom storefront domain', { baseUrl: undefined, domain: 'shop.example.com' }, /myshopify\.com/],
    ['a base URL that is not one', { baseUrl: 'not a url' }, /baseUrl/],
    ['an ftp base URL', { baseUrl: 'ftp://example.com' }, /http\(s\)/],
    ['an API version that is not a release', { apiVersion: '2025-02' }, /apiVersion/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a negative rate', { ratePerSecond: -1 }, /ratePerSecond/],
    ['a negative overlap', { overlapMs: -1 }, /overlapMs/],
  ])('rejects %s at construction', (_label, overrides, message) => {
    let error: unknown;
    try {
      createShopifyClient({ credentials: { accessToken: TOKEN }, baseUrl: 'http://127.0.0.1:1', ...overrides });
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('config_invalid');
    expect((error as Error).message).toMatch(message);
  });

  it('calls https://{shop}.myshopify.com/admin/api/{version}/graphql.json with the access token', async () => {
    const sent: HttpRequest[] = [];
    const shopClient = createShopifyClient({
      credentials: { accessToken: TOKEN, unrelated: 'x' },
      domain: 'https://Waymark-Test.myshopify.com/',
      exchange: (request) => {
        sent.push(request);
        return Promise.resolve({
          status: 200,
          headers: new Headers(),
          text: JSON.stringify({ data: { shop: { name: 'x' } } }),
        });
      },
    });
    await shopClient.testConnection();
    expect(shopClient.platform).toBe('shopify');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      url: 'https://waymark-test.myshopify.com/admin/api/2025-01/graphql.json',
      method: 'POST',
      headers: { 'x-shopify-access-token': TOKEN, 'content-type': 'application/json' },
      timeoutMs: 10_000,
    });
  });
});

describe('listChangedOrders', () => {
  beforeEach(() => {
    shopify.orders = [
      orderNode(5001, '2025-05-01T09:00:00Z'),
      orderNode(5002, '2025-05-01T09:05:00Z', {
        closedAt: '2025-05-01T09:05:00Z',
        displayFulfillmentStatus: 'FULFILLED',
      }),
      orderNode(5003, '2025-05-01T09:05:00Z', { cancelledAt: '2025-05-01T09:05:00Z', cancelReason: 'CUSTOMER' }),
      orderNode(5004, '2025-05-01T10:00:00Z'),
      orderNode(5005, '2025-05-01T11:30:00Z', { displayFulfillmentStatus: 'PARTIALLY_FULFILLED' }),
      // Before `since`: never listed.
      orderNode(4999, '2025-04-30T23:59:59Z'),
    ];
  });

  it('asks for orders of any status updated since `since`, oldest change first, with the token', async () => {
    const page = await client().listChangedOrders(null, { since: SINCE, pageSize: 5 });
    const [request] = shopify.listRequests();
    expect(request?.variables).toEqual({
      first: 5,
      after: null,
      query: "status:any updated_at:>='2025-05-01T00:00:00Z'",
    });
    expect(request?.query).toMatch(/orders\(first: \$first, after: \$after, sortKey: UPDATED_AT, query: \$query\)/);
    expect(shopify.server.requestsTo(GRAPHQL)[0]?.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(page.orders.map((order) => [order.externalId, order.orderStatus])).toEqual([
      ['5001', 'processing'],
      ['5002', 'fulfilled'],
      ['5003', 'cancelled'],
      ['5004', 'processing'],
      ['5005', 'partially_fulfilled'],
    ]);
    expect(page.hasMore).toBe(false);
  });

  it('pages with Shopify’s cursor until hasNextPage is false', async () => {
    const shopClient = client();
    const seen: string[] = [];
    const hasMore: boolean[] = [];
    let cursor: string | null = null;
    for (let call = 0; call < 3; call += 1) {
      const page = await shopClient.listChangedOrders(cursor, { since: SINCE, pageSize: 2 });
      seen.push(...page.orders.map((order) => order.externalId));
      hasMore.push(page.hasMore);
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['5001', '5002', '5003', '5004', '5005']);
    expect(hasMore).toEqual([true, true, false]);
    const requests = shopify.listRequests();
    // Shopify's cursor is only valid with the same query string: every page of a sweep sends the same one.
    expect(new Set(requests.map((request) => request.variables.query)).size).toBe(1);
    expect(requests.map((request) => request.variables.after === null)).toEqual([true, false, false]);
  });

  it('resumes exactly after the last applied page when a new process picks the stored cursor up', async () => {
    const first = await client().listChangedOrders(null, { since: SINCE, pageSize: 2 });
    expect(first.orders.map((order) => order.externalId)).toEqual(['5001', '5002']);
    // The process crashes here; the stored cursor is all the next one has.
    const restarted = client();
    const second = await restarted.listChangedOrders(first.nextCursor, { since: '2030-01-01T00:00:00Z', pageSize: 2 });
    expect(second.orders.map((order) => order.externalId)).toEqual(['5003', '5004']);
    const [, resumed] = shopify.listRequests();
    expect(resumed?.variables.query).toBe("status:any updated_at:>='2025-05-01T00:00:00Z'");
    expect(resumed?.variables.after).toBe(
      Buffer.from(`2025-05-01T09:05:00Z|${'5002'.padStart(20, '0')}`).toString('base64'),
    );
    expect(decodeCursor(second.nextCursor)).toMatchObject({ v: 1, from: SINCE, seen: '2025-05-01T10:00:00.000Z' });
  });

  it('starts the next sweep five minutes before the latest update seen, and catches late-indexed orders', async () => {
    const shopClient = client();
    const sweep = await shopClient.listChangedOrders(null, { since: SINCE, pageSize: 10 });
    expect(sweep.hasMore).toBe(false);
    expect(decodeCursor(sweep.nextCursor)).toEqual({ v: 1, from: '2025-05-01T11:25:00.000Z', after: null, seen: null });

    // Updated two minutes before the latest change seen, but only visible to search now.
    shopify.orders.push(orderNode(5006, '2025-05-01T11:28:00Z'));
    const next = await shopClient.listChangedOrders(sweep.nextCursor, { since: SINCE, pageSize: 10 });
    expect(shopify.listRequests()[1]?.variables.query).toBe("status:any updated_at:>='2025-05-01T11:25:00Z'");
    expect(next.orders.map((order) => order.externalId)).toEqual(['5006', '5005']);
  });

  it('never moves the window back when a sweep finds nothing', async () => {
    const shopClient = client();
    const empty = await shopClient.listChangedOrders(null, { since: '2025-06-01T00:00:00Z', pageSize: 10 });
    expect(empty.orders).toEqual([]);
    expect(decodeCursor(empty.nextCursor).from).toBe('2025-06-01T00:00:00.000Z');
    const again = await shopClient.listChangedOrders(empty.nextCursor, { since: SINCE, pageSize: 10 });
    expect(decodeCursor(again.nextCursor).from).toBe('2025-06-01T00:00:00.000Z');
  });

  it('keeps each page under Shopify’s single-query cost limit', async () => {
    await client().listChangedOrders(null, { since: SINCE, pageSize: 250 });
    expect(shopify.listRequests()[0]?.variables.first).toBe(SHOPIFY_MAX_PAGE_SIZE);
    expect(SHOPIFY_MAX_PAGE_SIZE).toBeGreaterThanOrEqual(5);
    expect(2 + SHOPIFY_MAX_PAGE_SIZE * 118).toBeLessThanOrEqual(SHOPIFY_MAX_QUERY_COST);
  });

  it('fetches an order again alone when the lean list query may have cut its fulfilments short', async () => {
    const listed = orderNode(5010, '2025-05-01T09:30:00Z', {
      displayFulfillmentStatus: 'FULFILLED',
      fulfillments: [fulfillmentNode(1, '1ZA'), fulfillmentNode(2, '1ZB'), fulfillmentNode(3, '1ZC')],
    });
    shopify.orders = [listed];
    shopify.fullOrders.set('5010', {
      ...listed,
      fulfillments: [
        fulfillmentNode(1, '1ZA'),
        fulfillmentNode(2, '1ZB'),
        fulfillmentNode(3, '1ZC'),
        fulfillmentNode(4, '1ZD'),
      ],
    });
    const page = await client().listChangedOrders(null, { since: SINCE, pageSize: 10 });
    expect(page.orders[0]?.shipments.map((shipment) => shipment.trackingNumber)).toEqual(['1ZA', '1ZB', '1ZC', '1ZD']);
    const single = shopify.graphqlRequests().find((request) => request.query.includes('WaymarkOrder('));
    expect(single?.variables).toEqual({ id: 'gid://shopify/Order/5010' });
  });

  it('reports unknown statuses through onUnknownStatus', async () => {
    shopify.orders = [orderNode(5020, '2025-05-01T09:00:00Z', { displayFinancialStatus: 'SOMETHING_NEW' })];
    const unknown: [string, string][] = [];
    const page = await client({ onUnknownStatus: (value, field) => unknown.push([value, field]) }).listChangedOrders(
      null,
      { since: SINCE, pageSize: 10 },
    );
    expect(page.orders[0]?.orderStatus).toBe('pending');
    expect(unknown).toEqual([['SOMETHING_NEW', 'displayFinancialStatus']]);
  });

  it.each([
    ['a cursor that is not ours', 'bm90LWEtY3Vyc29y'],
    [
      'a cursor of another version',
      Buffer.from(JSON.stringify({ v: 2, from: SINCE, after: null, seen: null })).toString('base64url'),
    ],
  ])('refuses %s', async (_label, cursor) => {
    const error = await failure(client().listChangedOrders(cursor, { since: SINCE, pageSize: 10 }));
    expect(error.code).toBe('invalid_input');
    expect(shopify.server.requests).toHaveLength(0);
  });

  it('refuses a bad since or page size before calling Shopify', async () => {
    expect((await failure(client().listChangedOrders(null, { since: 'soon', pageSize: 10 }))).code).toBe(
      'invalid_input',
    );
    expect((await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 0 }))).code).toBe('invalid_input');
    expect(shopify.server.requests).toHaveLength(0);
  });
});

describe('fetchOrder', () => {
  beforeEach(() => {
    shopify.orders = [templateNode('#2207')];
  });

  it('fetches by numeric id or gid and maps the order', async () => {
    const shopClient = client();
    const order = await shopClient.fetchOrder('5810000000207');
    expect(order).toMatchObject({ externalId: '5810000000207', number: '#2207', orderStatus: 'partially_fulfilled' });
    expect(order?.shipments.map((shipment) => shipment.cancelled)).toEqual([true, false]);
    expect((await shopClient.fetchOrder('gid://shopify/Order/5810000000207'))?.externalId).toBe('5810000000207');
    expect(shopify.graphqlRequests().map((request) => request.variables)).toEqual([
      { id: 'gid://shopify/Order/5810000000207' },
      { id: 'gid://shopify/Order/5810000000207' },
    ]);
  });

  it('returns null when Shopify has no such order', async () => {
    expect(await client().fetchOrder('1')).toBeNull();
  });

  it('refuses an id that is not a Shopify order id', async () => {
    expect((await failure(client().fetchOrder('#2207'))).code).toBe('invalid_input');
    expect((await failure(client().fetchOrder('gid://shopify/Product/1'))).code).toBe('invalid_input');
  });

  it('reads an order Shopify sends in a shape we cannot map as an invalid response', async () => {
    shopify.orders = [{ ...orderNode(7, '2025-05-01T09:00:00Z'), updatedAt: 'yesterday' }];
    const error = await failure(client().fetchOrder('7'));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toMatch(/updatedAt/);
  });
});

describe('throttling and rate limits', () => {
  beforeEach(() => {
    shopify.orders = [orderNode(5001, '2025-05-01T09:00:00Z')];
  });

  it('429 with Retry-After → upstream_rate_limited, and every later call waits it out', async () => {
    shopify.server.queue(GRAPHQL, {
      status: 429,
      headers: { 'retry-after': '2.0' },
      body: {
        errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
      },
    });
    const shopClient = client();
    const error = await failure(shopClient.fetchOrder('5001'));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details?.retryAfterMs).toBe(2000);
    expect(await shopClient.fetchOrder('5001')).not.toBeNull();
    expect(sleeps).toEqual([2000]);
  });

  it('THROTTLED (HTTP 200) → upstream_rate_limited, waiting until the bucket holds the query’s cost', async () => {
    shopify.server.queue(GRAPHQL, {
      body: {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: {
          cost: {
            requestedQueryCost: 765,
            actualQueryCost: null,
            throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 65, restoreRate: 100 },
          },
        },
      },
    });
    const error = await failure(client().fetchOrder('5001'));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details?.retryAfterMs).toBe(7000);
  });

  it('pauses before the next call when the bucket is too low for another query like the last one', async () => {
    shopify.bucket = { maximumAvailable: 2000, currentlyAvailable: 365, restoreRate: 100 };
    const shopClient = client();
    await shopClient.fetchOrder('5001');
    expect(sleeps).toEqual([]);
    shopify.bucket = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 };
    await shopClient.fetchOrder('5001');
    // (765 requested − 365 available) / 100 per second.
    expect(sleeps).toEqual([4000]);
  });
});

describe('failures', () => {
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
    ['data of the wrong shape', { body: { data: { orders: { nodes: 'x' } } } }, 'upstream_invalid_response'],
    [
      'MAX_COST_EXCEEDED',
      { body: { errors: [{ message: 'Query cost is 1204', extensions: { code: 'MAX_COST_EXCEEDED' } }] } },
      'upstream_invalid_response',
    ],
    ['an unexpected status', { status: 418, body: {} }, 'upstream_invalid_response'],
    ['401', { status: 401, body: { errors: '[API] Invalid API key or access token' } }, 'upstream_auth_failed'],
    ['403', { status: 403, body: { errors: 'Forbidden' } }, 'upstream_auth_failed'],
    ['402 (shop frozen)', { status: 402, body: { errors: 'Unavailable Shop' } }, 'upstream_auth_failed'],
    ['423 (shop locked)', { status: 423, body: { errors: 'Locked' } }, 'upstream_auth_failed'],
    ['404 (no such shop)', { status: 404, body: { errors: 'Not Found' } }, 'upstream_auth_failed'],
    [
      'ACCESS_DENIED',
      { body: { errors: [{ message: 'Access denied for orders field.', extensions: { code: 'ACCESS_DENIED' } }] } },
      'upstream_auth_failed',
    ],
  ])('%s → %s', async (_label, answer, code) => {
    shopify.server.queue(GRAPHQL, answer);
    const error = await failure(client().listChangedOrders(null, { since: SINCE, pageSize: 5 }));
    expect(error.code).toBe(code);
  });

  it('a wrong access token → upstream_auth_failed from the real check', async () => {
    const error = await failure(client({ credentials: { accessToken: 'shpat_revoked' } }).testConnection());
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details?.status).toBe(401);
  });

  it('an answer slower than timeoutMs → upstream_unavailable', async () => {
    shopify.server.queue(GRAPHQL, { delayMs: 800, body: { data: { shop: { name: 'late' } } } });
    const error = await failure(client({ timeoutMs: 150 }).testConnection());
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 150 ms/);
  });

  it('stops calling a shop that keeps failing (circuit breaker)', async () => {
    shopify.server.queue(GRAPHQL, ...Array.from({ length: 5 }, () => ({ status: 503 })));
    const shopClient = client();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await failure(shopClient.testConnection())).code).toBe('upstream_unavailable');
    }
    const fastFail = await failure(shopClient.testConnection());
    expect(fastFail.details?.circuit).toBe('open');
    expect(shopify.server.requests).toHaveLength(5);
  });
});

describe('testConnection', () => {
  it('asks for the shop', async () => {
    await client().testConnection();
    expect(shopify.graphqlRequests()[0]?.query).toMatch(/shop \{ name/);
  });
});

describe('registerWebhooks', () => {
  const CALLBACK = 'https://waymark.example.com/webhooks/shopify/store-1';

  it('subscribes to the order and fulfilment topics with JSON bodies', async () => {
    const topics = await client().registerWebhooks!(CALLBACK);
    expect(topics).toEqual([
      'orders/create',
      'orders/updated',
      'orders/cancelled',
      'orders/fulfilled',
      'orders/partially_fulfilled',
      'orders/paid',
      'orders/delete',
      'fulfillments/create',
      'fulfillments/update',
    ]);
    expect(shopify.subscriptions).toEqual(
      SHOPIFY_WEBHOOK_SUBSCRIPTIONS.map(({ graphqlTopic }) => ({
        topic: graphqlTopic,
        input: { callbackUrl: CALLBACK, format: 'JSON' },
      })),
    );
  });

  it('is idempotent: "already been taken" counts as registered', async () => {
    await client().registerWebhooks!(CALLBACK);
    expect(await client().registerWebhooks!(CALLBACK)).toHaveLength(SHOPIFY_WEBHOOK_SUBSCRIPTIONS.length);
    expect(shopify.subscriptions).toHaveLength(SHOPIFY_WEBHOOK_SUBSCRIPTIONS.length);
  });

  it('uses `uri` from API version 2025-10 on', async () => {
    const fake = new FakeHttpServer();
    const route = 'POST /admin/api/2025-10/graphql.json';
    fake.on(route, () => ({
      body: { data: { webhookSubscriptionCreate: { webhookSubscription: { id: 'gid://x' }, userErrors: [] } } },
    }));
    await fake.start();
    try {
      await client({ baseUrl: fake.url, apiVersion: '2025-10' }).registerWebhooks!(CALLBACK);
      const variables = fake.requestsTo(route).map((request) => (JSON.parse(request.body) as GraphqlRequest).variables);
      expect(variables[0]?.webhookSubscription).toEqual({ uri: CALLBACK, format: 'JSON' });
    } finally {
      await fake.stop();
    }
  });

  it('surfaces any other refusal as invalid_input naming the topic', async () => {
    shopify.server.queue(GRAPHQL, {
      body: {
        data: {
          webhookSubscriptionCreate: {
            webhookSubscription: null,
            userErrors: [
              {
                field: ['webhookSubscription', 'callbackUrl'],
                message: 'Address cannot be a Shopify or an internal domain',
              },
            ],
          },
        },
      },
    });
    const error = await failure(client().registerWebhooks!(CALLBACK));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/orders\/create.*internal domain/);
  });

  it('refuses a callback URL Shopify would not deliver to', async () => {
    expect((await failure(client().registerWebhooks!('http://waymark.example.com/hook'))).code).toBe('invalid_input');
    expect((await failure(client().registerWebhooks!('not a url'))).code).toBe('invalid_input');
    expect(shopify.server.requests).toHaveLength(0);
  });
});
