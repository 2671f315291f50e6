import type { PostalAddress } from '../order/order.js';
import type { EventLocation } from '../shipment/shipment.js';
import type { ShippingStatus } from '../shipment/shipping-status.js';
import { addBusinessDays, businessDaysBetween, eddDate, laterDate, localDate } from './calendar.js';

/**
 * Waymark's own delivery estimate, from how long this store's parcels on the
 * same lane actually took.
 *
 * Transit is counted in business days (Monday–Friday), not calendar days: a
 * parcel picked up on Friday and one picked up on Tuesday on the same two-day
 * lane then give the same sample (2) instead of 4 and 2, so the range stays
 * as narrow as the lane really is, and the estimate lands on a weekday the way
 * carriers deliver. Saturday deliveries count as the Friday before (0 extra
 * days), an error of one day on a minority of parcels.
 */

/** How wide a lane is, most specific first; a level with too few samples falls back to the next. */
export const LaneLevel = {
  /** Same store (the origin we know: its warehouse), carrier, service, origin area and destination area. */
  Lane: 'lane',
  CarrierService: 'carrier_service',
  Carrier: 'carrier',
} as const;
export type LaneLevel = (typeof LaneLevel)[keyof typeof LaneLevel];
export const LANE_LEVELS: readonly LaneLevel[] = [LaneLevel.Lane, LaneLevel.CarrierService, LaneLevel.Carrier];

export const PredictionBasis = {
  ...LaneLevel,
  /** History too thin: the carrier's latest estimate stands. */
  CarrierEstimate: 'carrier_estimate',
  /** On the van: today. */
  OutForDelivery: 'out_for_delivery',
} as const;
export type PredictionBasis = (typeof PredictionBasis)[keyof typeof PredictionBasis];

export const PredictionConfidence = { High: 'high', Medium: 'medium', Low: 'low' } as const;
export type PredictionConfidence = (typeof PredictionConfidence)[keyof typeof PredictionConfidence];

/**
 * Fewer samples than this and a level says nothing: with 20, the 10th and
 * 90th percentiles each rest on two parcels rather than on the single fastest
 * and slowest one.
 */
export const MIN_SAMPLES = 20;
/** The most recent deliveries a level reads: enough for stable percentiles, recent enough to follow the season. */
export const HISTORY_SAMPLE_LIMIT = 200;
/** Older deliveries say more about last season's network than this one's. */
export const HISTORY_MAX_AGE_DAYS = 180;
/** A sample longer than this is a lost-and-found parcel or bad data, not a transit time. */
export const MAX_TRANSIT_BUSINESS_DAYS = 60;

/** One delivered parcel's transit, measured from the platform's ship time and from the first carrier scan. */
export type TransitSample = { fromShipped: number | null; fromFirstScan: number | null };

export type LaneKey = {
  storeId: string;
  /** Lowercase carrier code; '' when unknown. */
  carrier: string;
  /** '' when the service is unknown. */
  service: string;
  /** `US-CA`, `FR`; '' when no scan had a location. */
  originArea: string;
  /** `US-CA`, `FR-69` (postal prefix when there is no region); '' when unknown. */
  destinationArea: string;
};

export type DeliveryPrediction = {
  /** The local date Waymark expects delivery (`YYYY-MM-DD`). */
  date: string;
  /** The 10th–90th percentile range, as local dates. */
  earliest: string;
  latest: string;
  confidence: PredictionConfidence;
  basis: PredictionBasis;
  /** Deliveries the estimate rests on (0 for the carrier's word). */
  sampleCount: number;
};

export type PredictionContext = {
  now: string;
  /** The zone dates are read in: the destination's when known, else the store's. */
  timeZone: string;
  status: ShippingStatus;
  shippedAt: string | null;
  firstScanAt: string | null;
  carrierEddLatest: string | null;
};

export type LaneHistory = { level: LaneLevel; samples: TransitSample[] };

/** Statuses where a delivery date means something; a parcel at a pickup point or finished has none. */
const PREDICTABLE: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'pending',
  'info_received',
  'in_transit',
  'out_for_delivery',
  'exception',
  'attempt_failed',
  'unknown',
]);

export function isPredictable(status: ShippingStatus): boolean {
  return PREDICTABLE.has(status);
}

function areaKey(country: string | null, detail: string | null): string {
  const code = country?.trim().toUpperCase() ?? '';
  if (code.length === 0) return '';
  const part = detail?.replace(/\s+/g, '').toUpperCase() ?? '';
  return part.length > 0 ? `${code}-${part}` : code;
}

/** Where the parcel goes, as coarse as a region: a postal prefix stands in when the platform gives no region. */
export function destinationArea(address: Pick<PostalAddress, 'country' | 'region' | 'postalCode'>): string {
  const region = address.region?.trim() ? address.region : null;
  const postalPrefix = address.postalCode?.replace(/\s+/g, '').slice(0, 2) || null;
  return areaKey(address.country, region ?? postalPrefix);
}

/** Where the carrier first had the parcel: the earliest scan with a country. */
export function originArea(events: readonly { occurredAt: string; location: EventLocation | null }[]): string {
  let first: { occurredAt: string; location: EventLocation } | null = null;
  for (const event of events) {
    if (!event.location?.country) continue;
    if (!first || event.occurredAt < first.occurredAt)
      first = { occurredAt: event.occurredAt, location: event.location };
  }
  return first ? areaKey(first.location.country, first.location.region) : '';
}

export function laneKeyOf(input: {
  storeId: string;
  carrier: string | null;
  service: string | null;
  originArea: string;
  destinationArea: string;
}): LaneKey {
  return {
    storeId: input.storeId,
    carrier: input.carrier?.trim().toLowerCase() ?? '',
    service: input.service?.trim() ?? '',
    originArea: input.originArea,
    destinationArea: input.destinationArea,
  };
}

/** What a delivered parcel teaches, or null when its times cannot say (no start, or nonsense). */
export function transitSampleOf(
  times: { shippedAt: string | null; firstScanAt: string | null; deliveredAt: string | null },
  timeZone: string,
): TransitSample | null {
  if (!times.deliveredAt) return null;
  const delivered = localDate(times.deliveredAt, timeZone);
  const measure = (start: string | null): number | null => {
    if (!start || start > times.deliveredAt!) return null;
    const days = businessDaysBetween(localDate(start, timeZone), delivered);
    return days <= MAX_TRANSIT_BUSINESS_DAYS ? days : null;
  };
  const sample = { fromShipped: measure(times.shippedAt), fromFirstScan: measure(times.firstScanAt) };
  return sample.fromShipped === null && sample.fromFirstScan === null ? null : sample;
}

/** Nearest-rank percentile of ascending values: always one of the samples, never an interpolated day. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  const rank = Math.ceil(p * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length - 1, Math.max(0, rank - 1))]!;
}

/** Narrow, well-sampled lanes earn trust; wide or thin ones do not. */
export function confidenceOf(sampleCount: number, spreadBusinessDays: number): PredictionConfidence {
  if (sampleCount >= 50 && spreadBusinessDays <= 2) return 'high';
  if (sampleCount >= MIN_SAMPLES && spreadBusinessDays <= 4) return 'medium';
  return 'low';
}

/**
 * The clock starts at the first scan when there is one (the carrier has the
 * parcel), else at the platform's ship time, else today (a label not yet
 * handed over), and the samples are measured from the same point.
 */
function startOf(ctx: PredictionContext): { date: string; measure: keyof TransitSample } {
  if (ctx.firstScanAt) return { date: localDate(ctx.firstScanAt, ctx.timeZone), measure: 'fromFirstScan' };
  return { date: localDate(ctx.shippedAt ?? ctx.now, ctx.timeZone), measure: 'fromShipped' };
}

/**
 * The estimate one level of history gives, or null when it has fewer than
 * MIN_SAMPLES usable deliveries. Only deliveries that took at least as long
 * as this parcel has already been travelling count: a parcel still moving on
 * day 4 is not going to arrive on day 2, so the estimate follows a late parcel
 * instead of pointing at the past.
 *
 * The carrier's latest EDD wins while history finds it plausible (inside the
 * 10th–90th range): the carrier knows this parcel, history knows the lane.
 * Outside that range history overrides it.
 */
export function predictFromHistory(ctx: PredictionContext, history: LaneHistory): DeliveryPrediction | null {
  const start = startOf(ctx);
  const today = localDate(ctx.now, ctx.timeZone);
  const elapsed = businessDaysBetween(start.date, today);
  const days = history.samples
    .map((sample) => sample[start.measure])
    .filter((value): value is number => value !== null && value >= elapsed)
    .sort((a, b) => a - b);
  if (days.length < MIN_SAMPLES) return null;
  const [low, middle, high] = [percentile(days, 0.1), percentile(days, 0.5), percentile(days, 0.9)];
  const dateAfter = (n: number): string => laterDate(addBusinessDays(start.date, n), today);
  const earliest = dateAfter(low);
  const latest = dateAfter(high);
  const carrier = eddDate(ctx.carrierEddLatest);
  const date = carrier && carrier >= earliest && carrier <= latest ? carrier : dateAfter(middle);
  return {
    date,
    earliest,
    latest,
    confidence: confidenceOf(days.length, high - low),
    basis: history.level,
    sampleCount: days.length,
  };
}

/**
 * The carrier's latest EDD, when history cannot speak. Medium confidence: it
 * is the carrier's word for this very parcel, but an unproven one.
 */
export function predictFromCarrier(ctx: PredictionContext): DeliveryPrediction | null {
  const date = eddDate(ctx.carrierEddLatest);
  if (!date) return null;
  return { date, earliest: date, latest: date, confidence: 'medium', basis: 'carrier_estimate', sampleCount: 0 };
}

/**
 * The estimate for a parcel: today when it is out for delivery; else the most
 * specific lane level with enough history; else the carrier's latest EDD;
 * else none. Null too for statuses where a date means nothing.
 */
export function predictDelivery(
  ctx: PredictionContext & { history: readonly LaneHistory[] },
): DeliveryPrediction | null {
  if (!isPredictable(ctx.status)) return null;
  if (ctx.status === 'out_for_delivery') {
    const today = localDate(ctx.now, ctx.timeZone);
    return {
      date: today,
      earliest: today,
      latest: today,
      confidence: 'high',
      basis: 'out_for_delivery',
      sampleCount: 0,
    };
  }
  for (const level of ctx.history) {
    const prediction = predictFromHistory(ctx, level);
    if (prediction) return prediction;
  }
  return predictFromCarrier(ctx);
}
