import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { carrierWebhookSources } from '../adapters/carriers/carrier-registry.js';
import { EASYPOST_SIGNATURE_HEADER } from '../adapters/carriers/easypost/easypost.webhook.js';
import { createShopifyWebhookHandler } from '../adapters/platforms/shopify/shopify.webhook.js';
import { acceptCarrierWebhook, headersToKeep } from '../app/ingest-carrier-webhook.js';
import { PLATFORM_WEBHOOK_PREFIX } from '../app/platform-webhooks.js';
import type { AcceptedWebhook } from '../core/ports/storage.port.js';
import { openDatabase } from '../storage/create-database.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { newId } from '../storage/ids.js';
import type { NewStore } from '../storage/repositories/store.repository.js';
import { SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';
import { makeEventBatch, rawRunner } from './apply-events.js';
import { processCpuMs, startChild, type Child } from './child-process.js';
import { createBenchDatabase, databaseUrl, type BenchDatabase, type RawConnection } from './databases.js';
import { deliveryFactory, orderCreateTemplate } from './ingest.js';
import { seedOrdersAndShipments } from './seed.js';

/**
 * Worker scaling (Waymark issue 8): how the processing of webhooks
 * already accepted into the inbox scales with `waymark worker` processes,
 * one and then three, each time on a fresh database holding the same work.
 *
 * Two workloads:
 * - inbox: N signed Shopify `orders/create` deliveries, each a new order;
 * - events: M seeded shipments, each with one signed EasyPost
 *   `tracker.updated` delivery carrying its first carrier scans.
 *
 * Deliveries are stored in-process through the repository the HTTP routes
 * use (`inbox.acceptWebhooks`), with the source, topic, provider id and kept
 * headers the routes store; the EasyPost ones go through the route's own
 * `acceptCarrierWebhook`, signature check included. They are stored held
 * back (due in the far future); once every worker is running, one UPDATE
 * makes them all due at once. The rate is counted from that release to the
 * last `processed_at`, over all the deliveries, so process start-up is left
 * out and one and three workers do exactly the same work.
 *
 * Baselines, in the same run, from one process on a fresh database: the same
 * `sales_order` rows Waymark wrote, inserted one transaction per order, and
 * the same number of tracking events inserted by the raw-driver path of the
 * events benchmark, one transaction per shipment.
 */

export type WorkloadName = 'inbox' | 'events';

export type WorkerRun = {
  workers: number;
  /** Deliveries processed. */
  deliveries: number;
  /** From the release of the deliveries (every worker running) to the last `processed_at`. */
  seconds: number;
  /** Units (deliveries or tracking events) per second over that window. */
  perSecond: number;
  /** Spawn to every worker running. */
  startupSeconds: number;
  /** CPU of each worker process from the release to when the empty inbox was seen, ms. */
  workerCpuMs: number[];
  /** PostgreSQL on this machine: CPU of the server backends of the run's database over the window, ms. */
  databaseCpuMs: number | null;
  /**
   * PostgreSQL: commits in the database from spawn to exit, per delivery; includes start-up and the idle polls
   * of the workers' other queues.
   */
  commitsPerDelivery: number | null;
  /** Worker CPU (all processes) per unit, ms. */
  workerCpuMsPerUnit: number;
  /** Inbox rows by state after the run. */
  inboxStates: Record<string, number>;
  /** Notifications the applied deliveries planned, by state when the inbox was empty (the workers send them too). */
  notificationStates: Record<string, number>;
  /** Lines at warn level or above from the workers. */
  warnings: number;
  /** The workers' last log lines, when they warned. */
  logTail: string[];
};

export type BaselineRun = { label: string; units: number; seconds: number; perSecond: number };

export type WorkloadResult = {
  name: WorkloadName;
  unit: 'deliveries' | 'events';
  /** Units one delivery brings: 1 order, or the scans of one tracker update. */
  unitsPerDelivery: number;
  deliveries: number;
  /** Rows Waymark wrote per delivery, by table, in the one-worker run (what the baseline leaves out shows here). */
  rowsPerDelivery: Record<string, number>;
  baseline: BaselineRun;
  runs: WorkerRun[];
  /** Waymark rate ÷ baseline rate, with one and with three workers. */
  ratios: { one: number; three: number };
  /** Three-worker rate ÷ one-worker rate. */
  scaling: number;
  /** What the checks found wrong; empty when every delivery did its work exactly once. */
  problems: string[];
};

export type WorkerScalingResult = {
  dialect: DialectName;
  workloads: WorkloadResult[];
  ok: boolean;
};

export type WorkerScalingOptions = {
  deliveries: number;
  shipments: number;
  postgresUrl?: string;
  log: (line: string) => void;
};

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TRACKER_FIXTURE = join(
  REPO,
  'src/adapters/carriers/easypost/__fixtures__/webhook_tracker_updated_in_transit_fedex.json',
);
const EASYPOST_SECRET = 'bench-easypost-webhook-secret';
const BODY_BYTES = 3_500;
const WORKER_COUNTS = [1, 3] as const;
/** Deliveries per `acceptWebhooks` call: what the intake's group commit gathers under load, roughly. */
const ACCEPT_CHUNK = 500;
const RUN_TIMEOUT_MS = 10 * 60_000;
const CHECK_EVERY_MS = 50;
const HELD_UNTIL = '2999-01-01T00:00:00.000Z';
/** How often an idle worker loop looks for work: how soon the workers notice the released deliveries. */
const POLL_INTERVAL_MS = 100;

// ---------------------------------------------------------------------------
// Raw queries

async function select<Row>(raw: RawConnection, text: string, values: unknown[] = []): Promise<Row[]> {
  if (raw.dialect === 'sqlite') return raw.db.prepare(text.replace(/\$\d+/g, '?')).all(...values) as Row[];
  return (await raw.client.query(text, values)).rows as Row[];
}

async function execute(raw: RawConnection, text: string, values: unknown[]): Promise<void> {
  if (raw.dialect === 'sqlite') raw.db.prepare(text.replace(/\$\d+/g, '?')).run(...values);
  else await raw.client.query(text, values);
}

async function countBy(raw: RawConnection, table: string, column: string): Promise<Record<string, number>> {
  const rows = await select<{ key: string; n: number | string }>(
    raw,
    `select ${column} as key, count(*) as n from ${table} group by ${column}`,
  );
  return Object.fromEntries(rows.map((row) => [row.key, Number(row.n)]));
}

async function countRows(raw: RawConnection, table: string): Promise<number> {
  const [row] = await select<{ n: number | string }>(raw, `select count(*) as n from ${table}`);
  return Number(row?.n ?? 0);
}

/** The tables an applied delivery writes to, for the rows-per-delivery context line. */
const WRITTEN_TABLES = ['sales_order', 'shipment', 'tracking_event', 'status_change', 'notification'] as const;

/**
 * Stores the deliveries, held back (due far in the future) so that no worker
 * starts on them before every worker is running.
 */
async function storeInbox(database: RunDatabase, inputs: AcceptedWebhook[], now: string): Promise<void> {
  for (let start = 0; start < inputs.length; start += ACCEPT_CHUNK) {
    await database.storage.repositories.inbox.acceptWebhooks(inputs.slice(start, start + ACCEPT_CHUNK), now);
  }
  await execute(database.raw, 'update inbound_webhook set next_attempt_at = $1', [HELD_UNTIL]);
}

// ---------------------------------------------------------------------------
// Workloads

/** A fresh database for one run, with what the workers need to share with its seeding. */
type RunDatabase = BenchDatabase & {
  /** Its DATABASE_URL. */
  url: string;
  /** Creates a store whose secrets open with the workers' WAYMARK_SECRET_KEY; its id. */
  createStore(input: NewStore, now: string): Promise<string>;
};

async function runDatabase(dialect: DialectName, secretKey: Buffer, postgresUrl?: string): Promise<RunDatabase> {
  const database = await createBenchDatabase(dialect, postgresUrl ? { postgresUrl } : {});
  const url = dialect === 'sqlite' ? `sqlite:${database.location}` : databaseUrl(postgresUrl!, database.location);
  return {
    ...database,
    url,
    async createStore(input, now) {
      const opened = openDatabase(url);
      const storage = Storage.fromDatabase(opened.db, opened.dialect, new SecretBox(secretKey));
      try {
        return (await storage.repositories.stores.createStore(input, now)).id;
      } finally {
        await storage.close();
      }
    },
  };
}

type Workload = {
  name: WorkloadName;
  unit: WorkloadResult['unit'];
  unitsPerDelivery: number;
  deliveries: number;
  /** Fills a fresh database with everything that exists before the workers start. */
  prepare(database: RunDatabase): Promise<void>;
  /** What must hold once the inbox is empty; the problems found. */
  check(database: RunDatabase, workers: number): Promise<string[]>;
  /** The baseline on a fresh database: its label, units written and seconds taken. */
  baseline(database: RunDatabase): Promise<Omit<BaselineRun, 'perSecond'>>;
};

/** N Shopify `orders/create` deliveries, stored as `POST /webhooks/shopify/{store}` stores them. */
function inboxWorkload(deliveries: number): Workload {
  const now = new Date().toISOString();
  const factory = deliveryFactory(orderCreateTemplate(BODY_BYTES, now));
  const requests = Array.from({ length: deliveries }, () => factory.next());
  const handler = createShopifyWebhookHandler();
  let storeId = '';
  // The orders the first run wrote: the baseline writes the very same rows.
  let writtenOrders: Record<string, unknown>[] = [];

  const createStore = (database: RunDatabase): Promise<string> =>
    database.createStore({ name: 'Bench Shop', platform: 'shopify' }, now);

  return {
    name: 'inbox',
    unit: 'deliveries',
    unitsPerDelivery: 1,
    deliveries,
    async prepare(database) {
      storeId = await createStore(database);
      const inputs = requests.map((request) => {
        const body: unknown = JSON.parse(request.body.toString('utf8'));
        return {
          storeId,
          source: `${PLATFORM_WEBHOOK_PREFIX}shopify`,
          topic: handler.topic(request.headers, body),
          providerEventId: handler.deliveryId(request.headers, body),
          headers: headersToKeep(request.headers),
          rawBody: request.body.toString('utf8'),
        };
      });
      await storeInbox(database, inputs, now);
    },
    async check(database, workers) {
      const problems: string[] = [];
      const orders = await select<Record<string, unknown>>(
        database.raw,
        'select * from sales_order where store_id = $1',
        [storeId],
      );
      const externalIds = new Set(orders.map((order) => order.external_id));
      if (orders.length !== deliveries || externalIds.size !== deliveries) {
        problems.push(
          `${workers} worker(s): ${orders.length} sales_order rows (${externalIds.size} distinct orders), expected ${deliveries}`,
        );
      }
      if (writtenOrders.length === 0) writtenOrders = orders;
      return problems;
    },
    async baseline(database) {
      if (writtenOrders.length !== deliveries) throw new Error('inbox baseline: no complete Waymark run to copy');
      const baselineStore = await createStore(database);
      const columns = Object.keys(writtenOrders[0]!);
      const insert = `insert into sales_order (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
      const rows = writtenOrders.map((order) =>
        columns.map((column) => (column === 'id' ? newId() : column === 'store_id' ? baselineStore : order[column])),
      );
      const raw = database.raw;
      const started = performance.now();
      if (raw.dialect === 'sqlite') {
        const statement = raw.db.prepare<unknown[]>(insert.replace(/\$\d+/g, '?'));
        const insertOrder = raw.db.transaction((values: unknown[]) => statement.run(...values));
        // BEGIN IMMEDIATE, as the production driver does.
        for (const values of rows) insertOrder.immediate(values);
      } else {
        for (const values of rows) {
          await raw.client.query('begin');
          await raw.client.query({ name: 'bench_scaling_order', text: insert, values });
          await raw.client.query('commit');
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const written = await countRows(raw, 'sales_order');
      if (written !== deliveries) throw new Error(`inbox baseline wrote ${written} orders, expected ${deliveries}`);
      const driver = raw.dialect === 'sqlite' ? 'better-sqlite3' : 'pg client';
      return { label: `raw ${driver}: the same sales_order rows, one transaction each`, units: written, seconds };
    },
  };
}

type TrackerFixture = { id: string; result: Record<string, unknown> };

/** M shipments, each with one EasyPost `tracker.updated` delivery stored as `POST /webhooks/carriers/easypost` stores it. */
function eventsWorkload(shipments: number): Workload {
  const now = new Date().toISOString();
  const fixture = JSON.parse(readFileSync(TRACKER_FIXTURE, 'utf8')) as TrackerFixture;
  const source = carrierWebhookSources().easypost!;
  const [outcome] = source.normalize(fixture);
  if (outcome?.kind !== 'found') throw new Error('the EasyPost fixture holds no tracker');
  const { carrier, status } = outcome.result;
  const eventsPerUpdate = outcome.result.events.length;
  const sources = new Map([['easypost', { handler: source, secret: EASYPOST_SECRET }]]);
  let storeId = '';

  const seed = async (database: RunDatabase): Promise<string[]> => {
    storeId = await database.createStore({ name: 'Bench Shop', platform: 'api' }, now);
    const seeded = await seedOrdersAndShipments(database.raw, {
      storeId,
      now,
      active: shipments,
      due: 0,
      delivered: 0,
      shipmentsPerOrder: 1,
      activeStatus: 'pending',
      keepActiveIds: true,
    });
    return seeded.activeIds;
  };

  return {
    name: 'events',
    unit: 'events',
    unitsPerDelivery: eventsPerUpdate,
    deliveries: shipments,
    async prepare(database) {
      await seed(database);
      // The seed makes UPS parcels; the fixture's tracker is FedEx, and an update only reaches its own carrier's parcels.
      await execute(database.raw, 'update shipment set carrier = $1 where store_id = $2', [carrier, storeId]);
      const parcels = await select<{ tracking_number: string }>(
        database.raw,
        'select tracking_number from shipment where store_id = $1',
        [storeId],
      );
      const inputs: AcceptedWebhook[] = [];
      const intake = {
        accept: (input: AcceptedWebhook) => {
          inputs.push(input);
          return Promise.resolve({ id: '', duplicate: false });
        },
      };
      const clock = { now: () => now };
      for (const [index, parcel] of parcels.entries()) {
        const body = JSON.stringify({
          ...fixture,
          id: `evt_bench_${index}`,
          result: { ...fixture.result, id: `trk_bench_${index}`, tracking_code: parcel.tracking_number },
        });
        const rawBody = Buffer.from(body);
        const signature = createHmac('sha256', EASYPOST_SECRET).update(rawBody).digest('hex');
        const headers = {
          'content-type': 'application/json',
          [EASYPOST_SIGNATURE_HEADER]: `hmac-sha256-hex=${signature}`,
        };
        await acceptCarrierWebhook({ intake, clock, sources }, { source: 'easypost', rawBody, headers });
      }
      await storeInbox(database, inputs, now);
    },
    async check(database, workers) {
      const problems: string[] = [];
      const events = await countRows(database.raw, 'tracking_event');
      if (events !== shipments * eventsPerUpdate) {
        problems.push(`${workers} worker(s): ${events} tracking_event rows, expected ${shipments * eventsPerUpdate}`);
      }
      const statuses = await countBy(database.raw, 'shipment', 'status');
      if (statuses[status] !== shipments) {
        problems.push(
          `${workers} worker(s): shipment statuses ${JSON.stringify(statuses)}, expected ${status} for all`,
        );
      }
      return problems;
    },
    async baseline(database) {
      const shipmentIds = await seed(database);
      const startMs = Date.parse(now) - 2 * 86_400_000;
      const batches = shipmentIds.map((shipmentId, index) => ({
        shipmentId,
        events: makeEventBatch(index, eventsPerUpdate, startMs),
      }));
      const run = rawRunner(database.raw, storeId);
      const started = performance.now();
      const inserted = await run(batches);
      const seconds = (performance.now() - started) / 1000;
      if (inserted !== shipments * eventsPerUpdate) {
        throw new Error(`events baseline inserted ${inserted} events, expected ${shipments * eventsPerUpdate}`);
      }
      const driver = database.raw.dialect === 'sqlite' ? 'better-sqlite3' : 'pg client';
      return { label: `raw ${driver} (events benchmark): one transaction per shipment`, units: inserted, seconds };
    },
  };
}

// ---------------------------------------------------------------------------
// Worker runs

function workerEnv(url: string, dataDir: string, secretKey: Buffer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: url,
    WAYMARK_DATA_DIR: dataDir,
    WAYMARK_SECRET_KEY: secretKey.toString('base64'),
    WAYMARK_EASYPOST_WEBHOOK_SECRET: EASYPOST_SECRET,
    WAYMARK_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    // Info, for the start-up line; a worker applying webhooks logs nothing else below warn.
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[key]) env[key] = process.env[key];
  return env;
}

/** PostgreSQL server processes on this machine serving the database, with their CPU so far; null where unknown. */
async function backendCpu(raw: RawConnection): Promise<Map<number, number> | null> {
  if (raw.dialect !== 'postgres') return null;
  const rows = await select<{ pid: number }>(
    raw,
    `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  const cpu = new Map(rows.map((row) => [row.pid, processCpuMs(row.pid)]));
  return [...cpu.values()].some(Number.isNaN) ? null : cpu;
}

async function pgCommits(raw: RawConnection): Promise<number | null> {
  if (raw.dialect !== 'postgres') return null;
  const [row] = await select<{ n: string }>(
    raw,
    'select xact_commit as n from pg_stat_database where datname = current_database()',
  );
  return Number(row?.n ?? Number.NaN);
}

/** Commits per delivery since `before`, read once the workers have exited and their backends flushed statistics. */
async function commitsSince(
  before: number | null,
  raw: RawConnection,
  children: Child[],
  deliveries: number,
): Promise<number | null> {
  if (before === null) return null;
  for (const child of children) await child.dispose();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await pgCommits(raw);
  return after === null ? null : (after - before) / deliveries;
}

/** Backends that exist at the end count from their CPU at the start, or from zero if they started since. */
function backendCpuSpent(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

async function runWorkers(
  database: RunDatabase,
  workload: Workload,
  workers: number,
  secretKey: Buffer,
): Promise<WorkerRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'waymark-bench-scaling-'));
  const children: Child[] = [];
  const raw = database.raw;
  try {
    const commitsBefore = await pgCommits(raw);
    const spawnedAt = performance.now();
    const started = await Promise.all(
      Array.from({ length: workers }, (_, index) =>
        startChild(
          `waymark worker ${index + 1}`,
          [CLI, 'worker'],
          workerEnv(database.url, dataDir, secretKey),
          /waymark worker is running/,
        ),
      ),
    );
    children.push(...started.map(({ child }) => child));
    const startupSeconds = (performance.now() - spawnedAt) / 1000;
    const cpuAtStart = children.map((child) => child.cpuMs());
    const backendsAtStart = await backendCpu(raw);
    // The start gun: every delivery due at once, now that every worker is polling. The clock starts
    // before the update (which the rate then includes): a worker may claim rows the moment it commits,
    // before this process is scheduled again.
    const releasedAt = Date.now();
    await execute(raw, `update inbound_webhook set next_attempt_at = $1 where state = 'pending'`, [
      new Date(releasedAt).toISOString(),
    ]);

    const deadline = performance.now() + RUN_TIMEOUT_MS;
    for (;;) {
      const states = await countBy(raw, 'inbound_webhook', 'state');
      if (states.dead) throw new Error(`${states.dead} deliveries went dead`);
      if (!states.pending) break;
      // A failed attempt waits seconds for its retry (backoff): fail now rather than time that.
      const [failed] = await select<{ n: number | string }>(
        raw,
        'select count(*) as n from inbound_webhook where last_error is not null',
      );
      if (Number(failed?.n) > 0) throw new Error(`${failed?.n} deliveries failed an attempt`);
      const exited = children.find((child) => child.process.exitCode !== null || child.process.signalCode !== null);
      if (exited) throw new Error('a worker exited while the inbox still held work');
      if (performance.now() > deadline)
        throw new Error(`${states.pending} deliveries still pending after ${RUN_TIMEOUT_MS / 60_000} min`);
      await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
    }
    const workerCpuMs = children.map((child, index) => child.cpuMs() - cpuAtStart[index]!);
    const databaseCpuMs = backendCpuSpent(backendsAtStart, await backendCpu(raw));

    const processed = await select<{ at: string | Date }>(
      raw,
      `select processed_at as at from inbound_webhook where state = 'processed'`,
    );
    const times = processed.map((row) => new Date(row.at).getTime());
    // Nothing was due before releasedAt: a row processed earlier means the release did not hold it back.
    const early = times.filter((at) => at < releasedAt).length;
    if (early > 0) throw new Error(`${early} deliveries were processed before they were released`);
    const seconds = (Math.max(...times) - releasedAt) / 1000;
    const units = processed.length * workload.unitsPerDelivery;
    const warnings = children.reduce((sum, child) => sum + child.warnings(), 0);
    return {
      workers,
      deliveries: processed.length,
      seconds,
      perSecond: units / seconds,
      startupSeconds,
      workerCpuMs,
      databaseCpuMs,
      workerCpuMsPerUnit: workerCpuMs.reduce((sum, ms) => sum + ms, 0) / units,
      inboxStates: await countBy(raw, 'inbound_webhook', 'state'),
      notificationStates: await countBy(raw, 'notification', 'state'),
      warnings,
      logTail: warnings > 0 ? children.flatMap((child) => child.tail()).slice(-20) : [],
      commitsPerDelivery: await commitsSince(commitsBefore, raw, children, processed.length),
    };
  } catch (error) {
    const tail = children.flatMap((child) => child.tail()).slice(-20);
    throw new Error(
      `${workload.name}, ${workers} worker(s): ${error instanceof Error ? error.message : String(error)}\n  ${tail.join('\n  ')}`,
      {
        cause: error,
      },
    );
  } finally {
    for (const child of children) await child.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

async function measureWorkload(
  dialect: DialectName,
  workload: Workload,
  options: WorkerScalingOptions,
): Promise<WorkloadResult> {
  const secretKey = randomBytes(32);
  const fresh = (): Promise<RunDatabase> => runDatabase(dialect, secretKey, options.postgresUrl);
  const runs: WorkerRun[] = [];
  const problems: string[] = [];
  const rowsPerDelivery: Record<string, number> = {};
  for (const workers of WORKER_COUNTS) {
    const database = await fresh();
    try {
      const preparing = performance.now();
      await workload.prepare(database);
      options.log(
        `[${dialect}] workers/${workload.name}: ${workload.deliveries.toLocaleString('en-US')} deliveries stored in ` +
          `${((performance.now() - preparing) / 1000).toFixed(1)} s; ${workers} worker(s)…`,
      );
      const run = await runWorkers(database, workload, workers, secretKey);
      runs.push(run);
      problems.push(...(await workload.check(database, workers)));
      const states = Object.keys(run.inboxStates);
      if (run.inboxStates.processed !== workload.deliveries || states.length !== 1) {
        problems.push(`${workers} worker(s): inbox ${JSON.stringify(run.inboxStates)}, expected all processed`);
      }
      if (workers === WORKER_COUNTS[0]) {
        for (const table of WRITTEN_TABLES) {
          const rows = await countRows(database.raw, table);
          if (rows > 0) rowsPerDelivery[table] = rows / workload.deliveries;
        }
      }
      options.log(
        `  ${Math.round(run.perSecond).toLocaleString('en-US')} ${workload.unit}/s over ${run.seconds.toFixed(2)} s ` +
          `(${run.deliveries} deliveries), start-up ${run.startupSeconds.toFixed(2)} s` +
          (run.warnings > 0 ? `, ${run.warnings} warnings:\n    ${run.logTail.join('\n    ')}` : ''),
      );
    } finally {
      await database.dispose();
    }
  }
  const database = await fresh();
  let baseline: BaselineRun;
  try {
    const measured = await workload.baseline(database);
    baseline = { ...measured, perSecond: measured.units / measured.seconds };
    options.log(
      `  baseline: ${Math.round(baseline.perSecond).toLocaleString('en-US')} ${workload.unit}/s (${baseline.label})`,
    );
  } finally {
    await database.dispose();
  }
  const rate = (workers: number): number => runs.find((run) => run.workers === workers)?.perSecond ?? Number.NaN;
  return {
    name: workload.name,
    unit: workload.unit,
    unitsPerDelivery: workload.unitsPerDelivery,
    deliveries: workload.deliveries,
    rowsPerDelivery,
    baseline,
    runs,
    ratios: { one: rate(1) / baseline.perSecond, three: rate(3) / baseline.perSecond },
    scaling: rate(3) / rate(1),
    problems,
  };
}

export async function runWorkerScalingBenchmark(
  dialect: DialectName,
  options: WorkerScalingOptions,
): Promise<WorkerScalingResult> {
  if (options.deliveries < 10 || options.shipments < 10)
    throw new Error('workers: at least 10 deliveries and shipments');
  const workloads: WorkloadResult[] = [];
  for (const workload of [inboxWorkload(options.deliveries), eventsWorkload(options.shipments)]) {
    workloads.push(await measureWorkload(dialect, workload, options));
  }
  return { dialect, workloads, ok: workloads.every((workload) => workload.problems.length === 0) };
}
