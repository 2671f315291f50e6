import { describe, expect, it } from 'vitest';

import { detectOrderMilestones, detectShipmentMilestones, milestoneIdempotencyKey } from './detect-milestones.js';
import type { MilestoneKeyInput, OrderMilestoneSnapshot, ShipmentMilestoneSnapshot } from './detect-milestones.js';
import { COMPUTED_ALERTS, isMilestone, MILESTONE_SUBJECT, MILESTONES } from './milestone.js';
import { isDomainError } from '../errors.js';
import { SUBSTATUS_DEFAULT_STATUS } from '../shipment/shipping-status.js';
import type { Substatus } from '../shipment/shipping-status.js';

/** A snapshot from a substatus under its default status. */
function s(substatus: Substatus, attemptNumber = 0): ShipmentMilestoneSnapshot {
  return { status: SUBSTATUS_DEFAULT_STATUS[substatus], substatus, attemptNumber };
}

describe('milestone vocabulary', () => {
  it('should hold the fifteen milestones of TAXONOMY §5', () => {
    expect(MILESTONES).toEqual([
      'order_confirmed',
      'order_cancelled',
      'shipped',
      'in_transit',
      'out_for_delivery',
      'available_for_pickup',
      'attempt_failed',
      'delivered',
      'exception',
      'return_to_sender',
      'all_delivered',
      'fulfillment_delayed',
      'stalled_in_transit',
      'predicted_late',
      'arriving_today',
    ]);
  });

  it('should name a subject for every milestone', () => {
    expect(Object.keys(MILESTONE_SUBJECT).sort()).toEqual([...MILESTONES].sort());
  });

  it('should mark only the computed alerts as computed', () => {
    expect([...COMPUTED_ALERTS].sort()).toEqual([
      'arriving_today',
      'fulfillment_delayed',
      'predicted_late',
      'stalled_in_transit',
    ]);
  });

  it.each([
    ['delivered', true],
    ['all_delivered', true],
    ['failure', false],
    [42, false],
  ])('should say %j is a milestone: %s', (value, expected) => {
    expect(isMilestone(value)).toBe(expected);
  });
});

describe('detectShipmentMilestones', () => {
  it.each<[string, ShipmentMilestoneSnapshot | null, ShipmentMilestoneSnapshot, [string, number, string | null][]]>([
    ['shipment just created', null, s('registered'), [['shipped', 0, null]]],
    ['shipment created with a label', null, s('label_created'), [['shipped', 0, null]]],
    [
      'shipment created already moving',
      null,
      s('picked_up'),
      [
        ['shipped', 0, null],
        ['in_transit', 0, null],
      ],
    ],
    [
      'shipment created already delivered',
      null,
      s('delivered'),
      [
        ['shipped', 0, null],
        ['delivered', 0, null],
      ],
    ],
    ['label created', s('registered'), s('label_created'), []],
    ['first carrier scan', s('label_created'), s('picked_up'), [['in_transit', 0, null]]],
    ['first carrier scan straight after registering', s('registered'), s('in_transit'), [['in_transit', 0, null]]],
    [
      'first carrier scan after an unmapped code',
      s('unmapped_carrier_status'),
      s('picked_up'),
      [['in_transit', 0, null]],
    ],
    ['voided label used anyway', s('label_voided'), s('picked_up'), [['in_transit', 0, null]]],
    ['another hub scan', s('picked_up'), s('arrived_at_facility'), []],
    ['same headline again', s('arrived_at_facility'), s('arrived_at_facility'), []],
    ['exception resolved', s('customs_hold'), s('customs_cleared'), []],
    ['re-tracked after expiry', s('no_updates_timeout'), s('in_transit'), []],
    ['first van run', s('at_local_delivery_depot'), s('out_for_delivery'), [['out_for_delivery', 1, null]]],
    ['van run refreshed (customer contacted)', s('out_for_delivery'), s('customer_contacted'), []],
    ['first attempt failed', s('out_for_delivery'), s('recipient_unavailable', 1), [['attempt_failed', 1, null]]],
    ['second van run', s('recipient_unavailable', 1), s('out_for_delivery', 1), [['out_for_delivery', 2, null]]],
    [
      'second van run seen without the failed attempt between',
      s('out_for_delivery'),
      s('out_for_delivery', 1),
      [['out_for_delivery', 2, null]],
    ],
    ['second attempt failed', s('out_for_delivery', 1), s('notice_left', 2), [['attempt_failed', 2, null]]],
    ['failed attempt refreshed without a new attempt', s('attempted', 1), s('notice_left', 1), []],
    ['ready at a pickup point', s('attempted', 1), s('ready_at_post_office', 1), [['available_for_pickup', 0, null]]],
    ['moved to another locker', s('ready_at_pickup_point'), s('in_parcel_locker'), []],
    ['delivered', s('out_for_delivery'), s('delivered'), [['delivered', 0, null]]],
    [
      'collected from the pickup point',
      s('ready_at_pickup_point'),
      s('collected_from_pickup_point'),
      [['delivered', 0, null]],
    ],
    ['delivered refreshed with a signature', s('delivered'), s('signed_for'), []],
    ['customs hold', s('arrived_destination_country'), s('customs_hold'), [['exception', 0, 'customs_hold']]],
    [
      'customs then asks for papers',
      s('customs_hold'),
      s('customs_info_required'),
      [['exception', 0, 'customs_info_required']],
    ],
    ['reported lost', s('in_transit'), s('lost'), [['exception', 0, 'lost']]],
    ['lost, then found and delivered', s('lost'), s('delivered'), [['delivered', 0, null]]],
    ['returning to sender', s('undeliverable'), s('returning'), [['return_to_sender', 0, null]]],
    ['return completed', s('returning'), s('returned'), []],
    ['delivered, then returned', s('delivered'), s('returning'), [['return_to_sender', 0, null]]],
    ['label voided', s('label_created'), s('label_voided'), []],
    ['tracker expired', s('in_transit'), s('no_updates_timeout'), []],
    ['unmapped code', s('registered'), s('unmapped_carrier_status'), []],
  ])('should detect %s', (_name, before, after, expected) => {
    const detected = detectShipmentMilestones(before, after);

    expect(detected).toEqual(
      expected.map(([milestone, attemptNumber, variant]) => ({ milestone, attemptNumber, variant })),
    );
  });
});

describe('detectOrderMilestones', () => {
  function o(
    orderStatus: OrderMilestoneSnapshot['orderStatus'],
    shippingSummary: OrderMilestoneSnapshot['shippingSummary'] = 'not_shipped',
    shipmentCount = 0,
  ): OrderMilestoneSnapshot {
    return { orderStatus, shippingSummary, shipmentCount };
  }

  it.each<[string, OrderMilestoneSnapshot | null, OrderMilestoneSnapshot, string[]]>([
    ['new order awaiting payment', null, o('pending'), []],
    ['new order already paid', null, o('processing'), ['order_confirmed']],
    ['payment arrives', o('pending'), o('processing'), ['order_confirmed']],
    ['order first seen already fulfilled', null, o('fulfilled', 'in_transit', 1), ['order_confirmed']],
    ['held for review', o('pending'), o('on_hold'), []],
    ['released from review', o('on_hold'), o('processing'), ['order_confirmed']],
    ['partially fulfilled after processing', o('processing'), o('partially_fulfilled', 'partially_shipped', 1), []],
    ['cancelled before payment', o('pending'), o('cancelled', 'cancelled'), ['order_cancelled']],
    ['cancelled after confirmation', o('processing'), o('cancelled', 'cancelled'), ['order_cancelled']],
    ['first seen cancelled', null, o('cancelled', 'cancelled'), ['order_cancelled']],
    ['still cancelled', o('cancelled', 'cancelled'), o('cancelled', 'cancelled'), []],
    ['refunded (the platform tells the customer)', o('processing'), o('refunded', 'cancelled'), []],
    [
      'split order all delivered',
      o('fulfilled', 'partially_delivered', 2),
      o('fulfilled', 'delivered', 2),
      ['all_delivered'],
    ],
    [
      'single parcel delivered (the shipment milestone says it)',
      o('fulfilled', 'in_transit', 1),
      o('fulfilled', 'delivered', 1),
      [],
    ],
    ['split order still delivered', o('fulfilled', 'delivered', 3), o('fulfilled', 'delivered', 3), []],
    [
      'split order seen for the first time delivered',
      null,
      o('fulfilled', 'delivered', 2),
      ['order_confirmed', 'all_delivered'],
    ],
    [
      'split order delivered but more items to ship',
      o('partially_fulfilled', 'partially_delivered', 2),
      o('partially_fulfilled', 'partially_delivered', 2),
      [],
    ],
  ])('should detect %s', (_name, before, after, expected) => {
    expect(detectOrderMilestones(before, after).map((detected) => detected.milestone)).toEqual(expected);
  });

  it('should give order milestones attempt 0 and no variant', () => {
    expect(detectOrderMilestones(null, o('processing'))).toEqual([
      { milestone: 'order_confirmed', attemptNumber: 0, variant: null },
    ]);
  });
});

describe('milestoneIdempotencyKey', () => {
  const base: MilestoneKeyInput = {
    storeId: 'st_1',
    subject: 'shipment',
    subjectId: 'sh_9',
    milestone: 'out_for_delivery',
    attemptNumber: 2,
    channel: 'email',
  };

  it.each<[string, Partial<MilestoneKeyInput>, string]>([
    ['a shipment milestone', {}, 'st_1:shipment:sh_9:out_for_delivery:2:email'],
    [
      'an order milestone',
      { subject: 'order', subjectId: 'or_3', milestone: 'all_delivered', attemptNumber: 0 },
      'st_1:order:or_3:all_delivered:0:email',
    ],
    [
      'an exception with its variant',
      { milestone: 'exception', attemptNumber: 0, variant: 'customs_hold' },
      'st_1:shipment:sh_9:exception:0:email:customs_hold',
    ],
    ['a null variant', { variant: null }, 'st_1:shipment:sh_9:out_for_delivery:2:email'],
    [
      'ids containing the separator',
      { storeId: 'a:b', subjectId: 'c:d' },
      'a%3Ab:shipment:c%3Ad:out_for_delivery:2:email',
    ],
  ])('should build the key for %s', (_name, overrides, expected) => {
    expect(milestoneIdempotencyKey({ ...base, ...overrides })).toBe(expected);
  });

  it('should give the same key for the same input', () => {
    expect(milestoneIdempotencyKey({ ...base })).toBe(milestoneIdempotencyKey({ ...base }));
  });

  it.each<[string, Partial<MilestoneKeyInput>]>([
    ['another attempt', { attemptNumber: 3 }],
    ['another channel', { channel: 'sms' }],
    ['another subject kind', { subject: 'order' }],
    ['another store', { storeId: 'st_2' }],
    ['a variant', { variant: 'x' }],
  ])('should give a different key for %s', (_name, overrides) => {
    expect(milestoneIdempotencyKey({ ...base, ...overrides })).not.toBe(milestoneIdempotencyKey(base));
  });

  it('should not let a separator inside an id collide with another key', () => {
    const a = milestoneIdempotencyKey({ ...base, storeId: 'a:shipment', subjectId: 'b' });
    const b = milestoneIdempotencyKey({ ...base, storeId: 'a', subjectId: 'shipment:b' });

    expect(a).not.toBe(b);
  });

  it.each<[string, Partial<MilestoneKeyInput>]>([
    ['a negative attempt', { attemptNumber: -1 }],
    ['a fractional attempt', { attemptNumber: 1.5 }],
    ['an empty store id', { storeId: '' }],
    ['an empty subject id', { subjectId: '' }],
    ['an empty channel', { channel: '' }],
  ])('should refuse %s with invalid_input', (_name, overrides) => {
    let caught: unknown;
    try {
      milestoneIdempotencyKey({ ...base, ...overrides });
    } catch (error) {
      caught = error;
    }

    expect(isDomainError(caught) && caught.code === 'invalid_input').toBe(true);
  });
});
