import type { CarrierWebhookSource } from '../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../core/tracking/tracking-result.js';
import {
  afterShipWebhookEventId,
  afterShipWebhookTopic,
  verifyAfterShipWebhook,
} from './aftership/aftership.webhook.js';
import { normalizeAfterShipWebhook } from './aftership/aftership.normalize.js';
import { normalizeDhlTracking } from './dhl/dhl.normalize.js';
import { easyPostWebhookEventId, easyPostWebhookTopic, verifyEasyPostWebhook } from './easypost/easypost.webhook.js';
import { mapEasyPostCarrierCode } from './easypost/easypost.carrier-codes.js';
import { normalizeEasyPostWebhook } from './easypost/easypost.normalize.js';
import { normalizeFedexTrackResponse } from './fedex/fedex.normalize.js';
import { normalizeSandboxResponse } from './sandbox/sandbox.normalize.js';
import { normalizeShippoWebhook } from './shippo/shippo.normalize.js';
import { shippoWebhookEventId, shippoWebhookTopic, verifyShippoWebhook } from './shippo/shippo.webhook.js';
import { normalizeUpsTrackResponse } from './ups/ups.normalize.js';
import { normalizeUpsTrackAlert, upsTrackAlertEventId, verifyUpsTrackAlert } from './ups/ups.webhook.js';
import { normalizeUspsResponse } from './usps/usps.normalize.js';

export type NormalizeOptions = { onUnmappedCode?: (code: string) => void };

/**
 * Every source Waymark can read a tracking body from, for `waymark
 * normalize`: carrier API answers and aggregator webhook bodies.
 */
export const TRACKING_NORMALIZERS: Readonly<
  Record<string, (body: unknown, options?: NormalizeOptions) => TrackingOutcome[]>
> = {
  ups: (body, options) => normalizeUpsTrackResponse(body, options),
  fedex: (body, options) => normalizeFedexTrackResponse(body, options),
  usps: (body, options) => normalizeUspsResponse(body, options),
  dhl: (body, options) => normalizeDhlTracking(body, options),
  easypost: (body, options) => normalizeEasyPostWebhook(body, { ...options, mapCarrierCode: mapEasyPostCarrierCode }),
  aftership: (body, options) => normalizeAfterShipWebhook(body, options),
  shippo: (body, options) => normalizeShippoWebhook(body, options),
  'ups-track-alert': (body, options) => [normalizeUpsTrackAlert(body, options)],
  sandbox: (body, options) => [normalizeSandboxResponse(body, options)],
};

/** The push sources of `POST /webhooks/carriers/{source}`. */
export function carrierWebhookSources(options: NormalizeOptions = {}): Record<string, CarrierWebhookSource> {
  return {
    easypost: {
      source: 'easypost',
      verify: verifyEasyPostWebhook,
      eventId: easyPostWebhookEventId,
      topic: easyPostWebhookTopic,
      normalize: (body) => normalizeEasyPostWebhook(body, { ...options, mapCarrierCode: mapEasyPostCarrierCode }),
    },
    aftership: {
      source: 'aftership',
      verify: verifyAfterShipWebhook,
      eventId: afterShipWebhookEventId,
      topic: afterShipWebhookTopic,
      normalize: (body) => normalizeAfterShipWebhook(body, options),
    },
    shippo: {
      source: 'shippo',
      verify: verifyShippoWebhook,
      eventId: shippoWebhookEventId,
      topic: shippoWebhookTopic,
      normalize: (body) => normalizeShippoWebhook(body, options),
    },
    ups: {
      source: 'ups',
      verify: (_rawBody, headers, secret) => verifyUpsTrackAlert(headers, secret),
      eventId: (body) => upsTrackAlertEventId(body),
      topic: () => 'track_alert',
      normalize: (body) => [normalizeUpsTrackAlert(body, options)],
    },
  };
}
