import { applyTrackingOutcome, toNewTrackingEvents } from '../app/apply-tracking-outcome.js';
import { recordTrackingEvents } from '../app/record-tracking-events.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { NewTrackingEvent } from '../core/ports/storage.port.js';
import type { ShippingStatus, Substatus } from '../core/shipment/shipping-status.js';
import type { NormalizedEvent, TrackingOutcome } from '../core/tracking/tracking-result.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { rawRunner, type Batch, type PathRunner } from './apply-events.js';
import { createBenchDatabase, type BenchDatabase, type RawConnection } from './databases.js';
import { seedOrdersAndShipments } from './seed.js';

/**
 * (d) Applying 100,000 events to 10,000 shipments (Waymark issue 3): every
 * shipment gets a 10-scan journey, from label to delivery, that arrives in
 * `polls` carrier answers. Each answer is the carrier's whole history so far
 * (as UPS, FedEx and the aggregators send it), so poll p carries 2p events of
 * which 2 are new and the rest are repeats that deduplication must skip.
 *
 * Three paths, each on its own fresh database with the same seeded shipments:
 * - raw: the raw-driver baseline of benchmark (a), fed the same rows (dedupe
 *   keys included) poll by poll, one transaction per poll;
 * - recordTrackingEvents: the use case, fed the same rows;
 * - applyTrackingOutcome: what a poll or a webhook runs, fed the carrier's
 *   `TrackingOutcome` (it derives the dedupe keys itself and keeps the
 *   carrier facts: tracker state, estimated delivery, signature).
 * Polls go in order (all shipments get poll 1, then poll 2…), in chunks of
 * shipments; within a chunk the paths run one after another, rotating which
 * goes first, so drift on a shared machine hits all of them alike.
 */

export type PollPathName = 'raw' | 'recordTrackingEvents' | 'applyTrackingOutcome';

export type PollPathResult = {
  path: PollPathName;
  label: string;
  /** Wall time of all polls, ms (sum of the timed chunks). */
  totalMs: number;
  /** New events (rows inserted) per second over the whole run. */
  newEventsPerSecond: number;
  /** Events delivered per second, repeats included (what the carrier sent). */
  deliveredPerSecond: number;
  /** Mean milliseconds per call (one shipment, one poll). */
  msPerCall: number;
  /** Mean ms per call in each poll, poll 1 first. */
  msPerCallByPoll: number[];
  /** newEventsPerSecond of this path ÷ that of raw. */
  ratioToRaw: number;
};

export type PollsResult = {
  dialect: DialectName;
  shipments: number;
  eventsPerShipment: number;
  polls: number;
  newEvents: number;
  deliveredEvents: number;
  chunkSize: number;
  seedSeconds: number;
  paths: PollPathResult[];
};

export type PollsOptions = {
  shipments: number;
  /** Extra shipments that get all polls first, untimed, so the JIT and the caches are warm. */
  warmupShipments: number;
  /** Shipments per timed chunk. */
  chunkSize: number;
  postgresUrl?: string;
  log: (line: string) => void;
};

export const EVENTS_PER_SHIPMENT = 10;
export const POLLS = 5;
const CARRIER = 'ups';

type Scan = {
  status: ShippingStatus;
  substatus: Substatus;
  rawCode: string;
  rawStatus: string;
  hoursAfterLabel: number;
  city: string;
  region: string;
  postalCode: string;
  description: string;
};

function scan(
  [status, substatus]: [ShippingStatus, Substatus],
  [rawCode, rawStatus]: [string, string],
  hoursAfterLabel: number,
  [city, region, postalCode]: [string, string, string],
  description: string,
): Scan {
  return { status, substatus, rawCode, rawStatus, hoursAfterLabel, city, region, postalCode, description };
}

/** A UPS Ground journey: label, pickup, hubs, destination depot, out for delivery, delivered. */
const JOURNEY: readonly Scan[] = [
  scan(['info_received', 'label_created'], ['MP', 'M'], 0, ['Austin', 'TX', '78701'], 'Shipper created a label'),
  scan(['in_transit', 'picked_up'], ['PU', 'I'], 6, ['Austin', 'TX', '78701'], 'Pickup Scan'),
  scan(['in_transit', 'departed_facility'], ['DP', 'I'], 11, ['Austin', 'TX', '78744'], 'Departed from Facility'),
  scan(['in_transit', 'arrived_at_facility'], ['AR', 'I'], 16, ['Dallas', 'TX', '75261'], 'Arrived at Facility'),
  scan(
    ['in_transit', 'processed_at_facility'],
    ['OR', 'I'],
    18,
    ['Dallas', 'TX', '75261'],
    'Processing at UPS Facility',
  ),
  scan(['in_transit', 'departed_facility'], ['DP', 'I'], 22, ['Dallas', 'TX', '75261'], 'Departed from Facility'),
  scan(['in_transit', 'arrived_at_facility'], ['AR', 'I'], 30, ['Tulsa', 'OK', '74107'], 'Arrived at Facility'),
  scan(['in_transit', 'at_local_delivery_depot'], ['DS', 'I'], 34, ['Tulsa', 'OK', '74107'], 'Destination Scan'),
  scan(['out_for_delivery', 'out_for_delivery'], ['OT', 'I'], 40, ['Tulsa', 'OK', '74107'], 'Out For Delivery Today'),
  scan(['delivered', 'delivered'], ['KB', 'D'], 46, ['Tulsa', 'OK', '74103'], 'DELIVERED'),
];
if (JOURNEY.length !== EVENTS_PER_SHIPMENT) throw new Error('the journey must have EVENTS_PER_SHIPMENT scans');

/** The carrier's normalised events for one shipment, oldest first; times differ per shipment by minutes. */
export function journeyEvents(shipmentIndex: number, labelMs: number): NormalizedEvent[] {
  const start = labelMs + (shipmentIndex % 600) * 60_000;
  return JOURNEY.map((scan) => {
    const at = new Date(start + scan.hoursAfterLabel * 3_600_000);
    return {
      occurredAt: at.toISOString(),
      // UPS gives local date and time without a zone; the normaliser infers the zone.
      occurredAtLocal: at.toISOString().slice(0, 19),
      timeZoneInferred: true,
      sequence: null,
      status: scan.status,
      substatus: scan.substatus,
      reason: null,
      description: scan.description,
      location: { city: scan.city, region: scan.region, postalCode: scan.postalCode, country: 'US' },
      rawCode: scan.rawCode,
      rawStatus: scan.rawStatus,
    };
  });
}

/** Events the carrier sends at poll p (1-based): its whole history so far, newest first. */
function pollSlice<T>(history: readonly T[], poll: number): T[] {
  const known = Math.min(history.length, Math.ceil((history.length * poll) / POLLS));
  return history.slice(0, known).reverse();
}

function outcomeFor(
  trackingNumber: string,
  history: readonly NormalizedEvent[],
  poll: number,
  deliveredPoll: boolean,
): TrackingOutcome {
  const events = pollSlice(history, poll);
  const newest = events[0]!;
  return {
    kind: 'found',
    result: {
      carrier: CARRIER,
      trackingNumber,
      status: newest.status,
      substatus: newest.substatus,
      reason: null,
      estimatedDelivery: history[history.length - 1]!.occurredAt.slice(0, 10),
      deliveredAt: deliveredPoll ? newest.occurredAt : null,
      signedBy: deliveredPoll ? 'FRONT DOOR' : null,
      service: 'UPS Ground',
      events,
    },
  };
}

/** One chunk of one poll for one path: returns the rows it inserted. */
type ChunkRunner = (poll: number, shipments: readonly number[]) => Promise<number>;

type Contestant = { name: PollPathName; database: BenchDatabase; shipmentIds: string[]; run: ChunkRunner };

const LABELS: Record<PollPathName, (dialect: DialectName) => string> = {
  raw: (dialect) => (dialect === 'sqlite' ? 'raw better-sqlite3 (baseline)' : 'raw pg client (baseline)'),
  recordTrackingEvents: () => 'recordTrackingEvents use case',
  applyTrackingOutcome: () => 'applyTrackingOutcome use case',
};

export async function runPollsBenchmark(dialect: DialectName, options: PollsOptions): Promise<PollsResult> {
  const now = new Date().toISOString();
  const labelMs = Date.parse(now) - 3 * 86_400_000;
  const seeded = options.shipments + options.warmupShipments;
  const histories = Array.from({ length: seeded }, (_, i) => journeyEvents(i, labelMs));
  // The rows the raw and recordTrackingEvents paths get: exactly what applyTrackingOutcome derives.
  const rows: NewTrackingEvent[][] = histories.map((events) =>
    toNewTrackingEvents(
      {
        carrier: CARRIER,
        trackingNumber: '',
        status: 'pending',
        substatus: 'registered',
        reason: null,
        estimatedDelivery: null,
        deliveredAt: null,
        signedBy: null,
        service: null,
        events,
      },
      'carrier_api',
    ),
  );
  const clock: Clock = { now: () => new Date().toISOString() };

  const names: PollPathName[] = ['raw', 'recordTrackingEvents', 'applyTrackingOutcome'];
  const databases: BenchDatabase[] = [];
  const contestants: Contestant[] = [];
  let seedMs = 0;
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
      const seededShipments = await seedOrdersAndShipments(database.raw, {
        storeId: store.id,
        now,
        active: seeded,
        due: 0,
        delivered: 0,
        shipmentsPerOrder: 1,
        activeStatus: 'pending',
        keepActiveIds: true,
      });
      seedMs += seededShipments.ms;
      const ids = seededShipments.activeIds;
      const deps = { uow: database.storage, clock };
      let run: ChunkRunner;
      if (name === 'raw') {
        const raw: PathRunner = rawRunner(database.raw, store.id);
        run = (poll, shipments) =>
          raw(shipments.map((s): Batch => ({ shipmentId: ids[s]!, events: pollSlice(rows[s]!, poll) })));
      } else if (name === 'recordTrackingEvents') {
        run = async (poll, shipments) => {
          let inserted = 0;
          for (const s of shipments) {
            const outcome = await recordTrackingEvents(deps, {
              storeId: store.id,
              shipmentId: ids[s]!,
              events: pollSlice(rows[s]!, poll),
              cause: 'poll',
            });
            inserted += outcome.newEvents;
          }
          return inserted;
        };
      } else {
        run = async (poll, shipments) => {
          let inserted = 0;
          for (const s of shipments) {
            const applied = await applyTrackingOutcome(
              deps,
              { id: ids[s]!, storeId: store.id },
              outcomeFor(`1ZBENCH${String(s).padStart(10, '0')}`, histories[s]!, poll, poll === POLLS),
              { cause: 'poll', source: 'carrier_api' },
            );
            if (applied.kind !== 'recorded') throw new Error(`applyTrackingOutcome answered ${applied.kind}`);
            inserted += applied.record.newEvents;
          }
          return inserted;
        };
      }
      contestants.push({ name, database, shipmentIds: ids, run });
    }
    const newPerPoll = (poll: number): number =>
      Math.ceil((EVENTS_PER_SHIPMENT * poll) / POLLS) - Math.ceil((EVENTS_PER_SHIPMENT * (poll - 1)) / POLLS);
    options.log(
      `  seeded ${seeded.toLocaleString('en-US')} pending shipments per path in ${(seedMs / 1000).toFixed(1)} s ` +
        `(${options.warmupShipments} for warm-up); ${POLLS} polls in chunks of ${options.chunkSize.toLocaleString('en-US')}`,
    );
    // Warm-up: the last shipments get every poll, untimed.
    const warmup = Array.from({ length: options.warmupShipments }, (_, i) => options.shipments + i);
    for (let poll = 1; poll <= POLLS && warmup.length > 0; poll += 1) {
      for (const contestant of contestants) await contestant.run(poll, warmup);
    }

    const byPoll = new Map<PollPathName, number[]>(names.map((n) => [n, Array<number>(POLLS).fill(0)]));
    let chunkIndex = 0;
    for (let poll = 1; poll <= POLLS; poll += 1) {
      for (let first = 0; first < options.shipments; first += options.chunkSize) {
        const shipments = Array.from(
          { length: Math.min(options.chunkSize, options.shipments - first) },
          (_, i) => first + i,
        );
        const expected = shipments.length * newPerPoll(poll);
        const order = contestants.map((_, i) => contestants[(i + chunkIndex) % contestants.length]!);
        chunkIndex += 1;
        for (const contestant of order) {
          const started = performance.now();
          const inserted = await contestant.run(poll, shipments);
          byPoll.get(contestant.name)![poll - 1]! += performance.now() - started;
          if (inserted !== expected) {
            throw new Error(
              `${contestant.name} inserted ${inserted} rows in a chunk of poll ${poll}, expected ${expected}`,
            );
          }
        }
      }
      const line = contestants
        .map((c) => `${c.name} ${((byPoll.get(c.name)![poll - 1]! * 1000) / options.shipments).toFixed(0)} µs/call`)
        .join(', ');
      options.log(`  poll ${poll}: ${line}`);
    }

    const total = options.shipments * EVENTS_PER_SHIPMENT;
    const stored = seeded * EVENTS_PER_SHIPMENT;
    const delivered = Array.from({ length: POLLS }, (_, p) => pollSlice(rows[0]!, p + 1).length).reduce(
      (a, b) => a + b,
      0,
    );
    for (const contestant of contestants) {
      const counts = await countRows(contestant.database.raw);
      if (counts.events !== stored) {
        throw new Error(`${contestant.name}: ${counts.events} tracking_event rows, expected ${stored}`);
      }
      if (contestant.name !== 'raw' && counts.delivered !== seeded) {
        throw new Error(`${contestant.name}: ${counts.delivered} delivered shipments, expected ${seeded}`);
      }
    }

    const totals = names.map((name) => byPoll.get(name)!.reduce((a, b) => a + b, 0));
    const rawRate = (total / totals[0]!) * 1000;
    return {
      dialect,
      shipments: options.shipments,
      eventsPerShipment: EVENTS_PER_SHIPMENT,
      polls: POLLS,
      newEvents: total,
      deliveredEvents: delivered * options.shipments,
      chunkSize: options.chunkSize,
      seedSeconds: seedMs / 1000,
      paths: names.map((name, i) => {
        const ms = totals[i]!;
        return {
          path: name,
          label: LABELS[name](dialect),
          totalMs: ms,
          newEventsPerSecond: (total / ms) * 1000,
          deliveredPerSecond: ((delivered * options.shipments) / ms) * 1000,
          msPerCall: ms / (options.shipments * POLLS),
          msPerCallByPoll: byPoll.get(name)!.map((pollMs) => pollMs / options.shipments),
          ratioToRaw: ((total / ms) * 1000) / rawRate,
        };
      }),
    };
  } finally {
    for (const database of databases) await database.dispose();
  }
}

async function countRows(raw: RawConnection): Promise<{ events: number; delivered: number }> {
  const eventsSql = 'select count(*) as n from tracking_event';
  const deliveredSql = "select count(*) as n from shipment where status = 'delivered'";
  if (raw.dialect === 'sqlite') {
    const events = (raw.db.prepare(eventsSql).get() as { n: number }).n;
    const delivered = (raw.db.prepare(deliveredSql).get() as { n: number }).n;
    return { events, delivered };
  }
  const events = await raw.client.query<{ n: string }>(eventsSql);
  const delivered = await raw.client.query<{ n: string }>(deliveredSql);
  return { events: Number(events.rows[0]?.n ?? 0), delivered: Number(delivered.rows[0]?.n ?? 0) };
}
