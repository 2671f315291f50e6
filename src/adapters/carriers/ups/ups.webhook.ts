import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { NormalizedEvent, TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import { cleanText, parseUpsDate, resolveUpsTime, toUpsLocation, UPS_CARRIER } from './ups.normalize.js';
import { mapUpsActivityStatus } from './ups.status-map.js';

/** UPS Track Alert `TrackingEventRequest` (UPSTrackAlert.yaml), as much of it as we read. */
const looseText = z.union([z.string(), z.number()]).nullish();

const upsTrackAlertSchema = z.object({
  trackingNumber: z.union([z.string(), z.number()]),
  localActivityDate: looseText,
  localActivityTime: looseText,
  gmtActivityDate: looseText,
  gmtActivityTime: looseText,
  gmtOffset: looseText,
  activityLocation: z
    .object({ city: looseText, stateProvince: looseText, postalCode: looseText, country: looseText })
    .nullish(),
  activityStatus: z.object({
    type: looseText,
    code: looseText,
    description: looseText,
    // Documented only in the examples, where it is the 3-digit status code ("021", "011").
    descriptionCode: looseText,
  }),
  scheduledDeliveryDate: looseText,
  actualDeliveryDate: looseText,
  actualDeliveryTime: looseText,
  receivedBy: looseText,
});

export type UpsTrackAlert = z.infer<typeof upsTrackAlertSchema>;

export type UpsWebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function headerValue(headers: UpsWebhookHeaders, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  if (typeof value === 'string') return value;
  // Two x-api-key headers are not a delivery from UPS.
  return value && value.length === 1 ? (value[0] ?? null) : null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether a Track Alert delivery comes from UPS: its `x-api-key` header must
 * be the value configured for the subscription (UPS sends the OAuth client
 * id of the subscribing app). Compared in constant time, over digests so the
 * length does not leak either.
 */
export function verifyUpsTrackAlert(headers: UpsWebhookHeaders, expectedApiKey: string): boolean {
  if (expectedApiKey.length === 0) {
    throw new DomainError(ErrorCode.ConfigInvalid, 'UPS Track Alert: the expected x-api-key is not configured');
  }
  const presented = headerValue(headers, 'x-api-key');
  if (presented === null) return false;
  return timingSafeEqual(digest(presented), digest(expectedApiKey));
}

function parseTrackAlert(body: unknown): UpsTrackAlert {
  const parsed = upsTrackAlertSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new DomainError(
      ErrorCode.InvalidInput,
      `UPS Track Alert body has an unexpected shape at ${path}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (!cleanText(parsed.data.trackingNumber)) {
    throw new DomainError(ErrorCode.InvalidInput, 'UPS Track Alert body has an empty trackingNumber');
  }
  return parsed.data;
}

/**
 * A stable id for one Track Alert event, the same on every redelivery:
 * tracking number, instant (UPS's local wall-clock time when it gave neither
 * GMT fields nor an offset) and the status codes.
 */
export function upsTrackAlertEventId(body: unknown): string {
  const alert = parseTrackAlert(body);
  const time = resolveUpsTime({
    date: alert.localActivityDate,
    time: alert.localActivityTime,
    gmtDate: alert.gmtActivityDate,
    gmtTime: alert.gmtActivityTime,
    gmtOffset: alert.gmtOffset,
    location: null,
    fallbackLocation: null,
  });
  const when =
    time && !time.timeZoneInferred
      ? time.occurredAt
      : `local ${cleanText(alert.localActivityDate) ?? ''} ${cleanText(alert.localActivityTime) ?? ''}`.trim();
  const status = alert.activityStatus;
  const codes = [status.type, status.code, status.descriptionCode].map((part) => cleanText(part) ?? '').join('/');
  return `ups:${cleanText(alert.trackingNumber)!.toUpperCase()}:${when}:${codes.toUpperCase()}`;
}

/**
 * One Track Alert delivery as an outcome with one event. Status from the
 * 3-digit `descriptionCode`, then `type`, as for the Track API; GMT date and
 * time give the exact instant, else the local time with `gmtOffset`
 * (`-04.00`), else the zone of the activity's place, flagged inferred.
 * A wrong shape throws `invalid_input` (it is a request to us, not an answer).
 */
export function normalizeUpsTrackAlert(
  body: unknown,
  options: { onUnmappedCode?: (code: string) => void } = {},
): TrackingOutcome {
  const alert = parseTrackAlert(body);
  const trackingNumber = cleanText(alert.trackingNumber)!;
  const location = toUpsLocation(alert.activityLocation);
  const time = resolveUpsTime({
    date: alert.localActivityDate,
    time: alert.localActivityTime,
    gmtDate: alert.gmtActivityDate,
    gmtTime: alert.gmtActivityTime,
    gmtOffset: alert.gmtOffset,
    location,
    fallbackLocation: null,
  });
  if (!time) {
    throw new DomainError(ErrorCode.InvalidInput, 'UPS Track Alert body has no usable activity date and time');
  }
  const status = mapUpsActivityStatus(
    {
      type: cleanText(alert.activityStatus.type),
      code: cleanText(alert.activityStatus.code),
      statusCode: alert.activityStatus.descriptionCode,
      description: cleanText(alert.activityStatus.description),
    },
    options.onUnmappedCode,
  );
  const event: NormalizedEvent = {
    ...time,
    sequence: null,
    status: status.status,
    substatus: status.substatus,
    reason: status.reason,
    description: cleanText(alert.activityStatus.description),
    location,
    rawCode: status.rawCode,
    rawStatus: status.rawStatus,
  };
  const actualDelivery =
    status.status === 'delivered' && !status.informational
      ? event.occurredAt
      : (resolveUpsTime({
          date: alert.actualDeliveryDate,
          time: alert.actualDeliveryTime,
          location,
          fallbackLocation: null,
        })?.occurredAt ?? null);
  return {
    kind: 'found',
    result: {
      carrier: UPS_CARRIER,
      trackingNumber,
      status: status.status,
      substatus: status.substatus,
      reason: status.reason,
      estimatedDelivery: parseUpsDate(alert.scheduledDeliveryDate),
      deliveredAt: actualDelivery,
      signedBy: cleanText(alert.receivedBy),
      service: null,
      events: [event],
    },
  };
}
