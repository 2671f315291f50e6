import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { CarrierWebhookSource } from '../core/ports/carrier.port.js';
import { applyTrackingOutcome } from './apply-tracking-outcome.js';
import type { InboundDelivery, InboundProcessor } from './process-inbound-webhook.js';
import type { WebhookIntake } from './webhook-intake.js';

export type { CarrierWebhookSource };

export type CarrierWebhookRegistry = ReadonlyMap<string, { handler: CarrierWebhookSource; secret: string }>;

export const CARRIER_WEBHOOK_PREFIX = 'carrier:';

/** Shared secrets sent as they are (Shippo's token, BigCommerce's secret): never stored with the delivery. */
const SECRET_HEADERS = /^x-waymark-webhook-(token|secret)$/i;

/** Headers worth keeping with a stored delivery (signatures and ids, for audit and replay). */
export function headersToKeep(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.test(name)) continue;
    if (
      /^(content-type|user-agent|x-request-id|x-hmac-signature|aftership-|as-webhook|x-api-key|webhook-|x-shopify-|x-wc-|x-waymark-)/i.test(
        name,
      )
    ) {
      kept[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return kept;
}

/**
 * Applies a stored carrier webhook after the 2xx: each tracking update goes
 * to every shipment with that tracking number (and carrier, when the update
 * names one) — a parcel can belong to one order of one store, but the same
 * number may be reused across stores of one deployment.
 */
export function carrierWebhookProcessor(
  deps: { uow: UnitOfWork; clock: Clock },
  handler: CarrierWebhookSource,
): InboundProcessor {
  return {
    source: `${CARRIER_WEBHOOK_PREFIX}${handler.source}`,
    async process(delivery: InboundDelivery) {
      let body: unknown;
      try {
        body = JSON.parse(delivery.rawBody);
      } catch (error) {
        throw new DomainError(ErrorCode.MalformedJson, 'stored webhook body is not JSON', { cause: error });
      }
      for (const outcome of handler.normalize(body)) {
        const trackingNumber = outcome.kind === 'found' ? outcome.result.trackingNumber : outcome.trackingNumber;
        const carrier = outcome.kind === 'found' ? outcome.result.carrier : null;
        const shipments = await deps.uow.repositories.shipments.findShipmentsByTrackingNumber(trackingNumber, carrier);
        for (const shipment of shipments) {
          await applyTrackingOutcome(deps, shipment, outcome, {
            cause: 'webhook',
            source: 'aggregator_webhook',
            causeRef: delivery.id,
          });
        }
      }
    },
  };
}

/**
 * The synchronous half of a carrier webhook, before the 2xx: verify the
 * signature on the raw bytes, check the body is JSON, commit it to the inbox.
 */
export async function acceptCarrierWebhook(
  deps: { intake: Pick<WebhookIntake, 'accept'>; clock: Clock; sources: CarrierWebhookRegistry },
  input: { source: string; rawBody: Buffer; headers: Record<string, string | string[] | undefined> },
): Promise<{ id: string; duplicate: boolean }> {
  const entry = deps.sources.get(input.source);
  if (!entry)
    throw new DomainError(
      ErrorCode.NotFound,
      `carrier webhook source "${input.source}" is not configured on this server`,
    );
  if (!entry.handler.verify(input.rawBody, input.headers, entry.secret)) {
    throw new DomainError(ErrorCode.SignatureInvalid, `${input.source} webhook signature did not verify`);
  }
  const rawBody = input.rawBody.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new DomainError(ErrorCode.MalformedJson, 'webhook body is not valid JSON');
  }
  return deps.intake.accept(
    {
      storeId: null,
      source: `${CARRIER_WEBHOOK_PREFIX}${input.source}`,
      topic: entry.handler.topic(body),
      providerEventId: entry.handler.eventId(body),
      headers: headersToKeep(input.headers),
      rawBody,
    },
    deps.clock.now(),
  );
}
