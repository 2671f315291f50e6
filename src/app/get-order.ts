import { normaliseCarrierName } from '../core/detection/index.js';
import type { Order } from '../core/order/order.js';
import type { OrderListFilter, Stores } from '../core/ports/storage.port.js';
import type { Shipment, TrackingEvent } from '../core/shipment/shipment.js';

export type ShipmentWithEvents = Shipment & { events: TrackingEvent[] };
export type OrderView = Order & { shipments: ShipmentWithEvents[] };

// Map.groupBy arrives in Node 21; Waymark supports Node 20.
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Attaches shipments and their events to orders, with two queries however many orders. */
export async function attachShipments(
  stores: Pick<Stores, 'shipments' | 'events'>,
  orders: Order[],
): Promise<OrderView[]> {
  const shipments = await stores.shipments.listShipmentsForOrders(orders.map((o) => o.id));
  const events = await stores.events.listEventsForShipments(shipments.map((s) => s.id));
  const eventsByShipment = groupBy(events, (e) => e.shipmentId);
  const shipmentsByOrder = groupBy(
    shipments.map((s) => ({ ...s, events: eventsByShipment.get(s.id) ?? [] })),
    (s) => s.orderId,
  );
  return orders.map((order) => ({ ...order, shipments: shipmentsByOrder.get(order.id) ?? [] }));
}

/** One order of the store, or undefined — also for another store's order, so its existence never leaks. */
export async function getOrder(stores: Stores, storeId: string, orderId: string): Promise<OrderView | undefined> {
  const order = await stores.orders.findOrderById(storeId, orderId);
  if (!order) return undefined;
  const [view] = await attachShipments(stores, [order]);
  return view;
}

export async function listOrders(
  stores: Stores,
  storeId: string,
  filter: OrderListFilter,
): Promise<{ orders: OrderView[]; nextCursor: string | null; total: number }> {
  // Filter by the carrier code whatever name the client used ("UPS", "United Parcel Service").
  const carrier =
    filter.carrier === undefined
      ? undefined
      : (normaliseCarrierName(filter.carrier) ?? filter.carrier.trim().toLowerCase());
  const page = await stores.orders.listOrders(storeId, { ...filter, ...(carrier === undefined ? {} : { carrier }) });
  return { ...page, orders: await attachShipments(stores, page.orders) };
}
