import { describe, expect, it } from 'vitest';

import { buildCustomerJourney, JOURNEY_TEXT } from './customer-journey.js';
import type { CustomerJourneyInput, JourneyEventInput, JourneyShipmentInput, JourneyStep } from './customer-journey.js';
import type { OrderStatus } from '../order/order-status.js';
import { rollUpShippingSummary } from '../order/roll-up-shipping-summary.js';
import {
  isSubstatusAllowedUnder,
  isActionRequired,
  SHIPPING_STATUSES,
  SUBSTATUSES,
} from '../shipment/shipping-status.js';
import type { ShippingStatus, Substatus } from '../shipment/shipping-status.js';

const PLACED = '2026-11-18T09:00:00.000Z';
const T = {
  shipped: '2026-11-19T15:00:00.000Z',
  scan: '2026-11-19T19:00:00.000Z',
  hub: '2026-11-20T04:00:00.000Z',
  ofd: '2026-11-21T07:30:00.000Z',
  attempt: '2026-11-21T15:00:00.000Z',
  pickup: '2026-11-22T09:00:00.000Z',
  delivered: '2026-11-21T13:10:00.000Z',
  problem: '2026-11-20T10:00:00.000Z',
  later: '2026-11-24T10:00:00.000Z',
};

function event(
  occurredAt: string,
  status: ShippingStatus,
  substatus: Substatus,
  description: string | null = null,
): JourneyEventInput {
  return { occurredAt, status, substatus, description, location: null, rawCode: null };
}

let shipmentCounter = 0;

/** A parcel; the times and events follow from the milestones named. */
function parcel(
  status: ShippingStatus,
  substatus: Substatus,
  options: Partial<JourneyShipmentInput> & { reached?: ('scan' | 'ofd' | 'delivered')[] } = {},
): JourneyShipmentInput {
  shipmentCounter += 1;
  const reached = options.reached ?? [];
  const events: JourneyEventInput[] = [event(T.shipped, 'info_received', 'label_created')];
  if (reached.includes('scan')) events.push(event(T.scan, 'in_transit', 'picked_up'));
  if (reached.includes('ofd')) events.push(event(T.ofd, 'out_for_delivery', 'out_for_delivery'));
  if (reached.includes('delivered')) events.push(event(T.delivered, 'delivered', 'delivered'));
  const { reached: _reached, ...overrides } = options;
  return {
    id: `sh_${shipmentCounter}`,
    carrier: 'ups',
    trackingNumber: `1Z999AA1012345678${shipmentCounter}`,
    status,
    substatus,
    reason: null,
    carrierEddLatest: '2026-11-22',
    predictedEdd: null,
    shippedAt: T.shipped,
    firstScanAt: reached.includes('scan') ? T.scan : null,
    outForDeliveryAt: reached.includes('ofd') ? T.ofd : null,
    deliveredAt: reached.includes('delivered') ? T.delivered : null,
    actionRequired: isActionRequired(status, substatus),
    events,
    ...overrides,
  };
}

function input(orderStatus: OrderStatus, shipments: JourneyShipmentInput[]): CustomerJourneyInput {
  return {
    order: {
      number: '#1001',
      orderStatus,
      placedAt: PLACED,
      shippingSummary: rollUpShippingSummary(orderStatus, shipments),
    },
    shipments,
  };
}

/** `key:state`, with `!` when the step carries a problem. */
function bar(steps: JourneyStep[]): string {
  return steps.map((s) => `${s.key}:${s.state}${s.problem ? '!' : ''}`).join(' ');
}

const ON_THE_WAY =
  'ordered:done processing:done shipped:done in_transit:current out_for_delivery:upcoming delivered:upcoming';

type Case = {
  name: string;
  input: CustomerJourneyInput;
  orderBar: string;
  headline: string;
  shipmentBars?: string[];
  problem?: string | null;
};

const cases: Case[] = [
  {
    name: 'order awaiting payment',
    input: input('pending', []),
    orderBar:
      'ordered:current processing:upcoming shipped:upcoming in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.ordered',
  },
  {
    name: 'order being prepared',
    input: input('processing', []),
    orderBar:
      'ordered:done processing:current shipped:upcoming in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.processing',
  },
  {
    name: 'order on hold (shown as being prepared)',
    input: input('on_hold', []),
    orderBar:
      'ordered:done processing:current shipped:upcoming in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.processing',
  },
  {
    name: 'order cancelled before shipping',
    input: input('cancelled', []),
    orderBar: 'ordered:done cancelled:done',
    headline: 'journey.headline.cancelled',
  },
  {
    name: 'order fulfilled on the platform without tracking',
    input: input('fulfilled', []),
    orderBar:
      'ordered:done processing:done shipped:current in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.shipped',
  },
  {
    name: 'label created, carrier has nothing yet',
    input: input('fulfilled', [parcel('info_received', 'label_created')]),
    orderBar:
      'ordered:done processing:done shipped:current in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.shipped',
  },
  {
    name: 'in transit',
    input: input('fulfilled', [parcel('in_transit', 'arrived_at_facility', { reached: ['scan'] })]),
    orderBar: ON_THE_WAY,
    headline: 'journey.headline.in_transit',
  },
  {
    name: 'out for delivery',
    input: input('fulfilled', [parcel('out_for_delivery', 'out_for_delivery', { reached: ['scan', 'ofd'] })]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done out_for_delivery:current delivered:upcoming',
    headline: 'journey.headline.out_for_delivery',
  },
  {
    name: 'delivered',
    input: input('fulfilled', [parcel('delivered', 'delivered', { reached: ['scan', 'ofd', 'delivered'] })]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done out_for_delivery:done delivered:done',
    headline: 'journey.headline.delivered',
  },
  {
    name: 'delivered without an out-for-delivery scan',
    input: input('fulfilled', [parcel('delivered', 'delivered', { reached: ['scan', 'delivered'] })]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done out_for_delivery:done delivered:done',
    headline: 'journey.headline.delivered',
  },
  {
    name: 'ready for pickup',
    input: input('fulfilled', [
      parcel('available_for_pickup', 'in_parcel_locker', {
        reached: ['scan'],
        events: [event(T.pickup, 'available_for_pickup', 'in_parcel_locker')],
      }),
    ]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done ready_for_pickup:current picked_up:upcoming',
    headline: 'journey.headline.ready_for_pickup',
    problem: null,
  },
  {
    name: 'picked up from the pickup point',
    input: input('fulfilled', [parcel('delivered', 'collected_from_pickup_point', { reached: ['scan', 'delivered'] })]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done ready_for_pickup:done picked_up:done',
    headline: 'journey.headline.delivered',
  },
  {
    name: 'failed attempt, then taken to the post office (pickup branch from the events)',
    input: input('fulfilled', [
      parcel('delivered', 'delivered', {
        reached: ['scan', 'ofd', 'delivered'],
        events: [
          event(T.ofd, 'out_for_delivery', 'out_for_delivery'),
          event(T.attempt, 'attempt_failed', 'notice_left'),
          event(T.pickup, 'available_for_pickup', 'ready_at_post_office'),
          event(T.later, 'delivered', 'delivered'),
        ],
      }),
    ]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done ready_for_pickup:done picked_up:done',
    headline: 'journey.headline.delivered',
  },
  {
    name: 'failed attempt (nobody home)',
    input: input('fulfilled', [parcel('attempt_failed', 'recipient_unavailable', { reached: ['scan', 'ofd'] })]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done out_for_delivery:current! delivered:upcoming',
    headline: 'journey.status.attempt_failed',
    problem: 'journey.problem.recipient_unavailable',
  },
  {
    name: 'held in customs',
    input: input('fulfilled', [parcel('exception', 'customs_hold', { reached: ['scan'] })]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:current! out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.status.exception',
    problem: 'journey.problem.customs_hold',
  },
  {
    name: 'address problem on the van (action needed)',
    input: input('fulfilled', [parcel('exception', 'address_issue', { reached: ['scan', 'ofd'] })]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done out_for_delivery:current! delivered:upcoming',
    headline: 'journey.status.action_needed',
    problem: 'journey.problem.address_issue',
  },
  {
    name: 'exception with no wording of its own',
    input: input('fulfilled', [parcel('exception', 'exception_other', { reached: ['scan'] })]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:current! out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.status.exception',
    problem: 'journey.problem.exception',
  },
  {
    name: 'problem before the first scan',
    input: input('fulfilled', [parcel('exception', 'shipper_data_issue')]),
    orderBar:
      'ordered:done processing:done shipped:current! in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.status.exception',
    problem: 'journey.problem.shipper_data_issue',
  },
  {
    name: 'lost in transit',
    input: input('fulfilled', [parcel('failure', 'lost', { reached: ['scan'] })]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:current! out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.status.failure',
    problem: 'journey.problem.lost',
  },
  {
    name: 'destroyed (told as undeliverable)',
    input: input('fulfilled', [parcel('failure', 'destroyed_disposed', { reached: ['scan'] })]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:current! out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.status.failure',
    problem: 'journey.problem.failure',
  },
  {
    name: 'returning to sender from transit',
    input: input('fulfilled', [parcel('return_to_sender', 'returning', { reached: ['scan'] })]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done return_to_sender:current!',
    headline: 'journey.status.return_to_sender',
    problem: 'journey.problem.return_to_sender',
  },
  {
    name: 'returned after delivery',
    input: input('fulfilled', [parcel('return_to_sender', 'returned', { reached: ['scan', 'ofd', 'delivered'] })]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:done out_for_delivery:done delivered:done returned:done!',
    headline: 'journey.status.returned',
    problem: 'journey.problem.returned',
  },
  {
    name: 'no news for 30 days',
    input: input('fulfilled', [parcel('expired', 'no_updates_timeout', { reached: ['scan'] })]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:current! out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.in_transit',
    problem: 'journey.problem.expired',
  },
  {
    name: 'unmapped carrier news',
    input: input('fulfilled', [parcel('unknown', 'unmapped_carrier_status')]),
    orderBar:
      'ordered:done processing:done shipped:current in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.shipped',
    problem: null,
  },
  {
    name: 'label voided on a live order',
    input: input('processing', [parcel('cancelled', 'label_voided')]),
    orderBar:
      'ordered:done processing:current shipped:upcoming in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.processing',
    shipmentBars: ['ordered:done processing:done cancelled:done'],
  },
  {
    name: 'label voided and replaced',
    input: input('fulfilled', [
      parcel('cancelled', 'label_voided'),
      parcel('in_transit', 'in_transit', { reached: ['scan'] }),
    ]),
    orderBar: ON_THE_WAY,
    headline: 'journey.headline.in_transit',
    shipmentBars: ['ordered:done processing:done cancelled:done', ON_THE_WAY],
  },
  {
    name: 'split order, one delivered, one in transit',
    input: input('fulfilled', [
      parcel('delivered', 'delivered', { reached: ['scan', 'ofd', 'delivered'] }),
      parcel('in_transit', 'in_transit', { reached: ['scan'] }),
    ]),
    orderBar: ON_THE_WAY,
    headline: 'journey.headline.partially_delivered',
    shipmentBars: [
      'ordered:done processing:done shipped:done in_transit:done out_for_delivery:done delivered:done',
      ON_THE_WAY,
    ],
  },
  {
    name: 'split order, all delivered',
    input: input('fulfilled', [
      parcel('delivered', 'delivered', { reached: ['scan', 'ofd', 'delivered'] }),
      parcel('delivered', 'signed_for', { reached: ['scan', 'ofd', 'delivered'] }),
    ]),
    orderBar: 'ordered:done processing:done shipped:done in_transit:done out_for_delivery:done delivered:done',
    headline: 'journey.headline.delivered',
  },
  {
    name: 'split order, one parcel with a problem',
    input: input('fulfilled', [
      parcel('out_for_delivery', 'out_for_delivery', { reached: ['scan', 'ofd'] }),
      parcel('exception', 'customs_hold', { reached: ['scan'] }),
    ]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:current! out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.status.exception',
    problem: 'journey.problem.customs_hold',
  },
  {
    name: 'split order, two parcels with problems',
    input: input('fulfilled', [
      parcel('attempt_failed', 'attempted', { reached: ['scan', 'ofd'] }),
      parcel('exception', 'customs_hold', { reached: ['scan'] }),
    ]),
    orderBar:
      'ordered:done processing:done shipped:done in_transit:current! out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.action_needed',
    problem: 'journey.problem.several_parcels',
  },
  {
    name: 'partially fulfilled, first parcel moving',
    input: input('partially_fulfilled', [parcel('in_transit', 'in_transit', { reached: ['scan'] })]),
    orderBar:
      'ordered:done processing:done shipped:current in_transit:upcoming out_for_delivery:upcoming delivered:upcoming',
    headline: 'journey.headline.partially_shipped',
    shipmentBars: [ON_THE_WAY],
  },
  {
    name: 'cancelled order whose parcel already moves (follows the parcel)',
    input: input('cancelled', [parcel('in_transit', 'in_transit', { reached: ['scan'] })]),
    orderBar: ON_THE_WAY,
    headline: 'journey.headline.in_transit',
  },
];

describe('buildCustomerJourney', () => {
  it.each(cases)('should build the journey for $name', (c) => {
    const journey = buildCustomerJourney(c.input);

    expect(bar(journey.steps)).toBe(c.orderBar);
    expect(journey.headline.key).toBe(c.headline);
    if (c.shipmentBars !== undefined) expect(journey.shipments.map((s) => bar(s.steps))).toEqual(c.shipmentBars);
    if (c.problem !== undefined) {
      const flagged = journey.steps.find((s) => s.problem !== null);
      expect(flagged?.problem?.key ?? null).toBe(c.problem);
    }
  });

  it('should give one row per parcel, the order number and the placed time', () => {
    const journey = buildCustomerJourney(
      input('fulfilled', [
        parcel('in_transit', 'in_transit', { reached: ['scan'] }),
        parcel('info_received', 'label_created'),
      ]),
    );

    expect(journey.orderNumber).toBe('#1001');
    expect(journey.placedAt).toBe(PLACED);
    expect(journey.shipments).toHaveLength(2);
    expect(journey.shipments.map((s) => s.headline.key)).toEqual([
      'journey.status.in_transit',
      'journey.status.info_received',
    ]);
  });

  it('should fill the partially delivered headline with the parcel counts', () => {
    const journey = buildCustomerJourney(
      input('fulfilled', [
        parcel('delivered', 'delivered', { reached: ['scan', 'delivered'] }),
        parcel('in_transit', 'in_transit', { reached: ['scan'] }),
        parcel('cancelled', 'label_voided'),
        parcel('in_transit', 'in_transit', { reached: ['scan'] }),
      ]),
    );

    expect(journey.headline).toEqual({
      key: 'journey.headline.partially_delivered',
      text: '1 of 3 parcels delivered',
      params: { delivered: 1, total: 3 },
      tone: 'progress',
    });
  });

  it('should stamp each reached step with its time and leave upcoming steps without one', () => {
    const journey = buildCustomerJourney(
      input('fulfilled', [parcel('out_for_delivery', 'out_for_delivery', { reached: ['scan', 'ofd'] })]),
    );

    expect(journey.steps.map((s) => [s.key, s.at])).toEqual([
      ['ordered', PLACED],
      ['processing', null],
      ['shipped', T.shipped],
      ['in_transit', T.scan],
      ['out_for_delivery', T.ofd],
      ['delivered', null],
    ]);
  });

  it('should give the pickup step the time the parcel became ready', () => {
    const journey = buildCustomerJourney(
      input('fulfilled', [
        parcel('available_for_pickup', 'ready_at_pickup_point', {
          reached: ['scan'],
          events: [event(T.pickup, 'available_for_pickup', 'ready_at_pickup_point')],
        }),
      ]),
    );

    expect(journey.steps.find((s) => s.key === 'ready_for_pickup')).toMatchObject({
      labelKey: 'journey.step.ready_for_pickup',
      label: 'Ready for pickup',
      at: T.pickup,
    });
  });

  it('should list the carrier events newest first with the carrier words and a readable place', () => {
    const shipment = parcel('in_transit', 'departed_facility', {
      events: [
        { ...event(T.scan, 'in_transit', 'picked_up', 'Pickup Scan'), rawCode: 'OR' },
        { ...event(T.shipped, 'info_received', 'label_created', 'Shipper created a label'), rawCode: 'MP' },
        {
          ...event(T.hub, 'in_transit', 'departed_facility', 'Departed from Facility'),
          location: { city: 'Louisville', region: 'KY', postalCode: null, country: 'US' },
          rawCode: 'DP',
          occurredAtLocal: '2026-11-24T21:40:00',
        },
      ],
    });

    const [row] = buildCustomerJourney(input('fulfilled', [shipment])).shipments;

    expect(row?.events).toEqual([
      {
        at: T.hub,
        localTime: '2026-11-24T21:40:00',
        status: 'in_transit',
        statusKey: 'journey.status.in_transit',
        statusLabel: 'In transit',
        description: 'Departed from Facility',
        location: 'Louisville, KY, US',
        rawCode: 'DP',
      },
      {
        at: T.scan,
        localTime: null,
        status: 'in_transit',
        statusKey: 'journey.status.in_transit',
        statusLabel: 'In transit',
        description: 'Pickup Scan',
        location: null,
        rawCode: 'OR',
      },
      {
        at: T.shipped,
        localTime: null,
        status: 'info_received',
        statusKey: 'journey.status.info_received',
        statusLabel: 'Label created',
        description: 'Shipper created a label',
        location: null,
        rawCode: 'MP',
      },
    ]);
  });

  it.each<[string, Partial<JourneyShipmentInput>, ShippingStatus, Substatus, string | null]>([
    [
      'our prediction over the carrier',
      { predictedEdd: '2026-11-23', carrierEddLatest: '2026-11-22' },
      'in_transit',
      'in_transit',
      '2026-11-23',
    ],
    [
      'the carrier estimate when we have none',
      { predictedEdd: null, carrierEddLatest: '2026-11-22' },
      'in_transit',
      'in_transit',
      '2026-11-22',
    ],
    ['nothing once delivered', { predictedEdd: '2026-11-23' }, 'delivered', 'delivered', null],
    ['nothing once returning', { predictedEdd: '2026-11-23' }, 'return_to_sender', 'returning', null],
    ['nothing once expired', { predictedEdd: '2026-11-23' }, 'expired', 'no_updates_timeout', null],
    ['a date while delayed', { predictedEdd: '2026-11-25' }, 'exception', 'delayed', '2026-11-25'],
  ])('should show as estimated delivery %s', (_name, overrides, status, substatus, expected) => {
    const [row] = buildCustomerJourney(input('fulfilled', [parcel(status, substatus, overrides)])).shipments;

    expect(row?.estimatedDelivery).toBe(expected);
  });

  it('should carry the action-required flag of the parcel into its problem', () => {
    const [row] = buildCustomerJourney(
      input('fulfilled', [parcel('exception', 'customs_info_required', { reached: ['scan'] })]),
    ).shipments;

    expect(row?.actionRequired).toBe(true);
    expect(row?.problem).toEqual({
      key: 'journey.problem.customs_info_required',
      message: JOURNEY_TEXT['journey.problem.customs_info_required'],
      actionRequired: true,
    });
  });

  const pairs = SHIPPING_STATUSES.flatMap((status) =>
    SUBSTATUSES.filter((substatus) => isSubstatusAllowedUnder(substatus, status)).map(
      (substatus) => [status, substatus] as const,
    ),
  );

  it.each(pairs)('should give %s.%s a coherent bar in customer words', (status, substatus) => {
    const journey = buildCustomerJourney(input('fulfilled', [parcel(status, substatus, { reached: ['scan'] })]));
    const [row] = journey.shipments;
    const texts = [
      journey.headline.text,
      ...(row?.steps ?? []).map((s) => s.label),
      row?.headline.text ?? '',
      row?.problem?.message ?? '',
    ];

    expect(journey.steps.filter((s) => s.state === 'current').length).toBeLessThanOrEqual(1);
    expect(texts.every((t) => !t.includes('_') && !t.includes('{'))).toBe(true);
    for (const s of row?.steps ?? []) expect(JOURNEY_TEXT[s.labelKey]).toBe(s.label);
    const firstUpcoming = row?.steps.findIndex((s) => s.state === 'upcoming') ?? -1;
    if (firstUpcoming >= 0)
      expect(row?.steps.slice(firstUpcoming).every((s) => s.state === 'upcoming' && s.at === null)).toBe(true);
  });
});
