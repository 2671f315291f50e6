/**
 * EasyPost webhook Event (and bare Tracker) → TrackingOutcome. Pure.
 *
 * EasyPost is an aggregator: `result.carrier` names the carrier that moves the parcel
 * (`UPS`, `FedEx`, `DHLExpress`…), and each tracking detail keeps that carrier's own code in
 * `carrier_code` next to EasyPost's two-level classification (`status` / `status_detail`).
 */
import { z } from 'zod';

import { normaliseCarrierName } from '../../../core/detection/index.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { EventLocation } from '../../../core/shipment/shipment.js';
import { resolveCarrierTime } from '../../../core/tracking/carrier-time.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { resolveEasyPostStatus, type EasyPostResolvedStatus } from './easypost.status-map.js';
import { blankToNull, describeIssue, reportOnce } from '../shared/normalize-helpers.js';

export type EasyPostNormalizeOptions = {
  /** Called once per distinct EasyPost code (status or status_detail) missing from the tables. */
  onUnmappedCode?: (code: string) => void;
  /**
   * Maps the underlying carrier's own code (`carrier_code`, e.g. FedEx `PU`) with that
   * carrier's table, which is more precise than EasyPost's detail (EasyPost files FedEx `PU`
   * "Picked up" as `arrived_at_facility`). `carrier` is the Waymark carrier code. Return null
   * to fall back to EasyPost's classification.
   */
  mapCarrierCode?: (carrier: string, code: string) => EasyPostResolvedStatus | null;
};

const trackingLocationSchema = z
  .object({
    city: z.string().nullish(),
    state: z.string().nullish(),
    country: z.string().nullish(),
    zip: z.string().nullish(),
  })
  .nullish();

const trackingDetailSchema = z.object({
  message: z.string().nullish(),
  description: z.string().nullish(),
  status: z.string().nullish(),
  status_detail: z.string().nullish(),
  datetime: z.string(),
  carrier_code: z.string().nullish(),
  tracking_location: trackingLocationSchema,
});

const trackerSchema = z.object({
  object: z.literal('Tracker'),
  tracking_code: z.string().min(1),
  carrier: z.string().min(1),
  status: z.string().min(1),
  status_detail: z.string().nullish(),
  signed_by: z.string().nullish(),
  est_delivery_date: z.string().nullish(),
  tracking_details: z.array(trackingDetailSchema).nullish(),
  carrier_detail: z
    .object({
      service: z.string().nullish(),
      est_delivery_date_local: z.string().nullish(),
      destination_tracking_location: trackingLocationSchema,
    })
    .nullish(),
});

const eventSchema = z.object({
  object: z.literal('Event'),
  description: z.string().min(1),
  result: z.unknown().optional(),
});

type EasyPostTracker = z.infer<typeof trackerSchema>;
type EasyPostLocation = z.infer<typeof trackingLocationSchema>;

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `EasyPost webhook: ${message}`);
}

function toLocation(location: EasyPostLocation): EventLocation | null {
  if (!location) return null;
  const country = blankToNull(location.country);
  const result: EventLocation = {
    city: blankToNull(location.city),
    region: blankToNull(location.state),
    postalCode: blankToNull(location.zip),
    // EasyPost sends ISO-2; anything else is not a code we can store as one.
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
  };
  return result.city || result.region || result.postalCode || result.country ? result : null;
}

/** `DHLExpress` → `DHL Express`, `FedExSmartPost` → `Fed Ex Smart Post`: EasyPost's carrier names are CamelCase. */
function splitCamelCase(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

/** EasyPost's `carrier` → the Waymark carrier code; a carrier Waymark does not know keeps EasyPost's name, lowercased. */
export function easyPostCarrierCode(carrier: string): string {
  return normaliseCarrierName(carrier) ?? normaliseCarrierName(splitCamelCase(carrier)) ?? carrier.toLowerCase();
}

/**
 * EasyPost writes date-only estimates as midnight UTC (`2024-08-05T00:00:00Z`); those are
 * dates, not instants.
 */
function toEstimatedDelivery(localDate: string | null, instant: string | null): string | null {
  if (localDate && /^\d{4}-\d{2}-\d{2}$/.test(localDate)) return localDate;
  if (!instant) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(instant)) return instant;
  const midnightUtc = /^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)$/.exec(instant);
  if (midnightUtc) return midnightUtc[1] ?? null;
  const at = Date.parse(instant);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

function latestDeliveredAt(events: readonly NormalizedEvent[]): string | null {
  let latest: string | null = null;
  for (const event of events) {
    if (event.status === 'delivered' && (latest === null || event.occurredAt > latest)) latest = event.occurredAt;
  }
  return latest;
}

function normalizeTracker(tracker: EasyPostTracker, options: EasyPostNormalizeOptions): TrackingOutcome {
  const report = reportOnce(options.onUnmappedCode);
  const details = tracker.tracking_details ?? [];
  if (tracker.status === 'unknown' && details.length === 0) {
    return { kind: 'not_found_yet', trackingNumber: tracker.tracking_code, message: null };
  }

  const carrier = easyPostCarrierCode(tracker.carrier);
  const destination = toLocation(tracker.carrier_detail?.destination_tracking_location);
  const events = details.map((detail, index): NormalizedEvent => {
    const location = toLocation(detail.tracking_location);
    const time = resolveCarrierTime({ local: detail.datetime, location, fallbackLocation: destination });
    if (!time) throw invalid(`result.tracking_details.${index}.datetime is not a date: "${detail.datetime}"`);
    const carrierCode = blankToNull(detail.carrier_code);
    const statusDetail = blankToNull(detail.status_detail);
    const status = blankToNull(detail.status);
    const mapped =
      (carrierCode ? options.mapCarrierCode?.(carrier, carrierCode) : null) ??
      resolveEasyPostStatus(status, statusDetail, report);
    return {
      ...time,
      sequence: null,
      status: mapped.status,
      substatus: mapped.substatus,
      reason: mapped.reason,
      description: blankToNull(detail.message) ?? blankToNull(detail.description),
      location,
      rawCode: carrierCode ?? statusDetail,
      // EasyPost's own two levels travel together, so a re-map needs nothing else.
      rawStatus: status && statusDetail ? `${status}/${statusDetail}` : status,
    };
  });

  const current = resolveEasyPostStatus(tracker.status, blankToNull(tracker.status_detail), report);
  const result: TrackingResult = {
    carrier,
    trackingNumber: tracker.tracking_code,
    status: current.status,
    substatus: current.substatus,
    reason: current.reason,
    estimatedDelivery: toEstimatedDelivery(
      blankToNull(tracker.carrier_detail?.est_delivery_date_local),
      blankToNull(tracker.est_delivery_date),
    ),
    deliveredAt: current.status === 'delivered' ? latestDeliveredAt(events) : null,
    signedBy: blankToNull(tracker.signed_by),
    service: blankToNull(tracker.carrier_detail?.service),
    events,
  };
  return { kind: 'found', result };
}

/**
 * A bare EasyPost Tracker object (`GET /trackers/:id`, `POST /trackers`, or `result` of an
 * Event) → its outcome. Throws `upstream_invalid_response` for a body of the wrong shape.
 */
export function normalizeEasyPostTracker(body: unknown, options: EasyPostNormalizeOptions = {}): TrackingOutcome {
  const parsed = trackerSchema.safeParse(body);
  if (!parsed.success) throw invalid(describeIssue(parsed.error, ''));
  return normalizeTracker(parsed.data, options);
}

/**
 * An EasyPost webhook Event body → one outcome per tracker in it (EasyPost sends one).
 * Events that are not about a tracker (`batch.updated`, `refund.successful`…) give [].
 */
export function normalizeEasyPostWebhook(body: unknown, options: EasyPostNormalizeOptions = {}): TrackingOutcome[] {
  const event = eventSchema.safeParse(body);
  if (!event.success) throw invalid(describeIssue(event.error, ''));
  if (!event.data.description.startsWith('tracker.')) return [];
  const tracker = trackerSchema.safeParse(event.data.result);
  if (!tracker.success) throw invalid(describeIssue(tracker.error, 'result'));
  return [normalizeTracker(tracker.data, options)];
}
