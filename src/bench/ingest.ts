import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

import type { DialectName } from '../storage/migrations/column-types.js';
import { startChild, type Child } from './child-process.js';
import { benchDatabaseName, databaseUrl, onAdmin, track, untrack, type Disposable } from './databases.js';
import { median, summariseAnswers } from './stats.js';

/**
 * (e) Webhook ingest (Waymark issue 4): signed Shopify `orders/create`
 * webhooks, each a distinct order, sent by 50 keep-alive connections to a
 * real Waymark server (`waymark start`, HTTP and workers in one process, as
 * a small installation runs it) and, in the same run, to a bare Fastify route
 * answering the same requests. A third server does only the essential work
 * (verify, parse, commit; `ingest-essentials-server.ts`), on a database of its
 * own, so the distance from the bare route splits into what that work costs on
 * this machine and what Waymark adds. The servers are child processes; the
 * load generator (autocannon) runs in this process.
 *
 * Runs alternate in mirrored order (bare, essentials, Waymark, then Waymark,
 * essentials, bare, …) so drift on a shared machine hits all alike; the result
 * is the ratio of their median 2xx rates. During each run the other servers
 * are stopped (SIGSTOP, then SIGCONT), so Waymark's in-process worker cannot
 * take CPU from the others.
 *
 * Durability: every request carries a unique `X-Shopify-Webhook-Id`. The
 * benchmark keeps the ids that got a 2xx and those still unanswered when the
 * load generator stopped. After the last run it kills the Waymark server
 * (SIGKILL: nothing gets flushed on the way out) and reads `inbound_webhook`
 * itself: every 2xx must be there, and the rows must be exactly the 2xx
 * answers plus any of the cut-off requests that the server had committed.
 */

export type IngestTarget = 'bare' | 'essentials' | 'waymark';

const TARGETS: readonly IngestTarget[] = ['bare', 'essentials', 'waymark'];

export type LoadRun = {
  target: IngestTarget;
  /** 0 for the warm-up, then 1, 2, … */
  round: number;
  seconds: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  okPerSecond: number;
  /** CPU time of the server process (all its threads) per 2xx answer, µs; NaN where /proc is missing. */
  serverCpuMicrosPerOk: number;
  /** 2xx latencies, ms. */
  latency: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
};

export type IngestResult = {
  dialect: DialectName;
  command: 'start' | 'serve';
  connections: number;
  secondsPerRun: number;
  rounds: number;
  bodyBytes: { min: number; max: number };
  runs: LoadRun[];
  summary: Record<
    IngestTarget,
    { okPerSecond: number; p50: number; p99: number; serverCpuMicrosPerOk: number; runs: number }
  >;
  /** Median Waymark 2xx/s ÷ median bare 2xx/s. */
  ratio: number;
  /** Median essentials 2xx/s ÷ median bare 2xx/s: what the required work alone allows here. */
  essentialsRatio: number;
  durability: {
    answered2xx: number;
    rows: number;
    /** Requests sent but not answered when the load generator stopped (cut off, or timed out). */
    unanswered: number;
    /** Of those, how many the server had committed anyway. */
    unansweredCommitted: number;
    /** 2xx answers whose delivery is not in the table: must be 0. */
    missing: number;
    /** Rows whose webhook id was never sent, or sent and answered with an error: must be 0. */
    unexpected: number;
    /** rows − unansweredCommitted = answered2xx, and nothing missing or unexpected. */
    ok: boolean;
    /** Inbox rows by state when the server was killed (how far the in-process worker got). */
    states: Record<string, number>;
  };
  /** Lines at warn level or above that the Waymark server logged. */
  serverWarnings: number;
  serverLogTail: string[];
};

export type IngestOptions = {
  /** `start` (HTTP and workers in one process, the default) or `serve` (HTTP only: nothing processes the inbox). */
  command: 'start' | 'serve';
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  bodyBytes: number;
  postgresUrl?: string;
  log: (line: string) => void;
};

const SECRET = 'bench-shopify-webhook-secret';
const SHOP_DOMAIN = 'bench.myshopify.com';
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./ingest-bare-server.js', import.meta.url));
const ESSENTIALS_SERVER = fileURLToPath(new URL('./ingest-essentials-server.js', import.meta.url));
const ORDER_FIXTURE = join(REPO, 'src/adapters/platforms/shopify/__fixtures__/order.rest.get.json');

// ---------------------------------------------------------------------------
// Request bodies

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Deletes the named keys at any depth. */
function dropKeys(value: Json, keys: ReadonlySet<string>, suffix?: string): void {
  if (Array.isArray(value)) for (const item of value) dropKeys(item, keys, suffix);
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (keys.has(key) || (suffix !== undefined && key.endsWith(suffix))) delete value[key];
      else dropKeys(value[key]!, keys, suffix);
    }
  }
}

/**
 * What is left out, in this order, until the body is no larger than the target.
 * Everything the Shopify mapping reads (ids, name, statuses, customer, shipping
 * address, line items) stays.
 */
const TRIM_STEPS: ((order: JsonObject) => void)[] = [
  (order) => {
    if (Array.isArray(order.line_items)) order.line_items = order.line_items.slice(0, 1);
  },
  (order) => dropKeys(order, new Set(), '_set'),
  (order) =>
    dropKeys(
      order,
      new Set(['tax_lines', 'discount_allocations', 'discount_applications', 'discount_codes', 'duties']),
    ),
  (order) => dropKeys(order, new Set(['client_details', 'payment_terms', 'note_attributes', 'properties'])),
  (order) => {
    const customer = order.customer;
    if (customer && typeof customer === 'object' && !Array.isArray(customer)) delete customer.default_address;
  },
  (order) => delete order.billing_address,
  (order) => dropKeys(order, new Set(['landing_site', 'referring_site', 'order_status_url', 'shipping_lines'])),
];

const ID_SENTINEL = 7_999_999_999_999;
const NUMBER_SENTINEL = 199_999_999;
const NOTE = 'Please leave the parcel with the neighbour at number 12 if nobody answers. ';

/**
 * An `orders/create` body (a new order: no fulfilments, no refunds, paid) made
 * from the Shopify REST fixture, trimmed and then padded (the order note) to
 * exactly `targetBytes`, with placeholders for the id and the number.
 */
export function orderCreateTemplate(targetBytes: number, now: string): string[] {
  const fixture = JSON.parse(readFileSync(ORDER_FIXTURE, 'utf8')) as { order: JsonObject };
  const order = fixture.order;
  delete order.refunds;
  delete order.fulfillments;
  Object.assign(order, {
    id: ID_SENTINEL,
    admin_graphql_api_id: `gid://shopify/Order/${ID_SENTINEL}`,
    name: `#${NUMBER_SENTINEL}`,
    number: NUMBER_SENTINEL,
    order_number: NUMBER_SENTINEL,
    financial_status: 'paid',
    fulfillment_status: null,
    closed_at: null,
    cancelled_at: null,
    cancel_reason: null,
    created_at: now,
    updated_at: now,
    processed_at: now,
    note: null,
  });
  const size = (): number => Buffer.byteLength(JSON.stringify(order));
  for (const step of TRIM_STEPS) {
    if (size() <= targetBytes) break;
    step(order);
  }
  const room = targetBytes - size() + 'null'.length - '""'.length;
  if (room > 0) order.note = NOTE.repeat(Math.ceil(room / NOTE.length)).slice(0, room);
  const parts = JSON.stringify(order).split(new RegExp(`(${ID_SENTINEL}|${NUMBER_SENTINEL})`));
  if (parts.filter((p) => p === String(ID_SENTINEL)).length !== 2) throw new Error('order id placeholder not found');
  if (parts.filter((p) => p === String(NUMBER_SENTINEL)).length !== 3)
    throw new Error('order number placeholder not found');
  return parts;
}

type SignedRequest = { id: string; body: Buffer; headers: Record<string, string> };

type DeliveryFactory = {
  next: () => SignedRequest;
  /** Smallest and largest body made so far. */
  sizes: { min: number; max: number };
};

/** Distinct signed deliveries: a fresh order id and number, a fresh webhook id, each. */
export function deliveryFactory(parts: readonly string[]): DeliveryFactory {
  let sequence = 0;
  const sizes = { min: Number.POSITIVE_INFINITY, max: 0 };
  const next = (): SignedRequest => {
    sequence += 1;
    // Fixed width, so every body has the same length.
    const id = String(ID_SENTINEL - 1_000_000_000_000 + sequence);
    const number = String(NUMBER_SENTINEL - 100_000_000 + sequence);
    const body = Buffer.from(
      parts
        .map((part) => (part === String(ID_SENTINEL) ? id : part === String(NUMBER_SENTINEL) ? number : part))
        .join(''),
    );
    const webhookId = randomUUID();
    sizes.min = Math.min(sizes.min, body.length);
    sizes.max = Math.max(sizes.max, body.length);
    return {
      id: webhookId,
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
        'x-shopify-shop-domain': SHOP_DOMAIN,
        'x-shopify-api-version': '2024-04',
        'x-shopify-webhook-id': webhookId,
        'x-shopify-triggered-at': new Date().toISOString(),
      },
    };
  };
  return { next, sizes };
}

// ---------------------------------------------------------------------------
// Child processes

/** The environment of the Waymark processes: only what they need, nothing of the caller's WAYMARK_* settings. */
function waymarkEnv(databaseUrlValue: string, dataDir: string, secretKey: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrlValue,
    WAYMARK_DATA_DIR: dataDir,
    WAYMARK_SECRET_KEY: secretKey,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
  };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[key]) env[key] = process.env[key];
  return env;
}

// ---------------------------------------------------------------------------
// Load

type Ledger = { ok: Set<string>; failed: Set<string>; unanswered: Set<string> };

function load(
  target: IngestTarget,
  round: number,
  origin: string,
  path: string,
  options: { seconds: number; connections: number },
  next: () => SignedRequest,
  ledger: Ledger | null,
): Promise<Omit<LoadRun, 'serverCpuMicrosPerOk'>> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let sent = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path,
            setupRequest: (request, context) => {
              const delivery = next();
              sent += 1;
              (context as { id?: string }).id = delivery.id;
              ledger?.unanswered.add(delivery.id);
              return { ...request, method: 'POST', path, headers: delivery.headers, body: delivery.body };
            },
            onResponse: (status, _body, context) => {
              const id = (context as { id?: string }).id;
              if (ledger && id !== undefined) {
                ledger.unanswered.delete(id);
                (status >= 200 && status < 300 ? ledger.ok : ledger.failed).add(id);
              }
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
          target,
          round,
          seconds: result.duration,
          sent,
          ok,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          okPerSecond,
          latency,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

// ---------------------------------------------------------------------------
// Database

type InboxRows = { ids: Map<string, string>; states: Record<string, number> };

async function readInbox(
  database: { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string },
): Promise<InboxRows> {
  const sql = 'select provider_event_id as id, state from inbound_webhook';
  let rows: { id: string | null; state: string }[];
  if (database.dialect === 'sqlite') {
    const db = new BetterSqlite3(database.path, { readonly: true, fileMustExist: true });
    try {
      rows = db.prepare(sql).all() as { id: string | null; state: string }[];
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      rows = (await client.query<{ id: string | null; state: string }>(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const ids = new Map<string, string>();
  const states: Record<string, number> = {};
  for (const row of rows) {
    states[row.state] = (states[row.state] ?? 0) + 1;
    ids.set(row.id ?? `(no webhook id ${ids.size})`, row.state);
  }
  return { ids, states };
}

/** Creates the bench's Shopify store through the CLI, as an operator would; returns its id. */
function addStore(env: NodeJS.ProcessEnv): string {
  const added = spawnSync(
    process.execPath,
    [
      CLI,
      'store',
      'add',
      '--platform',
      'shopify',
      '--name',
      'Bench',
      '--domain',
      SHOP_DOMAIN,
      '--webhook-secret',
      SECRET,
    ],
    { env, encoding: 'utf8', timeout: 60_000 },
  );
  if (added.status !== 0) throw new Error(`waymark store add failed (${added.status}): ${added.stderr}`);
  const store = JSON.parse(added.stdout.trim().split('\n').pop() ?? '{}') as { id?: string; webhookUrl?: string };
  if (!store.id) throw new Error(`waymark store add printed no id: ${added.stdout}`);
  const path = `/webhooks/shopify/${store.id}`;
  if (store.webhookUrl && !store.webhookUrl.endsWith(path)) {
    throw new Error(`waymark store add printed webhookUrl ${store.webhookUrl}, expected …${path}`);
  }
  return store.id;
}

// ---------------------------------------------------------------------------

export async function runIngestBenchmark(dialect: DialectName, options: IngestOptions): Promise<IngestResult> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-ingest-'));
  // Undone in reverse: the servers first, then the database, then the directory.
  const cleanups: (() => Promise<void>)[] = [() => Promise.resolve(rmSync(dir, { recursive: true, force: true }))];
  const cleanup: Disposable = {
    async dispose() {
      untrack(cleanup);
      for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
    },
  };
  track(cleanup);
  try {
    type Target = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };
    /** A database of its own for each server that stores: Waymark's, and the essentials server's. */
    const newDatabase = async (name: string): Promise<Target> => {
      if (dialect === 'sqlite') return { dialect: 'sqlite', path: join(dir, `${name}.db`) };
      const serverUrl = options.postgresUrl;
      if (!serverUrl) throw new Error('WAYMARK_BENCH_POSTGRES_URL is not set');
      const database = benchDatabaseName(`waymark_bench_${name}`);
      await onAdmin(serverUrl, `create database ${database}`);
      cleanups.push(() => onAdmin(serverUrl, `drop database if exists ${database} with (force)`));
      return { dialect: 'postgres', url: databaseUrl(serverUrl, database) };
    };
    const urlOf = (database: Target): string =>
      database.dialect === 'sqlite' ? `sqlite:${database.path}` : database.url;
    const target = await newDatabase('ingest');
    const essentialsTarget = await newDatabase('essentials');
    const secretKey = randomBytes(32).toString('base64');
    const env = waymarkEnv(urlOf(target), dir, secretKey);
    const essentialsEnv = waymarkEnv(urlOf(essentialsTarget), dir, secretKey);

    const storeId = addStore(env);
    const path = `/webhooks/shopify/${storeId}`;
    // Migrated by Waymark and holding a store, so the essentials server writes the same table and foreign key.
    const essentialsPath = `/webhooks/shopify/${addStore(essentialsEnv)}`;

    const bareEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'production' };
    const started = await Promise.all([
      startChild('bare Fastify server', [BARE_SERVER], bareEnv, /^listening (\d+)$/),
      startChild(
        'essentials server',
        [ESSENTIALS_SERVER],
        {
          ...bareEnv,
          DATABASE_URL: essentialsEnv.DATABASE_URL,
          WEBHOOK_SECRET: SECRET,
          STORE_ID: essentialsPath.split('/').pop(),
        },
        /^listening (\d+)$/,
      ),
      startChild(
        `waymark ${options.command}`,
        [CLI, options.command, ...(options.command === 'start' ? ['--no-demo'] : []), '--port', '0'],
        env,
        /Waymark is running at http:\/\/[^:]+:(\d+)/,
      ),
    ]);
    for (const { child } of started) cleanups.push(() => child.dispose());
    const [bare, essentials, waymark] = started.map(({ child, match }) => ({
      child,
      origin: `http://127.0.0.1:${match[1]}`,
    }));
    const ready = await fetch(`${waymark!.origin}/readyz`);
    if (ready.status !== 200) throw new Error(`waymark /readyz answered ${ready.status}`);

    const parts = orderCreateTemplate(options.bodyBytes, new Date().toISOString());
    const deliveries = deliveryFactory(parts);
    const next = deliveries.next;
    const size = next().body.length;
    const ledger: Ledger = { ok: new Set(), failed: new Set(), unanswered: new Set() };
    options.log(
      `  store ${storeId}; orders/create bodies of ${size.toLocaleString('en-US')} bytes; ` +
        `${options.connections} connections; ${options.rounds} × ${options.seconds} s per server after ${options.warmupSeconds} s warm-up`,
    );

    const runs: LoadRun[] = [];
    const servers: Record<IngestTarget, { child: Child; origin: string; path: string }> = {
      bare: { ...bare!, path },
      essentials: { ...essentials!, path: essentialsPath },
      waymark: { ...waymark!, path },
    };
    const runOne = async (which: IngestTarget, round: number, seconds: number): Promise<void> => {
      // The servers not being measured are frozen for the run. Otherwise `waymark start` goes on applying
      // its backlog while the others are measured and takes CPU from them on the shared cores, which
      // lowers their rates: the bare route measured 23–26k/s frozen, 14–15k/s with the backlog running.
      const idle = TARGETS.filter((other) => other !== which).map((other) => servers[other].child.process);
      for (const process of idle) process.kill('SIGSTOP');
      const server = servers[which];
      const cpuBefore = server.child.cpuMs();
      let run: LoadRun;
      try {
        const answered = await load(
          which,
          round,
          server.origin,
          server.path,
          { seconds, connections: options.connections },
          next,
          which === 'waymark' ? ledger : null,
        );
        const cpuMs = server.child.cpuMs() - cpuBefore;
        run = { ...answered, serverCpuMicrosPerOk: answered.ok > 0 ? (cpuMs * 1000) / answered.ok : Number.NaN };
      } finally {
        for (const process of idle) process.kill('SIGCONT');
      }
      runs.push(run);
      options.log(
        `  ${round === 0 ? 'warm-up' : `round ${round}`} ${which}: ${Math.round(run.okPerSecond).toLocaleString('en-US')} 2xx/s, ` +
          `p50 ${run.latency.p50.toFixed(1)} ms, p99 ${run.latency.p99.toFixed(1)} ms, ` +
          `server CPU ${Math.round(run.serverCpuMicrosPerOk)} µs per 2xx` +
          (run.non2xx + run.errors + run.timeouts > 0
            ? `, non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts}`
            : ''),
      );
    };
    for (const which of TARGETS) await runOne(which, 0, options.warmupSeconds);
    for (let round = 1; round <= options.rounds; round += 1) {
      const order = round % 2 === 1 ? TARGETS : [...TARGETS].reverse();
      for (const which of order) await runOne(which, round, options.seconds);
    }

    // Kill without warning, then count what is on disk.
    await waymark!.child.kill('SIGKILL');
    await bare!.child.kill('SIGTERM');
    await essentials!.child.kill('SIGTERM');
    const inbox = await readInbox(target);
    let missing = 0;
    for (const id of ledger.ok) if (!inbox.ids.has(id)) missing += 1;
    let unansweredCommitted = 0;
    let unexpected = 0;
    for (const id of inbox.ids.keys()) {
      if (ledger.unanswered.has(id)) unansweredCommitted += 1;
      else if (!ledger.ok.has(id)) unexpected += 1;
    }
    const rows = inbox.ids.size;
    const durability = {
      answered2xx: ledger.ok.size,
      rows,
      unanswered: ledger.unanswered.size,
      unansweredCommitted,
      missing,
      unexpected,
      ok: missing === 0 && unexpected === 0 && rows - unansweredCommitted === ledger.ok.size,
      states: inbox.states,
    };

    const measured = runs.filter((run) => run.round > 0);
    const summarise = (which: IngestTarget): IngestResult['summary'][IngestTarget] => {
      const mine = measured.filter((run) => run.target === which);
      return {
        okPerSecond: median(mine.map((run) => run.okPerSecond)),
        p50: median(mine.map((run) => run.latency.p50)),
        p99: median(mine.map((run) => run.latency.p99)),
        serverCpuMicrosPerOk: median(mine.map((run) => run.serverCpuMicrosPerOk)),
        runs: mine.length,
      };
    };
    const summary = { bare: summarise('bare'), essentials: summarise('essentials'), waymark: summarise('waymark') };
    return {
      dialect,
      command: options.command,
      connections: options.connections,
      secondsPerRun: options.seconds,
      rounds: options.rounds,
      bodyBytes: { ...deliveries.sizes },
      runs,
      summary,
      ratio: summary.waymark.okPerSecond / summary.bare.okPerSecond,
      essentialsRatio: summary.essentials.okPerSecond / summary.bare.okPerSecond,
      durability,
      serverWarnings: waymark!.child.warnings(),
      serverLogTail: waymark!.child.tail(),
    };
  } finally {
    await cleanup.dispose();
  }
}
