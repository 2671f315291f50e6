/**
 * Local dates and business days for delivery estimates. Dates are
 * `YYYY-MM-DD` strings in some IANA zone; business days are Monday to Friday.
 * Public holidays are not modelled: nothing in the schema says which calendar
 * a lane follows, and a holiday week simply shows up as slower samples.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      // A store with a zone Intl does not know still gets dates: UTC ones.
      formatter = formatterFor('UTC');
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and hour of an instant in a zone. */
export function localDateTime(instant: string, timeZone: string): { date: string; hour: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) % 24 };
}

export function localDate(instant: string, timeZone: string): string {
  return localDateTime(instant, timeZone).date;
}

/**
 * The calendar date a carrier EDD names. Carriers give a local date
 * (`2026-11-28`) or a local/offset instant (`2026-11-28T20:00:00-05:00`): in
 * both the date as written is the day the carrier means.
 */
export function eddDate(value: string | null): string | null {
  if (!value) return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match ? match[1]! : null;
}

function toDayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addCalendarDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

export function isBusinessDay(date: string): boolean {
  const weekday = new Date(toDayNumber(date) * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Business days after `start` up to and including `end`: Friday → Monday is
 * 1, Friday → Saturday is 0. Zero when `end` is not after `start`.
 */
export function businessDaysBetween(start: string, end: string): number {
  const from = toDayNumber(start);
  const to = toDayNumber(end);
  if (to <= from) return 0;
  const fullWeeks = Math.floor((to - from) / 7);
  let count = fullWeeks * 5;
  for (let day = from + fullWeeks * 7 + 1; day <= to; day += 1) {
    if (isBusinessDay(fromDayNumber(day))) count += 1;
  }
  return count;
}

/** The `days`-th business day after `date` (the earliest date that far on); `date` itself for 0. */
export function addBusinessDays(date: string, days: number): string {
  const wanted = Math.max(0, Math.floor(days));
  if (wanted === 0) return date;
  // Whole weeks first, so a long transit costs a few steps rather than one per day.
  const weeks = Math.floor((wanted - 1) / 5);
  let day = toDayNumber(date) + weeks * 7;
  let remaining = wanted - weeks * 5;
  while (remaining > 0) {
    day += 1;
    if (isBusinessDay(fromDayNumber(day))) remaining -= 1;
  }
  return fromDayNumber(day);
}

export function laterDate(a: string, b: string): string {
  return a >= b ? a : b;
}
