import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { Webhook } from 'standardwebhooks';

import { createStandardWebhookSender } from '../adapters/notify/webhook/standard-webhooks.sender.js';
import { DomainError } from '../core/errors.js';
import { FakeHttpServer } from '../test-support/fake-http-server.js';
import type { EmailSender, MessageRenderer, OutgoingEmail } from '../core/ports/notifier.port.js';
import { buildWorkers } from '../jobs/build-workers.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, ManualClock, orderFields, seedStore, type TestStorage } from '../test-support/factories.js';
import { templateRenderer } from '../cli/notifications.js';
import type { DeliveryDeps } from './deliver-notification.js';
import { ingestPlatformOrder } from './ingest-platform-order.js';

const renderer: MessageRenderer = {
  renderEmail: (c) => ({
    subject: `${c.milestone} ${c.order.number}`,
    html: `<p>${c.trackingUrl}</p>`,
    text: c.trackingUrl,
  }),
  renderSms: (c) => ({ body: `${c.milestone} ${c.trackingUrl}` }),
};
const links = {
  trackingUrl: (s: string, o: string) => `https://w.example/t/${s}.${o}`,
  unsubscribeUrl: (s: string, c: string) => `https://w.example/u/${s}.${c}`,
};

describeEachDatabase('deliverNotification through the worker', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  let sent: OutgoingEmail[];
  let behaviour: (message: OutgoingEmail) => Promise<{ providerMessageId: string }>;

  const email: EmailSender = { send: (message) => behaviour(message) };

  function worker(delivery: Partial<Omit<DeliveryDeps, 'uow' | 'clock'>> = {}) {
    const loops = buildWorkers({
      uow: t.storage,
      clock,
      logger: pino({ level: 'silent' }),
      queues: {
        inbox: t.storage.claimer('inbound_webhook'),
        shipments: t.storage.claimer('shipment'),
        notifications: t.storage.claimer('notification'),
      },
      processors: new Map(),
      carriers: new Map(),
      settings: { batchSize: 10, leaseMs: 60_000, pollIntervalMs: 10, maxAttempts: 3 },
      delivery: {
        senders: { email, sms: null, webhook: null },
        renderer,
        links,
        endpoints: { listEnabledEndpoints: () => Promise.resolve([]) },
        emailFrom: 'orders@waymark.example',
        ...delivery,
      },
    });
    return loops.at(-1)!;
  }

  async function shippedOrder(settings: Record<string, unknown> = {}, email = 'ada@example.com') {
    const store = await seedStore(t.storage, {
      name: 'Blue Lamps',
      notificationSettings: { webhook: { enabled: false }, ...settings },
      timeZone: 'Europe/Paris',
    });
    await t.storage.transaction((stores) =>
      ingestPlatformOrder(
        stores,
        { clock },
        store.id,
        {
          ...orderFields({ customer: { email, name: 'Ada', phone: null, language: 'en' } }),
          platformUpdatedAt: clock.now(),
          shipments: [
            {
              externalId: 'f1',
              trackingNumber: 'SBX100000321',
              carrierName: null,
              trackingUrl: null,
              service: null,
              items: [],
              shippedAt: clock.now(),
              platformShipmentStatus: null,
              cancelled: false,
            },
          ],
        },
        { cause: 'api' },
      ),
    );
    const orders = await t.storage.repositories.orders.listOrders(store.id, { limit: 1 });
    return { store, order: orders.orders[0]! };
  }

  async function rows(storeId: string, orderId: string) {
    return (await t.storage.repositories.notifications.listNotificationsForOrder(storeId, orderId)).filter(
      (n) => n.channel === 'email',
    );
  }

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock('2026-11-26T12:00:00.000Z');
    sent = [];
    behaviour = (message) => {
      sent.push(message);
      return Promise.resolve({ providerMessageId: `smtp-${sent.length}` });
    };
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should send a planned email once with its key and milestone, and record the provider id', async () => {
    const { store, order } = await shippedOrder();

    await worker().runOnce();
    await worker().runOnce();
    const [row] = await rows(store.id, order.id);

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'ada@example.com',
      milestone: 'shipped',
      subject: `shipped ${order.number}`,
      from: '"Blue Lamps" <orders@waymark.example>',
    });
    expect(sent[0]?.idempotencyKey).toBe(row?.idempotencyKey);
    expect(row).toMatchObject({ state: 'sent', providerMessageId: 'smtp-1' });
  });

  it('should keep messages in the local outbox when no SMTP is configured', async () => {
    const { store, order } = await shippedOrder();

    await worker({ senders: { email: null, sms: null, webhook: null } }).runOnce();

    expect(await rows(store.id, order.id)).toMatchObject([
      { state: 'planned', reason: 'no SMTP_URL configured: kept in the local outbox', nextAttemptAt: null },
    ]);
  });

  it('should respect an opt-out made after the message was planned', async () => {
    const { store, order } = await shippedOrder();
    await t.storage.repositories.notifications.optOut(store.id, 'email', 'ADA@example.com', clock.now());

    await worker().runOnce();

    expect(sent).toHaveLength(0);
    expect(await rows(store.id, order.id)).toMatchObject([
      { state: 'suppressed', reason: 'the customer opted out of email' },
    ]);
  });

  it('should hold a non-urgent message in quiet hours and send it when they end', async () => {
    clock.set('2026-11-26T22:30:00.000Z'); // 23:30 in Paris
    const { store, order } = await shippedOrder({ quietHours: { start: '21:00', end: '08:00' } });

    await worker().runOnce();
    const held = await rows(store.id, order.id);
    clock.set('2026-11-27T07:00:01.000Z');
    await worker().runOnce();

    expect(held).toMatchObject([{ state: 'held', nextAttemptAt: '2026-11-27T07:00:00.000Z' }]);
    expect(sent).toHaveLength(1);
    expect((await rows(store.id, order.id))[0]?.state).toBe('sent');
  });

  it('should retry a transient failure and record a permanent one as failed with the reason', async () => {
    const { store, order } = await shippedOrder();
    behaviour = () => Promise.reject(new DomainError('upstream_unavailable', 'SMTP 451 try again later'));

    await worker().runOnce();
    const retrying = await rows(store.id, order.id);
    behaviour = () => Promise.reject(new DomainError('invalid_input', '550 mailbox unavailable'));
    clock.advance(3_600_000);
    await worker().runOnce();

    expect(retrying).toMatchObject([{ state: 'planned', attempts: 1, reason: 'SMTP 451 try again later' }]);
    expect(await rows(store.id, order.id)).toMatchObject([
      { state: 'failed', reason: '550 mailbox unavailable', nextAttemptAt: null },
    ]);
  });

  it('should not send again after a worker died during the provider call', async () => {
    const { store, order } = await shippedOrder();
    const [claimed] = await t.storage
      .claimer('notification')
      .claim({ owner: 'doomed', limit: 10, leaseMs: 60_000, now: clock.now() });
    await t.storage.repositories.notifications.markSending(claimed!.id, 'doomed', clock.now());
    // The worker dies here, after the provider may have accepted the message.
    clock.advance(61_000);

    await worker().runOnce();

    expect(sent).toHaveLength(0);
    expect((await rows(store.id, order.id))[0]).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('outcome unknown') as string,
    });
  });

  it('should sign merchant webhooks to every subscribed endpoint, and suppress them when none subscribes', async () => {
    const server = await new FakeHttpServer().start();
    server.on('POST /hooks', () => ({ status: 204 }));
    try {
      const { store, order } = await shippedOrder({ webhook: { enabled: true } });
      const secret = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
      const endpoint = await t.storage.repositories.webhookEndpoints.createEndpoint(
        store.id,
        { url: `${server.url}/hooks`, secret, eventTypes: ['shipment.shipped'] },
        clock.now(),
      );

      await worker({
        senders: { email, sms: null, webhook: createStandardWebhookSender({ allowPrivateNetworks: true }) },
        endpoints: t.storage.repositories.webhookEndpoints,
      }).runOnce();
      const delivered = server.requestsTo('POST /hooks');
      const webhookRows = (
        await t.storage.repositories.notifications.listNotificationsForOrder(store.id, order.id)
      ).filter((n) => n.channel === 'webhook');

      expect(endpoint.isEnabled).toBe(true);
      expect(delivered).toHaveLength(1);
      const payload = new Webhook(secret).verify(
        delivered[0]!.body,
        delivered[0]!.headers as Record<string, string>,
      ) as { type: string; data: { orderNumber: string } };
      expect(payload).toMatchObject({ type: 'shipment.shipped', data: { orderNumber: order.number } });
      expect(webhookRows.find((n) => n.milestone === 'shipped')?.state).toBe('sent');
      expect(webhookRows.find((n) => n.milestone === 'order_confirmed')).toMatchObject({
        state: 'suppressed',
        reason: 'no enabled webhook endpoint subscribes to this event',
      });
    } finally {
      await server.stop();
    }
  });

  it("should send the store's template for the customer's language, and the built-in one when it fails", async () => {
    const warnings: Record<string, unknown>[] = [];
    const templates = { store: t.storage.repositories.notificationTemplates, renderer: templateRenderer };
    const first = await shippedOrder();
    await templates.store.saveTemplate(
      first.store.id,
      { milestone: 'shipped', channel: 'email', locale: 'en' },
      { subject: 'Off it goes, <%= it.customer %>: <%= it.order %>', html: null, text: null, body: null },
      clock.now(),
    );
    await worker({ templates, warn: (fields) => warnings.push(fields) }).runOnce();
    const second = await shippedOrder({}, 'bob@example.com');
    // Written behind the API, so never validated: code the grammar refuses at compile time.
    await templates.store.saveTemplate(
      second.store.id,
      { milestone: 'shipped', channel: 'email', locale: 'en' },
      { subject: '<% globalThis.pwned = true %>x', html: null, text: null, body: null },
      clock.now(),
    );

    await worker({ templates, warn: (fields) => warnings.push(fields) }).runOnce();

    expect(sent.map((m) => m.subject)).toEqual([
      `Off it goes, Ada: ${first.order.number}`,
      `shipped ${second.order.number}`,
    ]);
    expect((await rows(second.store.id, second.order.id))[0]?.state).toBe('sent');
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    expect(warnings).toMatchObject([
      { storeId: second.store.id, milestone: 'shipped', channel: 'email', locale: 'en' },
    ]);
  });

  it('should log every endpoint attempt and retry only the endpoints that failed', async () => {
    const server = await new FakeHttpServer().start();
    server.on('POST /erp', () => ({ status: 204 }));
    server.on('POST /crm', () => ({ status: 200 }));
    server.queue('POST /crm', { status: 503, body: 'maintenance' });
    try {
      const { store, order } = await shippedOrder({ webhook: { enabled: true, milestones: ['shipped'] } });
      const secret = 'whsec_' + Buffer.alloc(24, 9).toString('base64');
      const endpoints = t.storage.repositories.webhookEndpoints;
      const erp = await endpoints.createEndpoint(
        store.id,
        { url: `${server.url}/erp`, secret, eventTypes: [] },
        clock.now(),
      );
      const crm = await endpoints.createEndpoint(
        store.id,
        { url: `${server.url}/crm`, secret, eventTypes: [] },
        clock.now(),
      );
      const loop = () =>
        worker({
          senders: { email, sms: null, webhook: createStandardWebhookSender({ allowPrivateNetworks: true }) },
          endpoints,
          webhookDeliveries: t.storage.repositories.webhookDeliveries,
        });

      await loop().runOnce();
      const afterFirst = (
        await t.storage.repositories.notifications.listNotificationsForOrder(store.id, order.id)
      ).find((n) => n.channel === 'webhook');
      clock.advance(3_600_000);
      await loop().runOnce();
      const log = t.storage.repositories.webhookDeliveries;
      const erpLog = await log.listDeliveries(store.id, erp.id, { limit: 10, cursor: null });
      const crmLog = await log.listDeliveries(store.id, crm.id, { limit: 10, cursor: null });

      expect(afterFirst).toMatchObject({ state: 'planned', reason: expect.stringContaining('HTTP 503') as string });
      expect(server.requestsTo('POST /erp')).toHaveLength(1);
      expect(server.requestsTo('POST /crm')).toHaveLength(2);
      expect(erpLog.deliveries).toMatchObject([
        { attempt: 1, outcome: 'delivered', statusCode: 204, eventType: 'shipment.shipped' },
      ]);
      expect(crmLog.deliveries).toMatchObject([
        { attempt: 2, outcome: 'delivered', statusCode: 200, error: null },
        { attempt: 1, outcome: 'failed', statusCode: 503, error: expect.stringContaining('HTTP 503') as string },
      ]);
      const webhookIds = server.requests.map((r) => r.headers['webhook-id']);
      expect(new Set(webhookIds).size).toBe(1);
      expect(crmLog.deliveries[0]?.messageId).toBe(webhookIds[0]);
      expect(crmLog.deliveries[0]?.responseMs).toEqual(expect.any(Number));
    } finally {
      await server.stop();
    }
  });
});
