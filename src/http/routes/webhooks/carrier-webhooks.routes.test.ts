import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { carrierWebhookSources } from '../../../adapters/carriers/carrier-registry.js';
import { buildInboundProcessors } from '../../../cli/carriers.js';
import { buildWorkers } from '../../../jobs/build-workers.js';
import type { CarrierWebhookRegistry } from '../../../app/ingest-carrier-webhook.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import {
  createTestStorage,
  FIXED_NOW,
  ManualClock,
  orderFields,
  seedStore,
  type TestStorage,
} from '../../../test-support/factories.js';
import { buildApp } from '../../build-app.js';
import { Metrics } from '../../metrics.js';
import type { FastifyInstance } from 'fastify';

const SECRET = 'easypost-webhook-secret';
const fixture = readFileSync(
  new URL(
    '../../../adapters/carriers/easypost/__fixtures__/webhook_tracker_updated_in_transit_fedex.json',
    import.meta.url,
  ),
);
const body = JSON.parse(fixture.toString('utf8')) as { result: { tracking_code: string } };

function sign(raw: Buffer | string): string {
  return `hmac-sha256-hex=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
}

describeEachDatabase('POST /webhooks/carriers/{source}', (dialect) => {
  let t: TestStorage;
  let app: FastifyInstance;
  let clock: ManualClock;
  let sources: CarrierWebhookRegistry;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock();
    const all = carrierWebhookSources();
    sources = new Map([['easypost', { handler: all.easypost!, secret: SECRET }]]);
    app = await buildApp({
      uow: t.storage,
      health: t.storage,
      clock,
      metrics: new Metrics({ defaultMetrics: false }),
      logger: pino({ level: 'silent' }),
      bodyLimit: 64 * 1024,
      carrierWebhooks: sources,
    });
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  async function post(payload: Buffer | string, headers: Record<string, string>, source = 'easypost') {
    return app.inject({
      method: 'POST',
      url: `/webhooks/carriers/${source}`,
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }

  it('should store a signed delivery before answering, once however often it is redelivered, and apply it to the shipment', async () => {
    const store = await seedStore(t.storage);
    const order = await t.storage.repositories.orders.insertOrder(
      store.id,
      orderFields({ orderStatus: 'fulfilled' }),
      FIXED_NOW,
    );
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      store.id,
      {
        orderId: order.id,
        externalId: null,
        carrier: 'fedex',
        carrierConfidence: 'given',
        trackingNumber: body.result.tracking_code,
        service: null,
        trackerState: 'active',
        shippedAt: FIXED_NOW,
        nextCheckAt: null,
      },
      FIXED_NOW,
    );

    const first = await post(fixture, { 'x-hmac-signature': sign(fixture) });
    const again = await post(fixture, { 'x-hmac-signature': sign(fixture) });
    const stored = await t.database.db.selectFrom('inbound_webhook').selectAll().execute();
    const [inboxLoop] = buildWorkers({
      uow: t.storage,
      clock,
      logger: pino({ level: 'silent' }),
      queues: { inbox: t.storage.claimer('inbound_webhook'), shipments: t.storage.claimer('shipment') },
      processors: buildInboundProcessors({ uow: t.storage, clock }, sources),
      carriers: new Map(),
      settings: { batchSize: 10, leaseMs: 60_000, pollIntervalMs: 10, maxAttempts: 3 },
    });
    await inboxLoop!.runOnce();
    const updated = await t.storage.repositories.shipments.findShipmentById(store.id, shipment.id);
    const events = await t.storage.repositories.events.listEventsForShipment(shipment.id);
    const processed = await t.database.db.selectFrom('inbound_webhook').selectAll().executeTakeFirstOrThrow();

    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, duplicate: false });
    expect(again.json()).toEqual({ received: true, duplicate: true });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.raw_body).toBe(fixture.toString('utf8'));
    expect(processed.state).toBe('processed');
    expect(updated?.status).toBe('in_transit');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.source === 'aggregator_webhook' && e.rawCode !== null)).toBe(true);
  });

  it('should refuse a bad or missing signature with 401 and store nothing', async () => {
    const tampered = Buffer.from(fixture.toString('utf8').replace('in_transit', 'delivered'));

    const wrong = await post(tampered, { 'x-hmac-signature': sign(fixture) });
    const missing = await post(fixture, {});
    const count = await t.database.db
      .selectFrom('inbound_webhook')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();

    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'signature_invalid' } });
    expect(missing.statusCode).toBe(401);
    expect(Number(count.n)).toBe(0);
  });

  it('should answer 404 for a source that is not configured, 400 for a signed body that is not JSON, 415 for other types', async () => {
    const garbage = Buffer.from('{not json');

    const unknownSource = await post(fixture, { 'x-hmac-signature': sign(fixture) }, 'aftership');
    const malformed = await post(garbage, { 'x-hmac-signature': sign(garbage) });
    const wrongType = await app.inject({
      method: 'POST',
      url: '/webhooks/carriers/easypost',
      payload: 'x',
      headers: { 'content-type': 'text/plain' },
    });

    expect(unknownSource.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'malformed_json' } });
    expect(wrongType.statusCode).toBe(415);
  });
});
