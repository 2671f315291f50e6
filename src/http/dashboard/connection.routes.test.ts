import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { SHOPIFY_DEFAULT_API_VERSION } from '../../adapters/platforms/shopify/shopify.graphql.js';
import { SHOPIFY_WEBHOOK_SUBSCRIPTIONS } from '../../adapters/platforms/shopify/shopify.client.js';
import { setCarrierAccount } from '../../app/manage-carrier-accounts.js';
import { createCarrierClientFactory } from '../../cli/carriers.js';
import { buildPlatformRegistry } from '../../cli/platforms.js';
import { parseConfig } from '../../config/config.js';
import type { Store } from '../../core/store/store.js';
import { SecretBox } from '../../storage/secret-box.js';
import { Storage } from '../../storage/storage.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import {
  buildDashboardTestApp,
  seedDashboardUser,
  signInAs,
  type Browser,
  type DashboardTestApp,
} from '../../test-support/dashboard.js';
import { FakeHttpServer } from '../../test-support/fake-http-server.js';
import { FakeShopify } from '../../test-support/fake-shopify.js';
import { FIXED_NOW, seedStore } from '../../test-support/factories.js';

const TOKEN = 'shpat_dashboard_connection';
const WEBHOOK_SECRET = 'whsec_dashboard_original';
const PUBLIC_URL = 'https://track.example.com';
const SHOP_ROUTE = FakeShopify.route(SHOPIFY_DEFAULT_API_VERSION);
const UPS_TOKEN_ROUTE = 'POST /security/v1/oauth/token';
const UPS_PROBE_ROUTE = 'GET /api/track/v1/details/1Z0000000000000000';

function upsFixture(name: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`../../adapters/carriers/ups/__fixtures__/${name}`, import.meta.url), 'utf8'),
  ) as unknown;
}

let counter = 0;

describeEachDatabase('dashboard settings: connection and carrier tests', (dialect) => {
  let t: DashboardTestApp;
  let shopify: FakeShopify;
  let ups: FakeHttpServer;
  let store: Store;
  let owner: Browser;
  let staff: Browser;

  beforeAll(async () => {
    shopify = await new FakeShopify(TOKEN).start();
    ups = await new FakeHttpServer().start();
    const good = `Basic ${Buffer.from('ups-id:ups-secret').toString('base64')}`;
    ups.on(UPS_TOKEN_ROUTE, (request) =>
      request.headers.authorization === good
        ? { body: { access_token: 'ups-token', expires_in: '14399' } }
        : { status: 401, body: upsFixture('auth_error_250003.json') },
    );
    ups.on(UPS_PROBE_ROUTE, () => ({ body: upsFixture('not_found_TW0001_http200.json') }));
    t = await buildDashboardTestApp(dialect, {
      // Every test signs in a few users from the same address; the limit itself is tested in auth.routes.test.ts.
      loginRateLimit: { perIp: 1000, perEmail: 10, windowMs: 60_000 },
      connection: {
        platforms: buildPlatformRegistry(parseConfig({ WAYMARK_SHOPIFY_BASE_URL: shopify.url })),
        publicUrl: PUBLIC_URL,
      },
      carrierClients: createCarrierClientFactory(
        parseConfig({ WAYMARK_UPS_BASE_URL: ups.url }),
        pino({ level: 'silent' }),
      ),
    });
  });
  afterAll(async () => {
    await t.close();
    await shopify.stop();
    await ups.stop();
  });
  beforeEach(async () => {
    t.clock.set(FIXED_NOW);
    counter += 1;
    store = await seedStore(t.storage, {
      name: `Lamps ${counter}`,
      platform: 'shopify',
      domain: `lamps-${counter}.myshopify.com`,
      secrets: { webhookSecret: WEBHOOK_SECRET, credentials: { accessToken: TOKEN } },
    });
    await seedDashboardUser(t.storage, `owner${counter}@example.com`, [{ store, role: 'owner' }]);
    await seedDashboardUser(t.storage, `staff${counter}@example.com`, [{ store, role: 'staff' }]);
    owner = await signInAs(t.app, `owner${counter}@example.com`);
    staff = await signInAs(t.app, `staff${counter}@example.com`);
  });

  function secretsOf(storeId: string) {
    return t.storage.repositories.stores.getStoreSecrets(storeId);
  }

  describe('Settings → Connection', () => {
    it('should show the platform, domain, slug and webhook URL, and which credentials are set, never a value', async () => {
      const page = await owner.get('/dashboard/settings/connection');

      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('aria-current="page">Connection</a>');
      expect(page.body).toContain('<dd>Shopify</dd>');
      expect(page.body).toContain(`<code class="break">lamps-${counter}.myshopify.com</code>`);
      expect(page.body).toContain(`<code class="break">lamps-${counter}</code>`);
      expect(page.body).toContain(`${PUBLIC_URL}/webhooks/shopify/${store.id}`);
      expect(page.body).not.toContain('WAYMARK_PUBLIC_URL</code> is not set');
      expect(page.body).toMatch(/Admin API access token<\/label> <span class="badge badge--success"[^>]*>Set</);
      expect(page.body).toMatch(
        /Shop domain <span class="muted small">\(optional\)<\/span><\/label> <span[^>]*>Not set</,
      );
      expect(page.body).toMatch(/Webhook secret<\/label> <span class="badge badge--success"[^>]*>Set</);
      expect(page.body).not.toContain(TOKEN);
      expect(page.body).not.toContain(WEBHOOK_SECRET);
      expect(page.body).toContain('>Test connection</button>');
      expect(page.body).toContain('>Register webhooks</button>');
    });

    it('should replace a token and the webhook secret, keep the old secret accepted, and say so after the redirect', async () => {
      const saved = await owner.post('/dashboard/settings/connection', {
        accessToken: 'shpat_rotated_value',
        shopDomain: '',
        webhookSecret: 'whsec_rotated_value',
        storeHash: 'not-a-shopify-field',
      });
      const page = await owner.get(saved.headers.location ?? '');
      const secrets = await secretsOf(store.id);

      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe('/dashboard/settings/connection?done=connection-saved');
      expect(page.body).toContain('Credentials saved. Test the connection to check them.');
      expect(page.body).toContain('(one is kept now)');
      expect(page.body).not.toContain('shpat_rotated_value');
      expect(page.body).not.toContain('whsec_rotated_value');
      expect(secrets).toEqual({
        webhookSecret: 'whsec_rotated_value',
        previousWebhookSecret: WEBHOOK_SECRET,
        credentials: { accessToken: 'shpat_rotated_value' },
      });
    });

    it('should refuse an empty form and a malformed value on the page, changing nothing', async () => {
      const empty = await owner.post('/dashboard/settings/connection', { accessToken: '', webhookSecret: '' });
      const spaced = await owner.post('/dashboard/settings/connection', { accessToken: 'shpat two words' });

      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('enter at least one value to replace');
      expect(spaced.statusCode).toBe(400);
      expect(spaced.body).toContain('accessToken must not contain spaces');
      expect(await secretsOf(store.id)).toEqual({
        webhookSecret: WEBHOOK_SECRET,
        previousWebhookSecret: null,
        credentials: { accessToken: TOKEN },
      });
    });

    it('should test the connection with the stored token and explain a refusal and an outage', async () => {
      const works = await owner.post('/dashboard/settings/connection/test', {});
      await owner.post('/dashboard/settings/connection', { accessToken: 'shpat_revoked' });
      const refused = await owner.post('/dashboard/settings/connection/test', {});
      await owner.post('/dashboard/settings/connection', { accessToken: TOKEN });
      shopify.server.queue(SHOP_ROUTE, { status: 503, body: 'Service Unavailable' });
      const down = await owner.post('/dashboard/settings/connection/test', {});

      expect(works.statusCode).toBe(200);
      expect(works.body).toContain('<strong>Connection works.</strong> Shopify accepted the stored credentials');
      expect(refused.body).toContain('Shopify refused these credentials, or they lack a permission Waymark needs.');
      expect(refused.body).toContain('upstream_auth_failed: ');
      expect(refused.body).toContain('role="alert"');
      expect(down.body).toContain('Shopify is unavailable or did not answer in time.');
      expect(down.body).toContain('upstream_unavailable: ');
    });

    it('should register the webhooks at the public URL and list every topic registered', async () => {
      const before = shopify.subscriptions.length;

      const registered = await owner.post('/dashboard/settings/connection/webhooks', {});
      const mine = shopify.subscriptions.slice(before);

      expect(registered.statusCode).toBe(200);
      expect(registered.body).toContain('<strong>Webhooks registered.</strong>');
      for (const { topic } of SHOPIFY_WEBHOOK_SUBSCRIPTIONS) {
        expect(registered.body).toMatch(
          new RegExp(`<code>${topic}</code></td><td><span class="badge badge--success"[^>]*>Registered<`),
        );
      }
      expect(mine).toHaveLength(SHOPIFY_WEBHOOK_SUBSCRIPTIONS.length);
      expect(mine.every((s) => JSON.stringify(s.input).includes(`${PUBLIC_URL}/webhooks/shopify/${store.id}`))).toBe(
        true,
      );
    });

    it('should report a refused registration as failed, with the topic and the reason', async () => {
      await owner.post('/dashboard/settings/connection', { accessToken: 'shpat_revoked' });

      const failed = await owner.post('/dashboard/settings/connection/webhooks', {});

      expect(failed.statusCode).toBe(200);
      expect(failed.body).toContain('<strong>Webhook registration failed.</strong>');
      expect(failed.body).toContain('Shopify refused these credentials');
      expect(failed.body).toContain('polling still syncs the store');
    });

    it('should say plainly that api and sandbox stores have nothing to connect', async () => {
      for (const platform of ['api', 'sandbox'] as const) {
        const plain = await seedStore(t.storage, { name: `Plain ${platform} ${counter}`, platform });
        await seedDashboardUser(t.storage, `${platform}${counter}@example.com`, [{ store: plain, role: 'owner' }]);
        const browser = await signInAs(t.app, `${platform}${counter}@example.com`);

        const page = await browser.get('/dashboard/settings/connection');
        const tested = await browser.post('/dashboard/settings/connection/test', {});
        const saved = await browser.post('/dashboard/settings/connection', { webhookSecret: 'whsec_x' });

        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('there is no platform to connect and no webhook to register');
        expect(page.body).not.toContain('Webhook URL');
        expect(page.body).not.toContain('>Test connection</button>');
        expect(page.body).not.toContain('Save credentials');
        expect(tested.body).toContain(`Nothing was asked of ${platform === 'api' ? 'REST API' : 'Sandbox'}`);
        expect(saved.statusCode).toBe(400);
      }
    });

    it('should ask for credentials sealed under another key to be entered again, and not register with them', async () => {
      const otherKey = Storage.fromDatabase(
        t.testStorage.database.db,
        t.testStorage.database.dialect,
        new SecretBox(randomBytes(32)),
      );
      const sealedElsewhere = await otherKey.repositories.stores.createStore(
        {
          name: `Moved ${counter}`,
          platform: 'shopify',
          secrets: { webhookSecret: 'whsec_moved', credentials: { accessToken: TOKEN } },
        },
        FIXED_NOW,
      );
      await seedDashboardUser(t.storage, `moved${counter}@example.com`, [{ store: sealedElsewhere, role: 'owner' }]);
      const browser = await signInAs(t.app, `moved${counter}@example.com`);
      const calls = shopify.server.requests.length;

      const page = await browser.get('/dashboard/settings/connection');
      const registered = await browser.post('/dashboard/settings/connection/webhooks', {});
      const tested = await browser.post('/dashboard/settings/connection/test', {});

      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('cannot be read. Enter them again.');
      expect(registered.body).toContain('<strong>Webhook registration failed.</strong>');
      expect(registered.body).toContain('secret_key_mismatch: ');
      expect(tested.body).toContain('sealed with another WAYMARK_SECRET_KEY');
      expect(shopify.server.requests.length).toBe(calls);
    });

    it('should act only on the signed-in store: another store keeps its secrets and is never called', async () => {
      const other = await seedStore(t.storage, {
        name: `Other ${counter}`,
        platform: 'shopify',
        domain: `other-${counter}.myshopify.com`,
        secrets: { webhookSecret: 'whsec_other', credentials: { accessToken: 'shpat_other_store' } },
      });
      const calls = shopify.server.requests.length;

      await owner.post('/dashboard/settings/connection', { accessToken: 'shpat_mine_only' });
      const page = await owner.get('/dashboard/settings/connection');
      const tested = await owner.post('/dashboard/settings/connection/test', {});
      const sent = shopify.server.requests.slice(calls);

      expect(await secretsOf(other.id)).toEqual({
        webhookSecret: 'whsec_other',
        previousWebhookSecret: null,
        credentials: { accessToken: 'shpat_other_store' },
      });
      expect(page.body).not.toContain(other.id);
      expect(tested.body).toContain('upstream_auth_failed');
      expect(sent.map((r) => r.headers['x-shopify-access-token'])).toEqual(['shpat_mine_only']);
    });

    it('should forbid staff the page and every action, and refuse a form without the CSRF token', async () => {
      const calls = shopify.server.requests.length;
      const forbidden = [
        await staff.get('/dashboard/settings/connection'),
        await staff.post('/dashboard/settings/connection', { accessToken: 'shpat_staff' }),
        await staff.post('/dashboard/settings/connection/test', {}),
        await staff.post('/dashboard/settings/connection/webhooks', {}),
      ];
      const forged = [
        await owner.post('/dashboard/settings/connection', { accessToken: 'shpat_forged' }, { csrf: false }),
        await owner.post('/dashboard/settings/connection/test', {}, { csrf: false }),
        await owner.post('/dashboard/settings/connection/webhooks', {}, { csrf: false }),
      ];

      for (const response of forbidden) {
        expect(response.statusCode).toBe(403);
        expect(response.body).toContain('Only a store owner');
      }
      for (const response of forged) {
        expect(response.statusCode).toBe(403);
        expect(response.body).toContain('This form has expired or did not come from this dashboard');
      }
      expect((await secretsOf(store.id)).credentials).toEqual({ accessToken: TOKEN });
      expect(shopify.server.requests.length).toBe(calls);
    });
  });

  describe('Settings → Carriers "Test"', () => {
    const deps = () => ({
      accounts: t.storage.repositories.carrierAccounts,
      stores: t.storage.repositories.stores,
      clock: t.clock,
    });

    it('should show ok for working credentials and explain refused ones, with a Test button per account', async () => {
      await setCarrierAccount(deps(), store.id, {
        carrier: 'ups',
        credentials: { clientId: 'ups-id', clientSecret: 'ups-secret' },
      });
      const page = await owner.get('/dashboard/settings/carriers');
      const works = await owner.post('/dashboard/settings/carriers/ups/test', {});
      await owner.post('/dashboard/settings/carriers/ups', { clientSecret: 'wrong-secret' });
      const refused = await owner.post('/dashboard/settings/carriers/ups/test', {});

      expect(page.body).toContain('action="/dashboard/settings/carriers/ups/test"');
      expect(works.statusCode).toBe(200);
      expect(works.body).toContain('<strong>UPS: credentials work.</strong> UPS accepted these credentials');
      expect(refused.statusCode).toBe(200);
      expect(refused.body).toContain('<strong>UPS: test failed.</strong> UPS refused these credentials');
      expect(refused.body).toContain('upstream_auth_failed: ');
      expect(refused.body).not.toContain('wrong-secret');
    });

    it('should say when the carrier is unavailable', async () => {
      await setCarrierAccount(deps(), store.id, {
        carrier: 'ups',
        credentials: { clientId: 'ups-id', clientSecret: 'ups-secret' },
      });
      ups.queue(UPS_PROBE_ROUTE, { status: 503, body: 'Service Unavailable' });

      const down = await owner.post('/dashboard/settings/carriers/ups/test', {});

      expect(down.body).toContain('UPS is unavailable or did not answer in time.');
    });

    it('should answer 404 for a carrier the store has no account for, even when another store has one', async () => {
      const other = await seedStore(t.storage, { name: `Carrier other ${counter}` });
      await setCarrierAccount(deps(), other.id, {
        carrier: 'ups',
        credentials: { clientId: 'ups-id', clientSecret: 'ups-secret' },
      });
      const calls = ups.requests.length;

      const foreign = await owner.post('/dashboard/settings/carriers/ups/test', {});
      const unknown = await owner.post('/dashboard/settings/carriers/owlpost/test', {});

      expect(foreign.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(ups.requests.length).toBe(calls);
    });

    it('should forbid staff and refuse a test without the CSRF token', async () => {
      await setCarrierAccount(deps(), store.id, {
        carrier: 'ups',
        credentials: { clientId: 'ups-id', clientSecret: 'ups-secret' },
      });
      const calls = ups.requests.length;

      const byStaff = await staff.post('/dashboard/settings/carriers/ups/test', {});
      const forged = await owner.post('/dashboard/settings/carriers/ups/test', {}, { csrf: false });

      expect(byStaff.statusCode).toBe(403);
      expect(forged.statusCode).toBe(403);
      expect(ups.requests.length).toBe(calls);
    });
  });

  it('should send the server root to the dashboard, where a signed-out visitor is asked to sign in', async () => {
    const root = await t.app.inject({ method: 'GET', url: '/' });
    const dashboard = await t.app.inject({ method: 'GET', url: root.headers.location ?? '' });

    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/dashboard');
    expect(dashboard.statusCode).toBe(303);
    expect(dashboard.headers.location).toMatch(/^\/dashboard\/login/);
  });
});
