/**
 * AfterShip tag / subtag → Waymark shipping status (TAXONOMY §2, features §3.2 / §4.5).
 *
 * The subtag is the most specific code and decides; its prefix is the tag it belongs to
 * (`Exception_010` is filed under `Exception`). AfterShip files returns, losses, cancellations
 * and disposals under `Exception`; here the status follows the meaning (TAXONOMY: returns
 * are return_to_sender, a lost parcel is failure), the tag stays in `rawStatus`.
 *
 * Sources: aftership.com/docs/tracking/2026-07/enum/delivery-sub-statuses; Exception_016 to
 * Exception_021 from AfterShip's help centre "Learn about delivery sub-status" (effective for
 * shipments tracked from 27 March 2026). Exception_014 and Exception_015 exist in AfterShip's
 * enum but their meaning was not published where we could read it: they are left out on
 * purpose and come out unknown (and reported) until someone confirms them.
 */
import {
  DEFAULT_REASON_FOR_SUBSTATUS,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';

export type AfterShipStatusRow = {
  status: ShippingStatus;
  substatus: Substatus;
  /** Omitted: the reason implied by the substatus (`DEFAULT_REASON_FOR_SUBSTATUS`); null: none. */
  reason?: IncidentReason | null;
};

export type AfterShipResolvedStatus = {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
};

/** AfterShip `tag`: used when a checkpoint or tracking has no subtag. */
export const AFTERSHIP_TAG_MAP: Readonly<Record<string, AfterShipStatusRow>> = {
  Pending: { status: 'pending', substatus: 'registered' },
  InfoReceived: { status: 'info_received', substatus: 'label_created' },
  InTransit: { status: 'in_transit', substatus: 'in_transit' },
  OutForDelivery: { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  AttemptFail: { status: 'attempt_failed', substatus: 'attempted' },
  Delivered: { status: 'delivered', substatus: 'delivered' },
  AvailableForPickup: { status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  Exception: { status: 'exception', substatus: 'exception_other' },
  // AfterShip's own cut-off (no news 30 days after the tracking was added), the same rule as ours.
  Expired: { status: 'expired', substatus: 'no_updates_timeout' },
};

/** AfterShip `subtag`. */
export const AFTERSHIP_SUBTAG_MAP: Readonly<Record<string, AfterShipStatusRow>> = {
  // Pending_002…006 exist in AfterShip's enum without published messages; all are "not tracked yet".
  Pending_001: { status: 'pending', substatus: 'registered' },
  Pending_002: { status: 'pending', substatus: 'registered' },
  Pending_003: { status: 'pending', substatus: 'registered' },
  Pending_004: { status: 'pending', substatus: 'registered' },
  Pending_005: { status: 'pending', substatus: 'registered' },
  Pending_006: { status: 'pending', substatus: 'registered' },
  InfoReceived_001: { status: 'info_received', substatus: 'label_created' },
  InTransit_001: { status: 'in_transit', substatus: 'in_transit' },
  InTransit_002: { status: 'in_transit', substatus: 'picked_up' }, // Acceptance scan
  InTransit_003: { status: 'in_transit', substatus: 'arrived_at_facility' }, // Arrival scan
  InTransit_004: { status: 'in_transit', substatus: 'arrived_destination_country' },
  InTransit_005: { status: 'in_transit', substatus: 'customs_cleared' },
  InTransit_006: { status: 'in_transit', substatus: 'customs_processing' }, // Customs clearance started
  InTransit_007: { status: 'in_transit', substatus: 'departed_facility' }, // Departure scan
  InTransit_008: { status: 'in_transit', substatus: 'problem_resolved' },
  InTransit_009: { status: 'in_transit', substatus: 'forwarded' },
  OutForDelivery_001: { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  // Legacy "Available for pickup" filed under OutForDelivery in older AfterShip lists.
  OutForDelivery_002: { status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  OutForDelivery_003: { status: 'out_for_delivery', substatus: 'customer_contacted' },
  OutForDelivery_004: { status: 'out_for_delivery', substatus: 'appointment_scheduled' },
  AttemptFail_001: { status: 'attempt_failed', substatus: 'attempted' },
  AttemptFail_002: { status: 'attempt_failed', substatus: 'recipient_unavailable' }, // Addressee not available
  AttemptFail_003: { status: 'attempt_failed', substatus: 'business_closed' },
  Delivered_001: { status: 'delivered', substatus: 'delivered' },
  Delivered_002: { status: 'delivered', substatus: 'collected_from_pickup_point' }, // Picked up by the customer
  Delivered_003: { status: 'delivered', substatus: 'signed_for' },
  Delivered_004: { status: 'delivered', substatus: 'cod_collected' },
  Delivered_005: { status: 'delivered', substatus: 'delivered_to_alternate_recipient' }, // Delivered to neighbor
  AvailableForPickup_001: { status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  Exception_001: { status: 'exception', substatus: 'exception_other' },
  Exception_002: { status: 'exception', substatus: 'recipient_moved' },
  Exception_003: { status: 'exception', substatus: 'refused' },
  // "Delayed (Customs clearance)": a delay, not necessarily an inspection.
  Exception_004: { status: 'exception', substatus: 'customs_hold', reason: 'customs_delay' },
  Exception_005: { status: 'exception', substatus: 'delayed' }, // Delayed (External factors)
  Exception_006: { status: 'exception', substatus: 'payment_due' }, // Held for payment
  Exception_007: { status: 'exception', substatus: 'address_issue' },
  // "Pick up missed": waiting at the pickup point, not collected.
  Exception_008: { status: 'exception', substatus: 'unclaimed', reason: 'consignee_not_available' },
  Exception_009: { status: 'exception', substatus: 'rejected_by_carrier' },
  Exception_010: { status: 'return_to_sender', substatus: 'returning' },
  Exception_011: { status: 'return_to_sender', substatus: 'returned' },
  Exception_012: { status: 'exception', substatus: 'damaged' },
  Exception_013: { status: 'failure', substatus: 'lost' },
  Exception_016: { status: 'exception', substatus: 'delayed_carrier_processing' }, // Delayed (Processing issue)
  Exception_017: { status: 'exception', substatus: 'delayed_weather' },
  Exception_018: { status: 'exception', substatus: 'customs_info_required' }, // Incorrect / missing documents
  Exception_019: { status: 'exception', substatus: 'delayed' }, // Delayed (Late flight)
  Exception_020: { status: 'cancelled', substatus: 'cancelled' }, // Voided or cancelled by the sender or carrier
  Exception_021: { status: 'failure', substatus: 'destroyed_disposed' },
  Expired_001: { status: 'expired', substatus: 'no_updates_timeout' },
};

const UNMAPPED: AfterShipResolvedStatus = { status: 'unknown', substatus: 'unmapped_carrier_status', reason: null };

function lookUp(table: Readonly<Record<string, AfterShipStatusRow>>, code: string): AfterShipStatusRow | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

function resolved(row: AfterShipStatusRow): AfterShipResolvedStatus {
  const reason = row.reason === undefined ? (DEFAULT_REASON_FOR_SUBSTATUS[row.substatus] ?? null) : row.reason;
  return { status: row.status, substatus: row.substatus, reason };
}

/** The tag a subtag belongs to: `Exception_010` → `Exception`. */
export function afterShipSubtagTag(subtag: string): string {
  const underscore = subtag.lastIndexOf('_');
  return underscore > 0 ? subtag.slice(0, underscore) : subtag;
}

/**
 * The unified status of an AfterShip tracking or checkpoint. The subtag decides; a subtag
 * missing from the table gives unknown / unmapped_carrier_status and is reported (never the
 * tag's guess). A subtag filed under another tag than the one sent is contradictory: the tag
 * decides and the pair is reported as `Tag/Subtag`.
 */
export function resolveAfterShipStatus(
  tag: string | null | undefined,
  subtag: string | null | undefined,
  onUnmappedCode?: (code: string) => void,
): AfterShipResolvedStatus {
  const tagRow = tag ? lookUp(AFTERSHIP_TAG_MAP, tag) : undefined;
  if (tag && !tagRow) onUnmappedCode?.(tag);
  if (subtag) {
    if (tagRow && afterShipSubtagTag(subtag) !== tag) {
      onUnmappedCode?.(`${tag}/${subtag}`);
      return resolved(tagRow);
    }
    const subtagRow = lookUp(AFTERSHIP_SUBTAG_MAP, subtag);
    if (subtagRow) return resolved(subtagRow);
    onUnmappedCode?.(subtag);
    return UNMAPPED;
  }
  return tagRow ? resolved(tagRow) : UNMAPPED;
}
