import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { EventLocation } from '../../../core/shipment/shipment.js';
import { resolveCarrierTime } from '../../../core/tracking/carrier-time.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { fedexRawCode, mapFedexStatus } from './fedex.status-map.js';

export const FEDEX_CARRIER = 'fedex';

/**
 * Per-number errors that say the number can never be tracked. Everything else
 * FedEx reports per number (`TRACKING.TRACKINGNUMBER.NOTFOUND`, and codes we
 * have not seen) means "nothing yet": the tracker stays active and retries.
 */
export const FEDEX_INVALID_NUMBER_ERRORS: ReadonlySet<string> = new Set([
  'TRACKING.TRACKINGNUMBER.INVALID',
  'TRACKING.TRACKINGNUMBER.EMPTY',
]);

/** Per-number errors whose FedEx wording is clear enough to show as is. */
const KNOWN_NUMBER_ERRORS: ReadonlySet<string> = new Set([
  'TRACKING.TRACKINGNUMBER.NOTFOUND',
  'TRACKING.DATA.NOTFOUND',
  ...FEDEX_INVALID_NUMBER_ERRORS,
]);

// Only the fields Waymark reads are declared; the rest of FedEx's large answer is
// ignored. Every field is optional because FedEx omits or blanks what it lacks.
const text = z.string().nullish();
const address = z.object({ city: text, stateOrProvinceCode: text, postalCode: text, countryCode: text }).nullish();
const delayDetail = z.object({ type: text, subType: text, status: text }).nullish();
const timeWindow = z.object({ window: z.object({ begins: text, ends: text }).nullish() }).nullish();

const scanEventSchema = z.object({
  date: text,
  eventType: text,
  eventDescription: text,
  exceptionCode: text,
  exceptionDescription: text,
  derivedStatusCode: text,
  derivedStatus: text,
  scanLocation: address,
  delayDetail,
});

const trackResultSchema = z.object({
  trackingNumberInfo: z.object({ trackingNumber: text, carrierCode: text }).nullish(),
  latestStatusDetail: z
    .object({
      code: text,
      derivedCode: text,
      statusByLocale: text,
      description: text,
      scanLocation: address,
      ancillaryDetails: z.array(z.object({ reason: text, reasonDescription: text })).nullish(),
      delayDetail,
    })
    .nullish(),
  scanEvents: z.array(scanEventSchema).nullish(),
  dateAndTimes: z.array(z.object({ type: text, dateTime: text })).nullish(),
  estimatedDeliveryTimeWindow: timeWindow,
  standardTransitTimeWindow: timeWindow,
  deliveryDetails: z.object({ receivedByName: text, signedByName: text }).nullish(),
  serviceDetail: z.object({ description: text, type: text }).nullish(),
  recipientInformation: z.object({ address }).nullish(),
  destinationLocation: z.object({ locationContactAndAddress: z.object({ address }).nullish() }).nullish(),
  lastUpdatedDestinationAddress: address,
  error: z.object({ code: text, message: text }).nullish(),
});

const trackResponseSchema = z.object({
  output: z.object({
    completeTrackResults: z.array(
      z.object({
        trackingNumber: text,
        trackResults: z.array(trackResultSchema).nullish(),
      }),
    ),
  }),
});

const errorsBodySchema = z.object({
  errors: z.array(z.object({ code: text, message: text })).min(1),
});

type TrackResult = z.infer<typeof trackResultSchema>;
type ScanEvent = z.infer<typeof scanEventSchema>;
type FedexAddress = z.infer<typeof address>;

export type FedexNormalizeOptions = {
  /** Hears each unmapped FedEx code once per answer (log it, count it, extend the table). */
  onUnmappedCode?: (code: string) => void;
};

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function toLocation(value: FedexAddress): EventLocation | null {
  const country = clean(value?.countryCode)?.toUpperCase() ?? null;
  const location: EventLocation = {
    city: clean(value?.city),
    region: clean(value?.stateOrProvinceCode),
    postalCode: clean(value?.postalCode),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
  };
  return location.city || location.region || location.postalCode || location.country ? location : null;
}

function destinationOf(result: TrackResult): EventLocation | null {
  const candidates = [
    result.lastUpdatedDestinationAddress,
    result.recipientInformation?.address,
    result.destinationLocation?.locationContactAndAddress?.address,
  ];
  for (const candidate of candidates) {
    const location = toLocation(candidate);
    if (location?.country) return location;
  }
  return null;
}

/**
 * The place to read an offset-less time in. FedEx's "Shipment information sent"
 * scans carry a postal code and a country but no state; in a country with
 * several zones the destination's state says more than that, so a same-country
 * event without a region defers to the destination.
 */
function zoneHint(location: EventLocation | null, destination: EventLocation | null): EventLocation | null {
  if (!location?.country) return null;
  if (location.region || location.country !== destination?.country) return location;
  return null;
}

/** FedEx sometimes sends a bare date; read it as local midnight but keep the string as sent. */
function readCarrierTime(
  value: string | null | undefined,
  location: EventLocation | null,
  destination: EventLocation | null,
): { occurredAt: string; occurredAtLocal: string; timeZoneInferred: boolean } | null {
  const local = clean(value);
  if (!local) return null;
  const resolvable = /^\d{4}-\d{2}-\d{2}$/.test(local) ? `${local}T00:00:00` : local;
  const resolved = resolveCarrierTime({
    local: resolvable,
    location: zoneHint(location, destination),
    fallbackLocation: destination,
  });
  return resolved ? { ...resolved, occurredAtLocal: local } : null;
}

/**
 * FedEx writes a delivery date as local midnight with its own offset
 * (`2024-08-21T00:00:00-06:00`); as an instant that would be a time nobody
 * promised, so midnight becomes the date alone. A real time stays an instant.
 */
function toDeliveryEstimate(value: string | null | undefined, destination: EventLocation | null): string | null {
  const estimate = clean(value);
  if (!estimate) return null;
  const midnight = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(estimate);
  if (midnight) return midnight[1] ?? null;
  return readCarrierTime(estimate, null, destination)?.occurredAt ?? null;
}

function describe(event: ScanEvent): string | null {
  const main = clean(event.eventDescription);
  const detail = clean(event.exceptionDescription);
  if (main && detail && detail.toLowerCase() !== main.toLowerCase()) return `${main}: ${detail}`;
  return main ?? detail;
}

function dateOfType(result: TrackResult, type: string): string | null {
  return clean(result.dateAndTimes?.find((entry) => entry.type === type)?.dateTime);
}

function normalizeEvents(
  result: TrackResult,
  destination: EventLocation | null,
  onUnmappedCode: (code: string) => void,
): NormalizedEvent[] {
  const scans = result.scanEvents ?? [];
  const events: NormalizedEvent[] = [];
  scans.forEach((scan, index) => {
    const location = toLocation(scan.scanLocation);
    const time = readCarrierTime(scan.date, location, destination);
    // A scan without a readable time cannot be placed in the history; the rest of the answer still counts.
    if (!time) return;
    const mapped = mapFedexStatus(
      {
        code: scan.eventType,
        exceptionCodes: [scan.exceptionCode],
        derivedCode: scan.derivedStatusCode,
        delayType: scan.delayDetail?.type,
      },
      onUnmappedCode,
    );
    events.push({
      ...time,
      // FedEx lists scans newest first; its order breaks ties between scans of the same minute.
      sequence: scans.length - 1 - index,
      status: mapped.status,
      substatus: mapped.substatus,
      reason: mapped.reason,
      description: describe(scan),
      location,
      rawCode: fedexRawCode(scan.eventType, scan.exceptionCode),
      rawStatus: clean(scan.derivedStatusCode),
    });
  });
  return events;
}

function newest(events: readonly NormalizedEvent[]): NormalizedEvent | null {
  let latest: NormalizedEvent | null = null;
  for (const event of events) if (!latest || event.occurredAt > latest.occurredAt) latest = event;
  return latest;
}

function hasTrackingData(result: TrackResult): boolean {
  return Boolean(result.latestStatusDetail) || (result.scanEvents?.length ?? 0) > 0;
}

function toTrackingResult(
  trackingNumber: string,
  result: TrackResult,
  onUnmappedCode: (code: string) => void,
): TrackingResult {
  const destination = destinationOf(result);
  const events = normalizeEvents(result, destination, onUnmappedCode);
  const latest = result.latestStatusDetail;
  const latestEvent = newest(events);

  let current: Pick<TrackingResult, 'status' | 'substatus' | 'reason'>;
  if (clean(latest?.code) || clean(latest?.derivedCode)) {
    current = mapFedexStatus(
      {
        code: latest?.code,
        exceptionCodes: (latest?.ancillaryDetails ?? []).map((detail) => detail.reason),
        derivedCode: latest?.derivedCode,
        delayType: latest?.delayDetail?.type,
      },
      onUnmappedCode,
    );
  } else if (latestEvent) {
    current = latestEvent;
  } else {
    current = { status: 'pending', substatus: 'registered', reason: null };
  }

  const estimatedDelivery =
    toDeliveryEstimate(
      result.estimatedDeliveryTimeWindow?.window?.ends ?? result.estimatedDeliveryTimeWindow?.window?.begins,
      destination,
    ) ??
    toDeliveryEstimate(dateOfType(result, 'ESTIMATED_DELIVERY'), destination) ??
    toDeliveryEstimate(result.standardTransitTimeWindow?.window?.ends, destination);

  const deliveredEvent = events
    .filter((event) => event.status === 'delivered')
    .reduce<NormalizedEvent | null>(
      (found, event) => (!found || event.occurredAt > found.occurredAt ? event : found),
      null,
    );
  const deliveredAt =
    readCarrierTime(dateOfType(result, 'ACTUAL_DELIVERY'), null, destination)?.occurredAt ??
    deliveredEvent?.occurredAt ??
    null;

  return {
    carrier: FEDEX_CARRIER,
    trackingNumber,
    status: current.status,
    substatus: current.substatus,
    reason: current.reason,
    estimatedDelivery,
    deliveredAt,
    signedBy: clean(result.deliveryDetails?.receivedByName) ?? clean(result.deliveryDetails?.signedByName),
    service: clean(result.serviceDetail?.description),
    events,
  };
}

function errorOutcome(trackingNumber: string, error: TrackResult['error']): TrackingOutcome {
  const code = clean(error?.code) ?? '';
  const message = clean(error?.message);
  if (FEDEX_INVALID_NUMBER_ERRORS.has(code)) return { kind: 'invalid_number', trackingNumber, message };
  const shown = KNOWN_NUMBER_ERRORS.has(code) || !code ? message : `${code}: ${message ?? 'no message'}`;
  return { kind: 'not_found_yet', trackingNumber, message: shown };
}

/**
 * FedEx recycles numbers: one number can come back with several results, one
 * per shipment that ever used it. The one with the most recent scan is the
 * parcel being tracked now; on a tie the later result (FedEx lists older
 * shipments first).
 */
function pickCurrent(results: TrackingResult[]): TrackingResult | null {
  let chosen: TrackingResult | null = null;
  let chosenAt = '';
  for (const result of results) {
    const at = newest(result.events)?.occurredAt ?? '';
    if (!chosen || at >= chosenAt) {
      chosen = result;
      chosenAt = at;
    }
  }
  return chosen;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}`;
}

/**
 * A FedEx `POST /track/v1/trackingnumbers` answer body → one outcome per
 * number in it. Pure. A number FedEx cannot find is an outcome
 * (`not_found_yet`, or `invalid_number` for a malformed number), not an
 * error; a body of the wrong shape throws `upstream_invalid_response`.
 */
export function normalizeFedexTrackResponse(body: unknown, options: FedexNormalizeOptions = {}): TrackingOutcome[] {
  const parsed = trackResponseSchema.safeParse(body);
  if (!parsed.success) {
    const errors = errorsBodySchema.safeParse(body);
    if (errors.success) {
      const first = errors.data.errors[0];
      throw new DomainError(
        ErrorCode.UpstreamInvalidResponse,
        `FedEx answered with an error instead of tracking data: ${first?.code ?? 'no code'}: ${first?.message ?? 'no message'}`,
        { details: { errors: errors.data.errors } },
      );
    }
    throw new DomainError(
      ErrorCode.UpstreamInvalidResponse,
      `FedEx track answer has an unexpected shape (${describeIssue(parsed.error)})`,
      { details: { issues: parsed.error.issues.slice(0, 5) } },
    );
  }

  const reported = new Set<string>();
  const onUnmappedCode = (code: string): void => {
    if (reported.has(code)) return;
    reported.add(code);
    options.onUnmappedCode?.(code);
  };

  return parsed.data.output.completeTrackResults.map((complete): TrackingOutcome => {
    const results = complete.trackResults ?? [];
    const trackingNumber =
      clean(complete.trackingNumber) ??
      results.map((result) => clean(result.trackingNumberInfo?.trackingNumber)).find((number) => number !== null) ??
      '';
    // The spec's own example pairs tracking data with an error; data wins.
    const withData = results.filter(hasTrackingData);
    const current = pickCurrent(withData.map((result) => toTrackingResult(trackingNumber, result, onUnmappedCode)));
    if (current) return { kind: 'found', result: current };
    const failed = results.find((result) => result.error);
    if (failed) return errorOutcome(trackingNumber, failed.error);
    return { kind: 'not_found_yet', trackingNumber, message: null };
  });
}
