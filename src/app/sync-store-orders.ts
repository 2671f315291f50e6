import type { Clock } from '../core/ports/clock.port.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import { PLATFORM_SYNC_REF, type UnitOfWork } from '../core/ports/storage.port.js';
import { addMs } from '../core/scheduling/backoff.js';
import { ingestPlatformOrder } from './ingest-platform-order.js';

/** How far back the first pull of a new store reaches. */
const FIRST_PULL_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
/** Pages per claim, so one big store does not hold a worker for minutes. */
const PAGES_PER_PASS = 5;
const CURSOR_RESOURCE = 'orders';

export type SyncCompletion = { next_sync_at: string | null; last_synced_at: string };

/**
 * One pass of a store's incremental pull: pages of orders changed since the
 * stored cursor, each order applied in its own transaction, the cursor saved
 * after each page — so a crash resumes at the last applied page, and an order
 * seen twice (overlap window, webhook and pull both) is applied idempotently.
 */
export async function syncStoreOrders(
  deps: { uow: UnitOfWork; clock: Clock; platforms: PlatformRegistry },
  storeId: string,
): Promise<SyncCompletion> {
  const now = deps.clock.now();
  const store = await deps.uow.repositories.stores.findStoreById(storeId);
  const connector = store ? deps.platforms.get(store.platform) : undefined;
  if (!store || !store.isEnabled || !connector) return { next_sync_at: null, last_synced_at: now };
  const client = connector.createClient(store, await deps.uow.repositories.stores.getStoreSecrets(store.id));
  if (!client) return { next_sync_at: addMs(now, connector.pullIntervalMs), last_synced_at: now };

  let cursor = await deps.uow.repositories.cursors.findCursor(store.id, CURSOR_RESOURCE);
  const since = addMs(now, -FIRST_PULL_LOOKBACK_MS);
  for (let page = 0; page < PAGES_PER_PASS; page += 1) {
    const result = await client.listChangedOrders(cursor, { since, pageSize: 50 });
    for (const order of result.orders) {
      await deps.uow.transaction((stores) =>
        ingestPlatformOrder(stores, deps, store.id, order, { cause: 'poll', causeRef: PLATFORM_SYNC_REF }, { store }),
      );
    }
    cursor = result.nextCursor;
    await deps.uow.repositories.cursors.saveCursor(store.id, CURSOR_RESOURCE, cursor, deps.clock.now());
    if (!result.hasMore)
      return { next_sync_at: addMs(deps.clock.now(), connector.pullIntervalMs), last_synced_at: deps.clock.now() };
  }
  // More pages wait: due again at once, after other stores have had their turn.
  return { next_sync_at: deps.clock.now(), last_synced_at: deps.clock.now() };
}
