/**
 * AfterShip Tracking webhook → TrackingOutcome. Pure.
 *
 * `msg` is the full Tracking object; `slug` names the carrier that moves the parcel and each
 * checkpoint carries AfterShip's tag / subtag for that scan. Field names move between webhook
 * versions (2026-01 renamed `zip` to `postal_code`; `country_iso3` became `country_region`),
 * so both spellings are read.
 */
import { z } from 'zod';

import { normaliseCarrierName } from '../../../core/detection/index.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { EventLocation } from '../../../core/shipment/shipment.js';
import { resolveCarrierTime } from '../../../core/tracking/carrier-time.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { countryToAlpha2 } from './aftership.country-codes.js';
import { resolveAfterShipStatus } from './aftership.status-map.js';
import { blankToNull, describeIssue, reportOnce } from '../shared/normalize-helpers.js';

export type AfterShipNormalizeOptions = {
  /** Called once per distinct tag, subtag or contradictory `Tag/Subtag` pair missing from the tables. */
  onUnmappedCode?: (code: string) => void;
};

/** Events that carry a Tracking whose state we record; `tracking_pending_time` is an alert about it. */
const TRACKING_EVENTS: ReadonlySet<string> = new Set(['tracking_update', 'edd_revise']);

const optionalText = z.string().nullish();

const checkpointSchema = z.object({
  checkpoint_time: z.string(),
  message: optionalText,
  tag: optionalText,
  subtag: optionalText,
  subtag_message: optionalText,
  city: optionalText,
  state: optionalText,
  zip: optionalText,
  postal_code: optionalText,
  country_region: optionalText,
  country_iso3: optionalText,
});

const trackingSchema = z.object({
  tracking_number: z.string().min(1),
  slug: z.string().min(1),
  tag: optionalText,
  subtag: optionalText,
  subtag_message: optionalText,
  checkpoints: z.array(checkpointSchema).nullish(),
  signed_by: optionalText,
  shipment_type: optionalText,
  shipment_delivery_date: optionalText,
  expected_delivery: optionalText,
  courier_estimated_delivery_date: z.object({ estimated_delivery_date: optionalText }).nullish(),
  latest_estimated_delivery: z.object({ source: optionalText, datetime: optionalText }).nullish(),
  destination_city: optionalText,
  destination_state: optionalText,
  destination_postal_code: optionalText,
  destination_country_region: optionalText,
  destination_country_iso3: optionalText,
});

const envelopeSchema = z.object({
  event: z.string().min(1),
  msg: z.unknown().optional(),
});

type AfterShipTracking = z.infer<typeof trackingSchema>;
type AfterShipCheckpoint = z.infer<typeof checkpointSchema>;

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `AfterShip webhook: ${message}`);
}

function location(fields: {
  city: string | null | undefined;
  region: string | null | undefined;
  postalCode: string | null | undefined;
  country: string | null | undefined;
}): EventLocation | null {
  const result: EventLocation = {
    city: blankToNull(fields.city),
    region: blankToNull(fields.region),
    postalCode: blankToNull(fields.postalCode),
    country: countryToAlpha2(fields.country),
  };
  return result.city || result.region || result.postalCode || result.country ? result : null;
}

function checkpointLocation(checkpoint: AfterShipCheckpoint): EventLocation | null {
  return location({
    city: checkpoint.city,
    region: checkpoint.state,
    postalCode: checkpoint.postal_code ?? checkpoint.zip,
    country: checkpoint.country_region ?? checkpoint.country_iso3,
  });
}

function destinationLocation(tracking: AfterShipTracking): EventLocation | null {
  return location({
    city: tracking.destination_city,
    region: tracking.destination_state,
    postalCode: tracking.destination_postal_code,
    country: tracking.destination_country_region ?? tracking.destination_country_iso3,
  });
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * AfterShip passes the carrier's estimate through as `YYYY-MM-DD`, a wall-clock time in the
 * recipient's zone, or an instant. A wall-clock estimate is kept as its date: the day is what
 * the estimate promises, and the zone would only be a guess.
 */
function toEstimatedDelivery(value: string | null): string | null {
  if (!value) return null;
  if (DATE_ONLY.test(value)) return value;
  if (HAS_OFFSET.test(value)) {
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : new Date(at).toISOString();
  }
  const date = /^(\d{4}-\d{2}-\d{2})T/.exec(value);
  return date?.[1] ?? null;
}

function carrierEstimate(tracking: AfterShipTracking): string | null {
  const latest = tracking.latest_estimated_delivery;
  return (
    toEstimatedDelivery(blankToNull(tracking.courier_estimated_delivery_date?.estimated_delivery_date)) ??
    // latest_estimated_delivery may be AfterShip's own prediction; only the carrier's counts here.
    (latest?.source === 'Carrier EDD' ? toEstimatedDelivery(blankToNull(latest.datetime)) : null) ??
    toEstimatedDelivery(blankToNull(tracking.expected_delivery))
  );
}

function deliveredAt(
  tracking: AfterShipTracking,
  events: readonly NormalizedEvent[],
  destination: EventLocation | null,
): string | null {
  let latest: string | null = null;
  for (const event of events) {
    if (event.status === 'delivered' && (latest === null || event.occurredAt > latest)) latest = event.occurredAt;
  }
  if (latest) return latest;
  const stated = blankToNull(tracking.shipment_delivery_date);
  if (!stated || DATE_ONLY.test(stated)) return null;
  return resolveCarrierTime({ local: stated, fallbackLocation: destination })?.occurredAt ?? null;
}

function normalizeTracking(tracking: AfterShipTracking, options: AfterShipNormalizeOptions): TrackingOutcome {
  const report = reportOnce(options.onUnmappedCode);
  const checkpoints = tracking.checkpoints ?? [];
  if ((!tracking.tag || tracking.tag === 'Pending') && checkpoints.length === 0) {
    return {
      kind: 'not_found_yet',
      trackingNumber: tracking.tracking_number,
      message: blankToNull(tracking.subtag_message),
    };
  }

  const destination = destinationLocation(tracking);
  const events = checkpoints.map((checkpoint, index): NormalizedEvent => {
    const place = checkpointLocation(checkpoint);
    // checkpoint_time is the carrier's wall clock at the scan, with or without an offset.
    const time = resolveCarrierTime({
      local: checkpoint.checkpoint_time,
      location: place,
      fallbackLocation: destination,
    });
    if (!time) throw invalid(`msg.checkpoints.${index}.checkpoint_time is not a date: "${checkpoint.checkpoint_time}"`);
    const tag = blankToNull(checkpoint.tag);
    const subtag = blankToNull(checkpoint.subtag);
    const mapped = resolveAfterShipStatus(tag, subtag, report);
    return {
      ...time,
      sequence: null,
      status: mapped.status,
      substatus: mapped.substatus,
      reason: mapped.reason,
      description: blankToNull(checkpoint.message) ?? blankToNull(checkpoint.subtag_message),
      location: place,
      rawCode: subtag,
      rawStatus: tag,
    };
  });

  const current = resolveAfterShipStatus(blankToNull(tracking.tag), blankToNull(tracking.subtag), report);
  const result: TrackingResult = {
    carrier: normaliseCarrierName(tracking.slug) ?? tracking.slug.toLowerCase(),
    trackingNumber: tracking.tracking_number,
    status: current.status,
    substatus: current.substatus,
    reason: current.reason,
    estimatedDelivery: carrierEstimate(tracking),
    deliveredAt: current.status === 'delivered' ? deliveredAt(tracking, events, destination) : null,
    signedBy: blankToNull(tracking.signed_by),
    service: blankToNull(tracking.shipment_type),
    events,
  };
  return { kind: 'found', result };
}

/**
 * An AfterShip Tracking webhook body → one outcome for the tracking in `msg`. Events that do
 * not report a tracking's state (`tracking_pending_time`, anything new) give []. Throws
 * `upstream_invalid_response` for a body of the wrong shape.
 */
export function normalizeAfterShipWebhook(body: unknown, options: AfterShipNormalizeOptions = {}): TrackingOutcome[] {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw invalid(describeIssue(envelope.error, ''));
  if (!TRACKING_EVENTS.has(envelope.data.event)) return [];
  const tracking = trackingSchema.safeParse(envelope.data.msg);
  if (!tracking.success) throw invalid(describeIssue(tracking.error, 'msg'));
  return [normalizeTracking(tracking.data, options)];
}
