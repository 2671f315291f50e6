import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

import { validateEndpointUrl } from '../../adapters/notify/webhook/endpoint-url.js';
import {
  createStandardWebhookSender,
  generateWebhookSecret,
} from '../../adapters/notify/webhook/standard-webhooks.sender.js';
import type { OutgoingEmail } from '../../core/ports/notifier.port.js';
import type { Store } from '../../core/store/store.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import {
  buildDashboardTestApp,
  cookiesOf,
  seedDashboardUser,
  signInAs,
  type Browser,
  type DashboardTestApp,
} from '../../test-support/dashboard.js';
import { FIXED_NOW, seedStore } from '../../test-support/factories.js';
import { FakeHttpServer } from '../../test-support/fake-http-server.js';

let counter = 0;

describeEachDatabase('dashboard settings', (dialect) => {
  let t: DashboardTestApp;
  let store: Store;
  let owner: Browser;
  let staff: Browser;

  let receiver: FakeHttpServer;
  /** The outbox of a test email transport: what would have left by SMTP. */
  const sentEmails: OutgoingEmail[] = [];

  beforeAll(async () => {
    receiver = await new FakeHttpServer().on('POST /hooks', () => ({ status: 204 })).start();
    // The product's URL checks, with name resolution answered locally instead of by DNS.
    t = await buildDashboardTestApp(dialect, {
      webhookPolicy: {
        validateUrl: async (url) => {
          await validateEndpointUrl(url, {
            resolveHost: () => Promise.resolve([{ address: '93.184.216.34', family: 4 }]),
          });
        },
        generateSecret: generateWebhookSecret,
      },
      // Replays go to a local receiver, which the SSRF guard allows only when told to.
      webhookSender: createStandardWebhookSender({ allowPrivateNetworks: true }),
      templateEmailSender: {
        send: (message) => {
          sentEmails.push(message);
          return Promise.resolve({ providerMessageId: `test-${sentEmails.length}` });
        },
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    t.clock.set(FIXED_NOW);
    counter += 1;
    store = await seedStore(t.storage, { name: `Settings ${counter}`, timeZone: 'Europe/Paris' });
    await seedDashboardUser(t.storage, `owner${counter}@example.com`, [{ store, role: 'owner' }]);
    await seedDashboardUser(t.storage, `staff${counter}@example.com`, [{ store, role: 'staff' }]);
    owner = await signInAs(t.app, `owner${counter}@example.com`);
    staff = await signInAs(t.app, `staff${counter}@example.com`);
  });

  it('should forbid staff every settings page and form, and hide Settings from their navigation', async () => {
    const pages = ['branding', 'notifications', 'templates', 'carriers', 'webhooks', 'api-keys', 'users'];
    const reads = await Promise.all(pages.map((p) => staff.get(`/dashboard/settings/${p}`)));
    const writes = [
      await staff.post('/dashboard/settings/branding', { displayName: 'Hacked' }),
      await staff.post('/dashboard/settings/api-keys', { name: 'mine' }),
      await staff.post('/dashboard/settings/users', {
        email: 'me@example.com',
        role: 'owner',
        password: 'x'.repeat(12),
      }),
    ];
    const orders = await staff.get('/dashboard/orders');
    const after = await t.storage.repositories.stores.findStoreById(store.id);

    for (const response of [...reads, ...writes]) {
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('Only a store owner');
    }
    expect(orders.body).not.toContain('href="/dashboard/settings"');
    expect(after?.branding.displayName).toBeNull();
    expect(await t.storage.repositories.apiKeys.listApiKeys(store.id)).toEqual([]);
  });

  it('should save valid branding and refuse unsafe values, keeping what was typed', async () => {
    const saved = await owner.post('/dashboard/settings/branding', {
      displayName: 'Blue Lamps',
      logoUrl: 'https://cdn.example.com/logo.png',
      primaryColor: '#1F2937',
      accentColor: '#2563eb',
      supportEmail: 'help@example.com',
      supportUrl: 'https://example.com/help',
    });
    const refused = await owner.post('/dashboard/settings/branding', {
      displayName: 'Evil',
      logoUrl: 'javascript:alert(1)',
      primaryColor: 'red;background:url(x)',
      accentColor: '',
      supportEmail: 'not-an-email',
      supportUrl: 'http://example.com/help',
    });
    const page = await owner.get('/dashboard/settings/branding');
    const after = await t.storage.repositories.stores.findStoreById(store.id);

    expect(saved.statusCode).toBe(303);
    expect(after?.branding).toEqual({
      displayName: 'Blue Lamps',
      logoUrl: 'https://cdn.example.com/logo.png',
      primaryColor: '#1f2937',
      accentColor: '#2563eb',
      supportEmail: 'help@example.com',
      supportUrl: 'https://example.com/help',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('must be an https:// address');
    expect(refused.body).toContain('must be a hex colour');
    expect(refused.body).toContain('must be an email address');
    expect(refused.body).toContain('value="javascript:alert(1)"');
    expect(page.body).toContain(`src="/track/${store.slug}?preview=1"`);
    expect(page.body).toContain('value="Blue Lamps"');
  });

  it('should save notification rules and quiet hours, keeping settings this form does not own', async () => {
    await t.storage.repositories.stores.setNotificationSettings(store.id, { templates: { keep: true } }, FIXED_NOW);

    const saved = await owner.post('/dashboard/settings/notifications', {
      enabled: ['email', 'webhook'],
      email: ['shipped', 'delivered'],
      sms: ['out_for_delivery'],
      webhook: ['delivered'],
      quietStart: '21:00',
      quietEnd: '08:00',
    });
    const halfQuiet = await owner.post('/dashboard/settings/notifications', { quietStart: '21:00', quietEnd: '' });
    const unknown = await owner.post('/dashboard/settings/notifications', { email: ['teleported'] });
    const page = await owner.get('/dashboard/settings/notifications');
    const after = await t.storage.repositories.stores.findStoreById(store.id);

    expect(saved.statusCode).toBe(303);
    expect(after?.notificationSettings).toEqual({
      templates: { keep: true },
      email: { enabled: true, milestones: ['shipped', 'delivered'] },
      sms: { enabled: false, milestones: ['out_for_delivery'] },
      webhook: { enabled: true, milestones: ['delivered'] },
      quietHours: { start: '21:00', end: '08:00' },
    });
    expect(halfQuiet.statusCode).toBe(400);
    expect(halfQuiet.body).toContain('quiet hours need both a start and an end');
    expect(unknown.statusCode).toBe(400);
    expect(page.body).toMatch(/name="email" value="delivered" aria-label="Delivered by Email" checked/);
    expect(page.body).not.toMatch(/name="email" value="out_for_delivery" aria-label="[^"]+" checked/);
    expect(page.body).toContain('value="21:00"');
    expect(page.body).toContain('Europe/Paris');
  });

  it('should show a new API key once, which then works on the API until revoked', async () => {
    const created = await owner.post('/dashboard/settings/api-keys', { name: 'ERP sync' });
    const shown = await owner.follow(created);
    const key = /<code id="new-key" data-copy-source>([^<]+)<\/code>/.exec(shown.body)?.[1] ?? '';
    const reloaded = await owner.get('/dashboard/settings/api-keys');
    const keys = await t.storage.repositories.apiKeys.listApiKeys(store.id);
    const api = await t.app.inject({ url: '/api/v1/orders', headers: { authorization: `Bearer ${key}` } });
    const revoked = await owner.post(`/dashboard/settings/api-keys/${keys[0]?.id ?? ''}/revoke`, {});
    const apiAfter = await t.app.inject({ url: '/api/v1/orders', headers: { authorization: `Bearer ${key}` } });

    // Created by the POST, shown by the GET it redirects to: reloading that page creates nothing.
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/dashboard/settings/api-keys?done=key-created');
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['cache-control']).toBe('private, no-store');
    expect(shown.body).toContain('API key created.');
    expect(key).toMatch(/^wmk_/);
    // The key crossed the redirect sealed, and the page that showed it cleared it.
    expect(cookiesOf(created).waymark_reveal).not.toContain(key.slice(4, 20));
    expect(cookiesOf(shown).waymark_reveal).toBe('');
    expect(reloaded.body).not.toContain(key);
    expect(keys).toHaveLength(1);
    expect(reloaded.body).toContain(`<code>${keys[0]?.prefix ?? '?'}…</code>`);
    expect(reloaded.body).toContain('ERP sync');
    expect(api.statusCode).toBe(200);
    expect(revoked.statusCode).toBe(303);
    expect(apiAfter.statusCode).toBe(401);
  });

  it('should not show a new key to another session, nor after two minutes', async () => {
    const created = await owner.post('/dashboard/settings/api-keys', { name: 'shown to nobody else' });
    const reveal = `waymark_reveal=${cookiesOf(created).waymark_reveal ?? ''}`;
    const secondSession = await signInAs(t.app, `owner${counter}@example.com`);
    const elsewhere = await t.app.inject({
      url: '/dashboard/settings/api-keys',
      headers: { cookie: `${secondSession.cookie}; ${reveal}` },
    });
    t.clock.advance(121_000);
    const late = await owner.follow(created);

    expect(created.statusCode).toBe(303);
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.body).not.toContain('id="new-key"');
    expect(late.statusCode).toBe(200);
    expect(late.body).not.toContain('id="new-key"');
  });

  it('should add existing and new users with a role, and never remove the last owner', async () => {
    const other = await seedStore(t.storage, { name: `Elsewhere ${counter}` });
    await seedDashboardUser(t.storage, `existing${counter}@example.com`, [{ store: other, role: 'owner' }]);

    const existing = await owner.post('/dashboard/settings/users', {
      email: `Existing${counter}@example.com`,
      role: 'staff',
      password: '',
    });
    const noPassword = await owner.post('/dashboard/settings/users', {
      email: `new${counter}@example.com`,
      role: 'staff',
      password: 'short',
    });
    const created = await owner.post('/dashboard/settings/users', {
      email: `new${counter}@example.com`,
      role: 'owner',
      password: 'a long first password',
    });
    const newcomer = await signInAs(t.app, `new${counter}@example.com`, 'a long first password');
    const members = await t.storage.repositories.users.listStoreMembers(store.id);
    const staffMember = members.find((m) => m.email === `staff${counter}@example.com`);
    const removed = await newcomer.post(`/dashboard/settings/users/${staffMember?.userId ?? ''}/remove`, {});
    const ownerId = members.find((m) => m.email === `owner${counter}@example.com`)?.userId ?? '';
    const newId = members.find((m) => m.email === `new${counter}@example.com`)?.userId ?? '';
    await newcomer.post(`/dashboard/settings/users/${ownerId}/remove`, {});
    const lastOwner = await newcomer.post(`/dashboard/settings/users/${newId}/remove`, {});
    const staffAfter = await staff.get('/dashboard/orders');

    expect(existing.statusCode).toBe(303);
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.body).toContain('set a first password of at least 10 characters');
    expect(created.statusCode).toBe(303);
    expect(members.map((m) => [m.email, m.role])).toEqual([
      [`new${counter}@example.com`, 'owner'],
      [`owner${counter}@example.com`, 'owner'],
      [`existing${counter}@example.com`, 'staff'],
      [`staff${counter}@example.com`, 'staff'],
    ]);
    expect(removed.statusCode).toBe(303);
    expect(lastOwner.statusCode).toBe(400);
    expect(lastOwner.body).toContain('a store keeps at least one owner');
    expect(staffAfter.body).toContain('No store yet');
  });

  it('should add a webhook endpoint showing its secret once, refuse a private address, and disable it', async () => {
    const added = await owner.post('/dashboard/settings/webhooks', {
      url: 'https://hooks.example.com/waymark',
      eventTypes: ['shipment.delivered', 'order.order_confirmed', 'not.an.event'],
    });
    const shown = await owner.follow(added);
    const refused = await owner.post('/dashboard/settings/webhooks', { url: 'https://127.0.0.1/hook' });
    const [endpoint] = await t.storage.repositories.webhookEndpoints.listEndpoints(store.id);
    const disabled = await owner.post(`/dashboard/settings/webhooks/${endpoint?.id ?? ''}/toggle`, {});
    const page = await owner.get('/dashboard/settings/webhooks');
    const after = await t.storage.repositories.webhookEndpoints.listEndpoints(store.id);

    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/dashboard/settings/webhooks?done=endpoint-added');
    expect(shown.body).toContain('Webhook endpoint added.');
    expect(shown.body).toMatch(/<code id="new-secret" data-copy-source>whsec_[^<]+<\/code>/);
    expect(endpoint?.eventTypes).toEqual(['shipment.delivered', 'order.order_confirmed']);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('not a public address');
    expect(refused.body).toContain('value="https://127.0.0.1/hook"');
    expect(disabled.statusCode).toBe(303);
    expect(after.map((e) => e.isEnabled)).toEqual([false]);
    expect(page.body).not.toContain('whsec_');
    expect(page.body).toContain('>Enable</button>');
  });

  it('should list an endpoint deliveries and replay one with the same webhook-id, for the store only', async () => {
    const endpoints = t.storage.repositories.webhookEndpoints;
    const endpoint = await endpoints.createEndpoint(
      store.id,
      { url: `${receiver.url}/hooks`, secret: generateWebhookSecret(), eventTypes: [] },
      FIXED_NOW,
    );
    const log = t.storage.repositories.webhookDeliveries;
    const failed = await log.startDelivery(
      {
        storeId: store.id,
        endpointId: endpoint.id,
        notificationId: null,
        messageId: `msg_replay_${counter}`,
        payload: { type: 'shipment.delivered', timestamp: FIXED_NOW, data: { orderNumber: '#9001' } },
        replayOf: null,
      },
      FIXED_NOW,
    );
    await log.finishDelivery(
      failed.id,
      { outcome: 'failed', statusCode: 500, responseMs: 120, error: 'HTTP 500' },
      FIXED_NOW,
    );
    const other = await seedStore(t.storage, { name: `Foreign ${counter}` });
    const foreign = await endpoints.createEndpoint(
      other.id,
      { url: 'https://x.example/h', secret: 's', eventTypes: [] },
      FIXED_NOW,
    );

    const page = await owner.get(`/dashboard/settings/webhooks/${endpoint.id}/deliveries`);
    const replay = await owner.post(`/dashboard/settings/webhooks/${endpoint.id}/deliveries/${failed.id}/replay`, {});
    const after = await owner.get(`/dashboard/settings/webhooks/${endpoint.id}/deliveries`);
    const foreignLog = await owner.get(`/dashboard/settings/webhooks/${foreign.id}/deliveries`);
    const received = receiver.requestsTo('POST /hooks').at(-1);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`msg_replay_${counter}`);
    expect(page.body).toMatch(/title="Delivery: failed">Failed</);
    expect(replay.statusCode).toBe(303);
    expect(received?.headers['webhook-id']).toBe(`msg_replay_${counter}`);
    expect(JSON.parse(received?.body ?? '{}')).toMatchObject({
      type: 'shipment.delivered',
      data: { orderNumber: '#9001' },
    });
    expect(after.body).toMatch(/title="Delivery: delivered">Delivered</);
    expect(after.body).toContain('attempt 2 · replay');
    expect(foreignLog.statusCode).toBe(404);
  });

  it('should keep a store carrier account without ever showing its secrets, and disable and remove it', async () => {
    const incomplete = await owner.post('/dashboard/settings/carriers/ups', { clientId: 'only-the-id' });
    const saved = await owner.post('/dashboard/settings/carriers/ups', {
      clientId: 'ups-client-id-123',
      clientSecret: 'ups-very-secret-456',
    });
    const page = await owner.get('/dashboard/settings/carriers');
    const disabled = await owner.post('/dashboard/settings/carriers/ups/toggle', {});
    const [account] = await t.storage.repositories.carrierAccounts.listCarrierAccounts(store.id);
    const removed = await owner.post('/dashboard/settings/carriers/ups/remove', {});
    const unknown = await owner.post('/dashboard/settings/carriers/owlpost', { apiKey: 'x' });

    expect(incomplete.statusCode).toBe(400);
    expect(saved.statusCode).toBe(303);
    expect(page.body).toContain('clientId, clientSecret');
    expect(page.body).not.toContain('ups-very-secret-456');
    expect(page.body).not.toContain('ups-client-id-123');
    expect(disabled.statusCode).toBe(303);
    expect(account?.isEnabled).toBe(false);
    expect(removed.statusCode).toBe(303);
    expect(await t.storage.repositories.carrierAccounts.listCarrierAccounts(store.id)).toEqual([]);
    expect(unknown.statusCode).toBe(404);
  });

  it('should label each carrier credential by the name its developer portal gives it', async () => {
    const page = await owner.get('/dashboard/settings/carriers');

    expect(page.body).toContain('>API key (client ID)<');
    expect(page.body).toContain('>Consumer secret (client secret)<');
    expect(page.body).toContain('>Client ID<');
    expect(page.body).toContain('>API key<');
    expect(page.body).not.toContain('Api key');
  });

  it('should edit, preview, test-send and reset a message template', async () => {
    const key = 'milestone=delivered&channel=email&locale=fr';
    const editor = await owner.get(`/dashboard/settings/templates?${key}`);
    const builtIn = await owner.get(`/dashboard/settings/templates/preview?${key}`);
    const draft = { milestone: 'delivered', channel: 'email', locale: 'fr' };
    const goodDraft = await owner.post('/dashboard/settings/templates/preview', {
      ...draft,
      subject: 'Livré : <%= it.order %> chez vous',
    });
    const badDraft = await owner.post('/dashboard/settings/templates/preview', { ...draft, subject: '<%= it.order' });
    const refused = await owner.post('/dashboard/settings/templates', { ...draft, subject: '<%= it.order' });
    const saved = await owner.post('/dashboard/settings/templates', { ...draft, subject: 'Livré : <%= it.order %>' });
    const customised = await owner.get(`/dashboard/settings/templates?${key}`);
    const test = await owner.post('/dashboard/settings/templates/test', { ...draft, to: 'me@example.com' });
    const reset = await owner.post('/dashboard/settings/templates/reset', draft);
    const after = await t.storage.repositories.notificationTemplates.listTemplates(store.id);

    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('Delivered · Email · French');
    expect(editor.body).toContain('title="Template: built-in"');
    expect(builtIn.statusCode).toBe(200);
    expect(builtIn.headers['content-security-policy']).toContain('sandbox');
    expect(builtIn.headers['content-security-policy']).not.toContain('script-src');
    expect(builtIn.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(builtIn.body).toContain(`Settings ${counter}`);
    expect(builtIn.body).toMatch(/<iframe title="Email body" srcdoc="\s*&lt;!DOCTYPE html/i);
    expect(goodDraft.body).toContain('chez vous');
    expect(badDraft.body).toContain('This draft does not render');
    expect(refused.statusCode).toBe(400);
    expect(saved.statusCode).toBe(303);
    expect(customised.body).toContain('title="Template: customised"');
    expect(customised.body).toContain('Livré : &lt;%= it.order %&gt;');
    expect(test.body).toContain('Test sent to me@example.com.');
    expect(sentEmails.at(-1)?.subject).toMatch(/^\[Test\] Livré : /);
    expect(reset.statusCode).toBe(303);
    expect(after).toEqual([]);
  });
});
