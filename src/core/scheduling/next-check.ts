import type { ShippingStatus, Substatus } from '../shipment/shipping-status.js';
import { addMs } from './backoff.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** No carrier news for this long and the tracker expires (our decision, not the carrier's). */
export const EXPIRE_AFTER_MS = 30 * DAY;
/** A delivered parcel is still watched this long, in case a return leg starts. */
export const WATCH_AFTER_DELIVERY_MS = 15 * DAY;

export type ScheduleInput = {
  now: string;
  status: ShippingStatus;
  substatus: Substatus;
  createdAt: string;
  lastEventAt: string | null;
  deliveredAt: string | null;
  /** Carrier or predicted EDD, ISO date or instant. */
  estimatedDelivery: string | null;
  /** When the carrier says it will next have news (sandbox), if it knows. */
  carrierNextUpdateAt?: string | null;
  /** 0..1, spreads checks of shipments created together. */
  random?: number;
};

export type ScheduleDecision = { nextCheckAt: string | null; expire: boolean };

function sameOrNextDay(now: string, edd: string | null): boolean {
  if (!edd) return false;
  const eddDay = edd.slice(0, 10);
  const today = now.slice(0, 10);
  const tomorrow = addMs(now, DAY).slice(0, 10);
  return eddDay === today || eddDay === tomorrow;
}

/**
 * When to ask the carrier again. Sooner when something is about to happen
 * (on the van, delivery expected today or tomorrow, a fresh label), slower
 * when the parcel is quiet, never after a final state; `expire` when there
 * has been no news for 30 days. The carrier's own hint wins when it has one.
 */
export function decideNextCheck(input: ScheduleInput): ScheduleDecision {
  const { now, status } = input;
  const nowMs = Date.parse(now);
  const lastNewsMs = Date.parse(input.lastEventAt ?? input.createdAt);

  if (status === 'failure' || status === 'cancelled' || status === 'expired')
    return { nextCheckAt: null, expire: false };
  if (status === 'return_to_sender' && input.substatus === 'returned') return { nextCheckAt: null, expire: false };
  if (status === 'delivered') {
    const deliveredMs = Date.parse(input.deliveredAt ?? input.lastEventAt ?? now);
    if (nowMs - deliveredMs >= WATCH_AFTER_DELIVERY_MS) return { nextCheckAt: null, expire: false };
    return { nextCheckAt: addMs(now, DAY), expire: false };
  }
  if (nowMs - lastNewsMs >= EXPIRE_AFTER_MS) return { nextCheckAt: null, expire: true };

  if (input.carrierNextUpdateAt) {
    const hinted = Math.max(Date.parse(input.carrierNextUpdateAt), nowMs + 1000);
    return { nextCheckAt: new Date(hinted).toISOString(), expire: false };
  }

  let interval: number;
  switch (status) {
    case 'out_for_delivery':
      interval = 30 * MINUTE;
      break;
    case 'attempt_failed':
    case 'exception':
      interval = 2 * HOUR;
      break;
    case 'available_for_pickup':
    case 'return_to_sender':
      interval = 6 * HOUR;
      break;
    case 'in_transit':
      if (sameOrNextDay(now, input.estimatedDelivery)) interval = HOUR;
      else interval = nowMs - lastNewsMs > 3 * DAY ? 6 * HOUR : 3 * HOUR;
      break;
    default:
      // pending, info_received, unknown: labels are often scanned within a day; then patience.
      interval = nowMs - Date.parse(input.createdAt) < DAY ? HOUR : 4 * HOUR;
      break;
  }
  const jitter = 1 + ((input.random ?? 0.5) - 0.5) * 0.2;
  return { nextCheckAt: addMs(now, Math.round(interval * jitter)), expire: false };
}
