import { z } from 'zod';

import { DomainError, ErrorCode } from '../core/errors.js';
import { FINANCIAL_STATUSES, ORDER_STATUSES } from '../core/order/order-status.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { PlatformOrder } from '../core/ports/platform.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import { Platform } from '../core/store/store.js';
import { ingestPlatformOrder } from './ingest-platform-order.js';

/**
 * The columns of `waymark import`. One row per parcel: an order with two
 * parcels is two rows with the same `external_id`; an order not shipped yet
 * is one row with an empty `tracking_number`.
 */
export const CSV_COLUMNS = [
  'external_id',
  'number',
  'order_status',
  'financial_status',
  'email',
  'name',
  'phone',
  'city',
  'region',
  'postal_code',
  'country',
  'placed_at',
  'updated_at',
  'tracking_number',
  'carrier',
] as const;
export const REQUIRED_CSV_COLUMNS = ['external_id', 'number'] as const;

const blankToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);
const text = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max).nullable().optional());
const instant = z.preprocess(
  blankToNull,
  z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)), 'not a date-time (use ISO-8601, e.g. 2026-11-26T10:00:00Z)')
    .transform((value) => new Date(value).toISOString())
    .nullable()
    .optional(),
);

const CsvRowSchema = z.object({
  external_id: z.string().trim().min(1, 'external_id is empty').max(128),
  number: z.string().trim().min(1, 'number is empty').max(64),
  order_status: z.preprocess(blankToNull, z.enum(ORDER_STATUSES).nullable().optional()),
  financial_status: z.preprocess(blankToNull, z.enum(FINANCIAL_STATUSES).nullable().optional()),
  email: z.preprocess(blankToNull, z.email().nullable().optional()),
  name: text(200),
  phone: text(32),
  city: text(100),
  region: text(100),
  postal_code: text(20),
  country: z.preprocess(
    blankToNull,
    z.string().trim().length(2, 'country must be a 2-letter ISO code').nullable().optional(),
  ),
  placed_at: instant,
  updated_at: instant,
  tracking_number: z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9 -]{4,64}$/, 'tracking_number must be 4-64 letters, digits, spaces or dashes')
      .nullable()
      .optional(),
  ),
  carrier: text(64),
});

export type CsvRowError = { line: number; message: string };

/** Rows → orders, or every row error with its line number. Pure. */
export function parseOrderRows(
  rows: { line: number; record: Record<string, string> }[],
  now: string,
): { orders: PlatformOrder[]; errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const byId = new Map<string, PlatformOrder>();
  for (const { line, record } of rows) {
    const parsed = CsvRowSchema.safeParse(record);
    if (!parsed.success) {
      // Every problem of the row, so one pass over the file finds them all.
      for (const issue of parsed.error.issues) {
        errors.push({ line, message: `${issue.path.join('.') || 'row'}: ${issue.message}` });
      }
      continue;
    }
    const row = parsed.data;
    let order = byId.get(row.external_id);
    if (!order) {
      order = {
        externalId: row.external_id,
        number: row.number,
        orderStatus: row.order_status ?? (row.tracking_number ? 'fulfilled' : 'processing'),
        financialStatus: row.financial_status ?? null,
        platformStatus: {
          orderStatus: row.order_status ?? null,
          financialStatus: row.financial_status ?? null,
          importedFrom: 'csv',
        },
        cancelReason: null,
        customer: { email: row.email ?? null, name: row.name ?? null, phone: row.phone ?? null, language: null },
        shippingAddress: {
          city: row.city ?? null,
          region: row.region ?? null,
          postalCode: row.postal_code ?? null,
          country: row.country?.toUpperCase() ?? null,
        },
        lineItems: [],
        promisedDeliveryDate: null,
        placedAt: row.placed_at ?? now,
        platformUpdatedAt: row.updated_at ?? now,
        shipments: [],
      };
      byId.set(row.external_id, order);
    } else if (order.number !== row.number) {
      errors.push({
        line,
        message: `external_id ${row.external_id} has number ${order.number} on an earlier row, ${row.number} here`,
      });
      continue;
    }
    if (row.tracking_number) {
      order.shipments.push({
        externalId: null,
        trackingNumber: row.tracking_number,
        carrierName: row.carrier ?? null,
        trackingUrl: null,
        service: null,
        items: [],
        shippedAt: row.updated_at ?? now,
        platformShipmentStatus: null,
        cancelled: false,
      });
    }
  }
  return { orders: [...byId.values()], errors };
}

/**
 * Imports orders into an `api` store, all or nothing: one transaction, so a
 * failure half-way leaves the store as it was.
 */
export async function importOrders(
  deps: { uow: UnitOfWork; clock: Clock },
  storeId: string,
  orders: PlatformOrder[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ created: number; updated: number; shipmentsAdded: number }> {
  const store = await deps.uow.repositories.stores.findStoreById(storeId);
  if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
  if (store.platform !== Platform.Api)
    throw new DomainError(
      ErrorCode.Forbidden,
      `only stores of platform "api" import orders from CSV (this one is ${store.platform})`,
    );
  return deps.uow.transaction(async (stores) => {
    const totals = { created: 0, updated: 0, shipmentsAdded: 0 };
    for (const [index, order] of orders.entries()) {
      const outcome = await ingestPlatformOrder(stores, deps, storeId, order, { cause: 'api', causeRef: 'csv-import' });
      if (outcome.created) totals.created += 1;
      else totals.updated += 1;
      totals.shipmentsAdded += outcome.newShipmentIds.length;
      onProgress?.(index + 1, orders.length);
    }
    return totals;
  });
}
