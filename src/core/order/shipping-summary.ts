/**
 * The order's shipping summary (TAXONOMY §4): a pure function of its
 * shipments and its order status, computed by `rollUpShippingSummary`.
 */
export const ShippingSummary = {
  NotShipped: 'not_shipped',
  PartiallyShipped: 'partially_shipped',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  PartiallyDelivered: 'partially_delivered',
  Delivered: 'delivered',
  Attention: 'attention',
  Cancelled: 'cancelled',
} as const;
export type ShippingSummary = (typeof ShippingSummary)[keyof typeof ShippingSummary];
export const SHIPPING_SUMMARIES = Object.values(ShippingSummary);

export function isShippingSummary(value: unknown): value is ShippingSummary {
  return typeof value === 'string' && (SHIPPING_SUMMARIES as readonly string[]).includes(value);
}
