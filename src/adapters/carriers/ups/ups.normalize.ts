import { z } from 'zod';
import { detectCarrier } from '../../../core/detection/index.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { EventLocation } from '../../../core/shipment/shipment.js';
import { resolveCarrierTime } from '../../../core/tracking/carrier-time.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { mapUpsActivityStatus, type UpsActivityStatus, type UpsMappedStatus } from './ups.status-map.js';

export const UPS_CARRIER = 'ups';

/** UPS sends strings, but a re-serialised body may carry numbers; both are read as text. */
const looseText = z.union([z.string(), z.number()]).nullish();

const upsAddressSchema = z.object({
  city: looseText,
  stateProvince: looseText,
  postalCode: looseText,
  country: looseText,
  countryCode: looseText,
});

const upsStatusSchema = z.object({
  type: looseText,
  code: looseText,
  statusCode: looseText,
  description: looseText,
  simplifiedTextDescription: looseText,
});

const upsActivitySchema = z.object({
  date: looseText,
  time: looseText,
  gmtDate: looseText,
  gmtTime: looseText,
  gmtOffset: looseText,
  location: z.object({ address: upsAddressSchema.nullish() }).nullish(),
  status: upsStatusSchema.nullish(),
});

const upsPackageSchema = z.object({
  trackingNumber: looseText,
  activity: z.array(upsActivitySchema).nullish(),
  currentStatus: upsStatusSchema.nullish(),
  deliveryDate: z.array(z.object({ type: looseText, date: looseText })).nullish(),
  deliveryTime: z.object({ type: looseText, startTime: looseText, endTime: looseText }).nullish(),
  deliveryInformation: z.object({ receivedBy: looseText }).nullish(),
  packageAddress: z.array(z.object({ type: looseText, address: upsAddressSchema.nullish() })).nullish(),
  service: z.object({ code: looseText, description: looseText }).nullish(),
});

const upsMessageSchema = z.object({ code: looseText, message: looseText });

const upsTrackResponseSchema = z.object({
  trackResponse: z.object({
    shipment: z.array(
      z.object({
        inquiryNumber: looseText,
        package: z.array(upsPackageSchema).nullish(),
        warnings: z.array(upsMessageSchema).nullish(),
      }),
    ),
  }),
});

const upsErrorResponseSchema = z.object({
  response: z.object({ errors: z.array(upsMessageSchema).min(1) }),
});

type UpsAddress = z.infer<typeof upsAddressSchema>;
type UpsPackage = z.infer<typeof upsPackageSchema>;
type UpsMessage = z.infer<typeof upsMessageSchema>;

/** Warning / error codes that mean "nothing to show yet" (UPS answers HTTP 200, sometimes 404). */
export const UPS_NOT_FOUND_CODES: ReadonlySet<string> = new Set(['TW0001']);
/** Codes that mean the inquiry number can never be tracked. */
export const UPS_INVALID_NUMBER_CODES: ReadonlySet<string> = new Set(['TV1002']);
/**
 * Codes that mean our credentials were refused, whatever the HTTP status:
 * 250002 "Invalid Authentication Information" (app not entitled to the
 * product), 250003 "Invalid Access License number".
 */
export const UPS_AUTH_ERROR_CODES: ReadonlySet<string> = new Set(['250002', '250003']);

export type NormalizeUpsOptions = {
  /** The number that was asked for: error bodies (`TV1002`) do not repeat it. */
  inquiryNumber?: string;
  /** Hears each UPS status code or type the tables do not know. */
  onUnmappedCode?: (code: string) => void;
};

export function cleanText(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** `YYYYMMDD` → `YYYY-MM-DD`, or null for anything else (UPS examples carry placeholders like "string"). */
export function parseUpsDate(value: string | number | null | undefined): string | null {
  const raw = cleanText(value);
  const match = raw ? /^(\d{4})(\d{2})(\d{2})$/.exec(raw) : null;
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) ? `${y}-${m}-${d}` : null;
}

/**
 * `HHMMSS` → `HH:MM:SS`. UPS also writes `HH:MM:SS` (recorded `gmtTime`) and
 * drops the leading zero (`"74700"` in its own spec example), so both are read.
 */
export function parseUpsTime(value: string | number | null | undefined): string | null {
  const raw = cleanText(value)?.replace(/:/g, '');
  if (!raw || !/^\d{3,6}$/.test(raw)) return null;
  const padded = raw.padStart(6, '0');
  const [h, m, s] = [padded.slice(0, 2), padded.slice(2, 4), padded.slice(4, 6)];
  return Number(h) < 24 && Number(m) < 60 && Number(s) < 60 ? `${h}:${m}:${s}` : null;
}

/** `-05:00` (Track API), `-04.00` (Track Alert), `-0500` → `-05:00`. */
export function parseUpsOffset(value: string | number | null | undefined): string | null {
  const match = /^([+-])(\d{1,2})[:.]?(\d{2})$/.exec(cleanText(value) ?? '');
  if (!match) return null;
  const [, sign, h, m] = match;
  return Number(h) <= 14 && Number(m) < 60 ? `${sign}${h!.padStart(2, '0')}:${m}` : null;
}

/**
 * The instant of a UPS activity. GMT date + time → exact; local time with a
 * GMT offset → exact; local time alone → zone inferred from the activity's
 * place, else the destination. `occurredAtLocal` is UPS's own `YYYYMMDD HHMMSS`.
 */
export function resolveUpsTime(input: {
  date?: string | number | null | undefined;
  time?: string | number | null | undefined;
  gmtDate?: string | number | null | undefined;
  gmtTime?: string | number | null | undefined;
  gmtOffset?: string | number | null | undefined;
  location: EventLocation | null;
  fallbackLocation: EventLocation | null;
}): Pick<NormalizedEvent, 'occurredAt' | 'occurredAtLocal' | 'timeZoneInferred'> | null {
  const localDate = parseUpsDate(input.date);
  const localTime = parseUpsTime(input.time);
  const occurredAtLocal = localDate && localTime ? `${cleanText(input.date)} ${cleanText(input.time)}` : null;

  const gmtDate = parseUpsDate(input.gmtDate);
  const gmtTime = parseUpsTime(input.gmtTime);
  if (gmtDate && gmtTime) {
    return { occurredAt: new Date(`${gmtDate}T${gmtTime}Z`).toISOString(), occurredAtLocal, timeZoneInferred: false };
  }
  if (!localDate || !localTime) return null;
  const offset = parseUpsOffset(input.gmtOffset);
  if (offset) {
    return {
      occurredAt: new Date(`${localDate}T${localTime}${offset}`).toISOString(),
      occurredAtLocal,
      timeZoneInferred: false,
    };
  }
  const resolved = resolveCarrierTime({
    local: `${localDate}T${localTime}`,
    location: input.location,
    fallbackLocation: input.fallbackLocation,
  });
  return resolved ? { occurredAt: resolved.occurredAt, occurredAtLocal, timeZoneInferred: true } : null;
}

/** A UPS address as our location; country as ISO-2 (UPS fills both `country` and `countryCode`). */
export function toUpsLocation(address: UpsAddress | null | undefined): EventLocation | null {
  if (!address) return null;
  const countryText = cleanText(address.countryCode) ?? cleanText(address.country);
  const country = countryText && /^[A-Za-z]{2}$/.test(countryText) ? countryText.toUpperCase() : null;
  const location: EventLocation = {
    city: cleanText(address.city),
    region: cleanText(address.stateProvince),
    postalCode: cleanText(address.postalCode),
    country,
  };
  return location.city || location.region || location.postalCode || location.country ? location : null;
}

function invalidShape(what: string, error: z.ZodError): DomainError {
  const issue = error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return new DomainError(
    ErrorCode.UpstreamInvalidResponse,
    `UPS ${what} has an unexpected shape at ${path}: ${issue?.message ?? 'invalid'}`,
    { details: { issues: error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })) } },
  );
}

/**
 * UPS sometimes answers TV1002 for numbers that are fine (UPS-API issue
 * #218); a number whose UPS check digit verifies is then "not found yet"
 * rather than invalid forever.
 */
function hasValidUpsCheckDigit(trackingNumber: string): boolean {
  return detectCarrier(trackingNumber).candidates.some(
    (candidate) => candidate.carrier === UPS_CARRIER && candidate.valid && candidate.checksumVerified,
  );
}

function outcomeForMessages(trackingNumber: string, messages: readonly UpsMessage[]): TrackingOutcome {
  const invalid = messages.find((m) => UPS_INVALID_NUMBER_CODES.has(cleanText(m.code) ?? ''));
  if (invalid) {
    const message = [cleanText(invalid.code), cleanText(invalid.message)].filter(Boolean).join(' ');
    return hasValidUpsCheckDigit(trackingNumber)
      ? { kind: 'not_found_yet', trackingNumber, message: `${message} (check digit valid; UPS is retried)` }
      : { kind: 'invalid_number', trackingNumber, message };
  }
  const notFound = messages.find((m) => UPS_NOT_FOUND_CODES.has(cleanText(m.code) ?? '')) ?? messages[0];
  return { kind: 'not_found_yet', trackingNumber, message: notFound ? cleanText(notFound.message) : null };
}

function errorEnvelopeOutcome(errors: readonly UpsMessage[], inquiryNumber: string | undefined): TrackingOutcome {
  const first = errors[0]!;
  const auth = errors.find((e) => UPS_AUTH_ERROR_CODES.has(cleanText(e.code) ?? ''));
  if (auth) {
    throw new DomainError(
      ErrorCode.UpstreamAuthFailed,
      `UPS refused the credentials: ${[cleanText(auth.code), cleanText(auth.message)].filter(Boolean).join(' ')}`,
      { details: { upsCode: cleanText(auth.code) } },
    );
  }
  const known = errors.some((e) => {
    const code = cleanText(e.code) ?? '';
    return UPS_INVALID_NUMBER_CODES.has(code) || UPS_NOT_FOUND_CODES.has(code);
  });
  if (!known) {
    throw new DomainError(
      ErrorCode.UpstreamInvalidResponse,
      `UPS answered error ${cleanText(first.code) ?? '(no code)'}: ${cleanText(first.message) ?? '(no message)'}`,
      { details: { upsCode: cleanText(first.code) } },
    );
  }
  const trackingNumber = inquiryNumber ? cleanText(inquiryNumber) : null;
  if (!trackingNumber) {
    throw new DomainError(
      ErrorCode.UpstreamInvalidResponse,
      `UPS answered error ${cleanText(first.code)} without naming the number; pass inquiryNumber to read it`,
    );
  }
  return outcomeForMessages(trackingNumber, errors);
}

type MappedEvent = { event: NormalizedEvent; informational: boolean; index: number };

/** Newest first by instant; for the same instant UPS's own order (most recent first) decides. */
function newestFirst(a: MappedEvent, b: MappedEvent): number {
  return b.event.occurredAt.localeCompare(a.event.occurredAt) || a.index - b.index;
}

function addressOfType(pkg: UpsPackage, type: string): EventLocation | null {
  const entry = pkg.packageAddress?.find((a) => cleanText(a.type)?.toUpperCase() === type);
  return toUpsLocation(entry?.address);
}

function statusInput(status: z.infer<typeof upsStatusSchema> | null | undefined): UpsActivityStatus {
  return {
    type: cleanText(status?.type),
    code: cleanText(status?.code),
    statusCode: cleanText(status?.statusCode),
    description: cleanText(status?.description) ?? cleanText(status?.simplifiedTextDescription),
  };
}

function estimatedDeliveryOf(pkg: UpsPackage): string | null {
  const dates = pkg.deliveryDate ?? [];
  // Rescheduled beats scheduled; once delivered, the delivery date is the last word.
  for (const type of ['RDD', 'SDD', 'DEL']) {
    const date = parseUpsDate(dates.find((d) => cleanText(d.type)?.toUpperCase() === type)?.date);
    if (date) return date;
  }
  return null;
}

function deliveredAtFromDates(pkg: UpsPackage, destination: EventLocation | null): string | null {
  const deliveryTime = pkg.deliveryTime;
  if (cleanText(deliveryTime?.type)?.toUpperCase() !== 'DEL') return null;
  const date = pkg.deliveryDate?.find((d) => cleanText(d.type)?.toUpperCase() === 'DEL')?.date;
  const resolved = resolveUpsTime({
    date,
    time: deliveryTime?.endTime ?? deliveryTime?.startTime,
    location: destination,
    fallbackLocation: null,
  });
  return resolved?.occurredAt ?? null;
}

function normalizePackage(
  pkg: UpsPackage,
  fallbackNumber: string,
  onUnmappedCode: ((code: string) => void) | undefined,
): TrackingOutcome {
  const trackingNumber = cleanText(pkg.trackingNumber) ?? fallbackNumber;
  const destination = addressOfType(pkg, 'DESTINATION');
  const activities = pkg.activity ?? [];

  const mapped: MappedEvent[] = [];
  activities.forEach((activity, index) => {
    const location = toUpsLocation(activity.location?.address);
    const time = resolveUpsTime({ ...activity, location, fallbackLocation: destination });
    // An activity without a usable date cannot be placed in the history (UPS's spec example has only a time).
    if (!time) return;
    const status = mapUpsActivityStatus(statusInput(activity.status), onUnmappedCode);
    mapped.push({
      index,
      informational: status.informational,
      event: {
        ...time,
        sequence: activities.length - 1 - index,
        status: status.status,
        substatus: status.substatus,
        reason: status.reason,
        description: statusInput(activity.status).description ?? null,
        location,
        rawCode: status.rawCode,
        rawStatus: status.rawStatus,
      },
    });
  });

  const ordered = [...mapped].sort(newestFirst);
  const headlineEvent = ordered.find((m) => !m.informational) ?? ordered[0];
  let headline: Pick<UpsMappedStatus, 'status' | 'substatus' | 'reason'>;
  if (headlineEvent) {
    headline = headlineEvent.event;
  } else if (pkg.currentStatus) {
    headline = mapUpsActivityStatus(statusInput(pkg.currentStatus), onUnmappedCode);
  } else {
    headline = { status: 'pending', substatus: 'registered', reason: null };
  }

  const deliveredEvent = ordered.find((m) => m.event.status === 'delivered' && !m.informational);
  const service = pkg.service ? (cleanText(pkg.service.description) ?? cleanText(pkg.service.code)) : null;
  const result: TrackingResult = {
    carrier: UPS_CARRIER,
    trackingNumber,
    status: headline.status,
    substatus: headline.substatus,
    reason: headline.reason,
    estimatedDelivery: estimatedDeliveryOf(pkg),
    deliveredAt: deliveredEvent?.event.occurredAt ?? deliveredAtFromDates(pkg, destination),
    signedBy: cleanText(pkg.deliveryInformation?.receivedBy),
    service,
    events: mapped.map((m) => m.event),
  };
  return { kind: 'found', result };
}

/**
 * A UPS Track API answer (`GET /api/track/v1/details/{n}`), parsed JSON, as
 * one outcome per package (a multi-piece shipment gives several) and one per
 * shipment UPS has nothing for. Also reads the `response.errors` envelope of
 * a 400/404: TV1002 → invalid number, TW0001 → not found yet, 25000x →
 * `upstream_auth_failed`. Any other shape throws `upstream_invalid_response`.
 */
export function normalizeUpsTrackResponse(body: unknown, options: NormalizeUpsOptions = {}): TrackingOutcome[] {
  if (typeof body === 'object' && body !== null && 'response' in body && !('trackResponse' in body)) {
    const parsed = upsErrorResponseSchema.safeParse(body);
    if (!parsed.success) throw invalidShape('error answer', parsed.error);
    return [errorEnvelopeOutcome(parsed.data.response.errors, options.inquiryNumber)];
  }
  const parsed = upsTrackResponseSchema.safeParse(body);
  if (!parsed.success) throw invalidShape('track answer', parsed.error);

  const outcomes: TrackingOutcome[] = [];
  for (const shipment of parsed.data.trackResponse.shipment) {
    const inquiryNumber = cleanText(shipment.inquiryNumber) ?? cleanText(options.inquiryNumber);
    const packages = shipment.package ?? [];
    if (packages.length === 0) {
      if (!inquiryNumber) {
        throw new DomainError(ErrorCode.UpstreamInvalidResponse, 'UPS track answer has a shipment with no number');
      }
      outcomes.push(outcomeForMessages(inquiryNumber, shipment.warnings ?? []));
      continue;
    }
    for (const pkg of packages) {
      const fallbackNumber = inquiryNumber ?? '';
      if (!cleanText(pkg.trackingNumber) && !fallbackNumber) {
        throw new DomainError(ErrorCode.UpstreamInvalidResponse, 'UPS track answer has a package with no number');
      }
      outcomes.push(normalizePackage(pkg, fallbackNumber, options.onUnmappedCode));
    }
  }
  return outcomes;
}
