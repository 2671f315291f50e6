import type { Clock } from '../core/ports/clock.port.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import { WriteBackState } from '../core/ports/platform-write-back.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';

/** Columns the worker writes when it completes a claimed write-back row. */
export type WriteBackCompletion = Record<string, unknown>;

/**
 * Posts one claimed write-back row to its store's platform. A row ends
 * `posted` (with the platform's event id), `skipped` (nothing to say: no
 * platform word for the status, a later event of the fulfilment already
 * posted, write-back switched off) or `failed` (refused for good: an unknown
 * fulfilment, a status the API version lacks, no credentials), each with
 * its reason. Throttling and outages throw, so the worker retries the row
 * with backoff and parks it as failed once its attempts run out.
 *
 * At least once: a worker that dies during the call leaves the row to be
 * claimed again when its lease ends, and the platform may then show that
 * event twice — the lesser harm than a delivery it never hears of.
 */
export async function postPlatformWriteBack(
  deps: { uow: UnitOfWork; clock: Clock; platforms: PlatformRegistry },
  id: string,
): Promise<WriteBackCompletion> {
  const now = deps.clock.now();
  const finished = (state: WriteBackState, reason: string | null, extra: Record<string, unknown> = {}) => ({
    state,
    last_error: reason,
    next_attempt_at: null,
    updated_at: now,
    ...extra,
  });
  const repositories = deps.uow.repositories;
  const row = await repositories.writeBacks.findWriteBack(id);
  if (!row) return finished(WriteBackState.Failed, 'row vanished');
  if (row.state !== WriteBackState.Planned) return finished(row.state, row.lastError);

  const found = await repositories.stores.findStoreWithSecrets(row.storeId);
  if (!found) return finished(WriteBackState.Skipped, 'the store no longer exists');
  const { store, secrets } = found;
  if (!(await repositories.writeBacks.isWriteBackEnabled(store.id))) {
    return finished(WriteBackState.Skipped, 'write-back was switched off for the store');
  }
  const connector = deps.platforms.get(store.platform);
  if (!connector?.createWriteBack) {
    return finished(WriteBackState.Failed, `${store.platform} stores take no write-back`);
  }
  const writeBack = connector.createWriteBack(store, secrets);
  if (!writeBack) {
    return finished(WriteBackState.Failed, `store ${store.slug} has no ${store.platform} credentials for write-back`);
  }
  // Posting older news after newer would leave the platform showing a stale status as the latest.
  if (await repositories.writeBacks.hasLaterPosted(store.id, row.news.shipmentExternalId, row.news.happenedAt)) {
    return finished(WriteBackState.Skipped, 'a later event of this fulfilment was already posted');
  }

  const result = await writeBack.postShipmentNews(row.news);
  if (result.posted) {
    return finished(WriteBackState.Posted, null, {
      platform_event_id: result.eventId,
      platform_status: result.platformStatus,
      posted_at: deps.clock.now(),
    });
  }
  return finished(
    result.code === 'not_mapped' ? WriteBackState.Skipped : WriteBackState.Failed,
    `${result.code}: ${result.reason}`,
  );
}
