import { z } from 'zod';

import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { EventLocation } from '../../../core/shipment/shipment.js';
import { resolveCarrierTime, zonedTimeToInstant } from '../../../core/tracking/carrier-time.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import {
  USPS_TRACKING_ERRORS,
  mapUspsEvent,
  mapUspsStatusCategory,
  stripUspsMarkup,
  type UspsResolvedMapping,
} from './usps.status-map.js';

export const USPS_CARRIER = 'usps';

export type UspsNormalizeContext = {
  /**
   * The number as requested. Error answers (HTTP 400) do not repeat it, so
   * it is needed to classify them; a tracking answer's own number wins.
   */
  trackingNumber?: string;
  /** Hears unmapped event codes, wordings and categories (see `mapUspsEvent`). */
  onUnmappedCode?: (code: string) => void;
};

const optionalText = z.string().nullish();
const codeValue = z.union([z.string(), z.number()]).nullish();

const trackingEventSchema = z.object({
  eventType: optionalText,
  eventTimestamp: optionalText,
  GMTTimestamp: optionalText,
  GMTOffset: optionalText,
  eventCountry: optionalText,
  eventCity: optionalText,
  eventState: optionalText,
  eventZIP: optionalText,
  firm: optionalText,
  name: optionalText,
  eventCode: codeValue,
});
type UspsTrackingEvent = z.infer<typeof trackingEventSchema>;

const trackingDetailsSchema = z.object({
  trackingNumber: optionalText,
  status: optionalText,
  statusCategory: optionalText,
  statusSummary: optionalText,
  mailClass: optionalText,
  expectedDeliveryTimeStamp: optionalText,
  expectedDeliveryDate: optionalText,
  predictedDeliveryDate: optionalText,
  predictedDeliveryTimeStamp: optionalText,
  destinationCity: optionalText,
  destinationState: optionalText,
  destinationZIP: optionalText,
  destinationCountryCode: optionalText,
  trackingEvents: z.array(trackingEventSchema).nullish(),
});
type UspsTrackingDetails = z.infer<typeof trackingDetailsSchema>;

const errorBodySchema = z.object({
  // Not sent by USPS; our recorded multi-answer files add it beside `error`.
  trackingNumber: optionalText,
  apiVersion: optionalText,
  error: z.object({
    code: codeValue,
    message: optionalText,
    errors: z
      .array(
        z.object({
          code: codeValue,
          status: codeValue,
          title: optionalText,
          detail: optionalText,
          source: z.object({ parameter: optionalText }).nullish(),
        }),
      )
      .nullish(),
  }),
});
type UspsErrorBody = z.infer<typeof errorBodySchema>;

function invalidResponse(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, message, details ? { details } : {});
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw invalidResponse(`USPS ${what} has an unexpected shape at ${where}: ${issue?.message ?? 'invalid'}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * USPS Tracking v3 answers → outcomes. Accepts one answer (a DETAIL
 * tracking body, or the HTTP 400 error body) or an array of recorded
 * answers; returns one outcome per answer. Throws `upstream_invalid_response`
 * for anything else.
 */
export function normalizeUspsResponse(body: unknown, context: UspsNormalizeContext = {}): TrackingOutcome[] {
  if (Array.isArray(body)) {
    return body.map((answer) => normalizeUspsAnswer(answer, { onUnmappedCode: context.onUnmappedCode }));
  }
  return [normalizeUspsAnswer(body, context)];
}

/** One USPS answer → its outcome. */
export function normalizeUspsAnswer(body: unknown, context: UspsNormalizeContext = {}): TrackingOutcome {
  if (!isRecord(body)) throw invalidResponse('USPS answer is not a JSON object');
  if ('error' in body) return normalizeUspsErrorAnswer(body, context);
  if ('eventSummaries' in body && !('trackingEvents' in body)) {
    throw invalidResponse('USPS sent the SUMMARY form (sentences only); the request must ask for expand=DETAIL');
  }
  return normalizeDetails(parseWith(trackingDetailsSchema, body, 'tracking answer'), context);
}

// ---------------------------------------------------------------------------
// Error answers

/** An HTTP 400/404 body → its outcome; anything but USPS's error shape is an invalid response. */
export function normalizeUspsErrorAnswer(body: unknown, context: UspsNormalizeContext = {}): TrackingOutcome {
  if (!isRecord(body) || !isRecord(body.error)) {
    const said = isRecord(body) && typeof body.error === 'string' ? `: ${body.error}` : '';
    throw invalidResponse(`USPS error answer is not in USPS's error shape${said}`);
  }
  return classifyUspsError(parseWith(errorBodySchema, body, 'error answer'), context);
}

/** USPS messages carry the old Web Tools number ("12: …"), markup and a dangling " - ". */
function cleanErrorMessage(text: string | null | undefined): string | null {
  if (!text) return null;
  const cleaned = stripUspsMarkup(text)
    .replace(/^\d+:\s*/, '')
    .replace(/\s*-\s*$/, '')
    .trim();
  return cleaned.length > 0 ? cleaned : null;
}

/**
 * An error answer → not found yet / invalid number. An error that names no
 * tracking problem (no 1500xx code, nothing about the number) means our
 * request or USPS is wrong, and is thrown rather than hidden as "not found".
 */
function classifyUspsError(body: UspsErrorBody, context: UspsNormalizeContext = {}): TrackingOutcome {
  const trackingNumber = context.trackingNumber ?? body.trackingNumber ?? '';
  const entries = body.error.errors ?? [];
  const message =
    cleanErrorMessage(entries.find((entry) => entry.title)?.title) ??
    cleanErrorMessage(entries.find((entry) => entry.detail)?.detail) ??
    cleanErrorMessage(body.error.message);
  const outcome = (kind: 'not_found_yet' | 'invalid_number'): TrackingOutcome => ({ kind, trackingNumber, message });

  const codes = entries.map((entry) => (entry.code === null || entry.code === undefined ? '' : String(entry.code)));
  for (const code of codes) {
    const known = USPS_TRACKING_ERRORS[code];
    if (known) return outcome(known.kind);
  }
  const unknownTrackingCode = codes.find((code) => /^1500\d\d$/.test(code));
  if (unknownTrackingCode) {
    // A tracking error USPS added after our table: retrying is the safe reading.
    context.onUnmappedCode?.(`error:${unknownTrackingCode}`);
    return outcome('not_found_yet');
  }
  if (entries.some((entry) => entry.source?.parameter === 'trackingNumber')) return outcome('invalid_number');
  const allText = [body.error.message, ...entries.map((entry) => entry.title)].join(' ');
  if (/not yet available/i.test(allText)) return outcome('not_found_yet');
  throw invalidResponse(
    `USPS answered an error that is not about the tracking number: ${message ?? String(body.error.code ?? 'no message')}`,
    { code: body.error.code ?? null },
  );
}

// ---------------------------------------------------------------------------
// Tracking answers

/** State and territory codes USPS uses (the spec's `destinationState` pattern). */
const USPS_STATES = new Set(
  (
    'AA AE AL AK AP AS AZ AR CA CO CT DE DC FM FL GA GU HI ID IL IN IA KS KY LA ME MH MD MA MI MN MS MO MP MT NE NV ' +
    'NH NJ NM NY NC ND OH OK OR PW PA PR RI SC SD TN TX UT VT VI VA WA WV WI WY'
  ).split(' '),
);

let countryNames: Map<string, string> | null = null;

/** `UK` → `GB`, `DD` → `DE`: the current code for a deprecated or reserved alias. */
function canonicalRegion(code: string): string {
  try {
    return Intl.getCanonicalLocales(`und-${code}`)[0]?.slice(4).toUpperCase() ?? code;
  } catch {
    return code;
  }
}

/** English country name → ISO-2, from the runtime's own region names (no table of ours to keep current). */
function countryNameIndex(): Map<string, string> {
  if (countryNames) return countryNames;
  const index = new Map<string, string>([
    ['USA', 'US'],
    ['UNITED STATES OF AMERICA', 'US'],
    ['GREAT BRITAIN', 'GB'],
  ]);
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const first of letters) {
    for (const second of letters) {
      const code = `${first}${second}`;
      const name = names.of(code);
      // Deprecated codes share names with current ones (DD and DE are both "Germany"): keep the canonical one.
      if (!name || name === code || name === 'Unknown Region' || canonicalRegion(code) !== code) continue;
      index.set(name.toUpperCase(), code);
    }
  }
  countryNames = index;
  return index;
}

/** USPS gives countries as names in upper case ("CANADA") or codes; anything unrecognised → null, not a guess. */
export function uspsCountryToIso2(value: string | null | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^[A-Za-z]{2}$/.test(text)) return canonicalRegion(text.toUpperCase());
  return countryNameIndex().get(text.toUpperCase().replace(/\s+/g, ' ')) ?? null;
}

function clean(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

const FACILITY_SUFFIX = /\b(CENTER|CENTRE|FACILITY|ANNEX|HUB|NDC|PDC|P&DC)$/;

/**
 * USPS names its plants "OAK CREEK WI DISTRIBUTION CENTER" and leaves
 * `eventState` empty; the state inside the name is the best zone hint.
 */
function stateInFacilityName(city: string | null): string | null {
  if (!city) return null;
  const upper = city.toUpperCase();
  if (!FACILITY_SUFFIX.test(upper)) return null;
  const states = upper.split(/\s+/).filter((token) => USPS_STATES.has(token));
  return states.at(-1) ?? null;
}

function eventLocation(event: UspsTrackingEvent): EventLocation | null {
  const city = clean(event.eventCity);
  const region = clean(event.eventState)?.toUpperCase() ?? null;
  const postalCode = clean(event.eventZIP);
  const domestic = (region !== null && USPS_STATES.has(region)) || stateInFacilityName(city) !== null;
  const country = uspsCountryToIso2(event.eventCountry) ?? (domestic ? 'US' : null);
  if (!city && !region && !postalCode && !country) return null;
  return { city, region, postalCode, country };
}

type ZoneHint = Pick<EventLocation, 'region' | 'country'>;

/** Where to look for the zone; the US without a state is no hint (it spans six zones), so the destination decides. */
function zoneHint(location: EventLocation | null): ZoneHint | null {
  if (!location) return null;
  const region = location.region ?? stateInFacilityName(location.city);
  if (!location.country || (location.country === 'US' && !region)) return null;
  return { region, country: location.country };
}

function destinationHint(body: UspsTrackingDetails): ZoneHint | null {
  const region = clean(body.destinationState)?.toUpperCase() ?? null;
  const country =
    uspsCountryToIso2(body.destinationCountryCode) ?? (region !== null && USPS_STATES.has(region) ? 'US' : null);
  return country ? { region, country } : null;
}

const DAY_MS = 86_400_000;
/** The GMT time carries seconds the local time lacks; beyond this the two disagree. */
const GMT_AGREEMENT_MS = 2 * 60_000;
const EXPLICIT_OFFSET = /([+-]\d{2}:?\d{2})$/;

/** `-06:00`, `-6:00` (the spec's own example), `+0530`. */
function parseOffsetMinutes(value: string | null | undefined): number | null {
  const match = /^([+-])(\d{1,2}):?(\d{2})$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const [, sign, hours, minutes] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

function parseInstant(value: string | null | undefined): number | null {
  const text = value?.trim();
  if (!text || !/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

type EventTime = { occurredAt: string; occurredAtLocal: string | null; timeZoneInferred: boolean };

/**
 * `eventTimestamp` is the local wall clock without offset (USPS's own
 * README shows it with a `Z` it does not mean, so a `Z` there is ignored);
 * `GMTTimestamp` is the instant and `GMTOffset` the local offset.
 *
 * Quirk: when the UTC instant falls on the next calendar day, USPS often
 * stamps `GMTTimestamp` with the LOCAL date (local 18:31 at -06:00 arrives as
 * `…25T00:31:21Z` instead of `…26T00:31:21Z`). The GMT time of day is kept
 * and its date is moved by whole days to agree with the local time.
 */
function resolveEventTime(
  event: UspsTrackingEvent,
  hint: ZoneHint | null,
  destination: ZoneHint | null,
): EventTime | null {
  const local = clean(event.eventTimestamp);
  const gmtMs = parseInstant(event.GMTTimestamp);
  const offset = parseOffsetMinutes(event.GMTOffset);

  let reference: { ms: number; exact: boolean } | null = null;
  if (local && EXPLICIT_OFFSET.test(local)) {
    const ms = Date.parse(local);
    if (!Number.isNaN(ms)) reference = { ms, exact: true };
  } else if (local) {
    const wallClock = local.replace(/z$/i, '');
    const asUtc = zonedTimeToInstant(wallClock, 'UTC');
    if (asUtc && offset !== null) {
      reference = { ms: Date.parse(asUtc) - offset * 60_000, exact: true };
    } else if (asUtc) {
      const inferred = resolveCarrierTime({ local: wallClock, location: hint, fallbackLocation: destination });
      if (inferred) reference = { ms: Date.parse(inferred.occurredAt), exact: false };
    }
  }

  if (gmtMs !== null) {
    if (!reference)
      return { occurredAt: new Date(gmtMs).toISOString(), occurredAtLocal: local, timeZoneInferred: false };
    const days = Math.max(-1, Math.min(1, Math.round((reference.ms - gmtMs) / DAY_MS)));
    const corrected = gmtMs + days * DAY_MS;
    // With an exact local time that still disagrees, the local time is what USPS shows people: trust it.
    const ms = reference.exact && Math.abs(corrected - reference.ms) > GMT_AGREEMENT_MS ? reference.ms : corrected;
    return { occurredAt: new Date(ms).toISOString(), occurredAtLocal: local, timeZoneInferred: false };
  }
  if (!reference) return null;
  return {
    occurredAt: new Date(reference.ms).toISOString(),
    occurredAtLocal: local,
    timeZoneInferred: !reference.exact,
  };
}

function toEvent(
  event: UspsTrackingEvent,
  index: number,
  count: number,
  context: { trackingNumber: string; destination: ZoneHint | null; onUnmappedCode?: (code: string) => void },
): NormalizedEvent & { mapping: UspsResolvedMapping; signer: string | null } {
  const location = eventLocation(event);
  const time = resolveEventTime(event, zoneHint(location), context.destination);
  if (!time) {
    throw invalidResponse(
      `USPS event ${index + 1} of ${context.trackingNumber} has no usable time (eventTimestamp ${JSON.stringify(event.eventTimestamp ?? null)})`,
    );
  }
  const mapping = mapUspsEvent({ eventCode: event.eventCode, eventType: event.eventType }, context.onUnmappedCode);
  const rawCode = event.eventCode === null || event.eventCode === undefined ? null : clean(String(event.eventCode));
  const description = event.eventType ? stripUspsMarkup(event.eventType) : '';
  return {
    ...time,
    // USPS lists events newest first; the position from the oldest orders same-minute scans.
    sequence: count - 1 - index,
    status: mapping.status,
    substatus: mapping.substatus,
    reason: mapping.reason,
    description: description.length > 0 ? description : null,
    location,
    rawCode,
    // The wording is the other half of the mapping key (01 + "Delivered, Parcel Locker"): kept verbatim.
    rawStatus: clean(event.eventType),
    mapping,
    signer: clean(event.name),
  };
}

const MIDNIGHT = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$/;

/** USPS EDDs are local dates sent as midnight timestamps; a real time of day becomes an instant. */
function estimatedDeliveryOf(body: UspsTrackingDetails, destination: ZoneHint | null): string | null {
  const candidates = [
    body.expectedDeliveryTimeStamp,
    body.expectedDeliveryDate,
    body.predictedDeliveryDate,
    body.predictedDeliveryTimeStamp,
  ];
  for (const candidate of candidates) {
    const text = clean(candidate);
    if (!text) continue;
    const dateOnly = MIDNIGHT.exec(text);
    if (dateOnly?.[1]) return dateOnly[1];
    const resolved = resolveCarrierTime({ local: text, fallbackLocation: destination });
    if (resolved) return resolved.occurredAt;
  }
  return null;
}

function normalizeDetails(body: UspsTrackingDetails, context: UspsNormalizeContext): TrackingOutcome {
  const trackingNumber = clean(body.trackingNumber) ?? clean(context.trackingNumber);
  if (!trackingNumber) throw invalidResponse('USPS tracking answer has no trackingNumber');
  const destination = destinationHint(body);
  const rawEvents = body.trackingEvents ?? [];
  const events = rawEvents.map((event, index) =>
    toEvent(event, index, rawEvents.length, { trackingNumber, destination, onUnmappedCode: context.onUnmappedCode }),
  );

  // Newest by instant; on a tie the one USPS lists first (its lists are newest first).
  const latest = events.reduce<(typeof events)[number] | null>(
    (newest, event) => (newest === null || event.occurredAt > newest.occurredAt ? event : newest),
    null,
  );
  let headline: UspsResolvedMapping | null = latest?.mapping ?? null;
  if ((!headline || headline.status === 'unknown') && clean(body.statusCategory)) {
    const byCategory = mapUspsStatusCategory(body.statusCategory, context.onUnmappedCode);
    if (!headline || byCategory.status !== 'unknown') headline = byCategory;
  }
  if (!headline) {
    // A 200 without a single scan or category says as much as USPS's "not yet available" error.
    return { kind: 'not_found_yet', trackingNumber, message: clean(body.statusSummary) };
  }

  const deliveredEvent =
    headline.status === 'delivered'
      ? events
          .filter((event) => event.status === 'delivered')
          .reduce<(typeof events)[number] | null>(
            (newest, event) => (newest === null || event.occurredAt > newest.occurredAt ? event : newest),
            null,
          )
      : null;
  const service = body.mailClass ? stripUspsMarkup(body.mailClass) : '';

  const result: TrackingResult = {
    carrier: USPS_CARRIER,
    trackingNumber,
    status: headline.status,
    substatus: headline.substatus,
    reason: headline.reason,
    estimatedDelivery: estimatedDeliveryOf(body, destination),
    deliveredAt: deliveredEvent?.occurredAt ?? null,
    signedBy: deliveredEvent?.signer ?? null,
    service: service.length > 0 ? service : null,
    events: events.map(({ mapping: _mapping, signer: _signer, ...event }) => event),
  };
  return { kind: 'found', result };
}
