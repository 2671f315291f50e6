import type { OrderStatus } from './order-status.js';
import type { ShippingSummary } from './shipping-summary.js';
import type { ShippingStatus } from '../shipment/shipping-status.js';

/** Shipment statuses that put the whole order in `attention` (TAXONOMY §4). */
const NEEDS_ATTENTION: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'exception',
  'attempt_failed',
  'failure',
  'return_to_sender',
]);

/** The last step before hand-over: on the van, or waiting at a pickup point. */
const LAST_MILE: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>(['out_for_delivery', 'available_for_pickup']);

/** Order statuses under which nothing more will be shipped. */
const ORDER_CLOSED: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['cancelled', 'refunded']);

/**
 * The order's shipping summary (TAXONOMY §4). First match wins:
 *
 * 1. no live shipment (none, or every label voided) and the order is
 *    cancelled or refunded → `cancelled`;
 * 2. no live shipment otherwise → `not_shipped` (a voided label on a live
 *    order means the merchant ships again; the order itself is not cancelled);
 * 3. any live shipment in exception, attempt_failed, failure or
 *    return_to_sender → `attention`, even if others are delivered;
 * 4. every live shipment delivered but the platform says some items are not
 *    shipped yet → `partially_delivered`;
 * 5. every live shipment delivered → `delivered`;
 * 6. some delivered → `partially_delivered`;
 * 7. any on the van or at a pickup point → `out_for_delivery`;
 * 8. the platform says some items are not shipped yet → `partially_shipped`;
 * 9. otherwise → `in_transit`: shipped and not delivered, including a label
 *    the carrier has not scanned yet, `expired` (no news is not a problem we
 *    can name) and `unknown` (unmapped news).
 *
 * Cancelled shipments (voided labels) are ignored throughout. A cancelled or
 * refunded order whose parcels are already moving follows its parcels: the
 * customer still needs to know where they are.
 */
export function rollUpShippingSummary(
  orderStatus: OrderStatus,
  shipments: readonly { status: ShippingStatus }[],
): ShippingSummary {
  const live = shipments.filter((shipment) => shipment.status !== 'cancelled');
  if (live.length === 0) return ORDER_CLOSED.has(orderStatus) ? 'cancelled' : 'not_shipped';
  if (live.some((shipment) => NEEDS_ATTENTION.has(shipment.status))) return 'attention';

  const delivered = live.filter((shipment) => shipment.status === 'delivered').length;
  const moreToShip = orderStatus === 'partially_fulfilled';
  if (delivered === live.length) return moreToShip ? 'partially_delivered' : 'delivered';
  if (delivered > 0) return 'partially_delivered';
  if (live.some((shipment) => LAST_MILE.has(shipment.status))) return 'out_for_delivery';
  return moreToShip ? 'partially_shipped' : 'in_transit';
}
