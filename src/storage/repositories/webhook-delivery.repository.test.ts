import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../../test-support/factories.js';

const SECRET = `whsec_${Buffer.alloc(24, 3).toString('base64')}`;
const LATER = '2026-11-26T12:00:05.000Z';

describeEachDatabase('WebhookDeliveryRepository', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  async function endpoint(storeId: string, url = 'https://erp.example/hooks') {
    return t.storage.repositories.webhookEndpoints.createEndpoint(
      storeId,
      { url, secret: SECRET, eventTypes: [] },
      FIXED_NOW,
    );
  }

  function delivery(storeId: string, endpointId: string, messageId = 'msg_1', replayOf: string | null = null) {
    return {
      storeId,
      endpointId,
      notificationId: null,
      messageId,
      payload: { type: 'shipment.delivered', timestamp: FIXED_NOW, data: { orderNumber: '#1001', nested: { a: 1 } } },
      replayOf,
    };
  }

  it('should record an attempt as pending, then its answer, numbering attempts per message and endpoint', async () => {
    const log = t.storage.repositories.webhookDeliveries;
    const store = await seedStore(t.storage);
    const erp = await endpoint(store.id);
    const crm = await endpoint(store.id, 'https://crm.example/hooks');

    const first = await log.startDelivery(delivery(store.id, erp.id), FIXED_NOW);
    await log.finishDelivery(
      first.id,
      { outcome: 'failed', statusCode: 503, responseMs: 12.4, error: 'HTTP 503' },
      LATER,
    );
    const second = await log.startDelivery(delivery(store.id, erp.id, 'msg_1', first.id), LATER);
    await log.finishDelivery(second.id, { outcome: 'delivered', statusCode: 204, responseMs: 8, error: null }, LATER);
    const otherEndpoint = await log.startDelivery(delivery(store.id, crm.id), LATER);
    const otherMessage = await log.startDelivery(delivery(store.id, erp.id, 'msg_2'), LATER);

    expect(first).toMatchObject({ attempt: 1, outcome: 'pending', statusCode: null, completedAt: null });
    expect(await log.findDelivery(store.id, erp.id, first.id)).toEqual({
      ...first,
      outcome: 'failed',
      statusCode: 503,
      responseMs: 12,
      error: 'HTTP 503',
      completedAt: LATER,
    });
    expect(second).toMatchObject({ attempt: 2, replayOf: first.id, messageId: 'msg_1' });
    expect(second.payload).toEqual(delivery(store.id, erp.id).payload);
    expect(otherEndpoint.attempt).toBe(1);
    expect(otherMessage.attempt).toBe(1);
  });

  it("should page one endpoint's deliveries newest first and hide other stores' deliveries", async () => {
    const log = t.storage.repositories.webhookDeliveries;
    const store = await seedStore(t.storage, { name: 'Mine' });
    const other = await seedStore(t.storage, { name: 'Other' });
    const erp = await endpoint(store.id);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push((await log.startDelivery(delivery(store.id, erp.id, `msg_${i}`), FIXED_NOW)).id);

    const page1 = await log.listDeliveries(store.id, erp.id, { limit: 2, cursor: null });
    const page2 = await log.listDeliveries(store.id, erp.id, { limit: 2, cursor: page1.nextCursor });
    const page3 = await log.listDeliveries(store.id, erp.id, { limit: 2, cursor: page2.nextCursor });
    const asOther = await log.listDeliveries(other.id, erp.id, { limit: 10, cursor: null });

    expect([...page1.deliveries, ...page2.deliveries, ...page3.deliveries].map((d) => d.id)).toEqual(ids.reverse());
    expect(page3.nextCursor).toBeNull();
    expect(asOther.deliveries).toEqual([]);
    expect(await log.findDelivery(other.id, erp.id, ids[0]!)).toBeUndefined();
  });

  it('should name the endpoints that already answered 2xx for an outbox row', async () => {
    const log = t.storage.repositories.webhookDeliveries;
    const store = await seedStore(t.storage);
    const erp = await endpoint(store.id);
    const crm = await endpoint(store.id, 'https://crm.example/hooks');
    await t.storage.repositories.notifications.planNotifications(
      [
        {
          storeId: store.id,
          orderId: null,
          shipmentId: null,
          milestone: 'delivered',
          channel: 'webhook',
          recipient: null,
          idempotencyKey: 'k1',
          state: 'planned',
          reason: null,
          payload: {},
        },
      ],
      FIXED_NOW,
    );
    const planned = await t.storage.db.selectFrom('notification').select('id').executeTakeFirst();
    const notificationId = planned!.id;
    const toErp = await log.startDelivery({ ...delivery(store.id, erp.id), notificationId }, FIXED_NOW);
    const toCrm = await log.startDelivery({ ...delivery(store.id, crm.id), notificationId }, FIXED_NOW);
    await log.finishDelivery(toErp.id, { outcome: 'delivered', statusCode: 200, responseMs: 3, error: null }, LATER);
    await log.finishDelivery(toCrm.id, { outcome: 'failed', statusCode: null, responseMs: 3, error: 'timeout' }, LATER);

    expect(await log.listDeliveredEndpointIds(notificationId)).toEqual([erp.id]);
  });
});
