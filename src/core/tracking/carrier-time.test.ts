import { describe, expect, it } from 'vitest';

import { inferTimeZone, resolveCarrierTime, zonedTimeToInstant } from './carrier-time.js';
import { trackingEventKey } from './event-key.js';

describe('resolveCarrierTime', () => {
  it.each([
    ['2026-11-26T14:05:00-05:00', null, '2026-11-26T19:05:00.000Z', false],
    ['2026-11-26T19:05:00Z', null, '2026-11-26T19:05:00.000Z', false],
    // No offset: the event's place decides (New York in November is UTC-5)...
    ['2026-11-26T14:05:00', { region: 'NY', country: 'US' }, '2026-11-26T19:05:00.000Z', true],
    // ...and in July daylight saving time applies (UTC-4).
    ['2026-07-01T14:05:00', { region: 'NY', country: 'US' }, '2026-07-01T18:05:00.000Z', true],
    ['2026-11-26T14:05:00', { region: null, country: 'DE' }, '2026-11-26T13:05:00.000Z', true],
  ] as const)('should read %s at %j as %s (inferred: %s)', (local, location, instant, inferred) => {
    expect(resolveCarrierTime({ local, location })).toEqual({
      occurredAt: instant,
      occurredAtLocal: local,
      timeZoneInferred: inferred,
    });
  });

  it('should fall back to the destination, then UTC, and flag both as inferred', () => {
    expect(
      resolveCarrierTime({
        local: '2026-11-26T09:00:00',
        location: null,
        fallbackLocation: { region: 'CA', country: 'US' },
      })?.occurredAt,
    ).toBe('2026-11-26T17:00:00.000Z');
    expect(resolveCarrierTime({ local: '2026-11-26T09:00:00' })).toEqual({
      occurredAt: '2026-11-26T09:00:00.000Z',
      occurredAtLocal: '2026-11-26T09:00:00',
      timeZoneInferred: true,
    });
  });

  it('should refuse text that is not a time', () => {
    expect(resolveCarrierTime({ local: 'yesterday' })).toBeNull();
    expect(zonedTimeToInstant('2026-11-26T09:00:00', 'Not/AZone')).toBeNull();
  });

  it('should pick the zone from state or province before the country', () => {
    expect(inferTimeZone({ region: 'AZ', country: 'us' })).toBe('America/Phoenix');
    expect(inferTimeZone({ region: 'BC', country: 'CA' })).toBe('America/Vancouver');
    expect(inferTimeZone({ region: null, country: 'ZZ' })).toBeNull();
  });
});

describe('trackingEventKey', () => {
  const event = {
    carrier: 'ups',
    rawCode: 'AR',
    occurredAt: '2026-11-26T10:00:00.000Z',
    occurredAtLocal: null,
    location: { city: 'Lyon', region: null, postalCode: null, country: 'FR' },
    description: 'Arrived',
  };

  it('should be the same for the same event however it is spelled in case and spacing', () => {
    expect(trackingEventKey(event)).toBe(
      trackingEventKey({
        ...event,
        description: '  arrived ',
        location: { city: 'LYON', region: null, postalCode: null, country: 'fr' },
      }),
    );
  });

  it('should differ when the code, time or place differs', () => {
    const keys = new Set([
      trackingEventKey(event),
      trackingEventKey({ ...event, rawCode: 'DP' }),
      trackingEventKey({ ...event, occurredAt: '2026-11-26T10:00:01.000Z' }),
      trackingEventKey({ ...event, location: null }),
    ]);
    expect(keys.size).toBe(4);
  });
});
