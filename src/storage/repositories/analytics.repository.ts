import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

import type {
  AnalyticsQueries,
  AnalyticsRange,
  ExceptionReasonRow,
  NotificationCountRow,
  OnTimeRow,
  StatusPerDay,
  TransitBucket,
} from '../../core/ports/dashboard-queries.port.js';
import type { Database } from '../database.js';

/**
 * Parcels, events and messages are reached through the orders placed in the
 * period or up to this long before it: the (store_id, placed_at) index bounds
 * every query, and a parcel delivered 90 days after its order is rare enough
 * to leave out.
 */
const LOOKBACK_MS = 90 * 86_400_000;
/** Transit times of 30 days or more share the last bucket. */
const MAX_TRANSIT_DAYS = 30;
const PROBLEM_STATUSES = ['exception', 'attempt_failed', 'failure', 'return_to_sender'] as const;

/**
 * The few places SQLite and PostgreSQL differ. Instants are ISO text on
 * SQLite and timestamptz on PostgreSQL, so "the UTC day of" and "days between"
 * are spelled per dialect; everything else is one query for both.
 */
class DialectSql {
  constructor(private readonly postgres: boolean) {}

  utcDay(column: string): RawBuilder<string> {
    return this.postgres
      ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
      : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
  }

  /** Whole days from `start` to `end`, clamped to [0, MAX_TRANSIT_DAYS]. */
  wholeDays(end: RawBuilder<string>, start: RawBuilder<string>): RawBuilder<number> {
    return this.postgres
      ? sql<number>`cast(least(${sql.lit(MAX_TRANSIT_DAYS)}, greatest(0, floor(extract(epoch from (${end} - ${start})) / 86400))) as integer)`
      : sql<number>`min(${sql.lit(MAX_TRANSIT_DAYS)}, max(0, cast(julianday(${end}) - julianday(${start}) as integer)))`;
  }
}

function lookbackStart(range: AnalyticsRange): string {
  return new Date(Date.parse(range.from) - LOOKBACK_MS).toISOString();
}

const count = (value: unknown): number => Number(value ?? 0);

/** Aggregates for the dashboard's analytics, one grouped query per chart. */
export class AnalyticsRepository implements AnalyticsQueries {
  readonly #dialect: DialectSql;

  constructor(private readonly db: Kysely<Database>) {
    this.#dialect = new DialectSql(db.getExecutor().adapter instanceof PostgresAdapter);
  }

  /** Orders of the store placed in the lookback window and before the end of the period. */
  #ordersOfPeriod(range: AnalyticsRange, storeId: string) {
    return this.db
      .selectFrom('shipment as s')
      .innerJoin('sales_order as o', 'o.id', 's.order_id')
      .where('o.store_id', '=', storeId)
      .where('o.placed_at', '>=', lookbackStart(range))
      .where('o.placed_at', '<', range.to)
      .where('s.store_id', '=', storeId);
  }

  async ordersByStatusPerDay(storeId: string, range: AnalyticsRange): Promise<StatusPerDay[]> {
    const day = this.#dialect.utcDay('o.placed_at');
    const rows = await this.db
      .selectFrom('sales_order as o')
      .select([day.as('day'), 'o.order_status as status', (eb) => eb.fn.countAll().as('count')])
      .where('o.store_id', '=', storeId)
      .where('o.placed_at', '>=', range.from)
      .where('o.placed_at', '<', range.to)
      .groupBy([day, 'o.order_status'])
      .orderBy(day)
      .orderBy('o.order_status')
      .execute();
    return rows.map((r) => ({ day: r.day, status: r.status, count: count(r.count) }));
  }

  async shipmentsByStatusPerDay(storeId: string, range: AnalyticsRange): Promise<StatusPerDay[]> {
    const day = this.#dialect.utcDay('s.created_at');
    const rows = await this.#ordersOfPeriod(range, storeId)
      .select([day.as('day'), 's.status as status', (eb) => eb.fn.countAll().as('count')])
      .where('s.created_at', '>=', range.from)
      .where('s.created_at', '<', range.to)
      .groupBy([day, 's.status'])
      .orderBy(day)
      .orderBy('s.status')
      .execute();
    return rows.map((r) => ({ day: r.day, status: r.status, count: count(r.count) }));
  }

  async transitTimes(storeId: string, range: AnalyticsRange): Promise<TransitBucket[]> {
    const start = sql<string>`coalesce(${sql.ref('s.first_scan_at')}, ${sql.ref('s.shipped_at')}, ${sql.ref('s.created_at')})`;
    const days = this.#dialect.wholeDays(sql<string>`${sql.ref('s.delivered_at')}`, start);
    const rows = await this.#ordersOfPeriod(range, storeId)
      .select(['s.carrier', 's.service', days.as('days'), (eb) => eb.fn.countAll().as('count')])
      .where('s.delivered_at', '>=', range.from)
      .where('s.delivered_at', '<', range.to)
      .groupBy(['s.carrier', 's.service', days])
      .orderBy('s.carrier')
      .orderBy('s.service')
      .orderBy(days)
      .execute();
    return rows.map((r) => ({ carrier: r.carrier, service: r.service, days: count(r.days), count: count(r.count) }));
  }

  /**
   * The promise is the order's promised date, else the carrier's first
   * estimate; a parcel is on time when it was delivered on or before that
   * (UTC) day.
   */
  async onTimeRates(storeId: string, range: AnalyticsRange): Promise<OnTimeRow[]> {
    const promise = sql<
      string | null
    >`substr(coalesce(${sql.ref('o.promised_delivery_date')}, ${sql.ref('s.carrier_edd_first')}), 1, 10)`;
    const deliveredDay = this.#dialect.utcDay('s.delivered_at');
    const rows = await this.#ordersOfPeriod(range, storeId)
      .select([
        's.carrier',
        (eb) => eb.fn.countAll().as('delivered'),
        sql<number>`sum(case when ${promise} is not null then 1 else 0 end)`.as('with_promise'),
        sql<number>`sum(case when ${promise} is not null and ${deliveredDay} <= ${promise} then 1 else 0 end)`.as(
          'on_time',
        ),
      ])
      .where('s.delivered_at', '>=', range.from)
      .where('s.delivered_at', '<', range.to)
      .groupBy('s.carrier')
      .orderBy('s.carrier')
      .execute();
    return rows.map((r) => ({
      carrier: r.carrier,
      delivered: count(r.delivered),
      withPromise: count(r.with_promise),
      onTime: count(r.on_time),
    }));
  }

  async exceptionsByReason(storeId: string, range: AnalyticsRange): Promise<ExceptionReasonRow[]> {
    const rows = await this.#ordersOfPeriod(range, storeId)
      .innerJoin('tracking_event as e', 'e.shipment_id', 's.id')
      .select([
        'e.status',
        'e.substatus',
        'e.reason',
        (eb) => eb.fn.count<number>('e.shipment_id').distinct().as('shipments'),
      ])
      .where('e.status', 'in', PROBLEM_STATUSES)
      .where('e.occurred_at', '>=', range.from)
      .where('e.occurred_at', '<', range.to)
      .groupBy(['e.status', 'e.substatus', 'e.reason'])
      .execute();
    return rows
      .map((r) => ({ status: r.status, substatus: r.substatus, reason: r.reason, shipments: count(r.shipments) }))
      .sort((a, b) => b.shipments - a.shipments || a.substatus.localeCompare(b.substatus));
  }

  async notificationsByMilestone(storeId: string, range: AnalyticsRange): Promise<NotificationCountRow[]> {
    const rows = await this.db
      .selectFrom('notification as n')
      .innerJoin('sales_order as o', 'o.id', 'n.order_id')
      .select(['n.milestone', 'n.channel', 'n.state', (eb) => eb.fn.countAll().as('count')])
      .where('o.store_id', '=', storeId)
      .where('o.placed_at', '>=', lookbackStart(range))
      .where('o.placed_at', '<', range.to)
      .where('n.store_id', '=', storeId)
      .where('n.created_at', '>=', range.from)
      .where('n.created_at', '<', range.to)
      .groupBy(['n.milestone', 'n.channel', 'n.state'])
      .orderBy('n.milestone')
      .orderBy('n.channel')
      .orderBy('n.state')
      .execute();
    return rows.map((r) => ({ milestone: r.milestone, channel: r.channel, state: r.state, count: count(r.count) }));
  }
}
