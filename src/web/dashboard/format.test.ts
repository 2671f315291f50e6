import { describe, expect, it } from 'vitest';

import { formatAge, formatDay, formatInstant, jsonForScript, queryString } from './format.js';

const NOW = '2026-11-26T12:00:00.000Z';

describe('formatAge', () => {
  it.each<[string, string]>([
    ['2026-11-26T11:59:30.000Z', 'just now'],
    ['2026-11-26T11:15:00.000Z', '45 min'],
    ['2026-11-26T07:00:00.000Z', '5 h'],
    ['2026-11-24T13:00:00.000Z', '47 h'],
    ['2026-11-23T08:00:00.000Z', '3 d 4 h'],
    ['2026-11-23T12:00:00.000Z', '3 d'],
    ['2026-11-10T08:00:00.000Z', '16 d'],
  ])('should say %s is %s old', (since, expected) => {
    expect(formatAge(since, NOW)).toBe(expected);
  });
});

describe('formatInstant and formatDay', () => {
  it('should show instants in the store time zone and calendar days as they are', () => {
    expect(formatInstant(NOW, 'Asia/Tokyo')).toBe('26 Nov 2026, 21:00');
    expect(formatInstant(NOW, 'Not/AZone')).toBe('26 Nov 2026, 12:00');
    expect(formatDay('2026-11-28', 'Asia/Tokyo')).toBe('28 Nov 2026');
    expect(formatInstant(null, 'UTC')).toBe('');
  });
});

describe('jsonForScript', () => {
  it('should leave no way to close the script element', () => {
    const json = jsonForScript({ label: '</script><script>alert(1)</script>', line: '\u2028' });

    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ label: '</script><script>alert(1)</script>', line: '\u2028' });
  });
});

describe('queryString', () => {
  it('should keep only the values that are set', () => {
    expect(queryString({ q: 'a b', kind: null, page: 2, empty: '' })).toBe('?q=a+b&page=2');
    expect(queryString({})).toBe('');
  });
});
