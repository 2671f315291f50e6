import type { FinancialStatus, OrderStatus } from './order-status.js';
import type { ShippingSummary } from './shipping-summary.js';
import type { Shipment } from '../shipment/shipment.js';

export type Customer = {
  email: string | null;
  name: string | null;
  phone: string | null;
  /** BCP 47 language tag, when the platform gives one. */
  language: string | null;
};

export type PostalAddress = {
  city: string | null;
  region: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
};

export type LineItem = {
  externalId: string | null;
  sku: string | null;
  name: string;
  quantity: number;
};

/** An order as the selling platform sees it, plus the shipping summary Waymark derives. */
export type Order = {
  id: string;
  storeId: string;
  externalId: string;
  /** Customer-facing number, as the platform shows it (`#1001`). */
  number: string;
  orderStatus: OrderStatus;
  financialStatus: FinancialStatus | null;
  /** The platform's own status fields, verbatim. */
  platformStatus: Record<string, unknown>;
  cancelReason: string | null;
  customer: Customer;
  shippingAddress: PostalAddress;
  lineItems: LineItem[];
  promisedDeliveryDate: string | null;
  placedAt: string;
  /** The platform's `updated_at`; an older update never overwrites a newer one. */
  platformUpdatedAt: string | null;
  shippingSummary: ShippingSummary;
  createdAt: string;
  updatedAt: string;
};

export type OrderWithShipments = Order & { shipments: Shipment[] };

/** Order numbers match with or without the leading `#`, ignoring surrounding space. */
export function normaliseOrderNumber(value: string): string {
  return value.trim().replace(/^#+/, '').trim().toLowerCase();
}
