import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { buildTestApp, errorOf, seedStoreWithKey, type TestApp } from '../../../test-support/build-test-app.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import { FIXED_NOW } from '../../../test-support/factories.js';
import type { OrderJson } from '../../schemas/order.schema.js';

type Auth = { authorization: string };
type OrderList = { data: OrderJson[]; nextCursor: string | null; total: number };

/** A valid UPS number (check digit included), as a store would send it. */
const UPS_NUMBER = '1Z5R89390357567127';

const ORDER_KEYS = [
  'customer',
  'externalId',
  'financialStatus',
  'id',
  'number',
  'orderStatus',
  'placedAt',
  'platformStatus',
  'shipments',
  'shippingAddress',
  'shippingSummary',
  'storeId',
  'updatedAt',
];
const SHIPMENT_KEYS = [
  'carrier',
  'deliveredAt',
  'estimatedDelivery',
  'events',
  'externalId',
  'id',
  'lastEventAt',
  'reason',
  'service',
  'status',
  'substatus',
  'trackerState',
  'trackingNumber',
];
const EVENT_KEYS = ['description', 'location', 'occurredAt', 'rawCode', 'source', 'status', 'substatus'];

const keysOf = (value: object): string[] => Object.keys(value).sort();

const at = (minutes: number): string => new Date(Date.parse(FIXED_NOW) + minutes * 60_000).toISOString();

describeEachDatabase('orders API', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.clock.set(FIXED_NOW);
  });

  /** Every test gets its own store: tenants never see each other, so tests never do either. */
  const newTenant = async (platform: 'api' | 'shopify' = 'api') => seedStoreWithKey(t.storage, { platform });

  const post = (auth: Auth, body: unknown): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: body as object });

  const list = async (auth: Auth, query = ''): Promise<OrderList> => {
    const response = await t.app.inject({ url: `/api/v1/orders${query ? `?${query}` : ''}`, headers: auth });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<OrderList>();
  };

  const getOrder = (auth: Auth, id: string) => t.app.inject({ url: `/api/v1/orders/${id}`, headers: auth });

  const created = async (auth: Auth, body: Record<string, unknown>): Promise<OrderJson> => {
    const response = await post(auth, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<OrderJson>();
  };

  describe('POST /api/v1/orders', () => {
    let tenant: Awaited<ReturnType<typeof newTenant>>;

    beforeEach(async () => {
      tenant = await newTenant();
    });

    it('should answer 201 with the whole order when the externalId is new', async () => {
      const response = await post(tenant.auth, {
        externalId: 'erp-1001',
        number: '#1001',
        orderStatus: 'processing',
        financialStatus: 'paid',
        customer: { email: 'Ada@Example.com', name: 'Ada Lovelace', phone: '+33 6 12 34 56 78', language: 'fr' },
        shippingAddress: { city: 'Lyon', region: 'ARA', postalCode: '69001', country: 'fr' },
        placedAt: '2026-11-20T09:30:00.000Z',
        updatedAt: '2026-11-20T09:31:00.000Z',
      });

      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        storeId: tenant.store.id,
        externalId: 'erp-1001',
        number: '#1001',
        orderStatus: 'processing',
        financialStatus: 'paid',
        platformStatus: { orderStatus: 'processing', financialStatus: 'paid' },
        shippingSummary: 'not_shipped',
        customer: { email: 'Ada@Example.com', name: 'Ada Lovelace', phone: '+33 6 12 34 56 78' },
        shippingAddress: { city: 'Lyon', region: 'ARA', postalCode: '69001', country: 'FR' },
        placedAt: '2026-11-20T09:30:00.000Z',
        updatedAt: FIXED_NOW,
        shipments: [],
      });
    });

    it('should fill in defaults when only externalId and number are sent', async () => {
      const order = await created(tenant.auth, { externalId: 'min-1', number: '1' });

      expect(order.orderStatus).toBe('processing');
      expect(order.financialStatus).toBeNull();
      expect(order.customer).toEqual({ email: null, name: null, phone: null });
      expect(order.shippingAddress).toEqual({ city: null, region: null, postalCode: null, country: null });
      expect(order.placedAt).toBe(FIXED_NOW);
    });

    it('should answer 200 and update the same order when the externalId is sent again', async () => {
      const first = await created(tenant.auth, { externalId: 'erp-2', number: '2', customer: { name: 'Ada' } });
      t.clock.advance(60_000);

      const response = await post(tenant.auth, {
        externalId: 'erp-2',
        number: '2',
        orderStatus: 'fulfilled',
        customer: { name: 'Ada L.' },
      });

      expect(response.statusCode).toBe(200);
      const updated = response.json<OrderJson>();
      expect(updated.id).toBe(first.id);
      expect(updated.orderStatus).toBe('fulfilled');
      expect(updated.customer.name).toBe('Ada L.');
      expect(updated.placedAt).toBe(first.placedAt);
      expect((await getOrder(tenant.auth, first.id)).json<OrderJson>().orderStatus).toBe('fulfilled');
      expect((await list(tenant.auth)).total).toBe(1);
    });

    it('should add shipments on update and keep the ones the update leaves out', async () => {
      await created(tenant.auth, { externalId: 'ship-1', number: '3', shipments: [{ trackingNumber: UPS_NUMBER }] });

      const response = await post(tenant.auth, {
        externalId: 'ship-1',
        number: '3',
        shipments: [{ trackingNumber: '9400111899223197428490', carrier: 'USPS' }],
      });

      expect(response.statusCode).toBe(200);
      expect(response.json<OrderJson>().shipments.map((s) => s.trackingNumber)).toEqual([
        UPS_NUMBER,
        '9400111899223197428490',
      ]);
    });

    it('should keep one shipment when the same tracking number is sent twice in a request and again later', async () => {
      await post(tenant.auth, {
        externalId: 'dup-1',
        number: '4',
        shipments: [{ trackingNumber: UPS_NUMBER }, { trackingNumber: UPS_NUMBER, carrier: 'UPS' }],
      });

      const again = await post(tenant.auth, {
        externalId: 'dup-1',
        number: '4',
        shipments: [{ trackingNumber: '1z5r 8939-0357567127' }],
      });

      expect(again.statusCode).toBe(200);
      const shipments = again.json<OrderJson>().shipments;
      expect(shipments).toHaveLength(1);
      expect(shipments[0]!.trackingNumber).toBe(UPS_NUMBER);
    });

    it('should normalise a carrier name like "United Parcel Service" to ups', async () => {
      const order = await created(tenant.auth, {
        externalId: 'carrier-1',
        number: '5',
        shipments: [{ trackingNumber: 'ABC123456', carrier: 'United Parcel Service' }],
      });

      expect(order.shipments[0]).toMatchObject({ carrier: 'ups', trackerState: 'active' });
    });

    it('should detect ups from a bare valid UPS tracking number when no carrier is given', async () => {
      const order = await created(tenant.auth, {
        externalId: 'carrier-2',
        number: '6',
        shipments: [{ trackingNumber: UPS_NUMBER }],
      });

      expect(order.shipments[0]).toMatchObject({
        carrier: 'ups',
        trackingNumber: UPS_NUMBER,
        status: 'pending',
        trackerState: 'active',
        events: [],
      });
    });

    it('should keep the shipment with no carrier and an unsupported tracker when neither name nor number is known', async () => {
      const order = await created(tenant.auth, {
        externalId: 'carrier-3',
        number: '7',
        shipments: [{ trackingNumber: 'QQ-0000', carrier: 'Bob the Courier' }],
      });

      expect(order.shipments[0]).toMatchObject({ carrier: null, trackerState: 'error_unsupported_carrier' });
    });

    it('should leave the stored order unchanged and say so when the update is older than the stored one', async () => {
      const stored = await created(tenant.auth, {
        externalId: 'stale-1',
        number: '8',
        orderStatus: 'fulfilled',
        customer: { email: 'new@example.com' },
        updatedAt: '2026-11-26T12:00:00.000Z',
      });

      const response = await post(tenant.auth, {
        externalId: 'stale-1',
        number: '8-old',
        orderStatus: 'processing',
        customer: { email: 'old@example.com' },
        updatedAt: '2026-11-26T11:00:00.000Z',
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers['x-waymark-stale-update']).toMatch(/^ignored/);
      const after = (await getOrder(tenant.auth, stored.id)).json<OrderJson>();
      expect(after).toEqual(stored);
    });

    it('should ignore an older update when its time is written with a zone offset', async () => {
      const stored = await created(tenant.auth, {
        externalId: 'stale-2',
        number: '9',
        orderStatus: 'fulfilled',
        updatedAt: '2026-11-26T12:00:00.000Z',
      });

      // 13:30 at +02:00 is 11:30 UTC: half an hour older than what is stored.
      const response = await post(tenant.auth, {
        externalId: 'stale-2',
        number: '9',
        orderStatus: 'cancelled',
        updatedAt: '2026-11-26T13:30:00+02:00',
      });

      expect(response.headers['x-waymark-stale-update']).toMatch(/^ignored/);
      expect((await getOrder(tenant.auth, stored.id)).json<OrderJson>().orderStatus).toBe('fulfilled');
    });

    it('should apply a newer update when the stored time was written with a zone offset', async () => {
      const stored = await created(tenant.auth, {
        externalId: 'stale-3',
        number: '10',
        updatedAt: '2026-11-26T14:00:00+02:00',
      });

      // 13:00 UTC is an hour after 14:00 at +02:00.
      const response = await post(tenant.auth, {
        externalId: 'stale-3',
        number: '10',
        orderStatus: 'fulfilled',
        updatedAt: '2026-11-26T13:00:00Z',
      });

      expect(response.headers['x-waymark-stale-update']).toBeUndefined();
      expect((await getOrder(tenant.auth, stored.id)).json<OrderJson>().orderStatus).toBe('fulfilled');
    });

    it('should answer placedAt as a UTC instant when it was sent with a zone offset', async () => {
      const order = await created(tenant.auth, {
        externalId: 'zone-1',
        number: '11',
        placedAt: '2026-11-26T14:00:00+02:00',
      });

      expect(order.placedAt).toBe('2026-11-26T12:00:00.000Z');
    });

    it('should answer 403 forbidden and store nothing when the key belongs to a store of another platform', async () => {
      const shopify = await newTenant('shopify');

      const response = await post(shopify.auth, { externalId: 'sh-1', number: '1001' });

      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('forbidden');
      expect(errorOf(response).message).toContain('shopify');
      expect((await list(shopify.auth)).total).toBe(0);
    });
  });

  describe('GET /api/v1/orders', () => {
    let tenant: Awaited<ReturnType<typeof newTenant>>;
    let orders: Record<string, OrderJson>;

    // Read-only tests: one store of four orders serves them all.
    beforeAll(async () => {
      t.clock.set(FIXED_NOW);
      tenant = await newTenant();
      orders = {
        hash: await created(tenant.auth, {
          externalId: 'f-1',
          number: '#1001',
          customer: { email: 'Grace@Example.com' },
          placedAt: at(-60),
          shipments: [{ trackingNumber: UPS_NUMBER }],
        }),
        plain: await created(tenant.auth, {
          externalId: 'f-2',
          number: '1002',
          orderStatus: 'fulfilled',
          customer: { email: 'linus@example.com' },
          placedAt: at(-50),
          shipments: [{ trackingNumber: '9400111899223197428490', carrier: 'U.S. Postal Service' }],
        }),
        cancelled: await created(tenant.auth, {
          externalId: 'f-3',
          number: '#1003',
          orderStatus: 'cancelled',
          customer: { email: 'grace@example.com' },
          placedAt: at(-40),
        }),
        waiting: await created(tenant.auth, {
          externalId: 'f-4',
          number: 'SO-1004',
          customer: { email: 'edsger@example.com' },
          placedAt: at(-30),
        }),
      };
    });

    const numbersOf = (page: OrderList) => page.data.map((o) => o.number);

    it('should list every order of the store, newest first, with the total', async () => {
      const page = await list(tenant.auth);

      expect(keysOf(page)).toEqual(['data', 'nextCursor', 'total']);
      expect(numbersOf(page)).toEqual(['SO-1004', '#1003', '1002', '#1001']);
      expect(page.total).toBe(4);
      expect(page.nextCursor).toBeNull();
    });

    it.each([
      ['number=1001', ['#1001']],
      ['number=%231001', ['#1001']],
      ['number=%231002', ['1002']],
      ['number=1002', ['1002']],
      ['number=%20%231003%20', ['#1003']],
      ['number=so-1004', ['SO-1004']],
      ['number=9999', []],
    ])('should match the order number with or without # when the query is %s', async (query, expected) => {
      const page = await list(tenant.auth, query);

      expect(numbersOf(page)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it.each([
      ['orderStatus=processing', ['SO-1004', '#1001']],
      ['orderStatus=fulfilled', ['1002']],
      ['orderStatus=cancelled', ['#1003']],
      ['orderStatus=refunded', []],
      ['shippingSummary=not_shipped', ['SO-1004']],
      ['shippingSummary=cancelled', ['#1003']],
      ['shippingSummary=in_transit', ['1002', '#1001']],
      ['shippingSummary=delivered', []],
    ])('should keep only the matching orders when filtering by %s', async (query, expected) => {
      const page = await list(tenant.auth, query);

      expect(numbersOf(page)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it.each([
      ['ups', ['#1001']],
      ['usps', ['1002']],
      ['fedex', []],
    ])('should keep only orders with a shipment of the carrier when carrier=%s', async (carrier, expected) => {
      const page = await list(tenant.auth, `carrier=${carrier}`);

      expect(numbersOf(page)).toEqual(expected);
    });

    it.each(['UPS', 'United%20Parcel%20Service'])(
      'should match the carrier as the POST accepts it when carrier=%s',
      async (carrier) => {
        const page = await list(tenant.auth, `carrier=${carrier}`);

        expect(numbersOf(page)).toEqual(['#1001']);
      },
    );

    it.each([
      ['an email in any case', 'q=GRACE%40example.com', ['#1003', '#1001']],
      ['an email exactly as stored', 'q=linus%40example.com', ['1002']],
      ['a tracking number', `q=${UPS_NUMBER}`, ['#1001']],
      ['a tracking number in lower case with spaces', 'q=1z5r%208939%200357567127', ['#1001']],
      ['an order number with #', 'q=%231002', ['1002']],
      ['an order number without #', 'q=1003', ['#1003']],
      ['text nothing matches', 'q=nobody%40example.com', []],
    ])('should find orders by %s with q', async (_case, query, expected) => {
      const page = await list(tenant.auth, query);

      expect(numbersOf(page)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it('should find an order by its tracking number written with dashes, as carriers print it', async () => {
      const page = await list(tenant.auth, 'q=1Z-5R8-939-0357-567127');

      expect(numbersOf(page)).toEqual(['#1001']);
    });

    it('should combine filters with AND when several are given', async () => {
      const page = await list(tenant.auth, 'q=grace%40example.com&orderStatus=processing');

      expect(numbersOf(page)).toEqual(['#1001']);
      expect(page.total).toBe(1);
    });

    it('should include each order with its shipments in the list', async () => {
      const page = await list(tenant.auth, 'number=1001');

      expect(page.data[0]).toEqual(orders.hash);
    });
  });

  describe('GET /api/v1/orders pagination', () => {
    type Seeded = { auth: Auth; expectedIds: string[] };
    let seven: Seeded;

    /** Seven orders in a new store; two pairs share a placedAt, so the id breaks the tie. */
    const seedSeven = async (): Promise<Seeded> => {
      const tenant = await newTenant();
      const placed = [at(-70), at(-60), at(-60), at(-50), at(-40), at(-40), at(-30)];
      const made: OrderJson[] = [];
      for (const [i, placedAt] of placed.entries()) {
        made.push(
          await created(tenant.auth, {
            externalId: `p-${i}`,
            number: `${2001 + i}`,
            orderStatus: i % 2 === 0 ? 'processing' : 'fulfilled',
            placedAt,
          }),
        );
      }
      const expectedIds = made
        .sort((a, b) => (a.placedAt === b.placedAt ? (a.id < b.id ? 1 : -1) : a.placedAt < b.placedAt ? 1 : -1))
        .map((o) => o.id);
      return { auth: tenant.auth, expectedIds };
    };

    beforeAll(async () => {
      seven = await seedSeven();
    });

    const walk = async (
      auth: Auth,
      query: string,
      from: string | null = null,
    ): Promise<{ pages: OrderList[]; ids: string[] }> => {
      const pages: OrderList[] = [];
      let cursor = from;
      do {
        const page = await list(auth, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 20);
      return { pages, ids: pages.flatMap((p) => p.data.map((o) => o.id)) };
    };

    it('should walk all seven orders in pages of three without duplicates or gaps', async () => {
      const { pages, ids } = await walk(seven.auth, 'limit=3');

      expect(pages.map((p) => p.data.length)).toEqual([3, 3, 1]);
      expect(ids).toEqual(seven.expectedIds);
      expect(new Set(ids).size).toBe(7);
      expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
      expect(pages.at(-1)!.nextCursor).toBeNull();
    });

    it.each([1, 2, 6, 7, 100])('should give the same sequence whatever the page size when limit=%i', async (limit) => {
      const { ids, pages } = await walk(seven.auth, `limit=${limit}`);

      expect(ids).toEqual(seven.expectedIds);
      expect(pages).toHaveLength(Math.ceil(7 / limit));
    });

    it('should keep the filter across pages when paging a filtered list', async () => {
      const { pages, ids } = await walk(seven.auth, 'limit=2&orderStatus=processing');

      expect(ids).toHaveLength(4);
      expect(pages.map((p) => p.total)).toEqual([4, 4]);
      for (const page of pages) for (const order of page.data) expect(order.orderStatus).toBe('processing');
    });

    it('should not skip or repeat orders when one is added while paging', async () => {
      const own = await seedSeven();
      const first = await list(own.auth, 'limit=3');
      await created(own.auth, { externalId: 'p-new', number: '2999', placedAt: at(0) });

      const rest = await walk(own.auth, 'limit=3', first.nextCursor);

      expect([...first.data.map((o) => o.id), ...rest.ids]).toEqual(own.expectedIds);
    });

    it.each([
      ['not base64 JSON', 'not-a-cursor'],
      ['base64 of an object', Buffer.from('{"a":1}').toString('base64url')],
      ['base64 of one value', Buffer.from('["2026-11-26T12:00:00.000Z"]').toString('base64url')],
      ['base64 of two strings that are no sort key', Buffer.from('["yesterday","order-7"]').toString('base64url')],
    ])('should answer 400 invalid_input on cursor when the cursor is %s', async (_case, cursor) => {
      const response = await t.app.inject({ url: `/api/v1/orders?cursor=${cursor}`, headers: seven.auth });

      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('invalid_input');
      expect(errorOf(response).message).toMatch(/^cursor/);
    });
  });

  describe('GET /api/v1/orders/:id', () => {
    it('should answer the order with its shipments and their events in the documented shape', async () => {
      const tenant = await newTenant();
      const order = await created(tenant.auth, {
        externalId: 'shape-1',
        number: '#3001',
        customer: { email: 'shape@example.com' },
        shipments: [{ trackingNumber: UPS_NUMBER, service: 'Ground', externalId: 'fulfil-1' }],
      });
      const shipmentId = order.shipments[0]!.id;
      await t.storage.repositories.events.appendEvents(
        tenant.store.id,
        shipmentId,
        [
          {
            occurredAt: '2026-11-26T08:15:00.000Z',
            occurredAtLocal: '2026-11-26T03:15:00',
            timeZoneInferred: false,
            sequence: null,
            status: 'in_transit',
            substatus: 'in_transit',
            reason: null,
            description: 'Departed from facility',
            location: { city: 'Louisville', region: 'KY', postalCode: null, country: 'US' },
            rawCode: 'DP',
            rawStatus: 'I',
            source: 'carrier_api',
            dedupeKey: 'ups:DP:2026-11-26T08:15',
          },
        ],
        FIXED_NOW,
      );

      const response = await getOrder(tenant.auth, order.id);

      expect(response.statusCode).toBe(200);
      const body = response.json<OrderJson>();
      expect(keysOf(body)).toEqual(ORDER_KEYS);
      expect(keysOf(body.customer)).toEqual(['email', 'name', 'phone']);
      expect(keysOf(body.shippingAddress)).toEqual(['city', 'country', 'postalCode', 'region']);
      expect(body.shipments).toHaveLength(1);
      expect(keysOf(body.shipments[0]!)).toEqual(SHIPMENT_KEYS);
      expect(body.shipments[0]).toMatchObject({ externalId: 'fulfil-1', service: 'Ground', carrier: 'ups' });
      expect(body.shipments[0]!.events).toHaveLength(1);
      expect(keysOf(body.shipments[0]!.events[0]!)).toEqual(EVENT_KEYS);
      expect(body.shipments[0]!.events[0]).toEqual({
        occurredAt: '2026-11-26T08:15:00.000Z',
        status: 'in_transit',
        substatus: 'in_transit',
        description: 'Departed from facility',
        location: 'Louisville, KY, US',
        rawCode: 'DP',
        source: 'carrier_api',
      });
    });

    it('should answer 404 not_found when the uuid is no order at all', async () => {
      const tenant = await newTenant();

      const response = await getOrder(tenant.auth, '5d1b7a4e-2c3f-4e8a-9b6d-7f0a1c2e3d4b');

      expect(response.statusCode).toBe(404);
      expect(errorOf(response)).toEqual({ code: 'not_found', message: 'order not found' });
    });
  });

  describe('tenant isolation', () => {
    let storeA: Awaited<ReturnType<typeof newTenant>>;
    let storeB: Awaited<ReturnType<typeof newTenant>>;
    let orderA: OrderJson;

    beforeEach(async () => {
      storeA = await newTenant();
      storeB = await newTenant();
      orderA = await created(storeA.auth, {
        externalId: 'shared-ext-1',
        number: '#5001',
        orderStatus: 'fulfilled',
        customer: { email: 'a-customer@example.com', name: 'Customer of A' },
        shipments: [{ trackingNumber: UPS_NUMBER }],
      });
    });

    it.each([
      ['no filter', ''],
      ['the number', 'number=5001'],
      ['the email', 'q=a-customer%40example.com'],
      ['the tracking number', `q=${UPS_NUMBER}`],
      ['the carrier', 'carrier=ups'],
      ['the status', 'orderStatus=fulfilled'],
    ])("should never list another store's orders when store B searches by %s", async (_case, query) => {
      const page = await list(storeB.auth, query);

      expect(page).toEqual({ data: [], nextCursor: null, total: 0 });
    });

    it("should answer B exactly as for an unknown id when B asks for A's order by id", async () => {
      const theirs = await getOrder(storeB.auth, orderA.id);
      const unknown = await getOrder(storeB.auth, '5d1b7a4e-2c3f-4e8a-9b6d-7f0a1c2e3d4b');

      expect(theirs.statusCode).toBe(404);
      expect(errorOf(theirs)).toEqual({ code: 'not_found', message: 'order not found' });
      expect(theirs.body).toBe(unknown.body);
    });

    it("should create B's own order, leaving A's untouched, when B posts A's externalId", async () => {
      const response = await post(storeB.auth, {
        externalId: 'shared-ext-1',
        number: '#9999',
        orderStatus: 'cancelled',
        customer: { email: 'intruder@example.com' },
      });

      expect(response.statusCode).toBe(201);
      const orderB = response.json<OrderJson>();
      expect(orderB.id).not.toBe(orderA.id);
      expect(orderB.storeId).toBe(storeB.store.id);
      expect(orderB.shipments).toEqual([]);
      expect((await getOrder(storeA.auth, orderA.id)).json<OrderJson>()).toEqual(orderA);
      expect((await list(storeA.auth)).total).toBe(1);
    });

    it("should not let B's cursor reveal A's orders when B pages with a cursor made from A's list", async () => {
      await created(storeA.auth, { externalId: 'a-2', number: '5002', placedAt: at(-10) });
      const pageA = await list(storeA.auth, 'limit=1');

      const pageB = await list(storeB.auth, `limit=1&cursor=${encodeURIComponent(pageA.nextCursor!)}`);

      expect(pageB.data).toEqual([]);
      expect(pageB.total).toBe(0);
    });
  });

  describe('OpenAPI', () => {
    type Spec = {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };

    it('should serve a spec listing the order routes with their query parameters at /api/docs/json', async () => {
      const response = await t.app.inject({ url: '/api/docs/json' });

      expect(response.statusCode).toBe(200);
      const spec = response.json<Spec>();
      expect(spec.openapi).toMatch(/^3\./);
      expect(Object.keys(spec.paths['/api/v1/orders'] ?? {}).sort()).toEqual(['get', 'post']);
      expect(Object.keys(spec.paths['/api/v1/orders/{id}'] ?? {})).toEqual(['get']);
      const query = (spec.paths['/api/v1/orders']?.get?.parameters ?? []).filter((p) => p.in === 'query');
      expect(query.map((p) => p.name).sort()).toEqual(
        ['carrier', 'cursor', 'limit', 'number', 'orderStatus', 'q', 'shippingSummary'].sort(),
      );
      expect(spec.paths['/api/v1/orders/{id}']?.get?.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]),
      );
      expect(spec.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it('should leave the health and metrics routes out of the spec', async () => {
      const spec = (await t.app.inject({ url: '/api/docs/json' })).json<Spec>();

      expect(Object.keys(spec.paths)).not.toEqual(expect.arrayContaining(['/healthz']));
      expect(Object.keys(spec.paths).filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
    });

    it('should serve the docs UI as HTML at /api/docs without an API key', async () => {
      const response = await t.app.inject({ url: '/api/docs' });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('swagger-ui');
    });
  });
});
