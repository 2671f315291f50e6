import { sandboxTrackingNumber } from '../../../core/detection/index.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { ChangedOrdersPage, PlatformClient, PlatformOrder } from '../../../core/ports/platform.port.js';
import { SANDBOX_CUSTOMERS, SANDBOX_PRODUCTS } from './sandbox.catalog.js';

export type SandboxPlatformOptions = {
  /** The store's creation: order 0 is placed then. */
  epoch: string;
  /** Seed making this store's numbers its own. */
  seed: string;
  /** Seconds between two new orders. */
  orderEverySeconds: number;
  /** Seconds from placing an order to fulfilling it. */
  fulfilAfterSeconds: number;
  /** Orders already placed when the store is created, so the demo is never empty. */
  backlog: number;
  now?: () => number;
};

/** Overlap behind the cursor, so an order that changed while a page was being read is seen again. */
const OVERLAP_MS = 5_000;

function hashSeed(seed: string): number {
  let hash = 2166136261;
  for (const char of seed) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash % 100_000;
}

/** `settled`: the pull that wrote it reached the end, so the next one starts with the overlap. */
type Cursor = { after: string; settled: boolean };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof value.after === 'string' && !Number.isNaN(Date.parse(value.after)))
      return { after: value.after, settled: value.settled === true };
  } catch {
    // fall through
  }
  throw new DomainError(ErrorCode.InvalidInput, 'sandbox cursor unreadable');
}

/**
 * The sandbox selling platform: a store that takes an order every few
 * seconds, fulfils it a little later with sandbox carrier numbers (every
 * scenario in turn, some orders in two parcels), and cancels a few. Pure
 * function of the store and the clock, so pulls are repeatable and a crash
 * loses nothing.
 */
export function createSandboxPlatformClient(options: SandboxPlatformOptions): PlatformClient {
  const now = options.now ?? Date.now;
  const epoch = Date.parse(options.epoch);
  const stepMs = options.orderEverySeconds * 1000;
  const fulfilMs = options.fulfilAfterSeconds * 1000;
  const seed = hashSeed(options.seed);

  /** Order k (k ≥ -backlog) as it stands at `at`, or null before it is placed. */
  function orderAt(k: number, at: number): PlatformOrder | null {
    const placedAt = epoch + k * stepMs;
    if (placedAt > at) return null;
    const customer = SANDBOX_CUSTOMERS[(k + options.backlog + seed) % SANDBOX_CUSTOMERS.length]!;
    const product = SANDBOX_PRODUCTS[(k + options.backlog) % SANDBOX_PRODUCTS.length]!;
    const second = SANDBOX_PRODUCTS[(k + options.backlog + 3) % SANDBOX_PRODUCTS.length]!;
    const index = k + options.backlog;
    const cancels = index % 9 === 8;
    const twoParcels = index % 4 === 3;
    const fulfilledAt = placedAt + fulfilMs;
    const fulfilled = !cancels && fulfilledAt <= at;
    const cancelledAt = placedAt + fulfilMs / 2;
    const cancelled = cancels && cancelledAt <= at;
    const updatedAt = fulfilled ? fulfilledAt : cancelled ? cancelledAt : placedAt;
    const lineItems = [
      { externalId: `${index}-1`, sku: product.sku, name: product.name, quantity: 1 + (index % 2) },
      ...(twoParcels ? [{ externalId: `${index}-2`, sku: second.sku, name: second.name, quantity: 1 }] : []),
    ];
    const scenario = (index % 7) + 1;
    const shipments = fulfilled
      ? lineItems.map((item, parcel) => ({
          externalId: `F${index}`,
          trackingNumber: sandboxTrackingNumber(parcel === 0 ? scenario : 1, seed * 100_000 + index * 10 + parcel),
          carrierName: 'Sandbox Carrier',
          trackingUrl: null,
          service: 'Sandbox Ground',
          items: [{ externalId: item.externalId, quantity: item.quantity }],
          shippedAt: new Date(fulfilledAt).toISOString(),
          platformShipmentStatus: null,
          cancelled: false,
        }))
      : [];
    return {
      externalId: String(10_000 + index),
      number: `#${1001 + index}`,
      orderStatus: cancelled ? 'cancelled' : fulfilled ? 'fulfilled' : 'processing',
      financialStatus: cancelled ? 'refunded' : 'paid',
      platformStatus: { status: cancelled ? 'cancelled' : fulfilled ? 'fulfilled' : 'open', generator: 'sandbox' },
      cancelReason: cancelled ? 'customer' : null,
      customer: { email: customer.email, name: customer.name, phone: customer.phone, language: customer.language },
      shippingAddress: {
        city: customer.city,
        region: customer.region,
        postalCode: customer.postalCode,
        country: customer.country,
      },
      lineItems,
      promisedDeliveryDate: new Date(placedAt + 5 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      placedAt: new Date(placedAt).toISOString(),
      platformUpdatedAt: new Date(updatedAt).toISOString(),
      shipments,
    };
  }

  function allOrdersAt(at: number): PlatformOrder[] {
    const last = Math.floor((at - epoch) / stepMs);
    const orders: PlatformOrder[] = [];
    for (let k = -options.backlog; k <= last; k += 1) {
      const order = orderAt(k, at);
      if (order) orders.push(order);
    }
    return orders;
  }

  return {
    platform: 'sandbox',
    fetchOrder(externalId) {
      const index = Number(externalId) - 10_000;
      return Promise.resolve(Number.isInteger(index) ? orderAt(index - options.backlog, now()) : null);
    },
    listChangedOrders(cursor, { since, pageSize }): Promise<ChangedOrdersPage> {
      const at = now();
      const previous = cursor ? decodeCursor(cursor) : null;
      // Within one pull, pages continue exactly; a new pull reaches back a little.
      const after = previous ? Date.parse(previous.after) - (previous.settled ? OVERLAP_MS : 0) : Date.parse(since);
      const changed = allOrdersAt(at)
        .filter((order) => Date.parse(order.platformUpdatedAt) > after)
        .sort(
          (a, b) =>
            Date.parse(a.platformUpdatedAt) - Date.parse(b.platformUpdatedAt) ||
            a.externalId.localeCompare(b.externalId),
        );
      const page = changed.slice(0, pageSize);
      const last = page.at(-1);
      const hasMore = changed.length > pageSize;
      const nextAfter = last ? last.platformUpdatedAt : (previous?.after ?? new Date(after).toISOString());
      return Promise.resolve({
        orders: page,
        nextCursor: encodeCursor({ after: nextAfter, settled: !hasMore }),
        hasMore,
      });
    },
    testConnection: () => Promise.resolve(),
  };
}
