/**
 * What may notify a customer (TAXONOMY §5). Carrier-driven and order-driven
 * milestones are detected from status changes (`detect-milestones.ts`); the
 * alerts are computed by Waymark from time and estimates, not from a change.
 */
export const Milestone = {
  OrderConfirmed: 'order_confirmed',
  OrderCancelled: 'order_cancelled',
  Shipped: 'shipped',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AvailableForPickup: 'available_for_pickup',
  AttemptFailed: 'attempt_failed',
  Delivered: 'delivered',
  Exception: 'exception',
  ReturnToSender: 'return_to_sender',
  AllDelivered: 'all_delivered',
  FulfillmentDelayed: 'fulfillment_delayed',
  StalledInTransit: 'stalled_in_transit',
  PredictedLate: 'predicted_late',
  ArrivingToday: 'arriving_today',
} as const;
export type Milestone = (typeof Milestone)[keyof typeof Milestone];
export const MILESTONES = Object.values(Milestone);

export function isMilestone(value: unknown): value is Milestone {
  return typeof value === 'string' && (MILESTONES as readonly string[]).includes(value);
}

/** What a notification is about: the ledger is keyed per order or per shipment. */
export type MilestoneSubject = 'order' | 'shipment';

export const MILESTONE_SUBJECT: Readonly<Record<Milestone, MilestoneSubject>> = {
  order_confirmed: 'order',
  order_cancelled: 'order',
  shipped: 'shipment',
  in_transit: 'shipment',
  out_for_delivery: 'shipment',
  available_for_pickup: 'shipment',
  attempt_failed: 'shipment',
  delivered: 'shipment',
  exception: 'shipment',
  return_to_sender: 'shipment',
  all_delivered: 'order',
  fulfillment_delayed: 'order',
  stalled_in_transit: 'shipment',
  predicted_late: 'shipment',
  arriving_today: 'shipment',
};

/** The alerts Waymark computes itself (TAXONOMY §5); no status change raises them. */
export const COMPUTED_ALERTS: ReadonlySet<Milestone> = new Set<Milestone>([
  'fulfillment_delayed',
  'stalled_in_transit',
  'predicted_late',
  'arriving_today',
]);
