import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';

/** Records a customer's opt-out from a channel of one store; the delivery worker checks it before every send. */
export async function unsubscribe(
  deps: { uow: UnitOfWork; clock: Clock },
  claims: { storeId: string; channel: string; recipient: string },
): Promise<{ storeName: string } | null> {
  const store = await deps.uow.repositories.stores.findStoreById(claims.storeId);
  if (!store) return null;
  await deps.uow.repositories.notifications.optOut(claims.storeId, claims.channel, claims.recipient, deps.clock.now());
  return { storeName: store.branding.displayName ?? store.name };
}
