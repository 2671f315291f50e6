import { z } from 'zod';

import { sandboxScenario } from '../../../core/detection/index.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { NormalizedEvent, TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import { SANDBOX_STATUS_MAP } from './sandbox.status-map.js';

const SandboxEventSchema = z.object({
  code: z.string(),
  description: z.string(),
  time: z.string(),
  localTime: z.string(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
});

/** The sandbox carrier's answer, shaped like a vendor's tracking response. */
export const SandboxResponseSchema = z.object({
  trackingNumber: z.string(),
  service: z.string().nullable(),
  estimatedDelivery: z.string().nullable(),
  signedBy: z.string().nullable(),
  events: z.array(SandboxEventSchema),
});
export type SandboxResponse = z.infer<typeof SandboxResponseSchema>;

export function normalizeSandboxResponse(
  body: unknown,
  options: { onUnmappedCode?: (code: string) => void } = {},
): TrackingOutcome {
  const parsed = SandboxResponseSchema.safeParse(body);
  if (!parsed.success)
    throw new DomainError(ErrorCode.UpstreamInvalidResponse, 'sandbox answer is not a sandbox tracking response');
  const response = parsed.data;
  if (sandboxScenario(response.trackingNumber) === null) {
    return {
      kind: 'invalid_number',
      trackingNumber: response.trackingNumber,
      message: 'not a sandbox number (SBX + scenario 1-7 + 8-16 digits)',
    };
  }
  if (response.events.length === 0)
    return { kind: 'not_found_yet', trackingNumber: response.trackingNumber, message: 'label not created yet' };

  const events: NormalizedEvent[] = response.events.map((event, index) => {
    const mapping = SANDBOX_STATUS_MAP[event.code];
    if (!mapping) options.onUnmappedCode?.(event.code);
    return {
      occurredAt: new Date(event.time).toISOString(),
      occurredAtLocal: event.localTime,
      timeZoneInferred: false,
      sequence: index,
      status: mapping?.status ?? 'unknown',
      substatus: mapping?.substatus ?? 'unmapped_carrier_status',
      reason: mapping?.reason ?? null,
      description: event.description,
      location:
        event.city || event.country
          ? { city: event.city, region: event.region, postalCode: event.postalCode, country: event.country }
          : null,
      rawCode: event.code,
      rawStatus: null,
    };
  });
  const latest = events[events.length - 1]!;
  return {
    kind: 'found',
    result: {
      carrier: 'sandbox',
      trackingNumber: response.trackingNumber,
      status: latest.status,
      substatus: latest.substatus,
      reason: latest.reason,
      estimatedDelivery: response.estimatedDelivery,
      deliveredAt: latest.status === 'delivered' ? latest.occurredAt : null,
      signedBy: response.signedBy,
      service: response.service,
      events,
    },
  };
}
