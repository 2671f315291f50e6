import { afterEach, beforeEach, expect, it } from 'vitest';

import { createSmtpEmailSender, type SmtpEmailSender } from '../../../adapters/notify/email/smtp.email.js';
import { createTwilioSmsSender } from '../../../adapters/notify/sms/twilio.sms.js';
import { templateRenderer } from '../../../cli/notifications.js';
import type { Store } from '../../../core/store/store.js';
import { buildTestApp, errorOf, seedStoreWithKey, type TestApp } from '../../../test-support/build-test-app.js';
import { CapturingSmtpServer } from '../../../test-support/capturing-smtp-server.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import { orderFields } from '../../../test-support/factories.js';
import { FakeHttpServer } from '../../../test-support/fake-http-server.js';

const ACCOUNT_SID = `AC${'0'.repeat(32)}`;
const TWILIO_PATH = `POST /2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const links = {
  trackingUrl: (storeId: string, orderId: string) => `https://waymark.example/t/${storeId}.${orderId}`,
  unsubscribeUrl: (storeId: string, channel: string, recipient: string) =>
    `https://waymark.example/u/${storeId}.${channel}.${encodeURIComponent(recipient)}`,
};

type TemplateBody = { milestone: string; subject: string | null; html: string | null; createdAt: string };
type PreviewBody = {
  template: string;
  data: string;
  locale: string;
  orderId: string | null;
  message: { channel: string; subject?: string; html?: string; text?: string; body?: string; segments?: number };
};
type TestResult = { state: string; idempotencyKey: string; reason: string | null; notificationId: string };

describeEachDatabase('notification template routes', (dialect) => {
  let t: TestApp;
  let smtp: CapturingSmtpServer;
  let twilio: FakeHttpServer;
  let email: SmtpEmailSender;
  let store: Store;
  let auth: { authorization: string };

  beforeEach(async () => {
    smtp = await new CapturingSmtpServer().start();
    twilio = await new FakeHttpServer().start();
    twilio.on(TWILIO_PATH, () => ({ status: 201, body: { sid: `SM${'1'.repeat(32)}` } }));
    email = createSmtpEmailSender({ url: smtp.url, timeoutMs: 5_000 });
    const sms = createTwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: 'token',
      from: '+15005550006',
      baseUrl: twilio.url,
    });
    t = await buildTestApp(dialect, {
      extraDeps: (storage) => ({
        notificationTools: {
          templates: storage.repositories.notificationTemplates,
          renderer: templateRenderer,
          links,
          senders: { email, sms, webhook: null },
          emailFrom: 'orders@waymark.example',
          testLog: storage.repositories.notifications,
          deliveries: storage.repositories.webhookDeliveries,
          endpointSecrets: storage.repositories.webhookEndpoints,
        },
      }),
    });
    ({ store, auth } = await seedStoreWithKey(t.storage, {
      name: 'Blue Lamps',
      branding: { displayName: 'Blue Lamps', supportEmail: 'help@bluelamps.example' },
    }));
  });
  afterEach(async () => {
    email.close();
    await t.close();
    await smtp.stop();
    await twilio.stop();
  });

  function put(path: string, payload: object, headers = auth) {
    return t.app.inject({ method: 'PUT', url: `/api/v1/notification-templates/${path}`, headers, payload });
  }

  async function order(language = 'fr') {
    return t.storage.repositories.orders.insertOrder(
      store.id,
      orderFields({ number: '#2077', customer: { email: 'zoe@example.com', name: 'Zoé', phone: null, language } }),
      t.clock.now(),
    );
  }

  it('should create, replace, list, read and delete an override', async () => {
    const created = await put('shipped/email/en', { subject: 'On its way: <%= it.order %>' });
    const replaced = await put('shipped/email/en', {
      subject: 'Shipped <%= it.order %>',
      html: '<p><%= it.store %></p>',
    });
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/notification-templates', headers: auth });
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notification-templates/shipped/email/en',
      headers: auth,
    });
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/notification-templates/shipped/email/en',
      headers: auth,
    });
    const gone = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notification-templates/shipped/email/en',
      headers: auth,
    });
    const deletedAgain = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/notification-templates/shipped/email/en',
      headers: auth,
    });

    expect(created.statusCode).toBe(201);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json<TemplateBody>()).toMatchObject({
      subject: 'Shipped <%= it.order %>',
      html: '<p><%= it.store %></p>',
      text: null,
    });
    expect(listed.json<{ data: TemplateBody[] }>().data).toHaveLength(1);
    expect(read.json<TemplateBody>()).toEqual(replaced.json());
    expect(deleted.statusCode).toBe(204);
    expect(gone.statusCode).toBe(404);
    expect(deletedAgain.statusCode).toBe(404);
  });

  it('should reject a broken template with a 400 naming the part and the line', async () => {
    const response = await put('delivered/email/fr', {
      html: '<p>Bonjour</p>\n<p><%= it.prenom %></p>',
    });

    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('html template, line 2: unknown variable it.prenom') as string,
      details: { part: 'html', line: 2 },
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/notification-templates', headers: auth })).json(),
    ).toEqual({ data: [] });
  });

  it.each([
    ['a milestone that does not exist', 'teleported/email/en', { subject: 'x' }],
    ['the webhook channel', 'shipped/webhook/en', { subject: 'x' }],
    ['a locale without templates', 'shipped/email/it', { subject: 'x' }],
    ['an unknown part', 'shipped/email/en', { subject: 'x', footer: 'y' }],
  ])('should answer 400 for %s', async (_name, path, payload) => {
    const response = await put(path, payload);

    expect(response.statusCode).toBe(400);
  });

  it("should keep each store's overrides to itself", async () => {
    await put('shipped/email/en', { subject: 'Mine' });
    const other = await seedStoreWithKey(t.storage, { name: 'Other' });

    const read = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notification-templates/shipped/email/en',
      headers: other.auth,
    });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/notification-templates' });

    expect(read.statusCode).toBe(404);
    expect(anonymous.statusCode).toBe(401);
  });

  it('should preview the built-in message, the saved override and a draft with sample data in the store branding', async () => {
    const preview = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/notifications/preview', headers: auth, payload });

    const builtIn = (await preview({ milestone: 'shipped', channel: 'email' })).json<PreviewBody>();
    await put('shipped/email/en', { subject: 'Saved: <%= it.order %> from <%= it.store %>' });
    const saved = (await preview({ milestone: 'shipped', channel: 'email' })).json<PreviewBody>();
    const draft = (
      await preview({ milestone: 'shipped', channel: 'email', template: { subject: 'Draft <%= it.carrier %>' } })
    ).json<PreviewBody>();
    const brokenDraft = await preview({ milestone: 'shipped', channel: 'email', template: { subject: '<%= it.x %>' } });

    expect(builtIn).toMatchObject({ template: 'built_in', data: 'sample', locale: 'en', orderId: null });
    expect(builtIn.message.subject).toBe('Your order #1042 is on its way');
    expect(builtIn.message.html).toContain('Blue Lamps');
    expect(saved).toMatchObject({ template: 'override', message: { subject: 'Saved: #1042 from Blue Lamps' } });
    expect(draft).toMatchObject({ template: 'draft', message: { subject: 'Draft UPS' } });
    expect(brokenDraft.statusCode).toBe(400);
    expect(errorOf(brokenDraft).details).toEqual({ part: 'subject', line: 1 });
  });

  it("should preview a real order in the customer's language with its signed link, and count SMS segments", async () => {
    const placed = await order('fr-CA');

    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/preview',
      headers: auth,
      payload: { milestone: 'order_confirmed', channel: 'sms', orderId: placed.id },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json<PreviewBody>()).toMatchObject({
      template: 'built_in',
      data: 'order',
      locale: 'fr',
      orderId: placed.id,
      message: {
        channel: 'sms',
        body: `Blue Lamps: votre commande #2077 est confirmée. https://waymark.example/t/${store.id}.${placed.id}`,
        segments: 1,
        encoding: 'GSM-7',
      },
    });
  });

  it("should answer 404 for another store's order", async () => {
    const other = await seedStoreWithKey(t.storage, { name: 'Other' });
    const placed = await order();

    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/preview',
      headers: other.auth,
      payload: { milestone: 'shipped', channel: 'email', orderId: placed.id },
    });

    expect(response.statusCode).toBe(404);
  });

  it('should send a marked test email through SMTP, record it as a test and keep it out of the order', async () => {
    const placed = await order();
    await put('order_confirmed/email/fr', { subject: 'Merci <%= it.customer %> : <%= it.order %>' });

    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/test',
      headers: auth,
      payload: { milestone: 'order_confirmed', channel: 'email', orderId: placed.id, to: 'owner@bluelamps.example' },
    });
    const result = response.json<TestResult>();
    const tests = await t.app.inject({ method: 'GET', url: '/api/v1/notifications/tests', headers: auth });
    const orderLog = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notifications?orderId=${placed.id}`,
      headers: auth,
    });

    expect(response.statusCode).toBe(200);
    expect(result).toMatchObject({
      state: 'sent',
      reason: null,
      idempotencyKey: expect.stringMatching(/^test:/) as string,
    });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.rcptTo).toEqual(['owner@bluelamps.example']);
    expect(smtp.received[0]?.headers.get('subject')).toBe('[Test] Merci Zoé : #2077');
    expect(smtp.received[0]?.headers.get('x-waymark-notification-key')).toBe(result.idempotencyKey);
    expect(smtp.received[0]?.raw).toContain(encodeURIComponent('owner@bluelamps.example'));
    expect(tests.json<{ data: object[] }>().data).toMatchObject([
      {
        id: result.notificationId,
        state: 'sent',
        recipient: 'owner@bluelamps.example',
        details: { test: true, template: 'override', orderId: placed.id },
      },
    ]);
    expect(orderLog.json()).toEqual({ data: [] });
  });

  it('should send a marked test SMS through Twilio', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/test',
      headers: auth,
      payload: { milestone: 'delivered', channel: 'sms', locale: 'de', to: '+4915112345678' },
    });
    const sent = new URLSearchParams(twilio.requestsTo(TWILIO_PATH)[0]?.body);

    expect(response.json<TestResult>().state).toBe('sent');
    expect(sent.get('To')).toBe('+4915112345678');
    expect(sent.get('Body')).toMatch(/^\[Test\] Blue Lamps: Ihre Bestellung #1042 /);
  });

  it('should report the provider refusal of a test as failed, with the reason', async () => {
    smtp.rejectRecipients.add('nobody@bluelamps.example');

    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/test',
      headers: auth,
      payload: { milestone: 'shipped', channel: 'email', to: 'nobody@bluelamps.example' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json<TestResult>()).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('550') as string,
    });
  });

  it('should describe the template, preview and test routes in the OpenAPI document', async () => {
    type Spec = {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>
      >;
    };

    const spec = (await t.app.inject({ url: '/api/docs/json' })).json<Spec>();

    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/notification-templates',
        '/api/v1/notification-templates/{milestone}/{channel}/{locale}',
        '/api/v1/notifications/preview',
        '/api/v1/notifications/test',
        '/api/v1/notifications/tests',
      ]),
    );
    const put = spec.paths['/api/v1/notification-templates/{milestone}/{channel}/{locale}']?.put;
    expect(Object.keys(put?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual([
      'subject',
      'html',
      'text',
      'body',
    ]);
  });

  it.each([
    ['an SMS number not in E.164', { channel: 'sms', to: '0612345678' }],
    ['an email that is not an address', { channel: 'email', to: 'owner at shop' }],
  ])('should answer 400 for %s', async (_name, payload) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/test',
      headers: auth,
      payload: { milestone: 'shipped', ...payload },
    });

    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toContain('to');
  });
});
