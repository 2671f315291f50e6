import type { Kysely } from 'kysely';

import { normaliseOrderNumber, type Order } from '../../core/order/order.js';
import type { ShippingSummary } from '../../core/order/shipping-summary.js';
import type { OrderFields, OrderListFilter, OrderPage, OrderStore } from '../../core/ports/storage.port.js';
import type { Database, NewSalesOrderRow, SalesOrderUpdate } from '../database.js';
import { isUuid, newId } from '../ids.js';
import { normaliseTrackingNumber } from './shipment.repository.js';
import { orderRowToOrder } from '../row-mappers.js';

export function emailKey(email: string | null): string | null {
  return email ? email.trim().toLowerCase() : null;
}

export function postalCodeKey(postalCode: string | null): string | null {
  return postalCode ? postalCode.replace(/\s+/g, '').toUpperCase() : null;
}

function orderFieldsToRow(
  fields: OrderFields,
): Omit<NewSalesOrderRow, 'id' | 'store_id' | 'created_at' | 'updated_at'> {
  return {
    external_id: fields.externalId,
    number: fields.number,
    number_key: normaliseOrderNumber(fields.number),
    order_status: fields.orderStatus,
    financial_status: fields.financialStatus,
    platform_status: JSON.stringify(fields.platformStatus),
    cancel_reason: fields.cancelReason,
    customer_email: fields.customer.email,
    customer_email_key: emailKey(fields.customer.email),
    customer_name: fields.customer.name,
    customer_phone: fields.customer.phone,
    customer_language: fields.customer.language,
    ship_city: fields.shippingAddress.city,
    ship_region: fields.shippingAddress.region,
    ship_postal_code: fields.shippingAddress.postalCode,
    ship_postal_code_key: postalCodeKey(fields.shippingAddress.postalCode),
    ship_country: fields.shippingAddress.country,
    line_items: JSON.stringify(fields.lineItems),
    promised_delivery_date: fields.promisedDeliveryDate,
    placed_at: fields.placedAt,
    platform_updated_at: fields.platformUpdatedAt,
    shipping_summary: fields.shippingSummary,
  };
}

/** Cursor = the last row's sort key, opaque to clients. */
function encodeCursor(order: Order): string {
  return Buffer.from(JSON.stringify([order.placedAt, order.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value[0]) &&
      !Number.isNaN(Date.parse(value[0])) &&
      isUuid(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through: an unreadable cursor is reported by the caller
  }
  return undefined;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export class OrderRepository implements OrderStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertOrder(storeId: string, fields: OrderFields, now: string): Promise<Order> {
    const row = await this.db
      .insertInto('sales_order')
      .values({ id: newId(), store_id: storeId, ...orderFieldsToRow(fields), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return orderRowToOrder(row);
  }

  async updateOrder(storeId: string, id: string, fields: OrderFields, now: string): Promise<Order> {
    const row = await this.db
      .updateTable('sales_order')
      .set({ ...orderFieldsToRow(fields), updated_at: now })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return orderRowToOrder(row);
  }

  async setShippingSummary(storeId: string, id: string, summary: ShippingSummary, now: string): Promise<void> {
    const changes: SalesOrderUpdate = { shipping_summary: summary, updated_at: now };
    await this.db
      .updateTable('sales_order')
      .set(changes)
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .execute();
  }

  async findOrderById(storeId: string, id: string): Promise<Order | undefined> {
    const row = await this.db
      .selectFrom('sales_order')
      .selectAll()
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return row ? orderRowToOrder(row) : undefined;
  }

  async findOrderByExternalId(storeId: string, externalId: string): Promise<Order | undefined> {
    const row = await this.db
      .selectFrom('sales_order')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return row ? orderRowToOrder(row) : undefined;
  }

  /** Newest first; the cursor continues after the last order of the previous page. */
  async listOrders(storeId: string, filter: OrderListFilter): Promise<OrderPage> {
    let base = this.db.selectFrom('sales_order').where('sales_order.store_id', '=', storeId);
    if (filter.number !== undefined) base = base.where('number_key', '=', normaliseOrderNumber(filter.number));
    if (filter.orderStatus !== undefined) base = base.where('order_status', '=', filter.orderStatus);
    if (filter.shippingSummary !== undefined) base = base.where('shipping_summary', '=', filter.shippingSummary);
    if (filter.carrier !== undefined) {
      const carrier = filter.carrier;
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('shipment')
            .select('shipment.id')
            .whereRef('shipment.order_id', '=', 'sales_order.id')
            .where('shipment.carrier', '=', carrier),
        ),
      );
    }
    if (filter.shippingStatus !== undefined) {
      const status = filter.shippingStatus;
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('shipment')
            .select('shipment.id')
            .whereRef('shipment.order_id', '=', 'sales_order.id')
            .where('shipment.status', '=', status),
        ),
      );
    }
    if (filter.placedFrom !== undefined) base = base.where('placed_at', '>=', filter.placedFrom);
    if (filter.placedBefore !== undefined) base = base.where('placed_at', '<', filter.placedBefore);
    if (filter.q !== undefined && filter.q.trim().length > 0) {
      const q = filter.q.trim();
      const numberKey = normaliseOrderNumber(q);
      const email = q.toLowerCase();
      const tracking = normaliseTrackingNumber(q);
      base = base.where((eb) =>
        eb.or([
          eb('number_key', '=', numberKey),
          eb('customer_email_key', '=', email),
          eb.exists(
            eb
              .selectFrom('shipment')
              .select('shipment.id')
              .whereRef('shipment.order_id', '=', 'sales_order.id')
              .where('shipment.tracking_number', '=', tracking),
          ),
        ]),
      );
    }

    const totalRow = await base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow();

    let page = base.selectAll('sales_order');
    if (filter.cursor !== undefined) {
      const after = decodeCursor(filter.cursor);
      if (!after) throw new InvalidCursorError('cursor is not one this API gave out');
      const [placedAt, id] = after;
      page = page.where((eb) =>
        eb.or([
          eb('placed_at', '<', placedAt),
          eb.and([eb('placed_at', '=', placedAt), eb('sales_order.id', '<', id)]),
        ]),
      );
    }
    const rows = await page
      .orderBy('placed_at', 'desc')
      .orderBy('sales_order.id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const orders = rows.slice(0, filter.limit).map(orderRowToOrder);
    const last = orders.at(-1);
    return {
      orders,
      total: Number(totalRow.total),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null,
    };
  }

  /** The customer look-up: number plus email or postal code, compared case- and space-insensitively. */
  async findOrderForCustomer(
    storeId: string,
    number: string,
    proof: { email?: string; postalCode?: string },
  ): Promise<Order | undefined> {
    if (!proof.email && !proof.postalCode) return undefined;
    let query = this.db
      .selectFrom('sales_order')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('number_key', '=', normaliseOrderNumber(number));
    if (proof.email) query = query.where('customer_email_key', '=', emailKey(proof.email));
    else {
      const key = postalCodeKey(proof.postalCode ?? null) ?? '';
      // A US customer types the five-digit ZIP the platform may hold as ZIP+4.
      query = /^\d{5}$/.test(key)
        ? query.where((eb) =>
            eb.or([eb('ship_postal_code_key', '=', key), eb('ship_postal_code_key', 'like', `${key}-____`)]),
          )
        : query.where('ship_postal_code_key', '=', key);
    }
    const row = await query.executeTakeFirst();
    return row ? orderRowToOrder(row) : undefined;
  }
}
