/**
 * The order status is the selling platform's word for the order (TAXONOMY §1).
 * Waymark mirrors it; it never derives it from carrier data.
 */
export const OrderStatus = {
  Pending: 'pending',
  Processing: 'processing',
  OnHold: 'on_hold',
  PartiallyFulfilled: 'partially_fulfilled',
  Fulfilled: 'fulfilled',
  Cancelled: 'cancelled',
  Refunded: 'refunded',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];
export const ORDER_STATUSES = Object.values(OrderStatus);

export const FinancialStatus = {
  Pending: 'pending',
  Authorized: 'authorized',
  Paid: 'paid',
  PartiallyPaid: 'partially_paid',
  PartiallyRefunded: 'partially_refunded',
  Refunded: 'refunded',
  Voided: 'voided',
} as const;
export type FinancialStatus = (typeof FinancialStatus)[keyof typeof FinancialStatus];
export const FINANCIAL_STATUSES = Object.values(FinancialStatus);

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

export function isFinancialStatus(value: unknown): value is FinancialStatus {
  return typeof value === 'string' && (FINANCIAL_STATUSES as readonly string[]).includes(value);
}
