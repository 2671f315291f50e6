import {
  DEFAULT_REASON_FOR_SUBSTATUS,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';

/**
 * UPS Track API / Track Alert → Waymark taxonomy, as data.
 *
 * Order of precedence for one activity:
 * 1. the 3-digit Status/Description Code (`status.statusCode`, Track Alert
 *    `activityStatus.descriptionCode`; UPS's most semantic field, 160 codes);
 * 2. the activity type (`status.type`: D, I, P, M, MV, X, …) when the code is
 *    absent or not in the table (an unknown code is still reported);
 * 3. otherwise `unknown` / `unmapped_carrier_status`, reported — never guessed.
 *
 * Within the status the row chose, a generic row is made finer: "On the Way"
 * by the movement scan (`AR` arrival, `DP` departure…), "Delivered" by the
 * delivery code (`3H` neighbour, `MQ` porch…), a generic exception
 * ("Exception", "Delay", "Held"…) and a plain "Delivery Attempted" by their
 * description. The status itself never changes in that step.
 *
 * Sources: UPS Tracking appendix (Status/Description Codes, Package Activity
 * Types, Movement Scans, Delivery Codes), carriers.md §3.4, recorded answers.
 */
export type UpsStatusRow = {
  /** UPS's customer-facing text for the code (for readers and test names). */
  text: string;
  status: ShippingStatus;
  substatus: Substatus;
  /** When the row knows better than DEFAULT_REASON_FOR_SUBSTATUS; `null` where that default would mislead. */
  reason?: IncidentReason | null;
  /**
   * A customer request, a date update or a photo: true of the parcel but not
   * a step of its journey, so it never sets the carrier's current status.
   */
  informational?: true;
  /** A generic exception whose description names the actual problem (UPS_EXCEPTION_DESCRIPTION_RULES). */
  refineByDescription?: true;
};

const onTheWay: UpsStatusRow = { text: 'On the Way', status: 'in_transit', substatus: 'in_transit' };
const outForDelivery: UpsStatusRow = {
  text: 'Out for Delivery',
  status: 'out_for_delivery',
  substatus: 'out_for_delivery',
};

/** A customer's delivery-change request or its confirmation: the parcel does not move because of it. */
function deliveryChange(text: string): UpsStatusRow {
  return { text, status: 'in_transit', substatus: 'info_update', informational: true };
}

/** Keys are 3-digit strings: UPS sends `"021"`, and a YAML or number round-trip must not turn it into 17 or 21. */
export const UPS_STATUS_CODE_MAP: Readonly<Record<string, UpsStatusRow>> = {
  // A UPS-side "no status": known, deliberately unknown, not an unmapped code.
  '000': { text: 'Status Not Available', status: 'unknown', substatus: 'tracking_error' },
  '003': { text: 'Shipment Ready for UPS', status: 'info_received', substatus: 'label_created' },
  '005': onTheWay,
  '006': outForDelivery,
  '007': { text: 'Shipment Information Voided', status: 'cancelled', substatus: 'label_voided' },
  '010': onTheWay,
  '011': { text: 'Delivered', status: 'delivered', substatus: 'delivered' },
  // UPS types these X, but clearance is the normal path of an import, not a problem.
  '012': { text: 'Clearance in Progress', status: 'in_transit', substatus: 'customs_processing' },
  '013': { text: 'Exception', status: 'exception', substatus: 'exception_other', refineByDescription: true },
  '014': { text: 'Clearance Completed', status: 'in_transit', substatus: 'customs_cleared' },
  '016': { text: 'In Warehouse', status: 'in_transit', substatus: 'in_transit' },
  '017': {
    text: 'Held for Customer Pickup',
    status: 'available_for_pickup',
    substatus: 'held_at_carrier_for_collection',
  },
  '018': deliveryChange('Delivery Change Requested: Hold for Pickup'),
  '019': { text: 'Held for Future Delivery', status: 'in_transit', substatus: 'delivery_scheduled' },
  '020': deliveryChange('Held for Future Delivery Requested'),
  '021': outForDelivery,
  '022': { text: 'First Attempt Made', status: 'attempt_failed', substatus: 'attempted' },
  '023': { text: 'Second Delivery Attempted', status: 'attempt_failed', substatus: 'attempted' },
  '024': { text: 'Final Attempt Made', status: 'attempt_failed', substatus: 'attempted' },
  '025': onTheWay,
  '026': { text: 'Delivered by Local Post Office', status: 'delivered', substatus: 'delivered' },
  '027': deliveryChange('Delivery Address Change Requested'),
  '028': { text: 'Delivery Address Changed', status: 'in_transit', substatus: 'address_corrected' },
  '029': {
    text: 'Exception: Action Required',
    status: 'exception',
    substatus: 'exception_other',
    refineByDescription: true,
  },
  '030': {
    text: 'Local Post Office Exception',
    status: 'exception',
    substatus: 'exception_other',
    refineByDescription: true,
  },
  '032': { text: 'Adverse Weather May Cause Delay', status: 'exception', substatus: 'delayed_weather' },
  // Only a request: it can still be cancelled (114), so it is no return yet.
  '033': { text: 'Return to Sender Requested', status: 'exception', substatus: 'exception_other', reason: null },
  '034': { text: 'Returned to Sender', status: 'return_to_sender', substatus: 'returned' },
  '035': { text: 'Returning to Sender', status: 'return_to_sender', substatus: 'returning' },
  '036': { text: 'Returning to Sender: In Transit', status: 'return_to_sender', substatus: 'returning' },
  '037': outForDelivery,
  '038': { text: 'Picked Up by UPS', status: 'in_transit', substatus: 'picked_up' },
  '039': onTheWay,
  '040': { text: 'Ready for Customer Pickup', status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  '041': deliveryChange('Service Upgrade Requested'),
  '042': deliveryChange('Service Upgraded'),
  // The pickup appointment was voided, not the label: the parcel still waits for UPS.
  '043': { text: 'Voided Pickup', status: 'info_received', substatus: 'awaiting_carrier_pickup' },
  '044': { text: 'On the Way to UPS', status: 'info_received', substatus: 'awaiting_carrier_pickup' },
  '045': { text: 'On the Way to UPS', status: 'info_received', substatus: 'awaiting_carrier_pickup' },
  '046': { text: 'Delay', status: 'exception', substatus: 'delayed', refineByDescription: true },
  '047': onTheWay,
  '048': { text: 'Delay', status: 'exception', substatus: 'delayed', refineByDescription: true },
  '049': { text: 'Delay: Action Required', status: 'exception', substatus: 'delayed', refineByDescription: true },
  '050': { text: 'Address Information Required', status: 'exception', substatus: 'address_issue' },
  '051': {
    text: 'Delay: Emergency Situation or Severe Weather',
    status: 'exception',
    substatus: 'delayed_weather',
  },
  '052': { text: 'Delay: Severe Weather', status: 'exception', substatus: 'delayed_weather' },
  '053': { text: 'Delay: Severe Weather', status: 'exception', substatus: 'delayed_weather' },
  '054': deliveryChange('Delivery Change Requested'),
  '055': { text: 'Rescheduled Delivery', status: 'in_transit', substatus: 'delivery_rescheduled' },
  '056': deliveryChange('Service Upgrade Requested'),
  // Sent on after failed attempts (or at the receiver's request) to an Access Point.
  '057': { text: 'On the Way to a Local UPS Access Point', status: 'in_transit', substatus: 'forwarded' },
  '058': { text: 'Clearance Information Required', status: 'exception', substatus: 'customs_info_required' },
  '059': { text: 'Damage Reported', status: 'exception', substatus: 'damaged' },
  '060': { text: 'Delivery Attempted', status: 'attempt_failed', substatus: 'attempted' },
  // Nobody of age was there to sign: an absence, not a failed ID check.
  '061': {
    text: 'Delivery Attempted: Adult Signature Required',
    status: 'attempt_failed',
    substatus: 'recipient_unavailable',
    reason: 'consignee_not_available',
  },
  // "Funds" is COD as often as import duties, so the default customs reason would mislead.
  '062': {
    text: 'Delivery Attempted: Funds Required',
    status: 'attempt_failed',
    substatus: 'payment_due',
    reason: null,
  },
  '063': deliveryChange('Delivery Change Completed'),
  // A refusal ends in a return, not in another attempt: a problem, not a missed delivery.
  '064': { text: 'Delivery Refused', status: 'exception', substatus: 'refused' },
  '065': { text: 'Pickup Attempted', status: 'info_received', substatus: 'carrier_pickup_failed' },
  '066': { text: 'Post Office Delivery Attempted', status: 'attempt_failed', substatus: 'attempted' },
  // The post office sent it back; "returned" comes when UPS hands it to the shipper (034).
  '067': { text: 'Returned to Sender by Post Office', status: 'return_to_sender', substatus: 'returning' },
  // A parcel that lost its label waits in UPS's lost-and-found to be matched: held, not lost.
  '068': {
    text: 'Sent to Lost and Found',
    status: 'exception',
    substatus: 'held_by_carrier',
    reason: 'parcel_being_researched',
  },
  '069': { text: 'Unable to Deliver', status: 'exception', substatus: 'exception_other', refineByDescription: true },
  '070': { text: 'Package not at UPS Access Point yet', status: 'exception', substatus: 'delayed' },
  '071': { text: 'Preparing for Delivery', status: 'in_transit', substatus: 'at_local_delivery_depot' },
  '072': { text: 'Loaded on Delivery Vehicle', status: 'out_for_delivery', substatus: 'out_for_delivery' },
  '073': { text: 'In Transit to UPS Delivery Partner', status: 'in_transit', substatus: 'in_transit' },
  '074': {
    text: 'UPS Delivery Partner has Shipment',
    status: 'in_transit',
    substatus: 'transferred_to_partner_carrier',
  },
  '075': { text: 'Scheduled for Delivery', status: 'in_transit', substatus: 'delivery_scheduled' },
  '076': {
    text: 'UPS Delivery Partner Exception',
    status: 'exception',
    substatus: 'exception_other',
    refineByDescription: true,
  },
  '077': { text: 'Scheduled for Pickup Today', status: 'info_received', substatus: 'carrier_pickup_scheduled' },
  '078': { text: 'Your Driver is Arriving Soon!', status: 'out_for_delivery', substatus: 'out_for_delivery' },
  '079': {
    text: 'Order Processed: In Transit to UPS',
    status: 'info_received',
    substatus: 'awaiting_carrier_pickup',
  },
  '080': { text: 'Order Processed: Ready for UPS', status: 'info_received', substatus: 'label_created' },
  '081': {
    text: 'Returned - Damage Reported',
    status: 'return_to_sender',
    substatus: 'returning',
    reason: 'carrier_damaged_parcel',
  },
  '082': deliveryChange('Delivery Instructions Received'),
  '083': { text: 'Held', status: 'exception', substatus: 'held_by_carrier', refineByDescription: true },
  '084': { text: 'Cleared', status: 'in_transit', substatus: 'customs_cleared' },
  '085': { text: 'Held for COD Payment', status: 'exception', substatus: 'payment_due', reason: null },
  '086': { text: 'Delay', status: 'exception', substatus: 'delayed', refineByDescription: true },
  '087': onTheWay,
  '088': { text: 'Test', status: 'unknown', substatus: 'tracking_error' },
  '089': outForDelivery,
  '090': { text: 'Delay', status: 'exception', substatus: 'delayed', refineByDescription: true },
  '091': outForDelivery,
  '092': { text: 'Customs Clearance in Progress', status: 'in_transit', substatus: 'customs_processing' },
  '093': {
    text: 'Premier Recovery In Progress',
    status: 'exception',
    substatus: 'exception_other',
    reason: 'parcel_being_researched',
  },
  '094': { text: 'Premier Recovery Completed', status: 'in_transit', substatus: 'problem_resolved' },
  '095': {
    text: 'Additional Attempt Requested',
    status: 'in_transit',
    substatus: 'delivery_rescheduled',
    informational: true,
  },
  '096': { text: 'Address Change Confirmed', status: 'in_transit', substatus: 'address_corrected' },
  '097': deliveryChange('Address Change Requested'),
  '098': deliveryChange('Deliver to Original Address Requested'),
  '099': deliveryChange('Deliver to Original Address Confirmed'),
  '100': { text: 'Hold at UPS Access Point Confirmed', status: 'in_transit', substatus: 'forwarded' },
  '101': deliveryChange('Hold at UPS Access Point Requested'),
  '102': deliveryChange('Hold for Courier Requested'),
  '103': deliveryChange('Hold for Courier Confirmed'),
  '104': deliveryChange('Hold for Instructions Confirmed'),
  '105': deliveryChange('Hold for Instructions Requested'),
  '106': deliveryChange('Hold for Pickup Confirmed'),
  '107': deliveryChange('Hold for Pickup Requested'),
  '108': deliveryChange('Hold for Pickup Today Confirmed'),
  '109': deliveryChange('Hold for Pickup Today Requested'),
  '110': deliveryChange('Refrigeration Confirmed'),
  '111': deliveryChange('Refrigeration Requested'),
  '112': deliveryChange('Re-Ice Confirmed'),
  '113': deliveryChange('Re-Ice Requested'),
  '114': deliveryChange('Request Canceled'),
  '115': { text: 'Reschedule Delivery Confirmed', status: 'in_transit', substatus: 'delivery_rescheduled' },
  '116': deliveryChange('Reschedule Delivery Requested'),
  '117': { text: 'Return by Saturday Confirmed', status: 'return_to_sender', substatus: 'returning' },
  '118': { text: 'Return to Sender Confirmed', status: 'return_to_sender', substatus: 'returning' },
  '119': { text: 'Return to Sender Requested', status: 'exception', substatus: 'exception_other', reason: null },
  '120': { text: 'Saturday Delivery Confirmed', status: 'in_transit', substatus: 'delivery_scheduled' },
  '121': deliveryChange('Saturday Delivery Requested'),
  '122': deliveryChange('Upgrade Confirmed'),
  '123': {
    text: 'Pending Release From Non-UPS Broker',
    status: 'exception',
    substatus: 'customs_hold',
    reason: 'customs_delay',
  },
  '124': { text: 'Clearance Information Needed', status: 'exception', substatus: 'customs_info_required' },
  '125': { text: 'Clearance Information Needed', status: 'exception', substatus: 'customs_info_required' },
  // A named agency hold (FDA, USDA…), unlike 012 which is UPS's own clearance headline.
  '126': {
    text: 'Pending Government Agency Release',
    status: 'exception',
    substatus: 'customs_hold',
    reason: 'regulatory_hold',
  },
  '127': { text: 'Investigation Closed', status: 'exception', substatus: 'exception_other', reason: null },
  '128': { text: 'Investigation Canceled', status: 'exception', substatus: 'exception_other', reason: null },
  '129': {
    text: 'Investigation Opened',
    status: 'exception',
    substatus: 'exception_other',
    reason: 'parcel_being_researched',
  },
  '130': { text: 'Claim in Progress', status: 'exception', substatus: 'exception_other', reason: null },
  '131': { text: 'Final Pickup Attempted', status: 'info_received', substatus: 'carrier_pickup_failed' },
  '132': { text: 'Airport Security Delay', status: 'exception', substatus: 'delayed', reason: 'security_issue' },
  // On a return-service number: the label waits with the customer for UPS to collect.
  '133': { text: 'Return Label Left With Customer', status: 'info_received', substatus: 'awaiting_carrier_pickup' },
  '134': { text: 'Cleared Import Customs', status: 'in_transit', substatus: 'customs_cleared' },
  '135': { text: 'Second Pickup Attempted', status: 'info_received', substatus: 'carrier_pickup_failed' },
  '136': { text: 'Delivery Rescheduled for Saturday', status: 'in_transit', substatus: 'delivery_rescheduled' },
  '137': {
    text: 'Transferred to UPS Delivery Partner',
    status: 'in_transit',
    substatus: 'transferred_to_partner_carrier',
  },
  '138': { text: 'Awaiting Scheduled Departure', status: 'in_transit', substatus: 'in_transit' },
  // The driver could not get in (gate, buzzer): a failed attempt the receiver can fix.
  '139': { text: 'Security Access Required', status: 'attempt_failed', substatus: 'location_inaccessible' },
  // A paid claim closes the shipment without a delivery; loss or damage is not said.
  '140': {
    text: 'Claim Paid - Claim Payment Has Been Processed.',
    status: 'failure',
    substatus: 'undeliverable',
    reason: null,
  },
  '141': { text: 'Incomplete Documentation Received', status: 'exception', substatus: 'customs_info_required' },
  '142': { text: 'Claim Voided', status: 'exception', substatus: 'exception_other', reason: null },
  // SurePost: "delivered to an Agent for final delivery" (delivery code F7), i.e. handed on, not delivered.
  '143': { text: 'Delivered to Agent', status: 'in_transit', substatus: 'transferred_to_partner_carrier' },
  '144': {
    text: 'Delivered to Post Office for Pickup',
    status: 'available_for_pickup',
    substatus: 'ready_at_post_office',
  },
  '145': { text: 'Delivery Attempted', status: 'attempt_failed', substatus: 'attempted' },
  '146': outForDelivery,
  '147': {
    text: 'Seized by Law Enforcement, No Longer in UPS possession',
    status: 'failure',
    substatus: 'undeliverable',
    reason: 'regulatory_hold',
  },
  '148': { text: 'Package Information Unavailable', status: 'unknown', substatus: 'tracking_error' },
  '149': {
    text: 'Prohibited Contents, Package Destroyed No Longer in UPS possession',
    status: 'failure',
    substatus: 'destroyed_disposed',
    reason: 'customs_prohibited',
  },
  '153': {
    text: 'Updated Delivery Time',
    status: 'in_transit',
    substatus: 'delivery_rescheduled',
    informational: true,
  },
  '154': {
    text: 'Updated Delivery Date',
    status: 'in_transit',
    substatus: 'delivery_rescheduled',
    informational: true,
  },
  // Sent (Track Alert, enhanced) after the delivery scan, with the photo of the parcel where it was left.
  '155': { text: 'Delivery Photo', status: 'delivered', substatus: 'delivered', informational: true },
  // The receiver's release to leave it inside a business without a signature; seen as type D in real answers.
  '156': { text: 'Commercial Inside Release', status: 'delivered', substatus: 'delivered' },
  '157': { text: 'Shipment Ready for UPS', status: 'info_received', substatus: 'label_created' },
  '158': onTheWay,
  '159': onTheWay,
  '160': { text: 'We Have Your Package', status: 'in_transit', substatus: 'picked_up' },
  // At an Access Point the receiver still has to collect it: not delivered yet.
  '161': {
    text: 'Delivered to UPS Access Point',
    status: 'available_for_pickup',
    substatus: 'ready_at_pickup_point',
  },
  '162': outForDelivery,
  '163': { text: 'Package Information Unavailable', status: 'unknown', substatus: 'tracking_error' },
  '164': onTheWay,
  '165': onTheWay,
  '166': { text: 'Shipment Ready for Roadie', status: 'info_received', substatus: 'label_created' },
  '167': { text: 'Dropped off at UPS Store by Customer', status: 'in_transit', substatus: 'picked_up' },
  '168': { text: 'Dropped off at Retail Location by Customer', status: 'in_transit', substatus: 'picked_up' },
  '169': { text: 'Dropped off at a UPS Access Point by Customer', status: 'in_transit', substatus: 'picked_up' },
};

/** The fallback when an activity has no (known) status code. */
export const UPS_ACTIVITY_TYPE_MAP: Readonly<Record<string, UpsStatusRow>> = {
  D: { text: 'Delivered', status: 'delivered', substatus: 'delivered' },
  I: { text: 'In Transit, Out for Delivery', status: 'in_transit', substatus: 'in_transit' },
  // Not in the documented type list, but real answers carry P with code PU / status 038.
  P: { text: 'Pickup', status: 'in_transit', substatus: 'picked_up' },
  M: { text: 'Billing Information Received', status: 'info_received', substatus: 'label_created' },
  MV: { text: 'Billing Information Voided', status: 'cancelled', substatus: 'label_voided' },
  X: { text: 'Exception', status: 'exception', substatus: 'exception_other', refineByDescription: true },
  // O and RS come from older UPS type lists; kept because old integrations still see them.
  O: { text: 'Out for Delivery', status: 'out_for_delivery', substatus: 'out_for_delivery' },
  RS: { text: 'Returned to Shipper', status: 'return_to_sender', substatus: 'returning' },
  // Freight only: container freight stations are UPS facilities on the way, not the receiver.
  DO: { text: 'Delivered Origin CFS (Freight Only)', status: 'in_transit', substatus: 'arrived_at_facility' },
  DD: { text: 'Delivered Destination CFS (Freight Only)', status: 'in_transit', substatus: 'at_local_delivery_depot' },
  W: { text: 'Warehousing (Freight Only)', status: 'in_transit', substatus: 'in_transit' },
  U: { text: 'Updates (Track Alert API Only)', status: 'in_transit', substatus: 'info_update', informational: true },
  NA: { text: 'Not Available', status: 'unknown', substatus: 'tracking_error' },
};

/** Movement scans that say more than "On the Way" (only applied to a plain in_transit / in_transit row). */
export const UPS_MOVEMENT_SCAN_SUBSTATUS: Readonly<Record<string, Substatus>> = {
  AR: 'arrived_at_facility',
  UL: 'arrived_at_facility',
  DP: 'departed_facility',
  HU: 'processed_at_facility',
  // "Origin scan or we have your package": the first time UPS sees it.
  OR: 'picked_up',
  DS: 'at_local_delivery_depot',
  EP: 'departed_origin_country',
  IP: 'arrived_destination_country',
};

/** Delivery codes that say where a plain "Delivered" was left (only applied to a delivered / delivered row of type D). */
export const UPS_DELIVERY_CODE_SUBSTATUS: Readonly<Record<string, Substatus>> = {
  '3H': 'delivered_to_alternate_recipient', // Neighbor - By Request
  '3F': 'delivered_safe_place', // Other Location At Address
  ML: 'delivered_safe_place', // Front Door
  MM: 'delivered_safe_place', // Rear Door
  MN: 'delivered_safe_place', // Side Door
  MP: 'delivered_safe_place', // Garage
  MQ: 'delivered_safe_place', // Porch
  MR: 'delivered_safe_place', // Deck
  MS: 'delivered_safe_place', // Patio
  MW: 'delivered_safe_place', // Carport
  ZF: 'delivered_safe_place', // Shed
  NL: 'delivered_safe_place', // left in a delivery bag, as requested
};

export type UpsDescriptionRule = {
  pattern: RegExp;
  substatus: Substatus;
  reason: IncidentReason | null;
};

/**
 * What a generic UPS exception is about, read from its description (we always
 * ask for `en_US`). First match wins, so the narrow wordings come first
 * ("clearance information" before "customs", "import charges" before both).
 * Every substatus here is an `exception` substatus.
 */
export const UPS_EXCEPTION_DESCRIPTION_RULES: readonly UpsDescriptionRule[] = [
  { pattern: /import charges|duties|pay now/i, substatus: 'payment_due', reason: 'customs_duties_unpaid' },
  {
    pattern: /clearance information|documentation|documents|pull invoice|invoice\/waybill/i,
    substatus: 'customs_info_required',
    reason: 'customs_documentation',
  },
  {
    pattern: /custom'?s\b|clearance|clearing agency|government agency|broker/i,
    substatus: 'customs_hold',
    reason: 'customs_delay',
  },
  { pattern: /weather|storm|hurricane|flood|snow/i, substatus: 'delayed_weather', reason: 'weather_delay' },
  { pattern: /emergency|natural disaster|wildfire|earthquake/i, substatus: 'delayed', reason: 'natural_disaster' },
  { pattern: /damage/i, substatus: 'damaged', reason: 'carrier_damaged_parcel' },
  { pattern: /address/i, substatus: 'address_issue', reason: 'consignee_incorrect_address' },
  { pattern: /refused|declined/i, substatus: 'refused', reason: 'consignee_refused' },
  {
    pattern: /misrout|incorrectly sorted|missort|processing error/i,
    substatus: 'delayed_carrier_processing',
    reason: 'carrier_sorting_error',
  },
  { pattern: /mechanical|derail/i, substatus: 'delayed', reason: 'carrier_mechanical_delay' },
  { pattern: /security/i, substatus: 'security_or_fee_issue', reason: 'security_issue' },
  { pattern: /prohibit/i, substatus: 'rejected_by_carrier', reason: 'customs_prohibited' },
  { pattern: /\bheld\b|\bhold\b|\bholding\b/i, substatus: 'held_by_carrier', reason: null },
  { pattern: /delay|reschedul|missed/i, substatus: 'delayed', reason: null },
];

/**
 * Why a plain "Delivery Attempted" failed, from its description (UPS puts
 * the exception text there: "The receiver was not available…"). Every
 * substatus here is an `attempt_failed` substatus.
 */
export const UPS_ATTEMPT_DESCRIPTION_RULES: readonly UpsDescriptionRule[] = [
  {
    pattern: /not available|not home|no one|nobody/i,
    substatus: 'recipient_unavailable',
    reason: 'consignee_not_home',
  },
  {
    pattern: /business was closed|business closed|closed/i,
    substatus: 'business_closed',
    reason: 'consignee_business_closed',
  },
  { pattern: /refused/i, substatus: 'refused', reason: 'consignee_refused' },
  { pattern: /funds|payment|c\.o\.d/i, substatus: 'payment_due', reason: null },
  {
    pattern: /access|gate code|security code/i,
    substatus: 'location_inaccessible',
    reason: 'consignee_access_restricted',
  },
  { pattern: /address/i, substatus: 'address_issue', reason: 'consignee_incorrect_address' },
];

/** One UPS activity status as the three feeds spell it (Track API activity, currentStatus, Track Alert). */
export type UpsActivityStatus = {
  /** Activity type: D, I, P, M, MV, X, U, … */
  type?: string | null;
  /** 2-character activity code: movement scan, delivery, exception or manifest code. */
  code?: string | null;
  /** 3-digit Status/Description Code. */
  statusCode?: string | number | null;
  description?: string | null;
};

export type UpsMappedStatus = {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  informational: boolean;
  /** The most specific code UPS gave: the activity code, else the status code, else the type. */
  rawCode: string | null;
  /** The next coarser one: the status code when the activity code is the raw code, else the type. */
  rawStatus: string | null;
  /** Which table decided the status. */
  mappedBy: 'status_code' | 'activity_type' | 'unmapped';
};

function clean(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text.length > 0 ? text : null;
}

/** `"21"`, `21`, `"021"` → `"021"`; anything that is not 1–3 digits → null. */
export function normaliseUpsStatusCode(value: string | number | null | undefined): string | null {
  const text = clean(value);
  return text && /^\d{1,3}$/.test(text) ? text.padStart(3, '0') : null;
}

function firstRule(rules: readonly UpsDescriptionRule[], description: string | null): UpsDescriptionRule | undefined {
  return description ? rules.find((rule) => rule.pattern.test(description)) : undefined;
}

/**
 * Maps one UPS activity status. `onUnmappedCode` hears every status code or
 * type the tables do not know (even when the type still gave a status), so
 * the table can be extended.
 */
export function mapUpsActivityStatus(
  input: UpsActivityStatus,
  onUnmappedCode?: (code: string) => void,
): UpsMappedStatus {
  const rawType = clean(input.type);
  const type = rawType?.toUpperCase() ?? null;
  const rawActivityCode = clean(input.code);
  // In recorded answers `currentStatus.code` sometimes holds the 3-digit code instead of the activity code.
  const codeIsStatusCode = rawActivityCode !== null && /^\d{3}$/.test(rawActivityCode);
  const activityCode = codeIsStatusCode ? null : rawActivityCode;
  const statusCodeText = clean(input.statusCode) ?? (codeIsStatusCode ? rawActivityCode : null);
  const statusCode = normaliseUpsStatusCode(statusCodeText);
  const description = clean(input.description);
  // Most specific first; rawStatus is the next one down, so the status code is kept whenever UPS gave one
  // (as UPS spells it, "021", even when a serialiser turned it into 21).
  const [rawCode = null, rawStatus = null] = [activityCode, statusCode ?? statusCodeText, rawType].filter(
    (code): code is string => code !== null,
  );

  const byStatusCode = statusCode ? UPS_STATUS_CODE_MAP[statusCode] : undefined;
  const byType = type ? UPS_ACTIVITY_TYPE_MAP[type] : undefined;
  // Report the most specific code the tables lack, even when the type still gave a status.
  const unmappedCode = byStatusCode
    ? null
    : (statusCode ?? statusCodeText ?? (byType ? null : (rawType ?? activityCode)));
  if (unmappedCode) onUnmappedCode?.(unmappedCode);
  const row = byStatusCode ?? byType;
  const mappedBy: UpsMappedStatus['mappedBy'] = byStatusCode ? 'status_code' : byType ? 'activity_type' : 'unmapped';
  if (!row) {
    return {
      status: 'unknown',
      substatus: 'unmapped_carrier_status',
      reason: null,
      informational: false,
      rawCode,
      rawStatus,
      mappedBy,
    };
  }

  let substatus = row.substatus;
  let reason = row.reason === undefined ? (DEFAULT_REASON_FOR_SUBSTATUS[row.substatus] ?? null) : row.reason;
  const rule =
    row.refineByDescription && row.status === 'exception'
      ? firstRule(UPS_EXCEPTION_DESCRIPTION_RULES, description)
      : row.status === 'attempt_failed' && row.substatus === 'attempted'
        ? firstRule(UPS_ATTEMPT_DESCRIPTION_RULES, description)
        : undefined;
  if (rule) {
    substatus = rule.substatus;
    reason = rule.reason;
  } else if (activityCode && row.status === 'in_transit' && row.substatus === 'in_transit') {
    substatus = UPS_MOVEMENT_SCAN_SUBSTATUS[activityCode.toUpperCase()] ?? substatus;
  } else if (activityCode && (type ?? 'D') === 'D' && row.status === 'delivered' && row.substatus === 'delivered') {
    substatus = UPS_DELIVERY_CODE_SUBSTATUS[activityCode.toUpperCase()] ?? substatus;
  }

  return {
    status: row.status,
    substatus,
    reason,
    informational: row.informational === true,
    rawCode,
    rawStatus,
    mappedBy,
  };
}
