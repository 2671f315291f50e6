import { randomBytes } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SHOPIFY_DEFAULT_API_VERSION } from '../adapters/platforms/shopify/shopify.graphql.js';
import { buildPlatformRegistry } from '../cli/platforms.js';
import { parseConfig } from '../config/config.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import { SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';
import { DomainError } from '../core/errors.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { FakeShopify } from '../test-support/fake-shopify.js';
import { createTestStorage, FIXED_NOW, ManualClock, seedStore, type TestStorage } from '../test-support/factories.js';
import {
  describeStoreConnection,
  testStoreConnection,
  updateStoreConnectionSecrets,
  type ConnectionDeps,
} from './manage-store-connection.js';

const TOKEN = 'shpat_connection_test';

async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describeEachDatabase('store connection', (dialect) => {
  let t: TestStorage;
  const clock = new ManualClock();
  let deps: ConnectionDeps & { clock: ManualClock };

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock.set(FIXED_NOW);
    deps = {
      stores: t.storage.repositories.stores,
      publicUrl: 'https://track.example.com/',
      localUrl: 'http://localhost:3000',
      clock,
    };
  });
  afterEach(async () => {
    await t.drop();
  });

  function shopifyStore(credentials: Record<string, string> = { accessToken: TOKEN }) {
    return seedStore(t.storage, {
      platform: 'shopify',
      domain: 'lamps.myshopify.com',
      secrets: { webhookSecret: 'whsec_old', credentials: { ...credentials, legacyScope: 'read_orders' } },
    });
  }

  describe('describeStoreConnection', () => {
    it('should name the fields set, never their values, and the webhook URL under the public URL', async () => {
      const store = await shopifyStore();

      const connection = await describeStoreConnection(deps, store.id);

      expect(connection).toMatchObject({
        connectable: true,
        secretsReadable: true,
        credentialFields: [
          { name: 'accessToken', required: true, isSet: true },
          { name: 'shopDomain', required: false, isSet: false },
        ],
        otherCredentialsSet: ['legacyScope'],
        webhookSecretSet: true,
        previousWebhookSecretSet: false,
        webhookUrl: `https://track.example.com/webhooks/shopify/${store.id}`,
        publicUrlSet: true,
      });
      expect(JSON.stringify(connection)).not.toContain(TOKEN);
      expect(JSON.stringify(connection)).not.toContain('whsec_old');
    });

    it('should fall back to the local URL without WAYMARK_PUBLIC_URL, and give api stores no webhook URL', async () => {
      const store = await shopifyStore();
      const api = await seedStore(t.storage, { platform: 'api' });

      const local = await describeStoreConnection({ ...deps, publicUrl: undefined }, store.id);
      const pushed = await describeStoreConnection(deps, api.id);

      expect(local.webhookUrl).toBe(`http://localhost:3000/webhooks/shopify/${store.id}`);
      expect(local.publicUrlSet).toBe(false);
      expect(pushed).toMatchObject({ connectable: false, webhookUrl: null, credentialFields: [] });
    });

    it('should say when the secrets no longer open, and answer not found for an unknown store', async () => {
      const store = await shopifyStore();
      const otherKey = Storage.fromDatabase(t.database.db, t.database.dialect, new SecretBox(randomBytes(32)));

      const unreadable = await describeStoreConnection({ ...deps, stores: otherKey.repositories.stores }, store.id);
      const missing = await errorOf(describeStoreConnection(deps, '00000000-0000-4000-8000-000000000000'));

      expect(unreadable).toMatchObject({ secretsReadable: false, webhookSecretSet: false });
      expect(missing.code).toBe('not_found');
    });
  });

  describe('updateStoreConnectionSecrets', () => {
    it('should replace only the fields given and keep the old webhook secret as the previous one', async () => {
      const store = await shopifyStore();

      const result = await updateStoreConnectionSecrets(deps, store.id, {
        credentials: { accessToken: '  shpat_rotated  ', shopDomain: '' },
        webhookSecret: 'whsec_new',
      });
      const secrets = await t.storage.repositories.stores.getStoreSecrets(store.id);

      expect(result.replaced).toEqual(['accessToken', 'webhookSecret']);
      expect(secrets).toEqual({
        webhookSecret: 'whsec_new',
        previousWebhookSecret: 'whsec_old',
        credentials: { accessToken: 'shpat_rotated', legacyScope: 'read_orders' },
      });
    });

    it('should keep the previous secret when the same webhook secret is entered again', async () => {
      const store = await shopifyStore();
      await updateStoreConnectionSecrets(deps, store.id, { credentials: {}, webhookSecret: 'whsec_new' });

      await updateStoreConnectionSecrets(deps, store.id, { credentials: {}, webhookSecret: 'whsec_new' });
      const secrets = await t.storage.repositories.stores.getStoreSecrets(store.id);

      expect(secrets.webhookSecret).toBe('whsec_new');
      expect(secrets.previousWebhookSecret).toBe('whsec_old');
    });

    it.each([
      ['an empty form', { credentials: { accessToken: ' ' } }, 'enter at least one value to replace'],
      ['a field of another platform', { credentials: { consumerKey: 'ck_1' } }, 'unknown field "consumerKey"'],
      ['a value with spaces', { credentials: { accessToken: 'two words' } }, 'must not contain spaces'],
      ['an overlong value', { credentials: { accessToken: 'x'.repeat(2049) } }, 'longer than 2048'],
    ])('should refuse %s', async (_name, input, message) => {
      const store = await shopifyStore();

      const error = await errorOf(updateStoreConnectionSecrets(deps, store.id, input));
      const secrets = await t.storage.repositories.stores.getStoreSecrets(store.id);

      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain(message);
      expect(secrets.credentials.accessToken).toBe(TOKEN);
    });

    it('should refuse api and sandbox stores, which have nothing to connect', async () => {
      const api = await seedStore(t.storage, { platform: 'api' });
      const sandbox = await seedStore(t.storage, { platform: 'sandbox' });

      for (const store of [api, sandbox]) {
        const error = await errorOf(
          updateStoreConnectionSecrets(deps, store.id, { credentials: {}, webhookSecret: 's' }),
        );
        expect(error.message).toBe(`${store.platform} stores have no platform to connect`);
      }
    });

    it('should start afresh from secrets sealed under another key', async () => {
      const store = await shopifyStore();
      const otherKey = Storage.fromDatabase(t.database.db, t.database.dialect, new SecretBox(randomBytes(32)));

      await updateStoreConnectionSecrets({ ...deps, stores: otherKey.repositories.stores }, store.id, {
        credentials: { accessToken: 'shpat_again' },
      });
      const secrets = await otherKey.repositories.stores.getStoreSecrets(store.id);

      expect(secrets).toEqual({
        webhookSecret: null,
        previousWebhookSecret: null,
        credentials: { accessToken: 'shpat_again' },
      });
    });
  });

  describe('testStoreConnection', () => {
    let shopify: FakeShopify;
    let platforms: PlatformRegistry;
    beforeEach(async () => {
      shopify = await new FakeShopify(TOKEN).start();
      platforms = buildPlatformRegistry(parseConfig({ WAYMARK_SHOPIFY_BASE_URL: shopify.url }));
    });
    afterEach(async () => {
      await shopify.stop();
    });

    it('should report ok after one authenticated call through the platform connector', async () => {
      const store = await shopifyStore();

      const result = await testStoreConnection({ ...deps, platforms }, store.id);

      expect(result).toEqual({ status: 'ok', platform: 'shopify', checkedAt: FIXED_NOW });
      expect(shopify.server.requests).toHaveLength(1);
    });

    it('should classify a refused token and an outage', async () => {
      const refused = await shopifyStore({ accessToken: 'shpat_revoked' });
      const store = await shopifyStore();

      const auth = await testStoreConnection({ ...deps, platforms }, refused.id);
      shopify.server.queue(FakeShopify.route(SHOPIFY_DEFAULT_API_VERSION), { status: 503, body: 'down' });
      const outage = await testStoreConnection({ ...deps, platforms }, store.id);

      expect(auth).toMatchObject({ status: 'failed', code: 'upstream_auth_failed' });
      expect(outage).toMatchObject({ status: 'failed', code: 'upstream_unavailable' });
    });

    it('should say what is missing instead of calling, and that api stores have nothing to test', async () => {
      const noToken = await seedStore(t.storage, { platform: 'shopify', domain: 'lamps.myshopify.com' });
      const woo = await seedStore(t.storage, {
        platform: 'woocommerce',
        secrets: { credentials: { consumerKey: 'ck_1', consumerSecret: 'cs_1' } },
      });
      const api = await seedStore(t.storage, { platform: 'api' });

      const results = await Promise.all(
        [noToken, woo, api].map((s) => testStoreConnection({ ...deps, platforms }, s.id)),
      );

      expect(results.map((r) => (r.status === 'skipped' ? r.reason : r.status))).toEqual([
        'the store has no accessToken: enter it',
        'the store has no domain, which Waymark needs to reach woocommerce',
        'api stores have no platform to connect',
      ]);
      expect(shopify.server.requests).toEqual([]);
    });

    it('should report secrets sealed under another key as secret_key_mismatch without calling', async () => {
      const store = await shopifyStore();
      const otherKey = Storage.fromDatabase(t.database.db, t.database.dialect, new SecretBox(randomBytes(32)));

      const result = await testStoreConnection({ ...deps, stores: otherKey.repositories.stores, platforms }, store.id);

      expect(result).toMatchObject({ status: 'failed', code: 'secret_key_mismatch' });
      expect(shopify.server.requests).toEqual([]);
    });
  });
});
