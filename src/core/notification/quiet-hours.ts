import { zonedTimeToInstant } from '../tracking/carrier-time.js';
import type { Milestone } from './milestone.js';

/** `HH:MM` local times; a window may wrap midnight (21:00–08:00). */
export type QuietHours = { start: string; end: string };

/** News the customer needs at once, whatever the hour: the parcel is at the door or waiting. */
const URGENT: ReadonlySet<Milestone> = new Set<Milestone>([
  'out_for_delivery',
  'attempt_failed',
  'available_for_pickup',
  'arriving_today',
]);

export function isUrgentMilestone(milestone: Milestone): boolean {
  return URGENT.has(milestone);
}

function minutesOf(hhmm: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/**
 * When a message held by quiet hours may go, or null when `now` is outside
 * them (or they are off or malformed). Local time is read in the recipient's
 * (or store's) time zone.
 */
export function quietHoursReleaseAt(now: string, quiet: QuietHours | null, timeZone: string): string | null {
  if (!quiet) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === null || end === null || start === end) return null;
  let local: { date: string; minutes: number };
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(now));
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
    local = {
      date: `${get('year')}-${get('month')}-${get('day')}`,
      minutes: Number(get('hour')) * 60 + Number(get('minute')),
    };
  } catch {
    return null;
  }
  const inside =
    start < end ? local.minutes >= start && local.minutes < end : local.minutes >= start || local.minutes < end;
  if (!inside) return null;
  // The end falls today when we are past midnight in a wrapping window (or in a same-day window), else tomorrow.
  const endToday = start < end || local.minutes < end;
  const day = endToday
    ? local.date
    : new Date(Date.parse(`${local.date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return zonedTimeToInstant(`${day}T${quiet.end}:00`, timeZone);
}
