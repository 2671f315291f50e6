import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { isDomainError } from '../../../core/errors.js';
import type { PlatformShipment } from '../../../core/ports/platform.port.js';
import {
  decodeHtmlEntities,
  deriveWooCommerceFinancialStatus,
  mapWooCommerceOrder,
  mapWooCommerceStatus,
  WOOCOMMERCE_CORE_STATUS_MAP,
  WOOCOMMERCE_PLUGIN_STATUS_MAP,
  wooCommerceGmtToIso,
} from './woocommerce.mapping.js';

type RawOrder = Record<string, unknown> & { meta_data: { id?: number; key: string; value: unknown }[] };

function fixture(name: string): RawOrder {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as RawOrder;
}

/** The documentation's order 727, with changes. */
function order727(changes: Record<string, unknown> = {}): RawOrder {
  return { ...fixture('order.v3.get.json'), ...changes };
}

function withTracking(base: RawOrder, value: unknown, extraMeta: RawOrder['meta_data'] = []): RawOrder {
  return { ...base, meta_data: [{ id: 1, key: '_wc_shipment_tracking_items', value }, ...extraMeta] };
}

function invalidInput(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (isDomainError(error) && error.code === 'invalid_input') return error.message;
    throw error;
  }
  throw new Error('expected DomainError invalid_input');
}

function parcel(overrides: Partial<PlatformShipment> & Pick<PlatformShipment, 'trackingNumber'>): PlatformShipment {
  return {
    externalId: null,
    carrierName: null,
    trackingUrl: null,
    service: null,
    items: [],
    shippedAt: null,
    platformShipmentStatus: null,
    cancelled: false,
    ...overrides,
  };
}

describe('WooCommerce order status (TAXONOMY §1)', () => {
  it.each([
    ['pending', 'pending'],
    ['checkout-draft', 'pending'],
    ['processing', 'processing'],
    ['on-hold', 'on_hold'],
    ['completed', 'fulfilled'],
    ['cancelled', 'cancelled'],
    ['failed', 'cancelled'],
    ['refunded', 'refunded'],
    // Core slugs beyond the taxonomy table (research §4.2).
    ['draft', 'pending'],
    ['auto-draft', 'pending'],
    ['new', 'pending'],
    ['trash', 'on_hold'],
  ] as const)('should map core status %s to %s, keeping the raw slug', (status, unified) => {
    const onUnknownStatus = vi.fn();
    const order = mapWooCommerceOrder(order727({ status }), { onUnknownStatus });
    expect(order.orderStatus).toBe(unified);
    expect(order.platformStatus.status).toBe(status);
    expect(onUnknownStatus).not.toHaveBeenCalled();
  });

  it('should cover every core slug of the table in the test above', () => {
    expect(Object.keys(WOOCOMMERCE_CORE_STATUS_MAP).sort()).toEqual(
      [
        'auto-draft',
        'cancelled',
        'checkout-draft',
        'completed',
        'draft',
        'failed',
        'new',
        'on-hold',
        'pending',
        'processing',
        'refunded',
        'trash',
      ].sort(),
    );
  });

  it.each(Object.entries(WOOCOMMERCE_PLUGIN_STATUS_MAP))(
    'should map the plugin status %s to %s without reporting it as unknown',
    (status, unified) => {
      const onUnknownStatus = vi.fn();
      expect(mapWooCommerceOrder(order727({ status }), { onUnknownStatus }).orderStatus).toBe(unified);
      expect(onUnknownStatus).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['shipped', 'fulfilled'],
    ['delivered', 'fulfilled'],
    ['partial-shipped', 'partially_fulfilled'],
    ['ready-pickup', 'processing'],
    ['awaiting-payment', 'pending'],
  ] as const)('should give the plugin slug %s the documented meaning %s', (status, unified) => {
    expect(mapWooCommerceStatus(status)).toEqual({ orderStatus: unified, source: 'plugin' });
  });

  it('should read slugs that leak the database wc- prefix or other casing, and keep them verbatim', () => {
    const order = mapWooCommerceOrder(order727({ status: 'wc-shipped' }));
    expect(order.orderStatus).toBe('fulfilled');
    expect(order.platformStatus.status).toBe('wc-shipped');
    expect(mapWooCommerceStatus(' Completed ')).toEqual({ orderStatus: 'fulfilled', source: 'core' });
    expect(mapWooCommerceStatus('wc-on-hold')).toEqual({ orderStatus: 'on_hold', source: 'core' });
  });

  it.each(['awaiting-vendor-approval', 'wc-quality-check', 'returned-to-warehouse'])(
    'should map the unknown status %s to processing, keep it raw and report it once',
    (status) => {
      const onUnknownStatus = vi.fn();
      const order = mapWooCommerceOrder(order727({ status }), { onUnknownStatus });
      expect(order.orderStatus).toBe('processing');
      expect(order.platformStatus.status).toBe(status);
      expect(onUnknownStatus).toHaveBeenCalledTimes(1);
      expect(onUnknownStatus).toHaveBeenCalledWith(status);
    },
  );

  describe('processing refined by fulfilments (TAXONOMY §1: partially_fulfilled comes from fulfilments)', () => {
    const base = order727({ status: 'processing' });

    it('should stay processing without tracking', () => {
      expect(mapWooCommerceOrder(base).orderStatus).toBe('processing');
    });

    it('should be partially fulfilled when tracking exists but its allocation is unknown', () => {
      const order = withTracking(base, [{ tracking_provider: 'ups', tracking_number: '1ZOWN0000000000727' }]);
      expect(mapWooCommerceOrder(order).orderStatus).toBe('partially_fulfilled');
    });

    it('should be fulfilled when AST allocations account for every unit', () => {
      const order = withTracking(base, [
        { tracking_number: 'A1', products_list: [{ product: '93', item_id: '315', qty: '1' }] },
        {
          tracking_number: 'A2',
          products_list: [
            { product: '93', item_id: 315, qty: 1 },
            { product: '23', qty: 1 },
          ],
        },
      ]);
      expect(mapWooCommerceOrder(order).orderStatus).toBe('fulfilled');
    });

    it('should be partially fulfilled when an allocation leaves a unit behind', () => {
      const order = withTracking(base, [{ tracking_number: 'A1', products_list: [{ item_id: '315', qty: '1' }] }]);
      expect(mapWooCommerceOrder(order).orderStatus).toBe('partially_fulfilled');
    });

    it.each([
      ['fulfilled', 'fulfilled'],
      ['partially_fulfilled', 'partially_fulfilled'],
      ['unfulfilled', 'processing'],
      ['no_fulfillments', 'processing'],
    ] as const)('should follow core Fulfillments’ _fulfillment_status %s → %s', (summary, unified) => {
      const order = { ...base, meta_data: [{ id: 5, key: '_fulfillment_status', value: summary }] };
      const mapped = mapWooCommerceOrder(order);
      expect(mapped.orderStatus).toBe(unified);
      expect(mapped.platformStatus._fulfillment_status).toBe(summary);
    });

    it('should never refine an explicit status, even with tracking', () => {
      for (const [status, unified] of [
        ['on-hold', 'on_hold'],
        ['cancelled', 'cancelled'],
        ['pending', 'pending'],
      ] as const) {
        const order = withTracking(order727({ status }), [{ tracking_number: 'A1' }]);
        expect(mapWooCommerceOrder(order).orderStatus).toBe(unified);
      }
    });
  });
});

describe('WooCommerce financial status (derived: WooCommerce has no payment status)', () => {
  it.each([
    ['unpaid pending', { status: 'pending', date_paid_gmt: null }, 'pending'],
    ['unpaid on-hold (BACS)', { status: 'on-hold', date_paid_gmt: null }, 'pending'],
    ['unpaid processing (cash on delivery)', { status: 'processing', date_paid_gmt: null }, 'pending'],
    ['paid processing', { status: 'processing', date_paid_gmt: '2026-01-01T10:00:00' }, 'paid'],
    ['paid completed', { status: 'completed', date_paid_gmt: '2026-01-01T10:00:00' }, 'paid'],
    ['failed', { status: 'failed', date_paid_gmt: null }, 'voided'],
    ['cancelled unpaid', { status: 'cancelled', date_paid_gmt: null }, 'voided'],
    ['cancelled after payment', { status: 'cancelled', date_paid_gmt: '2026-01-01T10:00:00' }, 'paid'],
    ['refunded status', { status: 'refunded', date_paid_gmt: '2026-01-01T10:00:00' }, 'refunded'],
    [
      'refunds adding up to the total',
      { status: 'completed', total: '29.35', refunds: [{ total: '-20.00' }, { total: '-9.35' }] },
      'refunded',
    ],
    ['some money back', { status: 'completed', total: '29.35', refunds: [{ total: '-5.00' }] }, 'partially_refunded'],
    [
      'a refund on a zero-total order',
      { status: 'processing', total: '0.00', refunds: [{ total: '-1' }] },
      'partially_refunded',
    ],
  ] as const)('%s → %s', (_label, order, expected) => {
    expect(deriveWooCommerceFinancialStatus(order)).toBe(expected);
  });
});

describe('WooCommerce times', () => {
  it('should read the zone-less _gmt fields as UTC, with milliseconds', () => {
    expect(wooCommerceGmtToIso('2017-03-22T19:28:08', 'date_modified_gmt')).toBe('2017-03-22T19:28:08.000Z');
    expect(wooCommerceGmtToIso('2017-03-22T19:28:08Z', 'x')).toBe('2017-03-22T19:28:08.000Z');
    expect(wooCommerceGmtToIso('2017-03-22T21:28:08+02:00', 'x')).toBe('2017-03-22T19:28:08.000Z');
  });

  it('should never read the local date_modified / date_created', () => {
    // order 727 was saved at 16:28 site time, 19:28 UTC.
    const order = mapWooCommerceOrder(order727());
    expect(order.placedAt).toBe('2017-03-22T19:28:02.000Z');
    expect(order.platformUpdatedAt).toBe('2017-03-22T19:28:08.000Z');
    const shifted = mapWooCommerceOrder(order727({ date_modified: '1999-01-01T00:00:00' }));
    expect(shifted.platformUpdatedAt).toBe('2017-03-22T19:28:08.000Z');
  });

  it('should take the creation time as the last change when date_modified_gmt is missing', () => {
    expect(mapWooCommerceOrder(order727({ date_modified_gmt: null })).platformUpdatedAt).toBe(
      '2017-03-22T19:28:02.000Z',
    );
  });

  it.each(['2017-02-30T10:00:00', '2017-03-22 19:28:08', '22/03/2017', ''])(
    'should refuse the date %j, naming the field',
    (value) => {
      expect(invalidInput(() => mapWooCommerceOrder(order727({ date_created_gmt: value })))).toMatch(
        /"date_created_gmt"/,
      );
    },
  );
});

describe('WooCommerce order shape', () => {
  it.each([
    ['no id', { id: undefined }, /"id"/],
    ['a zero id', { id: 0 }, /"id"/],
    ['a blank status', { status: '  ' }, /"status"/],
    ['no status', { status: undefined }, /"status"/],
    ['no creation time', { date_created_gmt: undefined }, /"date_created_gmt"/],
    ['line items that are not a list', { line_items: {} }, /"line_items"/],
    ['a quantity in a string', { line_items: [{ id: 1, name: 'x', quantity: '2' }] }, /"line_items\.0\.quantity"/],
    ['meta that is not a list', { meta_data: 'yes' }, /"meta_data"/],
  ])('should refuse an order with %s, in one line naming the field', (_label, changes, field) => {
    const message = invalidInput(() => mapWooCommerceOrder(order727(changes)));
    expect(message).toMatch(field);
    expect(message).not.toContain('\n');
  });

  it.each([null, [], 'order', 42])('should refuse %j as an order', (raw) => {
    expect(invalidInput(() => mapWooCommerceOrder(raw))).toMatch(/expected a JSON object/);
  });

  it('should decode the HTML entities WooCommerce leaves in product names', () => {
    expect(decodeHtmlEntities('Ship Your Idea &ndash; Color: Black')).toBe('Ship Your Idea \u2013 Color: Black');
    expect(decodeHtmlEntities('Tom &amp; Jerry &#8220;Mug&#8221; &#x27;XL&#x27;')).toBe(
      "Tom & Jerry \u201cMug\u201d 'XL'",
    );
    expect(decodeHtmlEntities('&unknown; &#0; stays')).toBe('&unknown; &#0; stays');
  });

  it('should fall back to the billing address for orders without a shipping address', () => {
    const order = mapWooCommerceOrder(
      order727({ shipping: { first_name: '', last_name: '', city: '', postcode: '', country: '', state: '' } }),
    );
    expect(order.shippingAddress).toEqual({ city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' });
    expect(order.customer.name).toBe('John Doe');
  });

  it('should drop a country that is not an ISO-2 code', () => {
    const order = mapWooCommerceOrder(order727({ shipping: { city: 'Somewhere', country: 'United States' } }));
    expect(order.shippingAddress.country).toBeNull();
  });

  it('should use the order id as the number when a plugin blanks it', () => {
    expect(mapWooCommerceOrder(order727({ number: '' })).number).toBe('727');
    expect(mapWooCommerceOrder(order727({ number: 1727 })).number).toBe('1727');
  });
});

describe('WooCommerce tracking meta → shipments', () => {
  const base = order727({ status: 'completed' });

  it('should have no shipments without tracking meta', () => {
    expect(mapWooCommerceOrder(base).shipments).toEqual([]);
  });

  it('should read meta that another integration wrote as a JSON string', () => {
    const order = withTracking(base, JSON.stringify([{ tracking_provider: 'fedex', tracking_number: '7700000727' }]));
    expect(mapWooCommerceOrder(order).shipments).toEqual([
      parcel({ trackingNumber: '7700000727', carrierName: 'fedex' }),
    ]);
  });

  it('should skip what it cannot read instead of refusing the order', () => {
    for (const value of ['not json [', 42, null, [null, 'x', { tracking_number: '' }, { tracking_number: { a: 1 } }]]) {
      expect(mapWooCommerceOrder(withTracking(base, value)).shipments).toEqual([]);
    }
  });

  it('should keep a numeric tracking number only while it is exact', () => {
    // As JSON.parse reads it: the 22-digit number has already lost its last digits.
    const items = JSON.parse(
      '[{"tracking_number": 123456789012}, {"tracking_number": 9400100000000000041061}]',
    ) as unknown;
    const order = withTracking(base, items);
    expect(mapWooCommerceOrder(order).shipments.map((s) => s.trackingNumber)).toEqual(['123456789012']);
  });

  it('should read date_shipped as seconds, digit strings or a date, and nothing else', () => {
    const order = withTracking(base, [
      { tracking_number: 'A', date_shipped: 1768435200 },
      { tracking_number: 'B', date_shipped: '1768435200' },
      { tracking_number: 'C', date_shipped: '2026-01-15' },
      { tracking_number: 'D', date_shipped: '15.01.2026' },
      { tracking_number: 'E', date_shipped: 0 },
    ]);
    expect(mapWooCommerceOrder(order).shipments.map((s) => s.shippedAt)).toEqual([
      '2026-01-15T00:00:00.000Z',
      '2026-01-15T00:00:00.000Z',
      '2026-01-15T00:00:00.000Z',
      null,
      null,
    ]);
  });

  it('should prefer the custom provider name, then AST’s display name, then the slug', () => {
    const order = withTracking(base, [
      { tracking_provider: 'usps', custom_tracking_provider: 'My Courier', tracking_number: 'A' },
      { tracking_provider: 'dhl-ecommerce', formatted_tracking_provider: 'DHL eCommerce', tracking_number: 'B' },
      { tracking_provider: 'royal-mail', tracking_number: 'C' },
    ]);
    expect(mapWooCommerceOrder(order).shipments.map((s) => s.carrierName)).toEqual([
      'My Courier',
      'DHL eCommerce',
      'royal-mail',
    ]);
  });

  it('should keep only http(s) tracking links, in the plugins’ order of precedence', () => {
    const order = withTracking(base, [
      {
        tracking_number: 'A',
        custom_tracking_link: 'javascript:alert(1)',
        formatted_tracking_link: 'https://t.example/A',
      },
      { tracking_number: 'B', tracking_link: 'http://t.example/B', ast_tracking_link: 'https://other.example/B' },
      { tracking_number: 'C', custom_tracking_link: 'not a url' },
    ]);
    expect(mapWooCommerceOrder(order).shipments.map((s) => s.trackingUrl)).toEqual([
      'https://t.example/A',
      'http://t.example/B',
      null,
    ]);
  });

  it('should leave an allocation by product id unnamed when several lines share the product', () => {
    const twoLinesOneProduct = order727({
      line_items: [
        { id: 1, name: 'Mug', product_id: 50, variation_id: 0, quantity: 1, sku: '' },
        { id: 2, name: 'Mug', product_id: 50, variation_id: 0, quantity: 1, sku: '' },
      ],
    });
    const order = withTracking(twoLinesOneProduct, [
      {
        tracking_number: 'A',
        products_list: [
          { product: 50, qty: 1 },
          { product: 50, qty: 'x' },
        ],
      },
    ]);
    expect(mapWooCommerceOrder(order).shipments[0]?.items).toEqual([{ externalId: null, quantity: 1 }]);
  });
});

describe('WooCommerce fixtures', () => {
  const ignoredUnknown = vi.fn();

  it('order.v3.get.json (documentation example): processing, paid, no tracking', () => {
    const order = mapWooCommerceOrder(fixture('order.v3.get.json'));
    expect(order).toEqual({
      externalId: '727',
      number: '727',
      orderStatus: 'processing',
      financialStatus: 'paid',
      platformStatus: {
        status: 'processing',
        date_paid_gmt: '2017-03-22T19:28:08',
        date_completed_gmt: null,
        refunds: [],
      },
      cancelReason: null,
      customer: { email: 'john.doe@example.com', name: 'John Doe', phone: '(555) 555-5555', language: null },
      shippingAddress: { city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' },
      lineItems: [
        { externalId: '315', sku: null, name: 'Woo Single #1', quantity: 2 },
        { externalId: '316', sku: 'Bar3', name: 'Ship Your Idea \u2013 Color: Black, Size: M Test', quantity: 1 },
      ],
      promisedDeliveryDate: null,
      placedAt: '2017-03-22T19:28:02.000Z',
      platformUpdatedAt: '2017-03-22T19:28:08.000Z',
      shipments: [],
    });
  });

  it.each([
    ['own_pending_bacs.json', 'pending', 'pending', '2026-01-12T09:15:04.000Z', '2026-01-12T09:15:06.000Z'],
    ['own_checkout_draft.json', 'pending', 'pending', '2026-01-12T10:02:11.000Z', '2026-01-12T10:02:11.000Z'],
    ['own_on_hold_cheque.json', 'on_hold', 'pending', '2026-01-13T16:40:00.000Z', '2026-01-13T16:40:02.000Z'],
    ['own_refunded.json', 'refunded', 'refunded', '2026-01-18T15:00:00.000Z', '2026-01-20T10:00:31.000Z'],
    [
      'own_completed_partial_refund.json',
      'fulfilled',
      'partially_refunded',
      '2026-01-18T16:00:00.000Z',
      '2026-01-22T08:30:00.000Z',
    ],
    ['own_failed_payment.json', 'cancelled', 'voided', '2026-01-19T20:00:00.000Z', '2026-01-19T20:01:15.000Z'],
    ['own_trash.json', 'on_hold', 'paid', '2026-01-20T08:00:00.000Z', '2026-01-21T09:30:00.000Z'],
  ] as const)('%s: %s, %s, placed and updated in UTC', (name, orderStatus, financialStatus, placedAt, updatedAt) => {
    const order = mapWooCommerceOrder(fixture(name), { onUnknownStatus: ignoredUnknown });
    expect(order.orderStatus).toBe(orderStatus);
    expect(order.financialStatus).toBe(financialStatus);
    expect(order.placedAt).toBe(placedAt);
    expect(order.platformUpdatedAt).toBe(updatedAt);
    expect(order.shipments).toEqual([]);
    expect(ignoredUnknown).not.toHaveBeenCalled();
  });

  it('own_failed_payment.json: a failed payment is a declined cancellation', () => {
    expect(mapWooCommerceOrder(fixture('own_failed_payment.json')).cancelReason).toBe('declined');
  });

  it('own_checkout_draft.json: blank customer fields become null', () => {
    const order = mapWooCommerceOrder(fixture('own_checkout_draft.json'));
    expect(order.customer).toEqual({ email: null, name: null, phone: null, language: null });
    expect(order.shippingAddress).toEqual({ city: null, region: null, postalCode: null, country: null });
  });

  it('own_refunded.json: the refunds are kept among the raw status fields', () => {
    expect(mapWooCommerceOrder(fixture('own_refunded.json')).platformStatus).toEqual({
      status: 'refunded',
      date_paid_gmt: '2026-01-18T15:00:05',
      date_completed_gmt: null,
      refunds: [{ id: 4190, reason: 'Item out of stock', total: '-54.90' }],
    });
  });

  it('own_completed_shipment_tracking.json: Shipment Tracking items, custom provider and predefined slug', () => {
    const order = mapWooCommerceOrder(fixture('own_completed_shipment_tracking.json'));
    expect(order.orderStatus).toBe('fulfilled');
    expect(order.financialStatus).toBe('paid');
    expect(order.platformUpdatedAt).toBe('2026-01-15T14:22:37.000Z');
    expect(order.shipments).toEqual([
      parcel({
        externalId: '5b3f0c8e2a9d4e71b6c0a1f2e3d4c5b6',
        trackingNumber: 'PFW0000418201',
        carrierName: 'Parcelforce Worldwide',
        trackingUrl: 'https://track.example.net/parcel?no=PFW0000418201',
        shippedAt: '2026-01-15T00:00:00.000Z',
      }),
      parcel({
        externalId: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
        trackingNumber: '00340434161094000415',
        carrierName: 'dhl-paket',
        shippedAt: '2026-01-15T00:00:00.000Z',
      }),
    ]);
  });

  it('own_processing_partial_ast.json: one of two lines shipped → partially fulfilled, TrackShip status kept', () => {
    const order = mapWooCommerceOrder(fixture('own_processing_partial_ast.json'));
    expect(order.orderStatus).toBe('partially_fulfilled');
    expect(order.platformStatus.status).toBe('processing');
    expect(order.shipments).toEqual([
      parcel({
        externalId: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6',
        trackingNumber: '1ZOWN0000000000418',
        carrierName: 'UPS',
        items: [{ externalId: '41051', quantity: 2 }],
        shippedAt: '2026-01-16T00:00:00.000Z',
        platformShipmentStatus: 'in_transit',
      }),
    ]);
  });

  it('own_completed_multiple_numbers_one_item.json: several numbers in one item share its id', () => {
    const order = mapWooCommerceOrder(fixture('own_completed_multiple_numbers_one_item.json'));
    const shared = {
      externalId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      carrierName: 'usps',
      shippedAt: '2026-01-17T00:00:00.000Z',
    };
    expect(order.shipments).toEqual([
      parcel({
        ...shared,
        trackingNumber: '9400100000000000041061',
        trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000041061',
      }),
      // The stored link names the first number only.
      parcel({ ...shared, trackingNumber: '9400100000000000041078' }),
    ]);
    // Chicago site: local times are six hours behind; the UTC ones are used.
    expect(order.placedAt).toBe('2026-01-16T12:00:00.000Z');
    expect(order.shippingAddress.country).toBe('US');
    expect(order.customer.phone).toBe('(217) 555-0199');
  });

  it('own_cancelled_after_fulfilment.json: cancelled, the parcel that left is kept (not voided)', () => {
    const order = mapWooCommerceOrder(fixture('own_cancelled_after_fulfilment.json'));
    expect(order.orderStatus).toBe('cancelled');
    expect(order.financialStatus).toBe('paid');
    expect(order.cancelReason).toBeNull();
    expect(order.shipments).toEqual([
      parcel({
        externalId: '7f6e5d4c3b2a19080706050403020100',
        trackingNumber: '00340434161094000712',
        carrierName: 'dhl-paket',
        shippedAt: '2026-01-18T00:00:00.000Z',
      }),
    ]);
  });

  it('own_missing_carrier_name.json: no provider → null carrier, no link, padded number trimmed', () => {
    expect(mapWooCommerceOrder(fixture('own_missing_carrier_name.json')).shipments).toEqual([
      parcel({ externalId: 'aa11bb22cc33dd44ee55ff6677889900', trackingNumber: 'LX000041120DE' }),
    ]);
  });

  it('own_plugin_shipped_status.json: plugin "shipped", AST items after a deletion, TrackShip per item', () => {
    const onUnknownStatus = vi.fn();
    const order = mapWooCommerceOrder(fixture('own_plugin_shipped_status.json'), { onUnknownStatus });
    expect(onUnknownStatus).not.toHaveBeenCalled();
    expect(order.orderStatus).toBe('fulfilled');
    expect(order.customer.language).toBe('de');
    expect(order.shipments).toEqual([
      parcel({
        externalId: '1111aaaa2222bbbb3333cccc4444dddd',
        trackingNumber: '00340434161094001131',
        carrierName: 'DHL Paket',
        // Allocated by variation id 205, which only line 41131 has.
        items: [{ externalId: '41131', quantity: 2 }],
        shippedAt: '2026-01-22T00:00:00.000Z',
        platformShipmentStatus: 'delivered',
      }),
      parcel({
        externalId: '5555eeee6666ffff7777aaaa8888bbbb',
        trackingNumber: 'RR000411322DE',
        carrierName: 'Deutsche Post',
        items: [{ externalId: '41132', quantity: 1 }],
        shippedAt: '2026-01-23T00:00:00.000Z',
        platformShipmentStatus: 'in_transit',
      }),
    ]);
  });

  it('own_unknown_plugin_status.json: processing, reported, raw kept; sequential number; WPML language', () => {
    const onUnknownStatus = vi.fn();
    const order = mapWooCommerceOrder(fixture('own_unknown_plugin_status.json'), { onUnknownStatus });
    expect(order.orderStatus).toBe('processing');
    expect(order.platformStatus.status).toBe('awaiting-vendor-approval');
    expect(onUnknownStatus).toHaveBeenCalledWith('awaiting-vendor-approval');
    expect(order.externalId).toBe('4114');
    expect(order.number).toBe('WM-4114');
    expect(order.customer.language).toBe('pt-BR');
  });
});
