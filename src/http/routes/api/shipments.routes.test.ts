import { afterEach, beforeEach, expect, it } from 'vitest';

import { buildTestApp, errorOf, seedStoreWithKey, type TestApp } from '../../../test-support/build-test-app.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import { FIXED_NOW, orderFields } from '../../../test-support/factories.js';

describeEachDatabase('POST /api/v1/shipments/{id}/refresh', (dialect) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  async function seedShipment(storeId: string, trackerState: 'active' | 'stopped_stale' = 'active'): Promise<string> {
    const order = await t.storage.repositories.orders.insertOrder(storeId, orderFields(), FIXED_NOW);
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      storeId,
      {
        orderId: order.id,
        externalId: null,
        carrier: 'sandbox',
        carrierConfidence: 'detected',
        trackingNumber: 'SBX100000001',
        service: null,
        trackerState,
        shippedAt: FIXED_NOW,
        nextCheckAt: null,
      },
      FIXED_NOW,
    );
    return shipment.id;
  }

  it('should make the shipment due now and re-activate a stale tracker', async () => {
    const { store, auth } = await seedStoreWithKey(t.storage);
    const id = await seedShipment(store.id, 'stopped_stale');
    t.clock.set('2026-12-30T08:00:00.000Z');

    const response = await t.app.inject({ method: 'POST', url: `/api/v1/shipments/${id}/refresh`, headers: auth });
    const shipment = await t.storage.repositories.shipments.findShipmentById(store.id, id);

    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ id, nextCheckAt: '2026-12-30T08:00:00.000Z' });
    expect(shipment).toMatchObject({ nextCheckAt: '2026-12-30T08:00:00.000Z', trackerState: 'active' });
  });

  it('should answer 404 for another store’s shipment and change nothing', async () => {
    const owner = await seedStoreWithKey(t.storage, { name: 'Owner' });
    const other = await seedStoreWithKey(t.storage, { name: 'Other' });
    const id = await seedShipment(owner.store.id);

    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/shipments/${id}/refresh`,
      headers: other.auth,
    });

    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('not_found');
    expect((await t.storage.repositories.shipments.findShipmentById(owner.store.id, id))?.nextCheckAt).toBeNull();
  });

  it('should rate limit refreshes with 429 and Retry-After', async () => {
    const { store, auth } = await seedStoreWithKey(t.storage);
    const id = await seedShipment(store.id);

    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1)
      statuses.push(
        (await t.app.inject({ method: 'POST', url: `/api/v1/shipments/${id}/refresh`, headers: auth })).statusCode,
      );
    const limited = await t.app.inject({ method: 'POST', url: `/api/v1/shipments/${id}/refresh`, headers: auth });

    expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
  });
});
