import { z } from 'zod';

import type { OrderView, ShipmentWithEvents } from '../../app/get-order.js';
import { FINANCIAL_STATUSES, ORDER_STATUSES } from '../../core/order/order-status.js';
import { SHIPPING_SUMMARIES } from '../../core/order/shipping-summary.js';
import { formatLocation } from '../../core/shipment/shipment.js';
import { SHIPPING_STATUSES, TRACKER_STATES } from '../../core/shipment/shipping-status.js';

const instant = z.string().describe('ISO-8601 instant, UTC');

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .describe('Every error answers with this envelope.');

export const TrackingEventSchema = z.object({
  occurredAt: instant,
  status: z.enum(SHIPPING_STATUSES),
  substatus: z.string(),
  description: z.string().nullable(),
  location: z.string().nullable(),
  rawCode: z.string().nullable(),
  source: z.string(),
});

export const ShipmentSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingNumber: z.string(),
  service: z.string().nullable(),
  status: z.enum(SHIPPING_STATUSES).describe('Shipping status: what the carrier says about this package.'),
  substatus: z.string(),
  reason: z.string().nullable(),
  estimatedDelivery: z.string().nullable(),
  deliveredAt: instant.nullable(),
  lastEventAt: instant.nullable(),
  trackerState: z.enum(TRACKER_STATES),
  events: z.array(TrackingEventSchema),
});

export const OrderSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  externalId: z.string(),
  number: z.string(),
  orderStatus: z.enum(ORDER_STATUSES).describe('Order status: what the selling platform says about the order.'),
  financialStatus: z.enum(FINANCIAL_STATUSES).nullable(),
  platformStatus: z.record(z.string(), z.unknown()).describe("The platform's own status fields, verbatim."),
  shippingSummary: z.enum(SHIPPING_SUMMARIES).describe("Derived from the order's shipments."),
  customer: z.object({ email: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable() }),
  shippingAddress: z.object({
    city: z.string().nullable(),
    region: z.string().nullable(),
    postalCode: z.string().nullable(),
    country: z.string().nullable(),
  }),
  placedAt: instant,
  updatedAt: instant,
  shipments: z.array(ShipmentSchema),
});

export type OrderJson = z.infer<typeof OrderSchema>;

export function shipmentToJson(shipment: ShipmentWithEvents): z.infer<typeof ShipmentSchema> {
  return {
    id: shipment.id,
    externalId: shipment.externalId,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    service: shipment.service,
    status: shipment.status,
    substatus: shipment.substatus,
    reason: shipment.reason,
    estimatedDelivery: shipment.predictedEdd ?? shipment.carrierEddLatest,
    deliveredAt: shipment.deliveredAt,
    lastEventAt: shipment.lastEventAt,
    trackerState: shipment.trackerState,
    events: shipment.events.map((event) => ({
      occurredAt: event.occurredAt,
      status: event.status,
      substatus: event.substatus,
      description: event.description,
      location: formatLocation(event.location),
      rawCode: event.rawCode,
      source: event.source,
    })),
  };
}

export function orderToJson(order: OrderView): OrderJson {
  return {
    id: order.id,
    storeId: order.storeId,
    externalId: order.externalId,
    number: order.number,
    orderStatus: order.orderStatus,
    financialStatus: order.financialStatus,
    platformStatus: order.platformStatus,
    shippingSummary: order.shippingSummary,
    customer: { email: order.customer.email, name: order.customer.name, phone: order.customer.phone },
    shippingAddress: order.shippingAddress,
    placedAt: order.placedAt,
    updatedAt: order.updatedAt,
    shipments: order.shipments.map(shipmentToJson),
  };
}

// Control characters have no business in names and numbers, and PostgreSQL refuses NUL outright.
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) return true;
  }
  return false;
}
const text = () =>
  z
    .string()
    .trim()
    .refine((value) => !hasControlCharacter(value), 'must not contain control characters');
const trimmed = (max: number) => text().pipe(z.string().min(1).max(max));
const optionalText = (max: number) => text().pipe(z.string().max(max)).nullable().optional();
/** Any zone accepted; stored and compared as UTC, so "newer" means newer whatever offset the client wrote. */
const isoInstant = z.iso
  .datetime({ offset: true })
  .refine((value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 1970 && year <= 9999;
  }, 'must be a date-time between 1970 and 9999')
  .transform((value) => new Date(value).toISOString())
  .describe('ISO-8601 date-time with zone');

export const ListOrdersQuerySchema = z
  .object({
    number: trimmed(64).optional().describe('Order number, with or without the leading #'),
    orderStatus: z.enum(ORDER_STATUSES).optional(),
    shippingSummary: z.enum(SHIPPING_SUMMARIES).optional(),
    carrier: trimmed(64).optional(),
    q: trimmed(200).optional().describe('Order number, customer email or tracking number'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: trimmed(512).optional(),
  })
  .strict();

export const OrderIdParamsSchema = z.object({ id: z.uuid().describe('Waymark order id') });

export const ApiShipmentInputSchema = z
  .object({
    trackingNumber: z
      .string()
      .trim()
      .min(4)
      .max(64)
      .regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and dashes only'),
    carrier: optionalText(64),
    externalId: optionalText(128),
    service: optionalText(128),
    shippedAt: isoInstant.nullable().optional(),
  })
  .strict();

export const ApiOrderInputSchema = z
  .object({
    externalId: trimmed(128),
    number: trimmed(64),
    orderStatus: z.enum(ORDER_STATUSES).default('processing'),
    financialStatus: z.enum(FINANCIAL_STATUSES).nullable().optional(),
    cancelReason: optionalText(200),
    customer: z
      .object({
        email: z.email().max(254).nullable().optional(),
        name: optionalText(200),
        phone: optionalText(32),
        language: optionalText(35),
      })
      .strict()
      .optional(),
    shippingAddress: z
      .object({
        city: optionalText(100),
        region: optionalText(100),
        postalCode: optionalText(20),
        country: z.string().trim().length(2).nullable().optional().describe('ISO 3166-1 alpha-2'),
      })
      .strict()
      .optional(),
    lineItems: z
      .array(
        z
          .object({
            externalId: optionalText(128).transform((v) => v ?? null),
            sku: optionalText(128).transform((v) => v ?? null),
            name: trimmed(500),
            quantity: z.number().int().min(0).max(1_000_000),
          })
          .strict(),
      )
      .max(500)
      .optional(),
    promisedDeliveryDate: z.iso.date().nullable().optional(),
    placedAt: isoInstant.optional(),
    updatedAt: isoInstant.optional(),
    shipments: z.array(ApiShipmentInputSchema).max(100).optional(),
  })
  .strict();
