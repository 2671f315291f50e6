import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  AnalyticsQueries,
  AnalyticsRange,
  ExceptionReasonRow,
  NotificationCountRow,
  OnTimeRow,
  StatusPerDay,
  TransitBucket,
} from '../core/ports/dashboard-queries.port.js';

export type { AnalyticsQueries };

export const ANALYTICS_PERIODS = [7, 30, 90] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];

export type TransitSummary = {
  carrier: string | null;
  service: string | null;
  delivered: number;
  medianDays: number;
  p90Days: number;
  /** Parcels per whole day of transit, index = days (the last bucket holds 30 and more). */
  histogram: number[];
};

export type DeliveryAnalytics = {
  range: AnalyticsRange;
  /** Every UTC day of the period, for axes with no gaps. */
  days: string[];
  ordersByStatus: StatusPerDay[];
  shipmentsByStatus: StatusPerDay[];
  transit: TransitSummary[];
  onTime: (OnTimeRow & { rate: number | null })[];
  exceptions: ExceptionReasonRow[];
  notifications: NotificationCountRow[];
};

const DAY_MS = 86_400_000;

/** The last `days` UTC days, today included. */
export function periodEndingToday(now: string, days: number): { range: AnalyticsRange; days: string[] } {
  const today = Date.parse(`${now.slice(0, 10)}T00:00:00.000Z`);
  const from = today - (days - 1) * DAY_MS;
  const list = Array.from({ length: days }, (_, i) => new Date(from + i * DAY_MS).toISOString().slice(0, 10));
  return {
    range: { from: new Date(from).toISOString(), to: new Date(today + DAY_MS).toISOString() },
    days: list,
  };
}

/** The smallest whole day by which `share` of the parcels had arrived. */
function percentile(histogram: number[], share: number): number {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  let seen = 0;
  for (let day = 0; day < histogram.length; day += 1) {
    seen += histogram[day] ?? 0;
    if (seen >= share * total) return day;
  }
  return histogram.length - 1;
}

export function summariseTransit(buckets: TransitBucket[]): TransitSummary[] {
  const lanes = new Map<string, TransitSummary>();
  for (const bucket of buckets) {
    const key = JSON.stringify([bucket.carrier, bucket.service]);
    let lane = lanes.get(key);
    if (!lane) {
      lane = {
        carrier: bucket.carrier,
        service: bucket.service,
        delivered: 0,
        medianDays: 0,
        p90Days: 0,
        histogram: [],
      };
      lanes.set(key, lane);
    }
    while (lane.histogram.length <= bucket.days) lane.histogram.push(0);
    lane.histogram[bucket.days] = (lane.histogram[bucket.days] ?? 0) + bucket.count;
    lane.delivered += bucket.count;
  }
  return [...lanes.values()]
    .map((lane) => ({ ...lane, medianDays: percentile(lane.histogram, 0.5), p90Days: percentile(lane.histogram, 0.9) }))
    .sort((a, b) => b.delivered - a.delivered);
}

/**
 * The store's delivery analytics over the last 7, 30 or 90 days: six grouped
 * queries run side by side, then the lane percentiles and on-time rates are
 * derived here from their counts.
 */
export async function getDeliveryAnalytics(
  deps: { analytics: AnalyticsQueries; clock: Clock },
  storeId: string,
  periodDays: number,
): Promise<DeliveryAnalytics> {
  if (!(ANALYTICS_PERIODS as readonly number[]).includes(periodDays))
    throw new DomainError(ErrorCode.InvalidInput, `period must be one of ${ANALYTICS_PERIODS.join(', ')} days`);
  const { range, days } = periodEndingToday(deps.clock.now(), periodDays);
  const q = deps.analytics;
  const [ordersByStatus, shipmentsByStatus, transit, onTime, exceptions, notifications] = await Promise.all([
    q.ordersByStatusPerDay(storeId, range),
    q.shipmentsByStatusPerDay(storeId, range),
    q.transitTimes(storeId, range),
    q.onTimeRates(storeId, range),
    q.exceptionsByReason(storeId, range),
    q.notificationsByMilestone(storeId, range),
  ]);
  return {
    range,
    days,
    ordersByStatus,
    shipmentsByStatus,
    transit: summariseTransit(transit),
    onTime: onTime.map((row) => ({
      ...row,
      rate: row.withPromise === 0 ? null : Math.round((row.onTime / row.withPromise) * 1000) / 10,
    })),
    exceptions,
    notifications,
  };
}
