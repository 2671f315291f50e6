import { DomainError, ErrorCode } from '../core/errors.js';
import type { LineItem } from '../core/order/order.js';
import type { FinancialStatus, OrderStatus } from '../core/order/order-status.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { PlatformOrder } from '../core/ports/platform.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import { Platform } from '../core/store/store.js';
import { getOrder, type OrderView } from './get-order.js';
import { ingestPlatformOrder } from './ingest-platform-order.js';

export type ApiShipmentInput = {
  trackingNumber: string;
  carrier?: string | null;
  externalId?: string | null;
  service?: string | null;
  shippedAt?: string | null;
};

/** An order as an `api` store's own system describes it. */
export type ApiOrderInput = {
  externalId: string;
  number: string;
  orderStatus: OrderStatus;
  financialStatus?: FinancialStatus | null;
  cancelReason?: string | null;
  customer?: { email?: string | null; name?: string | null; phone?: string | null; language?: string | null };
  shippingAddress?: {
    city?: string | null;
    region?: string | null;
    postalCode?: string | null;
    country?: string | null;
  };
  lineItems?: LineItem[];
  promisedDeliveryDate?: string | null;
  placedAt?: string;
  /** The client's own last-modified time; an older update never overwrites a newer one. */
  updatedAt?: string;
  shipments?: ApiShipmentInput[];
};

export type UpsertOutcome = { order: OrderView; created: boolean; stale: boolean };

/**
 * Create or update an order by its external id, for stores whose platform is
 * `api`. Shipments are added, never removed; one that is already there (same
 * tracking number) is left as it is.
 */
export async function upsertApiOrder(
  deps: { uow: UnitOfWork; clock: Clock },
  storeId: string,
  input: ApiOrderInput,
): Promise<UpsertOutcome> {
  const now = deps.clock.now();
  return deps.uow.transaction(async (stores) => {
    const store = await stores.stores.findStoreById(storeId);
    if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
    if (store.platform !== Platform.Api) {
      throw new DomainError(
        ErrorCode.Forbidden,
        `orders of a ${store.platform} store come from the platform; only stores of platform "api" accept them here`,
      );
    }
    const existing = await stores.orders.findOrderByExternalId(storeId, input.externalId);
    const order: PlatformOrder = {
      externalId: input.externalId,
      number: input.number,
      orderStatus: input.orderStatus,
      financialStatus: input.financialStatus ?? null,
      platformStatus: { orderStatus: input.orderStatus, financialStatus: input.financialStatus ?? null },
      cancelReason: input.cancelReason ?? null,
      customer: {
        email: input.customer?.email ?? null,
        name: input.customer?.name ?? null,
        phone: input.customer?.phone ?? null,
        language: input.customer?.language ?? null,
      },
      shippingAddress: {
        city: input.shippingAddress?.city ?? null,
        region: input.shippingAddress?.region ?? null,
        postalCode: input.shippingAddress?.postalCode ?? null,
        country: input.shippingAddress?.country ?? null,
      },
      lineItems: input.lineItems ?? [],
      promisedDeliveryDate: input.promisedDeliveryDate ?? null,
      placedAt: input.placedAt ?? existing?.placedAt ?? now,
      platformUpdatedAt: input.updatedAt ?? now,
      shipments: (input.shipments ?? []).map((shipment) => ({
        externalId: shipment.externalId ?? null,
        trackingNumber: shipment.trackingNumber,
        carrierName: shipment.carrier ?? null,
        trackingUrl: null,
        service: shipment.service ?? null,
        items: [],
        shippedAt: shipment.shippedAt ?? now,
        platformShipmentStatus: null,
        cancelled: false,
      })),
    };
    const outcome = await ingestPlatformOrder(stores, deps, storeId, order, { cause: 'api' });
    const view = await getOrder(stores, storeId, outcome.orderId);
    if (!view) throw new DomainError(ErrorCode.Internal, 'order vanished inside its own transaction');
    return { order: view, created: outcome.created, stale: outcome.stale };
  });
}
