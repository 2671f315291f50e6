import { recordTrackingEvents } from '../app/record-tracking-events.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { NewTrackingEvent } from '../core/ports/storage.port.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { newId } from '../storage/ids.js';
import { toFlag } from '../storage/json.js';
import { createBenchDatabase, type BenchDatabase, type RawConnection } from './databases.js';
import { seedOrdersAndShipments } from './seed.js';
import { summarize, type Repetitions, type Summary } from './stats.js';

/**
 * (a) Applying tracking events: rows/s through the storage layer against raw
 * driver inserts of the same rows, in the same process and the same run.
 *
 * Every path gets its own fresh database with the migrated schema, the same
 * seeded shipments, and the same pre-built event batches; each batch goes to
 * a shipment no path has touched before (what a worker sees: news for one
 * parcel), in one transaction per batch. Paths run interleaved, rotating
 * which goes first, so drift on a shared machine hits all of them alike.
 */

export type EventPathName = 'raw' | 'appendEvents' | 'recordTrackingEvents';

export type EventPathResult = {
  path: EventPathName;
  label: string;
  /** Milliseconds per repetition (batchesPerRep batches). */
  ms: Summary;
  rowsPerSecond: { median: number; p95: number };
  /** Median rows/s of this path ÷ median rows/s of the raw path. */
  ratioToRaw: number;
};

export type EventsResult = {
  dialect: DialectName;
  batchSize: number;
  batchesPerRep: number;
  rowsPerRep: number;
  warmup: number;
  reps: number;
  paths: EventPathResult[];
};

export type EventsOptions = Repetitions & {
  batchSize: number;
  batchesPerRep: number;
  postgresUrl?: string;
  log: (line: string) => void;
};

const EVENT_COLUMNS = [
  'id',
  'store_id',
  'shipment_id',
  'occurred_at',
  'occurred_at_local',
  'time_zone_inferred',
  'sequence',
  'status',
  'substatus',
  'reason',
  'description',
  'location_city',
  'location_region',
  'location_postal_code',
  'location_country',
  'raw_code',
  'raw_status',
  'source',
  'dedupe_key',
  'received_at',
] as const;

/** The row the repository writes for an event, as positional values (same mapping as TrackingEventRepository). */
function eventValues(storeId: string, shipmentId: string, event: NewTrackingEvent, now: string): unknown[] {
  return [
    newId(),
    storeId,
    shipmentId,
    event.occurredAt,
    event.occurredAtLocal,
    toFlag(event.timeZoneInferred),
    event.sequence,
    event.status,
    event.substatus,
    event.reason,
    event.description,
    event.location?.city ?? null,
    event.location?.region ?? null,
    event.location?.postalCode ?? null,
    event.location?.country ?? null,
    event.rawCode,
    event.rawStatus,
    event.source,
    event.dedupeKey,
    now,
  ];
}

/** A carrier scan batch: `size` in-transit facility scans a minute apart, each with its own dedupe key. */
export function makeEventBatch(batch: number, size: number, startMs: number): NewTrackingEvent[] {
  return Array.from({ length: size }, (_, i) => ({
    occurredAt: new Date(startMs + i * 60_000 + (batch % 1000)).toISOString(),
    occurredAtLocal: null,
    timeZoneInferred: false,
    sequence: null,
    status: 'in_transit',
    substatus: 'arrived_at_facility',
    reason: null,
    description: 'Arrived at facility',
    location: { city: 'Lyon', region: null, postalCode: '69001', country: 'FR' },
    rawCode: 'AF',
    rawStatus: 'ARRIVED AT FACILITY',
    source: 'carrier_api',
    dedupeKey: `ups:b${batch}:e${i}`,
  }));
}

export type Batch = { shipmentId: string; events: NewTrackingEvent[] };

/** Applies batches one transaction each; returns rows inserted. */
export type PathRunner = (batches: Batch[]) => Promise<number>;

/**
 * The raw-driver baseline: each batch in its own transaction, `INSERT … ON
 * CONFLICT (shipment_id, dedupe_key) DO NOTHING`, so events a shipment already
 * has are skipped exactly as the repository skips them. Batches may differ in
 * size (carriers resend their whole history, so a poll grows with every scan).
 */
export function rawRunner(raw: RawConnection, storeId: string): PathRunner {
  const columns = EVENT_COLUMNS.join(', ');
  const conflict = 'on conflict (shipment_id, dedupe_key) do nothing';
  if (raw.dialect === 'sqlite') {
    // Prepared once, one run per row, one transaction per batch: the fastest plain better-sqlite3 idiom.
    const insert = raw.db.prepare<unknown[]>(
      `insert into tracking_event (${columns}) values (${EVENT_COLUMNS.map(() => '?').join(', ')}) ${conflict}`,
    );
    const applyBatch = raw.db.transaction((shipmentId: string, events: NewTrackingEvent[], now: string) => {
      let inserted = 0;
      for (const event of events) inserted += insert.run(...eventValues(storeId, shipmentId, event, now)).changes;
      return inserted;
    });
    return (batches) => {
      let inserted = 0;
      // BEGIN IMMEDIATE, as the production driver does.
      for (const batch of batches)
        inserted += applyBatch.immediate(batch.shipmentId, batch.events, new Date().toISOString());
      return Promise.resolve(inserted);
    };
  }
  // PostgreSQL: per-row statements would pay one round trip per row, so the
  // fair raw baseline is one named prepared multi-row INSERT per batch (one
  // prepared statement per batch size), between BEGIN and COMMIT on a single
  // dedicated client.
  const client = raw.client;
  const texts = new Map<number, string>();
  const textFor = (rows: number): string => {
    let text = texts.get(rows);
    if (text === undefined) {
      const tuples = Array.from(
        { length: rows },
        (_, r) => `(${EVENT_COLUMNS.map((_c, c) => `$${r * EVENT_COLUMNS.length + c + 1}`).join(', ')})`,
      );
      text = `insert into tracking_event (${columns}) values ${tuples.join(', ')} ${conflict}`;
      texts.set(rows, text);
    }
    return text;
  };
  return async (batches) => {
    let inserted = 0;
    for (const batch of batches) {
      const now = new Date().toISOString();
      await client.query('begin');
      const result = await client.query({
        name: `bench_events_${batch.events.length}`,
        text: textFor(batch.events.length),
        values: batch.events.flatMap((event) => eventValues(storeId, batch.shipmentId, event, now)),
      });
      await client.query('commit');
      inserted += result.rowCount ?? 0;
    }
    return inserted;
  };
}

function appendEventsRunner(database: BenchDatabase, storeId: string): PathRunner {
  const storage = database.storage;
  return async (batches) => {
    let inserted = 0;
    for (const batch of batches) {
      const now = new Date().toISOString();
      inserted += await storage.transaction((repositories) =>
        repositories.events.appendEvents(storeId, batch.shipmentId, batch.events, now),
      );
    }
    return inserted;
  };
}

function recordTrackingEventsRunner(database: BenchDatabase, storeId: string): PathRunner {
  const clock: Clock = { now: () => new Date().toISOString() };
  const deps = { uow: database.storage, clock };
  return async (batches) => {
    let inserted = 0;
    for (const batch of batches) {
      const outcome = await recordTrackingEvents(deps, {
        storeId,
        shipmentId: batch.shipmentId,
        events: batch.events,
        cause: 'poll',
      });
      inserted += outcome.newEvents;
    }
    return inserted;
  };
}

const LABELS: Record<EventPathName, (dialect: DialectName) => string> = {
  raw: (dialect) => (dialect === 'sqlite' ? 'raw better-sqlite3 (baseline)' : 'raw pg client (baseline)'),
  appendEvents: () => 'events.appendEvents',
  recordTrackingEvents: () => 'recordTrackingEvents use case',
};

type Contestant = { name: EventPathName; database: BenchDatabase; shipmentIds: string[]; run: PathRunner };

export async function runEventsBenchmark(dialect: DialectName, options: EventsOptions): Promise<EventsResult> {
  const rounds = options.warmup + options.reps;
  const shipmentCount = rounds * options.batchesPerRep;
  const rowsPerRep = options.batchesPerRep * options.batchSize;
  const now = new Date().toISOString();
  const eventStart = Date.parse(now) - 2 * 86_400_000;

  // The same event batches for every path: round r, batch b uses batches[r * batchesPerRep + b].
  const eventBatches = Array.from({ length: shipmentCount }, (_, i) =>
    makeEventBatch(i, options.batchSize, eventStart),
  );

  const names: EventPathName[] = ['raw', 'appendEvents', 'recordTrackingEvents'];
  const contestants: Contestant[] = [];
  const databases: BenchDatabase[] = [];
  try {
    for (const name of names) {
      const database = await createBenchDatabase(
        dialect,
        options.postgresUrl ? { postgresUrl: options.postgresUrl } : {},
      );
      databases.push(database);
      const store = await database.storage.repositories.stores.createStore(
        { name: 'Bench Shop', platform: 'api' },
        now,
      );
      const seeded = await seedOrdersAndShipments(database.raw, {
        storeId: store.id,
        now,
        active: shipmentCount,
        due: 0,
        delivered: 0,
        shipmentsPerOrder: 10,
        activeStatus: 'pending',
        keepActiveIds: true,
      });
      const run =
        name === 'raw'
          ? rawRunner(database.raw, store.id)
          : name === 'appendEvents'
            ? appendEventsRunner(database, store.id)
            : recordTrackingEventsRunner(database, store.id);
      contestants.push({ name, database, shipmentIds: seeded.activeIds, run });
    }
    options.log(
      `  seeded ${shipmentCount.toLocaleString('en-US')} shipments per path; ` +
        `${rounds} rounds (${options.warmup} warm-up) of ${rowsPerRep.toLocaleString('en-US')} rows`,
    );

    const samples = new Map<EventPathName, number[]>(names.map((n) => [n, []]));
    for (let round = 0; round < rounds; round += 1) {
      const offset = round * options.batchesPerRep;
      // Rotate who goes first, so no path always runs on a warmer or cooler machine.
      const order = contestants.map((_, i) => contestants[(i + round) % contestants.length]!);
      for (const contestant of order) {
        const batches = Array.from({ length: options.batchesPerRep }, (_, b) => ({
          shipmentId: contestant.shipmentIds[offset + b]!,
          events: eventBatches[offset + b]!,
        }));
        const started = performance.now();
        const inserted = await contestant.run(batches);
        const ms = performance.now() - started;
        if (inserted !== rowsPerRep) {
          throw new Error(`${contestant.name} inserted ${inserted} rows in round ${round}, expected ${rowsPerRep}`);
        }
        if (round >= options.warmup) samples.get(contestant.name)!.push(ms);
      }
    }

    // Every row really landed, once.
    for (const contestant of contestants) {
      const count = await countEvents(contestant.database.raw);
      if (count !== rounds * rowsPerRep) {
        throw new Error(`${contestant.name}: ${count} tracking_event rows, expected ${rounds * rowsPerRep}`);
      }
    }

    const rate = (ms: number): number => (rowsPerRep / ms) * 1000;
    const summaries = names.map((name) => ({ name, ms: summarize(samples.get(name)!) }));
    const rawRate = rate(summaries[0]!.ms.median);
    return {
      dialect,
      batchSize: options.batchSize,
      batchesPerRep: options.batchesPerRep,
      rowsPerRep,
      warmup: options.warmup,
      reps: options.reps,
      paths: summaries.map(({ name, ms }) => ({
        path: name,
        label: LABELS[name](dialect),
        ms,
        rowsPerSecond: { median: rate(ms.median), p95: rate(ms.p95) },
        ratioToRaw: rate(ms.median) / rawRate,
      })),
    };
  } finally {
    for (const database of databases) await database.dispose();
  }
}

async function countEvents(raw: RawConnection): Promise<number> {
  if (raw.dialect === 'sqlite') {
    return (raw.db.prepare('select count(*) as n from tracking_event').get() as { n: number }).n;
  }
  const result = await raw.client.query<{ n: string }>('select count(*) as n from tracking_event');
  return Number(result.rows[0]?.n ?? 0);
}
