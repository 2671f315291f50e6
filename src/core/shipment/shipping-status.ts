/**
 * The shipping status is the carrier's word for one package (TAXONOMY §2).
 * Headline status, a finer substatus, a reason naming the responsible party
 * for problems, and the tracker state (our own health of the tracker, never
 * shown to a customer as a shipping status).
 */
export const ShippingStatus = {
  Pending: 'pending',
  InfoReceived: 'info_received',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AvailableForPickup: 'available_for_pickup',
  AttemptFailed: 'attempt_failed',
  Delivered: 'delivered',
  Exception: 'exception',
  ReturnToSender: 'return_to_sender',
  Failure: 'failure',
  Cancelled: 'cancelled',
  Expired: 'expired',
  Unknown: 'unknown',
} as const;
export type ShippingStatus = (typeof ShippingStatus)[keyof typeof ShippingStatus];
export const SHIPPING_STATUSES = Object.values(ShippingStatus);

export function isShippingStatus(value: unknown): value is ShippingStatus {
  return typeof value === 'string' && (SHIPPING_STATUSES as readonly string[]).includes(value);
}

/**
 * Substatus → its default headline status. A few substatuses legitimately
 * live under two statuses (payment_due, address_issue, refused,
 * security_or_fee_issue happen at the door or before it); those are listed
 * in SUBSTATUS_ALSO_UNDER.
 */
export const SUBSTATUS_DEFAULT_STATUS = {
  registered: 'pending',
  not_found: 'pending',
  invalid_tracking_number: 'pending',
  carrier_auth_required: 'pending',
  unsupported_carrier: 'pending',

  label_created: 'info_received',
  label_printed: 'info_received',
  awaiting_carrier_pickup: 'info_received',
  carrier_pickup_scheduled: 'info_received',
  carrier_pickup_failed: 'info_received',
  awaiting_information: 'info_received',

  picked_up: 'in_transit',
  in_transit: 'in_transit',
  arrived_at_facility: 'in_transit',
  departed_facility: 'in_transit',
  processed_at_facility: 'in_transit',
  departed_origin_country: 'in_transit',
  arrived_destination_country: 'in_transit',
  customs_processing: 'in_transit',
  customs_cleared: 'in_transit',
  at_local_delivery_depot: 'in_transit',
  transferred_to_partner_carrier: 'in_transit',
  forwarded: 'in_transit',
  address_corrected: 'in_transit',
  problem_resolved: 'in_transit',
  delivery_scheduled: 'in_transit',
  delivery_rescheduled: 'in_transit',
  info_update: 'in_transit',

  out_for_delivery: 'out_for_delivery',
  customer_contacted: 'out_for_delivery',
  appointment_scheduled: 'out_for_delivery',

  ready_at_pickup_point: 'available_for_pickup',
  ready_at_post_office: 'available_for_pickup',
  held_at_carrier_for_collection: 'available_for_pickup',
  in_parcel_locker: 'available_for_pickup',

  attempted: 'attempt_failed',
  recipient_unavailable: 'attempt_failed',
  business_closed: 'attempt_failed',
  notice_left: 'attempt_failed',
  location_inaccessible: 'attempt_failed',
  id_verification_failed: 'attempt_failed',
  reschedule_required: 'attempt_failed',

  delivered: 'delivered',
  collected_from_pickup_point: 'delivered',
  signed_for: 'delivered',
  cod_collected: 'delivered',
  delivered_to_alternate_recipient: 'delivered',
  delivered_safe_place: 'delivered',
  delivered_alternative_location: 'delivered',
  delivered_po_box: 'delivered',
  delivered_partial: 'delivered',
  delivered_damaged: 'delivered',
  arrived_at_destination: 'delivered',

  exception_other: 'exception',
  delayed: 'exception',
  delayed_weather: 'exception',
  delayed_carrier_processing: 'exception',
  customs_hold: 'exception',
  customs_info_required: 'exception',
  shipper_data_issue: 'exception',
  held_by_carrier: 'exception',
  payment_due: 'exception',
  address_issue: 'exception',
  recipient_moved: 'exception',
  recipient_not_found: 'exception',
  refused: 'exception',
  unclaimed: 'exception',
  rejected_by_carrier: 'exception',
  damaged: 'exception',
  security_or_fee_issue: 'exception',

  returning: 'return_to_sender',
  returned: 'return_to_sender',

  lost: 'failure',
  destroyed_disposed: 'failure',
  undeliverable: 'failure',

  cancelled: 'cancelled',
  cancelled_before_pickup: 'cancelled',
  label_voided: 'cancelled',

  no_updates_timeout: 'expired',

  unmapped_carrier_status: 'unknown',
  tracking_error: 'unknown',
} as const satisfies Record<string, ShippingStatus>;

export type Substatus = keyof typeof SUBSTATUS_DEFAULT_STATUS;
export const SUBSTATUSES = Object.keys(SUBSTATUS_DEFAULT_STATUS) as Substatus[];

/** Substatuses that vendors also place under a second headline status. */
export const SUBSTATUS_ALSO_UNDER: Partial<Record<Substatus, ShippingStatus>> = {
  payment_due: 'attempt_failed',
  address_issue: 'attempt_failed',
  refused: 'attempt_failed',
  security_or_fee_issue: 'attempt_failed',
};

export function isSubstatus(value: unknown): value is Substatus {
  return typeof value === 'string' && Object.hasOwn(SUBSTATUS_DEFAULT_STATUS, value);
}

/** Whether a substatus may accompany a headline status. */
export function isSubstatusAllowedUnder(substatus: Substatus, status: ShippingStatus): boolean {
  return SUBSTATUS_DEFAULT_STATUS[substatus] === status || SUBSTATUS_ALSO_UNDER[substatus] === status;
}

/** The substatus to use when a source gives only a headline status. */
export const DEFAULT_SUBSTATUS_FOR_STATUS: Record<ShippingStatus, Substatus> = {
  pending: 'registered',
  info_received: 'label_created',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  available_for_pickup: 'ready_at_pickup_point',
  attempt_failed: 'attempted',
  delivered: 'delivered',
  exception: 'exception_other',
  return_to_sender: 'returning',
  failure: 'undeliverable',
  cancelled: 'cancelled',
  expired: 'no_updates_timeout',
  unknown: 'unmapped_carrier_status',
};

/**
 * Why a problem happened, naming the responsible party (Karrio's
 * TrackingIncidentReason, adopted unchanged).
 */
export const IncidentReason = {
  CarrierDamagedParcel: 'carrier_damaged_parcel',
  CarrierSortingError: 'carrier_sorting_error',
  CarrierAddressNotFound: 'carrier_address_not_found',
  CarrierParcelLost: 'carrier_parcel_lost',
  CarrierNotEnoughTime: 'carrier_not_enough_time',
  CarrierVehicleIssue: 'carrier_vehicle_issue',
  CarrierCapacityExceeded: 'carrier_capacity_exceeded',
  CarrierMechanicalDelay: 'carrier_mechanical_delay',
  RetailerCancelled: 'retailer_cancelled',
  RetailerIncorrectData: 'retailer_incorrect_data',
  RetailerNotReady: 'retailer_not_ready',
  RetailerIncorrectParcel: 'retailer_incorrect_parcel',
  RetailerIncorrectDimensions: 'retailer_incorrect_dimensions',
  RetailerPackagingIssue: 'retailer_packaging_issue',
  ConsigneeRefused: 'consignee_refused',
  ConsigneeBusinessClosed: 'consignee_business_closed',
  ConsigneeNotAvailable: 'consignee_not_available',
  ConsigneeNotHome: 'consignee_not_home',
  ConsigneeCancelled: 'consignee_cancelled',
  ConsigneeVerificationFailed: 'consignee_verification_failed',
  ConsigneeIncorrectAddress: 'consignee_incorrect_address',
  ConsigneeAccessRestricted: 'consignee_access_restricted',
  ConsigneeSafePlaceUnavailable: 'consignee_safe_place_unavailable',
  CustomsDelay: 'customs_delay',
  CustomsDocumentation: 'customs_documentation',
  CustomsDutiesUnpaid: 'customs_duties_unpaid',
  CustomsProhibited: 'customs_prohibited',
  CustomsInspection: 'customs_inspection',
  WeatherDelay: 'weather_delay',
  NaturalDisaster: 'natural_disaster',
  ForceMajeure: 'force_majeure',
  ParcelBeingResearched: 'parcel_being_researched',
  SecurityIssue: 'security_issue',
  RegulatoryHold: 'regulatory_hold',
  Unknown: 'unknown',
} as const;
export type IncidentReason = (typeof IncidentReason)[keyof typeof IncidentReason];
export const INCIDENT_REASONS = Object.values(IncidentReason);

export function isIncidentReason(value: unknown): value is IncidentReason {
  return typeof value === 'string' && (INCIDENT_REASONS as readonly string[]).includes(value);
}

/** The reason implied by a substatus when the source names none (features §4.4). */
export const DEFAULT_REASON_FOR_SUBSTATUS: Partial<Record<Substatus, IncidentReason>> = {
  recipient_unavailable: 'consignee_not_home',
  business_closed: 'consignee_business_closed',
  location_inaccessible: 'consignee_access_restricted',
  refused: 'consignee_refused',
  id_verification_failed: 'consignee_verification_failed',
  address_issue: 'consignee_incorrect_address',
  recipient_moved: 'consignee_incorrect_address',
  customs_hold: 'customs_inspection',
  customs_info_required: 'customs_documentation',
  payment_due: 'customs_duties_unpaid',
  delayed_weather: 'weather_delay',
  delayed_carrier_processing: 'carrier_sorting_error',
  damaged: 'carrier_damaged_parcel',
  delivered_damaged: 'carrier_damaged_parcel',
  lost: 'carrier_parcel_lost',
  shipper_data_issue: 'retailer_incorrect_data',
  rejected_by_carrier: 'retailer_packaging_issue',
  cancelled_before_pickup: 'retailer_cancelled',
};

/**
 * Health of the tracker itself. Not a shipping status: shown to the merchant,
 * never to the customer as "exception".
 */
export const TrackerState = {
  Active: 'active',
  StoppedDelivered: 'stopped_delivered',
  StoppedStale: 'stopped_stale',
  ErrorInvalidNumber: 'error_invalid_number',
  ErrorCarrierAuth: 'error_carrier_auth',
  ErrorUnsupportedCarrier: 'error_unsupported_carrier',
} as const;
export type TrackerState = (typeof TrackerState)[keyof typeof TrackerState];
export const TRACKER_STATES = Object.values(TrackerState);

/** Statuses after which no further carrier news is expected (TAXONOMY §2). */
export function isTerminalStatus(status: ShippingStatus, substatus?: Substatus | null): boolean {
  switch (status) {
    case 'delivered':
    case 'failure':
    case 'cancelled':
    case 'expired':
      return true;
    case 'return_to_sender':
      return substatus === 'returned';
    default:
      return false;
  }
}

/** Exception substatuses that need the customer to do something (features §4.4). */
const ACTION_REQUIRED_EXCEPTIONS: ReadonlySet<Substatus> = new Set<Substatus>([
  'address_issue',
  'payment_due',
  'customs_info_required',
  'unclaimed',
]);

/**
 * Whether the customer must act for a headline (features §4.4): every failed
 * attempt and every parcel waiting at a pickup point, and the exceptions only
 * the recipient can clear (address, payment, customs papers, collection).
 */
export function isActionRequired(status: ShippingStatus, substatus: Substatus): boolean {
  switch (status) {
    case 'attempt_failed':
    case 'available_for_pickup':
      return true;
    case 'exception':
      return ACTION_REQUIRED_EXCEPTIONS.has(substatus);
    default:
      return false;
  }
}

/** Where the unified status of an event came from. */
export const EventSource = {
  CarrierApi: 'carrier_api',
  AggregatorWebhook: 'aggregator_webhook',
  Platform: 'platform',
  Merchant: 'merchant',
  Waymark: 'waymark',
} as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];
