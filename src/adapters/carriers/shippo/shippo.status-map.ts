/**
 * Shippo tracking status / substatus → Waymark shipping status (TAXONOMY §2, features §3.10 /
 * §4.5).
 *
 * Shippo has six statuses and files out-for-delivery, ready-for-pickup and failed attempts as
 * substatuses of TRANSIT; the substatus code (docs.goshippo.com "Event Definitions") is the
 * most specific code and decides, the status follows the meaning. Each substatus belongs to
 * one Shippo status; a pair that contradicts it is reported and the status decides.
 */
import {
  DEFAULT_REASON_FOR_SUBSTATUS,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';

export const SHIPPO_STATUSES = ['UNKNOWN', 'PRE_TRANSIT', 'TRANSIT', 'DELIVERED', 'RETURNED', 'FAILURE'] as const;
export type ShippoStatus = (typeof SHIPPO_STATUSES)[number];

export type ShippoStatusRow = {
  status: ShippingStatus;
  substatus: Substatus;
  /** Omitted: the reason implied by the substatus (`DEFAULT_REASON_FOR_SUBSTATUS`); null: none. */
  reason?: IncidentReason | null;
};

export type ShippoSubstatusRow = ShippoStatusRow & {
  /** The Shippo status this substatus is defined under. */
  parent: ShippoStatus;
};

export type ShippoResolvedStatus = {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
};

/** Shippo `tracking_status.status`, used when an event has no substatus. */
export const SHIPPO_STATUS_MAP: Readonly<Record<ShippoStatus, ShippoStatusRow>> = {
  UNKNOWN: { status: 'unknown', substatus: 'unmapped_carrier_status' },
  PRE_TRANSIT: { status: 'info_received', substatus: 'label_created' },
  // TRANSIT also covers out-for-delivery, pickup and attempts; without a substatus only "moving" is known.
  TRANSIT: { status: 'in_transit', substatus: 'in_transit' },
  DELIVERED: { status: 'delivered', substatus: 'delivered' },
  RETURNED: { status: 'return_to_sender', substatus: 'returning' },
  FAILURE: { status: 'failure', substatus: 'undeliverable' },
};

/** Shippo `substatus.code`, by the Shippo status each is defined under. */
export const SHIPPO_SUBSTATUS_MAP: Readonly<Record<string, ShippoSubstatusRow>> = {
  information_received: { parent: 'PRE_TRANSIT', status: 'info_received', substatus: 'label_created' },

  package_accepted: { parent: 'TRANSIT', status: 'in_transit', substatus: 'picked_up' },
  package_arrived: { parent: 'TRANSIT', status: 'in_transit', substatus: 'arrived_at_facility' },
  package_departed: { parent: 'TRANSIT', status: 'in_transit', substatus: 'departed_facility' },
  package_processing: { parent: 'TRANSIT', status: 'in_transit', substatus: 'processed_at_facility' },
  package_processed: { parent: 'TRANSIT', status: 'in_transit', substatus: 'processed_at_facility' },
  package_forwarded: { parent: 'TRANSIT', status: 'in_transit', substatus: 'forwarded' },
  delivery_scheduled: { parent: 'TRANSIT', status: 'in_transit', substatus: 'delivery_scheduled' },
  delivery_rescheduled: { parent: 'TRANSIT', status: 'in_transit', substatus: 'delivery_rescheduled' },
  out_for_delivery: { parent: 'TRANSIT', status: 'out_for_delivery', substatus: 'out_for_delivery' },
  pickup_available: { parent: 'TRANSIT', status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  delivery_attempted: { parent: 'TRANSIT', status: 'attempt_failed', substatus: 'attempted' },
  notice_left: { parent: 'TRANSIT', status: 'attempt_failed', substatus: 'notice_left' },
  location_inaccessible: { parent: 'TRANSIT', status: 'attempt_failed', substatus: 'location_inaccessible' },
  // "Reschedule delivery": the recipient must arrange a new attempt (Shippo flags action required).
  reschedule_delivery: { parent: 'TRANSIT', status: 'attempt_failed', substatus: 'reschedule_required' },
  address_issue: { parent: 'TRANSIT', status: 'exception', substatus: 'address_issue' },
  // Shippo says only "contact the carrier": a problem, cause unknown.
  contact_carrier: { parent: 'TRANSIT', status: 'exception', substatus: 'exception_other' },
  delayed: { parent: 'TRANSIT', status: 'exception', substatus: 'delayed' },
  package_damaged: { parent: 'TRANSIT', status: 'exception', substatus: 'damaged' },
  package_held: { parent: 'TRANSIT', status: 'exception', substatus: 'held_by_carrier' },

  delivered: { parent: 'DELIVERED', status: 'delivered', substatus: 'delivered' },

  return_to_sender: { parent: 'RETURNED', status: 'return_to_sender', substatus: 'returning' },
  // Filed under RETURNED, but the parcel still waits to be collected (Shippo flags action
  // required): not yet a return, the recipient can still act.
  package_unclaimed: {
    parent: 'RETURNED',
    status: 'exception',
    substatus: 'unclaimed',
    reason: 'consignee_not_available',
  },

  package_undeliverable: { parent: 'FAILURE', status: 'failure', substatus: 'undeliverable' },
  package_disposed: { parent: 'FAILURE', status: 'failure', substatus: 'destroyed_disposed' },
  package_lost: { parent: 'FAILURE', status: 'failure', substatus: 'lost' },

  // Shippo's own "we could not classify it".
  other: { parent: 'UNKNOWN', status: 'unknown', substatus: 'unmapped_carrier_status' },
};

const UNMAPPED: ShippoResolvedStatus = { status: 'unknown', substatus: 'unmapped_carrier_status', reason: null };

function lookUp<T>(table: Readonly<Record<string, T>>, code: string): T | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

function resolved(row: ShippoStatusRow): ShippoResolvedStatus {
  const reason = row.reason === undefined ? (DEFAULT_REASON_FOR_SUBSTATUS[row.substatus] ?? null) : row.reason;
  return { status: row.status, substatus: row.substatus, reason };
}

/**
 * The unified status of a Shippo tracking event. The substatus decides; a substatus missing
 * from the table gives unknown / unmapped_carrier_status and is reported (never the status's
 * guess: TRANSIT alone cannot tell a delivery attempt from a departure scan). A substatus sent
 * under another status than its own is contradictory: the status decides and the pair is
 * reported as `STATUS/substatus`.
 */
export function resolveShippoStatus(
  status: string | null | undefined,
  substatusCode: string | null | undefined,
  onUnmappedCode?: (code: string) => void,
): ShippoResolvedStatus {
  const statusRow = status ? lookUp<ShippoStatusRow>(SHIPPO_STATUS_MAP, status) : undefined;
  if (status && !statusRow) onUnmappedCode?.(status);
  if (substatusCode) {
    const row = lookUp(SHIPPO_SUBSTATUS_MAP, substatusCode);
    if (!row) {
      onUnmappedCode?.(substatusCode);
      return UNMAPPED;
    }
    if (statusRow && row.parent !== status) {
      onUnmappedCode?.(`${status}/${substatusCode}`);
      return resolved(statusRow);
    }
    return resolved(row);
  }
  return statusRow ? resolved(statusRow) : UNMAPPED;
}
