import {
  DEFAULT_REASON_FOR_SUBSTATUS,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';

/**
 * DHL Shipment Tracking – Unified: the code tables, as data.
 *
 * Every status block and event carries up to three layers, from coarse to
 * fine (research carriers.md §6; DHL spec 1.5.x):
 *   1. `statusCode` — five values shared by every DHL business.
 *   2. `status` — for Express, a two-letter checkpoint code on events
 *      (`DF`, `NH`, …) and a three-digit code on the shipment (`101`…);
 *      for the other businesses the same free text as `description`.
 *   3. `description` — free text, English because we ask `language=en`.
 * Mapping goes most specific first: Express checkpoint code, then the text
 * rules of the product (then the rules for any product), then `statusCode`.
 */

export type DhlMapping = {
  status: ShippingStatus;
  substatus: Substatus;
  /** Only where the substatus' default reason (features §4.4) is wrong or missing. */
  reason?: IncidentReason;
};

export const DHL_STATUS_CODES = ['pre-transit', 'transit', 'delivered', 'failure', 'unknown'] as const;
export type DhlStatusCode = (typeof DHL_STATUS_CODES)[number];

/** The coarse `statusCode`, used when nothing finer matched. */
export const DHL_STATUS_CODE_MAP: Record<DhlStatusCode, DhlMapping> = {
  'pre-transit': { status: 'info_received', substatus: 'label_created' },
  transit: { status: 'in_transit', substatus: 'in_transit' },
  delivered: { status: 'delivered', substatus: 'delivered' },
  // DHL files failed attempts, returns and losses alike under `failure`;
  // only the finer layers can tell them apart, so on its own it is a plain exception.
  failure: { status: 'exception', substatus: 'exception_other' },
  // DHL's own "we don't know" — a known value meaning unknown, not an unmapped code.
  unknown: { status: 'unknown', substatus: 'unmapped_carrier_status' },
};

/**
 * Express puts a three-digit code in the shipment-level `status`; it says no
 * more than `statusCode` (and stands in for it when that is missing).
 */
export const DHL_EXPRESS_SHIPMENT_STATUS_CODES: Record<string, DhlStatusCode> = {
  '101': 'delivered',
  '102': 'transit',
  '103': 'failure',
  '104': 'pre-transit',
};

export type DhlExpressCodeRow = DhlMapping & { label: string };

/**
 * DHL Express checkpoint codes as the Unified API gives them in
 * `events[].status` (DHL's official list of 40, plus `SD`, seen in
 * responses but missing from the list).
 */
export const DHL_EXPRESS_EVENT_CODES: Record<string, DhlExpressCodeRow> = {
  // Normal journey
  SD: { label: 'Shipment information received', status: 'info_received', substatus: 'label_created' },
  PU: { label: 'Shipment pick up', status: 'in_transit', substatus: 'picked_up' },
  SA: { label: 'Shipment acceptance', status: 'in_transit', substatus: 'picked_up' },
  PL: { label: 'Processed at location', status: 'in_transit', substatus: 'processed_at_facility' },
  DF: { label: 'Depart facility', status: 'in_transit', substatus: 'departed_facility' },
  AF: { label: 'Arrived facility', status: 'in_transit', substatus: 'arrived_at_facility' },
  AR: { label: 'Arrival in delivery facility', status: 'in_transit', substatus: 'at_local_delivery_depot' },
  WC: { label: 'With delivering courier', status: 'out_for_delivery', substatus: 'out_for_delivery' },
  OK: { label: 'Delivery', status: 'delivered', substatus: 'delivered' },
  TR: { label: 'Record of transfer', status: 'in_transit', substatus: 'in_transit' },
  SM: { label: 'Scheduled for movement', status: 'in_transit', substatus: 'in_transit' },
  FD: { label: "Forward destination (DD's expected)", status: 'in_transit', substatus: 'forwarded' },
  AD: { label: 'Agreed delivery', status: 'in_transit', substatus: 'delivery_scheduled' },
  SC: { label: 'Service changed', status: 'in_transit', substatus: 'info_update' },
  TP: {
    label: "Forwarded to 3rd party - no DD's",
    status: 'in_transit',
    substatus: 'transferred_to_partner_carrier',
  },

  // Customs and payment
  IC: { label: 'In clearance processing', status: 'in_transit', substatus: 'customs_processing' },
  RR: { label: 'Response received', status: 'in_transit', substatus: 'customs_processing' },
  BN: { label: 'Customer broker notified', status: 'in_transit', substatus: 'customs_processing' },
  CR: { label: 'Clearance release', status: 'in_transit', substatus: 'customs_cleared' },
  BR: { label: 'Broker release', status: 'in_transit', substatus: 'customs_cleared' },
  // Duties paid: the parcel moves again, whether or not a hold came first.
  PY: { label: 'Payment', status: 'in_transit', substatus: 'info_update' },
  CD: { label: 'Controllable clearance delay', status: 'exception', substatus: 'customs_info_required' },
  // "Uncontrollable": an inspection or a backlog at customs, nothing anyone can send.
  UD: {
    label: 'Uncontrollable clearance delay',
    status: 'exception',
    substatus: 'customs_hold',
    reason: 'customs_delay',
  },
  HP: { label: 'Held for payment', status: 'exception', substatus: 'payment_due' },

  // Failed delivery and address
  ND: { label: 'Not delivered', status: 'attempt_failed', substatus: 'attempted' },
  NH: { label: 'Not home', status: 'attempt_failed', substatus: 'recipient_unavailable' },
  CA: { label: 'Closed on arrival', status: 'attempt_failed', substatus: 'business_closed' },
  RD: { label: 'Refused delivery', status: 'attempt_failed', substatus: 'refused' },
  // The courier never reached the door (missed the cycle): a carrier delay, not an attempt.
  MD: { label: 'Missed delivery cycle', status: 'exception', substatus: 'delayed', reason: 'carrier_not_enough_time' },
  CC: {
    label: 'Awaiting cnee collection',
    status: 'available_for_pickup',
    substatus: 'held_at_carrier_for_collection',
  },
  BA: { label: 'Bad address', status: 'exception', substatus: 'address_issue' },
  CM: { label: 'Customer moved', status: 'exception', substatus: 'recipient_moved' },

  // Refusal, return, damage
  // The return leg starts here; DHL reports its end as a delivery at the shipper.
  RT: { label: 'Returned to consignor', status: 'return_to_sender', substatus: 'returning' },
  DD: { label: 'Delivered damaged', status: 'delivered', substatus: 'delivered_damaged' },
  PD: { label: 'Partial delivery', status: 'delivered', substatus: 'delivered_partial' },
  DS: { label: 'Destroyed / disposal', status: 'failure', substatus: 'destroyed_disposed' },

  // DHL incidents
  OH: { label: 'On hold', status: 'exception', substatus: 'held_by_carrier' },
  // Stopped in the network (often at the shipper's request): held, not lost.
  SS: { label: 'Shipment stopped', status: 'exception', substatus: 'held_by_carrier' },
  MS: { label: 'Mis-sort', status: 'exception', substatus: 'delayed_carrier_processing' },
  MC: { label: 'Miscode', status: 'exception', substatus: 'delayed_carrier_processing' },
};

/**
 * Express codes we know and deliberately leave to the coarser layers: their
 * own meaning says nothing about where the parcel is.
 */
export const DHL_EXPRESS_CODES_LEFT_UNMAPPED: Record<string, string> = {
  CS: 'Closed shipment: DHL closed the file; the parcel may be delivered, returned or lost',
};

export type DhlProductFamily = 'express' | 'parcel-de' | 'ecommerce';

/** Which text rules apply to a `service` value (DHL adds services; unknown ones get only the generic rules). */
export function dhlProductFamily(service: string | null | undefined): DhlProductFamily | null {
  switch (service) {
    case 'express':
      return 'express';
    case 'parcel-de':
    case 'post-de':
      return 'parcel-de';
    case 'ecommerce':
    case 'ecommerce-europe':
    case 'ecommerce-apac':
    case 'ecommerce-americas':
    case 'parcel-nl':
    case 'parcel-pl':
    case 'parcel-uk':
      return 'ecommerce';
    default:
      return null;
  }
}

export type DhlTextRule = DhlMapping & {
  /** Stable name for logs and tests. */
  id: string;
  /** Matched case-insensitively against whitespace-collapsed text; first rule wins, so order matters. */
  pattern: RegExp;
  /** A text as DHL writes it that this rule, and no earlier one, must catch. */
  example: string;
};

/**
 * Phrases per product, in priority order. Negative and specific phrases come
 * before the plain ones ("could not be delivered" also contains "delivered").
 * Patterns are English: the client always asks for `language=en`.
 */
export const DHL_TEXT_RULES: Record<DhlProductFamily | 'any', readonly DhlTextRule[]> = {
  express: [
    {
      id: 'express.signed_for',
      pattern: /^delivered\s*-\s*signed for by/,
      example: 'Delivered - Signed for by : MARTA VOLKOVA',
      status: 'delivered',
      substatus: 'signed_for',
    },
    {
      id: 'express.delivered',
      pattern: /^delivered\b/,
      example: 'Delivered',
      status: 'delivered',
      substatus: 'delivered',
    },
    {
      id: 'express.with_courier',
      pattern: /^shipment is out with courier for delivery/,
      example: 'Shipment is out with courier for delivery',
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
    },
    {
      id: 'express.information_received',
      pattern: /^shipment information received/,
      example: 'Shipment information received',
      status: 'info_received',
      substatus: 'label_created',
    },
    {
      id: 'express.picked_up',
      pattern: /^shipment (?:picked up|accepted)/,
      example: 'Shipment picked up',
      status: 'in_transit',
      substatus: 'picked_up',
    },
    {
      id: 'express.processed_for_clearance',
      pattern: /^processed for clearance at/,
      example: 'Processed for clearance at CINCINNATI HUB - USA',
      status: 'in_transit',
      substatus: 'customs_processing',
    },
    {
      id: 'express.processed_at',
      pattern: /^processed at\b/,
      example: 'Processed at LEIPZIG - GERMANY',
      status: 'in_transit',
      substatus: 'processed_at_facility',
    },
    {
      id: 'express.arrived_sort_facility',
      pattern: /^arrived at (?:dhl )?sort facility/,
      example: 'Arrived at DHL Sort Facility  EAST MIDLANDS - UK',
      status: 'in_transit',
      substatus: 'arrived_at_facility',
    },
    {
      id: 'express.arrived_delivery_facility',
      pattern: /^arrived at (?:dhl )?delivery facility/,
      example: 'Arrived at DHL Delivery Facility LYON - FRANCE',
      status: 'in_transit',
      substatus: 'at_local_delivery_depot',
    },
    {
      id: 'express.departed',
      pattern: /^shipment has departed from a dhl facility/,
      example: 'Shipment has departed from a DHL facility LEIPZIG - GERMANY',
      status: 'in_transit',
      substatus: 'departed_facility',
    },
    {
      id: 'express.in_transit_to_destination',
      pattern: /^shipment is in transit to destination/,
      example: 'Shipment is in transit to destination',
      status: 'in_transit',
      substatus: 'in_transit',
    },
    {
      id: 'express.clearance_complete',
      pattern: /^clearance processing complete/,
      example: 'Clearance processing complete at VIENNA - AUSTRIA',
      status: 'in_transit',
      substatus: 'customs_cleared',
    },
    {
      id: 'express.clearance_update',
      pattern: /^(?:customs clearance status updated|clearance event)/,
      example:
        'Customs clearance status updated. Note - The Customs clearance process may start while the shipment is in transit to the destination.',
      status: 'in_transit',
      substatus: 'customs_processing',
    },
    {
      id: 'express.duty_payment',
      pattern: /pending (?:duty|duties) payment|available upon receipt of payment|awaiting payment of (?:duties|taxes)/,
      example: 'Shipment on hold pending duty payment',
      status: 'exception',
      substatus: 'payment_due',
    },
    {
      id: 'express.payment_recorded',
      pattern: /^payment is received and recorded/,
      example: 'Payment is received and recorded for shipment related fees',
      status: 'in_transit',
      substatus: 'info_update',
    },
    {
      id: 'express.clearance_delay',
      pattern: /clearance delay|further clearance processing is required/,
      example: 'Further clearance processing is required',
      status: 'exception',
      substatus: 'customs_hold',
      reason: 'customs_delay',
    },
    {
      id: 'express.on_hold',
      pattern: /^shipment (?:is )?on hold/,
      example: 'Shipment is on hold',
      status: 'exception',
      substatus: 'held_by_carrier',
    },
    {
      id: 'express.not_home',
      pattern: /(?:recipient|consignee) not (?:at )?home/,
      example: 'Delivery attempted; recipient not home',
      status: 'attempt_failed',
      substatus: 'recipient_unavailable',
    },
    {
      id: 'express.premises_closed',
      pattern: /premises closed|closed on arrival/,
      example: 'Delivery attempted; consignee premises closed',
      status: 'attempt_failed',
      substatus: 'business_closed',
    },
    {
      id: 'express.refused',
      pattern: /refused delivery|delivery refused/,
      example: 'Recipient refused delivery',
      status: 'attempt_failed',
      substatus: 'refused',
    },
    {
      id: 'express.awaiting_collection',
      pattern: /awaiting collection by (?:the )?(?:recipient|consignee)/,
      example: 'Awaiting collection by recipient as requested',
      status: 'available_for_pickup',
      substatus: 'held_at_carrier_for_collection',
    },
    {
      id: 'express.delivery_arranged',
      pattern: /^(?:scheduled for delivery as agreed|delivery arranged)/,
      example: 'Scheduled for delivery as agreed',
      status: 'in_transit',
      substatus: 'delivery_scheduled',
    },
    {
      id: 'express.third_party',
      pattern: /forwarded to (?:a )?third party/,
      example: 'Forwarded to third party - no delivery details expected',
      status: 'in_transit',
      substatus: 'transferred_to_partner_carrier',
    },
    {
      id: 'express.bad_address',
      pattern: /incorrect (?:delivery )?address|address information (?:is )?(?:needed|required)|bad address/,
      example: 'Address information needed; contact DHL',
      status: 'exception',
      substatus: 'address_issue',
    },
    {
      id: 'express.delivery_attempted',
      pattern: /^delivery attempted/,
      example: 'Delivery attempted',
      status: 'attempt_failed',
      substatus: 'attempted',
    },
  ],

  'parcel-de': [
    {
      id: 'parcel-de.returned_delivered',
      pattern:
        /(?:delivered back|successfully returned) to (?:the )?sender|returned to (?:the )?sender and delivered|return shipment has been (?:successfully )?delivered/,
      example: 'The shipment has been successfully returned to the sender',
      status: 'return_to_sender',
      substatus: 'returned',
    },
    {
      id: 'parcel-de.returning',
      pattern:
        /(?:being|will be|is|was|has been) returned to (?:the )?sender|return (?:transport|shipment) to the sender/,
      example: 'The shipment is being returned to the sender',
      status: 'return_to_sender',
      substatus: 'returning',
    },
    {
      id: 'parcel-de.refused',
      pattern: /refused (?:to accept|acceptance)|acceptance of the shipment (?:was|has been) refused/,
      example: 'The recipient refused to accept the shipment',
      status: 'attempt_failed',
      substatus: 'refused',
    },
    {
      id: 'parcel-de.recipient_not_found',
      pattern: /recipient (?:could not be (?:found|identified)|is unknown)/,
      example: 'The shipment could not be delivered because the recipient could not be found at the address',
      status: 'exception',
      substatus: 'recipient_not_found',
      reason: 'consignee_incorrect_address',
    },
    {
      id: 'parcel-de.address_issue',
      pattern: /address (?:is|was) (?:incomplete|incorrect|wrong|insufficient)/,
      example: 'The shipment could not be delivered because the address is incomplete',
      status: 'exception',
      substatus: 'address_issue',
    },
    {
      id: 'parcel-de.packstation_redirected',
      pattern: /could not be delivered to the packstation/,
      example: 'The shipment could not be delivered to the PACKSTATION and has been forwarded to a retail outlet',
      status: 'in_transit',
      substatus: 'forwarded',
    },
    {
      id: 'parcel-de.notice_left',
      pattern: /could not be delivered.*recipient has been notified|notification card/,
      example: 'The shipment could not be delivered, and the recipient has been notified',
      status: 'attempt_failed',
      substatus: 'notice_left',
    },
    {
      id: 'parcel-de.not_delivered',
      pattern:
        /could not be delivered|delivery (?:was )?not (?:possible|successful)|not (?:been )?(?:successfully )?delivered/,
      example: 'The shipment could not be delivered',
      status: 'attempt_failed',
      substatus: 'attempted',
    },
    {
      id: 'parcel-de.next_attempt',
      pattern: /(?:\d+(?:st|nd|rd|th)|second|third|another) attempt at delivery is being made/,
      example: 'A 2nd attempt at delivery is being made',
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
    },
    {
      id: 'parcel-de.collected',
      pattern: /recipient has picked up the shipment/,
      example: 'The recipient has picked up the shipment from the PACKSTATION',
      status: 'delivered',
      substatus: 'collected_from_pickup_point',
    },
    {
      id: 'parcel-de.on_way_to_pickup',
      pattern: /on its way to the (?:packstation|(?:postal )?retail outlet|parcel ?shop)|forwarded to a packstation/,
      example: 'The shipment is on its way to the PACKSTATION',
      status: 'in_transit',
      substatus: 'forwarded',
    },
    {
      id: 'parcel-de.ready_packstation',
      pattern: /(?:delivered|ready for (?:pick-?up|collection)) (?:at|in|to) the packstation/,
      example: 'The shipment is ready for pick-up at the PACKSTATION 118 in 04109 Leipzig',
      status: 'available_for_pickup',
      substatus: 'in_parcel_locker',
    },
    {
      id: 'parcel-de.ready_retail_outlet',
      pattern:
        /(?:delivered for pick-?up|ready for (?:pick-?up|collection)|available for (?:pick-?up|collection)) at the (?:postal )?(?:retail outlet|branch|post office)/,
      example:
        'The shipment has been delivered for pick-up at the postal retail outlet Karl-Liebknecht-Str. 12 04107 Leipzig',
      status: 'available_for_pickup',
      substatus: 'ready_at_post_office',
    },
    {
      id: 'parcel-de.ready_pickup_point',
      pattern: /ready for (?:pick-?up|collection)|available for (?:pick-?up|collection)/,
      example: 'The shipment is ready for pick-up at the parcel shop',
      status: 'available_for_pickup',
      substatus: 'ready_at_pickup_point',
    },
    {
      id: 'parcel-de.neighbour',
      pattern: /delivered to (?:a |the )?(?:recipient's )?neighbou?r/,
      example: "The shipment has been delivered to the recipient's neighbour",
      status: 'delivered',
      substatus: 'delivered_to_alternate_recipient',
    },
    {
      id: 'parcel-de.drop_off_location',
      pattern:
        /delivered (?:to|at) the (?:requested|preferred|desired|agreed) (?:drop-off |storage )?(?:location|place)/,
      example: 'The shipment has been delivered to the requested drop-off location',
      status: 'delivered',
      substatus: 'delivered_safe_place',
    },
    {
      id: 'parcel-de.delivered',
      pattern: /^the shipment has been (?:successfully )?delivered(?: to the recipient)?\.?$/,
      example: 'The shipment has been successfully delivered',
      status: 'delivered',
      substatus: 'delivered',
    },
    {
      id: 'parcel-de.loaded_for_delivery',
      pattern: /loaded (?:onto|into) the delivery vehicle/,
      example: 'The shipment has been loaded onto the delivery vehicle',
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
    },
    {
      id: 'parcel-de.delivery_depot',
      pattern: /prepared for delivery in the delivery depot/,
      example: 'The shipment is being prepared for delivery in the delivery depot',
      status: 'in_transit',
      substatus: 'at_local_delivery_depot',
    },
    {
      id: 'parcel-de.destination_country',
      pattern: /arrived in the destination country/,
      example: 'The shipment has arrived in the destination country/destination area',
      status: 'in_transit',
      substatus: 'arrived_destination_country',
    },
    {
      id: 'parcel-de.customs_cleared',
      pattern: /customs clearance (?:process )?.*(?:has been )?completed/,
      example:
        'The customs clearance process for import into the destination country/region has been completed. Please find more information here.',
      status: 'in_transit',
      substatus: 'customs_cleared',
    },
    {
      id: 'parcel-de.customs',
      pattern: /customs/,
      example: 'The shipment is being processed by customs',
      status: 'in_transit',
      substatus: 'customs_processing',
    },
    {
      id: 'parcel-de.processed',
      pattern: /processed in the .*parcel cent(?:er|re)/,
      example: 'The shipment has been processed in the parcel center of origin',
      status: 'in_transit',
      substatus: 'processed_at_facility',
    },
    {
      id: 'parcel-de.posted',
      pattern: /posted by the sender|^the shipment has been picked up|^pick-?up was successful/,
      example: 'The shipment has been posted by the sender at the retail outlet',
      status: 'in_transit',
      substatus: 'picked_up',
    },
    {
      id: 'parcel-de.instruction_data',
      pattern: /instruction data for this shipment ha(?:ve|s) been provided/,
      example: 'The instruction data for this shipment have been provided by the sender to DHL electronically',
      status: 'info_received',
      substatus: 'label_created',
    },
  ],

  ecommerce: [
    {
      id: 'ecommerce.returning',
      pattern: /return(?:ed|ing)? to (?:the )?(?:shipper|sender)/,
      example: 'RETURNED TO SHIPPER',
      status: 'return_to_sender',
      substatus: 'returning',
    },
    {
      id: 'ecommerce.undeliverable_address',
      pattern: /undeliverable as addressed|insufficient address/,
      example: 'UNDELIVERABLE AS ADDRESSED',
      status: 'exception',
      substatus: 'address_issue',
    },
    {
      id: 'ecommerce.notice_left',
      pattern: /notice left/,
      example: 'NOTICE LEFT',
      status: 'attempt_failed',
      substatus: 'notice_left',
    },
    {
      id: 'ecommerce.attempted',
      pattern: /delivery attempt|attempted delivery|could not be delivered/,
      example: 'DELIVERY ATTEMPTED',
      status: 'attempt_failed',
      substatus: 'attempted',
    },
    {
      id: 'ecommerce.available_for_pickup',
      pattern: /available for pick-?up|ready for (?:pick-?up|collection)/,
      example: 'AVAILABLE FOR PICKUP',
      status: 'available_for_pickup',
      substatus: 'ready_at_pickup_point',
    },
    {
      id: 'ecommerce.delivered',
      pattern: /^delivered\b|^your parcel has been delivered|^delivered successfully/,
      example: 'Your parcel has been delivered successfully',
      status: 'delivered',
      substatus: 'delivered',
    },
    {
      id: 'ecommerce.out_for_delivery',
      pattern:
        /^out for delivery|^your parcel is out for delivery|left the parcel delivery centre and is on its way to the consignee/,
      example: 'The parcel has left the parcel delivery centre and is on its way to the consignee.',
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
    },
    {
      id: 'ecommerce.delivery_date_changed',
      pattern: /delivery date has changed/,
      example: 'Your parcel delivery date has changed',
      status: 'in_transit',
      substatus: 'delivery_rescheduled',
    },
    {
      id: 'ecommerce.handed_to_partner',
      pattern:
        /tendered to (?:the )?delivery service provider|hand(?:ed)? over (?:to )?(?:the )?(?:delivery )?service provider/,
      example: 'TENDERED TO DELIVERY SERVICE PROVIDER',
      status: 'in_transit',
      substatus: 'transferred_to_partner_carrier',
    },
    {
      id: 'ecommerce.electronic_notice',
      pattern: /electronic (?:information|notification) received|shipment information received|^pre-?advi[sc]ed/,
      example: 'ELECTRONIC NOTIFICATION RECEIVED',
      status: 'info_received',
      substatus: 'label_created',
    },
    {
      id: 'ecommerce.received',
      pattern: /(?:package|parcel|shipment) received at|^pick-?up was successful|^picked up\b/,
      example: 'PACKAGE RECEIVED AT DHL ECOMMERCE DISTRIBUTION CENTER',
      status: 'in_transit',
      substatus: 'picked_up',
    },
    {
      id: 'ecommerce.local_depot',
      pattern: /at parcel delivery centre|arrived at our depot|arriv(?:ed|al) at (?:the )?post office/,
      example: 'At parcel delivery centre.',
      status: 'in_transit',
      substatus: 'at_local_delivery_depot',
    },
    {
      id: 'ecommerce.customs_cleared',
      pattern: /customs clearance completed|cleared customs|cleared by customs/,
      example: 'Customs clearance completed',
      status: 'in_transit',
      substatus: 'customs_cleared',
    },
    {
      id: 'ecommerce.customs',
      pattern: /customs/,
      example: 'Customs clearance in progress',
      status: 'in_transit',
      substatus: 'customs_processing',
    },
    {
      id: 'ecommerce.arrived',
      pattern: /^arriv(?:al|ed)\b/,
      example: 'ARRIVAL DESTINATION DHL ECOMMERCE FACILITY',
      status: 'in_transit',
      substatus: 'arrived_at_facility',
    },
    {
      id: 'ecommerce.departed',
      pattern: /^depart(?:ure|ed)\b|ready to leave our hub/,
      example: 'DEPARTURE ORIGIN DHL ECOMMERCE FACILITY',
      status: 'in_transit',
      substatus: 'departed_facility',
    },
    {
      id: 'ecommerce.processed',
      pattern: /^processed\b|^sorted\b|close bag|scanned into sack|at the parcel dispatch centre/,
      example: 'PROCESSED',
      status: 'in_transit',
      substatus: 'processed_at_facility',
    },
    {
      id: 'ecommerce.in_transit',
      pattern: /^in transit\b|your parcel is on its way|^item in transit/,
      example: 'Your parcel is on its way',
      status: 'in_transit',
      substatus: 'in_transit',
    },
  ],

  // For every product, after its own rules (and alone for freight, dgf, dsc…).
  any: [
    {
      id: 'any.returning',
      pattern: /return(?:ed|ing)? to (?:the )?(?:sender|shipper|consignor)/,
      example: 'Shipment returned to shipper',
      status: 'return_to_sender',
      substatus: 'returning',
    },
    {
      id: 'any.not_delivered',
      pattern: /could not be delivered|not delivered|delivery attempt/,
      example: 'Shipment could not be delivered',
      status: 'attempt_failed',
      substatus: 'attempted',
    },
    {
      id: 'any.ready_for_pickup',
      pattern: /ready for (?:pick-?up|collection)|available for (?:pick-?up|collection)/,
      example: 'Ready for collection',
      status: 'available_for_pickup',
      substatus: 'ready_at_pickup_point',
    },
    {
      id: 'any.out_for_delivery',
      pattern: /out for delivery/,
      example: 'Out for delivery',
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
    },
    {
      id: 'any.delivered',
      pattern: /^delivered\b/,
      example: 'DELIVERED',
      status: 'delivered',
      substatus: 'delivered',
    },
    {
      id: 'any.customs_cleared',
      pattern: /customs clearance (?:is )?completed|cleared (?:by )?customs/,
      example: 'Customs clearance completed',
      status: 'in_transit',
      substatus: 'customs_cleared',
    },
    {
      id: 'any.customs',
      pattern: /customs/,
      example: 'Customs clearance in progress',
      status: 'in_transit',
      substatus: 'customs_processing',
    },
  ],
};

/** How a mapping was found, most specific first; used to pick the better of two mappings. */
export const DHL_MATCH_SPECIFICITY = { event_code: 3, text: 2, status_code: 1, unmapped: 0 } as const;
export type DhlMatchedBy = keyof typeof DHL_MATCH_SPECIFICITY;

export type DhlStatusInput = {
  service: string | null;
  statusCode: string | null;
  status: string | null;
  statusDetailed?: string | null;
  description: string | null;
};

export type DhlMappedStatus = {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  /** The most specific value DHL gave: the Express code, else the `status` text. */
  rawCode: string | null;
  /** The coarse `statusCode` (or its Express three-digit alias). */
  rawStatus: string | null;
  matchedBy: DhlMatchedBy;
  /** The text rule that matched, when one did. */
  ruleId: string | null;
};

const EXPRESS_EVENT_CODE = /^[A-Z]{2}$/;
const EXPRESS_SHIPMENT_CODE = /^\d{3}$/;

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}

function isDhlStatusCode(value: string): value is DhlStatusCode {
  return (DHL_STATUS_CODES as readonly string[]).includes(value);
}

function withReason(mapping: DhlMapping): {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
} {
  return {
    status: mapping.status,
    substatus: mapping.substatus,
    reason: mapping.reason ?? DEFAULT_REASON_FOR_SUBSTATUS[mapping.substatus] ?? null,
  };
}

/** The first text rule (product rules, then generic ones) that matches any of the texts. */
export function matchDhlTextRule(service: string | null, texts: readonly string[]): DhlTextRule | null {
  const family = dhlProductFamily(service);
  const rules = family ? [...DHL_TEXT_RULES[family], ...DHL_TEXT_RULES.any] : DHL_TEXT_RULES.any;
  const lowered = texts.map((text) => text.replace(/\s+/g, ' ').trim().toLowerCase()).filter(Boolean);
  for (const rule of rules) {
    if (lowered.some((text) => rule.pattern.test(text))) return rule;
  }
  return null;
}

/**
 * Maps one DHL status block or event, most specific layer first. Codes we
 * cannot place are reported through `onUnmappedCode` (an unknown Express
 * code even when a coarser layer still maps the event; free text only when
 * nothing maps at all, since most texts are variations on a known
 * `statusCode`).
 */
export function mapDhlStatus(input: DhlStatusInput, onUnmappedCode?: (code: string) => void): DhlMappedStatus {
  const status = clean(input.status);
  const statusDetailed = clean(input.statusDetailed);
  const description = clean(input.description);
  const statusCodeGiven = clean(input.statusCode)?.toLowerCase() ?? null;
  const shipmentCode = status && EXPRESS_SHIPMENT_CODE.test(status) ? status : null;
  const coarse = statusCodeGiven ?? (shipmentCode ? (DHL_EXPRESS_SHIPMENT_STATUS_CODES[shipmentCode] ?? null) : null);
  const eventCode = [status, statusDetailed].find((value) => value !== null && EXPRESS_EVENT_CODE.test(value)) ?? null;
  const rawCode = eventCode ?? status ?? statusDetailed;
  const rawStatus = coarse;
  let reported = false;
  const report = (code: string): void => {
    reported = true;
    onUnmappedCode?.(code);
  };

  if (eventCode) {
    const row = DHL_EXPRESS_EVENT_CODES[eventCode];
    if (row) return { ...withReason(row), rawCode, rawStatus, matchedBy: 'event_code', ruleId: null };
    if (!Object.hasOwn(DHL_EXPRESS_CODES_LEFT_UNMAPPED, eventCode)) report(eventCode);
  }

  const texts = [statusDetailed, status, description].filter(
    (text): text is string => text !== null && text !== eventCode && text !== shipmentCode,
  );
  const rule = matchDhlTextRule(input.service, texts);
  if (rule) return { ...withReason(rule), rawCode, rawStatus, matchedBy: 'text', ruleId: rule.id };

  if (coarse !== null) {
    if (isDhlStatusCode(coarse)) {
      return { ...withReason(DHL_STATUS_CODE_MAP[coarse]), rawCode, rawStatus, matchedBy: 'status_code', ruleId: null };
    }
    report(coarse);
  }
  const deliberatelyUnmapped = eventCode !== null && Object.hasOwn(DHL_EXPRESS_CODES_LEFT_UNMAPPED, eventCode);
  if (!reported && !deliberatelyUnmapped) report(rawCode ?? description ?? '(empty)');
  return {
    status: 'unknown',
    substatus: 'unmapped_carrier_status',
    reason: null,
    rawCode,
    rawStatus,
    matchedBy: 'unmapped',
    ruleId: null,
  };
}
