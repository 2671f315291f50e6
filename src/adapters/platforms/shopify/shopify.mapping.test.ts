import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../core/errors.js';
import type { FinancialStatus, OrderStatus } from '../../../core/order/order-status.js';
import type { PlatformOrder } from '../../../core/ports/platform.port.js';
import {
  deriveShopifyStatus,
  mapShopifyGraphqlOrder,
  mapShopifyRestOrder,
  SHOPIFY_FINANCIAL_STATUSES,
  SHOPIFY_FULFILLMENT_PROGRESS,
  shopifyInstant,
  shopifyLegacyId,
  type ShopifyStatusFields,
} from './shopify.mapping.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

function graphqlNode(name: string): Record<string, unknown> {
  const nodes = (fixture('own_graphql_orders.json') as { nodes: Record<string, unknown>[] }).nodes;
  const node = nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`no GraphQL fixture order ${name}`);
  return structuredClone(node);
}

function unknownCollector(): { seen: [string, string][]; onUnknownStatus: (value: string, field: string) => void } {
  const seen: [string, string][] = [];
  return { seen, onUnknownStatus: (value, field) => seen.push([value, field]) };
}

function invalidInput(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (isDomainError(error) && error.code === 'invalid_input') return error;
    throw error;
  }
  throw new Error('expected invalid_input');
}

const OPEN: Omit<ShopifyStatusFields, 'financialStatus' | 'fulfillmentStatus'> = { cancelledAt: null, confirmed: true };

describe('deriveShopifyStatus (TAXONOMY §1), REST values', () => {
  const rows: [string | null, string | null, Partial<ShopifyStatusFields>, OrderStatus, FinancialStatus | null][] = [
    // financial_status, fulfillment_status, other fields, order status, financial status
    ['pending', null, {}, 'pending', 'pending'],
    ['authorized', null, {}, 'processing', 'authorized'],
    ['authorized', null, { confirmed: false }, 'pending', 'authorized'],
    ['authorized', null, { confirmed: null }, 'pending', 'authorized'],
    ['partially_paid', null, {}, 'pending', 'partially_paid'],
    ['paid', null, {}, 'processing', 'paid'],
    ['paid', null, { confirmed: false }, 'processing', 'paid'],
    ['partially_refunded', null, {}, 'processing', 'partially_refunded'],
    ['refunded', null, {}, 'refunded', 'refunded'],
    ['voided', null, {}, 'pending', 'voided'],
    ['paid', 'partial', {}, 'partially_fulfilled', 'paid'],
    ['paid', 'fulfilled', {}, 'fulfilled', 'paid'],
    ['paid', 'restocked', {}, 'processing', 'paid'],
    ['pending', 'fulfilled', {}, 'fulfilled', 'pending'],
    ['authorized', 'partial', {}, 'partially_fulfilled', 'authorized'],
    // Refunded after shipping: the parcels left, the order stays fulfilled.
    ['refunded', 'fulfilled', {}, 'fulfilled', 'refunded'],
    ['refunded', 'partial', {}, 'partially_fulfilled', 'refunded'],
    ['partially_refunded', 'fulfilled', {}, 'fulfilled', 'partially_refunded'],
    // cancelled_at beats everything, fulfilled included.
    ['refunded', 'fulfilled', { cancelledAt: '2025-01-01T00:00:00Z' }, 'cancelled', 'refunded'],
    ['voided', null, { cancelledAt: '2025-01-01T00:00:00Z' }, 'cancelled', 'voided'],
    ['paid', 'restocked', { cancelledAt: '2025-01-01T00:00:00Z' }, 'cancelled', 'paid'],
    [null, null, {}, 'pending', null],
  ];
  it.each(rows)(
    'financial %s + fulfillment %s (%o) → %s',
    (financial, fulfillment, extra, orderStatus, financialStatus) => {
      const unknown = unknownCollector();
      expect(
        deriveShopifyStatus(
          { ...OPEN, financialStatus: financial, fulfillmentStatus: fulfillment, ...extra },
          { onUnknownStatus: unknown.onUnknownStatus },
        ),
      ).toEqual({ orderStatus, financialStatus });
      expect(unknown.seen).toEqual([]);
    },
  );
});

describe('deriveShopifyStatus, GraphQL enum values', () => {
  const fulfillmentRows: [string, OrderStatus][] = [
    ['FULFILLED', 'fulfilled'],
    ['PARTIALLY_FULFILLED', 'partially_fulfilled'],
    ['ON_HOLD', 'on_hold'],
    ['UNFULFILLED', 'processing'],
    ['OPEN', 'processing'],
    ['IN_PROGRESS', 'processing'],
    ['PENDING_FULFILLMENT', 'processing'],
    ['SCHEDULED', 'processing'],
    ['RESTOCKED', 'processing'],
    ['REQUEST_DECLINED', 'processing'],
    ['FULFILLMENT_NOT_REQUIRED', 'processing'],
  ];
  it.each(fulfillmentRows)('PAID + %s → %s', (fulfillment, orderStatus) => {
    expect(deriveShopifyStatus({ ...OPEN, financialStatus: 'PAID', fulfillmentStatus: fulfillment }).orderStatus).toBe(
      orderStatus,
    );
  });

  const financialRows: [string, OrderStatus, FinancialStatus][] = [
    ['AUTHORIZED', 'processing', 'authorized'],
    ['EXPIRED', 'pending', 'voided'],
    ['PAID', 'processing', 'paid'],
    ['PARTIALLY_PAID', 'pending', 'partially_paid'],
    ['PARTIALLY_REFUNDED', 'processing', 'partially_refunded'],
    ['PENDING', 'pending', 'pending'],
    ['REFUNDED', 'refunded', 'refunded'],
    ['VOIDED', 'pending', 'voided'],
  ];
  it.each(financialRows)('%s + UNFULFILLED → %s / %s', (financial, orderStatus, financialStatus) => {
    expect(deriveShopifyStatus({ ...OPEN, financialStatus: financial, fulfillmentStatus: 'UNFULFILLED' })).toEqual({
      orderStatus,
      financialStatus,
    });
  });

  it('puts refunded above on hold, and on hold above the payment', () => {
    expect(
      deriveShopifyStatus({ ...OPEN, financialStatus: 'REFUNDED', fulfillmentStatus: 'ON_HOLD' }).orderStatus,
    ).toBe('refunded');
    expect(deriveShopifyStatus({ ...OPEN, financialStatus: 'PENDING', fulfillmentStatus: 'ON_HOLD' }).orderStatus).toBe(
      'on_hold',
    );
    expect(
      deriveShopifyStatus({ ...OPEN, financialStatus: 'PAID', fulfillmentStatus: 'ON_HOLD', cancelledAt: 'x' })
        .orderStatus,
    ).toBe('cancelled');
  });

  it('has a row for every value the research lists', () => {
    expect(Object.keys(SHOPIFY_FINANCIAL_STATUSES).sort()).toEqual(
      ['authorized', 'expired', 'paid', 'partially_paid', 'partially_refunded', 'pending', 'refunded', 'voided'].sort(),
    );
    for (const value of ['fulfilled', 'partial', 'restocked', ...fulfillmentRows.map(([v]) => v.toLowerCase())]) {
      expect(SHOPIFY_FULFILLMENT_PROGRESS[value], value).toBeDefined();
    }
  });
});

describe('deriveShopifyStatus, unknown values', () => {
  it('maps an unknown financial status to pending with no financial status, and reports it', () => {
    const unknown = unknownCollector();
    expect(
      deriveShopifyStatus(
        { ...OPEN, financialStatus: 'layaway', fulfillmentStatus: null },
        { onUnknownStatus: unknown.onUnknownStatus },
      ),
    ).toEqual({ orderStatus: 'pending', financialStatus: null });
    expect(unknown.seen).toEqual([['layaway', 'financial_status']]);
  });

  it('reads an unknown fulfilment status as nothing shipped, and reports it', () => {
    const unknown = unknownCollector();
    expect(
      deriveShopifyStatus(
        { ...OPEN, financialStatus: 'PAID', fulfillmentStatus: 'AWAITING_DRONE' },
        {
          onUnknownStatus: unknown.onUnknownStatus,
          fieldNames: { financial: 'displayFinancialStatus', fulfillment: 'displayFulfillmentStatus' },
        },
      ),
    ).toEqual({ orderStatus: 'processing', financialStatus: 'paid' });
    expect(unknown.seen).toEqual([['AWAITING_DRONE', 'displayFulfillmentStatus']]);
  });

  it('still lets a cancellation win over unknown values', () => {
    expect(
      deriveShopifyStatus({ financialStatus: '??', fulfillmentStatus: '??', cancelledAt: 'x', confirmed: true })
        .orderStatus,
    ).toBe('cancelled');
  });
});

describe('shopifyInstant and shopifyLegacyId', () => {
  it.each([
    ['2008-01-10T11:00:00-05:00', '2008-01-10T16:00:00.000Z'],
    ['2025-03-07T09:12:44+09:00', '2025-03-07T00:12:44.000Z'],
    ['2025-03-05T10:30:15.250+01:00', '2025-03-05T09:30:15.250Z'],
    ['2025-04-01T10:00:00Z', '2025-04-01T10:00:00.000Z'],
    ['2025-04-01T10:00Z', '2025-04-01T10:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(shopifyInstant(input)).toBe(expected);
  });

  it.each(['2025-04-01T10:00:00', '2025-04-01', 'yesterday', '2025-13-45T10:00:00Z', ''])(
    'refuses %j (no zone, or not a time)',
    (input) => {
      expect(shopifyInstant(input)).toBeNull();
    },
  );

  it('reads the numeric id out of a gid', () => {
    expect(shopifyLegacyId('gid://shopify/Order/450789469')).toBe('450789469');
    expect(shopifyLegacyId('gid://shopify/LineItem/466157049?foo=1')).toBe('466157049');
    expect(shopifyLegacyId('450789469')).toBeNull();
  });
});

describe('mapShopifyRestOrder with the Shopify reference order (#1001)', () => {
  const order = mapShopifyRestOrder(fixture('order.rest.get.json'));

  it('maps the order fields', () => {
    expect(order).toMatchObject({
      externalId: '450789469',
      number: '#1001',
      // partially_refunded, nothing fulfilled at order level.
      orderStatus: 'processing',
      financialStatus: 'partially_refunded',
      platformStatus: {
        financial_status: 'partially_refunded',
        fulfillment_status: null,
        cancelled_at: null,
        cancel_reason: null,
        closed_at: null,
        confirmed: true,
      },
      cancelReason: null,
      customer: { email: 'bob.norman@mail.example.com', name: 'Bob Norman', phone: '+557734881234', language: null },
      shippingAddress: { city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
      promisedDeliveryDate: null,
      placedAt: '2008-01-10T16:00:00.000Z',
      platformUpdatedAt: '2008-01-10T16:00:00.000Z',
    });
    expect(order.lineItems).toEqual([
      { externalId: '466157049', sku: 'IPOD2008GREEN', name: 'IPod Nano - 8gb - green', quantity: 1 },
      { externalId: '518995019', sku: 'IPOD2008RED', name: 'IPod Nano - 8gb - red', quantity: 1 },
      { externalId: '703073504', sku: 'IPOD2008BLACK', name: 'IPod Nano - 8gb - black', quantity: 1 },
    ]);
  });

  it('keeps a failed fulfilment as a parcel to track (only a cancelled one voids it)', () => {
    expect(order.shipments).toEqual([
      {
        externalId: '255858046',
        trackingNumber: '1Z2345',
        carrierName: 'USPS',
        trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345',
        service: null,
        items: [{ externalId: '466157049', quantity: 1 }],
        shippedAt: '2024-04-02T13:59:11.000Z',
        platformShipmentStatus: null,
        cancelled: false,
      },
    ]);
  });

  it('accepts the bare object (webhook body) and the { order } wrapper alike', () => {
    const bare = (fixture('order.rest.get.json') as { order: unknown }).order;
    expect(mapShopifyRestOrder(bare)).toEqual(order);
  });
});

describe('mapShopifyRestOrder with Waymark fixtures', () => {
  const cases: {
    file: string;
    orderStatus: OrderStatus;
    financialStatus: FinancialStatus | null;
    check?: (order: PlatformOrder) => void;
  }[] = [
    {
      file: 'own_rest_pending.json',
      orderStatus: 'pending',
      financialStatus: 'pending',
      check: (order) => {
        expect(order.placedAt).toBe('2025-03-03T08:14:04.000Z');
        expect(order.platformUpdatedAt).toBe('2025-03-03T08:14:07.000Z');
        expect(order.customer).toEqual({
          email: 'mila.becker@example.de',
          name: 'Mila Becker',
          phone: '+4930901820',
          language: 'de',
        });
        expect(order.shippingAddress).toEqual({ city: 'Berlin', region: null, postalCode: '10969', country: 'DE' });
        expect(order.shipments).toEqual([]);
      },
    },
    { file: 'own_rest_authorized.json', orderStatus: 'processing', financialStatus: 'authorized' },
    {
      file: 'own_rest_paid_unfulfilled.json',
      orderStatus: 'processing',
      financialStatus: 'paid',
      check: (order) => {
        expect(order.customer).toEqual({
          email: 'camille.roy@example.fr',
          name: 'Camille Roy',
          phone: '+33612345678',
          language: 'fr-CA',
        });
        expect(order.shippingAddress).toEqual({ city: 'London', region: 'ENG', postalCode: 'EC1A 1BB', country: 'GB' });
        expect(order.placedAt).toBe('2025-03-05T09:00:00.000Z');
        expect(order.platformUpdatedAt).toBe('2025-03-05T09:30:15.250Z');
        expect(order.lineItems.map((item) => item.sku)).toEqual([null, null]);
      },
    },
    {
      file: 'own_rest_partially_fulfilled.json',
      orderStatus: 'partially_fulfilled',
      financialStatus: 'paid',
      check: (order) => {
        expect(order.shipments).toEqual([
          {
            externalId: '4900000000104',
            trackingNumber: '1Z999AA10123456784',
            carrierName: 'UPS',
            trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
            service: null,
            items: [
              { externalId: '14200000000105', quantity: 1 },
              { externalId: '14200000000106', quantity: 2 },
            ],
            shippedAt: '2025-03-07T00:12:40.000Z',
            platformShipmentStatus: 'in_transit',
            cancelled: false,
          },
        ]);
        expect(order.customer.language).toBe('ja');
        expect(order.shippingAddress.region).toBe('JP-13');
      },
    },
    {
      file: 'own_rest_fulfilled_multi_tracking.json',
      orderStatus: 'fulfilled',
      financialStatus: 'paid',
      check: (order) => {
        // Three distinct numbers in one fulfilment share its id; Shopify does not say which holds what.
        expect(order.shipments.map((s) => [s.externalId, s.trackingNumber, s.carrierName, s.items.length])).toEqual([
          ['4900000000105', '794600000101', 'FedEx Ground', 0],
          ['4900000000105', '794600000102', 'FedEx Ground', 0],
          ['4900000000105', '794600000103', 'FedEx Ground', 0],
          ['4900000000106', '9400100000000000000105', 'USPS', 1],
        ]);
        expect(order.shipments[1]?.trackingUrl).toBe('https://www.fedex.com/fedextrack/?trknbr=794600000102');
        expect(order.shipments.map((s) => s.platformShipmentStatus)).toEqual([
          'confirmed',
          'confirmed',
          'confirmed',
          null,
        ]);
        expect(order.shipments[3]?.shippedAt).toBe('2025-03-09T22:02:30.000Z');
      },
    },
    {
      file: 'own_rest_cancelled_after_fulfilment.json',
      orderStatus: 'cancelled',
      financialStatus: 'refunded',
      check: (order) => {
        expect(order.cancelReason).toBe('customer');
        expect(order.platformStatus).toEqual({
          financial_status: 'refunded',
          fulfillment_status: 'restocked',
          cancelled_at: '2025-03-11T18:19:58-03:00',
          cancel_reason: 'customer',
          closed_at: '2025-03-11T18:19:58-03:00',
          confirmed: true,
        });
        expect(order.shipments).toEqual([
          {
            externalId: '4900000000107',
            trackingNumber: '1234567890',
            carrierName: 'DHL Express',
            trackingUrl: null,
            service: null,
            items: [{ externalId: '14200000000109', quantity: 1 }],
            shippedAt: '2025-03-11T12:00:00.000Z',
            platformShipmentStatus: 'label_printed',
            cancelled: true,
          },
        ]);
        expect(order.customer.language).toBe('pt-BR');
      },
    },
    { file: 'own_rest_refunded_unfulfilled.json', orderStatus: 'refunded', financialStatus: 'refunded' },
    {
      file: 'own_rest_archived_fulfilled.json',
      orderStatus: 'fulfilled',
      financialStatus: 'partially_refunded',
      check: (order) => {
        expect(order.platformStatus.closed_at).toBe('2025-02-20T09:00:00+00:00');
        expect(order.shipments[0]).toMatchObject({ carrierName: 'Royal Mail', platformShipmentStatus: 'delivered' });
      },
    },
    {
      file: 'own_rest_missing_carrier.json',
      orderStatus: 'fulfilled',
      financialStatus: 'paid',
      check: (order) => {
        // The second fulfilment has no tracking number: nothing to track, no parcel.
        expect(order.shipments).toEqual([
          {
            externalId: '4900000000109',
            trackingNumber: 'CB000111222BE',
            carrierName: null,
            trackingUrl: null,
            service: null,
            items: [{ externalId: '14200000000112', quantity: 1 }],
            shippedAt: '2025-03-15T09:59:00.000Z',
            platformShipmentStatus: null,
            cancelled: false,
          },
        ]);
      },
    },
  ];

  it.each(cases)('$file → $orderStatus', ({ file, orderStatus, financialStatus, check }) => {
    const unknown = unknownCollector();
    const order = mapShopifyRestOrder(fixture(file), { onUnknownStatus: unknown.onUnknownStatus });
    expect(order.orderStatus).toBe(orderStatus);
    expect(order.financialStatus).toBe(financialStatus);
    expect(unknown.seen).toEqual([]);
    check?.(order);
  });

  it('maps unknown values to the safe ones, keeps them raw and reports each', () => {
    const unknown = unknownCollector();
    const order = mapShopifyRestOrder(fixture('own_rest_unknown_status.json'), {
      onUnknownStatus: unknown.onUnknownStatus,
    });
    expect(order.orderStatus).toBe('pending');
    expect(order.financialStatus).toBeNull();
    expect(order.platformStatus).toMatchObject({
      financial_status: 'layaway',
      fulfillment_status: 'awaiting_collection',
    });
    expect(unknown.seen).toEqual([
      ['layaway', 'financial_status'],
      ['awaiting_collection', 'fulfillment_status'],
      ['on_its_way_maybe', 'fulfillments.status'],
    ]);
    expect(order.shipments).toEqual([
      expect.objectContaining({ carrierName: 'InPost', platformShipmentStatus: 'handed_to_locker', cancelled: false }),
    ]);
  });

  it('keeps ids above 2^53 exact by reading them from admin_graphql_api_id', () => {
    const raw =
      '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508","name":"#9999",' +
      '"created_at":"2021-12-31T19:00:00-05:00","updated_at":"2021-12-31T19:00:00-05:00","financial_status":"paid",' +
      '"fulfillment_status":null,"line_items":[{"id":866550311766439020,' +
      '"admin_graphql_api_id":"gid://shopify/LineItem/866550311766439020","name":"Shirt","quantity":1}]}';
    const order = mapShopifyRestOrder(JSON.parse(raw));
    expect(order.externalId).toBe('820982911946154508');
    expect(order.lineItems[0]?.externalId).toBe('866550311766439020');
  });
});

describe('mapShopifyRestOrder refuses bodies of the wrong shape', () => {
  const base = fixture('own_rest_pending.json');
  it.each([
    ['not an object', 'nope', /\(root\)/],
    ['no id', { ...base, id: undefined }, /\bid\b/],
    ['no updated_at', { ...base, updated_at: undefined }, /updated_at/],
    ['a zone-less updated_at', { ...base, updated_at: '2025-03-03T09:14:07' }, /updated_at.*zone/],
    [
      'a bad fulfilment time',
      { ...base, fulfillments: [{ id: 1, created_at: 'soon' }] },
      /fulfillments\.0\.created_at/,
    ],
    ['a negative quantity', { ...base, line_items: [{ id: 1, name: 'x', quantity: -1 }] }, /line_items\.0\.quantity/],
  ])('%s', (_label, body, message) => {
    expect(invalidInput(() => mapShopifyRestOrder(body)).message).toMatch(message);
  });
});

describe('mapShopifyGraphqlOrder', () => {
  it('gives the same PlatformOrder as the REST body of the same order (only the raw fields differ)', () => {
    const fromRest = mapShopifyRestOrder(fixture('own_rest_fulfilled_multi_tracking.json'));
    const fromGraphql = mapShopifyGraphqlOrder(graphqlNode('#2105'));
    expect({ ...fromGraphql, platformStatus: null }).toEqual({ ...fromRest, platformStatus: null });
    expect(fromGraphql.platformStatus).toEqual({
      displayFinancialStatus: 'PAID',
      displayFulfillmentStatus: 'FULFILLED',
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      confirmed: true,
    });
  });

  const cases: [string, OrderStatus, FinancialStatus | null, ((order: PlatformOrder) => void)?][] = [
    [
      '#2201',
      'on_hold',
      'paid',
      (order) => {
        expect(order.customer).toEqual({
          email: 'lea.martin@example.fr',
          name: 'Léa Martin',
          phone: '+33240000000',
          language: 'fr',
        });
      },
    ],
    [
      '#2202',
      'cancelled',
      'voided',
      (order) => {
        expect(order.cancelReason).toBe('staff');
        expect(order.platformStatus).toMatchObject({ cancelReason: 'STAFF', cancelledAt: '2025-04-02T10:59:59Z' });
        expect(order.shippingAddress).toEqual({ city: null, region: null, postalCode: null, country: null });
        expect(order.customer).toEqual({ email: 'ben.k@example.com', name: null, phone: null, language: null });
      },
    ],
    ['#2203', 'pending', 'voided'],
    ['#2204', 'pending', 'authorized'],
    ['#2205', 'pending', 'partially_paid'],
    ['#2206', 'refunded', 'refunded'],
    [
      '#2207',
      'partially_fulfilled',
      'paid',
      (order) => {
        expect(order.platformStatus.closedAt).toBe('2025-04-09T10:00:00Z');
        expect(order.shipments).toEqual([
          {
            externalId: '4900000000207',
            trackingNumber: '00370000000000000207',
            carrierName: 'PostNord',
            trackingUrl: null,
            service: null,
            items: [{ externalId: '14200000000207', quantity: 1 }],
            shippedAt: '2025-04-08T08:00:00.000Z',
            platformShipmentStatus: 'label_purchased',
            cancelled: true,
          },
          {
            externalId: '4900000000208',
            trackingNumber: '00370000000000000208',
            carrierName: 'PostNord',
            trackingUrl: null,
            service: null,
            items: [{ externalId: '14200000000207', quantity: 1 }],
            shippedAt: '2025-04-09T09:59:00.000Z',
            platformShipmentStatus: 'in_transit',
            cancelled: false,
          },
        ]);
      },
    ],
  ];
  it.each(cases)('%s → %s / %s', (name, orderStatus, financialStatus, check) => {
    const unknown = unknownCollector();
    const order = mapShopifyGraphqlOrder(graphqlNode(name), { onUnknownStatus: unknown.onUnknownStatus });
    expect(order.externalId).toBe(`5810000000${name.slice(2)}`);
    expect(order.number).toBe(name);
    expect(order.orderStatus).toBe(orderStatus);
    expect(order.financialStatus).toBe(financialStatus);
    expect(unknown.seen).toEqual([]);
    check?.(order);
  });

  it('maps unknown enum values safely and reports them under their GraphQL names', () => {
    const unknown = unknownCollector();
    const order = mapShopifyGraphqlOrder(graphqlNode('#2208'), { onUnknownStatus: unknown.onUnknownStatus });
    expect(order).toMatchObject({ orderStatus: 'pending', financialStatus: null, lineItems: [], shipments: [] });
    expect(unknown.seen).toEqual([
      ['PENDING_REVIEW', 'displayFinancialStatus'],
      ['AWAITING_DRONE', 'displayFulfillmentStatus'],
    ]);
  });

  it('falls back to the gid when legacyResourceId is not asked for', () => {
    const node = graphqlNode('#2201');
    delete node.legacyResourceId;
    expect(mapShopifyGraphqlOrder(node).externalId).toBe('5810000000201');
  });

  it('refuses a node of the wrong shape, naming the field', () => {
    const node = graphqlNode('#2201');
    node.updatedAt = 42;
    expect(invalidInput(() => mapShopifyGraphqlOrder(node)).message).toMatch(/updatedAt/);
  });
});
