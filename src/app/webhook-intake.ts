import type { AcceptedWebhook, UnitOfWork } from '../core/ports/storage.port.js';
import { GroupCommitInbox, type InboxReceipt } from './group-commit-inbox.js';
import { StoreLookupCache, type StoreWithSecrets } from './store-lookup-cache.js';

/** What the before-the-2xx half of a webhook needs: the store it is for, and the inbox. */
export type WebhookIntake = {
  findStore(storeId: string): Promise<StoreWithSecrets | undefined>;
  accept(input: AcceptedWebhook, now: string): Promise<InboxReceipt>;
  /** Resolves once every accepted delivery is committed. */
  whenIdle(): Promise<void>;
};

const DEFAULT_STORE_CACHE_MS = 5_000;
const STORE_CACHE_ENTRIES = 10_000;

/** Intake over the database: stores read through a short-lived cache, deliveries group-committed. */
export function createWebhookIntake(uow: UnitOfWork, options: { storeCacheMs?: number } = {}): WebhookIntake {
  const stores = new StoreLookupCache((storeId) => uow.repositories.stores.findStoreWithSecrets(storeId), {
    ttlMs: options.storeCacheMs ?? DEFAULT_STORE_CACHE_MS,
    maxEntries: STORE_CACHE_ENTRIES,
  });
  const inbox = new GroupCommitInbox(uow.repositories.inbox);
  return {
    findStore: (storeId) => stores.get(storeId),
    accept: (input, now) => inbox.acceptWebhook(input, now),
    whenIdle: () => inbox.whenIdle(),
  };
}
