import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { createBigCommerceWebhookHandler } from '../../../adapters/platforms/bigcommerce/bigcommerce.webhook.js';
import { createShopifyWebhookHandler } from '../../../adapters/platforms/shopify/shopify.webhook.js';
import { createWooCommerceWebhookHandler } from '../../../adapters/platforms/woocommerce/woocommerce.webhook.js';
import { platformWebhookProcessor } from '../../../app/platform-webhooks.js';
import type { PlatformOrder, PlatformRegistry } from '../../../core/ports/platform.port.js';
import { buildWorkers } from '../../../jobs/build-workers.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, ManualClock, type TestStorage } from '../../../test-support/factories.js';
import { buildApp } from '../../build-app.js';
import { Metrics } from '../../metrics.js';

const SECRET = 'bc-shared-secret';

/** What the (faked) BigCommerce API answers when the worker fetches a thin delivery's order. */
function platformOrder(id: string, updatedAt: string, status: PlatformOrder['orderStatus']): PlatformOrder {
  return {
    externalId: id,
    number: id,
    orderStatus: status,
    financialStatus: 'paid',
    platformStatus: { status_id: status === 'fulfilled' ? 2 : 11 },
    cancelReason: null,
    customer: { email: 'ada@example.com', name: 'Ada', phone: null, language: null },
    shippingAddress: { city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' },
    lineItems: [],
    promisedDeliveryDate: null,
    placedAt: FIXED_NOW,
    platformUpdatedAt: updatedAt,
    shipments:
      status === 'fulfilled'
        ? [
            {
              externalId: '9',
              trackingNumber: '1Z5R89390357567127',
              carrierName: 'UPS',
              trackingUrl: null,
              service: null,
              items: [],
              shippedAt: updatedAt,
              platformShipmentStatus: null,
              cancelled: false,
            },
          ]
        : [],
  };
}

function thinBody(orderId: number, hash: string): string {
  return JSON.stringify({
    scope: 'store/order/updated',
    store_id: '1001',
    data: { type: 'order', id: orderId },
    hash,
    created_at: 1764158400,
    producer: 'stores/abc123',
  });
}

describeEachDatabase('POST /webhooks/{platform}/{storeId}', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  let platforms: PlatformRegistry;
  let remote: PlatformOrder;

  async function startApp(): Promise<FastifyInstance> {
    return buildApp({
      uow: t.storage,
      health: t.storage,
      clock,
      metrics: new Metrics({ defaultMetrics: false }),
      logger: pino({ level: 'silent' }),
      bodyLimit: 64 * 1024,
      platforms,
    });
  }

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock();
    remote = platformOrder('218', '2026-11-26T11:00:00.000Z', 'fulfilled');
    platforms = new Map([
      [
        'bigcommerce',
        {
          platform: 'bigcommerce',
          webhooks: createBigCommerceWebhookHandler(),
          pullIntervalMs: 300_000,
          createClient: () => ({
            platform: 'bigcommerce' as const,
            fetchOrder: (id: string) => Promise.resolve(id === remote.externalId ? remote : null),
            listChangedOrders: () => Promise.resolve({ orders: [], nextCursor: 'x', hasMore: false }),
            testConnection: () => Promise.resolve(),
          }),
        },
      ],
      [
        'shopify',
        {
          platform: 'shopify',
          webhooks: createShopifyWebhookHandler(),
          pullIntervalMs: 300_000,
          createClient: () => null,
        },
      ],
      [
        'woocommerce',
        {
          platform: 'woocommerce',
          webhooks: createWooCommerceWebhookHandler(),
          pullIntervalMs: 300_000,
          createClient: () => null,
        },
      ],
    ]);
  });
  afterEach(async () => {
    await t.drop();
  });

  async function newStore(platform: 'bigcommerce' | 'shopify' | 'woocommerce' = 'bigcommerce') {
    return t.storage.repositories.stores.createStore(
      {
        name: `Shop ${platform}`,
        platform,
        secrets: { webhookSecret: SECRET, credentials: { accessToken: 'x', storeHash: 'abc123' } },
      },
      FIXED_NOW,
    );
  }

  it('should keep an accepted delivery through a crash before processing, apply it after restart, and only once', async () => {
    const store = await newStore();
    const app = await startApp();
    const body = thinBody(218, 'h1');
    const first = await app.inject({
      method: 'POST',
      url: `/webhooks/bigcommerce/${store.id}`,
      payload: body,
      headers: { 'content-type': 'application/json', 'x-waymark-webhook-secret': SECRET },
    });
    const again = await app.inject({
      method: 'POST',
      url: `/webhooks/bigcommerce/${store.id}`,
      payload: body,
      headers: { 'content-type': 'application/json', 'x-waymark-webhook-secret': SECRET },
    });
    // The process dies here: the 2xx went out, nothing was processed.
    await app.close();

    const [inbox] = buildWorkers({
      uow: t.storage,
      clock,
      logger: pino({ level: 'silent' }),
      queues: { inbox: t.storage.claimer('inbound_webhook'), shipments: t.storage.claimer('shipment') },
      processors: new Map([
        ['platform:bigcommerce', platformWebhookProcessor({ uow: t.storage, clock, platforms }, 'bigcommerce')],
      ]),
      carriers: new Map(),
      settings: { batchSize: 10, leaseMs: 60_000, pollIntervalMs: 10, maxAttempts: 3 },
    });
    await inbox!.runOnce();
    await inbox!.runOnce();
    const order = await t.storage.repositories.orders.findOrderByExternalId(store.id, '218');
    const shipments = await t.storage.repositories.shipments.listShipmentsForOrders([order!.id]);

    expect(first.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: true, duplicate: true });
    expect(order).toMatchObject({ orderStatus: 'fulfilled', number: '218' });
    expect(shipments.map((s) => [s.trackingNumber, s.carrier, s.carrierConfidence])).toEqual([
      ['1Z5R89390357567127', 'ups', 'given'],
    ]);
  });

  it('should refuse a wrong secret with 401 and store nothing', async () => {
    const store = await newStore();
    const app = await startApp();

    const response = await app.inject({
      method: 'POST',
      url: `/webhooks/bigcommerce/${store.id}`,
      payload: thinBody(1, 'h'),
      headers: { 'content-type': 'application/json', 'x-waymark-webhook-secret': 'guess' },
    });
    const stored = await t.database.db.selectFrom('inbound_webhook').selectAll().execute();
    await app.close();

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'signature_invalid' } });
    expect(stored).toHaveLength(0);
  });

  it('should answer 404 for an unknown store, a store of another platform, or an unknown platform, revealing nothing', async () => {
    const shopify = await newStore('shopify');
    const app = await startApp();
    const headers = { 'content-type': 'application/json', 'x-waymark-webhook-secret': SECRET };

    const unknown = await app.inject({
      method: 'POST',
      url: '/webhooks/bigcommerce/01a215d1-ae43-7003-887c-217ea801f106',
      payload: thinBody(1, 'h'),
      headers,
    });
    const wrongPlatform = await app.inject({
      method: 'POST',
      url: `/webhooks/bigcommerce/${shopify.id}`,
      payload: thinBody(1, 'h'),
      headers,
    });
    const noSuchPlatform = await app.inject({
      method: 'POST',
      url: `/webhooks/ebay/${shopify.id}`,
      payload: thinBody(1, 'h'),
      headers,
    });
    await app.close();

    for (const response of [unknown, wrongPlatform, noSuchPlatform]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('should apply an older delivery arriving late without overwriting the newer state', async () => {
    const store = await newStore();
    const processor = platformWebhookProcessor({ uow: t.storage, clock, platforms }, 'bigcommerce');
    const delivery = (id: string) => ({
      id,
      storeId: store.id,
      source: 'platform:bigcommerce',
      topic: 'store/order/updated',
      headers: {},
      rawBody: thinBody(218, id),
    });

    await processor.process(delivery('new'));
    remote = platformOrder('218', '2026-11-26T09:00:00.000Z', 'processing');
    await processor.process(delivery('old'));
    const order = await t.storage.repositories.orders.findOrderByExternalId(store.id, '218');

    expect(order).toMatchObject({ orderStatus: 'fulfilled', platformUpdatedAt: '2026-11-26T11:00:00.000Z' });
  });

  it('should apply a signed Shopify order delivery with its full body, no fetch needed', async () => {
    const store = await newStore('shopify');
    const app = await startApp();
    const order = (
      JSON.parse(
        readFileSync(
          new URL('../../../adapters/platforms/shopify/__fixtures__/order.rest.get.json', import.meta.url),
          'utf8',
        ),
      ) as { order: unknown }
    ).order;
    const raw = JSON.stringify(order);
    const hmac = createHmac('sha256', SECRET).update(raw).digest('base64');

    const response = await app.inject({
      method: 'POST',
      url: `/webhooks/shopify/${store.id}`,
      payload: raw,
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': hmac,
        'x-shopify-topic': 'orders/updated',
        'x-shopify-webhook-id': 'wh-1',
      },
    });
    await app.close();
    await platformWebhookProcessor({ uow: t.storage, clock, platforms }, 'shopify').process({
      id: 'x',
      storeId: store.id,
      source: 'platform:shopify',
      topic: 'orders/updated',
      headers: {},
      rawBody: raw,
    });
    const stored = await t.storage.repositories.orders.listOrders(store.id, { limit: 10 });

    expect(response.statusCode).toBe(200);
    expect(stored.total).toBe(1);
    expect(stored.orders[0]?.platformStatus).toBeDefined();
  });

  it('should answer the WooCommerce setup ping with 200 and store nothing', async () => {
    const store = await newStore('woocommerce');
    const app = await startApp();

    const response = await app.inject({
      method: 'POST',
      url: `/webhooks/woocommerce/${store.id}`,
      payload: 'webhook_id=17',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const stored = await t.database.db.selectFrom('inbound_webhook').selectAll().execute();
    await app.close();

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true, ping: true });
    expect(stored).toHaveLength(0);
  });
});
