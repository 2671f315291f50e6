import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../../storage/create-database.js';
import { createTestDatabase, POSTGRES_URL } from '../../../test-support/databases.js';

/**
 * Real processes, real crash: `waymark serve` takes a burst of signed Shopify
 * webhooks and is killed with SIGKILL in the middle of it; a new `serve`
 * takes the sender's retries of everything that got no 2xx (and some
 * redeliveries of what did), then a separate `waymark worker` processes the
 * inbox. Every acknowledged delivery must have been durable at the moment of
 * the kill, and every order and parcel must end up stored exactly once.
 * Needs `npm run build` first (it runs dist/cli/main.js).
 */

const CLI = fileURLToPath(new URL('../../../../dist/cli/main.js', import.meta.url));
const FIXTURE = fileURLToPath(
  new URL('../../../adapters/platforms/shopify/__fixtures__/order.rest.get.json', import.meta.url),
);
const SECRET = 'whsec_crash_test';
const SECRET_KEY = Buffer.alloc(32, 5).toString('base64');
const ORDERS = 120;
/** Two deliveries per order: orders/create, then orders/fulfilled with a sandbox tracking number. */
const DELIVERIES = ORDERS * 2;
const KILL_AFTER_ACKS = 60;
const CONCURRENCY = 16;

type Delivery = { webhookId: string; orderId: string; topic: string; body: Buffer };
type Outcome = { acked: boolean; duplicate: boolean | null };

let workdir: string;

function baseOrder(): Record<string, unknown> {
  const { order } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { order: Record<string, unknown> };
  delete order.refunds;
  return order;
}

/** Distinct orders, each created then fulfilled (one parcel with its own sandbox number). */
function makeDeliveries(): Delivery[] {
  const template = baseOrder();
  const fulfilment = (template.fulfillments as Record<string, unknown>[])[0]!;
  const lineItems = template.line_items as { id: number; quantity: number }[];
  const deliveries: Delivery[] = [];
  for (let index = 0; index < ORDERS; index += 1) {
    const orderId = String(6_100_000_000_000 + index);
    const created = new Date(Date.UTC(2026, 10, 26, 9, 0, 0) + index * 1000).toISOString();
    const fulfilledAt = new Date(Date.parse(created) + 3_600_000).toISOString();
    const order = {
      ...template,
      id: Number(orderId),
      admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
      name: `#C${index}`,
      order_number: 5000 + index,
      financial_status: 'paid',
      cancelled_at: null,
      cancel_reason: null,
      closed_at: null,
      created_at: created,
      processed_at: created,
    };
    const number = `SBX1${String(4_000_000_000 + index)}`;
    const bodies: [string, Record<string, unknown>][] = [
      ['orders/create', { ...order, fulfillment_status: null, fulfillments: [], updated_at: created }],
      [
        'orders/fulfilled',
        {
          ...order,
          fulfillment_status: 'fulfilled',
          updated_at: fulfilledAt,
          fulfillments: [
            {
              ...fulfilment,
              id: 7_100_000_000_000 + index,
              admin_graphql_api_id: `gid://shopify/Fulfillment/${7_100_000_000_000 + index}`,
              order_id: Number(orderId),
              status: 'success',
              shipment_status: null,
              tracking_company: null,
              tracking_number: number,
              tracking_numbers: [number],
              tracking_url: null,
              tracking_urls: [],
              created_at: fulfilledAt,
              updated_at: fulfilledAt,
              line_items: lineItems.slice(0, 1),
            },
          ],
        },
      ],
    ];
    for (const [topic, body] of bodies) {
      deliveries.push({ webhookId: randomUUID(), orderId, topic, body: Buffer.from(JSON.stringify(body)) });
    }
  }
  return deliveries;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function childEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: databaseUrl,
    WAYMARK_DATA_DIR: workdir,
    WAYMARK_SECRET_KEY: SECRET_KEY,
    LOG_LEVEL: 'warn',
    WAYMARK_POLL_INTERVAL_MS: '100',
  };
}

/** A one-shot command; resolves with its stdout, rejects on a non-zero exit. */
function runCli(args: string[], databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: workdir,
      env: childEnv(databaseUrl),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`waymark ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

type Running = { child: ChildProcess; exited: Promise<number | null> };

function startProcess(args: string[], databaseUrl: string): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: workdir,
    env: childEnv(databaseUrl),
    stdio: 'ignore',
  });
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function waitForReady(url: string, deadlineMs = 15_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > deadlineMs) throw new Error(`${url} not ready within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function send(url: string, delivery: Delivery): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': delivery.topic,
        'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(delivery.body).digest('base64'),
        'x-shopify-shop-domain': 'crash.myshopify.com',
        'x-shopify-webhook-id': delivery.webhookId,
      },
      body: delivery.body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json()) as { duplicate?: boolean };
    return response.status >= 200 && response.status < 300
      ? { acked: true, duplicate: answer.duplicate ?? null }
      : { acked: false, duplicate: null };
  } catch {
    // Connection reset or refused: the sender saw no 2xx.
    return { acked: false, duplicate: null };
  }
}

/** Sends every delivery with a few connections in parallel; `onAck` sees each 2xx as it lands. */
async function burst(url: string, deliveries: Delivery[], onAck: (count: number) => void): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array<Outcome>(deliveries.length);
  let next = 0;
  let acked = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < deliveries.length) {
        const index = next;
        next += 1;
        const outcome = await send(url, deliveries[index]!);
        outcomes[index] = outcome;
        if (outcome.acked) {
          acked += 1;
          onAck(acked);
        }
      }
    }),
  );
  return outcomes;
}

type Counts = {
  inbox: { id: string | null; state: string }[];
  orders: { external_id: string; n: number }[];
  shipments: { tracking_number: string; n: number }[];
  orderCreations: number;
};

async function readDatabase(databaseUrl: string, storeId: string): Promise<Counts> {
  const opened = openDatabase(databaseUrl);
  const db = opened.db;
  try {
    const inbox = await db
      .selectFrom('inbound_webhook')
      .select(['provider_event_id as id', 'state'])
      .where('store_id', '=', storeId)
      .execute();
    const orders = await db
      .selectFrom('sales_order')
      .select(['external_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('store_id', '=', storeId)
      .groupBy('external_id')
      .execute();
    const shipments = await db
      .selectFrom('shipment')
      .select(['tracking_number', (eb) => eb.fn.countAll<number>().as('n')])
      .where('store_id', '=', storeId)
      .groupBy('tracking_number')
      .execute();
    const creations = await db
      .selectFrom('status_change')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('store_id', '=', storeId)
      .where('field', '=', 'order_status')
      .where('from_value', 'is', null)
      .executeTakeFirstOrThrow();
    return {
      inbox,
      orders: orders.map((o) => ({ external_id: o.external_id, n: Number(o.n) })),
      shipments: shipments.map((s) => ({ tracking_number: s.tracking_number, n: Number(s.n) })),
      orderCreations: Number(creations.n),
    };
  } finally {
    await opened.close();
  }
}

async function waitForInboxProcessed(databaseUrl: string, storeId: string, deadlineMs = 30_000): Promise<Counts> {
  const started = Date.now();
  for (;;) {
    const counts = await readDatabase(databaseUrl, storeId);
    if (counts.inbox.every((row) => row.state === 'processed')) return counts;
    if (Date.now() - started > deadlineMs) {
      const states = counts.inbox.reduce<Record<string, number>>((acc, row) => {
        acc[row.state] = (acc[row.state] ?? 0) + 1;
        return acc;
      }, {});
      throw new Error(`inbox not processed within ${deadlineMs} ms: ${JSON.stringify(states)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function crashAndRecover(databaseUrl: string): Promise<void> {
  await runCli(['migrate'], databaseUrl);
  const store = JSON.parse(
    await runCli(
      [
        'store',
        'add',
        '--platform',
        'shopify',
        '--name',
        'Crash Shop',
        '--domain',
        'crash.myshopify.com',
        '--webhook-secret',
        SECRET,
      ],
      databaseUrl,
    ),
  ) as { id: string };
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/webhooks/shopify/${store.id}`;
  const deliveries = makeDeliveries();
  const processes: Running[] = [];
  try {
    // 1. A burst into `serve`, killed with SIGKILL once KILL_AFTER_ACKS deliveries were acknowledged.
    const first = startProcess(['serve', '--port', String(port)], databaseUrl);
    processes.push(first);
    await waitForReady(origin);
    const firstOutcomes = await burst(url, deliveries, (count) => {
      if (count === KILL_AFTER_ACKS) first.child.kill('SIGKILL');
    });
    await first.exited;
    const ackedIds = new Set(deliveries.filter((_, i) => firstOutcomes[i]!.acked).map((d) => d.webhookId));
    const afterCrash = await readDatabase(databaseUrl, store.id);
    const storedIds = new Set(afterCrash.inbox.map((row) => row.id));

    expect(ackedIds.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(ackedIds.size).toBeLessThan(DELIVERIES);
    expect([...ackedIds].filter((id) => !storedIds.has(id))).toEqual([]);
    expect(afterCrash.orders).toEqual([]);

    // 2. A new `serve`: the sender retries what got no 2xx, and redelivers some of what did.
    const second = startProcess(['serve', '--port', String(port)], databaseUrl);
    processes.push(second);
    await waitForReady(origin);
    const retried = deliveries.filter((d) => !ackedIds.has(d.webhookId));
    const redelivered = deliveries.filter((d) => ackedIds.has(d.webhookId)).slice(0, 20);
    const retryOutcomes = await burst(url, [...retried, ...redelivered], () => undefined);

    expect(retryOutcomes.every((outcome) => outcome.acked)).toBe(true);
    expect(retryOutcomes.slice(retried.length).every((outcome) => outcome.duplicate === true)).toBe(true);

    // 3. A separate worker processes the inbox.
    const worker = startProcess(['worker'], databaseUrl);
    processes.push(worker);
    const done = await waitForInboxProcessed(databaseUrl, store.id);
    second.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await Promise.all([second.exited, worker.exited])).toEqual([0, 0]);

    expect(done.inbox).toHaveLength(DELIVERIES);
    expect(new Set(done.inbox.map((row) => row.id)).size).toBe(DELIVERIES);
    expect(done.orders).toHaveLength(ORDERS);
    expect(done.orders.every((order) => order.n === 1)).toBe(true);
    expect(done.orderCreations).toBe(ORDERS);
    expect(done.shipments).toHaveLength(ORDERS);
    expect(done.shipments.every((shipment) => shipment.n === 1)).toBe(true);
  } finally {
    for (const running of processes) running.child.kill('SIGKILL');
    await Promise.all(processes.map((running) => running.exited));
  }
}

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'waymark-crash-'));
});
afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});

describe('signed webhooks survive a SIGKILL of the server mid-burst', () => {
  it('should keep every acknowledged delivery and apply each once [sqlite file]', { timeout: 60_000 }, async () => {
    await crashAndRecover(`sqlite:${join(workdir, 'crash.db')}`);
  });

  it.skipIf(!POSTGRES_URL)(
    'should keep every acknowledged delivery and apply each once [postgres]',
    { timeout: 60_000 },
    async () => {
      const database = await createTestDatabase('postgres', { migrate: false });
      await database.close();
      try {
        await crashAndRecover(database.url);
      } finally {
        await database.drop();
      }
    },
  );
});
