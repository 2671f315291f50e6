import { resolveCarrier } from '../core/detection/index.js';
import { DomainError, ErrorCode } from '../core/errors.js';
import type { LineItem } from '../core/order/order.js';
import type { FinancialStatus, OrderStatus } from '../core/order/order-status.js';
import { rollUpShippingSummary } from '../core/order/roll-up-shipping-summary.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { NewStatusChange, OrderFields, UnitOfWork } from '../core/ports/storage.port.js';
import { Platform } from '../core/store/store.js';
import { getOrder, type OrderView } from './get-order.js';

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
    const stale = Boolean(
      existing?.platformUpdatedAt && input.updatedAt && input.updatedAt < existing.platformUpdatedAt,
    );
    const fields: OrderFields = {
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
        country: input.shippingAddress?.country?.toUpperCase() ?? null,
      },
      lineItems: input.lineItems ?? [],
      promisedDeliveryDate: input.promisedDeliveryDate ?? null,
      placedAt: input.placedAt ?? existing?.placedAt ?? now,
      platformUpdatedAt: input.updatedAt ?? now,
      shippingSummary: existing?.shippingSummary ?? 'not_shipped',
    };

    let order = existing;
    if (!order) order = await stores.orders.insertOrder(storeId, fields, now);
    else if (!stale) order = await stores.orders.updateOrder(storeId, order.id, fields, now);

    for (const shipment of input.shipments ?? []) {
      const resolved = resolveCarrier({
        trackingNumber: shipment.trackingNumber,
        carrierName: shipment.carrier ?? undefined,
      });
      await stores.shipments.insertShipment(
        storeId,
        {
          orderId: order.id,
          externalId: shipment.externalId ?? null,
          carrier: resolved.carrier,
          carrierConfidence: resolved.confidence,
          trackingNumber: shipment.trackingNumber,
          service: shipment.service ?? null,
          trackerState: resolved.carrier ? 'active' : 'error_unsupported_carrier',
          shippedAt: shipment.shippedAt ?? now,
          nextCheckAt: resolved.carrier ? now : null,
        },
        now,
      );
    }

    const shipments = await stores.shipments.listShipmentsForOrders([order.id]);
    const summary = rollUpShippingSummary(order.orderStatus, shipments);
    const changes: NewStatusChange[] = [];
    const journal = {
      storeId,
      entityType: 'order' as const,
      entityId: order.id,
      cause: 'api' as const,
      causeRef: null,
      at: now,
    };
    if (!existing || existing.orderStatus !== order.orderStatus) {
      changes.push({ ...journal, field: 'order_status', from: existing?.orderStatus ?? null, to: order.orderStatus });
    }
    if (summary !== order.shippingSummary || !existing) {
      if (summary !== order.shippingSummary) await stores.orders.setShippingSummary(storeId, order.id, summary, now);
      if (existing?.shippingSummary !== summary)
        changes.push({ ...journal, field: 'shipping_summary', from: existing?.shippingSummary ?? null, to: summary });
    }
    await stores.journal.recordStatusChanges(changes);

    const view = await getOrder(stores, storeId, order.id);
    if (!view) throw new DomainError(ErrorCode.Internal, 'order vanished inside its own transaction');
    return { order: view, created: !existing, stale };
  });
}
