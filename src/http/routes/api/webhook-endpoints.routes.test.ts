import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { validateEndpointUrl } from '../../../adapters/notify/webhook/endpoint-url.js';
import {
  createStandardWebhookSender,
  generateWebhookSecret,
} from '../../../adapters/notify/webhook/standard-webhooks.sender.js';
import { ingestPlatformOrder } from '../../../app/ingest-platform-order.js';
import { templateRenderer } from '../../../cli/notifications.js';
import type { Store } from '../../../core/store/store.js';
import { buildWorkers } from '../../../jobs/build-workers.js';
import { buildTestApp, errorOf, seedStoreWithKey, type TestApp } from '../../../test-support/build-test-app.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import { orderFields } from '../../../test-support/factories.js';
import { FakeHttpServer } from '../../../test-support/fake-http-server.js';

type Delivery = {
  id: string;
  webhookId: string;
  eventType: string;
  attempt: number;
  replayOf: string | null;
  outcome: string;
  statusCode: number | null;
  responseMs: number | null;
  error: string | null;
  payload: { type: string; data: { orderNumber: string } };
};
type Page = { data: Delivery[]; nextCursor: string | null };

const links = {
  trackingUrl: (s: string, o: string) => `https://waymark.example/t/${s}.${o}`,
  unsubscribeUrl: (s: string, c: string) => `https://waymark.example/u/${s}.${c}`,
};
const sender = createStandardWebhookSender({ allowPrivateNetworks: true });

describeEachDatabase('webhook endpoint delivery log routes', (dialect) => {
  let t: TestApp;
  let receiver: FakeHttpServer;
  let store: Store;
  let auth: { authorization: string };

  beforeEach(async () => {
    receiver = await new FakeHttpServer().start();
    receiver.on('POST /hooks', () => ({ status: 204 }));
    t = await buildTestApp(dialect, {
      extraDeps: (storage) => ({
        webhookEndpoints: {
          store: storage.repositories.webhookEndpoints,
          policy: {
            validateUrl: async (url) => {
              await validateEndpointUrl(url, { allowPrivateNetworks: true });
            },
            generateSecret: generateWebhookSecret,
          },
        },
        notificationTools: {
          templates: storage.repositories.notificationTemplates,
          renderer: templateRenderer,
          links,
          senders: { email: null, sms: null, webhook: sender },
          emailFrom: null,
          testLog: storage.repositories.notifications,
          deliveries: storage.repositories.webhookDeliveries,
          endpointSecrets: storage.repositories.webhookEndpoints,
        },
      }),
    });
    ({ store, auth } = await seedStoreWithKey(t.storage, {
      name: 'Blue Lamps',
      notificationSettings: { email: { enabled: false }, webhook: { enabled: true, milestones: ['shipped'] } },
    }));
  });
  afterEach(async () => {
    await t.close();
    await receiver.stop();
  });

  async function registerEndpoint(): Promise<{ id: string; secret: string }> {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      headers: auth,
      payload: { url: `${receiver.url}/hooks` },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; secret: string }>();
  }

  /** An order ships, so the outbox plans a `shipment.shipped` webhook, and one worker pass delivers it. */
  async function shipAndDeliver(number: string): Promise<void> {
    await t.storage.transaction((stores) =>
      ingestPlatformOrder(
        stores,
        { clock: t.clock },
        store.id,
        {
          ...orderFields({ number }),
          platformUpdatedAt: t.clock.now(),
          shipments: [
            {
              externalId: `f-${number}`,
              trackingNumber: `SBX1000${number.slice(1)}21`,
              carrierName: null,
              trackingUrl: null,
              service: null,
              items: [],
              shippedAt: t.clock.now(),
              platformShipmentStatus: null,
              cancelled: false,
            },
          ],
        },
        { cause: 'api' },
      ),
    );
    const workers = buildWorkers({
      uow: t.storage,
      clock: t.clock,
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
        senders: { email: null, sms: null, webhook: sender },
        renderer: { renderEmail: () => ({ subject: '', html: '', text: '' }), renderSms: () => ({ body: '' }) },
        links,
        endpoints: t.storage.repositories.webhookEndpoints,
        emailFrom: null,
        webhookDeliveries: t.storage.repositories.webhookDeliveries,
      },
    });
    await workers.at(-1)!.runOnce();
  }

  function deliveries(endpointId: string, query = '', headers = auth) {
    return t.app.inject({ method: 'GET', url: `/api/v1/webhook-endpoints/${endpointId}/deliveries${query}`, headers });
  }

  function replay(endpointId: string, deliveryId: string, headers = auth) {
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${endpointId}/deliveries/${deliveryId}/replay`,
      headers,
    });
  }

  it('should show a failed attempt with its status, error and timing, and replay it with the same body and webhook-id', async () => {
    const endpoint = await registerEndpoint();
    receiver.queue('POST /hooks', { status: 500, body: 'boom' });
    await shipAndDeliver('#5001');

    const logged = (await deliveries(endpoint.id)).json<Page>();
    const replayed = await replay(endpoint.id, logged.data[0]!.id);
    const after = (await deliveries(endpoint.id)).json<Page>();

    expect(logged.data).toHaveLength(1);
    expect(logged.data[0]).toMatchObject({
      eventType: 'shipment.shipped',
      attempt: 1,
      replayOf: null,
      outcome: 'failed',
      statusCode: 500,
      error: expect.stringContaining('HTTP 500') as string,
      payload: { type: 'shipment.shipped', data: { orderNumber: '#5001' } },
    });
    expect(logged.data[0]?.responseMs).toEqual(expect.any(Number));
    expect(replayed.statusCode).toBe(201);
    expect(replayed.json<Delivery>()).toMatchObject({
      attempt: 2,
      replayOf: logged.data[0]!.id,
      outcome: 'delivered',
      statusCode: 204,
      webhookId: logged.data[0]!.webhookId,
    });
    const [original, again] = receiver.requestsTo('POST /hooks');
    expect(again?.body).toBe(original?.body);
    expect(again?.headers['webhook-id']).toBe(logged.data[0]!.webhookId);
    expect(original?.headers['webhook-id']).toBe(logged.data[0]!.webhookId);
    expect(new Webhook(endpoint.secret).verify(again!.body, again!.headers as Record<string, string>)).toMatchObject({
      type: 'shipment.shipped',
    });
    expect(after.data.map((d) => d.attempt)).toEqual([2, 1]);
  });

  it('should describe the delivery log and replay routes in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ url: '/api/docs/json' })).json<{ paths: Record<string, object> }>();

    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/webhook-endpoints/{id}/deliveries',
        '/api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay',
      ]),
    );
  });

  it('should page the log newest first with a cursor', async () => {
    const endpoint = await registerEndpoint();
    await shipAndDeliver('#5101');
    await shipAndDeliver('#5102');
    await shipAndDeliver('#5103');

    const first = (await deliveries(endpoint.id, '?limit=2')).json<Page>();
    const second = (await deliveries(endpoint.id, `?limit=2&cursor=${first.nextCursor}`)).json<Page>();

    expect(first.data.map((d) => d.payload.data.orderNumber)).toEqual(['#5103', '#5102']);
    expect(second.data.map((d) => d.payload.data.orderNumber)).toEqual(['#5101']);
    expect(second.nextCursor).toBeNull();
  });

  it('should refuse to replay to a disabled endpoint until it is enabled again', async () => {
    const endpoint = await registerEndpoint();
    await shipAndDeliver('#5201');
    const [delivery] = (await deliveries(endpoint.id)).json<Page>().data;
    await t.app.inject({ method: 'POST', url: `/api/v1/webhook-endpoints/${endpoint.id}/disable`, headers: auth });

    const refused = await replay(endpoint.id, delivery!.id);
    await t.app.inject({ method: 'POST', url: `/api/v1/webhook-endpoints/${endpoint.id}/enable`, headers: auth });
    const accepted = await replay(endpoint.id, delivery!.id);

    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).message).toContain('disabled');
    expect(accepted.statusCode).toBe(201);
    expect(receiver.requestsTo('POST /hooks')).toHaveLength(2);
  });

  it("should answer 404 for another store's endpoint or delivery, and for a delivery that does not exist", async () => {
    const endpoint = await registerEndpoint();
    await shipAndDeliver('#5301');
    const [delivery] = (await deliveries(endpoint.id)).json<Page>().data;
    const other = await seedStoreWithKey(t.storage, { name: 'Other' });

    const theirList = await deliveries(endpoint.id, '', other.auth);
    const theirReplay = await replay(endpoint.id, delivery!.id, other.auth);
    const missing = await replay(endpoint.id, '01900000-0000-7000-8000-000000000000');

    expect(theirList.statusCode).toBe(404);
    expect(theirReplay.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(receiver.requestsTo('POST /hooks')).toHaveLength(1);
  });
});
