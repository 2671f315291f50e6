import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  addBusinessDays,
  addCalendarDays,
  businessDaysBetween,
  eddDate,
  isBusinessDay,
  localDate,
  localDateTime,
} from './calendar.js';

// 2026-11-27 is a Friday.
describe('business days', () => {
  it.each([
    ['Friday → Monday', '2026-11-27', '2026-11-30', 1],
    ['Friday → Saturday', '2026-11-27', '2026-11-28', 0],
    ['Friday → Friday', '2026-11-27', '2026-11-27', 0],
    ['Monday → Friday', '2026-11-23', '2026-11-27', 4],
    ['Saturday → Monday', '2026-11-28', '2026-11-30', 1],
    ['two weeks and a day', '2026-11-23', '2026-12-08', 11],
    ['end before start', '2026-11-27', '2026-11-20', 0],
  ])('should count %s', (_name, start, end, expected) => {
    expect(businessDaysBetween(start, end)).toBe(expected);
  });

  it.each([
    ['0 keeps the day', '2026-11-28', 0, '2026-11-28'],
    ['Friday + 1', '2026-11-27', 1, '2026-11-30'],
    ['Wednesday + 2', '2026-11-25', 2, '2026-11-27'],
    ['Saturday + 5 lands on Friday', '2026-11-28', 5, '2026-12-04'],
    ['Saturday + 6', '2026-11-28', 6, '2026-12-07'],
    ['Friday + 10', '2026-11-27', 10, '2026-12-11'],
  ])('should add: %s', (_name, date, days, expected) => {
    expect(addBusinessDays(date, days)).toBe(expected);
  });

  const anyDate = fc.integer({ min: 0, max: 3650 }).map((offset) => addCalendarDays('2024-01-01', offset));

  it('should land n business days later, on the earliest such date, a weekday for n > 0', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 80 }), (date, days) => {
        const result = addBusinessDays(date, days);
        expect(businessDaysBetween(date, result)).toBe(days);
        if (days > 0) {
          expect(isBusinessDay(result)).toBe(true);
          expect(businessDaysBetween(date, addCalendarDays(result, -1))).toBe(days - 1);
        }
      }),
    );
  });

  it('should add up over a middle date', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (start, a, b) => {
        const middle = addCalendarDays(start, a);
        const end = addCalendarDays(middle, b);
        expect(businessDaysBetween(start, end)).toBe(
          businessDaysBetween(start, middle) + businessDaysBetween(middle, end),
        );
      }),
    );
  });
});

describe('local dates', () => {
  it.each([
    ['UTC', '2026-11-27T23:30:00.000Z', 'UTC', '2026-11-27', 23],
    ['behind UTC, still the day before', '2026-11-28T03:00:00.000Z', 'America/New_York', '2026-11-27', 22],
    ['ahead of UTC, already the next day', '2026-11-27T23:30:00.000Z', 'Asia/Tokyo', '2026-11-28', 8],
    ['an unknown zone reads as UTC', '2026-11-27T23:30:00.000Z', 'Mars/Olympus', '2026-11-27', 23],
  ])('should read %s', (_name, instant, zone, date, hour) => {
    expect(localDateTime(instant, zone)).toEqual({ date, hour });
    expect(localDate(instant, zone)).toBe(date);
  });

  it.each([
    ['a date', '2026-11-28', '2026-11-28'],
    ['an offset instant keeps the written day', '2026-11-28T20:00:00-05:00', '2026-11-28'],
    ['nonsense', 'soon', null],
    ['nothing', null, null],
  ])('should take the EDD date of %s', (_name, value, expected) => {
    expect(eddDate(value)).toBe(expected);
  });
});
