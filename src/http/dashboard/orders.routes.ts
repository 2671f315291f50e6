import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { getOrderDetail, listOrdersWithParcels, type OrderWithParcels } from '../../app/browse-orders.js';
import { correctShipmentCarrier } from '../../app/correct-shipment-carrier.js';
import { markShipmentDelivered } from '../../app/mark-shipment-delivered.js';
import { requestShipmentRefresh } from '../../app/request-shipment-refresh.js';
import { resendNotification } from '../../app/resend-notification.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { isOrderStatus } from '../../core/order/order-status.js';
import { isShippingSummary } from '../../core/order/shipping-summary.js';
import type { OrderListFilter } from '../../core/ports/storage.port.js';
import { isShippingStatus } from '../../core/shipment/shipping-status.js';
import type { Store } from '../../core/store/store.js';
import { zonedTimeToInstant } from '../../core/tracking/carrier-time.js';
import { queryString } from '../../web/dashboard/format.js';
import { filterOptions, orderDetailParts, orderRow } from '../../web/dashboard/orders.view.js';
import { sendCsv, toCsv } from './csv.js';
import {
  chromeOf,
  currentStoreOf,
  noticeOf,
  redirectAfterPost,
  renderPage,
  signedInOf,
  type DashboardDeps,
} from './dashboard-context.js';
import { idParamOf, parseForm, textField } from './forms.js';

const PAGE_SIZE = 50;
/** A CSV export reads pages of this size, up to the cap, so one request stays bounded. */
const CSV_PAGE_SIZE = 500;
const CSV_MAX_ROWS = 10_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const ListQuery = z.object({
  q: textField(200),
  orderStatus: textField(40),
  shippingStatus: textField(40),
  shippingSummary: textField(40),
  carrier: textField(60),
  from: textField(10),
  to: textField(10),
  cursor: textField(400),
  format: textField(10),
});
type ListQuery = z.infer<typeof ListQuery>;

const CarrierBody = z.object({ carrier: textField(60) });

export async function storeOf(deps: DashboardDeps, request: FastifyRequest): Promise<Store> {
  const store = await deps.uow.repositories.stores.findStoreById(currentStoreOf(request).id);
  if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
  return store;
}

/** Who did it, for the journal and the outbox: the signed-in user's email. */
export function actorOf(request: FastifyRequest): string {
  return `user:${signedInOf(request).user.email}`;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The query as a repository filter; calendar days are read in the store's time zone. */
function toFilter(
  query: ListQuery,
  timeZone: string,
): { filter: Omit<OrderListFilter, 'limit'>; error: string | null } {
  const filter: Omit<OrderListFilter, 'limit'> = {};
  let error: string | null = null;
  if (query.q.trim()) filter.q = query.q.trim();
  if (isOrderStatus(query.orderStatus)) filter.orderStatus = query.orderStatus;
  if (isShippingStatus(query.shippingStatus)) filter.shippingStatus = query.shippingStatus;
  if (isShippingSummary(query.shippingSummary)) filter.shippingSummary = query.shippingSummary;
  if (query.carrier.trim()) filter.carrier = query.carrier.trim();
  if (query.from) {
    const from = DAY.test(query.from) ? zonedTimeToInstant(`${query.from}T00:00:00`, timeZone) : null;
    if (from) filter.placedFrom = from;
    else error = 'The "placed from" date is not a date.';
  }
  if (query.to) {
    const before = DAY.test(query.to) ? zonedTimeToInstant(`${nextDay(query.to)}T00:00:00`, timeZone) : null;
    if (before) filter.placedBefore = before;
    else error = 'The "placed to" date is not a date.';
  }
  if (filter.placedFrom && filter.placedBefore && filter.placedFrom >= filter.placedBefore)
    error = 'The "placed from" date is after the "placed to" date.';
  return { filter, error };
}

function withCursor(filter: Omit<OrderListFilter, 'limit'>, cursor: string): Omit<OrderListFilter, 'limit'> {
  return cursor ? { ...filter, cursor } : filter;
}

/** The repository's cursor error is the client's mistake (a mangled link), not ours. */
async function listPage(
  deps: DashboardDeps,
  storeId: string,
  filter: OrderListFilter,
): Promise<{ orders: OrderWithParcels[]; nextCursor: string | null; total: number }> {
  try {
    return await listOrdersWithParcels(deps.uow.repositories, storeId, filter);
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidCursorError')
      throw new DomainError(ErrorCode.InvalidInput, 'That page link is not valid any more. Start from the first page.');
    throw error;
  }
}

const CSV_COLUMNS = [
  'order_number',
  'placed_at',
  'customer_name',
  'customer_email',
  'order_status',
  'financial_status',
  'shipping_summary',
  'carrier',
  'tracking_number',
  'shipping_status',
  'substatus',
  'tracker_state',
  'delivered_at',
];

function csvRows(order: OrderWithParcels): (string | null)[][] {
  const head = [
    order.number,
    order.placedAt,
    order.customer.name,
    order.customer.email,
    order.orderStatus,
    order.financialStatus,
    order.shippingSummary,
  ];
  if (order.shipments.length === 0) return [[...head, null, null, null, null, null, null]];
  return order.shipments.map((s) => [
    ...head,
    s.carrier,
    s.trackingNumber,
    s.status,
    s.substatus,
    s.trackerState,
    s.deliveredAt,
  ]);
}

export function registerOrderRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/orders', async (request, reply) => {
    const query = parseForm(ListQuery, request.query);
    const store = await storeOf(deps, request);
    const { filter, error } = toFilter(query, store.timeZone);

    if (query.format === 'csv') {
      if (error) throw new DomainError(ErrorCode.InvalidInput, error);
      const rows: (string | null)[][] = [];
      let cursor = '';
      for (let read = 0; read < CSV_MAX_ROWS; read += CSV_PAGE_SIZE) {
        const page = await listPage(deps, store.id, { ...withCursor(filter, cursor), limit: CSV_PAGE_SIZE });
        for (const order of page.orders) rows.push(...csvRows(order));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return sendCsv(reply, `orders-${store.slug}.csv`, toCsv(CSV_COLUMNS, rows));
    }

    const page = error
      ? { orders: [], nextCursor: null, total: 0 }
      : await listPage(deps, store.id, { ...withCursor(filter, query.cursor), limit: PAGE_SIZE });
    const kept = {
      q: query.q,
      orderStatus: query.orderStatus,
      shippingStatus: query.shippingStatus,
      shippingSummary: query.shippingSummary,
      carrier: query.carrier,
      from: query.from,
      to: query.to,
    };
    const filtered = Object.values(kept).some((value) => value.length > 0);
    return renderPage(reply, 'orders', {
      title: 'Orders',
      chrome: chromeOf(request, 'orders'),
      flash: noticeOf(request),
      filters: { q: query.q, carrier: query.carrier, from: query.from, to: query.to },
      options: filterOptions(kept),
      filtered,
      error,
      total: page.total,
      rows: page.orders.map((order) => orderRow(order, store.timeZone)),
      firstHref: query.cursor ? `/dashboard/orders${queryString(kept)}` : null,
      nextHref: page.nextCursor ? `/dashboard/orders${queryString({ ...kept, cursor: page.nextCursor })}` : null,
      csvHref: `/dashboard/orders${queryString({ ...kept, format: 'csv' })}`,
    });
  });

  app.get('/orders/:id', async (request, reply) => {
    const id = idParamOf(request.params);
    const store = await storeOf(deps, request);
    const detail = await getOrderDetail(deps.uow.repositories, store.id, id);
    if (!detail) throw new DomainError(ErrorCode.NotFound, 'order not found');
    return renderPage(reply, 'order', {
      title: `Order ${detail.order.number}`,
      chrome: chromeOf(request, 'orders'),
      flash: noticeOf(request),
      csrfToken: signedInOf(request).session.csrfToken,
      ...orderDetailParts(detail, { timeZone: store.timeZone, platform: store.platform }),
    });
  });

  /** Back to the order the parcel belongs to, at the parcel. */
  async function parcelLocation(storeId: string, shipmentId: string, done: string): Promise<string> {
    const shipment = await deps.uow.repositories.shipments.findShipmentById(storeId, shipmentId);
    if (!shipment) throw new DomainError(ErrorCode.NotFound, 'shipment not found');
    return `/dashboard/orders/${shipment.orderId}?done=${done}#parcel-${shipment.id}`;
  }

  app.post('/shipments/:id/refresh', async (request, reply) => {
    const id = idParamOf(request.params);
    const storeId = currentStoreOf(request).id;
    await requestShipmentRefresh({ uow: deps.uow, clock: deps.clock }, storeId, id);
    return redirectAfterPost(reply, await parcelLocation(storeId, id, 'refreshed'));
  });

  app.post('/shipments/:id/carrier', async (request, reply) => {
    const id = idParamOf(request.params);
    const { carrier } = parseForm(CarrierBody, request.body);
    const storeId = currentStoreOf(request).id;
    await correctShipmentCarrier(
      { uow: deps.uow, clock: deps.clock },
      { storeId, shipmentId: id, carrier, actor: actorOf(request) },
    );
    return redirectAfterPost(reply, await parcelLocation(storeId, id, 'carrier-corrected'));
  });

  app.post('/shipments/:id/delivered', async (request, reply) => {
    const id = idParamOf(request.params);
    const storeId = currentStoreOf(request).id;
    await markShipmentDelivered(
      { uow: deps.uow, clock: deps.clock },
      { storeId, shipmentId: id, actor: actorOf(request) },
    );
    return redirectAfterPost(reply, await parcelLocation(storeId, id, 'delivered'));
  });

  app.post('/notifications/:id/resend', async (request, reply) => {
    const id = idParamOf(request.params);
    const storeId = currentStoreOf(request).id;
    const original = await deps.uow.repositories.notifications.findNotification(id);
    await resendNotification(
      { uow: deps.uow, clock: deps.clock },
      { storeId, notificationId: id, actor: actorOf(request) },
    );
    return redirectAfterPost(reply, `/dashboard/orders/${original?.orderId ?? ''}?done=resent#notifications-title`);
  });
}
