/**
 * Shippo `track_updated` webhook → TrackingOutcome. Pure.
 *
 * `data` is a Track: `carrier` is Shippo's carrier token (`usps`, `dhl_express`, `shippo` in
 * test mode), `tracking_status` the latest event and `tracking_history` every event, oldest
 * first, usually ending with the same event as `tracking_status` (same `object_id`).
 */
import { z } from 'zod';

import { normaliseCarrierName } from '../../../core/detection/index.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { EventLocation } from '../../../core/shipment/shipment.js';
import { resolveCarrierTime } from '../../../core/tracking/carrier-time.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { resolveShippoStatus } from './shippo.status-map.js';
import { blankToNull, describeIssue, reportOnce } from '../shared/normalize-helpers.js';

export type ShippoNormalizeOptions = {
  /** Called once per distinct status, substatus or contradictory `STATUS/substatus` pair missing from the tables. */
  onUnmappedCode?: (code: string) => void;
};

const optionalText = z.string().nullish();

const locationSchema = z
  .object({ city: optionalText, state: optionalText, zip: optionalText, country: optionalText })
  .nullish();

const trackingStatusSchema = z.object({
  object_id: optionalText,
  status: z.string().min(1),
  status_details: optionalText,
  status_date: optionalText,
  substatus: z.object({ code: z.string(), text: optionalText }).nullish(),
  location: locationSchema,
});

const trackSchema = z.object({
  carrier: z.string().min(1),
  tracking_number: z.string().min(1),
  eta: optionalText,
  servicelevel: z.object({ name: optionalText }).nullish(),
  address_to: locationSchema,
  messages: z.array(z.unknown()).nullish(),
  tracking_status: trackingStatusSchema.nullish(),
  tracking_history: z.array(trackingStatusSchema).nullish(),
});

const envelopeSchema = z.object({
  event: z.string().min(1),
  data: z.unknown().optional(),
});

type ShippoTrack = z.infer<typeof trackSchema>;
type ShippoTrackingStatus = z.infer<typeof trackingStatusSchema>;
type ShippoLocation = z.infer<typeof locationSchema>;

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `Shippo webhook: ${message}`);
}

function toLocation(location: ShippoLocation): EventLocation | null {
  if (!location) return null;
  const country = blankToNull(location.country);
  const result: EventLocation = {
    city: blankToNull(location.city),
    region: blankToNull(location.state),
    postalCode: blankToNull(location.zip),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
  };
  return result.city || result.region || result.postalCode || result.country ? result : null;
}

/** Shippo writes date-only ETAs as midnight UTC; those are dates, not instants. */
function toEstimatedDelivery(eta: string | null): string | null {
  if (!eta) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(eta)) return eta;
  const midnightUtc = /^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)$/.exec(eta);
  if (midnightUtc) return midnightUtc[1] ?? null;
  const at = Date.parse(eta);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

function sameEvent(a: ShippoTrackingStatus, b: ShippoTrackingStatus): boolean {
  if (a.object_id && b.object_id) return a.object_id === b.object_id;
  return a.status_date === b.status_date && a.status === b.status && a.status_details === b.status_details;
}

/**
 * The history, plus `tracking_status` when the history does not already end with it (Shippo
 * sometimes sends an empty history with only the current status). Entries without a date are
 * placeholders ("no information yet"), not events.
 */
function datedEntries(track: ShippoTrack): { entry: ShippoTrackingStatus; path: string }[] {
  const entries = (track.tracking_history ?? []).map((entry, index) => ({
    entry,
    path: `data.tracking_history.${index}`,
  }));
  const current = track.tracking_status;
  if (current && !entries.some(({ entry }) => sameEvent(entry, current))) {
    entries.push({ entry: current, path: 'data.tracking_status' });
  }
  return entries.filter(({ entry }) => blankToNull(entry.status_date) !== null);
}

function firstMessage(messages: readonly unknown[] | null | undefined): string | null {
  const text = messages?.find((message): message is string => typeof message === 'string' && message.trim() !== '');
  return text?.trim() ?? null;
}

function normalizeTrack(track: ShippoTrack, options: ShippoNormalizeOptions): TrackingOutcome {
  const report = reportOnce(options.onUnmappedCode);
  const destination = toLocation(track.address_to);
  const events = datedEntries(track).map(({ entry, path }): NormalizedEvent => {
    const location = toLocation(entry.location);
    const local = blankToNull(entry.status_date) ?? '';
    const time = resolveCarrierTime({ local, location, fallbackLocation: destination });
    if (!time) throw invalid(`${path}.status_date is not a date: "${local}"`);
    const substatusCode = blankToNull(entry.substatus?.code);
    const mapped = resolveShippoStatus(entry.status, substatusCode, report);
    return {
      ...time,
      sequence: null,
      status: mapped.status,
      substatus: mapped.substatus,
      reason: mapped.reason,
      description: blankToNull(entry.status_details) ?? blankToNull(entry.substatus?.text),
      location,
      rawCode: substatusCode,
      rawStatus: entry.status,
    };
  });

  const current = track.tracking_status ?? track.tracking_history?.at(-1) ?? null;
  if (events.length === 0 && (!current || current.status === 'UNKNOWN')) {
    return {
      kind: 'not_found_yet',
      trackingNumber: track.tracking_number,
      message: blankToNull(current?.status_details) ?? firstMessage(track.messages),
    };
  }

  const headline = resolveShippoStatus(current?.status, blankToNull(current?.substatus?.code), report);
  let deliveredAt: string | null = null;
  if (headline.status === 'delivered') {
    for (const event of events) {
      if (event.status === 'delivered' && (deliveredAt === null || event.occurredAt > deliveredAt)) {
        deliveredAt = event.occurredAt;
      }
    }
  }
  const result: TrackingResult = {
    carrier: normaliseCarrierName(track.carrier) ?? track.carrier.toLowerCase(),
    trackingNumber: track.tracking_number,
    status: headline.status,
    substatus: headline.substatus,
    reason: headline.reason,
    estimatedDelivery: toEstimatedDelivery(blankToNull(track.eta)),
    deliveredAt,
    // Shippo's Track has no signature field.
    signedBy: null,
    service: blankToNull(track.servicelevel?.name),
    events,
  };
  return { kind: 'found', result };
}

/**
 * A Shippo webhook body → one outcome for the Track in `data`. Events other than
 * `track_updated` (`transaction_created`, `batch_purchased`…) give []. Throws
 * `upstream_invalid_response` for a body of the wrong shape.
 */
export function normalizeShippoWebhook(body: unknown, options: ShippoNormalizeOptions = {}): TrackingOutcome[] {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw invalid(describeIssue(envelope.error, ''));
  if (envelope.data.event !== 'track_updated') return [];
  const track = trackSchema.safeParse(envelope.data.data);
  if (!track.success) throw invalid(describeIssue(track.error, 'data'));
  return [normalizeTrack(track.data, options)];
}
