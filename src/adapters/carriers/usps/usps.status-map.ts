import {
  DEFAULT_REASON_FOR_SUBSTATUS,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';

/**
 * USPS Tracking v3 → Waymark taxonomy, as data.
 *
 * Order of precedence for one event: the two-character `eventCode` (USPS
 * Pub 199 App. G-4), refined by the event's wording where USPS puts the
 * detail only in the text (code 01 says "delivered"; "Delivered, Parcel
 * Locker" says where); then, for events whose code is not in the table, the
 * exact `eventType` phrase; for the headline only, the coarse
 * `statusCategory`. Anything else is `unknown` / `unmapped_carrier_status`
 * and is reported through `onUnmappedCode` — never guessed.
 *
 * Sources: Pub 199 code names as listed in carriers.md §5.4 (a USPS Web Tools
 * client's code table) and codes seen in recorded v3 answers (`TL`, `GX`);
 * delivered wordings from recorded answers and public USPS clients.
 */
export type UspsMapping = {
  status: ShippingStatus;
  substatus: Substatus;
  /** Only when the row knows better than DEFAULT_REASON_FOR_SUBSTATUS. */
  reason?: IncidentReason;
};

export type UspsEventCodeRow = UspsMapping & {
  /** The code's name in Pub 199 (or the v3 wording where that is all we have). */
  meaning: string;
  /** Refinements keyed by the normalised `eventType` (see `normaliseUspsText`). */
  byEventType?: Readonly<Record<string, UspsMapping>>;
};

/** The wording USPS gives code 01 (and the same text when an event comes without a known code). */
const DELIVERED_WORDINGS: Readonly<Record<string, UspsMapping>> = {
  'delivered, in/at mailbox': { status: 'delivered', substatus: 'delivered' },
  'delivered, left with individual': { status: 'delivered', substatus: 'delivered' },
  'delivered, front door/porch': { status: 'delivered', substatus: 'delivered_safe_place' },
  'delivered, garage or other location at address': { status: 'delivered', substatus: 'delivered_safe_place' },
  // A parcel locker in the cluster box unit: USPS counts it delivered (the key
  // is left in the mailbox), but the parcel is not where the mail goes.
  'delivered, parcel locker': { status: 'delivered', substatus: 'delivered_alternative_location' },
  'delivered, po box': { status: 'delivered', substatus: 'delivered_po_box' },
  'delivered, front desk/reception': { status: 'delivered', substatus: 'delivered_to_alternate_recipient' },
  'delivered, front desk/reception/mail room': { status: 'delivered', substatus: 'delivered_to_alternate_recipient' },
  'delivered, to mail room': { status: 'delivered', substatus: 'delivered_to_alternate_recipient' },
  'delivered, to agent': { status: 'delivered', substatus: 'delivered_to_alternate_recipient' },
  'delivered, neighbor as requested': { status: 'delivered', substatus: 'delivered_to_alternate_recipient' },
  'delivered, individual picked up at post office': { status: 'delivered', substatus: 'collected_from_pickup_point' },
  'delivered, individual picked up at postal facility': {
    status: 'delivered',
    substatus: 'collected_from_pickup_point',
  },
  // "Delivered" to the shipper is the end of a return, not a delivery.
  'delivered, to original sender': { status: 'return_to_sender', substatus: 'returned' },
};

/** Code 02 is the generic "notice left"; USPS sometimes says why in brackets. */
const NOTICE_LEFT_WORDINGS: Readonly<Record<string, UspsMapping>> = {
  'notice left (no authorized recipient available)': {
    status: 'attempt_failed',
    substatus: 'recipient_unavailable',
  },
  'notice left (no secure location available)': {
    status: 'attempt_failed',
    substatus: 'attempted',
    reason: 'consignee_safe_place_unavailable',
  },
  'notice left (business closed)': { status: 'attempt_failed', substatus: 'business_closed' },
  'notice left (receptacle full/item oversized)': {
    status: 'attempt_failed',
    substatus: 'attempted',
    reason: 'consignee_safe_place_unavailable',
  },
};

const returning = (meaning: string, reason?: IncidentReason): UspsEventCodeRow =>
  reason
    ? { meaning, status: 'return_to_sender', substatus: 'returning', reason }
    : { meaning, status: 'return_to_sender', substatus: 'returning' };

/** Keyed by the upper-case two-character code. */
export const USPS_EVENT_CODES: Readonly<Record<string, UspsEventCodeRow>> = {
  // Before USPS has the parcel.
  MA: { meaning: 'Manifest Acknowledgement (Pre-Shipment)', status: 'info_received', substatus: 'label_created' },
  GX: { meaning: 'Shipping Label Created', status: 'info_received', substatus: 'label_created' },

  // Shipping partners (consolidators) carry the parcel before USPS accepts it.
  '80': { meaning: 'Picked Up by Shipping Partner', status: 'in_transit', substatus: 'picked_up' },
  '81': { meaning: 'Arrived Shipping Partner Facility', status: 'in_transit', substatus: 'arrived_at_facility' },
  '82': { meaning: 'Departed Shipping Partner Facility', status: 'in_transit', substatus: 'departed_facility' },

  // Acceptance.
  '03': { meaning: 'Accept or Pickup (USPS in possession)', status: 'in_transit', substatus: 'picked_up' },
  TM: { meaning: 'Shipment Acceptance (truck manifest)', status: 'in_transit', substatus: 'picked_up' },
  PA: { meaning: 'Shipment Acceptance (passive acceptance)', status: 'in_transit', substatus: 'picked_up' },

  // In the network.
  SF: { meaning: 'Departed Post Office', status: 'in_transit', substatus: 'departed_facility' },
  // Pub 199 calls 10 "Processed"; v3 words it "Arrived at USPS Regional (Origin) Facility".
  '10': {
    meaning: 'Processed / Arrived at USPS Regional Facility',
    status: 'in_transit',
    substatus: 'arrived_at_facility',
  },
  A1: { meaning: 'Arrived at USPS (Regional) Facility', status: 'in_transit', substatus: 'arrived_at_facility' },
  T1: { meaning: 'Departed USPS (Regional) Facility', status: 'in_transit', substatus: 'departed_facility' },
  // First USPS scan of a destination-entry parcel handed over by a shipping partner.
  AD: {
    meaning: 'Accepted at USPS Regional Destination Facility',
    status: 'in_transit',
    substatus: 'arrived_at_facility',
  },
  EF: { meaning: 'Departed Sort Facility', status: 'in_transit', substatus: 'departed_facility' },
  PC: { meaning: 'Sorting / Processing Complete', status: 'in_transit', substatus: 'processed_at_facility' },
  TL: { meaning: 'In Transit to Next Facility', status: 'in_transit', substatus: 'in_transit' },
  '19': { meaning: 'DC eVS Arrive', status: 'in_transit', substatus: 'arrived_at_facility' },
  '41': { meaning: 'Received at Opening Unit', status: 'in_transit', substatus: 'arrived_at_facility' },
  '42': {
    meaning: 'USPS Handoff to Shipping Partner',
    status: 'in_transit',
    substatus: 'transferred_to_partner_carrier',
  },
  '06': { meaning: 'Forwarded', status: 'in_transit', substatus: 'forwarded' },
  '07': {
    meaning: 'Arrival at Unit (Arrived at Post Office)',
    status: 'in_transit',
    substatus: 'at_local_delivery_depot',
  },
  '71': { meaning: 'Rescheduled to Next Delivery Day', status: 'in_transit', substatus: 'delivery_rescheduled' },

  OF: { meaning: 'Out for Delivery', status: 'out_for_delivery', substatus: 'out_for_delivery' },

  // Delivered, or collected at the counter.
  '01': { meaning: 'Delivered', status: 'delivered', substatus: 'delivered', byEventType: DELIVERED_WORDINGS },
  '17': {
    meaning: 'Picked Up By Agent (at the Post Office)',
    status: 'delivered',
    substatus: 'collected_from_pickup_point',
  },
  '43': { meaning: 'Picked Up', status: 'delivered', substatus: 'collected_from_pickup_point' },

  // Waiting to be collected.
  '14': { meaning: 'Arrival at Pickup Point', status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  '16': { meaning: 'Available for Pickup', status: 'available_for_pickup', substatus: 'ready_at_post_office' },

  // Attempted at the door.
  '02': {
    meaning: 'Attempted / Notice Left',
    status: 'attempt_failed',
    substatus: 'notice_left',
    byEventType: NOTICE_LEFT_WORDINGS,
  },
  '52': { meaning: 'Notice Left', status: 'attempt_failed', substatus: 'notice_left' },
  '53': { meaning: 'Receptacle Blocked', status: 'attempt_failed', substatus: 'location_inaccessible' },
  '54': {
    meaning: 'Receptacle Full / Item Oversized',
    status: 'attempt_failed',
    substatus: 'attempted',
    reason: 'consignee_safe_place_unavailable',
  },
  '55': {
    meaning: 'No Secure Location Available',
    status: 'attempt_failed',
    substatus: 'attempted',
    reason: 'consignee_safe_place_unavailable',
  },
  '56': { meaning: 'No Authorized Recipient Available', status: 'attempt_failed', substatus: 'recipient_unavailable' },
  '30': {
    meaning: 'Delivery Attempted - No Access to Delivery Location',
    status: 'attempt_failed',
    substatus: 'location_inaccessible',
  },
  '51': { meaning: 'Business Closed', status: 'attempt_failed', substatus: 'business_closed' },

  // Problems that are not final by themselves: USPS follows them with a return (09/21–29) or a delivery.
  '04': { meaning: 'Refused', status: 'exception', substatus: 'refused' },
  '05': { meaning: 'Undeliverable as Addressed', status: 'exception', substatus: 'address_issue' },
  '08': { meaning: 'Missent', status: 'exception', substatus: 'delayed_carrier_processing' },
  '15': { meaning: 'Mis-shipped', status: 'exception', substatus: 'delayed_carrier_processing' },
  DX: { meaning: 'Delivery Status Not Updated', status: 'exception', substatus: 'exception_other' },

  // Can be neither delivered nor returned: sent to the Mail Recovery Center.
  '11': { meaning: 'Dead Letter', status: 'failure', substatus: 'undeliverable' },

  // Return to sender, with the reason USPS gives.
  '09': returning('Return to Sender'),
  '21': returning('Return to Sender: No Such Number', 'consignee_incorrect_address'),
  '22': returning('Return to Sender: Insufficient Address', 'consignee_incorrect_address'),
  '23': returning('Return to Sender: Moved, Left No Address', 'consignee_incorrect_address'),
  '24': returning('Return to Sender: Forward Expired', 'consignee_incorrect_address'),
  '25': returning('Return to Sender: Addressee Unknown', 'consignee_incorrect_address'),
  '26': returning('Return to Sender: Vacant', 'consignee_incorrect_address'),
  '27': returning('Return to Sender: Unclaimed', 'consignee_not_available'),
  '28': returning('Return to Sender: Deceased', 'consignee_not_available'),
  '29': returning('Return to Sender: Other'),
  '31': returning('Return to Sender: Not Picked Up', 'consignee_not_available'),
  // The mailer recalled the parcel (Package Intercept back to the sender).
  '44': returning('Customer Recall', 'retailer_cancelled'),
};

/**
 * Exact `eventType` phrases, for events whose code is missing or not in
 * USPS_EVENT_CODES (international scans, codes USPS adds later). Exact
 * phrases only: a substring match would read "Delivery Attempted" as
 * delivered.
 */
export const USPS_EVENT_TYPES: Readonly<Record<string, UspsMapping>> = {
  ...DELIVERED_WORDINGS,
  ...NOTICE_LEFT_WORDINGS,
  'pre-shipment info sent to usps, usps awaiting item': { status: 'info_received', substatus: 'label_created' },
  'pre-shipment, usps awaiting item': { status: 'info_received', substatus: 'label_created' },
  'shipping label created, usps awaiting item': { status: 'info_received', substatus: 'label_created' },
  'label cancelled': { status: 'cancelled', substatus: 'label_voided' },
  'usps in possession of item': { status: 'in_transit', substatus: 'picked_up' },
  'accepted at usps origin facility': { status: 'in_transit', substatus: 'picked_up' },
  'shipment received, package acceptance pending': { status: 'in_transit', substatus: 'picked_up' },
  'picked up by shipping partner, usps awaiting item': { status: 'in_transit', substatus: 'picked_up' },
  'arrived shipping partner facility, usps awaiting item': { status: 'in_transit', substatus: 'arrived_at_facility' },
  'departed shipping partner facility, usps awaiting item': { status: 'in_transit', substatus: 'departed_facility' },
  'arrived at usps facility': { status: 'in_transit', substatus: 'arrived_at_facility' },
  'arrived at usps regional facility': { status: 'in_transit', substatus: 'arrived_at_facility' },
  'arrived at usps regional origin facility': { status: 'in_transit', substatus: 'arrived_at_facility' },
  'arrived at usps regional destination facility': { status: 'in_transit', substatus: 'arrived_at_facility' },
  'accepted at usps regional destination facility': { status: 'in_transit', substatus: 'arrived_at_facility' },
  'accepted at usps destination facility': { status: 'in_transit', substatus: 'arrived_at_facility' },
  'departed usps facility': { status: 'in_transit', substatus: 'departed_facility' },
  'departed usps regional facility': { status: 'in_transit', substatus: 'departed_facility' },
  'departed usps regional destination facility': { status: 'in_transit', substatus: 'departed_facility' },
  'departed post office': { status: 'in_transit', substatus: 'departed_facility' },
  'processed through usps facility': { status: 'in_transit', substatus: 'processed_at_facility' },
  'processed through facility': { status: 'in_transit', substatus: 'processed_at_facility' },
  'sorting complete': { status: 'in_transit', substatus: 'processed_at_facility' },
  'in transit to next facility': { status: 'in_transit', substatus: 'in_transit' },
  'in transit, arriving on time': { status: 'in_transit', substatus: 'in_transit' },
  // USPS's own verdict that the promise will be missed: a delay, not a stop.
  'in transit, arriving late': { status: 'exception', substatus: 'delayed' },
  'customs clearance': { status: 'in_transit', substatus: 'customs_processing' },
  'customs clearance processing complete': { status: 'in_transit', substatus: 'customs_cleared' },
  'inbound out of customs': { status: 'in_transit', substatus: 'customs_cleared' },
  'held in customs': { status: 'exception', substatus: 'customs_hold' },
  'arrived at post office': { status: 'in_transit', substatus: 'at_local_delivery_depot' },
  forwarded: { status: 'in_transit', substatus: 'forwarded' },
  'out for delivery': { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  delivered: { status: 'delivered', substatus: 'delivered' },
  'available for pickup': { status: 'available_for_pickup', substatus: 'ready_at_post_office' },
  'held at post office, at customer request': { status: 'available_for_pickup', substatus: 'ready_at_post_office' },
  'held at post office, retrieved from full parcel locker': {
    status: 'available_for_pickup',
    substatus: 'ready_at_post_office',
  },
  'picked up by agent': { status: 'delivered', substatus: 'collected_from_pickup_point' },
  'delivery attempted - no access to delivery location': {
    status: 'attempt_failed',
    substatus: 'location_inaccessible',
  },
  'notice left': { status: 'attempt_failed', substatus: 'notice_left' },
  'return to sender': { status: 'return_to_sender', substatus: 'returning' },
  'return to sender processed': { status: 'return_to_sender', substatus: 'returning' },
};

/**
 * `statusCategory`, the coarse class of the latest event. Not enumerated by
 * the spec (it points to Pub 199); values seen in recorded answers and
 * clients. Used for the headline only when the latest event itself maps to
 * nothing.
 */
export const USPS_STATUS_CATEGORIES: Readonly<Record<string, UspsMapping>> = {
  'pre-shipment': { status: 'info_received', substatus: 'label_created' },
  accepted: { status: 'in_transit', substatus: 'picked_up' },
  'moving through network': { status: 'in_transit', substatus: 'in_transit' },
  'in transit': { status: 'in_transit', substatus: 'in_transit' },
  'out for delivery': { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  delivered: { status: 'delivered', substatus: 'delivered' },
  'available for pickup': { status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  'delivery attempt': { status: 'attempt_failed', substatus: 'attempted' },
  // USPS files every problem under "Alert" (notice left, undeliverable, delays…).
  alert: { status: 'exception', substatus: 'exception_other' },
};

export type UspsTrackingErrorKind = 'not_found_yet' | 'invalid_number';

/**
 * The 1500xx codes of HTTP 400 tracking answers (USPS error inventory).
 * `not_found_yet` keeps polling until our own expiry; `invalid_number`
 * stops — USPS will never have tracking for it.
 */
export const USPS_TRACKING_ERRORS: Readonly<Record<string, { kind: UspsTrackingErrorKind; meaning: string }>> = {
  '150001': { kind: 'not_found_yet', meaning: 'status update not yet available (shipper has not handed it over)' },
  // "may be incorrect OR not yet available": USPS itself cannot tell, so keep trying until expiry.
  '150002': { kind: 'not_found_yet', meaning: 'number may be incorrect or status not yet available' },
  '150003': { kind: 'not_found_yet', meaning: 'no status yet for an item shipped from a Post Office' },
  '150004': { kind: 'invalid_number', meaning: 'delivery status not available for this item online' },
  '150008': { kind: 'invalid_number', meaning: 'tracking not available for this product or country' },
  '150009': { kind: 'not_found_yet', meaning: 'status update not yet available' },
  '150010': { kind: 'invalid_number', meaning: 'number may belong to another shipper or carrier' },
  '150011': { kind: 'invalid_number', meaning: 'number is a package-pickup confirmation, not a parcel' },
  // A real parcel USPS holds for bad postage; the error body has no events to report, so it stays
  // "not found yet" with USPS's message visible to the merchant.
  '150012': { kind: 'not_found_yet', meaning: 'item held: postage appears fraudulent' },
};

/** Lower-case, tags and entities removed, spaces collapsed: the key for the text tables. */
export function normaliseUspsText(text: string): string {
  return stripUspsMarkup(text).toLowerCase();
}

/** USPS embeds HTML in display text (`<SUP>&#153;</SUP>`); keep the words only. */
export function stripUspsMarkup(text: string): string {
  return text
    .replace(/<sup>.*?<\/sup>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export type UspsMappedBy = 'event_code' | 'event_code_and_type' | 'event_type' | 'status_category' | 'unmapped';

export type UspsResolvedMapping = {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  mappedBy: UspsMappedBy;
};

const UNMAPPED: UspsResolvedMapping = {
  status: 'unknown',
  substatus: 'unmapped_carrier_status',
  reason: null,
  mappedBy: 'unmapped',
};

function resolve(mapping: UspsMapping, mappedBy: UspsMappedBy): UspsResolvedMapping {
  return {
    status: mapping.status,
    substatus: mapping.substatus,
    reason: mapping.reason ?? DEFAULT_REASON_FOR_SUBSTATUS[mapping.substatus] ?? null,
    mappedBy,
  };
}

/** The table is keyed by the two-character upper-case form; a bare digit (`1`) means `01`. */
export function normaliseUspsEventCode(code: string | number | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const text = String(code).trim().toUpperCase();
  if (text.length === 0) return null;
  return /^\d$/.test(text) ? `0${text}` : text;
}

/**
 * Maps one USPS event. `onUnmappedCode` hears every event code missing from
 * USPS_EVENT_CODES (even when the wording still maps it, so the table can
 * grow), and `eventType:<text>` for a code-less event whose wording is
 * unknown too.
 */
export function mapUspsEvent(
  event: { eventCode: string | number | null | undefined; eventType: string | null | undefined },
  onUnmappedCode?: (code: string) => void,
): UspsResolvedMapping {
  const code = normaliseUspsEventCode(event.eventCode);
  const wording = event.eventType ? normaliseUspsText(event.eventType) : '';
  const row = code ? USPS_EVENT_CODES[code] : undefined;
  if (row) {
    const refined = wording ? row.byEventType?.[wording] : undefined;
    return refined ? resolve(refined, 'event_code_and_type') : resolve(row, 'event_code');
  }
  if (code) onUnmappedCode?.(code);
  const byWording = wording ? USPS_EVENT_TYPES[wording] : undefined;
  if (byWording) return resolve(byWording, 'event_type');
  if (!code) onUnmappedCode?.(`eventType:${event.eventType ?? ''}`);
  return UNMAPPED;
}

/** The headline from `statusCategory` alone; reports unknown categories as `statusCategory:<value>`. */
export function mapUspsStatusCategory(
  category: string | null | undefined,
  onUnmappedCode?: (code: string) => void,
): UspsResolvedMapping {
  if (!category) return UNMAPPED;
  const mapping = USPS_STATUS_CATEGORIES[normaliseUspsText(category)];
  if (mapping) return resolve(mapping, 'status_category');
  onUnmappedCode?.(`statusCategory:${category}`);
  return UNMAPPED;
}
