import { afterEach, beforeEach, expect, it } from 'vitest';

import { createSandboxPlatformClient } from '../adapters/platforms/sandbox/sandbox.client.js';
import type { ChangedOrdersPage, PlatformConnector, PlatformRegistry } from '../core/ports/platform.port.js';
import { PLATFORM_SYNC_REF } from '../core/ports/storage.port.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, FIXED_NOW, ManualClock, type TestStorage } from '../test-support/factories.js';
import { syncStoreOrders } from './sync-store-orders.js';

describeEachDatabase('syncStoreOrders', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  let failNextPage = false;

  function registry(): PlatformRegistry {
    const connector: PlatformConnector = {
      platform: 'sandbox',
      webhooks: null,
      pullIntervalMs: 10_000,
      createClient: (store) => {
        const client = createSandboxPlatformClient({
          epoch: store.createdAt,
          seed: store.id,
          orderEverySeconds: 30,
          fulfilAfterSeconds: 40,
          backlog: 8,
          now: () => Date.parse(clock.now()),
        });
        return {
          ...client,
          async listChangedOrders(cursor, options): Promise<ChangedOrdersPage> {
            if (failNextPage) {
              failNextPage = false;
              throw new Error('platform went away mid-pull');
            }
            return client.listChangedOrders(cursor, options);
          },
        };
      },
    };
    return new Map([['sandbox', connector]]);
  }

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock();
  });
  afterEach(async () => {
    await t.drop();
  });

  async function counts(storeId: string) {
    const orders = await t.storage.repositories.orders.listOrders(storeId, { limit: 100 });
    const shipments = await t.storage.repositories.shipments.listShipmentsForOrders(orders.orders.map((o) => o.id));
    return {
      orders: orders.total,
      shipments: shipments.length,
      cancelled: orders.orders.filter((o) => o.orderStatus === 'cancelled').length,
    };
  }

  it('should pull new and changed orders, add their parcels once, and resume from the stored cursor', async () => {
    const store = await t.storage.repositories.stores.createStore({ name: 'Demo', platform: 'sandbox' }, FIXED_NOW);
    const deps = { uow: t.storage, clock, platforms: registry() };

    const first = await syncStoreOrders(deps, store.id);
    const afterFirst = await counts(store.id);
    clock.advance(5 * 60_000);
    await syncStoreOrders(deps, store.id);
    const afterSecond = await counts(store.id);
    await syncStoreOrders(deps, store.id);
    const afterRepeat = await counts(store.id);

    expect(first.next_sync_at).toBe(new Date(Date.parse(FIXED_NOW) + 10_000).toISOString());
    expect(afterFirst.orders).toBe(9);
    expect(afterSecond.orders).toBe(19);
    expect(afterSecond.shipments).toBeGreaterThan(afterFirst.shipments);
    expect(afterSecond.cancelled).toBeGreaterThan(0);
    expect(afterRepeat).toEqual(afterSecond);
    expect(await t.storage.repositories.cursors.findCursor(store.id, 'orders')).not.toBeNull();
  });

  it('should journal what the sync changed as the platform sync, never as a carrier poll', async () => {
    const store = await t.storage.repositories.stores.createStore({ name: 'Demo', platform: 'sandbox' }, FIXED_NOW);
    await syncStoreOrders({ uow: t.storage, clock, platforms: registry() }, store.id);
    const orders = await t.storage.repositories.orders.listOrders(store.id, { limit: 100 });

    const journal = await t.storage.repositories.journal.listStatusChanges(
      store.id,
      orders.orders.map((order) => order.id),
    );

    expect(journal.length).toBeGreaterThanOrEqual(orders.total * 2);
    expect(new Set(journal.map((change) => `${change.cause}/${change.causeRef}`))).toEqual(
      new Set([`poll/${PLATFORM_SYNC_REF}`]),
    );
  });

  it('should lose nothing when the platform fails mid-pull: the next pass picks up from the cursor', async () => {
    const store = await t.storage.repositories.stores.createStore({ name: 'Demo', platform: 'sandbox' }, FIXED_NOW);
    const deps = { uow: t.storage, clock, platforms: registry() };
    await syncStoreOrders(deps, store.id);
    clock.advance(5 * 60_000);
    failNextPage = true;

    await expect(syncStoreOrders(deps, store.id)).rejects.toThrow('platform went away');
    await syncStoreOrders(deps, store.id);

    expect((await counts(store.id)).orders).toBe(19);
  });
});
