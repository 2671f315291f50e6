/**
 * EasyPost's `carrier_code` (the underlying carrier's own event code) read with that
 * carrier's table, for `EasyPostNormalizeOptions.mapCarrierCode`. Pure.
 *
 * Only codes a carrier's table can place on their own are taken; everything else returns
 * null and EasyPost's own classification stands:
 * - FedEx event codes (`PU`, `OD`…) and USPS event codes (`10`, `OF`…) are complete on their
 *   own, the same codes the carriers' APIs send.
 * - UPS only when EasyPost passes the 3-digit status code: UPS's 2-letter activity codes
 *   mean something only together with the activity type, which EasyPost does not forward.
 * - DHL only for two-letter Express checkpoint codes (EasyPost's `DHLExpress`).
 * - A code that the carrier's table files as a generic exception (FedEx `DE` waits for an
 *   exception code EasyPost does not forward) or cannot place at all: EasyPost's detail
 *   (`refused`, `weather_delay`…) says more.
 */
import { DEFAULT_REASON_FOR_SUBSTATUS } from '../../../core/shipment/shipping-status.js';
import { mapDhlStatus } from '../dhl/dhl.status-map.js';
import { mapFedexStatus } from '../fedex/fedex.status-map.js';
import { mapUpsActivityStatus } from '../ups/ups.status-map.js';
import { mapUspsEvent } from '../usps/usps.status-map.js';
import type { EasyPostResolvedStatus } from './easypost.status-map.js';

function fromCarrierTable(carrier: string, code: string): EasyPostResolvedStatus | null {
  switch (carrier) {
    case 'fedex': {
      const mapped = mapFedexStatus({ code });
      return mapped.matchedBy === 'event_code' ? mapped : null;
    }
    case 'usps': {
      const mapped = mapUspsEvent({ eventCode: code, eventType: null });
      return mapped.mappedBy === 'event_code' ? mapped : null;
    }
    case 'ups': {
      if (!/^\d{3}$/.test(code)) return null;
      const mapped = mapUpsActivityStatus({ statusCode: code });
      return mapped.mappedBy === 'status_code' ? mapped : null;
    }
    case 'dhl': {
      if (!/^[A-Z]{2}$/.test(code)) return null;
      const mapped = mapDhlStatus({ service: 'express', statusCode: null, status: code, description: null });
      return mapped.matchedBy === 'event_code' ? mapped : null;
    }
    default:
      return null;
  }
}

/**
 * The underlying carrier's reading of its own code, or null to keep EasyPost's.
 * `carrier` is the Waymark carrier code (`easyPostCarrierCode`).
 */
export function mapEasyPostCarrierCode(carrier: string, code: string): EasyPostResolvedStatus | null {
  const mapped = fromCarrierTable(carrier, code.trim().toUpperCase());
  if (!mapped || mapped.status === 'unknown' || mapped.substatus === 'exception_other') return null;
  return {
    status: mapped.status,
    substatus: mapped.substatus,
    reason: mapped.reason ?? DEFAULT_REASON_FOR_SUBSTATUS[mapped.substatus] ?? null,
  };
}
