import { DEFAULT_REASON_FOR_SUBSTATUS } from '../../../core/shipment/shipping-status.js';
import type { IncidentReason, ShippingStatus, Substatus } from '../../../core/shipment/shipping-status.js';

/**
 * FedEx Track API v1 codes → Waymark's shipping taxonomy, as data.
 *
 * Three tables, most specific first:
 * 1. `FEDEX_EXCEPTION_CODES`, keyed `<eventType>/<exceptionCode>`: FedEx puts
 *    the real story of a "DE Delivery exception" in its exception code
 *    (customer not in, refused, bad address, redirected, being returned…).
 *    Exception codes are only meaningful together with their event code (the
 *    same `A13` is "Redirecting to FedEx Office" on a DE scan), and they are
 *    compared verbatim: Ground writes three digits (`007`), Express two (`08`),
 *    and the two families do not agree on meanings, so `07` ≠ `007`.
 * 2. `FEDEX_EVENT_CODES`, keyed by the scan event code (`scanEvents[].eventType`,
 *    `latestStatusDetail.code`).
 * 3. `FEDEX_DERIVED_CODES`, FedEx's own coarse roll-up (`derivedStatusCode`,
 *    `latestStatusDetail.derivedCode`). Only a fallback: FedEx derives `IT`
 *    for "OD On FedEx vehicle for delivery" and "HP Ready for recipient
 *    pickup", and `DL` for "RS Returning package to shipper".
 *
 * Sources: FedEx "Tracking Status Codes" (code-tables/fedex_status_codes.txt),
 * the Advanced Integrated Visibility milestone groups, the FedEx sandbox mock
 * numbers and recorded answers (research/carriers.md §4.4, §4.7).
 */

export type FedexCodeMapping = {
  status: ShippingStatus;
  substatus: Substatus;
  /** Overrides the substatus's default reason (DEFAULT_REASON_FOR_SUBSTATUS); `null` says "no reason". */
  reason?: IncidentReason | null;
};

/** Scan event codes. Keys are upper-case; FedEx writes "On the way" as `Ow`, so lookups ignore case. */
export const FEDEX_EVENT_CODES: Readonly<Record<string, FedexCodeMapping>> = {
  // Before FedEx has the parcel.
  OC: { status: 'info_received', substatus: 'label_created' }, // Order Created / "Shipment information sent to FedEx"
  MD: { status: 'info_received', substatus: 'label_created' }, // Manifest data (AIV milestone "Ship")
  RP: { status: 'info_received', substatus: 'label_created' }, // Return label link emailed to return sender
  RG: { status: 'info_received', substatus: 'label_created' }, // Return label link expiring soon
  DS: { status: 'info_received', substatus: 'carrier_pickup_scheduled' }, // Vehicle Dispatched
  EP: { status: 'info_received', substatus: 'carrier_pickup_scheduled' }, // Enroute to Pickup
  AP: { status: 'info_received', substatus: 'carrier_pickup_scheduled' }, // At Pickup (courier at the door, parcel not scanned yet)
  PD: { status: 'exception', substatus: 'delayed' }, // Pickup Delay

  // FedEx has it.
  PU: { status: 'in_transit', substatus: 'picked_up' },
  PX: { status: 'in_transit', substatus: 'picked_up' }, // Picked up (see Details)
  DO: { status: 'in_transit', substatus: 'picked_up' }, // Dropped Off (AIV)
  IP: { status: 'in_transit', substatus: 'picked_up' }, // In FedEx possession (AIV)

  AA: { status: 'in_transit', substatus: 'arrived_at_facility' }, // At Airport
  AF: { status: 'in_transit', substatus: 'arrived_at_facility' }, // At local FedEx Facility (also seen at origin drop-off)
  AR: { status: 'in_transit', substatus: 'arrived_at_facility' }, // Arrived at FedEx location
  OF: { status: 'in_transit', substatus: 'arrived_at_facility' }, // At FedEx origin facility
  SF: { status: 'in_transit', substatus: 'arrived_at_facility' }, // At Sort Facility
  FD: { status: 'in_transit', substatus: 'at_local_delivery_depot' }, // At FedEx Destination
  DP: { status: 'in_transit', substatus: 'departed_facility' }, // Departed
  LO: { status: 'in_transit', substatus: 'departed_facility' }, // Left Origin
  IT: { status: 'in_transit', substatus: 'in_transit' },
  IX: { status: 'in_transit', substatus: 'in_transit' }, // In transit (see Details)
  OW: { status: 'in_transit', substatus: 'in_transit' }, // On the way (FedEx spells it `Ow`)
  PM: { status: 'in_transit', substatus: 'in_transit' }, // In Progress
  PF: { status: 'in_transit', substatus: 'in_transit' }, // Plane in Flight
  PL: { status: 'in_transit', substatus: 'in_transit' }, // Plane Landed
  EO: { status: 'in_transit', substatus: 'in_transit' }, // Enroute to Origin Airport
  EA: { status: 'in_transit', substatus: 'in_transit' }, // FedEx uses EA for both "Enroute to Airport" and "Export Approved"
  TR: { status: 'in_transit', substatus: 'in_transit' }, // Transfer (between FedEx operations)
  AC: { status: 'in_transit', substatus: 'transferred_to_partner_carrier' }, // At Canada Post facility
  AX: { status: 'in_transit', substatus: 'transferred_to_partner_carrier' }, // At USPS facility (Ground Economy last mile)
  OX: { status: 'in_transit', substatus: 'transferred_to_partner_carrier' }, // Shipment information sent to USPS
  CP: { status: 'in_transit', substatus: 'customs_processing' }, // Clearance in Progress
  CC: { status: 'in_transit', substatus: 'customs_cleared' }, // Cleared Customs
  CH: { status: 'in_transit', substatus: 'forwarded' }, // Location Changed
  PR: { status: 'in_transit', substatus: 'forwarded' }, // Redirect completed (AIV CDO)
  AS: { status: 'in_transit', substatus: 'address_corrected' }, // Address corrected (AIV CDO)
  US: { status: 'in_transit', substatus: 'delivery_rescheduled' }, // Scheduled delivery updated (AIV)
  // Notes about the parcel rather than moves of it: ETA notices, split multi-piece
  // status, and customer delivery option (CDO) bookkeeping.
  AE: { status: 'in_transit', substatus: 'info_update' }, // Shipment arriving early
  AO: { status: 'in_transit', substatus: 'info_update' }, // Shipment arriving On-time
  SP: { status: 'in_transit', substatus: 'info_update' }, // Split Status (pieces of one shipment differ)
  DR: { status: 'in_transit', substatus: 'info_update' }, // Vehicle furnished but not used (Custom Critical)
  RR: { status: 'in_transit', substatus: 'info_update' }, // CDO requested
  RM: { status: 'in_transit', substatus: 'info_update' }, // CDO Modified
  RC: { status: 'in_transit', substatus: 'info_update' }, // CDO Cancelled
  HA: { status: 'in_transit', substatus: 'info_update' }, // Hold at location accepted (AIV CDO)
  RA: { status: 'in_transit', substatus: 'info_update' }, // Address change requested (AIV CDO)

  OD: { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  ED: { status: 'out_for_delivery', substatus: 'out_for_delivery' }, // Enroute to Delivery
  AD: { status: 'out_for_delivery', substatus: 'out_for_delivery' }, // At Delivery

  HL: { status: 'available_for_pickup', substatus: 'held_at_carrier_for_collection' }, // Hold at Location
  HP: { status: 'available_for_pickup', substatus: 'held_at_carrier_for_collection' }, // Ready for Recipient Pickup

  DL: { status: 'delivered', substatus: 'delivered' },

  DE: { status: 'exception', substatus: 'exception_other' }, // Delivery Exception; refined by the exception code
  SE: { status: 'exception', substatus: 'exception_other' }, // Shipment Exception
  DD: { status: 'exception', substatus: 'delayed' }, // Delivery Delay
  DY: { status: 'exception', substatus: 'delayed' }, // Delay
  CD: { status: 'exception', substatus: 'customs_hold', reason: 'customs_delay' }, // Clearance Delay
  // A return requested is not a return under way: it stays a problem until RS.
  RT: { status: 'exception', substatus: 'exception_other', reason: null }, // Return to Shipper Requested (AIV CDO)

  RS: { status: 'return_to_sender', substatus: 'returning' }, // Return to Shipper

  CA: { status: 'cancelled', substatus: 'cancelled' }, // Shipment Cancelled
  LP: { status: 'cancelled', substatus: 'label_voided' }, // Return label link cancelled by shipment originator
  RD: { status: 'cancelled', substatus: 'label_voided' }, // Return label link expired
};

/**
 * `<eventType>/<exceptionCode>` (or `<code>/<ancillaryDetails[].reason>` for
 * the latest status) where the exception code changes the meaning of the scan.
 * Pairs not listed fall back to the event code alone.
 */
export const FEDEX_EXCEPTION_CODES: Readonly<Record<string, FedexCodeMapping>> = {
  // "Customer not available or business closed": Ground 007 (sandbox 377101283611590),
  // Express 08 (recorded answer), 15 (Track API spec example). Not known which of the two.
  'DE/007': { status: 'attempt_failed', substatus: 'recipient_unavailable', reason: 'consignee_not_available' },
  'DE/08': { status: 'attempt_failed', substatus: 'recipient_unavailable', reason: 'consignee_not_available' },
  'DE/15': { status: 'attempt_failed', substatus: 'recipient_unavailable', reason: 'consignee_not_available' },
  // DEX 07 "Refused by recipient" (secondary: DEX codes follow X12 641 A07, one public FedEx mapping agrees).
  'DE/07': { status: 'attempt_failed', substatus: 'refused' },
  // "Incorrect address (Delivery Exception 03)" (sandbox 797615467620).
  'DE/03': { status: 'exception', substatus: 'address_issue' },
  // DEX 17 "Customer requested future delivery" (secondary, as DE/07): the customer's choice, not a problem.
  'DE/17': { status: 'in_transit', substatus: 'delivery_rescheduled' },
  // "Local delivery restriction, delivery not attempted": Ground 083 (sandbox 852426136339213), Express 84 (spec).
  'DE/083': { status: 'exception', substatus: 'delayed', reason: 'consignee_access_restricted' },
  'DE/84': { status: 'exception', substatus: 'delayed', reason: 'consignee_access_restricted' },
  // "Redirecting to FedEx Office" (sandbox 843119172384577) and "FedEx redirected your package to a
  // nearby FedEx location" (recorded answer): the parcel is on its way to a counter, not stuck.
  'DE/A13': { status: 'in_transit', substatus: 'forwarded' },
  'DE/A47': { status: 'in_transit', substatus: 'forwarded' },
  // "Shipper requested shipment to be returned - Unable to deliver shipment - Returning to shipper":
  // the sandbox reports it as latest status DE with this ancillary reason while the scan says RS.
  'DE/060G': { status: 'return_to_sender', substatus: 'returning', reason: null },
};

/** FedEx's derived status codes, used only when the event code is missing or unmapped. */
export const FEDEX_DERIVED_CODES: Readonly<Record<string, FedexCodeMapping>> = {
  IN: { status: 'info_received', substatus: 'label_created' }, // "Initiated" / "Label created"
  OC: { status: 'info_received', substatus: 'label_created' },
  PU: { status: 'in_transit', substatus: 'picked_up' },
  IT: { status: 'in_transit', substatus: 'in_transit' },
  DP: { status: 'in_transit', substatus: 'departed_facility' },
  HL: { status: 'available_for_pickup', substatus: 'held_at_carrier_for_collection' },
  DL: { status: 'delivered', substatus: 'delivered' },
  DE: { status: 'exception', substatus: 'exception_other' },
  DY: { status: 'exception', substatus: 'delayed' },
  RL: { status: 'exception', substatus: 'delayed' }, // "Running Late" (latest status only)
};

/**
 * `delayDetail.type` on a delay (a row with substatus `delayed`). FedEx's other
 * types (OPERATIONAL, LOCAL, GENERAL) name no responsible party we can use.
 */
export const FEDEX_DELAY_TYPES: Readonly<Record<string, { substatus: Substatus; reason: IncidentReason }>> = {
  WEATHER: { substatus: 'delayed_weather', reason: 'weather_delay' },
  CLEARANCE: { substatus: 'delayed', reason: 'customs_delay' },
};

export type FedexCodes = {
  /** `scanEvents[].eventType` or `latestStatusDetail.code`. */
  code?: string | null;
  /** `scanEvents[].exceptionCode`, or the `ancillaryDetails[].reason` values of the latest status. */
  exceptionCodes?: readonly (string | null | undefined)[];
  /** `derivedStatusCode` or `latestStatusDetail.derivedCode`. */
  derivedCode?: string | null;
  /** `delayDetail.type`. */
  delayType?: string | null;
};

export type FedexStatus = {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  /** Which table decided: useful in tests and when a mapping is questioned. */
  matchedBy: 'exception_code' | 'event_code' | 'derived_code' | 'unmapped';
};

function clean(code: string | null | undefined): string {
  return (code ?? '').trim();
}

function resolve(row: FedexCodeMapping, matchedBy: FedexStatus['matchedBy'], delayType: string): FedexStatus {
  let substatus = row.substatus;
  let reason = row.reason === undefined ? (DEFAULT_REASON_FOR_SUBSTATUS[row.substatus] ?? null) : row.reason;
  const delay = FEDEX_DELAY_TYPES[delayType.toUpperCase()];
  if (row.substatus === 'delayed' && delay) {
    substatus = delay.substatus;
    reason = row.reason ?? delay.reason;
  }
  return { status: row.status, substatus, reason, matchedBy };
}

/**
 * The unified status of one FedEx event or latest status. Unknown codes give
 * `unknown`/`unmapped_carrier_status`, never a guess; `onUnmappedCode` hears
 * every event code missing from `FEDEX_EVENT_CODES`, also when the derived
 * code still placed the event, so the table can be extended.
 */
export function mapFedexStatus(codes: FedexCodes, onUnmappedCode?: (code: string) => void): FedexStatus {
  const code = clean(codes.code);
  const derived = clean(codes.derivedCode);
  const delayType = clean(codes.delayType);

  if (code) {
    for (const exceptionCode of codes.exceptionCodes ?? []) {
      const pair = FEDEX_EXCEPTION_CODES[`${code.toUpperCase()}/${clean(exceptionCode).toUpperCase()}`];
      if (pair) return resolve(pair, 'exception_code', delayType);
    }
    const row = FEDEX_EVENT_CODES[code.toUpperCase()];
    if (row) return resolve(row, 'event_code', delayType);
    onUnmappedCode?.(code);
  }
  if (derived) {
    const row = FEDEX_DERIVED_CODES[derived.toUpperCase()];
    if (row) return resolve(row, 'derived_code', delayType);
    if (!code) onUnmappedCode?.(derived);
  }
  return { status: 'unknown', substatus: 'unmapped_carrier_status', reason: null, matchedBy: 'unmapped' };
}

/**
 * The raw code stored with an event: the event code, plus the exception code
 * when FedEx gave one (`DE/007`), so the mapping can be re-applied from the
 * stored event alone.
 */
export function fedexRawCode(code: string | null | undefined, exceptionCode?: string | null): string | null {
  const event = clean(code);
  const exception = clean(exceptionCode);
  if (!event) return exception ? `/${exception}` : null;
  return exception ? `${event}/${exception}` : event;
}
