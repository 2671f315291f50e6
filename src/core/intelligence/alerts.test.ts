import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  DEFAULT_ALERT_SETTINGS,
  detectArrivingToday,
  detectFulfillmentDelayed,
  detectPredictedLate,
  detectShipmentAlerts,
  detectStalledInTransit,
  fulfillmentDelayedCutoff,
  fulfillmentDueDate,
  lateFromDate,
  promiseDate,
  resolveAlertSettings,
  type AlertOrderFacts,
  type AlertShipmentFacts,
} from './alerts.js';
import { localDate } from './calendar.js';

describe('resolveAlertSettings', () => {
  it.each([
    ['nothing stored', {}, DEFAULT_ALERT_SETTINGS],
    [
      'both set',
      { alerts: { fulfillmentDelayedBusinessDays: 4, stalledInTransitDays: 5 } },
      { fulfillmentDelayedBusinessDays: 4, stalledInTransitDays: 5 },
    ],
    [
      'one set',
      { alerts: { stalledInTransitDays: 7 } },
      { fulfillmentDelayedBusinessDays: 2, stalledInTransitDays: 7 },
    ],
    [
      'nonsense ignored',
      { alerts: { fulfillmentDelayedBusinessDays: 0, stalledInTransitDays: '3' } },
      DEFAULT_ALERT_SETTINGS,
    ],
    [
      'out of range ignored',
      { alerts: { fulfillmentDelayedBusinessDays: 90, stalledInTransitDays: 2.5 } },
      DEFAULT_ALERT_SETTINGS,
    ],
    ['not an object', { alerts: 'on' }, DEFAULT_ALERT_SETTINGS],
  ])('should resolve %s', (_name, stored, expected) => {
    expect(resolveAlertSettings(stored)).toEqual(expected);
  });
});

const order: AlertOrderFacts = {
  orderId: 'o1',
  orderStatus: 'processing',
  shippingSummary: 'not_shipped',
  // Friday.
  placedAt: '2026-11-27T10:00:00.000Z',
};

describe('fulfillment_delayed', () => {
  it.each<[string, Partial<AlertOrderFacts>, string, string | null]>([
    ['still Tuesday (the ship-by day)', {}, '2026-12-01T23:59:00.000Z', null],
    ['Wednesday, nothing shipped', {}, '2026-12-02T00:30:00.000Z', '2026-12-02T00:00:00.000Z'],
    [
      'placed Saturday: also due Tuesday',
      { placedAt: '2026-11-28T10:00:00.000Z' },
      '2026-12-02T08:00:00.000Z',
      '2026-12-02T00:00:00.000Z',
    ],
    ['cancelled', { orderStatus: 'cancelled' }, '2026-12-09T08:00:00.000Z', null],
    ['awaiting payment', { orderStatus: 'pending' }, '2026-12-09T08:00:00.000Z', null],
    ['on hold for review', { orderStatus: 'on_hold' }, '2026-12-09T08:00:00.000Z', null],
    ['partly shipped', { shippingSummary: 'partially_shipped' }, '2026-12-09T08:00:00.000Z', null],
  ])('should decide: %s', (_name, overrides, now, since) => {
    const alert = detectFulfillmentDelayed({ ...order, ...overrides }, DEFAULT_ALERT_SETTINGS, now, 'UTC');
    expect(alert?.since ?? null).toBe(since);
    if (alert) expect(alert).toMatchObject({ milestone: 'fulfillment_delayed', subject: 'order', shipmentId: null });
  });

  it('should follow the store’s setting and time zone', () => {
    const settings = { ...DEFAULT_ALERT_SETTINGS, fulfillmentDelayedBusinessDays: 3 };
    expect(fulfillmentDueDate(order.placedAt, 3, 'UTC')).toBe('2026-12-02');
    expect(detectFulfillmentDelayed(order, settings, '2026-12-02T20:00:00.000Z', 'UTC')).toBeNull();
    // 03:00 UTC Thursday is still Wednesday evening in New York.
    expect(detectFulfillmentDelayed(order, settings, '2026-12-03T03:00:00.000Z', 'America/New_York')).toBeNull();
    expect(detectFulfillmentDelayed(order, settings, '2026-12-03T06:00:00.000Z', 'America/New_York')?.since).toBe(
      '2026-12-03T05:00:00.000Z',
    );
  });

  it('should put the scan cutoff exactly where the deadline passes', () => {
    const zones = fc.constantFrom('UTC', 'America/New_York', 'Asia/Tokyo', 'Europe/Paris');
    const instant = (min: number, max: number) =>
      fc
        .integer({ min, max })
        .map((minutes) => new Date(Date.parse('2026-10-01T00:00:00Z') + minutes * 60_000).toISOString());
    fc.assert(
      fc.property(
        instant(0, 60 * 24 * 40),
        fc.integer({ min: 0, max: 60 * 24 * 20 }),
        fc.integer({ min: 1, max: 10 }),
        zones,
        (placedAt, laterMinutes, days, zone) => {
          const now = new Date(Date.parse(placedAt) + laterMinutes * 60_000).toISOString();
          const overdue = localDate(now, zone) > fulfillmentDueDate(placedAt, days, zone);
          expect(placedAt < fulfillmentDelayedCutoff(now, days, zone)).toBe(overdue);
        },
      ),
    );
  });
});

const shipment: AlertShipmentFacts = {
  shipmentId: 's1',
  orderId: 'o1',
  orderStatus: 'fulfilled',
  promisedDeliveryDate: null,
  shippingAddress: { country: null, region: null },
  status: 'in_transit',
  firstScanAt: '2026-11-20T09:00:00.000Z',
  lastEventAt: '2026-11-22T12:00:00.000Z',
  carrierEddFirst: null,
  predictedEdd: null,
  predictedEddEarliest: null,
  predictedEddConfidence: null,
};

describe('stalled_in_transit', () => {
  it.each<[string, Partial<AlertShipmentFacts>, string, string | null]>([
    ['just under three days', {}, '2026-11-25T11:59:00.000Z', null],
    ['three days without a scan', {}, '2026-11-25T12:00:00.000Z', '2026-11-25T12:00:00.000Z'],
    ['out for delivery is not stalled', { status: 'out_for_delivery' }, '2026-11-28T12:00:00.000Z', null],
    ['an exception has its own milestone', { status: 'exception' }, '2026-11-28T12:00:00.000Z', null],
    ['cancelled order', { orderStatus: 'cancelled' }, '2026-11-28T12:00:00.000Z', null],
    [
      'no scan time falls back to the first scan',
      { lastEventAt: null },
      '2026-11-23T09:00:00.000Z',
      '2026-11-23T09:00:00.000Z',
    ],
  ])('should decide: %s', (_name, overrides, now, since) => {
    expect(detectStalledInTransit({ ...shipment, ...overrides }, DEFAULT_ALERT_SETTINGS, now)?.since ?? null).toBe(
      since,
    );
  });

  it('should follow the store’s number of days', () => {
    const settings = { ...DEFAULT_ALERT_SETTINGS, stalledInTransitDays: 5 };
    expect(detectStalledInTransit(shipment, settings, '2026-11-26T12:00:00.000Z')).toBeNull();
    expect(detectStalledInTransit(shipment, settings, '2026-11-27T12:00:00.000Z')).not.toBeNull();
  });
});

describe('predicted_late', () => {
  it.each([
    ['the merchant’s date first', '2026-11-28', '2026-11-26T00:00:00Z', '2026-11-28'],
    ['else the carrier’s first EDD', null, '2026-11-26T20:00:00-05:00', '2026-11-26'],
    ['else none', null, null, null],
  ])('should take the promise: %s', (_name, promised, carrierFirst, expected) => {
    expect(promiseDate(promised, carrierFirst)).toBe(expected);
  });

  it.each([
    ['no promise', null, '2026-11-30', '2026-11-25', null],
    ['predicted after the promise: late from today', '2026-11-27', '2026-11-30', '2026-11-25', '2026-11-25'],
    ['predicted in time: late once the promise passes', '2026-11-27', '2026-11-26', '2026-11-25', '2026-11-28'],
    ['no prediction: late once the promise passes', '2026-11-27', null, '2026-11-25', '2026-11-28'],
  ])('should date lateness: %s', (_name, promise, earliest, today, expected) => {
    expect(lateFromDate({ promise, predictedEarliest: earliest, today })).toBe(expected);
  });

  const now = '2026-11-25T15:00:00.000Z';
  it.each<[string, Partial<AlertShipmentFacts>, string | null]>([
    ['no promise', { predictedEddEarliest: '2026-12-01' }, null],
    [
      'even the early end misses the merchant’s date',
      { promisedDeliveryDate: '2026-11-27', predictedEddEarliest: '2026-11-30' },
      now,
    ],
    ['the early end still makes it', { promisedDeliveryDate: '2026-11-27', predictedEddEarliest: '2026-11-27' }, null],
    [
      'the carrier revised past its first date',
      { carrierEddFirst: '2026-11-26', predictedEddEarliest: '2026-11-27' },
      now,
    ],
    ['the promise passed undelivered', { promisedDeliveryDate: '2026-11-23' }, '2026-11-24T00:00:00.000Z'],
    [
      'out for delivery is arriving, not late',
      { status: 'out_for_delivery', promisedDeliveryDate: '2026-11-23' },
      null,
    ],
    ['delivered', { status: 'delivered', promisedDeliveryDate: '2026-11-23' }, null],
    ['refunded order', { orderStatus: 'refunded', promisedDeliveryDate: '2026-11-23' }, null],
  ])('should decide: %s', (_name, overrides, since) => {
    expect(detectPredictedLate({ ...shipment, ...overrides }, now, 'UTC')?.since ?? null).toBe(since);
  });
});

describe('arriving_today', () => {
  const today: Partial<AlertShipmentFacts> = { predictedEdd: '2026-11-25', predictedEddConfidence: 'medium' };
  it.each<[string, Partial<AlertShipmentFacts>, string, boolean]>([
    ['in transit, expected today, morning', today, '2026-11-25T08:00:00.000Z', true],
    ['before 07:00', today, '2026-11-25T06:59:00.000Z', false],
    ['already out for delivery', { ...today, status: 'out_for_delivery' }, '2026-11-25T09:00:00.000Z', false],
    ['low confidence', { ...today, predictedEddConfidence: 'low' }, '2026-11-25T09:00:00.000Z', false],
    ['expected tomorrow', { ...today, predictedEdd: '2026-11-26' }, '2026-11-25T09:00:00.000Z', false],
    ['cancelled order', { ...today, orderStatus: 'cancelled' }, '2026-11-25T09:00:00.000Z', false],
    // 14:00 UTC is 06:00 in Los Angeles: the customer's morning has not begun.
    [
      'the customer’s zone: too early in California',
      { ...today, shippingAddress: { country: 'US', region: 'CA' } },
      '2026-11-25T14:00:00.000Z',
      false,
    ],
    [
      'the customer’s zone: 08:00 in California',
      { ...today, shippingAddress: { country: 'US', region: 'CA' } },
      '2026-11-25T16:00:00.000Z',
      true,
    ],
  ])('should decide: %s', (_name, overrides, now, expected) => {
    expect(detectArrivingToday({ ...shipment, ...overrides }, now, 'UTC') !== null).toBe(expected);
  });

  it('should raise every alert that holds at once', () => {
    const stalledAndLate = { ...shipment, promisedDeliveryDate: '2026-11-23' };
    expect(
      detectShipmentAlerts(stalledAndLate, DEFAULT_ALERT_SETTINGS, '2026-11-26T08:00:00.000Z', 'UTC').map(
        (a) => a.milestone,
      ),
    ).toEqual(['stalled_in_transit', 'predicted_late']);
  });
});
