import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import {
  createTestStorage,
  FIXED_NOW,
  orderFields,
  seedStore,
  type TestStorage,
} from '../../test-support/factories.js';

const daysAgo = (days: number): string => new Date(Date.parse(FIXED_NOW) - days * 86_400_000).toISOString();

describeEachDatabase('order list filters used by the dashboard', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  async function seedOrders() {
    const store = await seedStore(t.storage);
    const { orders, shipments } = t.storage.repositories;
    const old = await orders.insertOrder(store.id, orderFields({ placedAt: daysAgo(10) }), FIXED_NOW);
    const middle = await orders.insertOrder(store.id, orderFields({ placedAt: daysAgo(5) }), FIXED_NOW);
    const recent = await orders.insertOrder(store.id, orderFields({ placedAt: daysAgo(1) }), FIXED_NOW);
    const base = {
      externalId: null,
      carrier: 'ups',
      carrierConfidence: 'given' as const,
      service: null,
      trackerState: 'active' as const,
      shippedAt: null,
      nextCheckAt: null,
    };
    const inTransit = await shipments.insertShipment(
      store.id,
      { ...base, orderId: middle.id, trackingNumber: 'T1' },
      FIXED_NOW,
    );
    await shipments.insertShipment(store.id, { ...base, orderId: recent.id, trackingNumber: 'T2' }, FIXED_NOW);
    await shipments.setShipmentStatus(
      store.id,
      inTransit.shipment.id,
      {
        status: 'exception',
        substatus: 'customs_hold',
        reason: 'customs_inspection',
        actionRequired: false,
        attemptNumber: 0,
        shippedAt: null,
        firstScanAt: null,
        outForDeliveryAt: null,
        deliveredAt: null,
        exceptionAt: daysAgo(4),
        lastEventAt: daysAgo(4),
      },
      FIXED_NOW,
    );
    return { store, old, middle, recent };
  }

  it('should keep only orders with a shipment in the shipping status asked for', async () => {
    const { store, middle } = await seedOrders();

    const page = await t.storage.repositories.orders.listOrders(store.id, { shippingStatus: 'exception', limit: 10 });
    const none = await t.storage.repositories.orders.listOrders(store.id, { shippingStatus: 'delivered', limit: 10 });

    expect(page.orders.map((o) => o.id)).toEqual([middle.id]);
    expect(page.total).toBe(1);
    expect(none.orders).toEqual([]);
  });

  it('should keep orders placed from the first instant and before the second', async () => {
    const { store, middle, recent } = await seedOrders();

    const page = await t.storage.repositories.orders.listOrders(store.id, {
      placedFrom: daysAgo(5),
      placedBefore: daysAgo(1),
      limit: 10,
    });
    const fromOnly = await t.storage.repositories.orders.listOrders(store.id, { placedFrom: daysAgo(6), limit: 10 });

    expect(page.orders.map((o) => o.id)).toEqual([middle.id]);
    expect(fromOnly.orders.map((o) => o.id)).toEqual([recent.id, middle.id]);
  });

  it('should combine the filters with paging and with the other filters', async () => {
    const { store, middle, recent } = await seedOrders();
    const orders = t.storage.repositories.orders;

    const first = await orders.listOrders(store.id, { carrier: 'ups', placedFrom: daysAgo(7), limit: 1 });
    const second = await orders.listOrders(store.id, {
      carrier: 'ups',
      placedFrom: daysAgo(7),
      limit: 1,
      cursor: first.nextCursor ?? '',
    });
    const combined = await orders.listOrders(store.id, {
      shippingStatus: 'pending',
      placedBefore: daysAgo(2),
      limit: 10,
    });

    expect(first.orders.map((o) => o.id)).toEqual([recent.id]);
    expect(first.total).toBe(2);
    expect(second.orders.map((o) => o.id)).toEqual([middle.id]);
    expect(second.nextCursor).toBeNull();
    expect(combined.orders).toEqual([]);
  });
});
