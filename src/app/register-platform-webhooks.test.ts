import { afterEach, beforeEach, expect, it } from 'vitest';

import {
  BIGCOMMERCE_WEBHOOK_SCOPES,
  createBigCommerceClient,
} from '../adapters/platforms/bigcommerce/bigcommerce.client.js';
import { createBigCommerceWebhookHandler } from '../adapters/platforms/bigcommerce/bigcommerce.webhook.js';
import { createMagentoClient } from '../adapters/platforms/magento/magento.client.js';
import { createMagentoWebhookHandler } from '../adapters/platforms/magento/magento.webhook.js';
import { createShopifyClient, SHOPIFY_WEBHOOK_SUBSCRIPTIONS } from '../adapters/platforms/shopify/shopify.client.js';
import { createShopifyWebhookHandler } from '../adapters/platforms/shopify/shopify.webhook.js';
import type { PlatformConnector, PlatformRegistry } from '../core/ports/platform.port.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { FakeHttpServer } from '../test-support/fake-http-server.js';
import { FakeShopify } from '../test-support/fake-shopify.js';
import { createTestStorage, seedStore, type TestStorage } from '../test-support/factories.js';
import { registerPlatformWebhooks } from './register-platform-webhooks.js';

const PUBLIC_URL = 'https://waymark.example.com/';
const SHOPIFY_TOKEN = 'shpat_waymark_register';
const BIGCOMMERCE_TOKEN = 'bc_waymark_register';
const STORE_HASH = 'abc123';
const SECRETS = { webhookSecret: 'whsec_register' };

/** BigCommerce's `/v3/hooks`: lists what exists, creates what is posted. */
class FakeBigCommerceHooks {
  readonly server = new FakeHttpServer();
  readonly hooks: Record<string, unknown>[] = [];

  async start(): Promise<this> {
    const path = `/stores/${STORE_HASH}/v3/hooks`;
    this.server.on(`GET ${path}`, (request) =>
      request.headers['x-auth-token'] === BIGCOMMERCE_TOKEN
        ? { body: { data: this.hooks, meta: { pagination: { total_pages: 1 } } } }
        : { status: 401, body: { status: 401, title: 'Unauthorized' } },
    );
    this.server.on(`POST ${path}`, (request) => {
      const hook = { id: this.hooks.length + 1, ...(JSON.parse(request.body) as Record<string, unknown>) };
      this.hooks.push(hook);
      return { body: { data: hook } };
    });
    await this.server.start();
    return this;
  }
}

describeEachDatabase('registerPlatformWebhooks', (dialect) => {
  let t: TestStorage;
  let shopify: FakeShopify;
  let bigcommerce: FakeBigCommerceHooks;

  function registry(): PlatformRegistry {
    const connectors: PlatformConnector[] = [
      {
        platform: 'shopify',
        webhooks: createShopifyWebhookHandler(),
        pullIntervalMs: 60_000,
        createClient: (_store, secrets) =>
          secrets.credentials.accessToken
            ? createShopifyClient({ credentials: secrets.credentials, baseUrl: shopify.url, ratePerSecond: 1000 })
            : null,
      },
      {
        platform: 'bigcommerce',
        webhooks: createBigCommerceWebhookHandler(),
        pullIntervalMs: 60_000,
        createClient: (_store, secrets) =>
          createBigCommerceClient({
            credentials: secrets.credentials,
            webhookSecret: secrets.webhookSecret,
            baseUrl: bigcommerce.server.url,
            ratePerSecond: 1000,
          }),
      },
      {
        platform: 'magento',
        webhooks: createMagentoWebhookHandler(),
        pullIntervalMs: 60_000,
        createClient: (store, secrets) =>
          createMagentoClient({ credentials: secrets.credentials, domain: store.domain ?? undefined }),
      },
    ];
    return new Map(connectors.map((connector) => [connector.platform, connector]));
  }

  function register(storeId: string, options: { publicUrl?: string } = { publicUrl: PUBLIC_URL }) {
    return registerPlatformWebhooks({ uow: t.storage, platforms: registry(), publicUrl: options.publicUrl }, storeId);
  }

  function shopifyStore(credentials: Record<string, string> = { accessToken: SHOPIFY_TOKEN }, webhookSecret = true) {
    return seedStore(t.storage, {
      platform: 'shopify',
      domain: 'lamps.myshopify.com',
      secrets: { webhookSecret: webhookSecret ? SECRETS.webhookSecret : null, credentials },
    });
  }

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    shopify = await new FakeShopify(SHOPIFY_TOKEN).start();
    bigcommerce = await new FakeBigCommerceHooks().start();
  });
  afterEach(async () => {
    await shopify.stop();
    await bigcommerce.server.stop();
    await t.drop();
  });

  it('should subscribe a Shopify store to every topic at its webhook URL, and again without harm', async () => {
    const store = await shopifyStore();
    const callbackUrl = `https://waymark.example.com/webhooks/shopify/${store.id}`;

    const first = await register(store.id);
    const second = await register(store.id);

    const expected = SHOPIFY_WEBHOOK_SUBSCRIPTIONS.map(({ topic }) => ({ topic, registered: true }));
    expect(first).toEqual({ status: 'registered', callbackUrl, topics: expected });
    expect(second).toEqual(first);
    expect(shopify.subscriptions.map((s) => s.topic)).toEqual(
      SHOPIFY_WEBHOOK_SUBSCRIPTIONS.map(({ graphqlTopic }) => graphqlTopic),
    );
    expect(shopify.subscriptions.every((s) => s.input.callbackUrl === callbackUrl)).toBe(true);
  });

  it('should subscribe a BigCommerce store with the secret header it will echo', async () => {
    const store = await seedStore(t.storage, {
      platform: 'bigcommerce',
      secrets: { ...SECRETS, credentials: { accessToken: BIGCOMMERCE_TOKEN, storeHash: STORE_HASH } },
    });

    const report = await register(store.id);

    expect(report.status).toBe('registered');
    expect(report.status === 'registered' && report.topics.map((t) => t.topic)).toEqual([
      ...BIGCOMMERCE_WEBHOOK_SCOPES,
    ]);
    expect(bigcommerce.hooks[0]).toMatchObject({
      destination: `https://waymark.example.com/webhooks/bigcommerce/${store.id}`,
      headers: { 'X-Waymark-Webhook-Secret': SECRETS.webhookSecret },
    });
  });

  it.each([
    ['a 503 from Shopify', { status: 503, body: 'unavailable' }, 'upstream_unavailable'],
    ['refused credentials', { status: 401, body: { errors: 'Invalid API key' } }, 'upstream_auth_failed'],
    [
      'a refused topic',
      {
        body: {
          data: {
            webhookSubscriptionCreate: {
              webhookSubscription: null,
              userErrors: [{ field: ['callbackUrl'], message: 'Address cannot be a Shopify or an internal domain' }],
            },
          },
        },
      },
      'invalid_input',
    ],
  ])('should report %s as a failure instead of throwing', async (_label, answer, code) => {
    const store = await shopifyStore();
    shopify.server.queue(FakeShopify.route('2025-01'), answer);

    const report = await register(store.id);

    expect(report).toMatchObject({ status: 'failed', error: { code } });
    if (code === 'invalid_input') expect(report).toMatchObject({ topic: 'orders/create' });
  });

  it('should skip, saying why, when the platform could not be subscribed', async () => {
    const noUrl = await shopifyStore();
    const noSecret = await shopifyStore({ accessToken: SHOPIFY_TOKEN }, false);
    const noToken = await shopifyStore({});
    const magento = await seedStore(t.storage, {
      platform: 'magento',
      domain: 'shop.example.com',
      secrets: { ...SECRETS, credentials: { accessToken: 'integration-token' } },
    });
    const api = await seedStore(t.storage, { platform: 'api' });

    const reports = [
      await register(noUrl.id, {}),
      await register(noSecret.id),
      await register(noToken.id),
      await register(magento.id),
      await register(api.id),
    ];

    expect(reports.map((report) => report.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    const reasons = reports.map((report) => (report.status === 'skipped' ? report.reason : ''));
    expect(reasons[0]).toMatch(/WAYMARK_PUBLIC_URL/);
    expect(reasons[1]).toMatch(/webhook secret/);
    expect(reasons[2]).toMatch(/no shopify API credentials/);
    expect(reasons[3]).toMatch(/does not let Waymark subscribe/);
    expect(reasons[4]).toMatch(/api stores receive no platform webhooks/);
    expect(shopify.server.requests).toHaveLength(0);
  });

  it('should refuse an unknown store', async () => {
    await expect(register('0190a5f0-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
  });
});
