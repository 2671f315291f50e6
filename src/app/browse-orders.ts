import { normaliseCarrierName } from '../core/detection/index.js';
import type { Order } from '../core/order/order.js';
import type { NotificationRecord, OrderListFilter, StatusChange, Stores } from '../core/ports/storage.port.js';
import type { Shipment } from '../core/shipment/shipment.js';
import { getOrder, type OrderView } from './get-order.js';

export type OrderWithParcels = Order & { shipments: Shipment[] };

/** The carrier code for whatever name the merchant typed ("UPS", "United Parcel Service"). */
export function carrierCodeOf(name: string): string {
  return normaliseCarrierName(name) ?? name.trim().toLowerCase();
}

/**
 * A page of the store's orders with their parcels, for a list: no tracking
 * events (a list shows each parcel's status, not its history), so a page costs
 * two queries plus the count.
 */
export async function listOrdersWithParcels(
  stores: Pick<Stores, 'orders' | 'shipments'>,
  storeId: string,
  filter: OrderListFilter,
): Promise<{ orders: OrderWithParcels[]; nextCursor: string | null; total: number }> {
  const page = await stores.orders.listOrders(storeId, {
    ...filter,
    ...(filter.carrier === undefined ? {} : { carrier: carrierCodeOf(filter.carrier) }),
  });
  const shipments = await stores.shipments.listShipmentsForOrders(page.orders.map((o) => o.id));
  return {
    ...page,
    orders: page.orders.map((order) => ({ ...order, shipments: shipments.filter((s) => s.orderId === order.id) })),
  };
}

export type OrderDetail = {
  order: OrderView;
  /** Journal lines of the order and of each of its parcels, oldest first. */
  journal: StatusChange[];
  notifications: NotificationRecord[];
};

/** Everything the merchant sees about one order; undefined for another store's order too. */
export async function getOrderDetail(
  stores: Stores,
  storeId: string,
  orderId: string,
): Promise<OrderDetail | undefined> {
  const order = await getOrder(stores, storeId, orderId);
  if (!order) return undefined;
  const [journal, notifications] = await Promise.all([
    stores.journal.listStatusChanges(storeId, [order.id, ...order.shipments.map((s) => s.id)]),
    stores.notifications.listNotificationsForOrder(storeId, order.id),
  ]);
  return { order, journal, notifications };
}
