import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../core/errors.js';
import type { FinancialStatus, OrderStatus } from '../../../core/order/order-status.js';
import { ORDER_STATUSES } from '../../../core/order/order-status.js';
import type { PlatformOrder } from '../../../core/ports/platform.port.js';
import {
  BIGCOMMERCE_ORDER_STATUSES,
  BIGCOMMERCE_PAYMENT_STATUSES,
  DELETED_ON_PLATFORM_KEY,
  mapBigCommerceFinancialStatus,
  mapBigCommerceOrder,
  mapBigCommerceOrderStatus,
  parseBigCommerceDateMs,
  parseBigCommerceOrder,
  splitTrackingNumbers,
} from './bigcommerce.mapping.js';
import type { BigCommerceMappingOptions } from './bigcommerce.mapping.js';

type Scenario = {
  order: Record<string, unknown>;
  products: unknown[] | null;
  shipping_addresses: unknown[] | null;
  shipments: unknown[] | null;
};

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;
}

function mapScenario(name: string, options: BigCommerceMappingOptions = {}): PlatformOrder {
  const scenario = fixture<Scenario>(name);
  return mapBigCommerceOrder(
    {
      order: scenario.order,
      products: scenario.products,
      shippingAddresses: scenario.shipping_addresses,
      shipments: scenario.shipments,
    },
    options,
  );
}

/** An order of the awaiting-fulfilment scenario with some fields replaced. */
function orderWith(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...fixture<Scenario>('own_awaiting_fulfillment.json').order, ...overrides };
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('status_id → order status (TAXONOMY §1)', () => {
  // Every system status, with nothing shipped unless the status itself says so.
  it.each<[number, string, OrderStatus]>([
    [1, 'Pending', 'pending'],
    [7, 'Awaiting Payment', 'pending'],
    [11, 'Awaiting Fulfillment', 'processing'],
    [9, 'Awaiting Shipment', 'processing'],
    [8, 'Awaiting Pickup', 'processing'],
    [12, 'Manual Verification Required', 'on_hold'],
    [13, 'Disputed', 'on_hold'],
    [3, 'Partially Shipped', 'partially_fulfilled'],
    [2, 'Shipped', 'fulfilled'],
    [10, 'Completed', 'fulfilled'],
    [5, 'Cancelled', 'cancelled'],
    [6, 'Declined', 'cancelled'],
    [4, 'Refunded', 'refunded'],
    [14, 'Partially Refunded', 'processing'],
  ])('status_id %i (%s) → %s', (statusId, name, expected) => {
    expect(BIGCOMMERCE_ORDER_STATUSES[statusId]?.name).toBe(name);
    const order = parseBigCommerceOrder(orderWith({ status_id: statusId, status: name }));
    expect(mapBigCommerceOrderStatus(order)).toBe(expected);
  });

  it('covers every system status of GET /v2/order_statuses, 0 to 14, and nothing else', () => {
    expect(Object.keys(BIGCOMMERCE_ORDER_STATUSES).map(Number)).toEqual([...Array(15).keys()]);
    for (const { rule } of Object.values(BIGCOMMERCE_ORDER_STATUSES)) {
      expect([...ORDER_STATUSES, 'by_fulfilment', 'not_imported']).toContain(rule);
    }
  });

  it('refuses status_id 0 (Incomplete): incomplete checkouts are not imported', () => {
    const error = thrown(() => mapBigCommerceOrder({ order: orderWith({ status_id: 0, status: 'Incomplete' }) }));
    expect(isDomainError(error) && error.code).toBe('invalid_input');
    expect(error.message).toMatch(/status_id 0 \(Incomplete\)/);
  });

  it.each<[string, Record<string, unknown>, OrderStatus]>([
    ['nothing shipped', { items_total: 3, items_shipped: 0 }, 'processing'],
    ['some shipped', { items_total: 3, items_shipped: 1 }, 'partially_fulfilled'],
    ['all shipped', { items_total: 3, items_shipped: 3 }, 'fulfilled'],
    ['a digital order', { items_total: 1, items_shipped: 0, order_is_digital: true }, 'fulfilled'],
  ])('status_id 14 (Partially Refunded) follows the fulfilment: %s → %s', (_label, fields, expected) => {
    const order = parseBigCommerceOrder(orderWith({ status_id: 14, ...fields }));
    expect(mapBigCommerceOrderStatus(order)).toBe(expected);
    expect(mapBigCommerceFinancialStatus(order)).toBe('partially_refunded');
  });

  it.each<[string, Record<string, unknown>, OrderStatus]>([
    ['nothing shipped → pending, the status that claims least', { items_shipped: 0 }, 'pending'],
    ['some shipped → partially_fulfilled', { items_total: 3, items_shipped: 2 }, 'partially_fulfilled'],
    ['all shipped → fulfilled', { items_total: 3, items_shipped: 3 }, 'fulfilled'],
  ])('an unknown status_id follows the fulfilment: %s', (_label, fields, expected) => {
    const unknown: string[] = [];
    const order = parseBigCommerceOrder(orderWith({ status_id: 15, status: 'Awaiting Courier', ...fields }));
    expect(mapBigCommerceOrderStatus(order, { onUnknownStatus: (value) => unknown.push(value) })).toBe(expected);
    expect(unknown).toEqual(['status_id=15']);
  });

  it('maps each order of a list page with one order per system status', () => {
    const rows = fixture<Record<string, unknown>[]>('own_orders_each_status.v2.list.json');
    const mapped = rows
      .filter((row) => row.status_id !== 0)
      .map((row) => {
        const order = mapBigCommerceOrder({ order: row });
        return [row.status_id, order.orderStatus, order.financialStatus];
      });
    expect(mapped).toEqual([
      [1, 'pending', null],
      [2, 'fulfilled', 'paid'],
      [3, 'partially_fulfilled', 'paid'],
      [4, 'refunded', 'refunded'],
      [5, 'cancelled', 'voided'],
      [6, 'cancelled', 'voided'],
      [7, 'pending', 'pending'],
      [8, 'processing', 'paid'],
      [9, 'processing', 'paid'],
      [10, 'fulfilled', 'paid'],
      [11, 'processing', 'paid'],
      [12, 'on_hold', 'pending'],
      [13, 'on_hold', 'paid'],
      [14, 'processing', 'partially_refunded'],
    ]);
    expect(rows.filter((row) => row.status_id === 0)).toHaveLength(1);
  });
});

describe('payment_status → financial status', () => {
  it.each<[string, FinancialStatus | null]>([
    ['', null],
    ['pending', 'pending'],
    ['held for review', 'pending'],
    ['authorized', 'authorized'],
    ['capture pending', 'authorized'],
    ['captured', 'paid'],
    ['paid', 'paid'],
    ['partially refunded', 'partially_refunded'],
    ['refunded', 'refunded'],
    ['void', 'voided'],
    ['void pending', 'voided'],
    ['declined', 'voided'],
  ])('"%s" → %s', (paymentStatus, expected) => {
    expect(BIGCOMMERCE_PAYMENT_STATUSES).toHaveProperty([paymentStatus]);
    const order = parseBigCommerceOrder(orderWith({ status_id: 11, payment_status: paymentStatus }));
    expect(mapBigCommerceFinancialStatus(order)).toBe(expected);
  });

  it('reads the value case-insensitively, as gateways write it', () => {
    const order = parseBigCommerceOrder(orderWith({ payment_status: 'Captured' }));
    expect(mapBigCommerceFinancialStatus(order)).toBe('paid');
  });

  it('lets status 4 (Refunded) win over a gateway that has not caught up', () => {
    const order = parseBigCommerceOrder(orderWith({ status_id: 4, payment_status: 'captured' }));
    expect(mapBigCommerceFinancialStatus(order)).toBe('refunded');
  });

  it('reports an unknown payment_status and leaves the financial status unknown', () => {
    const unknown: string[] = [];
    const order = parseBigCommerceOrder(orderWith({ payment_status: 'pending settlement' }));
    expect(mapBigCommerceFinancialStatus(order, { onUnknownStatus: (value) => unknown.push(value) })).toBeNull();
    expect(unknown).toEqual(['payment_status=pending settlement']);
  });
});

describe('fixtures', () => {
  it('awaiting fulfilment: customer, address, line items, times, no shipments', () => {
    expect(mapScenario('own_awaiting_fulfillment.json')).toEqual({
      externalId: '3101',
      number: '3101',
      orderStatus: 'processing',
      financialStatus: 'paid',
      platformStatus: {
        status_id: 11,
        status: 'Awaiting Fulfillment',
        custom_status: 'Awaiting Fulfillment',
        payment_status: 'captured',
        items_total: 3,
        items_shipped: 0,
        date_shipped: '',
        refunded_amount: '0.0000',
        is_deleted: false,
      },
      cancelReason: null,
      customer: {
        email: 'mara.lindqvist@example.org',
        name: 'Mara Lindqvist',
        phone: '503-555-0147',
        language: 'en-US',
      },
      shippingAddress: { city: 'Portland', region: 'Oregon', postalCode: '97214', country: 'US' },
      lineItems: [
        { externalId: '701', sku: 'TOTE-WAX-OLV', name: 'Waxed Canvas Tote', quantity: 2 },
        { externalId: '702', sku: 'KEY-BRS', name: 'Brass Key Ring', quantity: 1 },
      ],
      promisedDeliveryDate: null,
      placedAt: '2024-10-07T14:03:27.000Z',
      platformUpdatedAt: '2024-10-08T09:41:05.000Z',
      shipments: [],
    });
  });

  it('partial fulfilment: one shipment with the items it carried', () => {
    const order = mapScenario('own_partially_shipped.json');
    expect(order.orderStatus).toBe('partially_fulfilled');
    expect(order.financialStatus).toBe('paid');
    expect(order.platformUpdatedAt).toBe('2024-10-09T16:20:44.000Z');
    expect(order.shipments).toEqual([
      {
        externalId: '81',
        trackingNumber: '1Z4W81E60393517740',
        carrierName: 'UPS',
        trackingUrl: 'https://www.ups.com/track?tracknum=1Z4W81E60393517740',
        service: 'UPS Ground',
        items: [{ externalId: '711', quantity: 2 }],
        shippedAt: '2024-10-09T16:20:41.000Z',
        platformShipmentStatus: null,
        cancelled: false,
      },
    ]);
  });

  it('several tracking numbers in one shipment become parcels sharing its id; tracking_carrier names DHL', () => {
    const order = mapScenario('own_shipped_several_tracking_numbers.json');
    expect(order.orderStatus).toBe('fulfilled');
    expect(order.platformStatus.date_shipped).toBe('Thu, 10 Oct 2024 11:02:19 +0000');
    expect(
      order.shipments.map(({ externalId, trackingNumber, carrierName, trackingUrl, service, items }) => ({
        externalId,
        trackingNumber,
        carrierName,
        trackingUrl,
        service,
        items,
      })),
    ).toEqual([
      {
        externalId: '82',
        trackingNumber: '1Z4W81E60393517751',
        carrierName: 'UPS',
        trackingUrl: 'https://www.ups.com/track?tracknum=1Z4W81E60393517751',
        service: 'UPS Ground',
        items: [{ externalId: '721', quantity: 2 }],
      },
      {
        externalId: '82',
        trackingNumber: '1Z4W81E60393517762',
        carrierName: 'UPS',
        trackingUrl: 'https://www.ups.com/track?tracknum=1Z4W81E60393517751',
        service: 'UPS Ground',
        items: [{ externalId: '721', quantity: 2 }],
      },
      {
        externalId: '83',
        trackingNumber: '4719305526',
        carrierName: 'dhl',
        trackingUrl: 'https://track.example.net/dhl/4719305526',
        service: 'DHL Express Worldwide',
        items: [{ externalId: '722', quantity: 1 }],
      },
    ]);
  });

  it('cancelled after a shipment: the order is cancelled, the parcel stays tracked', () => {
    const order = mapScenario('own_cancelled_after_shipment.json');
    expect(order.orderStatus).toBe('cancelled');
    expect(order.financialStatus).toBe('voided');
    expect(order.cancelReason).toBeNull();
    expect(order.shipments).toEqual([
      {
        externalId: '84',
        trackingNumber: '9400111202555842761093',
        carrierName: 'USPS',
        trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111202555842761093',
        // "None" is BigCommerce's placeholder, not a service.
        service: null,
        items: [{ externalId: '732', quantity: 1 }],
        shippedAt: '2024-10-10T17:45:12.000Z',
        platformShipmentStatus: null,
        cancelled: false,
      },
    ]);
  });

  it('declined orders carry "declined" as their cancel reason', () => {
    const order = mapBigCommerceOrder({ order: orderWith({ status_id: 6, payment_status: 'declined' }) });
    expect(order).toMatchObject({ orderStatus: 'cancelled', cancelReason: 'declined', financialStatus: 'voided' });
  });

  it('refunded in full', () => {
    const order = mapScenario('own_refunded.json');
    expect(order).toMatchObject({ orderStatus: 'refunded', financialStatus: 'refunded', shipments: [] });
    expect(order.platformStatus.refunded_amount).toBe('64.5000');
  });

  it('partially refunded after one item shipped, with dates in UTC+10 converted to UTC', () => {
    const order = mapScenario('own_partially_refunded.json');
    expect(order).toMatchObject({
      orderStatus: 'partially_fulfilled',
      financialStatus: 'partially_refunded',
      placedAt: '2024-10-11T23:15:00.000Z',
      platformUpdatedAt: '2024-10-13T21:05:30.000Z',
      customer: { email: 't.wrona@example.net', name: 'Tomasz Wrona', phone: null, language: 'en-AU' },
      shippingAddress: { city: 'Brisbane', region: 'Queensland', postalCode: '4000', country: 'AU' },
    });
    expect(order.shipments).toMatchObject([
      {
        externalId: '85',
        trackingNumber: '33QAB0012345',
        carrierName: 'Australia Post',
        trackingUrl: null,
        shippedAt: '2024-10-13T05:00:00.000Z',
      },
    ]);
  });

  it('archived: marked deleted on the platform, billing address when there is no shipping address', () => {
    const order = mapScenario('own_archived.json');
    expect(order.orderStatus).toBe('fulfilled');
    expect(order.platformStatus).toMatchObject({ is_deleted: true, [DELETED_ON_PLATFORM_KEY]: true });
    expect(order.shippingAddress).toEqual({ city: 'Portland', region: 'Oregon', postalCode: '97214', country: 'US' });
    expect(order.lineItems).toEqual([{ externalId: '751', sku: 'GUIDE-PDF', name: 'Field Guide (PDF)', quantity: 1 }]);
    expect(DELETED_ON_PLATFORM_KEY).toBe('waymarkDeletedOnPlatform');
  });

  it('a live order carries no deletion mark', () => {
    expect(mapScenario('own_awaiting_fulfillment.json').platformStatus).not.toHaveProperty(DELETED_ON_PLATFORM_KEY);
  });

  it('missing carrier name → null; a shipment without a tracking number is not a parcel', () => {
    const order = mapScenario('own_missing_carrier.json');
    expect(order.shipments).toEqual([
      {
        externalId: '86',
        trackingNumber: 'LX204417793NL',
        carrierName: null,
        trackingUrl: null,
        service: null,
        items: [{ externalId: '761', quantity: 2 }],
        shippedAt: '2024-10-16T13:10:00.000Z',
        platformShipmentStatus: null,
        cancelled: false,
      },
    ]);
  });

  it('unknown status and payment values: safe status, raw kept, both reported', () => {
    const unknown: string[] = [];
    const order = mapScenario('own_unknown_status.json', { onUnknownStatus: (value) => unknown.push(value) });
    expect(order.orderStatus).toBe('pending');
    expect(order.financialStatus).toBeNull();
    expect(order.platformStatus).toMatchObject({
      status_id: 15,
      status: 'Awaiting Courier',
      custom_status: 'Awaiting Courier',
      payment_status: 'pending settlement',
    });
    expect(unknown).toEqual(['status_id=15', 'payment_status=pending settlement']);
  });

  it('keeps the merchant label next to the system status', () => {
    const order = mapBigCommerceOrder({ order: orderWith({ status_id: 11, custom_status: 'Being packed' }) });
    expect(order.platformStatus).toMatchObject({
      status_id: 11,
      status: 'Awaiting Fulfillment',
      custom_status: 'Being packed',
    });
  });
});

describe('shipments and line items', () => {
  it.each<[string, string[]]>([
    ['1Z4W81E60393517751', ['1Z4W81E60393517751']],
    ['1Z4W81E60393517751, 1Z4W81E60393517762', ['1Z4W81E60393517751', '1Z4W81E60393517762']],
    ['A1;B2\nC3', ['A1', 'B2', 'C3']],
    ['9400 1112 0255 5842 7610 93', ['9400 1112 0255 5842 7610 93']],
    ['A1, A1', ['A1']],
    ['  ', []],
    [' , ', []],
  ])('splitTrackingNumbers(%j)', (value, expected) => {
    expect(splitTrackingNumbers(value)).toEqual(expected);
  });

  it('prefers tracking_carrier, then the provider display name, then the provider code', () => {
    const shipment = {
      id: 1,
      tracking_number: 'X1',
      shipping_provider: 'carrier_12',
      shipping_provider_display_name: 'ShipperHQ',
      tracking_carrier: '',
    };
    const carriers = [
      { ...shipment, tracking_carrier: 'royal-mail' },
      shipment,
      { ...shipment, shipping_provider_display_name: '' },
    ].map(
      (entry) =>
        mapBigCommerceOrder({ order: orderWith({ items_shipped: 1 }), shipments: [entry] }).shipments[0]?.carrierName,
    );
    expect(carriers).toEqual(['royal-mail', 'ShipperHQ', 'carrier_12']);
  });

  it('names a product without a name by its id rather than failing', () => {
    const order = mapBigCommerceOrder({
      order: orderWith({}),
      products: [{ id: 9, name: '', name_customer: null, sku: '', quantity: 1 }],
    });
    expect(order.lineItems).toEqual([{ externalId: '9', sku: null, name: 'Product 9', quantity: 1 }]);
  });
});

describe('dates', () => {
  it.each<[string, string | null]>([
    ['Tue, 05 Mar 2019 21:40:11 +0000', '2019-03-05T21:40:11.000Z'],
    ['Tue, 5 Mar 2019 21:40:11 -0500', '2019-03-06T02:40:11.000Z'],
    ['05 Mar 2019 21:40:11 GMT', '2019-03-05T21:40:11.000Z'],
    ['Sun, 31 Dec 2023 23:30:00 -0100', '2024-01-01T00:30:00.000Z'],
    ['2017-04-20T11:32:00.000-04:00', '2017-04-20T15:32:00.000Z'],
    ['2017-04-20T11:32:00Z', '2017-04-20T11:32:00.000Z'],
    // v2 documents its dates as UTC: a zone-less ISO time is read as UTC.
    ['2017-04-20 11:32:00', '2017-04-20T11:32:00.000Z'],
    ['Fri, 30 Feb 2024 10:00:00 +0000', null],
    ['Tue, 05 Foo 2019 21:40:11 +0000', null],
    ['', null],
    ['1', null],
    ['yesterday', null],
  ])('%j → %s', (value, expected) => {
    const ms = parseBigCommerceDateMs(value);
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(expected);
  });

  it('names the field of a date it cannot read', () => {
    const error = thrown(() => mapBigCommerceOrder({ order: orderWith({ date_modified: 'soon' }) }));
    expect(isDomainError(error) && error.code).toBe('invalid_input');
    expect(error.message).toBe('BigCommerce order.date_modified is not a date: "soon"');
  });

  it('names the shipment of a date it cannot read', () => {
    const error = thrown(() =>
      mapBigCommerceOrder({
        order: orderWith({}),
        shipments: [{ id: 3, tracking_number: 'X', date_created: 'later' }],
      }),
    );
    expect(error.message).toMatch(/shipments\.0\.date_created/);
  });
});

describe('wrong shapes', () => {
  it.each<[string, unknown, RegExp]>([
    ['an order that is not an object', 'order', /BigCommerce order has an unexpected shape/],
    ['a missing status_id', orderWith({ status_id: undefined }), /order\.status_id/],
    ['a status_id as text', orderWith({ status_id: '11' }), /order\.status_id/],
    ['a missing id', orderWith({ id: undefined }), /order\.id/],
    ['an address that is a string', orderWith({ billing_address: 'Portland' }), /order\.billing_address/],
  ])('%s → invalid_input naming the field', (_label, order, message) => {
    const error = thrown(() => mapBigCommerceOrder({ order }));
    expect(isDomainError(error) && error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
  });

  it('names the sub-resource and the element', () => {
    const error = thrown(() =>
      mapBigCommerceOrder({ order: orderWith({}), shipments: [{ id: 1, items: [{ order_product_id: 'x' }] }] }),
    );
    expect(error.message).toMatch(/^BigCommerce shipments\.0\.items\.0\.order_product_id/);
    expect(thrown(() => mapBigCommerceOrder({ order: orderWith({}), products: {} })).message).toMatch(
      /BigCommerce products has an unexpected shape/,
    );
  });
});
