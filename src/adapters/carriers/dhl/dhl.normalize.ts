import { z } from 'zod';

import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { EventLocation } from '../../../core/shipment/shipment.js';
import { resolveCarrierTime } from '../../../core/tracking/carrier-time.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { parseDhlAddress } from './dhl.location.js';
import { DHL_MATCH_SPECIFICITY, mapDhlStatus, type DhlMappedStatus, type DhlMatchedBy } from './dhl.status-map.js';

export const DHL_CARRIER = 'dhl';

const optionalText = z.string().nullish();

/** Express sends `status` as a code, sometimes a bare number (`101`). */
const codeOrText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : String(value)));

const DhlPlaceSchema = z.looseObject({
  address: z
    .looseObject({
      countryCode: optionalText,
      postalCode: optionalText,
      addressLocality: optionalText,
    })
    .nullish(),
});

const eventFields = {
  location: DhlPlaceSchema.nullish(),
  statusCode: optionalText,
  status: codeOrText,
  statusDetailed: optionalText,
  description: optionalText,
  remark: optionalText,
  nextSteps: optionalText,
  pieceIds: z.array(z.string()).nullish(),
};

const DhlEventSchema = z.looseObject({ timestamp: z.string(), ...eventFields });
const DhlStatusBlockSchema = z.looseObject({ timestamp: optionalText, ...eventFields });

const DhlPersonSchema = z.looseObject({
  name: optionalText,
  givenName: optionalText,
  familyName: optionalText,
  organizationName: optionalText,
});

const DhlShipmentSchema = z.looseObject({
  // The spec example sends a number; real answers send a string.
  id: z.union([z.string(), z.number()]).transform(String),
  service: optionalText,
  origin: DhlPlaceSchema.nullish(),
  destination: DhlPlaceSchema.nullish(),
  status: DhlStatusBlockSchema.nullish(),
  estimatedTimeOfDelivery: optionalText,
  estimatedDeliveryTimeFrame: z.looseObject({ estimatedFrom: optionalText, estimatedThrough: optionalText }).nullish(),
  details: z
    .looseObject({
      product: z.looseObject({ productName: optionalText }).nullish(),
      proofOfDelivery: z
        .looseObject({
          timestamp: optionalText,
          signed: z.union([z.string(), DhlPersonSchema]).nullish(),
        })
        .nullish(),
      totalNumberOfPieces: z.number().nullish(),
      pieceIds: z.array(z.string()).nullish(),
    })
    .nullish(),
  events: z.array(DhlEventSchema).nullish(),
});

const DhlTrackingBodySchema = z.looseObject({
  shipments: z.array(DhlShipmentSchema),
  possibleAdditionalShipmentsUrl: z.array(z.string()).nullish(),
});

export type DhlShipment = z.infer<typeof DhlShipmentSchema>;
export type DhlTrackingBody = z.infer<typeof DhlTrackingBodySchema>;
type DhlEvent = z.infer<typeof DhlEventSchema>;
type DhlStatusBlock = z.infer<typeof DhlStatusBlockSchema>;

/** RFC 7807 body DHL sends with 4xx answers (`{"title","detail","status","instance"}`). */
export type DhlProblem = { status: number; title: string | null; detail: string | null; instance: string | null };

export type DhlNormalizeOptions = {
  /** Called once per distinct code (per shipment) the tables could not place. */
  onUnmappedCode?: (code: string) => void;
  /** The number that was asked for; used when a problem body or an empty answer does not name it. */
  trackingNumber?: string;
};

function invalidResponse(message: string): DomainError {
  return new DomainError(ErrorCode.UpstreamInvalidResponse, `dhl: ${message}`);
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}

/** A problem body, or null when the body is something else. */
export function readDhlProblem(body: unknown): DhlProblem | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'shipments' in body) return null;
  const record = body as Record<string, unknown>;
  const status = typeof record.status === 'string' ? Number(record.status) : record.status;
  if (typeof status !== 'number' || !Number.isInteger(status)) return null;
  const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);
  return { status, title: text(record.title), detail: text(record.detail), instance: text(record.instance) };
}

/**
 * The outcome a 404 or 400 problem stands for: 404 is "nothing yet" (new
 * labels take 10–30 minutes to appear, old ones are purged after ~90 days),
 * 400 is a number DHL will never accept.
 */
export function dhlProblemOutcome(problem: DhlProblem, trackingNumber: string | null): TrackingOutcome {
  // DHL names the number in `instance` ("/shipment/8264715546") on a 404; a 400 may point at the endpoint instead.
  const fromInstance = /\/shipments?\/([^/?#]+)$/.exec(problem.instance ?? '')?.[1];
  const number = trackingNumber ?? (fromInstance ? decodeURIComponent(fromInstance) : '');
  const message = problem.detail ?? problem.title;
  switch (problem.status) {
    case 404:
      return { kind: 'not_found_yet', trackingNumber: number, message };
    case 400:
      return { kind: 'invalid_number', trackingNumber: number, message };
    case 401:
    case 403:
      throw new DomainError(ErrorCode.UpstreamAuthFailed, `dhl refused the API key (HTTP ${problem.status})`, {
        details: { status: problem.status },
      });
    case 429:
      throw new DomainError(ErrorCode.UpstreamRateLimited, 'dhl rate limit reached (HTTP 429)', {
        details: { status: problem.status, retryAfterMs: null },
      });
    default:
      throw invalidResponse(`problem answer with status ${problem.status}: ${message ?? 'no detail'}`);
  }
}

/** Validates a 200 body; throws `upstream_invalid_response` naming the first thing wrong. */
export function parseDhlTrackingBody(body: unknown): DhlTrackingBody {
  const parsed = DhlTrackingBodySchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  throw invalidResponse(`answer is not a tracking response (${where}: ${issue?.message ?? 'unreadable'})`);
}

function normalizeId(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

function statusTimeMs(shipment: DhlShipment): number {
  const at = shipment.status?.timestamp ? Date.parse(shipment.status.timestamp) : Number.NaN;
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

/**
 * The shipment that answers for a number when DHL returns several. Without a
 * `service` DHL may add shipments of other businesses sharing the ID, and
 * Express reuses numbers: prefer the exact ID (or piece ID), then the hinted
 * service, then the most recent status.
 */
export function pickDhlShipment(
  shipments: readonly DhlShipment[],
  trackingNumber: string,
  service: string | null = null,
): DhlShipment | undefined {
  const wanted = normalizeId(trackingNumber);
  const byId = shipments.filter(
    (shipment) =>
      normalizeId(shipment.id) === wanted ||
      (shipment.details?.pieceIds ?? []).some((piece) => normalizeId(piece) === wanted),
  );
  const candidates = byId.length > 0 ? byId : [...shipments];
  const inService = service ? candidates.filter((shipment) => shipment.service === service) : [];
  const pool = inService.length > 0 ? inService : candidates;
  return [...pool].sort((a, b) => statusTimeMs(b) - statusTimeMs(a))[0];
}

type TimedMapping = DhlMappedStatus & { occurredAt: string | null };

/** A normalised event with how its mapping was found, to compare it with the status block. */
type MappedEvent = { event: NormalizedEvent; matchedBy: DhlMatchedBy };

function mapBlock(
  block: DhlEvent | DhlStatusBlock,
  service: string | null,
  report: (code: string) => void,
): DhlMappedStatus {
  return mapDhlStatus(
    {
      service,
      statusCode: block.statusCode ?? null,
      status: block.status,
      statusDetailed: block.statusDetailed ?? null,
      description: block.description ?? null,
    },
    report,
  );
}

function resolveTime(local: string, location: EventLocation | null, destination: EventLocation | null) {
  return resolveCarrierTime({ local, location, fallbackLocation: destination });
}

/** The text to show: DHL's description, else its `status` when that is prose rather than a code. */
function describe(block: DhlEvent | DhlStatusBlock): string | null {
  const status = clean(block.status);
  return clean(block.description) ?? (status && !/^(?:[A-Z]{2}|\d{3})$/.test(status) ? status : null);
}

function toEvent(
  block: DhlEvent | DhlStatusBlock,
  timestamp: string,
  service: string | null,
  destination: EventLocation | null,
  report: (code: string) => void,
): MappedEvent {
  const location = parseDhlAddress(block.location?.address);
  const time = resolveTime(timestamp, location, destination);
  if (!time) throw invalidResponse(`event timestamp "${timestamp}" is not a date and time`);
  const mapped = mapBlock(block, service, report);
  return {
    matchedBy: mapped.matchedBy,
    event: {
      occurredAt: time.occurredAt,
      occurredAtLocal: time.occurredAtLocal,
      timeZoneInferred: time.timeZoneInferred,
      sequence: null,
      status: mapped.status,
      substatus: mapped.substatus,
      reason: mapped.reason,
      description: describe(block),
      location,
      rawCode: mapped.rawCode,
      rawStatus: mapped.rawStatus,
    },
  };
}

/** DHL's EDD; a midnight instant is DHL's way of writing a date ("By End of Day"), so it stays a date. */
function estimatedDelivery(shipment: DhlShipment, destination: EventLocation | null): string | null {
  const frame = shipment.estimatedDeliveryTimeFrame;
  const raw =
    clean(shipment.estimatedTimeOfDelivery) ?? clean(frame?.estimatedThrough) ?? clean(frame?.estimatedFrom) ?? null;
  if (!raw) return null;
  const dateOnly = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw);
  if (dateOnly) return dateOnly[1]!;
  return resolveTime(raw, null, destination)?.occurredAt ?? null;
}

function signatory(shipment: DhlShipment, events: readonly NormalizedEvent[]): string | null {
  const signed = shipment.details?.proofOfDelivery?.signed;
  if (typeof signed === 'string') return clean(signed);
  if (signed) {
    const fullName = [clean(signed.givenName), clean(signed.familyName)].filter(Boolean).join(' ');
    const name = clean(signed.name) ?? (fullName || null) ?? clean(signed.organizationName);
    if (name) return name;
  }
  // Older Express answers put the signatory only in the text: "Delivered - Signed for by : J SMITH".
  for (const event of events) {
    const match = event.status === 'delivered' ? /signed for by\s*:?\s*(.+)$/i.exec(event.description ?? '') : null;
    if (match) return match[1]!.trim();
  }
  return null;
}

/** Newest first by instant, then by DHL's own order. */
function newestFirst(events: readonly MappedEvent[]): MappedEvent[] {
  return [...events].sort(
    (a, b) => b.event.occurredAt.localeCompare(a.event.occurredAt) || (b.event.sequence ?? 0) - (a.event.sequence ?? 0),
  );
}

/**
 * The headline: DHL's status block, unless the newest event is newer, or
 * of the same instant and mapped more finely (the block often repeats the
 * newest event with only the coarse code, while the event has the Express
 * checkpoint code).
 */
function pickHeadline(block: TimedMapping | null, newest: MappedEvent | undefined): TimedMapping | null {
  if (!newest) return block;
  const { event } = newest;
  const eventIsNewer = !block?.occurredAt || event.occurredAt > block.occurredAt;
  const eventIsFiner =
    block !== null &&
    block.occurredAt === event.occurredAt &&
    DHL_MATCH_SPECIFICITY[newest.matchedBy] > DHL_MATCH_SPECIFICITY[block.matchedBy];
  if (block && !eventIsNewer && !eventIsFiner) return block;
  return {
    status: event.status,
    substatus: event.substatus,
    reason: event.reason,
    rawCode: event.rawCode,
    rawStatus: event.rawStatus,
    matchedBy: newest.matchedBy,
    ruleId: null,
    occurredAt: event.occurredAt,
  };
}

/** One DHL shipment as a TrackingResult. Pure. */
export function normalizeDhlShipment(shipment: DhlShipment, options: DhlNormalizeOptions = {}): TrackingResult {
  const service = clean(shipment.service);
  const destination = parseDhlAddress(shipment.destination?.address);
  const reportedCodes = new Set<string>();
  const report = (code: string): void => {
    if (reportedCodes.has(code)) return;
    reportedCodes.add(code);
    options.onUnmappedCode?.(code);
  };

  let mapped = (shipment.events ?? []).map((event) => toEvent(event, event.timestamp, service, destination, report));
  // DHL lists events newest first; its order is the tie-break for events of the same minute.
  const listedNewestFirst =
    mapped.length < 2 || mapped[0]!.event.occurredAt >= mapped[mapped.length - 1]!.event.occurredAt;
  mapped = mapped.map(({ event, matchedBy }, index) => ({
    matchedBy,
    event: { ...event, sequence: listedNewestFirst ? mapped.length - 1 - index : index },
  }));

  const statusBlock = shipment.status ?? null;
  if (mapped.length === 0 && statusBlock?.timestamp) {
    // Some answers carry only the status block; it is then the one event we know of.
    const only = toEvent(statusBlock, statusBlock.timestamp, service, destination, report);
    mapped = [{ ...only, event: { ...only.event, sequence: 0 } }];
  }

  let blockMapping: TimedMapping | null = null;
  if (statusBlock) {
    const location = parseDhlAddress(statusBlock.location?.address);
    const at = statusBlock.timestamp ? resolveTime(statusBlock.timestamp, location, destination) : null;
    blockMapping = { ...mapBlock(statusBlock, service, report), occurredAt: at?.occurredAt ?? null };
  }
  const ordered = newestFirst(mapped);
  const headline = pickHeadline(blockMapping, ordered[0]);
  const orderedEvents = ordered.map(({ event }) => event);

  const status = headline?.status ?? 'pending';
  let deliveredAt: string | null = null;
  if (status === 'delivered') {
    const podTimestamp = shipment.details?.proofOfDelivery?.timestamp;
    deliveredAt =
      orderedEvents.find((event) => event.status === 'delivered')?.occurredAt ??
      (podTimestamp ? (resolveTime(podTimestamp, null, destination)?.occurredAt ?? null) : null) ??
      headline?.occurredAt ??
      null;
  }

  return {
    carrier: DHL_CARRIER,
    trackingNumber: shipment.id,
    status,
    substatus: headline?.substatus ?? 'registered',
    reason: headline?.reason ?? null,
    estimatedDelivery: estimatedDelivery(shipment, destination),
    deliveredAt,
    signedBy: signatory(shipment, orderedEvents),
    service: clean(shipment.details?.product?.productName),
    events: mapped.map(({ event }) => event),
  };
}

/**
 * A DHL answer body as outcomes, one per shipment in it (or one for a 404 /
 * 400 problem body). Pure: the same body always gives the same outcomes.
 */
export function normalizeDhlTracking(body: unknown, options: DhlNormalizeOptions = {}): TrackingOutcome[] {
  const problem = readDhlProblem(body);
  if (problem) return [dhlProblemOutcome(problem, options.trackingNumber ?? null)];
  const parsed = parseDhlTrackingBody(body);
  if (parsed.shipments.length === 0) {
    return options.trackingNumber
      ? [{ kind: 'not_found_yet', trackingNumber: options.trackingNumber, message: 'DHL answered with no shipment' }]
      : [];
  }
  return parsed.shipments.map((shipment) => ({ kind: 'found', result: normalizeDhlShipment(shipment, options) }));
}
