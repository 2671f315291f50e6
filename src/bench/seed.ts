import type { Statement } from 'better-sqlite3';

import { newId } from '../storage/ids.js';
import type { RawConnection } from './databases.js';

/**
 * Fast seeding through the raw driver: multi-row INSERTs of rows shaped
 * like the ones the repositories write, into the real migrated schema (all
 * indexes and foreign keys in place). Nullable columns that are null are
 * left out; they default to NULL.
 */

type Value = string | number | null;
type Row = Value[];

type TableSpec = {
  table: string;
  /** Bound per row, in this order. */
  varying: readonly string[];
  /** The same for every row, written as SQL literals. */
  constant: Readonly<Record<string, Value>>;
};

/** Rows per INSERT statement: 11 bound values a row stays far below both drivers' parameter limits. */
const ROWS_PER_STATEMENT = 500;
/** Rows per transaction, so the SQLite WAL can be checkpointed while seeding millions. */
const ROWS_PER_TRANSACTION = 50_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Small deterministic PRNG, so every run seeds the same shape. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function literal(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

function insertSql(spec: TableSpec, rowCount: number, placeholder: (index: number) => string): string {
  const columns = [...spec.varying, ...Object.keys(spec.constant)];
  const constants = Object.values(spec.constant).map(literal);
  const tuples: string[] = [];
  let index = 0;
  for (let row = 0; row < rowCount; row += 1) {
    const values = spec.varying.map(() => placeholder((index += 1)));
    tuples.push(`(${[...values, ...constants].join(', ')})`);
  }
  return `insert into ${spec.table} (${columns.join(', ')}) values ${tuples.join(', ')}`;
}

/** Multi-row inserts in batched transactions on either driver. */
class BulkWriter {
  readonly #raw: RawConnection;
  readonly #sqliteStatements = new Map<string, Statement<Value[]>>();
  #inTransaction = 0;

  constructor(raw: RawConnection) {
    this.#raw = raw;
  }

  async #exec(statement: string): Promise<void> {
    if (this.#raw.dialect === 'sqlite') this.#raw.db.exec(statement);
    else await this.#raw.client.query(statement);
  }

  async insert(spec: TableSpec, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.#inTransaction === 0) await this.#exec('begin');
    const key = `${spec.table}:${rows.length}`;
    const params = rows.flat();
    if (this.#raw.dialect === 'sqlite') {
      let statement = this.#sqliteStatements.get(key);
      if (!statement) {
        statement = this.#raw.db.prepare<Value[]>(insertSql(spec, rows.length, () => '?'));
        this.#sqliteStatements.set(key, statement);
      }
      statement.run(...params);
    } else {
      await this.#raw.client.query({
        name: `bench_seed_${spec.table}_${rows.length}`,
        text: insertSql(spec, rows.length, (i) => `$${i}`),
        values: params,
      });
    }
    this.#inTransaction += rows.length;
    if (this.#inTransaction >= ROWS_PER_TRANSACTION) await this.commit();
  }

  async commit(): Promise<void> {
    if (this.#inTransaction === 0) return;
    await this.#exec('commit');
    this.#inTransaction = 0;
  }
}

/** Buffers rows and writes them ROWS_PER_STATEMENT at a time. */
class TableLoader {
  #rows: Row[] = [];
  constructor(
    private readonly writer: BulkWriter,
    private readonly spec: TableSpec,
  ) {}

  async add(row: Row): Promise<void> {
    this.#rows.push(row);
    if (this.#rows.length >= ROWS_PER_STATEMENT) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.#rows;
    this.#rows = [];
    await this.writer.insert(this.spec, rows);
  }
}

export type ShipmentSeedPlan = {
  storeId: string;
  /** The instant the benchmark treats as now. */
  now: string;
  /** Shipments still tracked: `next_check_at` set. */
  active: number;
  /** Of the active ones, how many are due (`next_check_at` in the last 24 hours, spread); the rest are due within the next 7 days. */
  due: number;
  /** Delivered shipments: `next_check_at` null, so outside the claim index. */
  delivered: number;
  /** Shipments per order (one order for every N shipments). */
  shipmentsPerOrder: number;
  /** Status of the active shipments: `pending` (nothing heard yet) or `in_transit`. */
  activeStatus: 'pending' | 'in_transit';
  /** Return the ids of the active shipments, in insertion order. */
  keepActiveIds?: boolean;
  seed?: number;
};

export type SeedResult = { orders: number; shipments: number; activeIds: string[]; ms: number };

const ORDER_SPEC: TableSpec = {
  table: 'sales_order',
  varying: [
    'id',
    'external_id',
    'number',
    'number_key',
    'customer_email',
    'customer_email_key',
    'shipping_summary',
    'placed_at',
    'created_at',
    'updated_at',
  ],
  constant: {},
};

const SHIPMENT_SPEC: TableSpec = {
  table: 'shipment',
  varying: [
    'id',
    'order_id',
    'tracking_number',
    'status',
    'substatus',
    'tracker_state',
    'shipped_at',
    'delivered_at',
    'last_event_at',
    'next_check_at',
    'created_at',
    'updated_at',
  ],
  constant: {},
};

function withStore(spec: TableSpec, storeId: string, constant: Record<string, Value>): TableSpec {
  return { ...spec, constant: { store_id: storeId, ...constant } };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * One store's orders and shipments: delivered ones first (older), then the
 * active ones, each order holding `shipmentsPerOrder` consecutive shipments.
 * Exactly `due` active shipments, chosen at random, are due.
 */
export async function seedOrdersAndShipments(raw: RawConnection, plan: ShipmentSeedPlan): Promise<SeedResult> {
  if (raw.dialect !== 'sqlite') return seed(raw, plan);
  // A bigger page cache while seeding only (the raw connection is also the events baseline, which keeps the default).
  const cacheSize = raw.db.pragma('cache_size', { simple: true }) as number;
  raw.db.pragma('cache_size = -262144');
  try {
    return await seed(raw, plan);
  } finally {
    raw.db.pragma(`cache_size = ${cacheSize}`);
  }
}

async function seed(raw: RawConnection, plan: ShipmentSeedPlan): Promise<SeedResult> {
  const started = performance.now();
  const random = mulberry32(plan.seed ?? 20261126);
  const now = Date.parse(plan.now);
  const total = plan.delivered + plan.active;
  const orderCount = Math.ceil(total / plan.shipmentsPerOrder);
  const writer = new BulkWriter(raw);

  const orders = new TableLoader(
    writer,
    withStore(ORDER_SPEC, plan.storeId, {
      order_status: 'fulfilled',
      financial_status: 'paid',
      platform_status: '{"status":"fulfilled"}',
      customer_name: 'Bench Buyer',
      customer_language: 'en',
      ship_city: 'Lyon',
      ship_postal_code: '69001',
      ship_postal_code_key: '69001',
      ship_country: 'FR',
      line_items: '[{"externalId":"1","sku":"SKU-1","name":"Lamp","quantity":1}]',
    }),
  );
  const orderIds: string[] = new Array<string>(orderCount);
  const activeSummary = plan.activeStatus === 'pending' ? 'not_shipped' : 'in_transit';
  for (let o = 0; o < orderCount; o += 1) {
    const id = newId();
    orderIds[o] = id;
    const delivered = o * plan.shipmentsPerOrder < plan.delivered;
    const placed = iso(now - (delivered ? 40 * DAY : 5 * DAY) - Math.floor(random() * 10 * DAY));
    const email = `buyer${o}@example.com`;
    await orders.add([
      id,
      `bench-${o}`,
      `#${100000 + o}`,
      String(100000 + o),
      email,
      email,
      delivered ? 'delivered' : activeSummary,
      placed,
      placed,
      placed,
    ]);
  }
  await orders.flush();

  const shipments = new TableLoader(
    writer,
    withStore(SHIPMENT_SPEC, plan.storeId, {
      carrier: 'ups',
      carrier_confidence: 'given',
      items: '[{"externalId":"1","quantity":1}]',
    }),
  );
  const activeIds: string[] = [];
  let dueLeft = plan.due;
  let activeLeft = plan.active;
  for (let s = 0; s < total; s += 1) {
    const id = newId();
    const orderId = orderIds[Math.floor(s / plan.shipmentsPerOrder)]!;
    const tracking = `1ZBENCH${String(s).padStart(10, '0')}`;
    if (s < plan.delivered) {
      const created = now - 30 * DAY - Math.floor(random() * 300 * DAY);
      const deliveredAt = iso(created + 3 * DAY);
      const row: Row = [id, orderId, tracking, 'delivered', 'delivered', 'stopped_delivered'];
      row.push(iso(created), deliveredAt, deliveredAt, null, iso(created), deliveredAt);
      await shipments.add(row);
      continue;
    }
    // Selection sampling: exactly `due` of the active rows, uniformly spread.
    const isDue = random() * activeLeft < dueLeft;
    activeLeft -= 1;
    if (isDue) dueLeft -= 1;
    const nextCheck = isDue
      ? now - 1000 - Math.floor(random() * (DAY - 1000))
      : now + 60_000 + Math.floor(random() * (7 * DAY - 60_000));
    const created = now - Math.floor(random() * 10 * DAY);
    const pending = plan.activeStatus === 'pending';
    const row: Row = [id, orderId, tracking, plan.activeStatus, pending ? 'registered' : 'in_transit', 'active'];
    row.push(iso(created), null, pending ? null : iso(created + HOUR), iso(nextCheck), iso(created), iso(created));
    await shipments.add(row);
    if (plan.keepActiveIds) activeIds.push(id);
  }
  await shipments.flush();
  await writer.commit();
  return { orders: orderCount, shipments: total, activeIds, ms: performance.now() - started };
}

export type EventSeedShipment = {
  id: string;
  /** Delivered shipments get a whole journey ending in delivery; the others stop in transit. */
  delivered: boolean;
  /** First and last event times (ISO); the events are spread evenly between them. */
  firstAt: string;
  lastAt: string;
};

export type EventSeedPlan = {
  storeId: string;
  /** Written as `received_at`. */
  now: string;
  shipments: readonly EventSeedShipment[];
  eventsPerShipment: number;
};

const EVENT_SPEC: TableSpec = {
  table: 'tracking_event',
  varying: [
    'id',
    'shipment_id',
    'occurred_at',
    'status',
    'substatus',
    'description',
    'location_city',
    'location_region',
    'location_postal_code',
    'location_country',
    'raw_code',
    'raw_status',
    'dedupe_key',
  ],
  constant: {},
};

type Scan = { status: string; substatus: string; code: string; description: string; place: readonly string[] };

const HUBS: readonly (readonly string[])[] = [
  ['Louisville', 'KY', '40209', 'US'],
  ['Cologne', 'NW', '51147', 'DE'],
  ['Paris', 'IDF', '95700', 'FR'],
  ['Chilly-Mazarin', 'IDF', '91380', 'FR'],
  ['Saint-Priest', 'ARA', '69800', 'FR'],
];
const ORIGIN = ['Eindhoven', 'NB', '5657', 'NL'];
const DESTINATION = ['Lyon', 'ARA', '69001', 'FR'];

const FIRST_SCANS: readonly Scan[] = [
  {
    status: 'info_received',
    substatus: 'label_created',
    code: 'MP',
    description: 'Shipper created a label, UPS has not received the package yet',
    place: ORIGIN,
  },
  { status: 'in_transit', substatus: 'picked_up', code: 'OR', description: 'Pickup scan', place: ORIGIN },
  {
    status: 'in_transit',
    substatus: 'departed_facility',
    code: 'DP',
    description: 'Departed from facility',
    place: ORIGIN,
  },
];
const LAST_SCANS: readonly Scan[] = [
  {
    status: 'in_transit',
    substatus: 'at_local_delivery_depot',
    code: 'AR',
    description: 'Arrived at destination facility',
    place: DESTINATION,
  },
  {
    status: 'out_for_delivery',
    substatus: 'out_for_delivery',
    code: 'OT',
    description: 'Out for delivery today',
    place: DESTINATION,
  },
  {
    status: 'delivered',
    substatus: 'delivered',
    code: 'KB',
    description: 'Delivered, front door. Signed by: DUPONT',
    place: DESTINATION,
  },
];

/** The `index`-th of `count` scans of a parcel's journey: label and pickup first, hub scans in between, delivery last when delivered. */
function journeyScan(index: number, count: number, delivered: boolean): Scan {
  if (index < FIRST_SCANS.length) return FIRST_SCANS[index]!;
  const fromEnd = count - 1 - index;
  if (delivered && fromEnd < LAST_SCANS.length) return LAST_SCANS[LAST_SCANS.length - 1 - fromEnd]!;
  const hub = HUBS[(index - FIRST_SCANS.length) % HUBS.length]!;
  return index % 2 === 1
    ? {
        status: 'in_transit',
        substatus: 'arrived_at_facility',
        code: 'AR',
        description: 'Arrived at facility',
        place: hub,
      }
    : {
        status: 'in_transit',
        substatus: 'departed_facility',
        code: 'DP',
        description: 'Departed from facility',
        place: hub,
      };
}

/**
 * Carrier scans for the given shipments, shaped like the rows
 * `TrackingEventRepository.appendEvents` writes for a carrier API poll:
 * descriptions, locations, raw codes and a unique dedupe key per event.
 */
export async function seedTrackingEvents(
  raw: RawConnection,
  plan: EventSeedPlan,
): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  const writer = new BulkWriter(raw);
  const events = new TableLoader(
    writer,
    withStore(EVENT_SPEC, plan.storeId, { source: 'carrier_api', time_zone_inferred: 0, received_at: plan.now }),
  );
  const count = plan.eventsPerShipment;
  let written = 0;
  for (const shipment of plan.shipments) {
    const first = Date.parse(shipment.firstAt);
    const step = count > 1 ? (Date.parse(shipment.lastAt) - first) / (count - 1) : 0;
    for (let i = 0; i < count; i += 1) {
      const scan = journeyScan(i, count, shipment.delivered);
      const [city, region, postalCode, country] = scan.place;
      const occurredAt = iso(first + Math.round(step * i));
      await events.add([
        newId(),
        shipment.id,
        occurredAt,
        scan.status,
        scan.substatus,
        scan.description,
        city ?? null,
        region ?? null,
        postalCode ?? null,
        country ?? null,
        scan.code,
        scan.description.toUpperCase(),
        `bench:${shipment.id}:${i}`,
      ]);
      written += 1;
    }
  }
  await events.flush();
  await writer.commit();
  return { events: written, ms: performance.now() - started };
}
