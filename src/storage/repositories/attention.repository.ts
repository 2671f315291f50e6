import { sql, type Kysely } from 'kysely';

import type { AttentionQueries, ProblemShipmentRow } from '../../core/ports/dashboard-queries.port.js';
import type { IncidentReason, ShippingStatus, Substatus, TrackerState } from '../../core/shipment/shipping-status.js';
import type { Database } from '../database.js';

const PROBLEM_STATUSES = ['exception', 'attempt_failed', 'failure', 'return_to_sender'] as const;
const TRACKER_ERRORS = ['error_invalid_number', 'error_carrier_auth', 'error_unsupported_carrier'] as const;

type Row = {
  shipment_id: string;
  order_id: string;
  order_number: string;
  carrier: string | null;
  tracking_number: string;
  status: string;
  substatus: string;
  reason: string | null;
  tracker_state: string;
  since: string;
};

function toProblem(row: Row): ProblemShipmentRow {
  return {
    shipmentId: row.shipment_id,
    orderId: row.order_id,
    orderNumber: row.order_number,
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    status: row.status as ShippingStatus,
    substatus: row.substatus as Substatus,
    reason: row.reason as IncidentReason | null,
    trackerState: row.tracker_state as TrackerState,
    since: row.since,
  };
}

/** The dashboard's "needs attention" reads: each bounded by a limit and driven by the store's indexes. */
export class AttentionRepository implements AttentionQueries {
  constructor(private readonly db: Kysely<Database>) {}

  #base() {
    return this.db
      .selectFrom('shipment as s')
      .innerJoin('sales_order as o', 'o.id', 's.order_id')
      .select([
        's.id as shipment_id',
        's.order_id',
        'o.number as order_number',
        's.carrier',
        's.tracking_number',
        's.status',
        's.substatus',
        's.reason',
        's.tracker_state',
      ]);
  }

  /** Served by the (store_id, status) index: only the four problem headlines are read. */
  async listProblemShipments(storeId: string, limit: number): Promise<ProblemShipmentRow[]> {
    // An exception's own time when there is one; otherwise the last carrier news, then the last write.
    const since = sql<string>`coalesce(case when s.status = 'exception' then s.exception_at end, s.last_event_at, s.updated_at)`;
    const rows = await this.#base()
      .select(since.as('since'))
      .where('s.store_id', '=', storeId)
      .where('s.status', 'in', PROBLEM_STATUSES)
      .orderBy(since)
      .orderBy('s.id')
      .limit(limit)
      .execute();
    return rows.map(toProblem);
  }

  /**
   * Trackers that cannot work. There is no index on the tracker state: the
   * store's parcels are read through its (store_id, …) index prefix, and the
   * limit bounds the answer. Terminal parcels are left out.
   */
  async listTrackerErrors(storeId: string, limit: number): Promise<ProblemShipmentRow[]> {
    const rows = await this.#base()
      .select('s.updated_at as since')
      .where('s.store_id', '=', storeId)
      .where('s.tracker_state', 'in', TRACKER_ERRORS)
      .where('s.status', 'not in', ['delivered', 'cancelled', 'failure', 'expired'])
      .orderBy('s.updated_at')
      .orderBy('s.id')
      .limit(limit)
      .execute();
    return rows.map(toProblem);
  }
}
