import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canMoveHeadline, HEADLINE_RANK, orderEvents, reduceShipmentStatus } from './reduce-shipment-status.js';
import type { ReducibleEvent, ShipmentStatusState } from './reduce-shipment-status.js';
import {
  INCIDENT_REASONS,
  isSubstatusAllowedUnder,
  SHIPPING_STATUSES,
  SUBSTATUS_DEFAULT_STATUS,
  SUBSTATUSES,
} from './shipping-status.js';
import type { IncidentReason, ShippingStatus, Substatus } from './shipping-status.js';

let keyCounter = 0;

/** `day` and `time` are in November 2026, UTC. */
function ev(
  day: number,
  time: string,
  substatus: Substatus,
  options: { status?: ShippingStatus; sequence?: number; reason?: IncidentReason; key?: string } = {},
): ReducibleEvent {
  keyCounter += 1;
  return {
    occurredAt: `2026-11-${String(day).padStart(2, '0')}T${time}:00.000Z`,
    sequence: options.sequence ?? null,
    status: options.status ?? SUBSTATUS_DEFAULT_STATUS[substatus],
    substatus,
    reason: options.reason ?? null,
    dedupeKey: options.key ?? `event-${keyCounter}`,
  };
}

type Case = {
  name: string;
  events: ReducibleEvent[];
  expected: Partial<ShipmentStatusState>;
};

const ups = {
  label: ev(20, '15:00', 'label_created'),
  pickup: ev(20, '19:00', 'picked_up'),
  hubIn: ev(21, '02:00', 'arrived_at_facility'),
  hubOut: ev(21, '05:00', 'departed_facility'),
  depot: ev(22, '04:00', 'at_local_delivery_depot'),
  ofd: ev(22, '07:30', 'out_for_delivery'),
  delivered: ev(22, '13:10', 'delivered_safe_place'),
};

const cases: Case[] = [
  {
    name: 'UPS-like label, pickup, hubs, out for delivery, delivered',
    events: Object.values(ups),
    expected: {
      status: 'delivered',
      substatus: 'delivered_safe_place',
      reason: null,
      actionRequired: false,
      attemptNumber: 0,
      headlineEventKey: ups.delivered.dedupeKey,
      shippedAt: '2026-11-20T15:00:00.000Z',
      firstScanAt: '2026-11-20T19:00:00.000Z',
      outForDeliveryAt: '2026-11-22T07:30:00.000Z',
      deliveredAt: '2026-11-22T13:10:00.000Z',
      exceptionAt: null,
      lastEventAt: '2026-11-22T13:10:00.000Z',
    },
  },
  {
    name: 'a late hub scan older than the out-for-delivery scan (stored, headline kept)',
    events: [ups.label, ups.pickup, ups.ofd, ups.hubOut],
    expected: { status: 'out_for_delivery', substatus: 'out_for_delivery', lastEventAt: '2026-11-22T07:30:00.000Z' },
  },
  {
    name: 'a late pickup scan older than the first hub scan (moves the first scan back)',
    events: [ups.label, ups.hubIn, ups.pickup],
    expected: { status: 'in_transit', substatus: 'arrived_at_facility', firstScanAt: '2026-11-20T19:00:00.000Z' },
  },
  {
    name: 'delivered stamped minutes before the out-for-delivery scan',
    events: [ups.pickup, ev(22, '10:00', 'delivered'), ev(22, '10:05', 'out_for_delivery')],
    expected: { status: 'delivered', deliveredAt: '2026-11-22T10:00:00.000Z', outForDeliveryAt: null },
  },
  {
    name: 'customs hold while in transit',
    events: [ups.pickup, ev(21, '09:00', 'customs_hold')],
    expected: {
      status: 'exception',
      substatus: 'customs_hold',
      reason: 'customs_inspection',
      actionRequired: false,
      exceptionAt: '2026-11-21T09:00:00.000Z',
    },
  },
  {
    name: 'customs hold then cleared (exception resolved back to in transit)',
    events: [ups.pickup, ev(21, '09:00', 'customs_hold'), ev(22, '11:00', 'customs_cleared')],
    expected: {
      status: 'in_transit',
      substatus: 'customs_cleared',
      reason: null,
      exceptionAt: '2026-11-21T09:00:00.000Z',
    },
  },
  {
    name: 'an exception that names its own reason',
    events: [ups.pickup, ev(21, '09:00', 'delayed', { reason: 'carrier_vehicle_issue' })],
    expected: { status: 'exception', substatus: 'delayed', reason: 'carrier_vehicle_issue' },
  },
  {
    name: 'address issue reported while on the van',
    events: [ups.pickup, ups.ofd, ev(22, '11:00', 'address_issue')],
    expected: {
      status: 'exception',
      substatus: 'address_issue',
      reason: 'consignee_incorrect_address',
      actionRequired: true,
    },
  },
  {
    name: 'failed attempt (nobody home)',
    events: [ups.pickup, ups.ofd, ev(22, '15:00', 'recipient_unavailable')],
    expected: {
      status: 'attempt_failed',
      substatus: 'recipient_unavailable',
      reason: 'consignee_not_home',
      actionRequired: true,
      attemptNumber: 1,
    },
  },
  {
    name: 'failed attempt, parcel back at the depot (still "attempted" until the next van run)',
    events: [ups.pickup, ups.ofd, ev(22, '15:00', 'recipient_unavailable'), ev(22, '19:00', 'delivery_rescheduled')],
    expected: { status: 'attempt_failed', substatus: 'recipient_unavailable', attemptNumber: 1 },
  },
  {
    name: 'failed attempt, second van run, delivered',
    events: [
      ups.pickup,
      ups.ofd,
      ev(22, '15:00', 'recipient_unavailable'),
      ev(23, '07:45', 'out_for_delivery'),
      ev(23, '12:00', 'signed_for'),
    ],
    expected: {
      status: 'delivered',
      substatus: 'signed_for',
      attemptNumber: 1,
      actionRequired: false,
      outForDeliveryAt: '2026-11-23T07:45:00.000Z',
      deliveredAt: '2026-11-23T12:00:00.000Z',
    },
  },
  {
    name: 'two failed attempts counted once each',
    events: [
      ups.ofd,
      ev(22, '15:00', 'attempted'),
      ev(23, '07:45', 'out_for_delivery'),
      ev(23, '15:00', 'notice_left'),
    ],
    expected: { status: 'attempt_failed', substatus: 'notice_left', attemptNumber: 2 },
  },
  {
    name: 'failed attempt, taken to the post office, collected',
    events: [
      ups.ofd,
      ev(22, '15:00', 'attempted'),
      ev(23, '09:00', 'ready_at_post_office'),
      ev(24, '17:00', 'collected_from_pickup_point'),
    ],
    expected: {
      status: 'delivered',
      substatus: 'collected_from_pickup_point',
      attemptNumber: 1,
      actionRequired: false,
    },
  },
  {
    name: 'waiting at a locker',
    events: [ups.pickup, ev(22, '09:00', 'in_parcel_locker')],
    expected: { status: 'available_for_pickup', substatus: 'in_parcel_locker', actionRequired: true },
  },
  {
    name: 'unclaimed at the pickup point, then returned to sender',
    events: [ev(22, '09:00', 'ready_at_pickup_point'), ev(29, '09:00', 'unclaimed'), ev(30, '09:00', 'returning')],
    expected: { status: 'return_to_sender', substatus: 'returning', actionRequired: false },
  },
  {
    name: 'lost in transit',
    events: [ups.pickup, ev(25, '10:00', 'lost'), ev(26, '10:00', 'arrived_at_facility')],
    expected: { status: 'failure', substatus: 'lost', reason: 'carrier_parcel_lost' },
  },
  {
    name: 'lost, then found and delivered',
    events: [ups.pickup, ev(25, '10:00', 'lost'), ev(26, '10:00', 'arrived_at_facility'), ev(27, '12:00', 'delivered')],
    expected: { status: 'delivered', substatus: 'delivered', reason: null, deliveredAt: '2026-11-27T12:00:00.000Z' },
  },
  {
    name: 'delivered, then returned to sender',
    events: [ups.pickup, ups.delivered, ev(24, '09:00', 'returning')],
    expected: { status: 'return_to_sender', substatus: 'returning', deliveredAt: '2026-11-22T13:10:00.000Z' },
  },
  {
    name: 'undeliverable, returned, the return "delivered" to the shipper',
    events: [ups.pickup, ev(23, '10:00', 'undeliverable'), ev(23, '12:00', 'returning'), ev(26, '12:00', 'delivered')],
    expected: { status: 'return_to_sender', substatus: 'returning', deliveredAt: null },
  },
  {
    name: 'label voided before pickup',
    events: [ups.label, ev(21, '08:00', 'label_voided')],
    expected: {
      status: 'cancelled',
      substatus: 'label_voided',
      shippedAt: '2026-11-20T15:00:00.000Z',
      firstScanAt: null,
    },
  },
  {
    name: 'cancelled before despatch names the retailer',
    events: [ev(21, '08:00', 'cancelled_before_pickup')],
    expected: {
      status: 'cancelled',
      substatus: 'cancelled_before_pickup',
      reason: 'retailer_cancelled',
      shippedAt: null,
    },
  },
  {
    name: 'cancelled after pickup is ignored',
    events: [ups.label, ups.pickup, ev(21, '08:00', 'cancelled')],
    expected: { status: 'in_transit', substatus: 'picked_up' },
  },
  {
    name: 'voided label used anyway (a scan after the void)',
    events: [ups.label, ev(21, '08:00', 'label_voided'), ev(21, '18:00', 'picked_up')],
    expected: { status: 'in_transit', substatus: 'picked_up', firstScanAt: '2026-11-21T18:00:00.000Z' },
  },
  {
    name: 'expired then re-tracked',
    events: [
      ups.pickup,
      ev(30, '00:00', 'no_updates_timeout'),
      ev(30, '08:00', 'at_local_delivery_depot'),
      ev(30, '09:00', 'out_for_delivery'),
    ],
    expected: { status: 'out_for_delivery', substatus: 'out_for_delivery', lastEventAt: '2026-11-30T09:00:00.000Z' },
  },
  {
    name: 'expired is not carrier news',
    events: [ups.pickup, ev(30, '00:00', 'no_updates_timeout')],
    expected: { status: 'expired', substatus: 'no_updates_timeout', lastEventAt: '2026-11-20T19:00:00.000Z' },
  },
  {
    name: 'a delivered parcel never expires',
    events: [ups.delivered, ev(30, '00:00', 'no_updates_timeout')],
    expected: { status: 'delivered' },
  },
  {
    name: 'an unmapped code after a known status',
    events: [ups.pickup, ev(21, '10:00', 'unmapped_carrier_status')],
    expected: { status: 'in_transit', substatus: 'picked_up', lastEventAt: '2026-11-21T10:00:00.000Z' },
  },
  {
    name: 'an unmapped code as the only news',
    events: [ev(21, '10:00', 'unmapped_carrier_status')],
    expected: { status: 'unknown', substatus: 'unmapped_carrier_status', shippedAt: null },
  },
  {
    name: 'a mapped code after an unmapped one',
    events: [ev(21, '10:00', 'unmapped_carrier_status'), ev(21, '11:00', 'picked_up')],
    expected: { status: 'in_transit', substatus: 'picked_up' },
  },
  {
    name: 'same instant, the provider sequence decides (attempt after van run)',
    events: [ev(22, '15:00', 'attempted', { sequence: 2 }), ev(22, '15:00', 'out_for_delivery', { sequence: 1 })],
    expected: { status: 'attempt_failed', substatus: 'attempted' },
  },
  {
    name: 'same instant, the provider sequence decides (van run after attempt)',
    events: [ev(22, '15:00', 'attempted', { sequence: 1 }), ev(22, '15:00', 'out_for_delivery', { sequence: 2 })],
    expected: { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  },
  {
    name: 'a failed attempt delivered twice by the webhook counts once',
    events: [ups.ofd, ev(22, '15:00', 'attempted', { key: 'dup' }), ev(22, '15:00', 'attempted', { key: 'dup' })],
    expected: { status: 'attempt_failed', attemptNumber: 1 },
  },
  {
    name: 'attempt substatus a vendor files under attempt_failed',
    events: [ups.ofd, ev(22, '15:00', 'payment_due', { status: 'attempt_failed' })],
    expected: {
      status: 'attempt_failed',
      substatus: 'payment_due',
      reason: 'customs_duties_unpaid',
      actionRequired: true,
    },
  },
];

describe('reduceShipmentStatus', () => {
  it('should be pending/registered with nothing set when there are no events', () => {
    expect(reduceShipmentStatus([])).toEqual({
      status: 'pending',
      substatus: 'registered',
      reason: null,
      actionRequired: false,
      attemptNumber: 0,
      headlineEventKey: null,
      shippedAt: null,
      firstScanAt: null,
      outForDeliveryAt: null,
      deliveredAt: null,
      exceptionAt: null,
      lastEventAt: null,
    });
  });

  it.each(cases)('should reduce $name', ({ events, expected }) => {
    const state = reduceShipmentStatus(events);

    expect(state).toMatchObject(expected);
  });

  it.each(cases)('should give the same result when the events of "$name" arrive reversed', ({ events }) => {
    expect(reduceShipmentStatus([...events].reverse())).toEqual(reduceShipmentStatus(events));
  });
});

describe('canMoveHeadline', () => {
  it.each<[ShippingStatus, Substatus, ShippingStatus, boolean, string]>([
    ['in_transit', 'picked_up', 'in_transit', true, 'a new scan at the same stage refreshes the substatus'],
    ['in_transit', 'picked_up', 'info_received', false, 'a label event after pickup is stale'],
    ['exception', 'customs_hold', 'in_transit', true, 'exception resolved'],
    ['exception', 'customs_hold', 'out_for_delivery', true, 'exception resolved straight onto the van'],
    ['out_for_delivery', 'out_for_delivery', 'exception', true, 'problem on the van'],
    ['available_for_pickup', 'ready_at_pickup_point', 'exception', true, 'unclaimed at the pickup point'],
    ['attempt_failed', 'attempted', 'out_for_delivery', true, 'next attempt'],
    ['attempt_failed', 'attempted', 'in_transit', false, 'back at the depot stays attempted'],
    ['out_for_delivery', 'out_for_delivery', 'in_transit', false, 'a hub scan after the van run is stale'],
    ['delivered', 'delivered', 'out_for_delivery', false, 'delivered wins over a later van scan'],
    ['delivered', 'delivered', 'exception', false, 'delivered wins over a later exception'],
    ['delivered', 'delivered', 'failure', false, 'delivered then lost is a claim, not a headline'],
    ['delivered', 'delivered', 'return_to_sender', true, 'post-delivery return'],
    ['failure', 'lost', 'delivered', true, 'lost then found'],
    ['failure', 'lost', 'in_transit', false, 'a found parcel stays lost until delivered'],
    ['failure', 'undeliverable', 'return_to_sender', true, 'undeliverable goes back'],
    ['return_to_sender', 'returning', 'delivered', false, 'the return reaching the shipper'],
    ['return_to_sender', 'returning', 'failure', false, 'lost on the way back stays a return'],
    ['expired', 'no_updates_timeout', 'in_transit', true, 're-tracked'],
    ['expired', 'no_updates_timeout', 'info_received', true, 're-tracked to anything'],
    ['expired', 'no_updates_timeout', 'cancelled', false, 'cancelled only before pickup'],
    ['expired', 'no_updates_timeout', 'unknown', false, 'unknown never replaces a known headline'],
    ['in_transit', 'in_transit', 'expired', true, 'a live tracker may expire'],
    ['return_to_sender', 'returning', 'expired', true, 'a return in progress may expire'],
    ['return_to_sender', 'returned', 'expired', false, 'a completed return is terminal'],
    ['delivered', 'delivered', 'expired', false, 'a terminal headline never expires'],
    ['cancelled', 'label_voided', 'expired', false, 'a cancelled label never expires'],
    ['pending', 'registered', 'cancelled', true, 'void before anything'],
    ['info_received', 'label_created', 'cancelled', true, 'void before pickup'],
    ['unknown', 'unmapped_carrier_status', 'cancelled', true, 'void after an unmapped code'],
    ['in_transit', 'picked_up', 'cancelled', false, 'void after pickup'],
    ['exception', 'shipper_data_issue', 'cancelled', false, 'void after an exception'],
    ['cancelled', 'label_voided', 'in_transit', true, 'a voided label used anyway'],
    ['cancelled', 'label_voided', 'info_received', false, 'a label event after the void is stale'],
    ['pending', 'registered', 'unknown', true, 'unknown beats no news'],
    ['info_received', 'label_created', 'unknown', false, 'unknown never replaces a known headline'],
    ['unknown', 'unmapped_carrier_status', 'pending', true, 'a mapped code replaces unknown'],
  ])('should answer %s.%s → %s with %s because %s', (from, fromSubstatus, to, expected) => {
    expect(canMoveHeadline(from, fromSubstatus, to)).toBe(expected);
  });
});

const STATUS_PAIRS: { status: ShippingStatus; substatus: Substatus }[] = SHIPPING_STATUSES.flatMap((status) =>
  SUBSTATUSES.filter((substatus) => isSubstatusAllowedUnder(substatus, status)).map((substatus) => ({
    status,
    substatus,
  })),
);

const BASE_MS = Date.parse('2026-11-20T00:00:00.000Z');

/** Few instants and keys, so ties and colliding dedupe keys happen often. */
const eventArb: fc.Arbitrary<ReducibleEvent> = fc
  .record({
    pair: fc.constantFrom(...STATUS_PAIRS),
    hour: fc.integer({ min: 0, max: 24 }),
    sequence: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    reason: fc.option(fc.constantFrom(...INCIDENT_REASONS), { nil: null, freq: 3 }),
    key: fc.integer({ min: 0, max: 40 }),
  })
  .map(({ pair, hour, sequence, reason, key }) => ({
    occurredAt: new Date(BASE_MS + hour * 3_600_000).toISOString(),
    sequence,
    status: pair.status,
    substatus: pair.substatus,
    reason,
    dedupeKey: `k${key}`,
  }));

/** Some events are echoed under another key, as when two providers report the same scan. */
const eventsArb = fc
  .array(eventArb, { minLength: 0, maxLength: 25 })
  .chain((events) =>
    fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 40 })), { maxLength: events.length === 0 ? 0 : 5 })
      .map((echoes) => [
        ...events,
        ...echoes.map(([pick, key]) => ({ ...(events[pick % events.length] as ReducibleEvent), dedupeKey: `k${key}` })),
      ]),
  );

/** The allowed backward moves of TAXONOMY §3 rule 2, restated independently of the implementation. */
function isAllowedBackwardMove(from: ShippingStatus, fromSubstatus: Substatus, to: ShippingStatus): boolean {
  return (
    (from === 'exception' && to === 'in_transit') ||
    (from === 'attempt_failed' && to === 'out_for_delivery') ||
    (from === 'delivered' && to === 'return_to_sender') ||
    (from === 'failure' && fromSubstatus === 'lost' && to === 'delivered') ||
    from === 'expired'
  );
}

describe('reduceShipmentStatus properties', () => {
  it('should give the same result for any permutation of the same events', () => {
    fc.assert(
      fc.property(
        eventsArb.chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          ),
        ),
        ([events, permuted]) => {
          expect(reduceShipmentStatus(permuted)).toEqual(reduceShipmentStatus(events));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should count an event applied twice once when the dedupe key repeats', () => {
    fc.assert(
      fc.property(
        eventsArb.filter((events) => events.length > 0),
        fc.nat(),
        fc.nat(),
        (events, pick, position) => {
          const duplicate = events[pick % events.length] as ReducibleEvent;
          const withDuplicate = [...events];
          withDuplicate.splice(position % (events.length + 1), 0, { ...duplicate });

          expect(reduceShipmentStatus(withDuplicate)).toEqual(reduceShipmentStatus(events));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should only move the headline forward in rank or by an allowed backward move when walking the events in time order', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const ordered = orderEvents(events);
        let previous = reduceShipmentStatus([]);
        for (let i = 1; i <= ordered.length; i += 1) {
          const next = reduceShipmentStatus(ordered.slice(0, i));
          if (next.status !== previous.status) {
            const forward = HEADLINE_RANK[next.status] >= HEADLINE_RANK[previous.status];
            expect(forward || isAllowedBackwardMove(previous.status, previous.substatus, next.status)).toBe(true);
            if (next.status === 'cancelled') expect(['pending', 'info_received', 'unknown']).toContain(previous.status);
            if (next.status === 'unknown') expect(previous.status).toBe('pending');
          }
          previous = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('should keep the headline on the newest event it accepted', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const state = reduceShipmentStatus(events);
        const headline = orderEvents(events).find((event) => event.dedupeKey === state.headlineEventKey);

        if (headline === undefined) {
          expect(state.headlineEventKey).toBeNull();
          expect([state.status, state.substatus]).toEqual(['pending', 'registered']);
        } else {
          expect([state.status, state.substatus]).toEqual([headline.status, headline.substatus]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
