import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

import { LinkSigner } from '../adapters/auth/signed-link.js';
import { migrateToLatest, openDatabase } from '../storage/create-database.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { parseSecretKey, SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';
import { processCpuMs, startChild } from './child-process.js';
import {
  applyProductionPragmas,
  benchDatabaseName,
  databaseUrl,
  onAdmin,
  track,
  untrack,
  type Disposable,
  type RawConnection,
} from './databases.js';
import { measureTrackingBreakdown, type BreakdownPart } from './tracking-breakdown.js';
import { loadAverage } from './machine.js';
import { mulberry32, seedOrdersAndShipments, seedTrackingEvents, type EventSeedShipment } from './seed.js';
import { median, summariseAnswers } from './stats.js';

/**
 * Tracking page (Waymark issues 6 and 8): requests per second of the
 * customer's tracking page, opened by its signed link (`GET /t/{token}`), from
 * a real Waymark server (`waymark serve`, HTTP only) on a database (a SQLite
 * file, or a fresh PostgreSQL database) holding one store with 1,000,000
 * orders, against a bare Fastify route serving a static page of the same size
 * with the same headers, in the same run. A second Waymark server on a
 * 10,000-order database shows the growth with the table size, and the look-up
 * form (`POST /track/{slug}` with the order number and the email) is measured
 * as a further Waymark variant.
 *
 * Each request comes from a distinct client address (X-Forwarded-For, with
 * WAYMARK_TRUST_PROXY=true), as real customers do: from one address the
 * per-client limits would answer 429. Any non-2xx answer is counted and
 * reported.
 *
 * Runs alternate in mirrored order (A B C D, D C B A, …) so drift on a shared
 * machine hits every target alike; the result is the median of each target's
 * runs and the ratio of the medians to the bare route's.
 */

export type TrackingTargetKind = 'bare' | 'link' | 'lookup';

export type TrackingTarget = {
  id: string;
  kind: TrackingTargetKind;
  /** Orders in the database (the bare route reads none: 0). */
  orders: number;
  label: string;
};

export type TrackingRun = {
  target: string;
  /** 0 for the warm-up, then 1, 2, … */
  round: number;
  /** Requests per second the load generator was held to; null: as fast as the server answers. */
  pacedRate: number | null;
  seconds: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  okPerSecond: number;
  /** 2xx latencies, ms. */
  latency: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  /** 1-minute load average when the run ended. */
  load1: number;
  /** CPU time the server process used during the run (user + system, from /proc), per 2xx answer, ms. */
  serverCpuMsPerAnswer: number;
  /**
   * PostgreSQL: CPU time of the database's client backends during the run (from /proc, so only with the
   * server on this machine), per 2xx answer, ms; NaN when it could not be read. Null on SQLite, whose reads
   * run inside the server process and count in `serverCpuMsPerAnswer`.
   */
  databaseCpuMsPerAnswer: number | null;
};

export type TrackingDatabase = {
  /** The SQLite file, or the PostgreSQL database's name. */
  location: string;
  orders: number;
  shipments: number;
  /** Orders whose pages are requested; only their shipments have tracking events. */
  sampledOrders: number;
  events: number;
  /**
   * `upkeep`: what a running installation would have done by then, so that it does not happen under load:
   * on SQLite the WAL checkpoint and an fsync of the file, on PostgreSQL VACUUM ANALYZE and a CHECKPOINT.
   */
  seedSeconds: { ordersAndShipments: number; events: number; upkeep: number; total: number };
  /** The SQLite file's size, or `pg_database_size` on PostgreSQL. */
  sizeBytes: number;
};

export type TrackingSummary = {
  okPerSecond: number;
  p50: number;
  p99: number;
  runs: number;
  non2xx: number;
  errors: number;
  /** Median of the runs' server CPU ms per 2xx answer. */
  serverCpuMsPerAnswer: number;
  /** Median of the runs' PostgreSQL backend CPU ms per 2xx answer; null on SQLite. */
  databaseCpuMsPerAnswer: number | null;
  /** The run at a fixed, modest rate: latency without queueing behind a saturated server. */
  paced: { rate: number; okPerSecond: number; p50: number; p99: number; non2xx: number; errors: number } | null;
};

export type TrackingResult = {
  dialect: DialectName;
  connections: number;
  secondsPerRun: number;
  warmupSeconds: number;
  rounds: number;
  eventsPerShipment: number;
  databases: TrackingDatabase[];
  targets: TrackingTarget[];
  /** Sizes of Waymark's answers over a sample of orders, bytes (body only), and of its response headers. */
  page: {
    link: { min: number; median: number; max: number };
    lookup: { min: number; median: number; max: number } | null;
    headerBytes: number;
    /** The response headers the bare route copies from a Waymark answer (all but date, connection and length). */
    bareHeaders: Record<string, string>;
    /** The bare route's static page: the median Waymark link page at the largest size. */
    bareBytes: number;
  };
  runs: TrackingRun[];
  summary: Record<string, TrackingSummary>;
  /** Median target 2xx/s ÷ median bare 2xx/s. */
  ratios: Record<string, number>;
  /** Signed-link page at the smallest size ÷ at the largest (req/s), when two sizes ran. */
  growth: { from: number; to: number; okPerSecondRatio: number; p99Ratio: number } | null;
  /** Lines at warn level or above the Waymark servers logged up to the end of the last run. */
  serverWarnings: number;
  /**
   * Those they logged while stopping (SIGTERM right after the last run, with the load generator's last requests
   * cut off in flight): kept apart, as they say nothing of the pages measured.
   */
  shutdownWarnings: number;
  serverLogTail: string[];
  /** With --tracking-cpu-prof: where each Waymark server spent its CPU. */
  profiles: ProfileSummary[];
  /**
   * CPU per call of each part of the signed-link page, in this process, on each database. On PostgreSQL the
   * database's own work runs in its server processes and is not counted, and the raw-driver parts are left out.
   */
  breakdown: { orders: number; parts: BreakdownPart[] }[];
};

export type TrackingOptions = {
  /** Order counts; a Waymark server per size. */
  sizes: number[];
  /** Orders whose pages are requested (and that get tracking events), per size, at most the size. */
  sampleOrders: number;
  eventsPerShipment: number;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  /** Requests per second of one extra run per target for latency below saturation; 0 for none. */
  pacedRate: number;
  /** Also measure the look-up form (POST) at the largest size. */
  lookup: boolean;
  /** Directory for V8 CPU profiles of the Waymark servers; none when undefined. */
  cpuProfileDir?: string;
  /** The PostgreSQL server to create the databases on; needed for `postgres`. */
  postgresUrl?: string;
  log: (line: string) => void;
};

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./tracking-bare-server.js', import.meta.url));
/** Fixed, so the links signed here are the links the server accepts (base64 of 32 bytes, as an operator sets it). */
const SECRET_KEY = createHash('sha256').update('waymark tracking-page benchmark').digest().toString('base64');
const STORE_SLUG = 'bench-outfitters';
const LINK_DAYS = 90;
const DAY = 86_400_000;
/** The post-seed upkeep and what the database's size is, for the log. */
const UPKEEP = { sqlite: 'checkpoint and fsync', postgres: 'VACUUM ANALYZE and CHECKPOINT' } as const;
const SIZE_OF = { sqlite: 'file', postgres: 'database' } as const;
/** Calls per part of the in-process breakdown (and as many warm-up calls). */
const BREAKDOWN_CALLS = 1000;
/** Browser-like request headers, the same for every target. */
const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-GB,en;q=0.9',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
};
/** Hop-by-hop and per-response headers that Fastify sets itself. */
const SKIPPED_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

// ---------------------------------------------------------------------------
// Seeding

type SampledOrder = {
  orderId: string;
  number: string;
  email: string;
  token: string;
};

/** One size's database: the SQLite file or the PostgreSQL database's name, and the URL Waymark opens it with. */
type SizeDatabase = { dialect: DialectName; location: string; url: string };

type SeededDatabase = { target: SizeDatabase; storeId: string; sample: SampledOrder[]; info: TrackingDatabase };

/** A fresh, empty database for one size; on PostgreSQL, `cleanups` gets its drop. */
async function createSizeDatabase(
  dialect: DialectName,
  orders: number,
  dir: string,
  postgresUrl: string | undefined,
  cleanups: (() => Promise<void>)[],
): Promise<SizeDatabase> {
  if (dialect === 'sqlite') {
    const path = join(dir, `tracking-${orders}.db`);
    return { dialect, location: path, url: `sqlite:${path}` };
  }
  if (!postgresUrl) throw new Error('WAYMARK_BENCH_POSTGRES_URL is not set');
  const name = benchDatabaseName(`waymark_bench_tracking_${orders}`);
  await onAdmin(postgresUrl, `create database ${name}`);
  cleanups.push(() => onAdmin(postgresUrl, `drop database if exists ${name} with (force)`));
  return { dialect, location: name, url: databaseUrl(postgresUrl, name) };
}

/** A driver connection for seeding: with the production pragmas on SQLite, in UTC on PostgreSQL. */
async function openRaw(database: SizeDatabase): Promise<RawConnection> {
  if (database.dialect === 'sqlite') {
    const db = new BetterSqlite3(database.location);
    applyProductionPragmas(db);
    return { dialect: 'sqlite', db };
  }
  const client = new pg.Client({ connectionString: database.url, options: '-c TimeZone=UTC' });
  await client.connect();
  return { dialect: 'postgres', client };
}

async function closeRaw(raw: RawConnection): Promise<void> {
  if (raw.dialect === 'sqlite') raw.db.close();
  else await raw.client.end();
}

/** A SELECT on either driver, written with `?` placeholders. */
async function select<Row>(raw: RawConnection, text: string, params: unknown[]): Promise<Row[]> {
  if (raw.dialect === 'sqlite') return raw.db.prepare(text).all(...params) as Row[];
  let index = 0;
  const result = await raw.client.query({ text: text.replace(/\?/g, () => `$${(index += 1)}`), values: params });
  return result.rows as Row[];
}

/** The upkeep a running installation would have done by the time its tables are this big, timed, in ms. */
async function upkeep(raw: RawConnection, database: SizeDatabase): Promise<number> {
  const started = performance.now();
  if (raw.dialect === 'sqlite') {
    raw.db.pragma('wal_checkpoint(TRUNCATE)');
    // Written to disk before any load: otherwise the kernel's write-back of a 1.7 GiB file competes with the
    // largest database's server (and only that one) during the first runs.
    const file = openSync(database.location, 'r+');
    try {
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
  } else {
    // The planner's statistics and the visibility map that autovacuum would have made after a bulk load, then
    // its dirty pages written out, so that neither autovacuum nor a checkpoint of the seeding runs under load.
    await raw.client.query('vacuum analyze');
    await raw.client.query('checkpoint');
  }
  return performance.now() - started;
}

async function databaseBytes(raw: RawConnection, database: SizeDatabase): Promise<number> {
  if (raw.dialect === 'sqlite') return statSync(database.location).size;
  const [row] = await select<{ bytes: string }>(raw, 'select pg_database_size(current_database()) as bytes', []);
  return Number(row?.bytes);
}

/** Migrates the database and creates the store through the storage layer; returns the store's id. */
async function createStore(database: SizeDatabase): Promise<string> {
  const opened = openDatabase(database.url);
  const storage = Storage.fromDatabase(opened.db, opened.dialect, new SecretBox(parseSecretKey(SECRET_KEY)));
  try {
    await migrateToLatest(opened.db, opened.dialect);
    const store = await storage.repositories.stores.createStore(
      {
        name: 'Bench Outfitters',
        platform: 'api',
        slug: STORE_SLUG,
        locale: 'en',
        timeZone: 'Europe/Paris',
        branding: {
          displayName: 'Bench Outfitters',
          logoUrl: 'https://cdn.example.com/bench-outfitters/logo.png',
          primaryColor: '#1f4e79',
          accentColor: '#f2a900',
          supportEmail: 'help@bench-outfitters.example',
          supportUrl: 'https://bench-outfitters.example/help',
        },
      },
      new Date().toISOString(),
    );
    return store.id;
  } finally {
    await storage.close();
  }
}

/** `count` distinct integers below `bound`, in random order (Floyd's algorithm). */
function distinctIndexes(count: number, bound: number, random: () => number): number[] {
  const chosen = new Set<number>();
  for (let j = bound - count; j < bound; j += 1) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  const shuffled = [...chosen];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}

async function seedDatabase(
  database: SizeDatabase,
  orders: number,
  options: TrackingOptions,
  signer: LinkSigner,
): Promise<SeededDatabase> {
  const storeId = await createStore(database);
  const raw = await openRaw(database);
  try {
    const now = new Date().toISOString();
    // Half the orders delivered long ago, half on their way; a few of those due for a carrier poll.
    const active = Math.floor(orders / 2);
    const seeded = await seedOrdersAndShipments(raw, {
      storeId,
      now,
      active,
      due: Math.floor(active / 100),
      delivered: orders - active,
      shipmentsPerOrder: 1,
      activeStatus: 'in_transit',
    });
    // Without statistics after the bulk load, PostgreSQL plans the sample look-ups below as parallel
    // sequential scans (about 40 ms each at 1M orders: 7 minutes for the sample); with them, index scans.
    if (raw.dialect === 'postgres') await raw.client.query('analyze sales_order, shipment');

    const sampleSize = Math.min(options.sampleOrders, orders);
    const random = mulberry32(6_000_000 + orders);
    const expiresAt = new Date(Date.now() + LINK_DAYS * DAY);
    const sample: SampledOrder[] = [];
    const shipments: EventSeedShipment[] = [];
    for (const index of distinctIndexes(sampleSize, seeded.orders, random)) {
      // seedOrdersAndShipments numbers order i as #(100000 + i), with number_key "100000 + i".
      const rows = await select<{
        orderId: string;
        number: string;
        email: string;
        shipmentId: string;
        status: string;
        // ISO text on SQLite, a Date from pg's default parsers on PostgreSQL.
        shipped: string | Date;
        delivered: string | Date | null;
      }>(
        raw,
        `select o.id as "orderId", o.number, o.customer_email as email, s.id as "shipmentId", s.status,
                s.shipped_at as shipped, s.delivered_at as delivered
           from sales_order o join shipment s on s.order_id = o.id
          where o.store_id = ? and o.number_key = ?`,
        [storeId, String(100_000 + index)],
      );
      const first = rows[0];
      if (!first) throw new Error(`seeded order ${index} not found`);
      sample.push({
        orderId: first.orderId,
        number: first.number,
        email: first.email,
        token: signer.sign({ kind: 'track', storeId, orderId: first.orderId }, expiresAt),
      });
      for (const row of rows) {
        const delivered = row.status === 'delivered';
        const shipped = new Date(row.shipped).toISOString();
        const lastAt =
          delivered && row.delivered !== null
            ? new Date(row.delivered).toISOString()
            : new Date(Date.now() - 3_600_000).toISOString();
        // Active shipments were created up to 10 days ago; make sure the scans run forwards.
        const firstAt = Date.parse(shipped) < Date.parse(lastAt) ? shipped : lastAt;
        shipments.push({ id: row.shipmentId, delivered, firstAt, lastAt });
      }
    }
    const events = await seedTrackingEvents(raw, {
      storeId,
      now,
      shipments,
      eventsPerShipment: options.eventsPerShipment,
    });
    const upkeepMs = await upkeep(raw, database);
    return {
      target: database,
      storeId,
      sample,
      info: {
        location: database.location,
        orders: seeded.orders,
        shipments: seeded.shipments,
        sampledOrders: sample.length,
        events: events.events,
        seedSeconds: {
          ordersAndShipments: seeded.ms / 1000,
          events: events.ms / 1000,
          upkeep: upkeepMs / 1000,
          total: (seeded.ms + events.ms + upkeepMs) / 1000,
        },
        sizeBytes: await databaseBytes(raw, database),
      },
    };
  } finally {
    await closeRaw(raw);
  }
}

// ---------------------------------------------------------------------------
// Child processes

/** Only what the server needs, nothing of the caller's WAYMARK_* settings. */
function waymarkEnv(database: SizeDatabase, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    WAYMARK_DATA_DIR: dataDir,
    WAYMARK_SECRET_KEY: SECRET_KEY,
    WAYMARK_TRUST_PROXY: 'true',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
  };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[key]) env[key] = process.env[key];
  return env;
}

// ---------------------------------------------------------------------------
// Requests

type PlannedRequest = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };

/** A distinct client address per request: `first`.x.y.z counts up to 16.7 million. */
function clientAddresses(first: number): () => string {
  let sequence = 0;
  return () => {
    sequence += 1;
    return `${first}.${(sequence >>> 16) & 255}.${(sequence >>> 8) & 255}.${sequence & 255}`;
  };
}

function linkRequest(order: SampledOrder, client: string): PlannedRequest {
  return { method: 'GET', path: `/t/${order.token}`, headers: { ...BROWSER_HEADERS, 'x-forwarded-for': client } };
}

function lookupRequest(order: SampledOrder, client: string): PlannedRequest {
  const body = new URLSearchParams({ order: order.number, email: order.email }).toString();
  return {
    method: 'POST',
    path: `/track/${STORE_SLUG}`,
    headers: {
      ...BROWSER_HEADERS,
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': client,
    },
    body,
  };
}

async function load(
  target: TrackingTarget,
  round: number,
  origin: string,
  options: { seconds: number; connections: number; rate: number | null },
  next: () => PlannedRequest,
  serverCpuMs: () => number,
  databaseCpu: BackendCpuMeter | null,
): Promise<TrackingRun> {
  await databaseCpu?.start();
  const cpuBefore = serverCpuMs();
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let sent = 0;
  const run = await new Promise<Omit<TrackingRun, 'databaseCpuMsPerAnswer'>>((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 30,
        ...(options.rate === null ? {} : { overallRate: options.rate }),
        requests: [
          {
            setupRequest: (request) => {
              sent += 1;
              const planned = next();
              return {
                ...request,
                method: planned.method,
                path: planned.path,
                headers: planned.headers,
                ...(planned.body === undefined ? {} : { body: planned.body }),
              };
            },
          },
        ],
      },
      (error: unknown, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`));
          return;
        }
        const { ok, okPerSecond, latency } = summariseAnswers(latencies, statusCodes, result.duration);
        resolve({
          target: target.id,
          round,
          pacedRate: options.rate,
          seconds: result.duration,
          sent,
          ok,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          okPerSecond,
          latency,
          statusCodes,
          load1: loadAverage()[0] ?? Number.NaN,
          serverCpuMsPerAnswer: (serverCpuMs() - cpuBefore) / ok,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const databaseMs = databaseCpu ? await databaseCpu.stop() : null;
  return { ...run, databaseCpuMsPerAnswer: databaseMs === null ? null : databaseMs / run.ok };
}

/** How often the backends' CPU is read during a run: well under pg.Pool's 10 s idle timeout. */
const BACKEND_SAMPLE_MS = 1000;

/**
 * The CPU time (from /proc) of one PostgreSQL database's client backends over a run: the Waymark server's
 * queries cost CPU there, outside its own process. Read every second, so a backend that the pool closes
 * during the run (after 10 s idle) has its time counted up to its last reading, which is all of it.
 * Only measurable when the PostgreSQL server is a process on this machine: otherwise every run reads NaN.
 */
class BackendCpuMeter {
  readonly #monitor: pg.Client;
  readonly #database: string;
  readonly #measurable: boolean;
  readonly #first = new Map<number, number>();
  readonly #last = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> = Promise.resolve();

  constructor(monitor: pg.Client, database: string, measurable: boolean) {
    this.#monitor = monitor;
    this.#database = database;
    this.#measurable = measurable;
  }

  async start(): Promise<void> {
    if (!this.#measurable) return;
    this.#first.clear();
    this.#last.clear();
    await this.#sample(true);
    this.#timer = setInterval(() => {
      this.#sampling = this.#sampling.then(() => this.#sample(false)).catch(() => undefined);
    }, BACKEND_SAMPLE_MS);
  }

  /** CPU ms the backends used since `start`. */
  async stop(): Promise<number> {
    if (!this.#measurable) return Number.NaN;
    clearInterval(this.#timer);
    await this.#sampling;
    await this.#sample(false);
    let total = 0;
    for (const [pid, ms] of this.#last) total += ms - (this.#first.get(pid) ?? 0);
    return total;
  }

  /** Backends that appeared since `start` count from zero; those gone keep their last reading. */
  async #sample(first: boolean): Promise<void> {
    const result = await this.#monitor.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend'",
      [this.#database],
    );
    for (const { pid } of result.rows) {
      const ms = postgresCpuMs(pid);
      // NaN: it exited after the query listed it.
      if (Number.isNaN(ms)) continue;
      if (first) this.#first.set(pid, ms);
      this.#last.set(pid, ms);
    }
  }
}

/** Whether the server behind `monitor` runs on this machine, where /proc shows its backends. */
async function postgresIsLocal(monitor: pg.Client): Promise<boolean> {
  const result = await monitor.query<{ pid: number }>('select pg_backend_pid() as pid');
  const pid = result.rows[0]?.pid;
  return pid !== undefined && !Number.isNaN(postgresCpuMs(pid));
}

/** CPU ms so far of a postgres process on this machine; NaN for any other process id (gone, remote, in a container). */
function postgresCpuMs(pid: number): number {
  try {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') return Number.NaN;
  } catch {
    return Number.NaN;
  }
  return processCpuMs(pid);
}

type Answer = { status: number; body: string; bytes: number; headers: Headers };

async function send(origin: string, request: PlannedRequest): Promise<Answer> {
  const response = await fetch(`${origin}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const buffer = Buffer.from(await response.arrayBuffer());
  return { status: response.status, body: buffer.toString('utf8'), bytes: buffer.length, headers: response.headers };
}

/** Every answer must be a 200 page showing the order asked for; returns the sizes and the last answer. */
async function verify(
  label: string,
  origin: string,
  orders: readonly SampledOrder[],
  build: (order: SampledOrder, client: string) => PlannedRequest,
  client: () => string,
): Promise<{ sizes: { min: number; median: number; max: number }; last: Answer }> {
  const sizes: number[] = [];
  let last: Answer | undefined;
  for (const order of orders) {
    const answer = await send(origin, build(order, client()));
    if (answer.status !== 200) {
      throw new Error(`${label}: order ${order.number} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    if (!answer.body.includes(order.number)) {
      throw new Error(`${label}: the page for order ${order.number} does not show its number`);
    }
    sizes.push(answer.bytes);
    last = answer;
  }
  if (!last) throw new Error(`${label}: no orders to verify`);
  sizes.sort((a, b) => a - b);
  return { sizes: { min: sizes[0]!, median: median(sizes), max: sizes[sizes.length - 1]! }, last };
}

/** An HTML page of exactly `bytes` bytes: a small document padded with paragraphs of ASCII text. */
function staticPage(bytes: number): Buffer {
  const head =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Order #100000</title></head><body><main>';
  const tail = '</main></body></html>';
  const filler = '<p>Your parcel is on its way. It left our warehouse and is travelling to you.</p>';
  const room = bytes - head.length - tail.length;
  if (room < 0) throw new Error(`a static page cannot be as small as ${bytes} bytes`);
  const body = filler.repeat(Math.ceil(room / filler.length)).slice(0, room);
  return Buffer.from(`${head}${body}${tail}`, 'utf8');
}

function responseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!SKIPPED_HEADERS.has(name)) out[name] = value;
  });
  return out;
}

function headerBytes(headers: Headers): number {
  let total = 0;
  headers.forEach((value, name) => {
    if (!SKIPPED_HEADERS.has(name)) total += name.length + 2 + Buffer.byteLength(value) + 2;
  });
  return total;
}

// ---------------------------------------------------------------------------
// CPU profiles

export type ProfileSummary = {
  target: string;
  file: string;
  sampledSeconds: number;
  /** Self time by where the code lives: a package, a folder of dist/, Node internals, native, GC, idle. */
  selfByPlace: { place: string; ms: number; share: number }[];
  /** Functions by time including their callees, over the non-idle samples. */
  inclusive: { fn: string; ms: number; share: number }[];
};

type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
};

function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;
  const module = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (module) return module;
  const waymark = /\/dist\/([^/]+)\//.exec(url)?.[1];
  if (waymark) return `waymark ${waymark}/`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

export function summariseProfile(target: string, file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const node = byId.get(id);
    if (!node) return;
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    self.set(place, (self.get(place) ?? 0) + ms);
    if (place === '(idle)') return;
    busy += ms;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || frame.functionName === '(root)') continue;
      const where =
        frame.url === '' ? '' : ` ${frame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName || '(anonymous)'}${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  });
  const ranked = (map: Map<string, number>, whole: number, limit: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => ({ name, ms, share: whole > 0 ? ms / whole : 0 }));
  return {
    target,
    file,
    sampledSeconds: total / 1000,
    selfByPlace: ranked(self, total, 20).map(({ name, ms, share }) => ({ place: name, ms, share })),
    inclusive: ranked(inclusive, busy, 40).map(({ name, ms, share }) => ({ fn: name, ms, share })),
  };
}

// ---------------------------------------------------------------------------

export async function runTrackingBenchmark(dialect: DialectName, options: TrackingOptions): Promise<TrackingResult> {
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  if (sizes.length === 0) throw new Error('tracking: no sizes');
  const largest = sizes[sizes.length - 1]!;
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-tracking-'));
  // Undone in reverse: the servers first, then the databases, then the directory.
  const cleanups: (() => Promise<void>)[] = [() => Promise.resolve(rmSync(dir, { recursive: true, force: true }))];
  const cleanup: Disposable = {
    async dispose() {
      untrack(cleanup);
      for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
    },
  };
  track(cleanup);
  try {
    const signer = new LinkSigner(parseSecretKey(SECRET_KEY));
    const databases: SeededDatabase[] = [];
    for (const orders of sizes) {
      const database = await createSizeDatabase(dialect, orders, dir, options.postgresUrl, cleanups);
      options.log(
        `  seeding ${orders.toLocaleString('en-US')} orders (one shipment each) into ${database.location}, ` +
          `${Math.min(options.sampleOrders, orders).toLocaleString('en-US')} of them with ${options.eventsPerShipment} events…`,
      );
      const seeded = await seedDatabase(database, orders, options, signer);
      const s = seeded.info.seedSeconds;
      options.log(
        `  ${orders.toLocaleString('en-US')} orders seeded in ${s.total.toFixed(1)} s (orders and shipments ` +
          `${s.ordersAndShipments.toFixed(1)} s, ${seeded.info.events.toLocaleString('en-US')} events ` +
          `${s.events.toFixed(1)} s, ${UPKEEP[dialect]} ${s.upkeep.toFixed(1)} s); ${SIZE_OF[dialect]} ` +
          `${(seeded.info.sizeBytes / 2 ** 20).toFixed(0)} MiB`,
      );
      databases.push(seeded);
    }
    // Reads the PostgreSQL backends' CPU during the runs, from a connection to the server's own database.
    let monitor: { client: pg.Client; local: boolean } | null = null;
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: options.postgresUrl });
      await client.connect();
      cleanups.push(() => client.end());
      monitor = { client, local: await postgresIsLocal(client) };
      if (!monitor.local)
        options.log('  PostgreSQL is not a process on this machine: its CPU per answer is not measured (n/a)');
    }

    if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
    const servers = await Promise.all(
      databases.map(async (database) => {
        const dataDir = join(dir, `data-${database.info.orders}`);
        mkdirSync(dataDir, { recursive: true });
        const profileArgs = options.cpuProfileDir
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${options.cpuProfileDir}`,
              `--cpu-prof-name=waymark-${dialect}-${database.info.orders}.cpuprofile`,
            ]
          : [];
        const { child, match } = await startChild(
          `waymark serve (${database.info.orders} orders)`,
          [...profileArgs, CLI, 'serve', '--port', '0'],
          waymarkEnv(database.target, dataDir),
          /Waymark is running at http:\/\/[^:]+:(\d+)/,
        );
        cleanups.push(() => child.dispose());
        const databaseCpu = monitor
          ? new BackendCpuMeter(monitor.client, database.target.location, monitor.local)
          : null;
        return { database, child, databaseCpu, origin: `http://127.0.0.1:${match[1]}` };
      }),
    );
    const biggest = servers[servers.length - 1]!;

    // Real pages first: every sampled link must open its order, and the sizes tell the baseline's page size.
    // Addresses apart from the load's, so the checks use up no client's limits.
    const verifyClient = clientAddresses(172);
    let link = { min: Number.POSITIVE_INFINITY, median: 0, max: 0 };
    let lastLinkAnswer: Answer | undefined;
    for (const server of servers) {
      const checked = await verify(
        `GET /t at ${server.database.info.orders} orders`,
        server.origin,
        server.database.sample.slice(0, 50),
        linkRequest,
        verifyClient,
      );
      if (server === biggest) {
        link = checked.sizes;
        lastLinkAnswer = checked.last;
      }
    }
    let lookup: TrackingResult['page']['lookup'] = null;
    if (options.lookup) {
      const checked = await verify(
        `POST /track at ${largest} orders`,
        biggest.origin,
        biggest.database.sample.slice(50, 80),
        lookupRequest,
        verifyClient,
      );
      lookup = checked.sizes;
    }
    const bareBytes = Math.round(link.median);
    const pageFile = join(dir, 'bare-page.html');
    const headersFile = join(dir, 'bare-headers.json');
    writeFileSync(pageFile, staticPage(bareBytes));
    writeFileSync(headersFile, JSON.stringify(responseHeaders(lastLinkAnswer!.headers)));
    const bareStarted = await startChild(
      'bare Fastify server',
      [BARE_SERVER, pageFile, headersFile],
      { PATH: process.env.PATH, NODE_ENV: 'production' },
      /^listening (\d+)$/,
    );
    cleanups.push(() => bareStarted.child.dispose());
    const bareOrigin = `http://127.0.0.1:${bareStarted.match[1]}`;
    const bareCheck = await send(bareOrigin, linkRequest(biggest.database.sample[0]!, verifyClient()));
    if (bareCheck.status !== 200 || bareCheck.bytes !== bareBytes) {
      throw new Error(
        `bare route answered ${bareCheck.status} with ${bareCheck.bytes} bytes, expected 200 and ${bareBytes}`,
      );
    }

    const targets: (TrackingTarget & {
      origin: string;
      next: () => PlannedRequest;
      cpuMs: () => number;
      databaseCpu: BackendCpuMeter | null;
    })[] = [];
    const client = clientAddresses(10);
    const picker = (sample: readonly SampledOrder[], seed: number): (() => SampledOrder) => {
      const random = mulberry32(seed);
      return () => sample[Math.floor(random() * sample.length)]!;
    };
    const barePick = picker(biggest.database.sample, 1);
    targets.push({
      id: 'bare',
      kind: 'bare',
      orders: 0,
      label: 'bare Fastify, static page (baseline)',
      origin: bareOrigin,
      next: () => linkRequest(barePick(), client()),
      cpuMs: () => bareStarted.child.cpuMs(),
      databaseCpu: null,
    });
    for (const server of [...servers].reverse()) {
      const orders = server.database.info.orders;
      const pick = picker(server.database.sample, 2 + orders);
      targets.push({
        id: `link-${orders}`,
        kind: 'link',
        orders,
        label: `Waymark GET /t/{token}, ${formatCount(orders)} orders`,
        origin: server.origin,
        next: () => linkRequest(pick(), client()),
        cpuMs: () => server.child.cpuMs(),
        databaseCpu: server.databaseCpu,
      });
    }
    if (options.lookup) {
      const pick = picker(biggest.database.sample, 3);
      targets.push({
        id: `lookup-${largest}`,
        kind: 'lookup',
        orders: largest,
        label: `Waymark POST /track/{slug}, ${formatCount(largest)} orders`,
        origin: biggest.origin,
        next: () => lookupRequest(pick(), client()),
        cpuMs: () => biggest.child.cpuMs(),
        databaseCpu: biggest.databaseCpu,
      });
    }
    options.log(
      `  link page ${link.min}–${link.max} bytes (median ${link.median}), bare page ${bareBytes} bytes` +
        (lookup ? `, look-up page ${lookup.min}–${lookup.max} bytes` : '') +
        `; ${options.connections} connections; ${options.rounds} × ${options.seconds} s per target after ` +
        `${options.warmupSeconds} s warm-up; load ${loadAverage().join(' ')}`,
    );

    const runs: TrackingRun[] = [];
    const runOne = async (
      target: (typeof targets)[number],
      round: number,
      seconds: number,
      rate: number | null = null,
    ): Promise<void> => {
      const run = await load(
        target,
        round,
        target.origin,
        { seconds, connections: options.connections, rate },
        target.next,
        target.cpuMs,
        target.databaseCpu,
      );
      runs.push(run);
      options.log(
        `  ${rate !== null ? `paced at ${rate}/s` : round === 0 ? 'warm-up' : `round ${round}`} ${target.id}: ${Math.round(run.okPerSecond).toLocaleString('en-US')} 2xx/s, ` +
          `p50 ${run.latency.p50.toFixed(1)} ms, p99 ${run.latency.p99.toFixed(1)} ms, ` +
          `server CPU ${run.serverCpuMsPerAnswer.toFixed(2)} ms/answer` +
          (run.databaseCpuMsPerAnswer === null
            ? ''
            : `, PostgreSQL CPU ${run.databaseCpuMsPerAnswer.toFixed(2)} ms/answer`) +
          `, load ${run.load1}` +
          (run.non2xx + run.errors + run.timeouts > 0
            ? `, non-2xx ${run.non2xx} ${JSON.stringify(run.statusCodes)}, errors ${run.errors}, timeouts ${run.timeouts}`
            : ''),
      );
    };
    for (const target of targets) await runOne(target, 0, options.warmupSeconds);
    for (let round = 1; round <= options.rounds; round += 1) {
      // Mirrored order each round (A B C, C B A, …), the ABBA of more than two.
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const target of order) await runOne(target, round, options.seconds);
    }
    if (options.pacedRate > 0) {
      for (const target of targets) await runOne(target, 1, options.seconds, options.pacedRate);
    }

    const measured = runs.filter((run) => run.round > 0 && run.pacedRate === null);
    const summary: Record<string, TrackingSummary> = {};
    for (const target of targets) {
      const mine = measured.filter((run) => run.target === target.id);
      summary[target.id] = {
        okPerSecond: median(mine.map((run) => run.okPerSecond)),
        p50: median(mine.map((run) => run.latency.p50)),
        p99: median(mine.map((run) => run.latency.p99)),
        runs: mine.length,
        non2xx: mine.reduce((sum, run) => sum + run.non2xx, 0),
        errors: mine.reduce((sum, run) => sum + run.errors + run.timeouts, 0),
        serverCpuMsPerAnswer: median(mine.map((run) => run.serverCpuMsPerAnswer)),
        databaseCpuMsPerAnswer: target.databaseCpu
          ? medianOfAll(mine.map((run) => run.databaseCpuMsPerAnswer ?? Number.NaN))
          : null,
        paced: pacedSummary(runs.find((run) => run.target === target.id && run.pacedRate !== null)),
      };
    }
    const bare = summary.bare!;
    const ratios = Object.fromEntries(
      targets.filter((t) => t.kind !== 'bare').map((t) => [t.id, summary[t.id]!.okPerSecond / bare.okPerSecond]),
    );
    const smallest = sizes[0]!;
    const growth =
      sizes.length > 1
        ? {
            from: smallest,
            to: largest,
            okPerSecondRatio: summary[`link-${largest}`]!.okPerSecond / summary[`link-${smallest}`]!.okPerSecond,
            p99Ratio: summary[`link-${largest}`]!.p99 / summary[`link-${smallest}`]!.p99,
          }
        : null;

    const serverWarnings = servers.reduce((sum, server) => sum + server.child.warnings(), 0);
    // A graceful stop, so the CPU profiles (written at exit) are complete.
    for (const server of servers) await server.child.kill('SIGTERM');
    const breakdown: TrackingResult['breakdown'] = [];
    for (const { database } of servers) {
      options.log(
        `  where a page goes at ${formatCount(database.info.orders)} orders: each part of GET /t/{token} in this ` +
          `process, ${BREAKDOWN_CALLS} calls each` +
          (dialect === 'postgres' ? ' (CPU of this process only, not PostgreSQL’s)…' : '…'),
      );
      breakdown.push({
        orders: database.info.orders,
        parts: await measureTrackingBreakdown({
          databaseUrl: database.target.url,
          sqlitePath: dialect === 'sqlite' ? database.target.location : null,
          secretKey: SECRET_KEY,
          storeId: database.storeId,
          orders: database.sample.slice(0, 2 * BREAKDOWN_CALLS),
          calls: BREAKDOWN_CALLS,
        }),
      });
    }
    const profiles: ProfileSummary[] = [];
    if (options.cpuProfileDir) {
      for (const server of servers) {
        const name = `waymark-${dialect}-${server.database.info.orders}.cpuprofile`;
        if (readdirSync(options.cpuProfileDir).includes(name)) {
          profiles.push(summariseProfile(`link-${server.database.info.orders}`, join(options.cpuProfileDir, name)));
        }
      }
    }
    return {
      dialect,
      connections: options.connections,
      secondsPerRun: options.seconds,
      warmupSeconds: options.warmupSeconds,
      rounds: options.rounds,
      eventsPerShipment: options.eventsPerShipment,
      databases: databases.map((d) => d.info),
      targets: targets.map(({ id, kind, orders, label }) => ({ id, kind, orders, label })),
      page: {
        link,
        lookup,
        headerBytes: headerBytes(lastLinkAnswer!.headers),
        bareHeaders: responseHeaders(lastLinkAnswer!.headers),
        bareBytes,
      },
      runs,
      summary,
      ratios,
      growth,
      serverWarnings,
      shutdownWarnings: servers.reduce((sum, server) => sum + server.child.warnings(), 0) - serverWarnings,
      serverLogTail: servers.flatMap((server) => server.child.tail()),
      profiles,
      breakdown,
    };
  } finally {
    await cleanup.dispose();
  }
}

/** The median, or NaN when any run has no figure (a median of the others would look complete). */
function medianOfAll(values: number[]): number {
  return values.some(Number.isNaN) ? Number.NaN : median(values);
}

function pacedSummary(run: TrackingRun | undefined): TrackingSummary['paced'] {
  if (!run || run.pacedRate === null) return null;
  return {
    rate: run.pacedRate,
    okPerSecond: run.okPerSecond,
    p50: run.latency.p50,
    p99: run.latency.p99,
    non2xx: run.non2xx,
    errors: run.errors + run.timeouts,
  };
}

export function formatCount(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return n.toLocaleString('en-US');
}
