import { describe, expect, it } from 'vitest';

import type { OrderStatus } from './order-status.js';
import { rollUpShippingSummary } from './roll-up-shipping-summary.js';
import type { ShippingSummary } from './shipping-summary.js';
import { SHIPPING_STATUSES } from '../shipment/shipping-status.js';
import type { ShippingStatus } from '../shipment/shipping-status.js';

describe('rollUpShippingSummary', () => {
  it.each<[OrderStatus, ShippingStatus[], ShippingSummary, string]>([
    // 1–2: no live shipment
    ['cancelled', [], 'cancelled', 'cancelled order with nothing shipped'],
    ['refunded', [], 'cancelled', 'refunded before anything shipped'],
    ['cancelled', ['cancelled'], 'cancelled', 'cancelled order whose only label was voided'],
    ['pending', [], 'not_shipped', 'awaiting payment'],
    ['processing', [], 'not_shipped', 'being prepared'],
    ['on_hold', [], 'not_shipped', 'held by the merchant'],
    ['fulfilled', [], 'not_shipped', 'platform says fulfilled but no tracking is known'],
    ['processing', ['cancelled'], 'not_shipped', 'label voided on a live order: the merchant ships again'],
    ['fulfilled', ['cancelled', 'cancelled'], 'not_shipped', 'every label voided on a live order'],
    // 3: attention beats everything shipped
    ['fulfilled', ['exception'], 'attention', 'customs hold'],
    ['fulfilled', ['attempt_failed'], 'attention', 'nobody home'],
    ['fulfilled', ['failure'], 'attention', 'lost'],
    ['fulfilled', ['return_to_sender'], 'attention', 'returning'],
    ['fulfilled', ['delivered', 'exception'], 'attention', 'one delivered, one held: the held one matters more'],
    ['fulfilled', ['delivered', 'return_to_sender'], 'attention', 'delivered parcel being returned'],
    ['partially_fulfilled', ['attempt_failed'], 'attention', 'attention beats partially shipped'],
    ['cancelled', ['return_to_sender'], 'attention', 'cancelled order whose parcel is coming back follows the parcel'],
    ['fulfilled', ['exception', 'cancelled'], 'attention', 'a voided label does not hide the problem'],
    // 4–6: delivered
    ['fulfilled', ['delivered'], 'delivered', 'single parcel delivered'],
    ['fulfilled', ['delivered', 'delivered'], 'delivered', 'split order, all delivered'],
    ['processing', ['delivered'], 'delivered', 'the platform lags the carrier'],
    ['fulfilled', ['delivered', 'cancelled'], 'delivered', 'voided label ignored'],
    ['cancelled', ['delivered'], 'delivered', 'cancelled after it was delivered: the parcel still arrived'],
    ['partially_fulfilled', ['delivered'], 'partially_delivered', 'all parcels so far delivered, more items to ship'],
    ['fulfilled', ['delivered', 'in_transit'], 'partially_delivered', 'one of two delivered'],
    [
      'fulfilled',
      ['delivered', 'out_for_delivery'],
      'partially_delivered',
      'partially delivered beats out for delivery',
    ],
    ['fulfilled', ['delivered', 'expired'], 'partially_delivered', 'an expired parcel is not delivered'],
    // 7: last mile
    ['fulfilled', ['out_for_delivery'], 'out_for_delivery', 'on the van'],
    ['fulfilled', ['available_for_pickup'], 'out_for_delivery', 'at a pickup point: the last step before hand-over'],
    ['fulfilled', ['in_transit', 'out_for_delivery'], 'out_for_delivery', 'one of two on the van'],
    [
      'partially_fulfilled',
      ['out_for_delivery'],
      'out_for_delivery',
      'the van today matters more than the unshipped rest',
    ],
    // 8: partially shipped
    ['partially_fulfilled', ['in_transit'], 'partially_shipped', 'some items not handed over yet'],
    ['partially_fulfilled', ['info_received'], 'partially_shipped', 'label only, more to ship'],
    // 9: in transit
    ['fulfilled', ['in_transit'], 'in_transit', 'moving'],
    ['fulfilled', ['pending'], 'in_transit', 'tracking number known, carrier has nothing yet'],
    ['fulfilled', ['info_received'], 'in_transit', 'label created'],
    ['fulfilled', ['expired'], 'in_transit', 'no news for 30 days is not a named problem'],
    ['fulfilled', ['unknown'], 'in_transit', 'unmapped news'],
    ['processing', ['in_transit', 'info_received'], 'in_transit', 'the platform lags the carrier'],
    ['cancelled', ['in_transit'], 'in_transit', 'cancelled after shipping: the parcel is still moving'],
  ])('should give %s with %j → %s (%s)', (orderStatus, statuses, expected) => {
    const shipments = statuses.map((status) => ({ status }));

    expect(rollUpShippingSummary(orderStatus, shipments)).toBe(expected);
  });

  it.each(SHIPPING_STATUSES)('should not depend on shipment order when %s is next to a delivered parcel', (status) => {
    const forward = rollUpShippingSummary('fulfilled', [{ status: 'delivered' }, { status }]);
    const backward = rollUpShippingSummary('fulfilled', [{ status }, { status: 'delivered' }]);

    expect(forward).toBe(backward);
  });
});
