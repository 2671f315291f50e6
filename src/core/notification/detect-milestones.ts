import type { Milestone, MilestoneSubject } from './milestone.js';
import { DomainError } from '../errors.js';
import type { OrderStatus } from '../order/order-status.js';
import type { ShippingSummary } from '../order/shipping-summary.js';
import type { ShippingStatus, Substatus } from '../shipment/shipping-status.js';

export type ShipmentMilestoneSnapshot = {
  status: ShippingStatus;
  substatus: Substatus;
  attemptNumber: number;
};

export type OrderMilestoneSnapshot = {
  orderStatus: OrderStatus;
  shippingSummary: ShippingSummary;
  /** Shipments that count: not cancelled (voided labels are not parcels). */
  shipmentCount: number;
};

export type DetectedMilestone = {
  milestone: Milestone;
  /** The delivery attempt a per-attempt milestone belongs to; 0 for one-off milestones. */
  attemptNumber: number;
  /**
   * Distinguishes repeats of one milestone that each deserve a message: the
   * substatus of an exception (a customs hold, then a request for papers).
   */
  variant: string | null;
};

const NEW_SHIPMENT: ShipmentMilestoneSnapshot = { status: 'pending', substatus: 'registered', attemptNumber: 0 };

/** Headlines from which an `in_transit` headline is the first carrier scan. */
const BEFORE_FIRST_SCAN: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'pending',
  'info_received',
  'unknown',
  'cancelled',
]);

function once(milestone: Milestone): DetectedMilestone {
  return { milestone, attemptNumber: 0, variant: null };
}

/**
 * The milestones a change of shipment headline raises (TAXONOMY §5). `before`
 * is null when the shipment was just created: that is `shipped` (the first
 * tracking number), plus whatever its first status already says.
 *
 * Per attempt: `out_for_delivery` carries the attempt under way (failed
 * attempts + 1), `attempt_failed` the attempt that failed, so a second van
 * run notifies again while a repeated scan of the same run does not.
 * A `failure` (lost, undeliverable) is told as an `exception`: TAXONOMY §5
 * has no milestone of its own for it and the customer must hear of it.
 * Cancelled labels, `expired` and `unknown` notify nobody.
 */
export function detectShipmentMilestones(
  before: ShipmentMilestoneSnapshot | null,
  after: ShipmentMilestoneSnapshot,
): DetectedMilestone[] {
  if (before === null) return [once('shipped'), ...detectShipmentMilestones(NEW_SHIPMENT, after)];

  const statusChanged = before.status !== after.status;
  const substatusChanged = statusChanged || before.substatus !== after.substatus;
  const newAttempt = statusChanged || after.attemptNumber > before.attemptNumber;

  switch (after.status) {
    case 'in_transit':
      return BEFORE_FIRST_SCAN.has(before.status) ? [once('in_transit')] : [];
    case 'out_for_delivery':
      return newAttempt
        ? [{ milestone: 'out_for_delivery', attemptNumber: after.attemptNumber + 1, variant: null }]
        : [];
    case 'attempt_failed':
      return newAttempt ? [{ milestone: 'attempt_failed', attemptNumber: after.attemptNumber, variant: null }] : [];
    case 'available_for_pickup':
      return statusChanged ? [once('available_for_pickup')] : [];
    case 'delivered':
      return statusChanged ? [once('delivered')] : [];
    case 'return_to_sender':
      return statusChanged ? [once('return_to_sender')] : [];
    case 'exception':
    case 'failure':
      return substatusChanged ? [{ milestone: 'exception', attemptNumber: 0, variant: after.substatus }] : [];
    default:
      return [];
  }
}

/** Order statuses at which the merchant has accepted the order. */
const CONFIRMED: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['processing', 'partially_fulfilled', 'fulfilled']);

/**
 * The order-level milestones a change raises. `before` is null for an order
 * seen for the first time. The ledger keeps each to one message, so a
 * processing → on_hold → processing round trip may detect `order_confirmed`
 * twice without sending it twice.
 */
export function detectOrderMilestones(
  before: OrderMilestoneSnapshot | null,
  after: OrderMilestoneSnapshot,
): DetectedMilestone[] {
  const detected: DetectedMilestone[] = [];
  if (CONFIRMED.has(after.orderStatus) && (before === null || !CONFIRMED.has(before.orderStatus))) {
    detected.push(once('order_confirmed'));
  }
  if (after.orderStatus === 'cancelled' && before?.orderStatus !== 'cancelled') {
    detected.push(once('order_cancelled'));
  }
  if (after.shippingSummary === 'delivered' && before?.shippingSummary !== 'delivered' && after.shipmentCount > 1) {
    detected.push(once('all_delivered'));
  }
  return detected;
}

export type MilestoneKeyInput = {
  storeId: string;
  subject: MilestoneSubject;
  subjectId: string;
  milestone: Milestone;
  attemptNumber: number;
  channel: string;
  variant?: string | null;
};

/**
 * The unique key of one message in the notification ledger: one per
 * (subject, milestone, attempt, variant) per channel. Parts are URI-encoded so
 * an id containing the separator cannot collide with another key.
 */
export function milestoneIdempotencyKey(input: MilestoneKeyInput): string {
  const { storeId, subject, subjectId, milestone, attemptNumber, channel, variant } = input;
  if (!Number.isSafeInteger(attemptNumber) || attemptNumber < 0) {
    throw new DomainError('invalid_input', 'attemptNumber must be a non-negative integer', {
      details: { attemptNumber },
    });
  }
  for (const [name, value] of Object.entries({ storeId, subjectId, channel })) {
    if (value.length === 0) throw new DomainError('invalid_input', `${name} must not be empty`);
  }
  const parts = [storeId, subject, subjectId, milestone, String(attemptNumber), channel];
  if (variant !== undefined && variant !== null) parts.push(variant);
  return parts.map(encodeURIComponent).join(':');
}
