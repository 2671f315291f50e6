/**
 * EasyPost tracker vocabulary → Waymark shipping status (TAXONOMY §2, features §3.8 / §4.5).
 *
 * EasyPost classifies every tracker and every tracking detail twice: `status` (10 values, the
 * headline) and `status_detail` (28 values, what happened). Neither field alone fits the
 * taxonomy: EasyPost files weather delays under `failure` (its FAQ says such a tracker goes
 * back to `in_transit` when the weather clears) and sometimes under `in_transit`, so the
 * detail must be able to move the headline; but a detail must never drag a parcel that
 * EasyPost says is delivered, returning or cancelled back into transit.
 */
import {
  DEFAULT_REASON_FOR_SUBSTATUS,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';

export type EasyPostStatusRow = {
  status: ShippingStatus;
  substatus: Substatus;
  /** Omitted: the reason implied by the substatus (`DEFAULT_REASON_FOR_SUBSTATUS`). */
  reason?: IncidentReason;
};

export type EasyPostDetailRow = EasyPostStatusRow & {
  /**
   * Whether this detail may replace EasyPost's own `status` when its substatus does not fit
   * under it. True for problems (delays, holds, damage, loss, returns) that EasyPost reports
   * under a milder headline; false for progress details, which only refine.
   */
  decidesStatus: boolean;
};

export type EasyPostResolvedStatus = {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
};

/** EasyPost `status` (docs.easypost.com/docs/trackers). */
export const EASYPOST_STATUS_MAP: Readonly<Record<string, EasyPostStatusRow>> = {
  // EasyPost could not classify the carrier's update; on a tracker without details it means
  // "carrier has nothing yet", which the normaliser reports as not_found_yet instead.
  unknown: { status: 'unknown', substatus: 'unmapped_carrier_status' },
  pre_transit: { status: 'info_received', substatus: 'label_created' },
  in_transit: { status: 'in_transit', substatus: 'in_transit' },
  out_for_delivery: { status: 'out_for_delivery', substatus: 'out_for_delivery' },
  delivered: { status: 'delivered', substatus: 'delivered' },
  available_for_pickup: { status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
  return_to_sender: { status: 'return_to_sender', substatus: 'returning' },
  // Not our terminal `failure`: EasyPost uses it for weather holds that later resume. The
  // final cases (lost, undeliverable) arrive with a `status_detail` that says so.
  failure: { status: 'exception', substatus: 'exception_other' },
  cancelled: { status: 'cancelled', substatus: 'cancelled' },
  error: { status: 'unknown', substatus: 'tracking_error' },
};

/**
 * EasyPost `status_detail`. `null` marks the catch-alls that add nothing to `status`
 * (`status_update` accompanies pre_transit and in_transit details alike).
 */
export const EASYPOST_STATUS_DETAIL_MAP: Readonly<Record<string, EasyPostDetailRow | null>> = {
  address_correction: { status: 'in_transit', substatus: 'address_corrected', decidesStatus: false },
  // Seen paired with status delivered; under in_transit it refines nothing.
  arrived_at_destination: { status: 'delivered', substatus: 'arrived_at_destination', decidesStatus: false },
  arrived_at_facility: { status: 'in_transit', substatus: 'arrived_at_facility', decidesStatus: false },
  arrived_at_pickup_location: {
    status: 'available_for_pickup',
    substatus: 'ready_at_pickup_point',
    decidesStatus: false,
  },
  awaiting_information: { status: 'info_received', substatus: 'awaiting_information', decidesStatus: false },
  cancelled: { status: 'cancelled', substatus: 'cancelled', decidesStatus: true },
  damaged: { status: 'exception', substatus: 'damaged', decidesStatus: true },
  delayed: { status: 'exception', substatus: 'delayed', decidesStatus: true },
  delivery_exception: { status: 'exception', substatus: 'exception_other', decidesStatus: true },
  departed_facility: { status: 'in_transit', substatus: 'departed_facility', decidesStatus: false },
  departed_origin_facility: { status: 'in_transit', substatus: 'departed_facility', decidesStatus: false },
  expired: { status: 'expired', substatus: 'no_updates_timeout', decidesStatus: true },
  failure: { status: 'failure', substatus: 'undeliverable', decidesStatus: true },
  held: { status: 'exception', substatus: 'held_by_carrier', decidesStatus: true },
  in_transit: { status: 'in_transit', substatus: 'in_transit', decidesStatus: false },
  label_created: { status: 'info_received', substatus: 'label_created', decidesStatus: false },
  lost: { status: 'failure', substatus: 'lost', decidesStatus: true },
  missorted: { status: 'exception', substatus: 'delayed_carrier_processing', decidesStatus: true },
  out_for_delivery: { status: 'out_for_delivery', substatus: 'out_for_delivery', decidesStatus: false },
  received_at_destination_facility: {
    status: 'in_transit',
    substatus: 'at_local_delivery_depot',
    decidesStatus: false,
  },
  received_at_origin_facility: { status: 'in_transit', substatus: 'arrived_at_facility', decidesStatus: false },
  refused: { status: 'exception', substatus: 'refused', decidesStatus: true },
  return: { status: 'return_to_sender', substatus: 'returning', decidesStatus: true },
  status_update: null,
  transferred_to_destination_carrier: {
    status: 'in_transit',
    substatus: 'transferred_to_partner_carrier',
    decidesStatus: false,
  },
  transit_exception: { status: 'exception', substatus: 'exception_other', decidesStatus: true },
  unknown: null,
  weather_delay: { status: 'exception', substatus: 'delayed_weather', decidesStatus: true },
};

/** Headlines a detail never overrides: the parcel's direction or end is the bigger fact. */
const HEADLINES_DETAILS_CANNOT_OVERRIDE: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'delivered',
  'return_to_sender',
  'cancelled',
]);

const UNMAPPED: EasyPostResolvedStatus = { status: 'unknown', substatus: 'unmapped_carrier_status', reason: null };

function withReason(row: EasyPostStatusRow): EasyPostResolvedStatus {
  return { status: row.status, substatus: row.substatus, reason: reasonOf(row) };
}

function reasonOf(row: EasyPostStatusRow): IncidentReason | null {
  return row.reason ?? DEFAULT_REASON_FOR_SUBSTATUS[row.substatus] ?? null;
}

function lookUp<T>(table: Readonly<Record<string, T>>, code: string): T | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

/**
 * The unified status of an EasyPost tracker or tracking detail from its `status` and
 * `status_detail`. Codes missing from the tables are reported through `onUnmappedCode` and
 * give unknown / unmapped_carrier_status: a new detail is never guessed from the headline.
 */
export function resolveEasyPostStatus(
  status: string | null | undefined,
  statusDetail: string | null | undefined,
  onUnmappedCode?: (code: string) => void,
): EasyPostResolvedStatus {
  const statusRow = status ? lookUp(EASYPOST_STATUS_MAP, status) : undefined;
  if (status && !statusRow) onUnmappedCode?.(status);

  const detailRow = statusDetail ? lookUp(EASYPOST_STATUS_DETAIL_MAP, statusDetail) : null;
  if (statusDetail && detailRow === undefined) {
    onUnmappedCode?.(statusDetail);
    return UNMAPPED;
  }
  if (!detailRow) return statusRow ? withReason(statusRow) : UNMAPPED;
  // EasyPost's own "unknown" headline carries no information the detail could contradict.
  if (!statusRow || statusRow.status === 'unknown') return withReason(detailRow);

  if (detailRow.status === statusRow.status || isSubstatusAllowedUnder(detailRow.substatus, statusRow.status)) {
    return { status: statusRow.status, substatus: detailRow.substatus, reason: reasonOf(detailRow) };
  }
  if (detailRow.decidesStatus && !HEADLINES_DETAILS_CANNOT_OVERRIDE.has(statusRow.status)) {
    return withReason(detailRow);
  }
  // The headline stands; a problem detail still says why (returned because refused).
  return {
    status: statusRow.status,
    substatus: statusRow.substatus,
    reason: reasonOf(statusRow) ?? (detailRow.decidesStatus ? reasonOf(detailRow) : null),
  };
}
