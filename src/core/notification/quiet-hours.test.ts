import { describe, expect, it } from 'vitest';

import { quietHoursReleaseAt } from './quiet-hours.js';

describe('quietHoursReleaseAt', () => {
  const night = { start: '21:00', end: '08:00' };

  it.each([
    // 23:30 in Paris (UTC+1 in November) is quiet: released at 08:00 Paris the next morning.
    ['2026-11-26T22:30:00.000Z', night, 'Europe/Paris', '2026-11-27T07:00:00.000Z'],
    // 06:00 in Paris, after midnight: released at 08:00 the same day.
    ['2026-11-27T05:00:00.000Z', night, 'Europe/Paris', '2026-11-27T07:00:00.000Z'],
    // 12:00 in Paris is outside.
    ['2026-11-26T11:00:00.000Z', night, 'Europe/Paris', null],
    // The same instant is daytime in Los Angeles? 22:30Z is 14:30 there: outside.
    ['2026-11-26T22:30:00.000Z', night, 'America/Los_Angeles', null],
    // Off, malformed, or empty windows hold nothing.
    ['2026-11-26T22:30:00.000Z', null, 'Europe/Paris', null],
    ['2026-11-26T22:30:00.000Z', { start: '25:00', end: '08:00' }, 'Europe/Paris', null],
    ['2026-11-26T22:30:00.000Z', { start: '08:00', end: '08:00' }, 'Europe/Paris', null],
    // A same-day window (lunch break 12:00–14:00 UTC).
    ['2026-11-26T12:30:00.000Z', { start: '12:00', end: '14:00' }, 'UTC', '2026-11-26T14:00:00.000Z'],
  ] as const)('should hold a message at %s with %j in %s until %s', (now, quiet, zone, expected) => {
    expect(quietHoursReleaseAt(now, quiet, zone)).toBe(expected);
  });
});
