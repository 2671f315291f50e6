import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { Store } from '../core/store/store.js';
import { normaliseOrderNumber } from '../core/order/order.js';
import { fixedWindow, type AttemptWindows } from './attempt-windows.js';
import { getOrder, type OrderView } from './get-order.js';

export type TrackingDeps = { uow: UnitOfWork; clock: Clock; attempts: AttemptWindows };

/**
 * Failed look-ups allowed per window. Per client it stops one address from
 * trying many orders; per order it stops many addresses from trying one order
 * (a botnet guessing a customer's postal code). The per-order limit also means
 * a stranger can make one order's form answer 429 for a while; the signed
 * links in the customer's messages keep working, which is the trade we accept.
 */
export const LOOKUP_LIMITS = { perClient: 10, perOrder: 5, windowSeconds: 900 } as const;

export type LookupRequest = {
  storeSlug: string;
  orderNumber: string;
  /** What the customer typed in "Email or postal code". */
  proof: string;
  /** The client's address, as the server sees it (behind a trusted proxy: the forwarded one). */
  client: string;
};

export type TrackedOrder = { store: Store; order: OrderView };

export type LookupOutcome =
  | ({ kind: 'found' } & TrackedOrder)
  /** Wrong number, wrong proof or no such order: one answer for all three. */
  | { kind: 'not_found'; store: Store }
  | { kind: 'rate_limited'; store: Store; retryAfterSeconds: number }
  | { kind: 'unknown_store' };

const MAX_FIELD_LENGTH = 200;

/** Email when it looks like one, otherwise a postal code; never both, so one field cannot match two ways. */
export function parseProof(proof: string): { email: string } | { postalCode: string } | null {
  const trimmed = proof.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_FIELD_LENGTH) return null;
  return trimmed.includes('@') ? { email: trimmed } : { postalCode: trimmed };
}

export async function findStoreForTracking(deps: Pick<TrackingDeps, 'uow'>, slug: string): Promise<Store | undefined> {
  if (slug.length === 0 || slug.length > MAX_FIELD_LENGTH) return undefined;
  const store = await deps.uow.repositories.stores.findStoreBySlug(slug);
  return store?.isEnabled ? store : undefined;
}

/**
 * The customer's look-up by order number and email or postal code. Limits are
 * checked before the order is read, so once a client or an order is over its
 * limit even a correct guess gets 429 and the form stops being an oracle.
 */
export async function lookUpOrder(deps: TrackingDeps, request: LookupRequest): Promise<LookupOutcome> {
  const store = await findStoreForTracking(deps, request.storeSlug);
  if (!store) return { kind: 'unknown_store' };

  const numberKey = normaliseOrderNumber(request.orderNumber).slice(0, MAX_FIELD_LENGTH);
  const window = fixedWindow(deps.clock.now(), LOOKUP_LIMITS.windowSeconds * 1000);
  const clientKey = `lookup:client:${request.client}`;
  const orderKey = `lookup:order:${store.id}:${numberKey}`;
  const [clientFailures, orderFailures] = await Promise.all([
    deps.attempts.count(clientKey, window.start),
    deps.attempts.count(orderKey, window.start),
  ]);
  if (clientFailures >= LOOKUP_LIMITS.perClient || orderFailures >= LOOKUP_LIMITS.perOrder) {
    return { kind: 'rate_limited', store, retryAfterSeconds: window.retryAfterSeconds };
  }

  const proof = parseProof(request.proof);
  const order =
    proof && numberKey.length > 0
      ? await deps.uow.repositories.orders.findOrderForCustomer(store.id, numberKey, proof)
      : undefined;
  if (order) {
    const view = await getOrder(deps.uow.repositories, store.id, order.id);
    if (view) return { kind: 'found', store, order: view };
  }

  await Promise.all([deps.attempts.take(clientKey, window.start), deps.attempts.take(orderKey, window.start)]);
  return { kind: 'not_found', store };
}

/** The order a signed link names; undefined when the store is gone or disabled, or the order deleted. */
export async function openTrackedOrder(
  deps: Pick<TrackingDeps, 'uow'>,
  claims: { storeId: string; orderId: string },
): Promise<TrackedOrder | undefined> {
  const store = await deps.uow.repositories.stores.findStoreById(claims.storeId);
  if (!store?.isEnabled) return undefined;
  const order = await getOrder(deps.uow.repositories, store.id, claims.orderId);
  return order ? { store, order } : undefined;
}
