import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { isDomainError } from '../../../core/errors.js';
import type { FinancialStatus, OrderStatus } from '../../../core/order/order-status.js';
import type { PlatformShipment } from '../../../core/ports/platform.port.js';
import {
  MAGENTO_STATE_TO_ORDER_STATUS,
  isoToMagentoTime,
  magentoFinancialStatus,
  magentoOrderStatus,
  magentoShippingProgress,
  magentoTimeToIso,
  mapMagentoOrder,
  parseMagentoOrder,
  type MagentoOrderItem,
} from './magento.mapping.js';

type Json = Record<string, unknown>;

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Json;
}

/** The shipments of a `GET /V1/shipments` answer fixture. */
function shipmentsOf(name: string | null): unknown[] {
  return name ? (fixture(name).items as unknown[]) : [];
}

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const unshipped: MagentoOrderItem[] = [{ item_id: 1, qty_ordered: 2, qty_shipped: 0 }];
const halfShipped: MagentoOrderItem[] = [{ item_id: 1, qty_ordered: 2, qty_shipped: 1 }];
const allShipped: MagentoOrderItem[] = [{ item_id: 1, qty_ordered: 2, qty_shipped: 2 }];

describe('magentoOrderStatus (TAXONOMY §1, by state)', () => {
  it.each<[string, MagentoOrderItem[], OrderStatus]>([
    ['new', unshipped, 'pending'],
    ['pending_payment', unshipped, 'pending'],
    ['payment_review', unshipped, 'pending'],
    ['processing', unshipped, 'processing'],
    ['processing', halfShipped, 'partially_fulfilled'],
    // Shipped everything but not invoiced: Magento keeps `processing` until it is also invoiced.
    ['processing', allShipped, 'fulfilled'],
    ['holded', halfShipped, 'on_hold'],
    ['complete', allShipped, 'fulfilled'],
    // A virtual-only order completes with nothing to ship.
    ['complete', [], 'fulfilled'],
    ['canceled', unshipped, 'cancelled'],
    ['canceled', halfShipped, 'cancelled'],
    ['closed', allShipped, 'refunded'],
  ])('should map state %s (%j) to %s', (state, items, expected) => {
    const onUnknownStatus = vi.fn();
    expect(magentoOrderStatus(state, items, { onUnknownStatus })).toBe(expected);
    expect(onUnknownStatus).not.toHaveBeenCalled();
  });

  it('should cover every state Magento defines, and only those', () => {
    expect(Object.keys(MAGENTO_STATE_TO_ORDER_STATUS).sort()).toEqual(
      ['canceled', 'closed', 'complete', 'holded', 'new', 'payment_review', 'pending_payment', 'processing'].sort(),
    );
  });

  it('should map an unknown state to pending, the value that claims nothing, and report it', () => {
    const onUnknownStatus = vi.fn();
    expect(magentoOrderStatus('awaiting_pickup_confirmation', allShipped, { onUnknownStatus })).toBe('pending');
    expect(onUnknownStatus).toHaveBeenCalledWith('awaiting_pickup_confirmation');
  });

  it('should not mistake a status code for a state', () => {
    // `pending` is the default *status* of state `new`, never a state.
    const onUnknownStatus = vi.fn();
    expect(magentoOrderStatus('pending', unshipped, { onUnknownStatus })).toBe('pending');
    expect(onUnknownStatus).toHaveBeenCalledWith('pending');
  });

  it('should not be fooled by inherited object keys', () => {
    expect(magentoOrderStatus('constructor', unshipped)).toBe('pending');
    expect(magentoOrderStatus('toString', unshipped)).toBe('pending');
  });
});

describe('magentoShippingProgress', () => {
  it.each<[string, MagentoOrderItem[], string]>([
    ['nothing shipped', unshipped, 'none'],
    ['no items', [], 'none'],
    ['part of a line', halfShipped, 'some'],
    ['all of it', allShipped, 'all'],
    [
      'a configurable shipped as its parent, the child row untouched',
      [
        { item_id: 10, product_type: 'configurable', qty_ordered: 1, qty_shipped: 1 },
        { item_id: 11, parent_item_id: 10, qty_ordered: 1, qty_shipped: 0 },
      ],
      'all',
    ],
    [
      'a bundle shipped as its children, the parent row untouched',
      [
        { item_id: 20, product_type: 'bundle', qty_ordered: 1, qty_shipped: 0 },
        { item_id: 21, parent_item_id: 20, qty_ordered: 1, qty_shipped: 1 },
        { item_id: 22, parent_item_id: 20, qty_ordered: 2, qty_shipped: 2 },
      ],
      'all',
    ],
    [
      'a bundle with one child still to ship',
      [
        { item_id: 20, product_type: 'bundle', qty_ordered: 1, qty_shipped: 0 },
        { item_id: 21, parent_item_id: 20, qty_ordered: 1, qty_shipped: 1 },
        { item_id: 22, parent_item_id: 20, qty_ordered: 2, qty_shipped: 0 },
      ],
      'some',
    ],
    [
      'virtual items, which never ship',
      [
        { item_id: 1, qty_ordered: 1, qty_shipped: 1 },
        { item_id: 2, product_type: 'virtual', is_virtual: true, qty_ordered: 1, qty_shipped: 0 },
        { item_id: 3, product_type: 'downloadable', qty_ordered: 1, qty_shipped: 0 },
      ],
      'all',
    ],
    [
      'refunded or cancelled quantities, which will not ship',
      [
        { item_id: 1, qty_ordered: 3, qty_shipped: 1, qty_refunded: 1, qty_canceled: 1 },
        { item_id: 2, qty_ordered: 1, qty_shipped: 0, qty_canceled: 1 },
      ],
      'all',
    ],
  ])('should read %s', (_label, items, expected) => {
    expect(magentoShippingProgress(items)).toBe(expected);
  });
});

describe('magentoFinancialStatus', () => {
  const base = { entity_id: 1, increment_id: '1', created_at: '', updated_at: '' };
  it.each<[string, Json, FinancialStatus]>([
    ['nothing paid', { state: 'new', grand_total: 50 }, 'pending'],
    ['authorised', { state: 'processing', grand_total: 50, payment: { amount_authorized: 50 } }, 'authorized'],
    ['paid in full', { state: 'processing', grand_total: 50, total_paid: 50 }, 'paid'],
    ['paid to the cent', { state: 'processing', grand_total: 50.1, total_paid: 50.1 }, 'paid'],
    ['partly invoiced', { state: 'processing', grand_total: 50, total_paid: 20 }, 'partially_paid'],
    [
      'paid, from the payment when the total is absent',
      { state: 'processing', grand_total: 50, payment: { amount_paid: 50 } },
      'paid',
    ],
    ['refunded in full', { state: 'closed', grand_total: 50, total_paid: 50, total_refunded: 50 }, 'refunded'],
    [
      'refunded in part',
      { state: 'complete', grand_total: 50, total_paid: 50, total_refunded: 10 },
      'partially_refunded',
    ],
    ['closed with no refunded amount', { state: 'closed', grand_total: 0 }, 'refunded'],
    ['cancelled unpaid', { state: 'canceled', grand_total: 50, payment: { amount_authorized: 50 } }, 'voided'],
    ['cancelled after a partial invoice', { state: 'canceled', grand_total: 50, total_paid: 20 }, 'partially_paid'],
    ['a free order', { state: 'new', grand_total: 0 }, 'paid'],
    ['numeric strings', { state: 'processing', grand_total: '50.0000', total_paid: '50.0000' }, 'paid'],
  ])('should read %s', (_label, fields, expected) => {
    expect(magentoFinancialStatus(parseMagentoOrder({ ...base, ...fields }))).toBe(expected);
  });
});

type FixtureCase = {
  order: string;
  shipments: string | null;
  orderStatus: OrderStatus;
  financialStatus: FinancialStatus;
  platformStatus: Json;
  placedAt: string;
  platformUpdatedAt: string;
  cancelReason?: string | null;
  parcels: number;
  /** The state reported through onUnknownStatus, if any. */
  unknownState?: string;
};

describe('mapMagentoOrder on every fixture', () => {
  it.each<FixtureCase>([
    {
      order: 'order.rest.get.json',
      shipments: null,
      orderStatus: 'pending',
      financialStatus: 'pending',
      platformStatus: { state: 'new', status: 'pending' },
      placedAt: '2017-08-21T22:22:19.000Z',
      platformUpdatedAt: '2017-08-21T22:22:20.000Z',
      parcels: 0,
    },
    {
      order: 'own_order_pending_payment.json',
      shipments: null,
      orderStatus: 'pending',
      financialStatus: 'pending',
      platformStatus: { state: 'pending_payment', status: 'pending_payment' },
      placedAt: '2026-11-20T09:14:02.000Z',
      platformUpdatedAt: '2026-11-20T09:14:03.000Z',
      parcels: 0,
    },
    {
      order: 'own_order_payment_review_fraud.json',
      shipments: null,
      orderStatus: 'pending',
      financialStatus: 'authorized',
      platformStatus: { state: 'payment_review', status: 'fraud' },
      placedAt: '2026-11-20T10:02:44.000Z',
      platformUpdatedAt: '2026-11-20T10:03:10.000Z',
      parcels: 0,
    },
    {
      order: 'own_order_processing_invoiced.json',
      shipments: null,
      orderStatus: 'processing',
      financialStatus: 'paid',
      platformStatus: { state: 'processing', status: 'processing' },
      placedAt: '2026-11-21T14:30:00.000Z',
      platformUpdatedAt: '2026-11-21T14:31:12.000Z',
      parcels: 0,
    },
    {
      order: 'own_order_processing_partially_shipped.json',
      shipments: 'own_shipments_partially_shipped.json',
      orderStatus: 'partially_fulfilled',
      financialStatus: 'paid',
      platformStatus: { state: 'processing', status: 'processing' },
      placedAt: '2026-11-22T08:00:00.000Z',
      platformUpdatedAt: '2026-11-23T16:45:30.000Z',
      parcels: 1,
    },
    {
      order: 'own_order_processing_shipped_not_invoiced.json',
      shipments: 'own_shipments_shipped_not_invoiced.json',
      orderStatus: 'fulfilled',
      financialStatus: 'authorized',
      platformStatus: { state: 'processing', status: 'processing' },
      placedAt: '2026-11-22T11:11:11.000Z',
      platformUpdatedAt: '2026-11-24T07:05:00.000Z',
      parcels: 1,
    },
    {
      order: 'own_order_complete_multi_track.json',
      shipments: 'own_shipments_multi_track.json',
      orderStatus: 'fulfilled',
      financialStatus: 'paid',
      platformStatus: { state: 'complete', status: 'complete' },
      placedAt: '2026-11-18T19:20:21.000Z',
      platformUpdatedAt: '2026-11-19T12:00:05.000Z',
      parcels: 4,
    },
    {
      order: 'own_order_holded.json',
      shipments: null,
      orderStatus: 'on_hold',
      financialStatus: 'paid',
      platformStatus: {
        state: 'holded',
        status: 'holded',
        hold_before_state: 'processing',
        hold_before_status: 'processing',
      },
      placedAt: '2026-11-21T09:00:00.000Z',
      platformUpdatedAt: '2026-11-21T17:42:09.000Z',
      parcels: 0,
    },
    {
      order: 'own_order_canceled.json',
      shipments: null,
      orderStatus: 'cancelled',
      financialStatus: 'voided',
      platformStatus: { state: 'canceled', status: 'canceled' },
      placedAt: '2026-11-20T20:00:00.000Z',
      platformUpdatedAt: '2026-11-21T08:15:44.000Z',
      cancelReason: 'Cancelled at your request: wrong size ordered.',
      parcels: 0,
    },
    {
      order: 'own_order_canceled_after_partial_shipment.json',
      shipments: 'own_shipments_canceled_after_partial_shipment.json',
      orderStatus: 'cancelled',
      financialStatus: 'voided',
      platformStatus: { state: 'canceled', status: 'canceled' },
      placedAt: '2026-11-15T10:00:00.000Z',
      platformUpdatedAt: '2026-11-17T09:30:00.000Z',
      cancelReason: null,
      parcels: 1,
    },
    {
      order: 'own_order_closed_refunded_after_shipment.json',
      shipments: 'own_shipments_closed_refunded.json',
      orderStatus: 'refunded',
      financialStatus: 'refunded',
      platformStatus: { state: 'closed', status: 'closed' },
      placedAt: '2026-11-01T12:00:00.000Z',
      platformUpdatedAt: '2026-11-12T10:10:10.000Z',
      parcels: 1,
    },
    {
      order: 'own_order_complete_partially_refunded.json',
      shipments: null,
      orderStatus: 'fulfilled',
      financialStatus: 'partially_refunded',
      platformStatus: { state: 'complete', status: 'complete' },
      placedAt: '2026-11-03T08:00:00.000Z',
      platformUpdatedAt: '2026-11-10T13:00:00.000Z',
      parcels: 0,
    },
    {
      order: 'own_order_unknown_state.json',
      shipments: null,
      orderStatus: 'pending',
      financialStatus: 'paid',
      platformStatus: { state: 'awaiting_pickup_confirmation', status: 'ready_for_pickup' },
      placedAt: '2026-11-25T10:00:00.000Z',
      platformUpdatedAt: '2026-11-25T15:00:00.000Z',
      parcels: 0,
      unknownState: 'awaiting_pickup_confirmation',
    },
    {
      order: 'own_order_guest_virtual.json',
      shipments: null,
      orderStatus: 'fulfilled',
      financialStatus: 'paid',
      platformStatus: { state: 'complete', status: 'complete' },
      // 23:59:59 UTC stays on the 25th: no local time zone is applied.
      placedAt: '2026-11-25T23:59:59.000Z',
      platformUpdatedAt: '2026-11-26T00:00:01.000Z',
      parcels: 0,
    },
  ])('$order', (expected) => {
    const onUnknownStatus = vi.fn();
    const order = mapMagentoOrder(fixture(expected.order), shipmentsOf(expected.shipments), { onUnknownStatus });
    expect(order.orderStatus).toBe(expected.orderStatus);
    expect(order.financialStatus).toBe(expected.financialStatus);
    expect(order.platformStatus).toEqual(expected.platformStatus);
    expect(order.placedAt).toBe(expected.placedAt);
    expect(order.platformUpdatedAt).toBe(expected.platformUpdatedAt);
    expect(order.cancelReason).toBe(expected.cancelReason ?? null);
    expect(order.shipments).toHaveLength(expected.parcels);
    expect(order.promisedDeliveryDate).toBeNull();
    expect(order.shipments.every((parcel) => !parcel.cancelled)).toBe(true);
    expect(onUnknownStatus.mock.calls).toEqual(expected.unknownState ? [[expected.unknownState]] : []);
  });
});

describe('mapMagentoOrder details', () => {
  it('should map the Adobe tutorial order field by field', () => {
    expect(mapMagentoOrder(fixture('order.rest.get.json'))).toEqual({
      externalId: '3',
      number: '000000003',
      orderStatus: 'pending',
      financialStatus: 'pending',
      platformStatus: { state: 'new', status: 'pending' },
      cancelReason: null,
      customer: { email: 'jdoe@example.com', name: 'Jane Doe', phone: '512-555-1111', language: null },
      shippingAddress: { city: 'Purchase', region: 'NY', postalCode: '10577', country: 'US' },
      lineItems: [{ externalId: '3', sku: 'WS12-M-Orange', name: 'Radiant Tee-M-Orange', quantity: 1 }],
      promisedDeliveryDate: null,
      placedAt: '2017-08-21T22:22:19.000Z',
      platformUpdatedAt: '2017-08-21T22:22:20.000Z',
      shipments: [],
    });
  });

  it('should make one parcel per track, sharing the shipment id, with the carrier Magento names', () => {
    const order = mapMagentoOrder(
      fixture('own_order_complete_multi_track.json'),
      shipmentsOf('own_shipments_multi_track.json'),
    );
    const tent = [{ externalId: '213', quantity: 1 }];
    const mats = [{ externalId: '214', quantity: 2 }];
    const parcel = (overrides: Partial<PlatformShipment>): PlatformShipment => ({
      externalId: null,
      trackingNumber: '',
      carrierName: null,
      trackingUrl: null,
      service: null,
      items: [],
      shippedAt: null,
      platformShipmentStatus: null,
      cancelled: false,
      ...overrides,
    });
    expect(order.shipments).toEqual([
      // Built-in carrier: the code, not the title the merchant renamed.
      parcel({
        externalId: '303',
        trackingNumber: '1Z999AA10123456791',
        carrierName: 'ups',
        items: tent,
        shippedAt: '2026-11-19T11:58:40.000Z',
      }),
      parcel({
        externalId: '303',
        trackingNumber: '1Z999AA10123456808',
        carrierName: 'ups',
        items: tent,
        shippedAt: '2026-11-19T11:58:41.000Z',
      }),
      // Custom carrier: the title is the name.
      parcel({
        externalId: '304',
        trackingNumber: 'JD014600006281230101',
        carrierName: 'Royal Mail Tracked 48',
        items: mats,
        shippedAt: '2026-11-19T12:00:04.000Z',
      }),
      // Custom carrier without a title: no name at all (Waymark detects it from the number).
      parcel({
        externalId: '304',
        trackingNumber: 'YT2612345678901234',
        carrierName: null,
        items: mats,
        shippedAt: '2026-11-19T12:00:04.000Z',
      }),
    ]);
  });

  it('should leave out shipment rows with nothing in them (a bundle parent at qty 0)', () => {
    const order = mapMagentoOrder(
      fixture('own_order_processing_shipped_not_invoiced.json'),
      shipmentsOf('own_shipments_shipped_not_invoiced.json'),
    );
    expect(order.shipments[0]?.items).toEqual([
      { externalId: '207', quantity: 1 },
      { externalId: '210', quantity: 1 },
      { externalId: '211', quantity: 2 },
    ]);
    expect(order.shipments[0]?.carrierName).toBe('ups');
  });

  it('should list top-level lines only (a configurable appears as parent and child)', () => {
    const order = mapMagentoOrder(fixture('own_order_processing_partially_shipped.json'));
    expect(order.lineItems).toEqual([
      { externalId: '204', sku: 'WB-HOODIE-M-GREEN', name: 'Fleece Hoodie', quantity: 1 },
      { externalId: '206', sku: 'WB-SOCKS-3PK', name: 'Socks (3 pack)', quantity: 2 },
    ]);
  });

  it('should keep the shipments of a cancelled or refunded order as they are', () => {
    const cancelled = mapMagentoOrder(
      fixture('own_order_canceled_after_partial_shipment.json'),
      shipmentsOf('own_shipments_canceled_after_partial_shipment.json'),
    );
    expect(cancelled.shipments).toEqual([
      expect.objectContaining({
        externalId: '305',
        trackingNumber: '1234567890',
        carrierName: 'dhl',
        cancelled: false,
      }),
    ]);
    const refunded = mapMagentoOrder(
      fixture('own_order_closed_refunded_after_shipment.json'),
      shipmentsOf('own_shipments_closed_refunded.json'),
    );
    expect(refunded.shipments).toEqual([
      expect.objectContaining({ externalId: '306', trackingNumber: '794644790138', carrierName: 'fedex' }),
    ]);
  });

  it('should take a guest’s name from the billing address and leave a virtual order without an address', () => {
    const order = mapMagentoOrder(fixture('own_order_guest_virtual.json'));
    expect(order.number).toBe('2000000113');
    expect(order.customer).toEqual({
      email: 'noah.reyes@example.net',
      name: 'Noah Reyes',
      phone: '+353 21 000 0000',
      language: null,
    });
    expect(order.shippingAddress).toEqual({ city: null, region: null, postalCode: null, country: null });
  });

  it('should normalise the country to ISO-2 upper case, and drop what is not one', () => {
    const order = fixture('order.rest.get.json');
    const withCountry = (country: unknown) => {
      const copy = structuredClone(order) as {
        extension_attributes: { shipping_assignments: { shipping: { address: Json } }[] };
      };
      copy.extension_attributes.shipping_assignments[0]!.shipping.address.country_id = country;
      return mapMagentoOrder(copy).shippingAddress.country;
    };
    expect(withCountry('gb')).toBe('GB');
    expect(withCountry(' de ')).toBe('DE');
    expect(withCountry('GBR')).toBeNull();
    expect(withCountry('')).toBeNull();
  });

  it('should ignore shipments of other orders', () => {
    const order = mapMagentoOrder(
      fixture('own_order_processing_invoiced.json'),
      shipmentsOf('own_shipments_multi_track.json'),
    );
    expect(order.shipments).toEqual([]);
  });

  it('should skip blank tracking numbers and collapse a number entered twice on one shipment', () => {
    const [shipment] = shipmentsOf('own_shipments_partially_shipped.json') as Json[];
    const tracks = [
      { track_number: '  ', carrier_code: 'ups' },
      { track_number: null, carrier_code: 'ups' },
      { track_number: '9400111899223197428490', carrier_code: 'usps', title: 'USPS' },
      { track_number: '9400111899223197428490 ', carrier_code: 'usps', title: 'USPS' },
    ];
    const order = mapMagentoOrder(fixture('own_order_processing_partially_shipped.json'), [{ ...shipment, tracks }]);
    expect(order.shipments.map((parcel) => parcel.trackingNumber)).toEqual(['9400111899223197428490']);
  });

  it('should accept ids and quantities as numeric strings', () => {
    const order = fixture('own_order_processing_invoiced.json');
    const order2 = mapMagentoOrder({
      ...order,
      entity_id: '103',
      items: [{ item_id: '203', sku: 'X', name: 'X', qty_ordered: '3.0000', qty_shipped: '0.0000' }],
    });
    expect(order2.externalId).toBe('103');
    expect(order2.lineItems).toEqual([{ externalId: '203', sku: 'X', name: 'X', quantity: 3 }]);
  });

  it.each<[string, (order: Json) => void, RegExp]>([
    ['no state', (order) => delete order.state, /field state/],
    ['no entity_id', (order) => delete order.entity_id, /field entity_id/],
    [
      'a word for a quantity',
      (order) => ((order.items as Json[])[0]!.qty_ordered = 'three'),
      /field items\.0\.qty_ordered/,
    ],
    ['items that are not a list', (order) => (order.items = 'none'), /field items/],
    ['a date without a time', (order) => (order.updated_at = '2026-11-26'), /updated_at "2026-11-26"/],
  ])('should refuse an order with %s, naming the field', (_label, damage, message) => {
    const order = structuredClone(fixture('own_order_processing_invoiced.json'));
    damage(order);
    const error = thrown(() => mapMagentoOrder(order));
    expect(isDomainError(error) && error.code).toBe('invalid_input');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('should refuse something that is not an order at all', () => {
    for (const value of [null, 'order', 42, []]) {
      const error = thrown(() => mapMagentoOrder(value));
      expect(isDomainError(error) && error.code).toBe('invalid_input');
    }
  });
});

describe('magentoTimeToIso / isoToMagentoTime', () => {
  it.each([
    ['2026-11-26 10:00:00', '2026-11-26T10:00:00.000Z'],
    ['2026-11-26T10:00:00', '2026-11-26T10:00:00.000Z'],
    ['2026-11-26 10:00:00.123456', '2026-11-26T10:00:00.123Z'],
    ['2026-11-26T10:00:00Z', '2026-11-26T10:00:00.000Z'],
    ['2026-11-26T11:00:00+01:00', '2026-11-26T10:00:00.000Z'],
    ['2026-11-26T05:00:00-0500', '2026-11-26T10:00:00.000Z'],
    ['2024-02-29 23:59:59', '2024-02-29T23:59:59.000Z'],
  ])('should read %s as %s (zone-less means UTC)', (value, expected) => {
    expect(magentoTimeToIso(value, 'updated_at')).toBe(expected);
  });

  it.each(['0000-00-00 00:00:00', '2026-02-30 10:00:00', '2026-11-26 24:00:00', '26/11/2026 10:00', '', 'now'])(
    'should refuse %j',
    (value) => {
      const error = thrown(() => magentoTimeToIso(value, 'created_at'));
      expect(isDomainError(error) && error.code).toBe('invalid_input');
      expect((error as Error).message).toContain('created_at');
    },
  );

  it('should write filter values in UTC, to the second, rounded down', () => {
    expect(isoToMagentoTime('2026-11-26T10:00:00.999Z')).toBe('2026-11-26 10:00:00');
    expect(isoToMagentoTime('2026-11-26T12:30:00+02:00')).toBe('2026-11-26 10:30:00');
    expect(() => isoToMagentoTime('yesterday')).toThrow(/ISO-8601/);
  });
});
