import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { localDate } from './calendar.js';
import {
  confidenceOf,
  destinationArea,
  MIN_SAMPLES,
  originArea,
  percentile,
  predictDelivery,
  transitSampleOf,
  type LaneHistory,
  type PredictionContext,
  type TransitSample,
} from './predict-delivery.js';

// Wednesday 25 November 2026, 15:00 UTC.
const NOW = '2026-11-25T15:00:00.000Z';

const context: PredictionContext = {
  now: NOW,
  timeZone: 'UTC',
  status: 'in_transit',
  shippedAt: '2026-11-24T10:00:00.000Z',
  firstScanAt: '2026-11-25T09:00:00.000Z',
  carrierEddLatest: null,
};

/** Samples measured from the first scan (and from shipping, one day more). */
function scans(...days: number[]): TransitSample[] {
  return days.map((d) => ({ fromFirstScan: d, fromShipped: d + 1 }));
}
function repeat(days: number, count: number): number[] {
  return Array.from({ length: count }, () => days);
}

describe('predictDelivery', () => {
  it.each<[string, Partial<PredictionContext>, LaneHistory[], ReturnType<typeof predictDelivery>]>([
    [
      'out for delivery: today, whatever history says',
      { status: 'out_for_delivery' },
      [{ level: 'lane', samples: scans(...repeat(5, 30)) }],
      {
        date: '2026-11-25',
        earliest: '2026-11-25',
        latest: '2026-11-25',
        confidence: 'high',
        basis: 'out_for_delivery',
        sampleCount: 0,
      },
    ],
    ['delivered: no estimate', { status: 'delivered' }, [{ level: 'lane', samples: scans(...repeat(2, 30)) }], null],
    ['at a pickup point: no estimate', { status: 'available_for_pickup', carrierEddLatest: '2026-11-26' }, [], null],
    [
      'a steady lane: two business days after Wednesday is Friday, medium below 50 samples',
      {},
      [{ level: 'lane', samples: scans(...repeat(2, 30)) }],
      {
        date: '2026-11-27',
        earliest: '2026-11-27',
        latest: '2026-11-27',
        confidence: 'medium',
        basis: 'lane',
        sampleCount: 30,
      },
    ],
    [
      'a thin lane falls back to carrier + service, high with 60 narrow samples',
      {},
      [
        { level: 'lane', samples: scans(...repeat(9, MIN_SAMPLES - 1)) },
        { level: 'carrier_service', samples: scans(...repeat(1, 10), ...repeat(2, 40), ...repeat(3, 10)) },
      ],
      {
        date: '2026-11-27',
        earliest: '2026-11-26',
        latest: '2026-11-30',
        confidence: 'high',
        basis: 'carrier_service',
        sampleCount: 60,
      },
    ],
    [
      'a wide lane is low confidence',
      {},
      [{ level: 'carrier', samples: scans(...repeat(1, 10), ...repeat(4, 10), ...repeat(9, 10)) }],
      {
        date: '2026-12-01',
        earliest: '2026-11-26',
        latest: '2026-12-08',
        confidence: 'low',
        basis: 'carrier',
        sampleCount: 30,
      },
    ],
    [
      'no history: the carrier’s latest EDD, medium',
      { carrierEddLatest: '2026-11-30T20:00:00-05:00' },
      [{ level: 'lane', samples: scans(1, 2, 3) }],
      {
        date: '2026-11-30',
        earliest: '2026-11-30',
        latest: '2026-11-30',
        confidence: 'medium',
        basis: 'carrier_estimate',
        sampleCount: 0,
      },
    ],
    ['no history and no carrier EDD: nothing', {}, [], null],
    [
      'the carrier’s date wins while history finds it plausible',
      { carrierEddLatest: '2026-11-30' },
      [{ level: 'lane', samples: scans(...repeat(1, 10), ...repeat(2, 10), ...repeat(3, 10)) }],
      {
        date: '2026-11-30',
        earliest: '2026-11-26',
        latest: '2026-11-30',
        confidence: 'medium',
        basis: 'lane',
        sampleCount: 30,
      },
    ],
    [
      'history overrides a carrier date outside its range',
      { carrierEddLatest: '2026-11-26' },
      [{ level: 'lane', samples: scans(...repeat(4, 10), ...repeat(5, 20)) }],
      {
        date: '2026-12-02',
        earliest: '2026-12-01',
        latest: '2026-12-02',
        confidence: 'medium',
        basis: 'lane',
        sampleCount: 30,
      },
    ],
    [
      'before the first scan the clock starts at shipping, with samples measured from shipping',
      { firstScanAt: null, shippedAt: '2026-11-24T10:00:00.000Z' },
      [{ level: 'lane', samples: scans(...repeat(2, 30)) }],
      // fromShipped = 3: Tuesday + 3 business days.
      {
        date: '2026-11-27',
        earliest: '2026-11-27',
        latest: '2026-11-27',
        confidence: 'medium',
        basis: 'lane',
        sampleCount: 30,
      },
    ],
    [
      'a parcel already travelling 7 business days only counts deliveries that took 7 or more',
      { firstScanAt: '2026-11-16T09:00:00.000Z' },
      [{ level: 'lane', samples: scans(...repeat(2, 100), ...repeat(7, 10), ...repeat(8, 15)) }],
      {
        date: '2026-11-26',
        earliest: '2026-11-25',
        latest: '2026-11-26',
        confidence: 'medium',
        basis: 'lane',
        sampleCount: 25,
      },
    ],
    [
      'a parcel that outran its lane falls through to the carrier',
      { firstScanAt: '2026-11-02T09:00:00.000Z', carrierEddLatest: '2026-11-27' },
      [{ level: 'lane', samples: scans(...repeat(2, 100)) }],
      {
        date: '2026-11-27',
        earliest: '2026-11-27',
        latest: '2026-11-27',
        confidence: 'medium',
        basis: 'carrier_estimate',
        sampleCount: 0,
      },
    ],
  ])('should predict: %s', (_name, overrides, history, expected) => {
    expect(predictDelivery({ ...context, ...overrides, history })).toEqual(expected);
  });

  const sampleArb = fc.record({
    fromFirstScan: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }),
    fromShipped: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }),
  });
  const contextArb = fc.record({
    nowOffsetHours: fc.integer({ min: 0, max: 24 * 20 }),
    scannedHoursBefore: fc.option(fc.integer({ min: 0, max: 24 * 12 }), { nil: null }),
    carrierEddLatest: fc.option(
      fc
        .integer({ min: -5, max: 20 })
        .map((d) => new Date(Date.parse(NOW) + d * 86_400_000).toISOString().slice(0, 10)),
      { nil: null },
    ),
  });
  function contextOf(c: {
    nowOffsetHours: number;
    scannedHoursBefore: number | null;
    carrierEddLatest: string | null;
  }): PredictionContext {
    const now = new Date(Date.parse(NOW) + c.nowOffsetHours * 3_600_000).toISOString();
    const scanned =
      c.scannedHoursBefore === null ? null : new Date(Date.parse(now) - c.scannedHoursBefore * 3_600_000).toISOString();
    return { ...context, now, firstScanAt: scanned, shippedAt: scanned, carrierEddLatest: c.carrierEddLatest };
  }

  it('should keep the date inside its range, and a history range never before today', () => {
    fc.assert(
      fc.property(contextArb, fc.array(sampleArb, { maxLength: 120 }), (c, samples) => {
        const ctx = contextOf(c);
        const prediction = predictDelivery({ ...ctx, history: [{ level: 'lane', samples }] });
        if (!prediction) return;
        expect(prediction.earliest <= prediction.date && prediction.date <= prediction.latest).toBe(true);
        if (prediction.basis === 'lane') {
          expect(prediction.earliest >= localDate(ctx.now, ctx.timeZone)).toBe(true);
          expect(prediction.sampleCount).toBeGreaterThanOrEqual(MIN_SAMPLES);
        }
        if (prediction.confidence === 'high' && prediction.basis === 'lane')
          expect(prediction.sampleCount).toBeGreaterThanOrEqual(50);
      }),
    );
  });

  it('should not depend on the order samples come in', () => {
    fc.assert(
      fc.property(contextArb, fc.array(sampleArb, { maxLength: 80 }), fc.integer(), (c, samples, seed) => {
        const ctx = contextOf(c);
        const shuffled = [...samples].sort(
          (a, b) => ((JSON.stringify(a).length * seed) % 7) - ((JSON.stringify(b).length * seed) % 7),
        );
        expect(predictDelivery({ ...ctx, history: [{ level: 'lane', samples: shuffled }] })).toEqual(
          predictDelivery({ ...ctx, history: [{ level: 'lane', samples }] }),
        );
      }),
    );
  });

  it('should ignore a thinner level in front of one that decides', () => {
    fc.assert(
      fc.property(
        contextArb,
        fc.array(sampleArb, { maxLength: MIN_SAMPLES - 1 }),
        fc.array(sampleArb, { maxLength: 80 }),
        (c, thin, samples) => {
          const ctx = contextOf(c);
          const alone = predictDelivery({ ...ctx, history: [{ level: 'carrier', samples }] });
          const behind = predictDelivery({
            ...ctx,
            history: [
              { level: 'lane', samples: thin },
              { level: 'carrier', samples },
            ],
          });
          expect(behind).toEqual(alone);
        },
      ),
    );
  });
});

describe('percentile and confidence', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1, 1],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[4], 0.9, 4],
  ])('should take the nearest rank of %j at %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it.each([
    [60, 2, 'high'],
    [60, 3, 'medium'],
    [49, 0, 'medium'],
    [30, 4, 'medium'],
    [30, 5, 'low'],
    [10, 0, 'low'],
  ])('should rate %d samples spread over %d days as %s', (count, spread, expected) => {
    expect(confidenceOf(count, spread)).toBe(expected);
  });
});

describe('lanes and samples', () => {
  it.each([
    ['region', { country: 'us', region: 'CA', postalCode: '94107' }, 'US-CA'],
    ['postal prefix without a region', { country: 'FR', region: null, postalCode: '69 001' }, 'FR-69'],
    ['country only', { country: 'DE', region: ' ', postalCode: null }, 'DE'],
    ['nothing', { country: null, region: 'CA', postalCode: '94107' }, ''],
  ])('should key the destination by %s', (_name, address, expected) => {
    expect(destinationArea(address)).toBe(expected);
  });

  it('should take the origin from the earliest scan with a country', () => {
    const at = (occurredAt: string, country: string | null, region: string | null) => ({
      occurredAt,
      location: country || region ? { city: null, postalCode: null, country, region } : null,
    });
    expect(
      originArea([
        at('2026-11-25T10:00:00.000Z', 'US', 'NV'),
        at('2026-11-24T08:00:00.000Z', null, 'CA'),
        at('2026-11-24T09:00:00.000Z', 'US', 'CA'),
      ]),
    ).toBe('US-CA');
    expect(originArea([at('2026-11-24T09:00:00.000Z', null, null)])).toBe('');
  });

  it.each([
    [
      'both starts',
      {
        shippedAt: '2026-11-20T10:00:00.000Z',
        firstScanAt: '2026-11-23T10:00:00.000Z',
        deliveredAt: '2026-11-25T12:00:00.000Z',
      },
      { fromShipped: 3, fromFirstScan: 2 },
    ],
    [
      'no first scan',
      { shippedAt: '2026-11-20T10:00:00.000Z', firstScanAt: null, deliveredAt: '2026-11-25T12:00:00.000Z' },
      { fromShipped: 3, fromFirstScan: null },
    ],
    [
      'a start after delivery is ignored',
      { shippedAt: '2026-11-26T10:00:00.000Z', firstScanAt: null, deliveredAt: '2026-11-25T12:00:00.000Z' },
      null,
    ],
    [
      'a lost-and-found parcel is not a transit time',
      { shippedAt: '2026-01-02T10:00:00.000Z', firstScanAt: null, deliveredAt: '2026-11-25T12:00:00.000Z' },
      null,
    ],
    ['not delivered', { shippedAt: '2026-11-20T10:00:00.000Z', firstScanAt: null, deliveredAt: null }, null],
  ])('should measure a delivered parcel: %s', (_name, times, expected) => {
    expect(transitSampleOf(times, 'UTC')).toEqual(expected);
  });
});
