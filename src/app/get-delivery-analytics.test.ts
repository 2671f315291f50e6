import { describe, expect, it } from 'vitest';

import { periodEndingToday, summariseTransit } from './get-delivery-analytics.js';

describe('periodEndingToday', () => {
  it('should cover whole UTC days, today included', () => {
    const { range, days } = periodEndingToday('2026-11-26T15:30:00.000Z', 3);

    expect(range).toEqual({ from: '2026-11-24T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' });
    expect(days).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
  });
});

describe('summariseTransit', () => {
  it('should give each lane its histogram, median and 90th percentile, busiest lane first', () => {
    const lanes = summariseTransit([
      { carrier: 'ups', service: 'Ground', days: 1, count: 2 },
      { carrier: 'ups', service: 'Ground', days: 2, count: 5 },
      { carrier: 'ups', service: 'Ground', days: 6, count: 3 },
      { carrier: 'dhl', service: null, days: 3, count: 1 },
    ]);

    expect(lanes).toEqual([
      { carrier: 'ups', service: 'Ground', delivered: 10, medianDays: 2, p90Days: 6, histogram: [0, 2, 5, 0, 0, 0, 3] },
      { carrier: 'dhl', service: null, delivered: 1, medianDays: 3, p90Days: 3, histogram: [0, 0, 0, 1] },
    ]);
  });
});
